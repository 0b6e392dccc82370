"""Many windows and kiosks as separate processes on one database (SQLite and PostgreSQL).

Every ticket must be called exactly once, none lost, and numbers unique and gapless per service
and day, while 16 windows press "call next" as fast as they can and two kiosks keep issuing.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections import Counter

import pytest
from sqlalchemy import func, select

from tests.tools import ADMIN, add_staff

WINDOWS = 16
KIOSKS = 2
TICKETS_PER_KIOSK = 300


def _kiosk(url: str, k: int, n: int, out: mp.Queue) -> None:
    from desk_app.services.queue import operations as queue
    from desk_app.store import Database

    db = Database(url).acting_as(ADMIN)
    ids = []
    for i in range(n):
        svc = "newborn" if (i + k) % 2 else "retirement"
        prio = "elderly" if i % 7 == 0 else None
        ids.append(queue.issue_ticket(db, svc, prio).id)
    out.put(("kiosk", k, ids))


def _window(url: str, number: int, start: mp.Event, kiosks_done: mp.Event, out: mp.Queue) -> None:
    from desk_app.services.queue import operations as queue
    from desk_app.store import Database

    db = Database(url).acting_as(ADMIN)
    called: list[str] = []
    repeats = 0
    start.wait()
    idle_after_done = 0
    while True:
        t = queue.call_next(db, number)
        if t is None:
            if kiosks_done.is_set():
                idle_after_done += 1
                if idle_after_done >= 3:
                    break
            time.sleep(0.005)
            continue
        idle_after_done = 0
        if t.repeated:
            repeats += 1
        else:
            called.append(t.id)
        # A double press every few tickets must not call a second ticket.
        if len(called) % 5 == 0:
            assert queue.call_next(db, number).repeated
        queue.start(db, number)
        queue.complete(db, number)
    out.put(("window", number, called, repeats))


@pytest.mark.slow
def test_windows_and_kiosks_in_parallel_processes(db):
    from desk_app.services.hall import setup as hall
    from desk_app.store.models import Ticket, TicketEvent

    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall.add_service(db, "retirement", "退休一件事", "B")
    for w in range(1, WINDOWS + 1):
        hall.add_window(db, w, ["newborn", "retirement"] if w % 2 else ["retirement", "newborn"])
        add_staff(db, f"s{w:02d}", f"员工{w}")
        hall.open_window(db, w, f"s{w:02d}")
    url = db.url
    db.dispose()

    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()
    start, kiosks_done = ctx.Event(), ctx.Event()
    windows = [
        ctx.Process(target=_window, args=(url, w, start, kiosks_done, out))
        for w in range(1, WINDOWS + 1)
    ]
    kiosks = [
        ctx.Process(target=_kiosk, args=(url, k, TICKETS_PER_KIOSK, out)) for k in range(KIOSKS)
    ]
    for p in windows + kiosks:
        p.start()
    start.set()
    results = []
    deadline = time.monotonic() + 240
    for _ in kiosks:
        results.append(out.get(timeout=max(1, deadline - time.monotonic())))
    kiosks_done.set()
    for _ in windows:
        results.append(out.get(timeout=max(1, deadline - time.monotonic())))
    for p in windows + kiosks:
        p.join(timeout=30)
        assert p.exitcode == 0

    issued = [i for r in results if r[0] == "kiosk" for i in r[2]]
    called = [i for r in results if r[0] == "window" for i in r[2]]
    assert len(issued) == KIOSKS * TICKETS_PER_KIOSK
    assert len(called) == len(set(called)), "a ticket was called by two windows"
    assert set(called) == set(issued), "a ticket was lost or invented"
    busy_windows = [r for r in results if r[0] == "window" and r[2]]
    assert len(busy_windows) > WINDOWS // 2  # the work really was spread over processes

    with db.read() as s:
        calls = Counter(
            str(t)
            for t in s.scalars(select(TicketEvent.ticket_id).where(TicketEvent.action == "call"))
        )
        assert set(calls.values()) == {1} and len(calls) == len(issued)
        states = dict(s.execute(select(Ticket.state, func.count()).group_by(Ticket.state)).all())
        assert states == {"completed": len(issued)}
        for prefix in ("A", "B"):
            seqs = sorted(s.scalars(select(Ticket.seq).where(Ticket.number.like(f"{prefix}%"))))
            assert seqs == list(range(1, len(seqs) + 1)), f"numbers of {prefix} not gapless"
