"""A call-pad's window token on the command line's quick path (SQLite through the standard
library, no SQLAlchemy): the same rule as ``device_tokens.token_actor`` for the one question a
call-pad asks, who acts at its window."""

from __future__ import annotations

import sqlite3

from desk_app.security import device_tokens as rules
from desk_app.security.roles import Actor, Role

_SQL = (
    "SELECT device_tokens.token_hash, device_tokens.kind, device_tokens.window,"
    " device_tokens.revoked_at, staff.id AS staff_id, staff.code"
    " FROM device_tokens"
    " JOIN windows ON windows.number = device_tokens.window"
    " JOIN window_sessions ON window_sessions.window_id = windows.id"
    " AND window_sessions.closed_at IS NULL"
    " JOIN staff ON staff.id = window_sessions.staff_id"
    " AND staff.active = 1 AND staff.locked = 0"
    " WHERE device_tokens.token_hash = ?"
)


def window_token_actor(conn: sqlite3.Connection, token: str, window: int) -> Actor | None:
    """The person ``token`` acts for at ``window`` (as a counter, within a call-pad's
    operations), or None: not a token, unknown, revoked, another window, nobody logged in
    there (the full version then says which)."""
    if not rules.looks_like_token(token):
        return None
    try:
        row = conn.execute(_SQL, (rules.token_digest(token),)).fetchone()
    except sqlite3.Error:  # an older schema: the full version decides
        return None
    if row is None:
        return None
    stored, kind, bound, revoked, staff_id, code = tuple(row)
    if kind != "window" or bound != window or revoked is not None:
        return None
    if not rules.same_digest(stored, token):
        return None
    return Actor(staff_id, code, Role.COUNTER, scope=rules.WINDOW_OPERATIONS)
