"""The queue's day: tickets still waiting, called or held when the hall's day ended are closed
(``expired``, with their event) by the next day's first issue or call, or ``queue rollover``;
once a day, on both databases and through the quick paths."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from desk_app.services.queue import operations as queue
from desk_app.services.queue.rollover import rollover
from desk_app.store.models import Ticket, TicketEvent
from tests.test_queue_rules import at, issue

NEXT_DAY = 24 * 60


def _states(db) -> dict[tuple[str, str], str]:
    with db.read() as s:
        return {(t.day.isoformat(), t.number): t.state for t in s.scalars(select(Ticket))}


def test_the_days_first_issue_closes_yesterdays_queue(small_hall):
    db = small_hall
    for m in (0, 1, 2, 3):
        issue(db, "newborn", m)
    queue.call_next(db, 1, now=at(5))  # A001 called at window 1 ...
    queue.start(db, 1, now=at(5))
    queue.call_next(db, 1, now=at(6))  # ... A001 done, A002 called
    queue.hold(db, 1, now=at(7))  # A002 held
    # The hall closes with A002 held, A003 and A004 waiting (and window 1 "calling" nothing).
    assert issue(db, "newborn", NEXT_DAY) == "A001"  # the day's first issue
    states = _states(db)
    day1, day2 = at(0).date().isoformat(), (at(0) + timedelta(days=1)).date().isoformat()
    assert states[(day1, "A002")] == "expired"  # held
    assert states[(day1, "A003")] == states[(day1, "A004")] == "expired"  # waiting
    assert states[(day1, "A001")] == "completed"  # served stays served
    assert states[(day2, "A001")] == "waiting"
    with db.read() as s:
        expired = s.scalars(
            select(TicketEvent.from_state).where(TicketEvent.action == "expire")
        ).all()
    assert sorted(expired) == ["held", "waiting", "waiting"]
    # Today's queue holds today's tickets only: no two A001 waiting at once.
    waiting = [k for k, v in _states(db).items() if v == "waiting"]
    assert waiting == [(day2, "A001")]
    assert rollover(db, now=at(NEXT_DAY + 1)) == 0  # once a day


def test_a_ticket_still_called_at_close_expires_and_frees_the_window(small_hall):
    db = small_hall
    issue(db, "newborn", 0)
    queue.call_next(db, 1, now=at(1))  # called, the visitor never came
    issue(db, "newborn", NEXT_DAY)
    called = queue.call_next(db, 1, now=at(NEXT_DAY + 1))  # the first call of the day
    assert called is not None and called.number == "A001" and called.state == "called"
    day1 = at(0).date().isoformat()
    assert _states(db)[(day1, "A001")] == "expired"


def test_rollover_as_a_command(small_hall):
    db = small_hall
    issue(db, "newborn", 0)
    issue(db, "retirement", 1)
    assert rollover(db, now=at(NEXT_DAY)) == 2
    assert rollover(db, now=at(NEXT_DAY + 5)) == 0
    # A clock turned back (a training hall) never rolls today's queue away.
    assert rollover(db, now=at(0)) == 0


def test_the_live_hall_and_alerts_look_at_today_before_the_days_first_action(small_hall):
    """Before the day's first issue or call rolls the queue over, yesterday's open tickets are
    not today's waiting, current or longest wait; "done today" counts by completion time."""
    from desk_app.services.hall import setup as hall
    from desk_app.services.supervision import alerts, live_hall

    db = small_hall
    hall.set_setting(db, "alert_waiting", "1")
    for m in (0, 1, 2):
        issue(db, "newborn", m)
    queue.call_next(db, 1, now=at(5))
    queue.start(db, 1, now=at(5))  # A001 served at window 1 at closing time ...
    # ... and completed the next morning, before anyone issued or called a ticket.
    morning = NEXT_DAY - 30
    queue.complete(db, 1, now=at(morning))
    live = live_hall.live_hall(db, now=at(morning + 1))
    newborn = next(s for s in live.services if s.code == "newborn")
    assert newborn.waiting == 0 and newborn.longest_wait_s == 0  # A002, A003 are yesterday's
    assert newborn.served_today == 1 and live.served_today == 1  # completed today
    window1 = next(w for w in live.windows if w.number == 1)
    assert window1.current is None and window1.served_today == 1
    assert alerts.list_alerts(db, now=at(morning + 1)) == []
    # Yesterday's own figures: nothing was completed that day.
    yesterday = live_hall.live_hall(db, now=at(10))
    assert yesterday.served_today == 0
    assert next(s for s in yesterday.services if s.code == "newborn").waiting == 2
