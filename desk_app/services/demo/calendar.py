"""The demo hall's opening calendar, like the seed article's Qingdao hall: regular hours, a
weekday midday session (午间不打烊) and two evenings a week at the integrated 一件事 windows,
Saturday morning special sessions (周六专场)."""

from __future__ import annotations

from desk_app.services.hall import calendar
from desk_app.store import Database

# (kind, days, from, to, the integrated windows only)
DEMO_SESSIONS = (
    ("regular", "mon-fri", "09:00", "12:00", False),
    ("regular", "mon-fri", "13:30", "17:00", False),
    ("midday", "mon-fri", "12:00", "13:30", True),
    ("evening", "tue,thu", "17:00", "19:00", True),
    ("saturday", "sat", "09:00", "12:00", True),
)


def add_demo_calendar(db: Database, windows: int) -> None:
    """The sessions above; the extended ones at windows 1 and 2 (the 综窗 serving every 一件事)."""
    integrated = [n for n in (1, 2) if n <= windows]
    for kind, days, start, end, only_integrated in DEMO_SESSIONS:
        calendar.add_session(
            db, kind, days, start, end, windows=integrated if only_integrated else None
        )
