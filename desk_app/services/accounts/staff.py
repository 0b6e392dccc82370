"""Staff accounts: passwords, log-in with lockout, locks, command-line sessions.

Passwords are argon2 hashes (desk_app.security.passwords); there is no default password. An
account made without a password gets a one-time temporary one that must be changed at the first
log-in. Five failures within fifteen minutes lock the account for fifteen minutes. Every log-in
(ok, failed, locked) and every account change is an audit entry.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.validators import checked_text
from desk_app.security.authz import require
from desk_app.security.passwords import (
    LockoutPolicy,
    PasswordPolicyError,
    check_password_policy,
    hash_password,
    temporary_password,
    verify_password,
)
from desk_app.security.roles import STAFF_ROLES, Actor, Operation, Role
from desk_app.security.sessions import OS_USER_MAX, session_is_live, token_hash
from desk_app.services.common import audit
from desk_app.services.common.errors import NotFound, Refused
from desk_app.store import Database
from desk_app.store.identity_models import LoginFailure, LoginSession
from desk_app.store.models import Staff

LOCKOUT = LockoutPolicy()
SESSION_HOURS = 12
_CODE = re.compile(r"[A-Za-z0-9_.-]{1,32}")
# Verified against when the code is unknown, so an unknown code costs as long as a known one.
_DUMMY_HASH: list[str] = []


class LoginRefused(Refused):
    """Wrong code or password, a locked or disabled account: one line, nothing revealed."""


@dataclass(frozen=True)
class AccountInfo:
    code: str
    name: str
    role: str
    locked: bool
    must_change: bool

    def to_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class NewAccount:
    code: str
    name: str
    role: str
    temporary_password: str | None

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "role": self.role, "temporary_password": self.temporary_password}


@dataclass(frozen=True)
class LoginResult:
    actor: Actor
    name: str
    must_change: bool


def _actor(staff: Staff) -> Actor:
    return Actor(staff_id=staff.id, code=staff.code, role=Role(staff.role), device=False)


def has_admin(db: Database) -> bool:
    """False while the hall is in setup mode (no active admin account yet)."""
    with db.read() as s:
        return bool(
            s.scalar(
                select(func.count(Staff.id)).where(Staff.role == Role.ADMIN, Staff.active.is_(True))
            )
        )


def _policy(password: str, code: str) -> None:
    try:
        check_password_policy(password, code=code)
    except PasswordPolicyError as exc:
        raise Refused(exc.message_zh, exc.message_en) from exc


def create_account(
    db: Database,
    code: str,
    name: str,
    role: str = Role.COUNTER,
    password: str | None = None,
    *,
    now: datetime | None = None,
) -> NewAccount:
    """A new account. Without ``password`` a temporary one is made (shown once, must change)."""
    actor = db.actor
    require(actor, Operation.STAFF_ADD)
    now = now or clock.real_now()
    code, name = code.strip(), checked_text(name, "name", "姓名") or ""
    if not _CODE.fullmatch(code):
        raise Refused("工号只能使用字母、数字和 _.-", "staff code: letters, digits, _.- only")
    if not name:
        raise Refused("姓名不能为空", "staff name is empty")
    if role not in STAFF_ROLES:
        raise Refused(f"未知的角色 {role}", f"unknown role {role}")
    temporary = None
    if password is None:
        temporary = password = temporary_password(code=code)
    else:
        _policy(password, code)
    hashed = hash_password(password)  # argon2 outside the write transaction
    with db.begin() as s:
        if s.scalar(select(Staff.id).where(Staff.code == code)) is not None:
            raise Refused(f"工号 {code} 已存在", f"staff {code} already exists")
        s.add(
            Staff(
                code=code,
                name=name,
                role=str(role),
                active=True,
                password_hash=hashed,
                must_change=temporary is not None,
                password_changed_at=now,
            )
        )
        audit.record(s, actor, "staff.add", code, {"role": str(role)}, at=now)
    return NewAccount(code, name, str(role), temporary)


def _staff(s: Session, code: str, *, lock: bool = False) -> Staff:
    q = select(Staff).where(Staff.code == code)
    staff = s.execute(q.with_for_update() if lock else q).scalar_one_or_none()
    if staff is None:
        raise NotFound(f"没有工号 {code}", f"no staff member {code}")
    return staff


def authenticate(
    db: Database, code: str, password: str, *, now: datetime | None = None
) -> LoginResult:
    """Check ``code``'s password; records the attempt and locks after repeated failures.

    Raises LoginRefused with the same message for an unknown code and a wrong password.
    The lockout runs on the real clock (``clock.real_now``), never on ``DESK_APP_NOW``.
    """
    now = now or clock.real_now()
    code = (code or "").strip()[:32]
    refusal: LoginRefused | None = None
    with db.begin() as s:
        staff = s.execute(
            select(Staff).where(Staff.code == code).with_for_update()
        ).scalar_one_or_none()
        if staff is None or staff.password_hash is None or not staff.active:
            if not _DUMMY_HASH:
                _DUMMY_HASH.append(hash_password(secrets.token_urlsafe(12)))
            verify_password(_DUMMY_HASH[0], password or "")
            audit.record(s, None, "login.failed", code, {"reason": "unknown"}, at=now)
            refusal = LoginRefused("工号或密码错误", "wrong staff code or password")
        elif staff.locked or (staff.locked_until is not None and staff.locked_until > now):
            audit.record(s, code, "login.locked", code, {}, at=now)
            until = (
                clock.local(staff.locked_until).strftime("%H:%M")
                if not staff.locked and staff.locked_until is not None
                else ""
            )
            refusal = LoginRefused(
                f"账户已锁定{'至 ' + until if until else ', 请联系管理员解锁'}",
                f"account locked{' until ' + until if until else '; ask an admin to unlock it'}",
            )
        elif not verify_password(staff.password_hash, password or ""):
            s.add(LoginFailure(staff_id=staff.id, at=now))
            s.flush()
            times = s.execute(
                select(LoginFailure.at).where(
                    LoginFailure.staff_id == staff.id,
                    LoginFailure.at > now - LOCKOUT.window - LOCKOUT.lock_for,
                )
            ).scalars()
            staff.locked_until = LOCKOUT.locked_until(list(times), now)
            audit.record(
                s, code, "login.failed", code, {"locked": staff.locked_until is not None}, at=now
            )
            refusal = LoginRefused("工号或密码错误", "wrong staff code or password")
        else:
            s.execute(delete(LoginFailure).where(LoginFailure.staff_id == staff.id))
            staff.locked_until = None
            audit.record(s, code, "login.ok", code, {}, at=now)
            return LoginResult(_actor(staff), staff.name, staff.must_change)
    raise refusal  # after the commit: the failure and its audit entry are kept


def change_password(
    db: Database, code: str, old: str, new: str, *, now: datetime | None = None
) -> LoginResult:
    """The account's own right: with the current (or temporary) password, set a new one."""
    now = now or clock.real_now()
    # The policy first: a refused new password is not a log-in (no 'login.ok' in the trail).
    _policy(new, code)
    if new == old:
        raise Refused("新密码不能与原密码相同", "the new password must differ from the old one")
    result = authenticate(db, code, old, now=now)
    hashed = hash_password(new)  # ~0.1 s of argon2: not while holding the write lock
    with db.begin() as s:
        staff = _staff(s, code, lock=True)
        staff.password_hash = hashed
        staff.must_change = False
        staff.password_changed_at = now
        ended = _end_cli_sessions(s, staff, now)
        audit.record(s, code, "staff.passwd", code, {"own": True, "sessions_ended": ended}, at=now)
    return LoginResult(result.actor, result.name, False)


def _end_cli_sessions(s: Session, staff: Staff, now: datetime) -> int:
    """A new password ends every command-line session of the account (a session taken with the
    old password, perhaps by whoever learnt it, must not outlive it). Returns how many ended."""
    result = s.execute(
        update(LoginSession)
        .where(LoginSession.staff_id == staff.id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def reset_password(db: Database, code: str, *, now: datetime | None = None) -> NewAccount:
    """An admin gives ``code`` a new temporary password (to be changed at the next log-in)."""
    actor = db.actor
    require(actor, Operation.STAFF_PASSWD)
    now = now or clock.real_now()
    temporary = temporary_password(code=code)
    hashed = hash_password(temporary)
    with db.begin() as s:
        staff = _staff(s, code, lock=True)
        staff.password_hash = hashed
        staff.must_change = True
        staff.password_changed_at = now
        ended = _end_cli_sessions(s, staff, now)
        audit.record(
            s, actor, "staff.passwd", code, {"own": False, "sessions_ended": ended}, at=now
        )
        return NewAccount(staff.code, staff.name, staff.role, temporary)


def set_locked(
    db: Database,
    code: str,
    locked: bool,
    reason: str | None = None,
    *,
    now: datetime | None = None,
) -> AccountInfo:
    """Lock an account by hand, or unlock it (also ends a lock after failed log-ins)."""
    actor = db.actor
    require(actor, Operation.STAFF_LOCK if locked else Operation.STAFF_UNLOCK)
    reason = checked_text(reason, "reason", "原因", free=True)
    if not locked and not (reason or "").strip():
        raise Refused("解锁须说明原因 (--reason)", "an unlock needs a reason (--reason)")
    now = now or clock.real_now()
    with db.begin() as s:
        staff = _staff(s, code, lock=True)
        staff.locked = locked
        if not locked:
            staff.locked_until = None
            s.execute(delete(LoginFailure).where(LoginFailure.staff_id == staff.id))
        action = "staff.lock" if locked else "staff.unlock"
        audit.record(s, actor, action, code, {"reason": (reason or "").strip()[:200]}, at=now)
        return _info(staff, now)


def _info(staff: Staff, now: datetime) -> AccountInfo:
    locked = staff.locked or (staff.locked_until is not None and staff.locked_until > now)
    return AccountInfo(staff.code, staff.name, staff.role, locked, staff.must_change)


def list_accounts(db: Database, *, now: datetime | None = None) -> list[AccountInfo]:
    require(db.actor, Operation.STAFF_LIST)
    now = now or clock.real_now()
    with db.read() as s:
        return [_info(st, now) for st in s.execute(select(Staff).order_by(Staff.code)).scalars()]


# -- command-line sessions (desk-app login) ---------------------------------------------------


def open_cli_session(
    db: Database, actor: Actor, os_user: str, *, now: datetime | None = None
) -> str:
    """A new 12-hour session for ``os_user``; returns the token (only its hash is stored).
    Sessions live on the real clock, never on ``DESK_APP_NOW``."""
    now = now or clock.real_now()
    token = secrets.token_urlsafe(32)
    with db.begin() as s:
        s.add(
            LoginSession(
                token_hash=token_hash(token),
                staff_id=actor.staff_id,
                os_user=os_user[:OS_USER_MAX],
                created_at=now,
                expires_at=now + timedelta(hours=SESSION_HOURS),
            )
        )
    return token


def cli_session_actor(
    db: Database, token: str, os_user: str, *, now: datetime | None = None
) -> Actor | None:
    """The acting person of a live session token of this OS user, else None (real clock)."""
    now = now or clock.real_now()
    with db.read() as s:
        row = s.execute(
            select(LoginSession, Staff)
            .join(Staff, Staff.id == LoginSession.staff_id)
            .where(LoginSession.token_hash == token_hash(token))
        ).one_or_none()
        if row is None:
            return None
        sess, staff = row
        live = session_is_live(
            revoked_at=sess.revoked_at,
            expires_at=sess.expires_at,
            session_os_user=sess.os_user,
            os_user=os_user,
            active=staff.active,
            locked=staff.locked,
            must_change=staff.must_change,
            locked_until=staff.locked_until,
            now=now,
        )
        return _actor(staff) if live else None


def close_cli_session(db: Database, token: str, *, now: datetime | None = None) -> bool:
    now = now or clock.real_now()
    with db.begin() as s:
        sess = s.execute(
            select(LoginSession).where(LoginSession.token_hash == token_hash(token))
        ).scalar_one_or_none()
        if sess is None or sess.revoked_at is not None:
            return False
        sess.revoked_at = now
        staff = s.get(Staff, sess.staff_id)
        audit.record(s, staff.code if staff else None, "logout", None, {}, at=now)
        return True
