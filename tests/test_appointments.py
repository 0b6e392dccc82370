"""Appointments: slots, real-name booking, one per person per day, cancel, reschedule,
blackouts, check-in, no-shows and blocking (both databases)."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from sqlalchemy import select

from desk_app.services.appointments import booking as appointments
from desk_app.services.appointments import checkin as checkin_svc
from desk_app.services.appointments import quick
from desk_app.services.common import audit
from desk_app.services.common.errors import Refused
from desk_app.services.hall import setup as hall
from desk_app.store.appointment_models import Appointment
from tests.appt_tools import at, calendar_hall, person
from tests.ids import mistyped

TUE = date(2026, 12, 1)
MON_10 = at("2026-11-30 10:00")


def book(db, n: int, day: date = TUE, time: str = "09:00", **kw):  # type: ignore[no-untyped-def]
    return appointments.book(
        db,
        kw.pop("service", "newborn"),
        day,
        time,
        f"预约人{n}",
        person(n),
        now=kw.pop("now", MON_10),
        **kw,
    )


def left(db, day: date, start: str) -> int:
    return next(
        s.left for s in appointments.slots(db, "newborn", day) if s.to_json()["start"] == start
    )


def test_slots_follow_the_calendar_and_the_places(db):
    calendar_hall(db)
    rows = [s.to_json() for s in appointments.slots(db, "newborn", TUE)]
    starts = [r["start"] for r in rows]
    assert starts[:3] == ["09:00", "09:30", "10:00"]
    assert "12:00" in starts and "18:30" in starts  # midday and evening sessions
    assert rows[0] == rows[0] | {"capacity": 2, "booked": 0, "left": 2, "online_capacity": 1}
    assert appointments.slots(db, "newborn", date(2026, 12, 6)) == []  # Sunday: closed
    # retirement is not served at midday: no 12:00 slot.
    assert "12:00" not in [s.to_json()["start"] for s in appointments.slots(db, "retirement", TUE)]


def test_booking_is_real_name_sealed_and_masked(db):
    calendar_hall(db)
    v = book(db, 1, phone="13812345678")
    assert v.state == "booked" and v.name.startswith("预") and "*" in v.name
    assert "*" in v.id_no and person(1) not in v.id_no
    with db.read() as s:
        row = s.scalar(select(Appointment))
        assert person(1) not in row.id_no and "预约人1" not in row.name
        assert row.phone is not None and "13812345678" not in row.phone
    with pytest.raises(Refused, match="校验位"):
        appointments.book(db, "newborn", TUE, "09:30", "某人", mistyped(person(2)), now=MON_10)
    with pytest.raises(Refused, match="姓名"):
        appointments.book(db, "newborn", TUE, "09:30", "  ", person(2), now=MON_10)
    assert left(db, TUE, "09:00") == 1


def test_the_refusals_of_booking(db):
    calendar_hall(db)
    book(db, 1)
    book(db, 2)
    with pytest.raises(Refused, match="已满"):
        book(db, 3)  # two hall places in the 09:00 slot
    with pytest.raises(Refused, match="同一人同一天"):
        book(db, 1, time="10:00")
    with pytest.raises(Refused, match="不开放"):
        book(db, 4, day=date(2026, 12, 6))  # Sunday
    with pytest.raises(Refused, match="个工作日内"):
        book(db, 4, day=date(2026, 12, 8))  # the 6th working day after Monday
    with pytest.raises(Refused, match="个工作日内"):
        book(db, 4, day=date(2026, 11, 30), time="16:00")  # today is not bookable
    with pytest.raises(Refused, match="没有 09:10"):
        book(db, 4, time="09:10")
    assert book(db, 4, day=date(2026, 12, 7)).day == date(2026, 12, 7)  # the 5th: fine
    assert book(db, 5, day=date(2026, 12, 5)).day == date(2026, 12, 5)  # Saturday session


def test_a_full_slot_does_not_cost_the_next_booking_a_new_connection(db):
    if db.is_postgres:
        pytest.skip("SQLite: the program keeps one connection for its hot paths there")
    calendar_hall(db)
    book(db, 1)
    book(db, 2)
    with db.driver_connection() as kept:
        pass
    with pytest.raises(Refused, match="已满"):
        book(db, 3)  # refused on the hot path's connection, which stays kept
    with pytest.raises(Refused, match="同一人同一天"):
        book(db, 1, time="10:00")  # the hot path hands this one to the full version
    assert book(db, 3, time="10:00").state == "booked"
    with db.driver_connection() as again:
        assert again is kept


def test_a_driver_error_on_the_hot_path_drops_its_connection_and_the_full_version_books(
    db, monkeypatch
):
    if db.is_postgres:
        pytest.skip("SQLite: the program keeps one connection for its hot paths there")
    calendar_hall(db)
    with db.driver_connection() as kept:
        pass

    def failing(*_args):  # type: ignore[no-untyped-def]
        raise quick._Back from sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(quick._LiteSteps, "_write", failing)
    assert book(db, 1).state == "booked"  # by the full version
    with db.driver_connection() as again:
        assert again is not kept


def test_cancel_gives_the_place_back_and_the_person_only_until_two_hours_before(db):
    calendar_hall(db)
    a = book(db, 1)
    with pytest.raises(Refused, match="2 小时"):
        appointments.cancel(db, a.code, by_person=True, now=at("2026-12-01 07:30"))
    appointments.cancel(db, a.code, reason="家中有事", now=at("2026-12-01 07:30"))  # staff
    assert left(db, TUE, "09:00") == 2
    with pytest.raises(Refused):
        appointments.cancel(db, a.code, now=at("2026-12-01 07:31"))
    b = book(db, 1)  # the person may book that day again
    appointments.cancel(db, b.code, by_person=True, now=at("2026-12-01 06:59"))


def test_reschedule_takes_the_new_place_before_releasing_the_old(db):
    calendar_hall(db)
    a = book(db, 1)
    book(db, 2, time="10:00")
    book(db, 3, time="10:00")
    with pytest.raises(Refused, match="已满"):
        appointments.reschedule(db, a.code, TUE, "10:00", now=MON_10)
    assert left(db, TUE, "09:00") == 1  # unchanged: the failed move released nothing
    moved = appointments.reschedule(db, a.code, date(2026, 12, 2), "14:00", now=MON_10)
    assert (moved.code, moved.day, moved.to_json()["start"]) == (a.code, date(2026, 12, 2), "14:00")
    assert left(db, TUE, "09:00") == 2
    assert left(db, date(2026, 12, 2), "14:00") == 1
    with pytest.raises(Refused, match="同一人同一天"):
        other = book(db, 1, day=date(2026, 12, 3))
        appointments.reschedule(db, other.code, date(2026, 12, 2), "09:00", now=MON_10)


def test_a_blackout_stops_new_bookings_and_lists_but_keeps_the_existing(db):
    calendar_hall(db)
    a = book(db, 1)
    b = book(db, 2, time="09:30")
    c = book(db, 3, time="14:00")
    affected = appointments.add_blackout(
        db, at("2026-12-01 09:00"), at("2026-12-01 12:00"), "系统升级", now=MON_10
    )
    assert affected == [a.code, b.code]  # by slot, for the phone calls
    assert c.code not in affected
    with pytest.raises(Refused, match="暂停预约"):
        book(db, 4, time="10:00")
    listed = {v.code: v.state for v in checkin_svc.list_day(db, TUE, now=MON_10)}
    assert listed == {a.code: "booked", b.code: "booked", c.code: "booked"}


def test_check_in_window_and_the_ticket(db):
    calendar_hall(db)
    a = book(db, 1, time="10:00")
    with pytest.raises(Refused, match="09:30 起"):
        checkin_svc.checkin(db, code=a.code, now=at("2026-12-01 09:29"))
    r = checkin_svc.checkin(db, code=a.code.lower(), now=at("2026-12-01 09:40"))
    j = r.to_json()
    assert j["appointment"] == a.code and j["number"] == "A001" and j["priority"] == "appointment"
    with pytest.raises(Refused, match="已签到"):
        checkin_svc.checkin(db, code=a.code, now=at("2026-12-01 09:41"))
    late = book(db, 2, time="10:00")
    with pytest.raises(Refused, match="普通号"):
        checkin_svc.checkin(db, code=late.code, now=at("2026-12-01 10:16"))
    assert {v.code: v.state for v in checkin_svc.list_day(db, TUE, now=at("2026-12-01 10:16"))} == {
        a.code: "checked_in",
        late.code: "no_show",
    }


def test_two_no_shows_in_30_days_block_and_a_supervisor_unblocks(db):
    calendar_hall(db)
    first = book(db, 1)
    assert checkin_svc.sweep(db, now=at("2026-12-01 09:16")) == 1
    second = book(db, 1, day=date(2026, 12, 2), now=at("2026-12-01 10:00"))
    assert second.warning and "再次爽约" in second.warning and first.code != second.code
    assert checkin_svc.sweep(db, now=at("2026-12-02 09:20")) == 1
    with pytest.raises(Refused, match="暂停预约"):
        book(db, 1, day=date(2026, 12, 3), now=at("2026-12-02 10:00"))
    with pytest.raises(Refused, match="理由"):
        checkin_svc.unblock(db, person(1), " ", now=at("2026-12-02 10:00"))
    assert checkin_svc.unblock(db, person(1), "系统故障未能签到", now=at("2026-12-02 10:00")) == 1
    entry = [e for e in audit.entries(db) if e.action == "appt.unblock"][-1].to_json()
    assert entry["detail"]["reason"] == "系统故障未能签到" and person(1) not in str(entry)
    assert book(db, 1, day=date(2026, 12, 3), now=at("2026-12-02 10:01")).state == "booked"
    with pytest.raises(Refused, match="未被暂停"):
        checkin_svc.unblock(db, person(1), "again", now=at("2026-12-02 10:02"))


def test_appointment_settings_are_hall_settings(db):
    calendar_hall(db)
    hall.set_setting(db, "appt_walkin_share", "0")
    hall.set_setting(db, "appt_online_share", "0")
    assert appointments.slots(db, "newborn", TUE)[0].capacity == 6
    with pytest.raises(Refused):
        hall.set_setting(db, "appt_walkin_share", "1.5")
    with pytest.raises(Refused):
        hall.set_setting(db, "appt_slot_minutes", "0")


def test_the_counters_list_sweeps_no_shows_by_itself(db):
    from desk_app.services.appointments import views as appointment_views

    calendar_hall(db)
    a = book(db, 1)
    (row,) = appointment_views.today_for_window(db, 1, now=at("2026-12-01 09:10"))
    assert row.code == a.code and row.state == "booked"
    (row,) = appointment_views.today_for_window(db, 1, now=at("2026-12-01 09:16"))
    assert row.state == "no_show"


def test_key_rotation_reseals_bookings(db, tmp_path, monkeypatch):
    from desk_app.services.common import protection

    calendar_hall(db)
    book(db, 1)
    with db.read() as s:
        before = s.scalar(select(Appointment.id_no))
    monkeypatch.delenv("DESK_APP_KEY")
    key_file = tmp_path / "hall.key"
    monkeypatch.setenv("DESK_APP_KEY_FILE", str(key_file))
    from desk_app.security.keys import create_key_file

    create_key_file(key_file)
    protection.reset()
    try:
        _rotate_and_read(db, before)
    finally:
        protection.reset()  # the suite's key again once the environment is restored


def _rotate_and_read(db, before: str) -> None:  # type: ignore[no-untyped-def]
    from desk_app.services.accounts import key_rotation
    from desk_app.services.common import protection

    a = book(db, 2)  # sealed under the file's first key
    with db.begin() as s:  # the first booking, under the suite's key, is unreadable here: drop
        s.execute(Appointment.__table__.delete().where(Appointment.id_no == before))
    key_rotation.rotate_key(db)
    protection.reset()
    (view,) = checkin_svc.list_day(db, TUE, now=MON_10)
    assert view.code == a.code and view.id_no.endswith(person(2)[-4:])
    with db.read() as s:
        assert protection.cipher().key_id_of(s.scalar(select(Appointment.id_no))) == "k2"


def test_checking_in_by_id_needs_the_phones_last_four_and_tells_nothing_without_them(db):
    """The kiosk is public: an ID number alone must not say whether its holder is booked."""
    from desk_app.services.common.errors import NotFound

    calendar_hall(db)
    booked = book(db, 1, time="10:00", phone="13812345678")
    book(db, 2, time="10:00")  # booked without a phone: by code only
    nine_40 = at("2026-12-01 09:40")
    with pytest.raises(Refused, match="后四位"):
        checkin_svc.checkin(db, id_no=person(1), now=nine_40)
    answers = []
    for id_no, digits in ((person(1), "0000"), (person(3), "5678"), (person(2), "5678")):
        with pytest.raises(NotFound) as exc:
            checkin_svc.checkin(db, id_no=id_no, phone_last4=digits, now=nine_40)
        answers.append(str(exc.value))
    assert len(set(answers)) == 1  # wrong digits, nobody booked, no phone: the same words
    assert "10:00" not in answers[0] and "预约码" not in answers[0]
    r = checkin_svc.checkin(db, id_no=person(1), phone_last4="5678", now=nine_40)
    assert r.appointment == booked.code and r.ticket.number == "A001"
