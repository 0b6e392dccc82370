"""``desk-app sync ...``: send concluded cases to the central backend (no Qt)."""

from __future__ import annotations

import argparse
import signal
from typing import Any

from desk_app.cli.common import CliError, Commands, db_from_args, db_int, out, parse_date
from desk_app.security.roles import Operation


def _config():  # type: ignore[no-untyped-def]
    from desk_app.sync.config import SyncConfig, SyncConfigError

    try:
        return SyncConfig.from_env()
    except SyncConfigError as exc:
        raise CliError(str(exc)) from None


def central_client():  # type: ignore[no-untyped-def]
    from desk_app.sync.client import CentralClient, CentralError
    from desk_app.sync.config import SyncConfigError

    try:
        return CentralClient(_config())
    except (CentralError, SyncConfigError) as exc:
        raise CliError(str(exc)) from None


def _auth_guard(fn):  # type: ignore[no-untyped-def]
    def wrapper(args: argparse.Namespace) -> None:
        from desk_app.sync.client import CentralAuthError

        try:
            fn(args)
        except CentralAuthError as exc:
            raise CliError(str(exc)) from None

    return wrapper


def _report_line(r) -> str:  # type: ignore[no-untyped-def]
    return f"sent {r.sent}, pending {r.pending}, failed {r.failed}, dead {r.dead}"


def _appointments(db: Any, client: Any) -> dict[str, Any]:
    """Online bookings pulled and outcomes pushed (a backend error is reported, not fatal)."""
    from desk_app.sync import appointments_sync
    from desk_app.sync.client import CentralAuthError, CentralError

    try:
        r = appointments_sync.exchange(db, client)
    except CentralAuthError:
        raise
    except CentralError as exc:
        return {"appointments_error": str(exc)}
    return {"online_bookings": r.pulled, "online_rejected": r.rejected, "outcomes": r.pushed}


def _files(db: Any, client: Any) -> dict[str, Any]:
    """The platform's copies of delivered files checked (desk_app.sync.files_reconcile), then
    the scanned files of acknowledged cases delivered (desk_app.sync.files_sync)."""
    from desk_app.sync import files_reconcile, files_sync

    checked = files_reconcile.reconcile_files(db, client)
    return {
        "files": files_sync.deliver_files(db, client).to_json(),
        "files_reconcile": checked.to_json(),
    }


def _shares(db: Any, client: Any) -> dict[str, Any]:
    """免证办 materials that stayed pending while the platform was away (sync/share_fetch.py)."""
    from desk_app.security.roles import SYSTEM_ACTOR
    from desk_app.sync import share_fetch

    return {"shares": share_fetch.fetch_pending(db.acting_as(SYSTEM_ACTOR), client).to_json()}


def _online(db: Any, client: Any) -> dict[str, Any]:
    """Online applications and 12345 work orders in, their states out (sync/online_sync.py)."""
    from desk_app.security.roles import SYSTEM_ACTOR
    from desk_app.sync import online_sync
    from desk_app.sync.client import CentralAuthError, CentralError

    try:
        return {"online": online_sync.exchange(db.acting_as(SYSTEM_ACTOR), client).to_json()}
    except CentralAuthError:
        raise
    except CentralError as exc:
        return {"online": "failed", "online_error": str(exc)}


def _anchor(db: Any, client: Any) -> dict[str, Any]:
    """The audit trail's head sent to the platform (desk_app.sync.anchor); an error is reported."""
    from desk_app.sync import anchor
    from desk_app.sync.client import CentralAuthError, CentralError

    try:
        return {"audit_head": anchor.send_head(db, client)}
    except CentralAuthError:
        raise
    except CentralError as exc:
        return {"audit_head": "failed", "audit_head_error": str(exc)}


def _catalog(db: Any, client: Any) -> dict[str, Any]:
    """The platform's newest catalog package merged in (desk_app.sync.catalog_sync)."""
    from desk_app.security.roles import SYSTEM_ACTOR
    from desk_app.sync import catalog_sync
    from desk_app.sync.client import CentralAuthError, CentralError

    try:
        r = catalog_sync.pull(db.acting_as(SYSTEM_ACTOR), client)
    except CentralAuthError:
        raise
    except CentralError as exc:
        return {"catalog": "failed", "catalog_error": str(exc)}
    result: dict[str, Any] = {"catalog": r["status"]}
    if r["status"] == "applied":
        result["catalog_version"] = r["version"]
        result["catalog_conflicts"] = r["conflicts"]
    return result


@_auth_guard
def cmd_sync_run(args: argparse.Namespace) -> None:
    from desk_app.sync import outbox
    from desk_app.sync.loop import SyncLoop

    client = central_client()  # a refused configuration writes nothing, not even a schema
    if args.interval < 0 or args.purge_every <= 0:
        raise CliError("--interval 须 ≥ 0, --purge-every 须 > 0 / bad --interval or --purge-every")
    db = db_from_args(args, acting=Operation.SYNC_RUN)
    if args.once:
        report = outbox.drain(db, client)
        payload = (
            report.to_json()
            | _files(db, client)
            | _shares(db, client)
            | _online(db, client)
            | _appointments(db, client)
            | _anchor(db, client)
            | _catalog(db, client)
        )
        out(args, payload, _report_line(report))
        return
    db.start_checkpointer()  # long-running: the WAL's checkpoints on a thread (store/wal.py)
    # The long-running form (a service): the same loop as the counter's background sync,
    # stopped cleanly by SIGINT or SIGTERM after the pass in progress; a 401 ends it (exit 2).
    loop = SyncLoop(
        db,
        client,
        interval_s=args.interval,
        purge_every_s=args.purge_every,
        retention_days=client.config.retention_days,
    )

    def _stop(_signum: int, _frame: object) -> None:
        loop.stop()  # only sets a flag: safe in a signal handler
        for sig in (signal.SIGINT, signal.SIGTERM):  # a second signal ends it at once
            signal.signal(sig, signal.SIG_DFL)

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        result = loop.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if result.stopped_by == "auth":
        raise CliError(result.auth_error or "401")
    out(args, result.to_json(), _report_line(result) + f", purged {result.purged}")


def cmd_sync_status(args: argparse.Namespace) -> None:
    from desk_app.sync import outbox

    st = outbox.status(db_from_args(args, acting=Operation.SYNC_STATUS))
    out(
        args,
        st.to_json(),
        f"pending {st.pending}, sent {st.sent}, dead {st.dead}, "
        f"last success {st.last_success or '-'}; "
        f"files owed {st.files_pending}, dead {st.files_dead}",
    )


@_auth_guard
def cmd_sync_reconcile(args: argparse.Namespace) -> None:
    from desk_app.cli.errors import EXIT_UNEXPECTED
    from desk_app.sync import outbox
    from desk_app.sync.client import CentralAuthError, CentralError

    since = parse_date(args.since, "--since")
    client = central_client()
    try:
        result = outbox.reconcile(
            db_from_args(args, acting=Operation.SYNC_RECONCILE), client, since
        )
    except CentralAuthError:
        raise
    except CentralError as exc:  # the platform is away: say so, not "unexpected error"
        raise CliError(
            f"中心平台暂时无法核对, 请稍后再试: {exc} / the central backend could not be reached",
            EXIT_UNEXPECTED,
        ) from None
    out(
        args,
        result,
        f"checked {result['checked']}, re-sent {result['sent']} of {result['missing']} missing",
    )


def cmd_sync_dead(args: argparse.Namespace) -> None:
    from desk_app.sync import files_sync, outbox

    db = db_from_args(args, acting=Operation.SYNC_DEAD)
    rows = outbox.dead_letters(db)
    files = files_sync.dead_files(db)
    lines = [f"{r.id:>6} {r.case_no} {r.reason}" for r in rows]
    lines += [f"file {f.id:>6} {f.case_no} {f.material} {f.reason}" for f in files]
    out(
        args,
        {"dead": [r.to_json() for r in rows], "dead_files": [f.to_json() for f in files]},
        "\n".join(lines) or "no dead letters",
    )


def cmd_sync_retry(args: argparse.Namespace) -> None:
    from desk_app.sync import files_sync, outbox

    db = db_from_args(args, acting=Operation.SYNC_RETRY)
    if args.file:
        files_sync.retry_dead_file(db, args.id)
        out(args, {"file": args.id, "state": "pending"}, f"file {args.id} queued again")
        return
    outbox.retry_dead(db, args.id)
    out(args, {"id": args.id, "state": "pending"}, f"{args.id} queued again")


def cmd_sync_resolve(args: argparse.Namespace) -> None:
    from desk_app.sync import outbox

    outbox.resolve_dead(db_from_args(args, acting=Operation.SYNC_RESOLVE), args.id, args.note)
    out(args, {"id": args.id, "state": "resolved"}, f"{args.id} resolved")


def cmd_sync_purge(args: argparse.Namespace) -> None:
    from desk_app.sync.retention import check_days, purge_personal_data

    # Checked before the database is opened: a refused --days writes nothing, not even a schema.
    days = check_days(args.days if args.days is not None else _config().retention_days)
    report = purge_personal_data(db_from_args(args, acting=Operation.SYNC_PURGE), days)
    out(args, report.to_json(), f"{report.purged} cases' personal data masked")


def register(c: Commands) -> None:
    sy = c.group("sync", "central backend")
    p = c.add(sy, "run", cmd_sync_run, "send concluded cases (DESK_APP_CENTRAL_URL/_TOKEN)")
    p.add_argument("--once", action="store_true", help="send what is due, then exit")
    p.add_argument("--interval", type=float, default=5.0, help="seconds between passes")
    p.add_argument(
        "--purge-every",
        type=float,
        default=3600.0,
        metavar="SECONDS",
        help="how often personal data past retention is masked (default hourly)",
    )
    c.add(sy, "status", cmd_sync_status, "pending, sent, dead, last success")
    p = c.add(sy, "reconcile", cmd_sync_reconcile, "re-send what the backend lacks")
    p.add_argument("--since", required=True, metavar="YYYY-MM-DD")
    c.add(sy, "dead", cmd_sync_dead, "list dead letters")
    p = c.add(sy, "retry", cmd_sync_retry, "queue a dead letter again")
    p.add_argument("id", type=db_int)
    p.add_argument("--file", action="store_true", help="ID is a dead file's (sync dead)")
    p = c.add(sy, "resolve", cmd_sync_resolve, "close a dead letter by hand")
    p.add_argument("id", type=db_int)
    p.add_argument("--note", required=True)
    p = c.add(sy, "purge", cmd_sync_purge, "mask personal data of every case past retention")
    p.add_argument(
        "--days",
        type=db_int,
        help="retention in days, at least 1 (default DESK_APP_RETENTION_DAYS)",
    )
