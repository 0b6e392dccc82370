"""Working-day deadlines: official holidays, 调休 weekends, overrides, and years without data."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import chinese_calendar
import pytest

from desk_app.domain.workdays import (
    CalendarSource,
    HolidayDataError,
    WorkCalendar,
    load_year_file,
    package_years,
)
from desk_app.paths import resources_dir

HOLIDAYS_DIR = resources_dir() / "holidays"
D = dt.date


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return WorkCalendar.load()


@pytest.fixture
def override_only(tmp_path: Path) -> WorkCalendar:
    """Only the shipped 2026 override: every other year deterministically lacks data."""
    shutil.copy(HOLIDAYS_DIR / "2026.json", tmp_path / "2026.json")
    return WorkCalendar.load(tmp_path, use_package=False)


def test_national_day_deadline(calendar):
    # 09-25..27 中秋 and 10-01..07 国庆 off: Thu 09-24 + 5 working days is Fri 10-09.
    result = calendar.add_workdays(D(2026, 9, 24), 5)
    assert result.date == D(2026, 10, 9)
    assert result.source is CalendarSource.OFFICIAL == "official"


def test_same_deadline_from_override_alone_and_package_alone(override_only, tmp_path):
    assert override_only.add_workdays(D(2026, 9, 24), 5).date == D(2026, 10, 9)
    package_only = WorkCalendar.load(tmp_path / "no_overrides")  # missing directory: no override
    assert package_only.year_data(2026).origin.startswith("chinesecalendar")
    assert package_only.add_workdays(D(2026, 9, 24), 5).date == D(2026, 10, 9)


def test_shipped_2026_override_agrees_with_chinesecalendar(override_only):
    if 2026 not in package_years():
        pytest.skip("the installed chinesecalendar has no 2026 data to compare with")
    assert override_only.year_data(2026).origin == "override 2026.json"
    day = D(2026, 1, 1)
    while day.year == 2026:
        assert override_only.is_workday(day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "works"),
    [
        (D(2026, 9, 20), True),  # Sunday, 调休 working day
        (D(2026, 10, 10), True),  # Saturday, 调休 working day
        (D(2026, 9, 25), False),  # Friday, 中秋
        (D(2026, 10, 8), True),  # Thursday after 国庆
        (D(2026, 10, 3), False),  # Saturday inside 国庆
        (D(2026, 2, 14), True),  # Saturday before 春节
        (D(2026, 11, 28), False),  # an ordinary Saturday
        (D(2099, 1, 1), True),  # no data: a Thursday is a working day, even on New Year
        (D(2099, 1, 3), False),  # no data: Saturday
    ],
)
def test_is_workday(calendar, day, works):
    assert calendar.is_workday(day) is works


def test_year_without_data_counts_weekends_only(calendar):
    assert not calendar.has_data(2099)
    result = calendar.add_workdays(D(2099, 1, 1), 5)  # a Thursday
    assert result.date == D(2099, 1, 8)
    assert result.source is CalendarSource.WEEKENDS_ONLY == "weekends-only"


def test_crossing_into_a_year_without_data_says_weekends_only(override_only):
    result = override_only.add_workdays(D(2026, 12, 30), 3)  # Wed: Thu, Fri, then Mon 2027-01-04
    assert result.date == D(2027, 1, 4)
    assert result.source is CalendarSource.WEEKENDS_ONLY
    inside = override_only.add_workdays(D(2026, 12, 28), 3)  # stays in 2026
    assert (inside.date, inside.source) == (D(2026, 12, 31), CalendarSource.OFFICIAL)


def test_start_day_is_not_counted(override_only):
    # From 2025-12-31 (no data in this calendar) only 2026 days are counted: official.
    # 01-01..03 off, Sunday 01-04 is a 调休 working day.
    result = override_only.add_workdays(D(2025, 12, 31), 1)
    assert (result.date, result.source) == (D(2026, 1, 4), CalendarSource.OFFICIAL)
    # A working start day is still day 0.
    assert override_only.add_workdays(D(2026, 11, 26), 1).date == D(2026, 11, 27)


def test_zero_and_negative(calendar):
    assert calendar.add_workdays(D(2026, 10, 3), 0).date == D(2026, 10, 3)
    with pytest.raises(ValueError):
        calendar.add_workdays(D(2026, 10, 3), -1)


def test_datetime_is_taken_as_its_day(calendar):
    at = dt.datetime(2026, 9, 24, 16, 30)
    assert calendar.add_workdays(at, 5).date == D(2026, 10, 9)
    assert calendar.is_workday(dt.datetime(2026, 10, 10, 9, 0))


def test_workdays_between(calendar):
    between = calendar.workdays_between(D(2026, 9, 24), D(2026, 10, 9))
    assert (between.days, between.source) == (5, CalendarSource.OFFICIAL)
    assert calendar.workdays_between(D(2026, 10, 9), D(2026, 9, 24)).days == -5
    assert calendar.workdays_between(D(2026, 10, 9), D(2026, 10, 9)).days == 0
    assert calendar.workdays_between(D(2099, 1, 1), D(2099, 1, 8)).source == "weekends-only"


@pytest.mark.parametrize("start", [D(2026, 1, 1), D(2026, 2, 13), D(2026, 9, 19), D(2026, 12, 20)])
@pytest.mark.parametrize("n", [1, 3, 10, 25])
def test_between_inverts_add(calendar, start, n):
    deadline = calendar.add_workdays(start, n).date
    assert calendar.is_workday(deadline)
    assert calendar.workdays_between(start, deadline).days == n


# -- override files -------------------------------------------------------------------------------


def test_override_wins_over_the_package(tmp_path):
    extra = {"year": 2025, "holidays": ["2025-03-03"], "workdays": []}  # an invented holiday
    (tmp_path / "2025.json").write_text(json.dumps(extra), encoding="utf-8")
    assert chinese_calendar.is_workday(D(2025, 3, 3))
    calendar = WorkCalendar.load(tmp_path)
    assert not calendar.is_workday(D(2025, 3, 3))
    # The override replaces the whole year: the package's 2025 National Day is gone too.
    assert calendar.is_workday(D(2025, 10, 1))
    assert calendar.year_data(2024).origin.startswith("chinesecalendar")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"year": 2026, "holidays": ["2026-02-30"], "workdays": []}, "holidays[0]"),
        ({"year": 2026, "holidays": ["2027-01-01"], "workdays": []}, "holidays[0]"),
        (
            {
                "year": 2026,
                "holidays": [{"from": "2026-10-07", "to": "2026-10-01"}],
                "workdays": [],
            },
            "holidays[0].to",
        ),
        (
            {"year": 2026, "holidays": [{"start": "2026-10-01"}], "workdays": []},
            "holidays[0].start",
        ),
        ({"year": 2026, "holidays": ["2026-10-01"], "workdays": ["2026-10-01"]}, "workdays"),
        ({"year": "2026", "holidays": [], "workdays": []}, "year"),
        ({"year": 2026, "holidays": [], "workday": []}, "workday"),
        ({"year": 2026, "holidays": "2026-10-01", "workdays": []}, "holidays"),
    ],
)
def test_bad_override_names_file_and_field(tmp_path, data, field):
    file = tmp_path / "2026.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(HolidayDataError) as info:
        load_year_file(file)
    assert info.value.file == "2026.json" and info.value.field == field
    assert str(info.value).startswith(f"2026.json: {field}: ")


def test_two_overrides_for_one_year_are_refused(tmp_path):
    shutil.copy(HOLIDAYS_DIR / "2026.json", tmp_path / "2026.json")
    shutil.copy(HOLIDAYS_DIR / "2026.json", tmp_path / "2026-copy.json")
    with pytest.raises(HolidayDataError, match="2026"):
        WorkCalendar.load(tmp_path)
