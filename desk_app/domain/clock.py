"""The hall's clock: timestamps are UTC, days and hours are the hall's local time."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

HALL_TZ = ZoneInfo(os.environ.get("DESK_APP_TZ", "Asia/Shanghai"))


def now() -> datetime:
    """The current instant, timezone-aware UTC."""
    return datetime.now(UTC)


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
