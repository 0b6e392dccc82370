"""``desk-app device token create|list|revoke`` and ``DESK_APP_TOKEN``: the credentials of a
call-pad, a kiosk, a display or a script (security/device_tokens.py says what each may do).

A token is shown once, when made; the database keeps its SHA-256. Making and revoking are
audited. ``token_actor`` turns a presented token into who acts: the person logged in at the
token's window (within the call-pad's operations), or the kiosk or display device.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from desk_app.domain import clock
from desk_app.security import device_tokens as rules
from desk_app.security.authz import require
from desk_app.security.roles import Actor, Operation, Role
from desk_app.services.common import audit
from desk_app.services.common.errors import NotFound, Refused
from desk_app.services.common.lookups import person_at_window
from desk_app.store import Database
from desk_app.store.device_models import DeviceToken
from desk_app.store.models import Window


@dataclass(frozen=True)
class TokenView:
    id: int
    kind: str
    window: int | None
    label: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "window": self.window,
            "label": self.label,
            "created_at": clock.iso(self.created_at),
            "created_by": self.created_by,
            "revoked": self.revoked_at is not None,
        }


def _view(t: DeviceToken) -> TokenView:
    return TokenView(t.id, t.kind, t.window, t.label, t.created_at, t.created_by, t.revoked_at)


def create_token(
    db: Database, kind: str, *, window: int | None = None, label: str = ""
) -> tuple[str, TokenView]:
    """A new token of ``kind`` (window N, kiosk, display): (the token, shown once; its entry)."""
    require(db.actor, Operation.DEVICE_TOKEN_CREATE)
    if kind not in rules.KINDS:
        raise Refused(f"未知的令牌类型 {kind}", f"unknown token kind {kind}")
    if (kind == "window") != (window is not None):
        raise Refused("窗口令牌须指定 --window N", "a window token needs --window N (only it)")
    if len(label) > 100:
        raise Refused("说明过长", "the label is longer than 100 characters")
    token = rules.new_token()
    with db.begin() as s:
        if (
            window is not None
            and s.scalar(select(Window.id).where(Window.number == window)) is None
        ):
            raise NotFound(f"没有 {window} 号窗口", f"no window {window}")
        row = DeviceToken(
            token_hash=rules.token_digest(token),
            kind=kind,
            window=window,
            label=label,
            created_at=clock.real_now(),
            created_by=db.actor.code if db.actor else "?",
            revoked_at=None,
        )
        s.add(row)
        s.flush()
        audit.record(
            s, db.actor, "device.token.create", str(row.id), {"kind": kind, "window": window}
        )
        return token, _view(row)


def list_tokens(db: Database) -> list[TokenView]:
    require(db.actor, Operation.DEVICE_TOKEN_LIST)
    with db.read() as s:
        return [_view(t) for t in s.scalars(select(DeviceToken).order_by(DeviceToken.id))]


def revoke_token(db: Database, token_id: int) -> TokenView:
    require(db.actor, Operation.DEVICE_TOKEN_REVOKE)
    with db.begin() as s:
        row = s.get(DeviceToken, token_id, with_for_update=True)
        if row is None:
            raise NotFound(f"没有令牌 {token_id}", f"no token {token_id}")
        if row.revoked_at is None:
            row.revoked_at = clock.real_now()
            audit.record(s, db.actor, "device.token.revoke", str(token_id), {"kind": row.kind})
        return _view(row)


def token_actor(db: Database, token: str) -> Actor | None:
    """Who acts with ``token``, or None (unknown, revoked, or a window nobody is logged in at).
    A hash and a constant-time compare: no password hashing."""
    if not rules.looks_like_token(token):
        return None
    digest = rules.token_digest(token)
    with db.read() as s:
        row = s.scalar(select(DeviceToken).where(DeviceToken.token_hash == digest))
        if (
            row is None
            or row.revoked_at is not None
            or not rules.same_digest(row.token_hash, token)
        ):
            return None
        if row.kind == "kiosk":
            return Actor(None, f"token:{row.id}", Role.KIOSK, device=True)
        if row.kind == "display":
            return Actor(None, f"token:{row.id}", Role.DISPLAY, device=True)
        person = person_at_window(s, row.window) if row.window is not None else None
    return None if person is None else rules.window_actor(*person)
