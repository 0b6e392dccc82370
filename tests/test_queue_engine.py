"""The queue's hot path and its ORM version give the same result: the same script of issuing,
calls, recalls, no-shows, holds, completions, transfers and refusals, run once as the
application runs it and once with the hot path switched off, leaves the same answers, tickets,
events and calling cycles. The hot path is ``services/queue_engine`` (SQLAlchemy Core) on
PostgreSQL and ``services/queue_quick`` (the standard library's sqlite3) on SQLite; the hall
with and without an opening calendar (which issuing then reads)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desk_app.services.common.errors import Refused
from desk_app.services.hall import setup as hall
from desk_app.services.queue import engine as queue_engine
from desk_app.services.queue import issuing as ticket_issuing
from desk_app.services.queue import operations as queue
from desk_app.store.models import TicketEvent
from tests.queue_twins import hall_state, morning_script, raw_state, run_script
from tests.tools import add_staff

# The hot path's entry points; switched off, ``queue`` runs its ORM version.
HOT = [
    (queue_engine, "call_next"),
    (queue_engine, "act_on_current"),
    (ticket_issuing, "issue"),
]


@pytest.mark.parametrize("calendar", [True, False], ids=["calendar", "no-calendar"])
def test_the_hot_path_and_the_orm_version_leave_the_same_hall(db, twin, monkeypatch, calendar):
    taken = {"fast": 0, "fallback": 0}
    real = {(m, f): getattr(m, f) for m, f in HOT}

    def count(result):  # type: ignore[no-untyped-def]
        taken["fallback" if result is queue_engine.FALLBACK else "fast"] += 1
        return result

    for (module, f), fn in real.items():
        monkeypatch.setattr(module, f, lambda *a, fn=fn: count(fn(*a)))
    steps = morning_script(seed=7, n=220)
    fast = run_script(db, steps, calendar=calendar)
    fast_state = hall_state(db)
    # The fast path did most of the work; the rest (refusals, the repeated press, a ticket
    # transferred to the window) went to the ORM version.
    assert taken["fast"] >= 60 and taken["fallback"] >= 10, taken

    for module, f in real:
        monkeypatch.setattr(module, f, lambda *a: queue_engine.FALLBACK)
    slow = run_script(twin, steps, calendar=calendar)
    assert fast == slow
    assert fast_state == hall_state(twin)
    if not db.is_postgres:  # and as stored, byte for byte
        assert raw_state(db) == raw_state(twin)
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


def test_on_sqlite_a_claim_reads_its_class_in_calling_order(small_hall):
    """Migration 0022: walk-ins and priority tickets are claimed from their index in calling
    order (the first of the window's services), not by sorting the window's part of the queue;
    the claim repeats the index's condition, which SQLite needs to use a partial index."""
    if small_hall.is_postgres:
        pytest.skip("PostgreSQL's claims are its function's: tests/test_queue_pgcall.py")
    from desk_app.services.queue import quick as queue_quick

    for i in range(20):
        queue.issue_ticket(small_hall, "newborn", "elderly" if i % 4 == 0 else None)
    with small_hall.driver_connection() as raw:
        raw.execute("ANALYZE")  # whatever the statistics say
        for cls, index in (("walkin", "ix_tickets_walkin_order"), ("priority", "_priority_order")):
            sql = queue_quick._claim(cls, 2)  # for a window of two services
            plan = " | ".join(
                r[3] for r in raw.execute(f"EXPLAIN QUERY PLAN {sql}", [1, "t", "t", 1, 2])
            )
            assert index in plan and "TEMP B-TREE" not in plan, plan


def test_the_counter_lists_tickets_of_one_instant_in_calling_order(small_hall):
    """Tickets that arrived at the same instant (a kiosk's burst, a frozen clock) are listed
    as they will be called: by number, whatever order the table holds them in."""
    import uuid

    from sqlalchemy import insert

    from desk_app.domain import clock
    from desk_app.services.queue import boards
    from desk_app.store.models import Service, Ticket

    now = clock.now()
    queue.window_current(small_hall, 1)  # the day rolled over: the rows below are today's
    with small_hall.begin() as s:
        sid = s.scalar(select(Service.id).where(Service.code == "newborn"))
        for seq in (4, 3, 2, 1):  # written last number first
            s.execute(
                insert(Ticket).values(
                    id=uuid.uuid4(), service_id=sid, issued_service_id=sid,
                    day=clock.hall_day(now), seq=seq, number=f"A{seq:03d}", is_priority=False,
                    state="waiting", issued_at=now, arrival_at=now, recall_count=0,
                )
            )  # fmt: skip
    board = boards.counter_board(small_hall, 1, now=now)
    assert [t.number for t in board.waiting] == ["A001", "A002", "A003", "A004"]
    called = queue.call_next(small_hall, 1, now=now)
    assert called is not None and called.number == "A001"
