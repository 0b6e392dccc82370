"""The opening calendar: which sessions run on a day, holidays and 调休, the kiosk following it."""

from __future__ import annotations

from datetime import date

import pytest

from desk_app.domain.calendar import CalendarError, Session, SessionKind, parse_days, plan_for
from desk_app.domain.workdays import WorkCalendar
from desk_app.services.common.errors import Refused
from desk_app.services.hall import calendar
from desk_app.services.queue import operations as queue
from tests.appt_tools import at, calendar_hall

WORK = WorkCalendar.load()


def test_days_are_read_as_weekday_masks_or_one_date():
    assert parse_days("mon-fri") == (0b11111, None)
    assert parse_days("tue,thu") == (0b01010, None)
    assert parse_days("sat") == (0b100000, None)
    assert parse_days("2026-12-24") == (0, date(2026, 12, 24))
    for bad in ("weekdays", "fri-mon", "2026-13-01x"):
        with pytest.raises(CalendarError):
            parse_days(bad)


REGULAR = Session(SessionKind.REGULAR, 540, 1020, 0b11111)
TUE_EVENING = Session(SessionKind.EVENING, 1020, 1140, 0b00010)
SATURDAY = Session(SessionKind.SATURDAY, 540, 720, 0b100000)
NATIONAL_DAY_SPECIAL = Session(SessionKind.SPECIAL, 540, 720, on_date=date(2026, 10, 2))
ALL = [REGULAR, TUE_EVENING, SATURDAY, NATIONAL_DAY_SPECIAL]


def kinds(day: date) -> list[str]:
    return [str(s.kind) for s in plan_for(day, ALL, WORK).sessions]


def test_holidays_close_unless_a_session_is_set_for_that_date():
    assert kinds(date(2026, 10, 1)) == []  # 国庆, a Thursday
    assert kinds(date(2026, 10, 2)) == ["special"]  # the special session of that very date
    assert kinds(date(2026, 10, 3)) == []  # a Saturday inside the holiday: no Saturday session


def test_tiaoxiu_weekend_days_are_ordinary_workdays():
    # 2026-09-20 (Sunday) and 2026-10-10 (Saturday) are 调休 working days: regular hours only,
    # not the Saturday session, not the Tuesday evening.
    assert kinds(date(2026, 9, 20)) == ["regular"]
    assert kinds(date(2026, 10, 10)) == ["regular"]
    assert plan_for(date(2026, 10, 10), ALL, WORK).workday


def test_weekday_sessions_follow_their_days():
    assert kinds(date(2026, 12, 1)) == ["regular", "evening"]  # Tuesday
    assert kinds(date(2026, 12, 2)) == ["regular"]  # Wednesday
    assert kinds(date(2026, 12, 5)) == ["saturday"]
    assert kinds(date(2026, 12, 6)) == []  # Sunday


def test_calendar_show_names_sessions_and_the_data_source(db):
    calendar_hall(db)
    view = calendar.show(db, date(2026, 12, 1), now=at("2026-11-30 10:00")).to_json()
    assert view["open"] and view["workday"]
    assert view["source"] in ("official", "override")
    assert [(s["kind"], s["from"], s["to"]) for s in view["sessions"]] == [
        ("regular", "09:00", "12:00"),
        ("midday", "12:00", "13:30"),
        ("regular", "13:30", "17:00"),
        ("evening", "17:00", "19:00"),
    ]
    assert view["sessions"][1]["services"] == ["newborn"]
    assert view["sessions"][0]["services"] == ["newborn", "retirement"]  # all
    closed = calendar.show(db, date(2026, 10, 1), now=at("2026-11-30 10:00")).to_json()
    assert closed == closed | {"open": False, "workday": False, "sessions": []}


def test_from_december_a_missing_next_year_is_warned_about(db, monkeypatch):
    from desk_app.services.hall import calendar as cal

    calendar_hall(db)
    assert calendar.show(db, date(2026, 12, 1), now=at("2026-11-30 10:00")).warning is None
    monkeypatch.setattr(cal, "work_calendar", lambda: WorkCalendar({}))
    assert cal.missing_next_year(date(2026, 11, 30)) is None  # not yet December
    warning = cal.missing_next_year(date(2026, 12, 1))
    assert warning is not None and "2027" in warning
    assert calendar.show(db, date(2026, 12, 1), now=at("2026-12-01 10:00")).source == (
        "weekends-only"
    )


def test_a_hall_without_a_calendar_issues_at_any_time(db):
    from desk_app.services.hall import setup as hall

    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    assert queue.issue_ticket(db, "newborn", now=at("2026-12-06 03:00")).number == "A001"


def test_the_kiosk_follows_the_calendar(db):
    calendar_hall(db)
    # Monday night: closed, the refusal names the next opening (Tuesday 09:00).
    with pytest.raises(Refused, match="12-01 09:00"):
        queue.issue_ticket(db, "newborn", now=at("2026-11-30 20:00"))
    assert queue.issue_ticket(db, "newborn", now=at("2026-12-01 09:05")).number == "A001"
    # Midday: the session serves newborn only.
    assert queue.issue_ticket(db, "newborn", now=at("2026-12-01 12:10")).number == "A002"
    with pytest.raises(Refused, match="不办理此业务"):
        queue.issue_ticket(db, "retirement", now=at("2026-12-01 12:10"))
    # Issuing stops 15 minutes (appt_kiosk_stop_min) before an opening ends: Wednesday 17:00.
    assert queue.issue_ticket(db, "newborn", now=at("2026-12-02 16:44")).number == "A001"
    with pytest.raises(Refused, match="暂停取号"):
        queue.issue_ticket(db, "newborn", now=at("2026-12-02 16:46"))
    # Tuesday the evening session continues the afternoon: still issuing at 16:50.
    assert queue.issue_ticket(db, "newborn", now=at("2026-12-01 16:50")).number == "A003"


def test_the_opening_says_when_extended_sessions_run(db):
    calendar_hall(db)
    o = calendar.opening(db, now=at("2026-12-01 17:30"))
    assert o.issuing and o.extended and o.label == "晚间延时服务"
    assert o.session_ends_at == at("2026-12-01 19:00")
    o = calendar.opening(db, now=at("2026-12-01 12:20"))  # midday: its own end, not the day's
    assert o.kind == "midday" and o.session_ends_at == at("2026-12-01 13:30")
    assert o.stops_at == at("2026-12-01 18:45")  # the opening runs on into the evening
    o = calendar.opening(db, now=at("2026-12-01 10:00"))
    assert o.issuing and not o.extended
    o = calendar.opening(db, now=at("2026-12-05 08:00"))
    assert not o.issuing and o.next_label == "周六专场"


def test_session_kind_of_an_instant_for_statistics(db):
    calendar_hall(db)
    with db.read() as s:
        assert calendar.session_kind_at(s, at("2026-12-01 12:30")) == "midday"
        assert calendar.session_kind_at(s, at("2026-12-01 18:00")) == "evening"
        assert calendar.session_kind_at(s, at("2026-12-05 10:00")) == "saturday"
        assert calendar.session_kind_at(s, at("2026-12-01 10:00")) == "regular"


def test_session_add_refuses_bad_input_and_remove_works(db):
    calendar_hall(db)
    with pytest.raises(Refused):
        calendar.add_session(db, "lunch", "mon-fri", "12:00", "13:00")
    with pytest.raises(Refused):
        calendar.add_session(db, "midday", "mon-fri", "13:00", "12:00")
    with pytest.raises(Refused):
        calendar.add_session(db, "midday", "mon-fri", "25:00", "26:00")
    rows = calendar.list_sessions(db)
    assert len(rows) == 5
    calendar.remove_session(db, rows[-1]["id"])
    assert len(calendar.list_sessions(db)) == 4
