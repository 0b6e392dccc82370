"""``desk-app staff|login|logout|audit|key ...``: accounts, sessions, the audit trail, the key."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from desk_app.cli.common import CliError, Commands, db_from_args, out
from desk_app.cli.identity import (
    acting_person,
    end_session,
    read_secret,
    start_session,
    stdin_lines,
)
from desk_app.security.roles import STAFF_ROLES, Operation

ROLE_CHOICES = sorted(str(r) for r in STAFF_ROLES)


def cmd_staff_add(args: argparse.Namespace) -> None:
    from desk_app.services.accounts import staff as accounts

    db = db_from_args(args, acting=Operation.STAFF_ADD)
    password = None
    if args.password_stdin:
        password = read_secret("", args, stdin_lines(args))
    new = accounts.create_account(db, args.code, args.name, args.role, password)
    human = f"staff {new.code} ({new.role}) added"
    if new.temporary_password:
        human += f"; 临时密码 / temporary password: {new.temporary_password} (首次登录须修改)"
    out(args, new.to_json(), human)


def cmd_staff_passwd(args: argparse.Namespace) -> None:
    """Own password (old, new, new again), or with --reset an admin's temporary password."""
    from desk_app.services.accounts import staff as accounts

    db = db_from_args(args)
    if args.reset:
        new = accounts.reset_password(
            db.acting_as(acting_person(db, Operation.STAFF_PASSWD)), args.code
        )
        out(
            args,
            new.to_json(),
            f"{new.code}: 临时密码 / temporary password {new.temporary_password}",
        )
        return
    lines = stdin_lines(args)
    old = read_secret(f"{args.code} 当前密码 / current password: ", args, lines)
    new_pw = read_secret("新密码 / new password: ", args, lines)
    again = new_pw if args.password_stdin else read_secret("再次输入 / again: ", args, lines)
    if new_pw != again:
        raise CliError("两次输入的新密码不一致 / the new passwords differ")
    accounts.change_password(db, args.code, old, new_pw)
    out(args, {"code": args.code, "changed": True}, f"{args.code}: password changed")


def _lock(args: argparse.Namespace, locked: bool) -> None:
    from desk_app.services.accounts import staff as accounts

    db = db_from_args(args, acting=Operation.STAFF_LOCK if locked else Operation.STAFF_UNLOCK)
    info = accounts.set_locked(db, args.code, locked, args.reason)
    out(args, info.to_json(), f"{info.code} {'locked' if info.locked else 'unlocked'}")


def cmd_staff_lock(args: argparse.Namespace) -> None:
    _lock(args, True)


def cmd_staff_unlock(args: argparse.Namespace) -> None:
    _lock(args, False)


def cmd_staff_list(args: argparse.Namespace) -> None:
    from desk_app.services.accounts import staff as accounts

    rows = accounts.list_accounts(db_from_args(args, acting=Operation.STAFF_LIST))
    out(
        args,
        {"staff": [r.to_json() for r in rows]},
        "\n".join(
            f"{r.code:<10} {r.role:<10} {r.name}"
            + (" [locked]" if r.locked else "")
            + (" [must change]" if r.must_change else "")
            for r in rows
        ),
    )


def cmd_login(args: argparse.Namespace) -> None:
    from desk_app.services.accounts import staff as accounts

    db = db_from_args(args)
    lines = stdin_lines(args)
    code = args.user
    if not code:
        if not sys.stdin.isatty():
            raise CliError("请用 --user 给出工号 / give --user CODE")
        code = input("工号 / staff code: ").strip()
    password = read_secret("密码 / password: ", args, lines)
    result = accounts.authenticate(db, code, password)
    if result.must_change:
        raise CliError(
            f"请先修改临时密码: desk-app staff passwd {code} / change the temporary password first"
        )
    start_session(db, result.actor)
    out(
        args,
        {
            "code": result.actor.code,
            "role": str(result.actor.role),
            "hours": accounts.SESSION_HOURS,
        },
        f"{result.name} ({result.actor.role}) 已登录 {accounts.SESSION_HOURS} 小时 / logged in",
    )


def cmd_logout(args: argparse.Namespace) -> None:
    ended = end_session(db_from_args(args))
    out(args, {"logged_out": ended}, "已退出 / logged out" if ended else "no session")


def cmd_audit_list(args: argparse.Namespace) -> None:
    from desk_app.services.common import audit

    since = None
    if args.since:
        from desk_app.domain.validators import date_window_message, sane_date

        try:
            since = datetime.fromisoformat(args.since)
        except ValueError as exc:
            raise CliError(f"--since 应为 ISO-8601 时间: {args.since!r} / bad --since") from exc
        if not sane_date(since.date()):
            raise CliError(" / ".join(date_window_message("--since ", "--since", args.since)))
        if since.tzinfo is None:
            from desk_app.domain.clock import HALL_TZ

            since = since.replace(tzinfo=HALL_TZ)
    db = db_from_args(args, acting=Operation.AUDIT_LIST)
    rows = audit.entries(db, since=since, by=args.actor, action=args.action)
    out(
        args,
        {"entries": [r.to_json() for r in rows]},
        "\n".join(
            f"{r.seq:>6} {r.at:%Y-%m-%d %H:%M} {r.actor:<8} {r.action} {r.target or ''}"
            for r in rows
        ),
    )


def cmd_audit_verify(args: argparse.Namespace) -> None:
    from desk_app.services.common import audit

    db = db_from_args(args, acting=Operation.AUDIT_VERIFY)
    r = audit.verify(db)
    bad, central = list(r.bad), "unknown"
    if args.against_central:  # the head the platform holds (desk_app.sync.anchor)
        from desk_app.cli.sync import central_client
        from desk_app.sync.anchor import against_central
        from desk_app.sync.client import CentralError

        try:
            compared = against_central(db, central_client())
        except CentralError as exc:
            raise CliError(str(exc)) from None
        central = compared.central
        bad = sorted(set(bad) | set(compared.bad))
    ok = not bad
    ranges = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in bad)
    payload = {
        "ok": ok,
        "entries": r.entries,
        "first_bad": bad[0][0] if bad else None,
        "bad": [list(pair) for pair in bad],
        "central": central,
    }
    out(
        args,
        payload,
        f"audit trail {'ok' if ok else 'BROKEN at ' + ranges}: {r.entries} entries"
        f" (platform: {central})",
    )
    if not ok:
        raise CliError(f"审计记录被改动: 第 {ranges} 条 / audit trail altered: entries {ranges}")


def cmd_key_rotate(args: argparse.Namespace) -> None:
    from desk_app.services.accounts import key_rotation

    r = key_rotation.rotate_key(db_from_args(args, acting=Operation.KEY_ROTATE))
    out(args, r.to_json(), f"new key {r.key_id}: {r.values} values re-encrypted")


def register(c: Commands) -> None:
    st = c.group("staff", "staff accounts")
    a = c.add(st, "add", cmd_staff_add, "add an account (a temporary password unless given)")
    a.add_argument("code")
    a.add_argument("--name", required=True)
    a.add_argument("--role", default="counter", choices=ROLE_CHOICES)
    a.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p = c.add(st, "passwd", cmd_staff_passwd, "change your password (or --reset someone's)")
    p.add_argument("code")
    p.add_argument("--reset", action="store_true", help="admin: give a new temporary password")
    p.add_argument(
        "--password-stdin", action="store_true", help="read the current and new password from stdin"
    )
    p = c.add(st, "lock", cmd_staff_lock, "lock an account")
    p.add_argument("code")
    p.add_argument("--reason")
    p = c.add(st, "unlock", cmd_staff_unlock, "unlock an account")
    p.add_argument("code")
    p.add_argument("--reason", required=True)
    c.add(st, "list", cmd_staff_list, "accounts, roles, locks")

    p = c.add(c.top, "login", cmd_login, "log in for 12 hours (this OS user)")
    p.add_argument("--user", help="staff code (asked for when omitted)")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    c.add(c.top, "logout", cmd_logout, "end this OS user's session")

    au = c.group("audit", "the audit trail")
    p = c.add(au, "list", cmd_audit_list, "entries, filtered")
    p.add_argument("--since", metavar="ISO")
    p.add_argument("--actor", metavar="CODE")
    p.add_argument("--action")
    p = c.add(au, "verify", cmd_audit_verify, "check the hash chain (exit 2 when altered)")
    p.add_argument(
        "--against-central",
        action="store_true",
        help="also compare with the head the central platform holds for this hall",
    )

    k = c.group("key", "the hall key")
    c.add(k, "rotate", cmd_key_rotate, "a new current key; re-encrypt personal data under it")
