"""Each queue rule of shared/design/domain.md, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from desk_app.services.common.errors import NotFound, Refused
from desk_app.services.hall import setup as hall
from desk_app.services.queue import operations as queue
from desk_app.store.models import Ticket, TicketCounter, TicketEvent
from tests.tools import add_staff

T0 = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)  # 09:00 in the hall (UTC+8)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def issue(db, service: str, minutes: float, priority: str | None = None) -> str:
    return queue.issue_ticket(db, service, priority, now=at(minutes)).number


def events(db, number: str) -> list[tuple[str, str | None, str]]:
    with db.read() as s:
        tid = s.scalar(select(Ticket.id).where(Ticket.number == number))
        rows = s.execute(
            select(TicketEvent.action, TicketEvent.from_state, TicketEvent.to_state)
            .where(TicketEvent.ticket_id == tid)
            .order_by(TicketEvent.id)
        ).all()
        return [tuple(r) for r in rows]


def test_numbers_per_service_and_day_restart_next_day(small_hall):
    db = small_hall
    assert [issue(db, "newborn", m) for m in (0, 1, 2)] == ["A001", "A002", "A003"]
    assert issue(db, "retirement", 3) == "B001"
    next_day = 24 * 60
    assert issue(db, "newborn", next_day) == "A001"
    with db.read() as s:
        counters = {
            (c.service_id, c.day.isoformat()): c.last_number
            for c in s.scalars(select(TicketCounter))
        }
    assert sorted(counters.values()) == [1, 1, 3]


def test_daily_cap_refuses_and_leaves_no_gap(small_hall):
    db = small_hall
    hall.add_service(db, "capped", "开办餐饮店一件事", "D", daily_cap=2)
    assert issue(db, "capped", 0) == "D001"
    assert issue(db, "capped", 1) == "D002"
    with pytest.raises(Refused, match="号源已满"):
        issue(db, "capped", 2)
    with db.read() as s:
        numbers = s.scalars(select(TicketCounter.last_number)).all()
        assert max(numbers) == 2  # the refused issue's increment was rolled back
        assert len(s.scalars(select(Ticket).where(Ticket.number.like("D%"))).all()) == 2


def test_priority_first_but_ratio_never_starves_normal(small_hall):
    db = small_hall  # window 2 serves retirement with the default rule 2 priority : 1 normal
    normal = [issue(db, "retirement", m) for m in (0, 1, 2)]
    prio = [issue(db, "retirement", 10 + m, "elderly") for m in (0, 1, 2, 3)]
    order = []
    for i in range(7):
        t = queue.call_next(db, 2, now=at(20 + i))
        order.append(t.number)
        queue.start(db, 2, now=at(20 + i))
        queue.complete(db, 2, now=at(20.5 + i))
    assert order == [prio[0], prio[1], normal[0], prio[2], prio[3], normal[1], normal[2]]


def test_earliest_arrival_first_across_the_windows_services(small_hall):
    db = small_hall  # window 1 serves newborn and retirement
    b = issue(db, "retirement", 0)
    a = issue(db, "newborn", 1)
    assert queue.call_next(db, 1, now=at(2)).number == b
    queue.start(db, 1, now=at(2))
    assert queue.call_next(db, 1, now=at(3)).number == a  # next also completes the served one


def test_service_order_rule_serves_first_service_first(small_hall):
    db = small_hall
    hall.add_window(db, 4, ["retirement", "newborn"], calling_rule="service_order:2/1")
    add_staff(db, "s04", "赵磊")
    hall.open_window(db, 4, "s04")
    a = issue(db, "newborn", 0)
    b = issue(db, "retirement", 5)
    assert queue.call_next(db, 4, now=at(6)).number == b
    queue.no_show(db, 4, now=at(7))
    assert queue.call_next(db, 4, now=at(8)).number == a


def test_call_next_with_called_ticket_is_harmless_double_press(small_hall):
    db = small_hall
    issue(db, "retirement", 0)
    issue(db, "retirement", 1)
    first = queue.call_next(db, 2, now=at(2))
    again = queue.call_next(db, 2, now=at(2.01))
    assert again.number == first.number and again.repeated
    assert [e[0] for e in events(db, first.number)] == ["issue", "call"]
    assert queue.queue_status(db, now=at(3)).services[1].waiting == 1


def test_call_next_while_serving_completes_then_calls(small_hall):
    db = small_hall
    a = issue(db, "retirement", 0)
    b = issue(db, "retirement", 1)
    queue.call_next(db, 2, now=at(2))
    queue.start(db, 2, now=at(3))
    assert queue.call_next(db, 2, now=at(13)).number == b
    assert [e[0] for e in events(db, a)] == ["issue", "call", "start", "complete"]
    with db.read() as s:
        assert s.scalar(select(Ticket.service_seconds).where(Ticket.number == a)) == 600


def test_two_windows_never_get_the_same_ticket(small_hall):
    db = small_hall
    issue(db, "retirement", 0)
    issue(db, "retirement", 1)
    one = queue.call_next(db, 1, now=at(2))
    two = queue.call_next(db, 2, now=at(2))
    assert {one.number, two.number} == {"B001", "B002"}
    assert queue.call_next(db, 1, now=at(2)).repeated


def test_recall_is_counted_and_limited(small_hall):
    db = small_hall
    hall.set_setting(db, "recall_limit", "2")
    n = issue(db, "retirement", 0)
    queue.call_next(db, 2, now=at(1))
    assert queue.recall(db, 2, now=at(2)).recall_count == 1
    assert queue.recall(db, 2, now=at(3)).recall_count == 2
    with pytest.raises(Refused, match="过号"):
        queue.recall(db, 2, now=at(4))
    assert [e[0] for e in events(db, n)] == ["issue", "call", "recall", "recall"]


def test_no_show_and_requeue_at_back_of_queue(small_hall):
    db = small_hall
    a = issue(db, "retirement", 0)
    b = issue(db, "retirement", 1)
    queue.call_next(db, 2, now=at(2))
    assert queue.no_show(db, 2, now=at(4)).state == "no_show"
    with pytest.raises(Refused):
        queue.start(db, 2, now=at(5))  # the window has no current ticket now
    queue.requeue(db, a, now=at(6))
    c = issue(db, "retirement", 7)
    assert queue.call_next(db, 2, now=at(8)).number == b
    queue.no_show(db, 2, now=at(9))
    assert queue.call_next(db, 2, now=at(10)).number == a  # re-queued at 6 < c at 7
    queue.no_show(db, 2, now=at(11))
    assert queue.call_next(db, 2, now=at(12)).number == c
    assert [e[0] for e in events(db, a)] == [
        "issue",
        "call",
        "no_show",
        "requeue",
        "call",
        "no_show",
    ]


def test_hold_and_call_back(small_hall):
    db = small_hall
    a = issue(db, "retirement", 0)
    b = issue(db, "retirement", 1)
    queue.call_next(db, 2, now=at(2))
    queue.start(db, 2, now=at(3))
    assert queue.hold(db, 2, now=at(4)).state == "held"
    assert queue.call_next(db, 2, now=at(5)).number == b  # the held ticket is not in the queue
    with pytest.raises(Refused, match="当前号"):
        queue.call_ticket(db, 2, a, now=at(6))
    queue.start(db, 2, now=at(6))
    queue.complete(db, 2, now=at(7))
    back = queue.call_ticket(db, 2, a, now=at(8))
    assert back.number == a and back.state == "called"
    assert [e[0] for e in events(db, a)] == ["issue", "call", "start", "hold", "call"]


def test_call_specific_ticket_skips_the_line_and_checks_the_window(small_hall):
    db = small_hall
    issue(db, "newborn", 0)
    b = issue(db, "retirement", 1)
    assert queue.call_ticket(db, 1, b, now=at(2)).number == b
    queue.no_show(db, 1, now=at(3))
    with pytest.raises(Refused, match="不属于"):
        queue.call_ticket(db, 2, "A001", now=at(4))  # window 2 serves retirement only
    with pytest.raises(NotFound):
        queue.call_ticket(db, 2, "B999", now=at(4))


def test_transfer_to_service_keeps_number_and_arrival(small_hall):
    db = small_hall
    a = issue(db, "newborn", 0)
    later = issue(db, "retirement", 5)
    queue.call_next(db, 1, now=at(6))  # window 1: A001 arrived first
    moved = queue.transfer(db, 1, to_service="retirement", now=at(7))
    assert (moved.number, moved.service, moved.state) == (a, "retirement", "waiting")
    # Window 2 serves retirement: A001 (arrival 0) goes before B001 (arrival 5).
    assert queue.call_next(db, 2, now=at(8)).number == a
    queue.no_show(db, 2, now=at(9))
    assert queue.call_next(db, 2, now=at(10)).number == later


def test_transfer_to_window_only_that_window_calls_it(small_hall):
    db = small_hall
    a = issue(db, "retirement", 0)
    queue.call_next(db, 2, now=at(1))
    queue.transfer(db, 2, to_window=3, now=at(2))
    assert queue.call_next(db, 2, now=at(3)) is None
    assert queue.call_next(db, 1, now=at(3)) is None  # serves retirement, but not its window
    hall.open_window(db, 3, "s03", now=at(3))
    got = queue.call_next(db, 3, now=at(4))  # window 3 serves newborn only, yet gets it
    assert got.number == a and got.window == 3
    with pytest.raises(Refused):
        queue.transfer(db, 3, to_window=3, now=at(5))


def test_pause_stops_calling_and_resume_restores(small_hall):
    db = small_hall
    issue(db, "retirement", 0)
    hall.pause_window(db, 2, now=at(1))
    with pytest.raises(Refused, match="暂停"):
        queue.call_next(db, 2, now=at(2))
    assert queue.queue_status(db, now=at(2)).windows[1].state == "paused"
    hall.resume_window(db, 2, now=at(3))
    assert queue.call_next(db, 2, now=at(4)).number == "B001"


def test_one_open_session_per_window_and_close_rules(small_hall):
    db = small_hall
    with pytest.raises(Refused, match="已由"):
        hall.open_window(db, 1, "s03")
    with pytest.raises(Refused, match="已在窗口"):
        hall.open_window(db, 3, "s01")  # s01 is at window 1
    issue(db, "retirement", 0)
    queue.call_next(db, 2, now=at(1))
    with pytest.raises(Refused, match="当前号"):
        hall.close_window(db, 2, now=at(2))
    queue.no_show(db, 2, now=at(3))
    hall.close_window(db, 2, now=at(4))
    with pytest.raises(Refused, match="未登录"):
        queue.call_next(db, 2, now=at(5))
    hall.open_window(db, 2, "s03", now=at(6))


def test_operations_not_allowed_in_state_are_refused(small_hall):
    db = small_hall
    issue(db, "retirement", 0)
    queue.call_next(db, 2, now=at(1))
    with pytest.raises(Refused, match="状态"):
        queue.complete(db, 2, now=at(2))  # complete needs start first
    queue.start(db, 2, now=at(2))
    with pytest.raises(Refused, match="状态"):
        queue.no_show(db, 2, now=at(3))  # the visitor is at the counter
    with pytest.raises(Refused, match="状态"):
        queue.start(db, 2, now=at(3))


def test_every_transition_is_an_event_with_window_and_staff(small_hall):
    db = small_hall
    n = issue(db, "retirement", 0)
    queue.call_next(db, 2, now=at(1))
    queue.recall(db, 2, now=at(2))
    queue.start(db, 2, now=at(3))
    queue.complete(db, 2, now=at(4))
    with db.read() as s:
        rows = (
            s.execute(
                select(TicketEvent)
                .join(Ticket, Ticket.id == TicketEvent.ticket_id)
                .where(Ticket.number == n)
                .order_by(TicketEvent.id)
            )
            .scalars()
            .all()
        )
        assert [(r.action, r.from_state, r.to_state) for r in rows] == [
            ("issue", None, "waiting"),
            ("call", "waiting", "called"),
            ("recall", "called", "called"),
            ("start", "called", "serving"),
            ("complete", "serving", "completed"),
        ]
        assert all(r.window_id is not None and r.staff_id is not None for r in rows[1:])
        assert [r.at for r in rows] == [at(m) for m in range(5)]


def test_wait_and_service_times_are_recorded(small_hall):
    db = small_hall
    n = issue(db, "retirement", 0)
    queue.call_next(db, 2, now=at(7))
    queue.recall(db, 2, now=at(9))
    queue.start(db, 2, now=at(10))
    queue.complete(db, 2, now=at(25))
    with db.read() as s:
        t = s.scalar(select(Ticket).where(Ticket.number == n))
        # Wait = first call - arrival (a recall does not extend it); service = complete - start.
        assert (t.first_called_at - t.arrival_at) == timedelta(minutes=7)
        assert t.service_seconds == 15 * 60


def test_queue_status_longest_wait_and_current(small_hall):
    db = small_hall
    issue(db, "retirement", 0)
    issue(db, "retirement", 3)
    issue(db, "newborn", 5)
    queue.call_next(db, 2, now=at(6))
    st = queue.queue_status(db, now=at(10))
    by = {s.code: s for s in st.services}
    assert (by["retirement"].waiting, by["retirement"].longest_wait_s) == (1, 7 * 60)
    assert (by["newborn"].waiting, by["newborn"].longest_wait_s) == (1, 5 * 60)
    assert [(w.number, w.state, w.current) for w in st.windows] == [
        (1, "open", None),
        (2, "open", "B001"),
        (3, "closed", None),
    ]


def test_clear_queue_expires_waiting_and_held(small_hall):
    db = small_hall
    issue(db, "retirement", 0)
    issue(db, "retirement", 1)
    queue.call_next(db, 2, now=at(2))
    queue.hold(db, 2, now=at(3))
    assert queue.clear_queue(db, now=at(600)) == 2
    assert queue.queue_status(db, now=at(601)).services[1].waiting == 0


def test_unknown_service_and_priority_refused(small_hall):
    with pytest.raises(NotFound):
        queue.issue_ticket(small_hall, "nope")
    with pytest.raises(Refused):
        queue.issue_ticket(small_hall, "newborn", "royalty")
