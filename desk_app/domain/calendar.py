"""The hall's opening calendar: regular hours and extended sessions (延时服务), pure rules.

A session is a kind (regular, midday, evening, saturday, special), a time range in the hall's
local time, the days it runs (weekdays, or one date) and optionally the services and windows it
serves (empty = all). Which sessions run on a date:

- a session set for that very date always runs, even on an official holiday;
- an official holiday (a weekday or a weekend day inside a holiday range) is otherwise closed;
- a 调休 working weekend day is an ordinary workday: it gets the sessions set for *every*
  weekday Monday to Friday (regular hours, a daily midday session), not those of one weekday;
- any other day gets the sessions whose weekdays include it.

A hall without any session set has no calendar: :data:`DEFAULT_REGULAR` describes its hours for
display and appointment slots, but the queue issues tickets at any time, as it always did.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from desk_app.domain import clock
from desk_app.domain.workdays import WorkCalendar

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MON_FRI = 0b0011111


class SessionKind(StrEnum):
    REGULAR = "regular"
    MIDDAY = "midday"  # 午间延时
    EVENING = "evening"  # 晚间延时
    SATURDAY = "saturday"  # 周六专场
    SPECIAL = "special"  # a special date


KIND_LABELS_ZH = {
    SessionKind.REGULAR: "正常办公",
    SessionKind.MIDDAY: "午间延时服务",
    SessionKind.EVENING: "晚间延时服务",
    SessionKind.SATURDAY: "周六专场",
    SessionKind.SPECIAL: "专场服务",
}


class CalendarError(ValueError):
    """A days/time specification that cannot be read; Chinese and English halves."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.message_zh, self.message_en = zh, en


@dataclass(frozen=True)
class Session:
    """One opening session (the domain's view of a calendar_sessions row)."""

    kind: SessionKind
    start_min: int
    end_min: int
    weekdays: int = 0  # Monday = bit 0
    on_date: date | None = None
    services: tuple[str, ...] = ()  # empty: every service
    windows: tuple[int, ...] = ()  # empty: every window
    id: int | None = None
    days: str = ""

    def serves(self, service_code: str) -> bool:
        return not self.services or service_code in self.services

    def runs_on_weekday(self, weekday: int) -> bool:
        return bool(self.weekdays >> weekday & 1)

    @property
    def extended(self) -> bool:
        return self.kind is not SessionKind.REGULAR

    def start_on(self, day: date) -> datetime:
        return at_minute(day, self.start_min)

    def end_on(self, day: date) -> datetime:
        return at_minute(day, self.end_min)


DEFAULT_REGULAR: tuple[Session, ...] = (
    Session(SessionKind.REGULAR, 9 * 60, 12 * 60, MON_FRI, days="mon-fri"),
    Session(SessionKind.REGULAR, 13 * 60 + 30, 17 * 60, MON_FRI, days="mon-fri"),
)


def at_minute(day: date, minute: int) -> datetime:
    """The instant (aware UTC) of a minute of a hall day."""
    local = datetime.combine(day, time(0), tzinfo=clock.HALL_TZ) + timedelta(minutes=minute)
    return local.astimezone(UTC)


def minute_of(at: datetime) -> int:
    """Minutes after the hall's local midnight of an instant."""
    t = clock.local(at)
    return t.hour * 60 + t.minute


def parse_hhmm(text: str) -> int:
    m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    if not m:
        raise CalendarError(f"时间格式应为 HH:MM: {text!r}", f"time must be HH:MM: {text!r}")
    return int(m.group(1)) * 60 + int(m.group(2))


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def parse_days(text: str) -> tuple[int, date | None]:
    """``mon-fri``, ``sat``, ``tue,thu`` (a weekday mask) or ``YYYY-MM-DD`` (one date)."""
    from desk_app.domain.validators import date_window_message, sane_date

    raw = text.strip().lower()
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        pass
    else:
        if not sane_date(day):
            raise CalendarError(*date_window_message("日期", "the date", text))
        return 0, day
    mask = 0
    for part in raw.split(","):
        first, _, last = part.strip().partition("-")
        if first not in WEEKDAY_NAMES or (last and last not in WEEKDAY_NAMES):
            raise CalendarError(
                f"日期应为 mon-fri、sat、tue,thu 或 YYYY-MM-DD: {text!r}",
                f"--days must be like mon-fri, sat, tue,thu or YYYY-MM-DD: {text!r}",
            )
        a = WEEKDAY_NAMES.index(first)
        b = WEEKDAY_NAMES.index(last) if last else a
        if b < a:
            raise CalendarError(f"星期范围颠倒: {part}", f"weekday range reversed: {part}")
        for d in range(a, b + 1):
            mask |= 1 << d
    return mask, None


@dataclass(frozen=True)
class DayPlan:
    """What the calendar says about one day."""

    day: date
    workday: bool
    holiday: bool  # an official holiday (closed unless a session is set for the date)
    sessions: tuple[Session, ...] = field(default_factory=tuple)

    @property
    def open(self) -> bool:
        return bool(self.sessions)


def plan_for(day: date, sessions: Sequence[Session], work: WorkCalendar) -> DayPlan:
    """The sessions that run on ``day`` (module docstring), sorted by start."""
    workday = work.is_workday(day)
    weekend = day.weekday() >= 5
    holiday = not workday and not weekend
    data = work.year_data(day.year)
    if data is not None and day in data.holidays:
        holiday = True
    dated = [s for s in sessions if s.on_date == day]
    if dated or holiday:
        chosen = dated
    elif workday and weekend:  # 调休: an ordinary workday
        chosen = [s for s in sessions if s.on_date is None and s.weekdays & MON_FRI == MON_FRI]
    else:
        chosen = [s for s in sessions if s.on_date is None and s.runs_on_weekday(day.weekday())]
    return DayPlan(day, workday, holiday, tuple(sorted(chosen, key=lambda s: s.start_min)))


def session_at(plan: DayPlan, at: datetime) -> Session | None:
    """The session running at an instant of the plan's day (the latest-starting one wins when
    two overlap, so an extended session is named over the regular one it continues)."""
    if clock.hall_day(at) != plan.day:
        return None
    m = minute_of(at)
    running = [s for s in plan.sessions if s.start_min <= m < s.end_min]
    return max(running, key=lambda s: s.start_min) if running else None


def session_kind_at(session: Session | None, at: datetime | None = None) -> str:
    """The kind of the session (``regular|midday|evening|saturday|special``); ``regular`` for
    an instant outside any session (a hall without a calendar works regular hours)."""
    del at  # the session already belongs to the instant; kept for callers' symmetry
    return str(session.kind) if session is not None else SessionKind.REGULAR.value


def open_end(plan: DayPlan, at: datetime) -> datetime | None:
    """When the opening containing ``at`` ends: back-to-back or overlapping sessions (regular
    hours then a midday session then the afternoon) count as one opening."""
    s = session_at(plan, at)
    if s is None:
        return None
    end = s.end_min
    changed = True
    while changed:
        changed = False
        for other in plan.sessions:
            if other.start_min <= end < other.end_min:
                end, changed = other.end_min, True
    return at_minute(plan.day, end)


def next_opening(
    at: datetime, sessions: Sequence[Session], work: WorkCalendar, *, days: int = 31
) -> tuple[datetime, Session] | None:
    """The next session start after ``at`` (today's later sessions first), within ``days``."""
    day = clock.hall_day(at)
    for offset in range(days + 1):
        d = day + timedelta(days=offset)
        for s in plan_for(d, sessions, work).sessions:
            start = s.start_on(d)
            if start > at:
                return start, s
    return None


def slot_starts(sessions: Iterable[Session], service: str, length: int) -> list[tuple[int, int]]:
    """(start, end) minutes of the appointment slots of a service on a day: each session that
    serves it cut into slots of ``length`` minutes (a remainder too short for a slot is left to
    walk-ins); overlapping sessions give each slot once."""
    seen: dict[int, int] = {}
    for s in sessions:
        if not s.serves(service):
            continue
        m = s.start_min
        while m + length <= s.end_min:
            seen.setdefault(m, m + length)
            m += length
    return sorted(seen.items())


def session_from_row(row: Any) -> Session:
    """A session from a ``calendar_sessions`` row (anything with its columns as attributes)."""
    return Session(
        SessionKind(row.kind),
        row.start_min,
        row.end_min,
        row.weekdays or 0,
        row.on_date,
        tuple(c for c in row.services.split(",") if c),
        tuple(int(n) for n in row.windows.split(",") if n),
        row.id,
        row.days,
    )


@dataclass(frozen=True)
class Opening:
    """The hall right now, for the kiosk and the display."""

    issuing: bool  # tickets may be taken now (always, for a hall without a calendar)
    kind: str | None = None  # the running session's kind
    label: str | None = None  # 午间延时服务 ...
    closes_at: datetime | None = None  # when the opening ends
    stops_at: datetime | None = None  # when ticket issuing stops
    next_at: datetime | None = None  # the next opening, when closed
    next_label: str | None = None
    services: tuple[str, ...] = ()  # served now (empty: all)
    session_ends_at: datetime | None = None  # the running session's own end

    @property
    def extended(self) -> bool:
        return self.kind not in (None, SessionKind.REGULAR.value)

    def issues(self, service_code: str) -> bool:
        """Whether a ticket for this service may be taken now."""
        return self.issuing and (not self.services or service_code in self.services)


def opening_at(
    sessions: Sequence[Session],
    now: datetime,
    work: WorkCalendar,
    kiosk_stop_min: Callable[[], int],
) -> Opening:
    """The hall at ``now`` under its (non-empty) calendar: issuing stops ``kiosk_stop_min()``
    minutes before an opening ends (asked only when a session runs)."""
    plan = plan_for(clock.hall_day(now), sessions, work)
    current = session_at(plan, now)
    if current is not None:
        closes = open_end(plan, now)
        assert closes is not None
        stops = closes - timedelta(minutes=kiosk_stop_min())
        if now < stops:
            running = [x for x in plan.sessions if x.start_on(plan.day) <= now < x.end_on(plan.day)]
            served: tuple[str, ...] = ()
            if all(x.services for x in running):
                served = tuple(sorted({c for x in running for c in x.services}))
            return Opening(
                True,
                current.kind.value,
                KIND_LABELS_ZH[current.kind],
                closes,
                stops,
                services=served,
                session_ends_at=current.end_on(plan.day),
            )
    nxt = next_opening(now, sessions, work)
    if nxt is None:
        return Opening(False)
    return Opening(False, next_at=nxt[0], next_label=KIND_LABELS_ZH[nxt[1].kind])
