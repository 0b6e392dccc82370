"""The reference backend's clock: ``DESK_APP_NOW`` fixes it, as it fixes the hall's (training,
demos, tests; a value without an offset is Asia/Shanghai time). Online bookings and e-ID codes
take their times from here, so a test can move the platform's time without sleeping."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

HALL_TZ = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    """The current instant, timezone-aware UTC (``DESK_APP_NOW`` when set)."""
    raw = os.environ.get("DESK_APP_NOW", "").strip()
    if not raw:
        return datetime.now(UTC)
    at = datetime.fromisoformat(raw)
    return (at if at.tzinfo else at.replace(tzinfo=HALL_TZ)).astimezone(UTC)
