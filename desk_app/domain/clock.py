"""The hall's clock: timestamps are UTC, days and hours are the hall's local time."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

HALL_TZ = ZoneInfo(os.environ.get("DESK_APP_TZ", "Asia/Shanghai"))


class ClockError(ValueError):
    """DESK_APP_NOW is set but is not an ISO-8601 instant."""


def fixed_now() -> datetime | None:
    """The instant ``DESK_APP_NOW`` fixes the hall's clock at, or None when it is not set.

    For demos, training and tests: every reading of the clock is that instant (the clock does not
    run). A value without an offset is the hall's local time; a value that is not ISO-8601 stops
    the program with a clear error rather than silently using the real time.
    """
    raw = os.environ.get("DESK_APP_NOW", "").strip()
    if not raw:
        return None
    try:
        at = datetime.fromisoformat(raw)
    except ValueError:
        raise ClockError(
            f"DESK_APP_NOW={raw!r} is not an ISO-8601 instant (e.g. 2026-12-01T09:30:00+08:00)"
        ) from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=HALL_TZ)
    return at.astimezone(UTC)


def now() -> datetime:
    """The current instant, timezone-aware UTC (``DESK_APP_NOW`` fixes it)."""
    return fixed_now() or datetime.now(UTC)


def real_now() -> datetime:
    """The computer's own clock, timezone-aware UTC, whatever ``DESK_APP_NOW`` says: the clock of
    security (lockout, log-in sessions, the audit trail's own time), which a setting in the
    environment must not be able to turn."""
    return datetime.now(UTC)


def today() -> date:
    """The hall's calendar day now."""
    return hall_day(now())


def hall_day(at: datetime) -> date:
    """The hall's calendar day of an instant (ticket numbering restarts on it)."""
    return at.astimezone(HALL_TZ).date()


def local(at: datetime) -> datetime:
    """An instant in the hall's local time, for display and hourly statistics."""
    return at.astimezone(HALL_TZ)


def iso(at: datetime | None) -> str | None:
    """ISO-8601 with the hall's offset (e.g. 2026-11-27T09:05:00+08:00)."""
    return None if at is None else at.astimezone(HALL_TZ).isoformat(timespec="seconds")


def day_start(day: date) -> datetime:
    """The instant the hall's day begins (local midnight), as aware UTC."""
    return datetime.combine(day, datetime.min.time(), tzinfo=HALL_TZ).astimezone(UTC)
