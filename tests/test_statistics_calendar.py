"""Statistics by channel and by session come from the appointments and the hall's own opening
calendar: a checked-in booking is the appointment channel, and a ticket's session kind is the
calendar's session at its arrival. The test hall's midday ends at 13:30 and its Tuesday evening
starts at 17:00, so 13:45 is regular and 17:15 evening (a clock-only guess says otherwise)."""

from __future__ import annotations

from datetime import date

from desk_app.services.appointments import booking as appointments
from desk_app.services.appointments import checkin as appointment_checkin
from desk_app.services.queue import operations as queue
from desk_app.services.supervision import statistics
from tests.appt_tools import at, calendar_hall, person

TUE = date(2026, 12, 1)


def rows_by_key(summary):  # type: ignore[no-untyped-def]
    return {r["key"]: r for r in summary.rows}


def test_channel_and_session_follow_the_calendar_and_the_bookings(db):
    calendar_hall(db)
    code = appointments.book(
        db, "newborn", TUE, "10:00", "预约甲", person(1), now=at("2026-11-30 10:00")
    ).code
    appointment_checkin.checkin(db, code=code, now=at("2026-12-01 09:45"))
    queue.issue_ticket(db, "newborn", now=at("2026-12-01 09:50"))
    queue.issue_ticket(db, "newborn", now=at("2026-12-01 12:30"))
    queue.issue_ticket(db, "newborn", now=at("2026-12-01 13:45"))
    queue.issue_ticket(db, "retirement", now=at("2026-12-01 17:15"))
    later = at("2026-12-01 20:00")

    channel = rows_by_key(statistics.summary(db, TUE, TUE, by="channel", now=later))
    assert channel["appointment"]["arrivals"] == 1 and channel["walk-in"]["arrivals"] == 4

    session = rows_by_key(statistics.summary(db, TUE, TUE, by="session", now=later))
    # 09:50, 13:45 and the booking (it arrives at its 10:00 slot)
    assert session["regular"]["arrivals"] == 3
    assert session["midday"]["arrivals"] == 1
    assert session["evening"]["arrivals"] == 1
