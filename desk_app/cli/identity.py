"""Who runs a command: ``DESK_APP_USER`` + ``DESK_APP_PASSWORD``, or a ``desk-app login``
session of this OS user, or nobody (public commands, and setup mode while no admin exists).

The session token lives in an owner-only file in the user's data folder, one per database;
the database keeps only its hash, bound to the OS user, for 12 hours.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desk_app.cli.errors import CliError

if TYPE_CHECKING:
    from desk_app.security.roles import Actor, Operation
    from desk_app.store import Database

SESSION_FILE = "sessions.json"
SETUP_WARNING = (
    "提示: 尚无管理员账户, 本厅处于设置模式 (无需登录); 请用 desk-app staff add CODE --role admin "
    "创建管理员 / setup mode: no admin account yet, commands run without credentials"
)


def os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (a container): the numeric id is still this user
        return str(os.getuid()) if hasattr(os, "getuid") else "?"


def _session_path() -> Path:
    from desk_app.paths import user_data_dir

    return user_data_dir() / SESSION_FILE


def _read_sessions() -> dict[str, str]:
    path = _session_path()
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return {}
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o077):
            return {}  # someone else's file, or readable by others: not a session of ours
        try:
            data = json.loads(fh.read(65536) or b"{}")
        except ValueError:
            return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_sessions(sessions: dict[str, str]) -> None:
    path = _session_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{SESSION_FILE}.{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(sessions, fh)
    os.replace(tmp, path)


def _db_key(db: Database) -> str:
    return db.display_url


def session_token(display_url: str) -> str | None:
    """This OS user's ``desk-app login`` token for the database shown as ``display_url``."""
    return _read_sessions().get(display_url)


def acting_person(db: Database, operation: Operation) -> Actor | None:
    """The acting person for ``operation``; None for a public one (credentials are ignored).

    Setup mode (no admin yet): the built-in setup actor with a warning. Otherwise the
    credentials of the environment or the login session; none is exit 2, one line.
    """
    from desk_app.security.roles import Actor, Role, is_public
    from desk_app.services.accounts import staff as accounts

    if is_public(operation):
        return None
    device_token = os.environ.get("DESK_APP_TOKEN", "").strip()
    if device_token:  # a device's credential: a hash, never a password hashing run
        from desk_app.services.accounts.device_tokens import token_actor

        actor = token_actor(db, device_token)
        if actor is None:
            raise CliError(
                "DESK_APP_TOKEN 无效、已吊销, 或其窗口无人登录 / "
                "DESK_APP_TOKEN is unknown, revoked, or nobody is logged in at its window"
            )
        return actor
    if not accounts.has_admin(db):
        print(SETUP_WARNING, file=sys.stderr)
        return Actor(staff_id=None, code="setup", role=Role.ADMIN)
    user = os.environ.get("DESK_APP_USER", "").strip()
    if user:
        password = os.environ.get("DESK_APP_PASSWORD")
        if not password:
            raise CliError(
                "DESK_APP_USER 已设置但缺少 DESK_APP_PASSWORD / DESK_APP_PASSWORD is missing"
            )
        result = accounts.authenticate(db, user, password)
        if result.must_change:
            raise CliError(
                f"{user} 须先修改临时密码: desk-app staff passwd {user} / "
                "change the temporary password first"
            )
        return result.actor
    token = _read_sessions().get(_db_key(db))
    if token:
        actor = accounts.cli_session_actor(db, token, os_user())
        if actor is not None:
            return actor
    raise CliError(
        "请先登录: desk-app login, 或设置 DESK_APP_USER 和 DESK_APP_PASSWORD / "
        "log in first (desk-app login, or DESK_APP_USER and DESK_APP_PASSWORD)"
    )


def person_at_window(db: Database, code: str) -> Actor | None:
    """``window open N --staff CODE`` takes CODE's own password: from DESK_APP_PASSWORD when
    DESK_APP_USER is CODE, from CODE's login session, or typed at the terminal."""
    from desk_app.security.roles import Operation
    from desk_app.services.accounts import staff as accounts

    if not accounts.has_admin(db):
        return acting_person(db, Operation.WINDOW_OPEN)  # setup mode
    if os.environ.get("DESK_APP_USER", "").strip() == code:
        return acting_person(db, Operation.WINDOW_OPEN)
    token = _read_sessions().get(_db_key(db))
    if token:
        actor = accounts.cli_session_actor(db, token, os_user())
        if actor is not None and actor.code == code:
            return actor
    if not sys.stdin.isatty():
        raise CliError(
            f"登录窗口须 {code} 本人的密码 (DESK_APP_USER={code} 和 DESK_APP_PASSWORD) / "
            f"opening a window takes {code}'s own password"
        )
    result = accounts.authenticate(db, code, getpass.getpass(f"{code} 密码 / password: "))
    if result.must_change:
        raise CliError(f"请先修改临时密码: desk-app staff passwd {code} / change it first")
    return result.actor


def read_secret(prompt: str, args: argparse.Namespace, lines: list[str]) -> str:
    """A password from --password-stdin (the next line) or typed without echo."""
    if getattr(args, "password_stdin", False):
        if not lines:
            raise CliError("标准输入中缺少密码 / a password is missing on stdin")
        return lines.pop(0)
    if not sys.stdin.isatty():
        raise CliError("需要输入密码: 请在终端运行或用 --password-stdin / a password is needed")
    return getpass.getpass(prompt)


def stdin_lines(args: argparse.Namespace) -> list[str]:
    if not getattr(args, "password_stdin", False):
        return []
    return [line.rstrip("\r\n") for line in sys.stdin.read(4096).splitlines()]


def start_session(db: Database, actor: Actor) -> None:
    from desk_app.services.accounts import staff as accounts

    token = accounts.open_cli_session(db, actor, os_user())
    sessions = _read_sessions()
    sessions[_db_key(db)] = token
    _write_sessions(sessions)


def end_session(db: Database) -> bool:
    from desk_app.services.accounts import staff as accounts

    sessions = _read_sessions()
    token = sessions.pop(_db_key(db), None)
    if token is None:
        return False
    _write_sessions(sessions)
    return accounts.close_cli_session(db, token)
