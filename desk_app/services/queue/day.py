"""Whether the queue's day has been rolled over yet (services/queue/rollover.py), without
SQLAlchemy: the quick paths ask before each issue or call and hand the day's first one to the
full version, which rolls the queue over."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from typing import Any

from desk_app.domain import clock

QUEUE_DAY = "queue_day"  # the settings row: the hall day the queue was last rolled to


def stale(marker: str | None, today: date) -> bool:
    """Whether the queue has not been rolled to ``today`` yet (never rolled: stale). Another
    day either way counts: a training hall's clock may be set back, and its queue then rolls
    to that day (only tickets of days before it are closed)."""
    return marker != today.isoformat()


def quick_stale(conn: Any, now: datetime) -> bool:
    """For the queue's quick paths (sqlite3 or a bare connection): whether the day's rollover
    is still to be done (they then hand over to the full version, which does it)."""
    sql = "SELECT value FROM settings WHERE key = 'queue_day'"
    try:
        if isinstance(conn, sqlite3.Connection):
            row = conn.execute(sql).fetchone()
        else:
            from sqlalchemy import text

            row = conn.execute(text(sql)).fetchone()
    except Exception:  # noqa: BLE001 - no settings table yet: the full version decides
        return True
    return stale(row[0] if row else None, clock.hall_day(now))
