"""A hall with an opening calendar, for the calendar and appointment tests."""

from __future__ import annotations

from datetime import datetime

from desk_app.domain.clock import HALL_TZ
from tests.ids import resident_id

# 2026-11-30 is a Monday; 2026-12-01 a Tuesday.
MONDAY = "2026-11-30"
TUESDAY = "2026-12-01"


def at(text: str) -> datetime:
    """A hall-local instant: at("2026-12-01 09:30")."""
    return datetime.fromisoformat(text).replace(tzinfo=HALL_TZ)


def person(n: int) -> str:
    """The n-th test person's resident ID (valid check character)."""
    return resident_id(f"37020219900101{n:03d}")


def calendar_hall(db, *, windows: int = 2) -> None:  # type: ignore[no-untyped-def]
    """newborn (A) on ``windows`` windows and retirement (B) on window 9; regular hours
    Mon-Fri, a midday session for newborn only, Tue/Thu evenings, Saturday mornings.
    Places per newborn slot with two windows: 2 x 30 min / 10 min = 6, half kept for walk-ins
    = 3, of which 1 online and 2 for the hall."""
    from desk_app.services.hall import calendar
    from desk_app.services.hall import setup as hall

    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall.add_service(db, "retirement", "退休一件事", "B")
    for n in range(1, windows + 1):
        hall.add_window(db, n, ["newborn"])
    hall.add_window(db, 9, ["retirement"])
    calendar.add_session(db, "regular", "mon-fri", "09:00", "12:00")
    calendar.add_session(db, "regular", "mon-fri", "13:30", "17:00")
    calendar.add_session(db, "midday", "mon-fri", "12:00", "13:30", services=["newborn"])
    calendar.add_session(db, "evening", "tue,thu", "17:00", "19:00")
    calendar.add_session(db, "saturday", "sat", "09:00", "12:00")
    from desk_app.services.hall import mode

    mode.mark(db, mode.TRAINING)  # the tests set the hall's clock (DESK_APP_NOW)
