"""The one permission check every use case makes before it reads or writes anything.

Raises ``Forbidden``, a ``Refused``: the command line exits 2 with one line, the screens show it.
"""

from __future__ import annotations

from desk_app.domain.errors import Refused
from desk_app.security import roles
from desk_app.security.roles import Actor, Operation


class Forbidden(Refused):
    """The acting person's role may not do this (exit 2 on the command line)."""


def require(actor: Actor | None, operation: Operation) -> None:
    """Refuse ``operation`` unless ``actor``'s role allows it (security.roles' one table);
    ``None`` is a caller without an identity, who may do the public operations only."""
    if actor is None:
        if roles.is_public(operation):
            return
        raise Forbidden(
            f"须登录后执行 {operation}",
            f"{operation} needs a log-in (DESK_APP_USER or desk-app login)",
        )
    if not actor.may(operation):
        raise Forbidden(
            f"{actor.code}({actor.role}) 无权执行 {operation}",
            f"{actor.code} ({actor.role}) may not do {operation}",
        )


def may_act_for(actor: Actor | None, staff_id: int | None) -> bool:
    """Whether ``actor`` may act in the name of staff member ``staff_id`` (at their window):
    that person themself, an admin or a supervisor."""
    if actor is None:
        return False
    return actor.role in (roles.Role.ADMIN, roles.Role.SUPERVISOR) or actor.staff_id == staff_id
