"""``desk-app stats ...``: the supervisor's figures (definitions: docs/statistics.md)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from desk_app.cli.common import CliError, Commands, db_from_args, out, parse_date
from desk_app.security.roles import Operation

BY = ("service", "window", "staff", "hour", "weekday", "session", "channel", "day")


def _period(args: argparse.Namespace, *, required: bool = True) -> tuple[date | None, date | None]:
    first = getattr(args, "from_", None)
    last = getattr(args, "to", None)
    if not first and not last and not required:
        return None, None
    if not first or not last:
        raise CliError("请同时给出 --from 与 --to / give both --from and --to")
    return parse_date(first, "--from"), parse_date(last, "--to")


def _write_error(path: str, exc: OSError) -> CliError:
    return CliError(f"不能写入 {path}: {exc.strerror or exc} / cannot write {path}")


def cmd_summary(args: argparse.Namespace) -> None:
    from desk_app.services.supervision import export as stats_export
    from desk_app.services.supervision import statistics

    first, last = _period(args)
    assert first is not None and last is not None
    db = db_from_args(args, acting=Operation.STATS_SUMMARY)
    result = statistics.summary(db, first, last, by=args.by)
    target = args.csv or args.xlsx
    if target:
        try:
            stats_export.export_summary(db, result, Path(target), "csv" if args.csv else "xlsx")
        except OSError as exc:
            raise _write_error(target, exc) from None
        out(
            args,
            {"from": first.isoformat(), "to": last.isoformat(), "file": target},
            f"{len(result.rows)} rows -> {target}",
        )
        return
    lines = [f"{first} ~ {last}  by {args.by}"]
    for r in [*result.rows, result.total]:
        lines.append(
            f"{r['key']!s:>14}  取号 {r['arrivals']:>6}  叫号 {r['called']:>6}  "
            f"办结 {r['served']:>6}  过号 {r['no_shows']:>4}  "
            f"等候P90 {_min(r['wait_p90_s'])}  达标 {r['sla_pct'] if r['sla_pct'] is not None else '-'}%"
        )
    out(args, result.to_json(), "\n".join(lines))


def _min(seconds: Any) -> str:
    return "-" if seconds is None else f"{seconds / 60:.1f}分"


def cmd_reform(args: argparse.Namespace) -> None:
    from desk_app.services.supervision import reform

    first, last = _period(args, required=False)
    result = reform.reform(db_from_args(args, acting=Operation.STATS_REFORM), first, last)
    lines = []
    for b in result.bundles:
        m, c = b.measured, b.claimed
        lines.append(
            f"{b.name} ({b.cases} 件): 环节 {m['steps']} (承诺 {c['steps']}), "
            f"材料 {m['materials']} (承诺 {c['materials']}), 跑动 {m['trips']}, "
            f"时限 {'当日办结' if m['days'] == 0 else str(m['days']) + ' 工作日'} (承诺 {c['days']})"
            + (f"  ⚠ 差于承诺: {', '.join(b.worse)}" if b.worse else "")
        )
    out(args, result.to_json(), "\n".join(lines) or "no cases")


def cmd_evaluations(args: argparse.Namespace) -> None:
    from desk_app.services.evaluation import stats as evaluation_stats

    first, last = _period(args)
    assert first is not None and last is not None
    result = evaluation_stats.evaluations(
        db_from_args(args, acting=Operation.STATS_EVALUATIONS), first, last
    )
    p = result.payload
    human = (
        f"{first} ~ {last}: {p['ratings']} 条评价 / {p['concluded']} 件办结, "
        f"满意率 {p['satisfied_pct']}%, 差评 {p['follow_ups']['negative']} "
        f"(逾期未回访 {p['follow_ups']['overdue']})"
    )
    out(args, result.to_json(), human)


def cmd_report(args: argparse.Namespace) -> None:
    from desk_app.services.supervision import report as stats_report

    first, last = stats_report.month_bounds(args.month)
    db = db_from_args(args, acting=Operation.STATS_REPORT)
    try:
        pages = stats_report.monthly_report(db, first, last, Path(args.pdf))
    except OSError as exc:
        raise _write_error(args.pdf, exc) from None
    out(
        args,
        {"month": args.month, "file": args.pdf, "pages": pages},
        f"{args.month} -> {args.pdf} ({pages} pages)",
    )


def cmd_rebuild(args: argparse.Namespace) -> None:
    from desk_app.services.supervision import rollup

    first, last = _period(args, required=False)
    result = rollup.rebuild(db_from_args(args, acting=Operation.STATS_REBUILD), first, last)
    out(args, result, f"{result['days']} days rolled up, {result['rows']} rows")


def _period_options(p: argparse.ArgumentParser, *, required: bool) -> None:
    p.add_argument("--from", dest="from_", required=required, help="first hall day YYYY-MM-DD")
    p.add_argument("--to", required=required, help="last hall day YYYY-MM-DD")


def register(c: Commands) -> None:
    stats = c.group("stats", "the supervisor's statistics")
    p = c.add(stats, "summary", cmd_summary, "queue figures of a period")
    _period_options(p, required=True)
    p.add_argument("--by", choices=BY, default="service")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--csv", metavar="FILE", help="CSV, UTF-8 with BOM (Excel)")
    fmt.add_argument("--xlsx", metavar="FILE", help="Excel workbook")
    p = c.add(stats, "reform", cmd_reform, "the reform's figures measured from cases")
    _period_options(p, required=False)
    p = c.add(stats, "evaluations", cmd_evaluations, "好差评 of a period and their follow-up")
    _period_options(p, required=True)
    p = c.add(stats, "rebuild", cmd_rebuild, "roll the statistics up again (closed days)")
    _period_options(p, required=False)
    p = c.add(stats, "report", cmd_report, "the monthly PDF report")
    p.add_argument("--month", required=True, help="YYYY-MM")
    p.add_argument("--pdf", required=True, metavar="FILE")
