"""What a counter workstation needs to know before and while staff use it: whether anyone can
log in yet, and after how many idle minutes the screen locks."""

from __future__ import annotations

from sqlalchemy import func, select

from desk_app.security.authz import Forbidden
from desk_app.store import Database
from desk_app.store.models import Setting, Staff

IDLE_LOCK_KEY = "idle_lock_minutes"
IDLE_LOCK_DEFAULT = 10


def has_login_accounts(db: Database) -> bool:
    """False while no active account has a password: nobody can log in at a counter yet.

    A count only, no names, so the login screen may ask before anyone is logged in."""
    with db.read() as s:
        count = s.scalar(
            select(func.count(Staff.id)).where(
                Staff.active.is_(True), Staff.password_hash.is_not(None)
            )
        )
        return bool(count)


def idle_lock_minutes(db: Database) -> int:
    """Minutes without keyboard or mouse input before a counter screen locks (hall setting
    ``idle_lock_minutes``, default 10). A missing or unreadable value falls back to the default;
    0 or less is taken as 1: a counter screen always locks eventually.

    Read by the logged-in staff member for their own screen; a handle acting for nobody or for
    a device is refused."""
    actor = db.actor
    if actor is None or actor.device:
        raise Forbidden(
            "须由登录的工作人员读取锁屏时间", "the idle lock is read by a logged-in staff member"
        )
    with db.read() as s:
        raw = s.scalar(select(Setting.value).where(Setting.key == IDLE_LOCK_KEY))
    try:
        minutes = int(str(raw).strip()) if raw is not None else IDLE_LOCK_DEFAULT
    except ValueError:
        minutes = IDLE_LOCK_DEFAULT
    return max(1, minutes)
