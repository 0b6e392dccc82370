"""What the call display reads off the UI thread: where to start following calls, the recent
ones, the hall's name, its windows and today's opening."""

from __future__ import annotations

from dataclasses import dataclass

from desk_app.services.common.dto import WindowInfo
from desk_app.services.hall import calendar
from desk_app.services.hall import setup as hall
from desk_app.services.hall.calendar import Opening
from desk_app.services.queue import boards
from desk_app.services.queue.boards import CallEvent
from desk_app.store import Database

RECENT_ROWS = 8  # the recent calls listed (fewer with large text or on a smaller screen)


@dataclass
class Start:
    hall_name: str
    windows: list[WindowInfo]
    cursor: boards.CallCursor
    recent: list[CallEvent]  # newest first


def load_start(db: Database) -> Start:
    """Worker: where to start following, and what to show before anything new happens."""
    after = boards.last_event_id(db)
    # Read after the id, and keep only calls up to it: a call made in between is announced
    # by the first poll instead of being shown here silently. The calls up to it are not new;
    # one committed later with a lower id will be (boards.CallCursor).
    cursor = boards.CallCursor(after)
    made = boards.calls_since(db, cursor.floor, limit=boards.CALL_OVERLAP_IDS)
    cursor.take([c for c in made if c.event_id <= after])
    recent = [c for c in boards.recent_calls(db, limit=RECENT_ROWS * 3) if c.event_id <= after]
    return Start(hall.read_settings(db)["hall_name"], hall.list_windows(db), cursor, recent)


def load_slow(db: Database) -> tuple[str, list[WindowInfo], Opening]:
    return hall.read_settings(db)["hall_name"], hall.list_windows(db), calendar.opening(db)
