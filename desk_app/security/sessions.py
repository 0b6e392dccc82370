"""When a ``desk-app login`` session still identifies its person (pure: no database, no Qt).

One rule for the full command line (``accounts.cli_session_actor``) and the quick commands
(``services/queue_quick.session_actor``), so a check added here holds for both.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

OS_USER_MAX = 64  # the column's width: a longer login name is kept cut


def session_is_live(
    *,
    revoked_at: datetime | None,
    expires_at: datetime,
    session_os_user: str,
    os_user: str,
    active: bool,
    locked: bool,
    must_change: bool,
    locked_until: datetime | None,
    now: datetime,
) -> bool:
    """Not revoked, not expired, opened by this OS user, for an active account that is neither
    locked (by an admin or after failed log-ins) nor waiting for a new password."""
    return not (
        revoked_at is not None
        or expires_at <= now
        or session_os_user != os_user[:OS_USER_MAX]
        or not active
        or locked
        or must_change
        or (locked_until is not None and locked_until > now)
    )


def token_hash(token: str) -> str:
    """What the database keeps of a session's token (the token itself stays in the user's
    owner-only session file)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
