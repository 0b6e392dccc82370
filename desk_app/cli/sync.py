"""``desk-app sync ...``: send concluded cases to the central backend (no Qt)."""

from __future__ import annotations

import argparse
import time
from datetime import date

from desk_app.cli.common import CliError, Commands, db_from_args, out


def _client():  # type: ignore[no-untyped-def]
    from desk_app.sync.client import CentralClient, CentralError
    from desk_app.sync.config import SyncConfig

    try:
        return CentralClient(SyncConfig.from_env())
    except CentralError as exc:
        raise CliError(str(exc)) from exc


def _auth_guard(fn):  # type: ignore[no-untyped-def]
    def wrapper(args: argparse.Namespace) -> None:
        from desk_app.sync.client import CentralAuthError

        try:
            fn(args)
        except CentralAuthError as exc:
            raise CliError(str(exc)) from exc

    return wrapper


@_auth_guard
def cmd_sync_run(args: argparse.Namespace) -> None:
    from desk_app.sync import outbox

    db, client = db_from_args(args), _client()
    if args.once:
        report = outbox.drain(db, client)
        out(
            args,
            report.to_json(),
            f"sent {report.sent}, pending {report.pending}, "
            f"failed {report.failed}, dead {report.dead}",
        )
        return
    # The long-running form: keep sending while the hall works (Ctrl+C / SIGTERM stops it).
    try:
        while True:
            report = outbox.drain(db, client)
            time.sleep(args.interval if report.pending == 0 or report.failed else 0.1)
    except KeyboardInterrupt:
        pass


def cmd_sync_status(args: argparse.Namespace) -> None:
    from desk_app.sync import outbox

    st = outbox.status(db_from_args(args))
    out(
        args,
        st,
        f"pending {st['pending']}, sent {st['sent']}, dead {st['dead']}, "
        f"last success {st['last_success'] or '-'}",
    )


@_auth_guard
def cmd_sync_reconcile(args: argparse.Namespace) -> None:
    from desk_app.sync import outbox

    try:
        since = date.fromisoformat(args.since)
    except ValueError as exc:
        raise CliError(f"日期格式应为 YYYY-MM-DD: {args.since!r} / bad --since") from exc
    result = outbox.reconcile(db_from_args(args), _client(), since)
    out(
        args,
        result,
        f"checked {result['checked']}, re-sent {result['sent']} of {result['missing']} missing",
    )


def cmd_sync_dead(args: argparse.Namespace) -> None:
    from desk_app.sync import outbox

    rows = outbox.dead_letters(db_from_args(args))
    out(
        args,
        {"dead": rows},
        "\n".join(f"{r['id']:>6} {r['case_no']} {r['reason']}" for r in rows) or "no dead letters",
    )


def cmd_sync_retry(args: argparse.Namespace) -> None:
    from desk_app.sync import outbox

    outbox.retry_dead(db_from_args(args), args.id)
    out(args, {"id": args.id, "state": "pending"}, f"{args.id} queued again")


def cmd_sync_resolve(args: argparse.Namespace) -> None:
    from desk_app.sync import outbox

    outbox.resolve_dead(db_from_args(args), args.id, args.note)
    out(args, {"id": args.id, "state": "resolved"}, f"{args.id} resolved")


def cmd_sync_purge(args: argparse.Namespace) -> None:
    from desk_app.sync import outbox
    from desk_app.sync.config import SyncConfig

    days = args.days if args.days is not None else SyncConfig.from_env().retention_days
    n = outbox.purge_personal_data(db_from_args(args), days)
    out(args, {"purged": n}, f"{n} cases' personal data masked")


def register(c: Commands) -> None:
    sy = c.group("sync", "central backend")
    p = c.add(sy, "run", cmd_sync_run, "send concluded cases (DESK_APP_CENTRAL_URL/_TOKEN)")
    p.add_argument("--once", action="store_true", help="send what is due, then exit")
    p.add_argument("--interval", type=float, default=5.0, help="seconds between passes")
    c.add(sy, "status", cmd_sync_status, "pending, sent, dead, last success")
    p = c.add(sy, "reconcile", cmd_sync_reconcile, "re-send what the backend lacks")
    p.add_argument("--since", required=True, metavar="YYYY-MM-DD")
    c.add(sy, "dead", cmd_sync_dead, "list dead letters")
    p = c.add(sy, "retry", cmd_sync_retry, "queue a dead letter again")
    p.add_argument("id", type=int)
    p = c.add(sy, "resolve", cmd_sync_resolve, "close a dead letter by hand")
    p.add_argument("id", type=int)
    p.add_argument("--note", required=True)
    p = c.add(sy, "purge", cmd_sync_purge, "mask personal data of acknowledged cases")
    p.add_argument("--days", type=int, help="retention in days (default DESK_APP_RETENTION_DAYS)")
