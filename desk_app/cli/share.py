"""``desk-app case share`` and ``desk-app share ...``: 免证办, the materials shared data
replaces, fetched through the platform's sharing gateway (no Qt)."""

from __future__ import annotations

import argparse

from desk_app.cli.common import Commands, db_from_args, out, parse_date
from desk_app.security.roles import Operation


def cmd_case_share(args: argparse.Namespace) -> None:
    from desk_app.services.cases import sharing
    from desk_app.sync import share_fetch

    db = db_from_args(args, acting=Operation.CASE_SHARE)
    report = share_fetch.fetch_case(db, share_fetch.client_maker(), args.case_no, retry=args.retry)
    rows = sharing.lines(db, args.case_no)
    payload = {
        "materials": [
            {"code": r.material, "resource": r.resource, "state": r.state, "licence": r.licence}
            for r in rows
        ],
        **report.to_json(),
    }
    human = "\n".join(f"[{r.state}] {r.material}  {r.name}  ({r.resource})" for r in rows)
    out(args, payload, human or "本办件没有通过数据共享获取的材料 / nothing shared in this case")


def cmd_share_list(args: argparse.Namespace) -> None:
    from desk_app.services.cases import sharing

    db = db_from_args(args, acting=Operation.SHARE_LIST)
    rows = sharing.calls(db, args.case_no)
    human = "\n".join(
        f"{r['at']}  {r['resource']}  {r['material']}  {r['outcome']}  {r['ms']} ms" for r in rows
    )
    out(args, {"rows": rows}, human or "没有调用记录 / no calls")


def cmd_share_stats(args: argparse.Namespace) -> None:
    from desk_app.services.cases import sharing

    first = parse_date(args.from_, "--from") if args.from_ else None
    last = parse_date(args.to, "--to") if args.to else None
    if (first is None) != (last is None):
        from desk_app.cli.common import CliError

        raise CliError("--from 与 --to 须同时给出 / give both --from and --to")
    db = db_from_args(args, acting=Operation.SHARE_STATS)
    rows = sharing.stats(db, args.by, first, last)
    human = "\n".join(
        f"{r['key']}  calls {r['calls']}  ok {r['ok']}  no record {r['no_record']}  "
        f"failed {r['failed']}  saved {r['materials_saved']}"
        for r in rows
    )
    out(args, {"rows": rows}, human or "没有调用记录 / no calls")


def register_case(c: Commands, case: object) -> None:
    """``case share`` (the case group is the cases module's)."""
    p = c.add(case, "share", cmd_case_share, "fetch the case's shared materials (免证办)")
    p.add_argument("case_no", metavar="CASE")
    p.add_argument(
        "--retry", action="store_true", help="ask again for those with no record or failed"
    )


def register(c: Commands) -> None:
    share = c.group("share", "免证办: calls to the sharing gateway")
    p = c.add(share, "list", cmd_share_list, "the calls made for a case")
    p.add_argument("case_no", metavar="CASE")
    p = c.add(share, "stats", cmd_share_stats, "calls and materials saved")
    p.add_argument("--by", choices=["resource", "department", "day"], default="resource")
    p.add_argument("--from", dest="from_", metavar="YYYY-MM-DD")
    p.add_argument("--to", metavar="YYYY-MM-DD")
