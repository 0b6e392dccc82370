"""Working days for time limits (办结时限): weekends off, official holidays off, 调休 days on.

Data per year, first match wins:

1. an override file ``resources/holidays/<anything>.json`` for that year (format below), so a
   hall can follow a newly published State Council notice before the package is updated;
2. the chinesecalendar package (official holidays and 调休 working weekends, 2004 up to the
   last year it knows);
3. nothing: weekends only, and every result says so (source "weekends-only").

Override format::

    {"year": 2026,
     "source": "国务院办公厅关于2026年部分节假日安排的通知",
     "holidays": [{"from": "2026-10-01", "to": "2026-10-07", "name": "国庆节"}, "2026-09-25"],
     "workdays": ["2026-09-20", "2026-10-10"],
     "notes": "..."}

``holidays`` lists days off (single dates or inclusive ranges, weekend days inside a range are
allowed), ``workdays`` the 调休 weekend days that are worked. The file's data replaces the
package's for its year entirely.

Counting rule: the start day itself is never counted (the day a case is accepted is day 0, even
when it is a working day); the deadline of n working days is the n-th working day after it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

ONE_DAY = dt.timedelta(days=1)


class CalendarSource(StrEnum):
    OFFICIAL = "official"  # every year involved has holiday data
    WEEKENDS_ONLY = "weekends-only"  # some year has none: only Saturdays and Sundays are off


class HolidayDataError(ValueError):
    """An override file is malformed; names the file and the field."""

    def __init__(self, file: str, field: str, message: str) -> None:
        super().__init__(f"{file}: {field}: {message}" if field else f"{file}: {message}")
        self.file = file
        self.field = field
        self.message = message


@dataclass(frozen=True)
class YearCalendar:
    """One year's official data."""

    year: int
    holidays: frozenset[dt.date]  # days off (some may fall on weekends: harmless)
    workdays: frozenset[dt.date]  # 调休: weekend days that are working days
    origin: str  # e.g. "chinesecalendar 1.11.0" or "override 2026.json"


@dataclass(frozen=True)
class WorkdayResult:
    """A deadline and whether it was computed with official holidays."""

    date: dt.date
    source: CalendarSource


@dataclass(frozen=True)
class WorkdayCount:
    """A number of working days and whether official holidays were known for all of them."""

    days: int
    source: CalendarSource


class WorkCalendar:
    """Working days from per-year holiday data; years without data fall back to weekends."""

    def __init__(self, years: Mapping[int, YearCalendar] | None = None) -> None:
        self._years: dict[int, YearCalendar] = dict(years or {})

    @classmethod
    def load(
        cls, holidays_dir: Path | str | None = None, *, use_package: bool = True
    ) -> WorkCalendar:
        """The package's data (unless ``use_package`` is False) overridden by the files of
        ``holidays_dir`` (default ``resources/holidays``; a missing directory is no override).

        Raises HolidayDataError for a malformed override file or two files for one year.
        """
        years = package_years() if use_package else {}
        directory = Path(holidays_dir) if holidays_dir is not None else _default_dir()
        overridden: dict[int, str] = {}
        for file in sorted(directory.glob("*.json")) if directory.is_dir() else []:
            data = load_year_file(file)
            if data.year in overridden:
                raise HolidayDataError(
                    file.name, "year", f"{data.year} is also in {overridden[data.year]}"
                )
            overridden[data.year] = file.name
            years[data.year] = data
        return cls(years)

    def year_data(self, year: int) -> YearCalendar | None:
        """The data used for a year, or None (weekends only)."""
        return self._years.get(year)

    def has_data(self, year: int) -> bool:
        """Whether official holidays are known for the year."""
        return year in self._years

    @property
    def years(self) -> tuple[int, ...]:
        """The years with data, ascending."""
        return tuple(sorted(self._years))

    def is_workday(self, day: dt.date) -> bool:
        """Whether the hall works that day (for a year without data: Monday to Friday)."""
        day = _as_date(day)
        data = self._years.get(day.year)
        if data is not None:
            if day in data.workdays:
                return True
            if day in data.holidays:
                return False
        return day.weekday() < 5

    def add_workdays(self, start: dt.date, n: int) -> WorkdayResult:
        """The n-th working day after ``start`` (start not counted; n = 0 gives start).

        ``source`` is "weekends-only" if any year of the days counted lacks data.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        first = _as_date(start)
        day = first
        counted = 0
        while counted < n:
            day += ONE_DAY
            if self.is_workday(day):
                counted += 1
        return WorkdayResult(day, self._source(_years_crossed(first, day)))

    def workdays_between(self, start: dt.date, end: dt.date) -> WorkdayCount:
        """Working days in (start, end]: add_workdays(start, k).date == end gives k.

        Negative when end is before start (e.g. days still left before a deadline).
        """
        a, b = _as_date(start), _as_date(end)
        sign = 1
        if b < a:
            a, b, sign = b, a, -1
        count = 0
        day = a
        while day < b:
            day += ONE_DAY
            if self.is_workday(day):
                count += 1
        return WorkdayCount(sign * count, self._source(_years_crossed(a, b)))

    def _source(self, years: Iterable[int]) -> CalendarSource:
        if all(self.has_data(y) for y in years):
            return CalendarSource.OFFICIAL
        return CalendarSource.WEEKENDS_ONLY


def _years_crossed(start: dt.date, end: dt.date) -> range:
    """The years of the days counted, (start, end]; start's year when nothing is counted."""
    if end <= start:
        return range(start.year, start.year + 1)
    return range((start + ONE_DAY).year, end.year + 1)


def _as_date(day: dt.date) -> dt.date:
    # A datetime is a date subclass but never equal to one: compare calendar days only.
    return day.date() if isinstance(day, dt.datetime) else day


def _default_dir() -> Path:
    from desk_app.paths import resources_dir

    return resources_dir() / "holidays"


def package_years() -> dict[int, YearCalendar]:
    """The chinesecalendar package's data per year ({} if the package is not installed)."""
    try:
        import chinese_calendar  # type: ignore[import-untyped]  # the package ships no types
    except ImportError:
        return {}
    origin = f"chinesecalendar {getattr(chinese_calendar, '__version__', '?')}"
    holidays: dict[int, set[dt.date]] = {}
    workdays: dict[int, set[dt.date]] = {}
    for day in chinese_calendar.holidays:
        holidays.setdefault(day.year, set()).add(day)
    for day in chinese_calendar.workdays:
        workdays.setdefault(day.year, set()).add(day)
    if not holidays:
        return {}
    # The package supports every year between its first and last (it says so itself).
    first, last = min(holidays), max(holidays)
    return {
        year: YearCalendar(
            year,
            frozenset(holidays.get(year, ())),
            frozenset(workdays.get(year, ())),
            origin,
        )
        for year in range(first, last + 1)
    }


def load_year_file(path: Path | str) -> YearCalendar:
    """Read and check one override file; HolidayDataError names the file and field."""
    path = Path(path)
    name = path.name
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise HolidayDataError(name, "", f"cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise HolidayDataError(name, "", f"invalid JSON at line {exc.lineno}: {exc.msg}") from None
    if not isinstance(raw, dict):
        raise HolidayDataError(name, "", "expected an object")
    unknown = set(raw) - {"year", "source", "holidays", "workdays", "notes", "$schema"}
    if unknown:
        raise HolidayDataError(name, sorted(unknown)[0], "unknown field")
    year = raw.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2999:
        raise HolidayDataError(name, "year", "expected a year such as 2026")
    off = _dates(name, "holidays", raw.get("holidays"), year)
    on = _dates(name, "workdays", raw.get("workdays"), year)
    both = sorted(off & on)
    if both:
        raise HolidayDataError(name, "workdays", f"{both[0]} is also a holiday")
    return YearCalendar(year, frozenset(off), frozenset(on), f"override {name}")


def _dates(file: str, key: str, raw: Any, year: int) -> set[dt.date]:
    if not isinstance(raw, list):
        raise HolidayDataError(file, key, "expected a list of dates or {from, to} ranges")
    days: set[dt.date] = set()
    for i, element in enumerate(raw):
        path = f"{key}[{i}]"
        if isinstance(element, dict):
            unknown = set(element) - {"from", "to", "name"}
            if unknown:
                raise HolidayDataError(file, f"{path}.{sorted(unknown)[0]}", "unknown field")
            first = _date(file, f"{path}.from", element.get("from"), year)
            last = _date(file, f"{path}.to", element.get("to"), year)
            if last < first:
                raise HolidayDataError(file, f"{path}.to", "before from")
        else:
            first = last = _date(file, path, element, year)
        day = first
        while day <= last:
            days.add(day)
            day += ONE_DAY
    return days


def _date(file: str, path: str, raw: Any, year: int) -> dt.date:
    try:
        day = dt.date.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        day = None
    if day is None:
        raise HolidayDataError(file, path, "expected a date YYYY-MM-DD")
    if day.year != year:
        raise HolidayDataError(file, path, f"{day} is not in {year}")
    return day
