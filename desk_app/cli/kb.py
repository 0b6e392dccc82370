"""``desk-app kb ...``: the 12345-style knowledge base (no Qt). ``kb search`` is public."""

from __future__ import annotations

import argparse
import os
from typing import Any

from desk_app.cli.common import CliError, Commands, db_from_args, out, positive_int
from desk_app.security.roles import Operation


def _quick_search(args: argparse.Namespace) -> Any:
    """The search on the hall's SQLite file without SQLAlchemy (services/kb/quick.py), for a
    caller who names nobody; FALLBACK when the full version must run."""
    from desk_app.domain import clock
    from desk_app.services.kb import quick
    from desk_app.store import lite

    if os.environ.get("DESK_APP_USER", "").strip():
        return quick.FALLBACK  # a person is named: the full version checks them
    conn = lite.connect(getattr(args, "db", None) or lite.database_url())
    if conn is None:
        return quick.FALLBACK
    try:
        if clock.fixed_now() is not None and lite.hall_mode(conn) not in ("training", "demo"):
            return quick.FALLBACK  # the full version refuses DESK_APP_NOW on a live hall
        return quick.search(conn, args.text, args.bundle, args.limit, args.channel, clock.now())
    finally:
        conn.close()


def cmd_kb_search(args: argparse.Namespace) -> None:
    from desk_app.services.kb import quick

    result = _quick_search(args)
    if result is quick.FALLBACK:
        from desk_app.services.kb import answers as kb

        # No personal data is read or kept (the question is masked), so no hall-key check:
        # the kiosk runs this all day, like ticket issue.
        db = db_from_args(args, acting=Operation.KB_SEARCH, hall_key=False)
        result = kb.search(
            db, args.text, bundle=args.bundle, limit=args.limit, channel=args.channel
        )
    lines = [
        f"{h.score:>8.2f}  {h.id:<28} {'[待复核] ' if h.review_due else ''}{h.question}\n"
        f"          {h.answer}"
        for h in result.hits
    ] or ["没有找到答案,已转值班长 / nothing found (sent to the supervisor's list)"]
    out(args, result.to_json(), "\n".join(lines))


def cmd_kb_export(args: argparse.Namespace) -> None:
    from desk_app.services.kb import answers as kb

    json_file = args.json if isinstance(args.json, str) else None
    if bool(json_file) == bool(args.csv_file):
        raise CliError("请给出 --json FILE 或 --csv FILE (二选一) / give exactly one")
    fmt, path = ("json", json_file) if json_file else ("csv", args.csv_file)
    result = kb.export(db_from_args(args, acting=Operation.KB_EXPORT), path, fmt)
    out(args, result.to_json(), f"{result.entries} 条 -> {result.file}")


def cmd_kb_unanswered(args: argparse.Namespace) -> None:
    from desk_app.services.kb import answers as kb

    result = kb.unanswered(db_from_args(args, acting=Operation.KB_UNANSWERED))
    lines = [f"{u.count:>4}  {u.last_asked_at}  {u.question}" for u in result.unanswered]
    lines += [f"待复核 {r.review}  {r.id}  {r.question}" for r in result.review_due]
    out(args, result.to_json(), "\n".join(lines) or "没有未答问题 / nothing unanswered")


def register(c: Commands) -> None:
    g = c.group("kb", "12345-style knowledge base")
    p = c.add(g, "search", cmd_kb_search, "answer a question (public)")
    p.add_argument("text")
    p.add_argument("--bundle", metavar="CODE")
    p.add_argument("--limit", type=positive_int, default=5)
    p.add_argument("--channel", choices=["cli", "counter", "kiosk", "helper"], default="cli")
    # "--json FILE" names the export file here, so this command does not take the common
    # --json switch; --json without a file (with --csv FILE) still prints the JSON summary.
    p = g.add_parser("export", help="every entry for the 12345 hotline (UTF-8 with BOM)")
    p.set_defaults(handler=cmd_kb_export)
    p.add_argument("--db", default=argparse.SUPPRESS, help="SQLAlchemy URL")
    p.add_argument("--json", nargs="?", const=True, default=False, metavar="FILE")
    p.add_argument("--csv", dest="csv_file", metavar="FILE")
    c.add(g, "unanswered", cmd_kb_unanswered, "questions nothing answered; entries to review")
