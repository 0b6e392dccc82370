"""The queue's hot path (``services/queue_engine``, SQLAlchemy Core) and its ORM version give
the same result: the same script of issuing, calls, recalls, no-shows, holds, completions,
transfers and refusals, run once as the application runs it and once with the hot path switched off, leaves
the same answers, tickets, events and calling cycles on both databases."""

from __future__ import annotations

import dataclasses
import random
import shutil
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from desk_app.services import (
    appointment_checkin,
    appointments,
    hall,
    queue,
    queue_engine,
    ticket_issuing,
)
from desk_app.services.errors import Refused
from desk_app.store import Database
from desk_app.store.models import Service, Staff, Ticket, TicketEvent, Window, WindowSession
from tests.appt_tools import at, calendar_hall, person
from tests.conftest import TEST_ADMIN
from tests.tools import add_staff

TUE = date(2026, 12, 1)
# The hot path's entry points; switched off, ``queue`` runs its ORM version.
HOT = [
    (queue_engine, "call_next"),
    (queue_engine, "act_on_current"),
    (ticket_issuing, "issue"),
]


@pytest.fixture
def twin(db, request, tmp_path):
    """A second, empty hall database of the same dialect as ``db``."""
    if not db.is_postgres:
        path = tmp_path / "twin.db"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite_template"), path)
        other = Database(f"sqlite:///{path}")
        yield other.acting_as(TEST_ADMIN)
        other.dispose()
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    template = request.getfixturevalue("migrated_pg_template")
    admin = create_engine(db.url, isolation_level="AUTOCOMMIT")
    name = f"desk_twin_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    other = Database(make_url(db.url).set(database=name).render_as_string(hide_password=False))
    try:
        yield other.acting_as(TEST_ADMIN)
    finally:
        other.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _hall(db) -> None:  # type: ignore[no-untyped-def]
    calendar_hall(db, windows=3)
    hall.add_window(db, 4, ["newborn", "retirement"], calling_rule="arrival:1/2,appt:2/1")
    for n, w in enumerate((1, 2, 4, 9), 1):
        add_staff(db, f"s0{n}", f"员工{n}")
        hall.open_window(db, w, f"s0{n}")
    with db.begin() as s:  # ten-minute slots, so slot order and arrival order can differ
        s.execute(update(Service).where(Service.code == "newborn").values(slot_minutes=10))
    slots = ("09:00", "09:10", "09:20", "09:30")
    codes = [
        appointments.book(
            db, "newborn", TUE, t, f"预约{i}", person(i), now=at("2026-11-30 10:00")
        ).code
        for i, t in enumerate(slots, 1)
    ]
    # The 09:00 booking checks in last (09:14): by slot it still goes before the 09:10 one.
    for code, when in zip(codes, ("09:14", "09:00", "09:05", "09:10"), strict=True):
        appointment_checkin.checkin(db, code=code, now=at(f"2026-12-01 {when}"))


OPS = ["call", "start", "recall", "no_show", "hold", "complete", "issue", "transfer"]


def _script(seed: int, n: int) -> list[tuple[str, int, str | None]]:
    """(operation, window, extra): a random morning at windows 1, 2, 4 and 9, with tickets
    issued as it goes (extra = service and priority), a pause, presses at closed window 3,
    recalls past the limit, and tickets transferred to a window."""
    rng = random.Random(seed)
    out: list[tuple[str, int, str | None]] = []
    for i in range(n):
        op = rng.choices(OPS, weights=[40, 14, 8, 8, 4, 6, 18, 2])[0]
        extra = None
        if op == "issue":
            extra = rng.choice(["newborn", "retirement"]) + rng.choice(["", "", "", ":elderly"])
        elif op == "transfer":
            extra = rng.choice(["1", "4", "newborn", "retirement"])
        out.append((op, rng.choice([1, 2, 4, 9]), extra))
        if i in (40, 100, 160):  # a ticket transferred to a window, called there
            out += [("call", 9, None), ("transfer", 9, "4"), ("no_show", 4, None)]
            out += [("call", 4, None)]
        if i == 60:  # past the recall limit
            out += [("call", 2, None)] + [("recall", 2, None)] * 4
        if i in (30, 90):
            out += [
                ("pause", 2, None),
                ("call", 2, None),
                ("issue", 2, "newborn"),
                ("resume", 2, None),
                ("call", 3, None),
            ]
    return out


def _run(db, script) -> list:  # type: ignore[no-untyped-def]
    _hall(db)
    for i in range(12):  # the morning's first visitors, every third one priority
        queue.issue_ticket(
            db,
            ("newborn", "retirement")[i % 2],
            "elderly" if i % 3 == 2 else None,
            now=at("2026-12-01 09:00") + timedelta(minutes=i),
        )
    out = []
    for i, (op, w, extra) in enumerate(script):
        now = at("2026-12-01 09:20") + timedelta(seconds=20 * i)
        try:
            if op == "call":
                r = queue.call_next(db, w, now=now)
            elif op == "issue":
                code, _, prio = (extra or "").partition(":")
                r = queue.issue_ticket(db, code, prio or None, now=now)
            elif op == "transfer":
                target = {"to_window": int(extra)} if extra.isdigit() else {"to_service": extra}
                r = queue.transfer(db, w, now=now, **target)
            elif op in ("pause", "resume"):
                r = getattr(hall, f"{op}_window")(db, w, now=now)
            else:
                r = getattr(queue, op)(db, w, now=now)
            out.append((op, w, None if r is None else _plain(dataclasses.asdict(r))))
        except Refused as exc:
            out.append((op, w, f"refused: {exc}"))
    return out


def _plain(d: dict) -> dict:
    return {k: v for k, v in d.items() if k != "id"}


def _state(db) -> dict:  # type: ignore[no-untyped-def]
    with db.read() as s:
        win = dict(s.execute(select(Window.id, Window.number)).all())
        staff = dict(s.execute(select(Staff.id, Staff.code)).all())
        number = dict(s.execute(select(Ticket.id, Ticket.number)).all())
        cols = [c for c in Ticket.__table__.c if c.name not in ("id", "appointment_id")]
        tickets = sorted(
            tuple(
                win.get(v, v) if c.name.endswith("window_id") else v
                for c, v in zip(cols, r, strict=True)
            )
            for r in s.execute(select(*cols))
        )
        events = sorted(
            (number[e.ticket_id], e.at, e.action, e.from_state, e.to_state,
             win.get(e.window_id), staff.get(e.staff_id), e.detail)
            for e in s.scalars(select(TicketEvent))
        )  # fmt: skip
        cycles = sorted(
            (win[w.window_id], w.cycle_pos, w.appt_cycle_pos)
            for w in s.scalars(select(WindowSession))
        )
    return {"tickets": tickets, "events": events, "cycles": cycles}


def test_the_hot_path_and_the_orm_version_leave_the_same_hall(db, twin, monkeypatch):
    taken = {"fast": 0, "fallback": 0}
    real = {(m, f): getattr(m, f) for m, f in HOT}

    def count(result):  # type: ignore[no-untyped-def]
        taken["fallback" if result is queue_engine.FALLBACK else "fast"] += 1
        return result

    for (module, f), fn in real.items():
        monkeypatch.setattr(module, f, lambda *a, fn=fn: count(fn(*a)))
    script = _script(seed=7, n=220)
    fast = _run(db, script)
    fast_state = _state(db)
    # The fast path did most of the work; the rest (refusals, the repeated press, a ticket
    # transferred to the window) went to the ORM version.
    assert taken["fast"] >= 60 and taken["fallback"] >= 10, taken

    for module, f in real:
        monkeypatch.setattr(module, f, lambda *a: queue_engine.FALLBACK)
    slow = _run(twin, script)
    assert fast == slow
    assert fast_state == _state(twin)
    # The script exercised what it is meant to: every calling class, refusals, the repeated
    # press, completions by "next".
    called = [r for op, _w, r in fast if op == "call" and isinstance(r, dict)]
    assert {r["priority"] for r in called} >= {None, "elderly", "appointment"}
    assert any(isinstance(r, str) and "重呼" in r for _op, _w, r in fast)
    assert any(isinstance(r, str) and "暂停" in r for _op, _w, r in fast)
    assert any(isinstance(r, dict) and r["repeated"] for _op, _w, r in fast)
    assert any(e[2] == "complete" for e in fast_state["events"])


def test_every_window_calling_at_once_gets_its_own_ticket_by_the_hot_path(db):
    """Thirty-two windows, one ticket each: no ticket twice, nobody left without."""
    import threading

    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    for n in range(1, 33):
        hall.add_window(db, n, ["newborn"])
        add_staff(db, f"s{n:02d}", f"员工{n}")
        hall.open_window(db, n, f"s{n:02d}")
    for _ in range(32):
        queue.issue_ticket(db, "newborn")
    got: dict[int, str] = {}
    barrier = threading.Barrier(32)

    def press(n: int) -> None:
        barrier.wait()
        got[n] = queue.call_next(db, n).number

    threads = [threading.Thread(target=press, args=(n,)) for n in range(1, 33)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 32 and len(set(got.values())) == 32


def _pressing_together(fn, n: int) -> list:  # type: ignore[no-untyped-def]
    """``fn()`` from ``n`` threads released at the same instant: results or exceptions."""
    import threading

    barrier = threading.Barrier(n)
    results: list = []

    def press() -> None:
        barrier.wait()
        try:
            results.append(fn())
        except Refused as exc:
            results.append(exc)

    threads = [threading.Thread(target=press) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_a_window_pressed_many_times_at_once_calls_one_ticket(db):
    """A bouncing call-pad, the keyboard and the mouse at the same instant: one ticket is
    called, every other press gets it back as repeated; one no-show of it succeeds."""
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall.add_window(db, 1, ["newborn"])
    add_staff(db, "s01", "员工1")
    hall.open_window(db, 1, "s01")
    for i in range(12):
        queue.issue_ticket(db, "newborn", "elderly" if i % 4 == 0 else None)
    seen = []
    for _ in range(10):
        calls = _pressing_together(lambda: queue.call_next(db, 1), 6)
        assert len({c.number for c in calls}) == 1
        assert sum(not c.repeated for c in calls) == 1
        seen.append(calls[0].number)
        outcomes = _pressing_together(lambda: queue.no_show(db, 1), 4)
        assert sum(not isinstance(o, Exception) for o in outcomes) == 1
    assert len(set(seen)) == 10
    with db.read() as s:
        events = s.scalars(select(TicketEvent.action)).all()
    assert events.count("call") == 10 and events.count("no_show") == 10
