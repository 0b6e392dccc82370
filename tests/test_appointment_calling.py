"""Checked-in appointments are a calling class of their own: by slot time, interleaved with
walk-ins by the window's ratio, while 绿色通道 priority keeps its P/N rule."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from desk_app.domain.calling import CallingRule, call_order, calls_before
from desk_app.services.appointments import booking as appointments
from desk_app.services.appointments import checkin as appointment_checkin
from desk_app.services.hall import setup as hall
from desk_app.services.queue import operations as queue
from desk_app.store.models import Ticket
from tests.appt_tools import at, calendar_hall, person
from tests.tools import add_staff

TUE = date(2026, 12, 1)


def test_the_rule_text_keeps_its_old_form_and_reads_the_appointment_ratio():
    assert str(CallingRule.parse("arrival:2/1")) == "arrival:2/1"
    rule = CallingRule.parse("service_order:3/1,appt:2/1")
    assert (rule.appointment_run, rule.walkin_run) == (2, 1)
    assert str(rule) == "service_order:3/1,appt:2/1"


def test_call_order_alternates_appointments_and_walk_ins_one_to_one():
    rule = CallingRule.parse("arrival:2/1")
    pos, appt_pos, seen = 0, 0, []
    for _ in range(4):
        order, pos, appt_pos = call_order(rule, pos, appt_pos, {"appointment", "walkin"})
        seen.append(order[0])
    assert seen == ["appointment", "walkin", "appointment", "walkin"]


def test_calls_before_follows_both_cycles():
    rule = CallingRule.parse("arrival:2/1")
    assert calls_before(rule, 0, 0, {"walkin": 5}, "appointment", 0) == 0
    assert calls_before(rule, 0, 1, {"walkin": 5}, "appointment", 0) == 1  # a walk-in's turn
    assert calls_before(rule, 0, 0, {"walkin": 5, "priority": 2}, "appointment", 0) == 2
    # A walk-in with 4 walk-ins before it and 3 appointments waiting: a w a w a w w w w.
    assert calls_before(rule, 0, 0, {"appointment": 3}, "walkin", 4) == 7
    assert calls_before(CallingRule.parse("arrival:2/1,appt:0/1"), 0, 0, {"appointment": 3},
                        "walkin", 0) == 0  # fmt: skip


def _hall_with_appointments(db, slots: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """Book ``slots`` on Tuesday (one person each) and check them in at 09:20."""
    codes = []
    for n, time in enumerate(slots, 1):
        codes.append(
            appointments.book(
                db, "newborn", TUE, time, f"预约{n}", person(n), now=at("2026-11-30 10:00")
            ).code
        )
    return codes


def test_three_appointments_and_three_walk_ins_alternate(db):
    calendar_hall(db, windows=3)
    add_staff(db, "s01", "王芳")
    hall.open_window(db, 1, "s01")
    # Walk-ins arrive first; the appointments check in later, the 09:30 one before the 09:00.
    walkins = [
        queue.issue_ticket(db, "newborn", now=at(f"2026-12-01 09:0{i}")).number for i in range(3)
    ]
    c1, c2, c3 = _hall_with_appointments(db, ["09:00", "09:30", "09:30"])
    appt, ahead = {}, {}
    for code, when in ((c2, "09:10"), (c1, "09:11"), (c3, "09:12")):
        ticket = appointment_checkin.checkin(db, code=code, now=at(f"2026-12-01 {when}")).ticket
        appt[code], ahead[code] = ticket.number, ticket.ahead
    # The check-in tells each the calls before theirs by the window's rule (not "everyone who
    # arrived earlier", which told c2 three ahead when it was called next): c2 and c1 (earlier
    # slot) are next when they check in; c3 comes after c1, a walk-in, c2 and a walk-in.
    assert ahead == {c2: 0, c1: 0, c3: 4}
    called = []
    for i in range(6):
        called.append(queue.call_next(db, 1, now=at(f"2026-12-01 09:2{i}")).number)
        queue.start(db, 1, now=at(f"2026-12-01 09:2{i}"))
    # By slot (c1's 09:00 first, though it checked in after c2), alternating with walk-ins
    # in arrival order.
    assert called == [appt[c1], walkins[0], appt[c2], walkins[1], appt[c3], walkins[2]]


def test_priority_keeps_its_rule_over_both(db):
    calendar_hall(db)
    add_staff(db, "s01", "王芳")
    hall.open_window(db, 1, "s01")
    w = queue.issue_ticket(db, "newborn", now=at("2026-12-01 09:00")).number
    (code,) = _hall_with_appointments(db, ["09:00"])
    a = appointment_checkin.checkin(db, code=code, now=at("2026-12-01 09:01")).ticket.number
    p1 = queue.issue_ticket(db, "newborn", "elderly", now=at("2026-12-01 09:02")).number
    p2 = queue.issue_ticket(db, "newborn", "disabled", now=at("2026-12-01 09:03")).number
    called = []
    for i in range(4):
        called.append(queue.call_next(db, 1, now=at(f"2026-12-01 09:1{i}")).number)
        queue.start(db, 1, now=at(f"2026-12-01 09:1{i}"))
    # arrival:2/1 — two priority calls, then a normal one (the appointment: its cycle starts
    # with it), then the walk-in.
    assert called == [p1, p2, a, w]


def test_an_appointments_wait_counts_from_the_later_of_check_in_and_slot_start(db):
    calendar_hall(db)
    early, late = _hall_with_appointments(db, ["10:00", "09:00"])
    appointment_checkin.checkin(db, code=late, now=at("2026-12-01 09:10"))  # after its slot
    appointment_checkin.checkin(db, code=early, now=at("2026-12-01 09:40"))  # before its slot
    with db.read() as s:
        rows = {t.slot_at: t.arrival_at for t in s.scalars(select(Ticket))}
    assert rows[at("2026-12-01 10:00")] == at("2026-12-01 10:00")
    assert rows[at("2026-12-01 09:00")] == at("2026-12-01 09:10")


def test_tickets_say_whether_they_came_from_an_appointment(db):
    calendar_hall(db)
    (code,) = _hall_with_appointments(db, ["09:00"])
    appointment_checkin.checkin(db, code=code, now=at("2026-12-01 08:50"))
    queue.issue_ticket(db, "newborn", now=at("2026-12-01 09:00"))
    with db.read() as s:
        channels = sorted(appointments.ticket_channel(t) for t in s.scalars(select(Ticket)))
        assert [
            appointments.is_appointment_ticket(t)
            for t in s.scalars(select(Ticket).order_by(Ticket.seq))
        ] == [True, False]
    assert channels == ["appointment", "walk-in"]
