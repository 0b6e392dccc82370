"""``desk-app calendar ...``: working days and the hall's opening calendar (no Qt)."""

from __future__ import annotations

import argparse

from desk_app.cli.common import (
    CliError,
    Commands,
    Parser,
    check_allowed,
    db_from_args,
    db_int,
    out,
    parse_date,
    positive_int,
)
from desk_app.security.roles import Operation


def _ints(text: str | None) -> list[int] | None:
    if not text:
        return None
    try:
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise CliError(f"窗口号应为整数列表: {text!r} / --windows takes 1,2,...") from None


def cmd_show(args: argparse.Namespace) -> None:
    from desk_app.services.hall import calendar

    view = calendar.show(
        db_from_args(args, acting=Operation.CALENDAR_SHOW, hall_key=False),
        parse_date(args.date, "日期"),
    )
    lines = [f"{view.day}  {'开放' if view.open else '闭厅'}  ({view.source})"]
    lines += [
        f"  {x['from']}-{x['to']}  {x['label']}  {','.join(x['services'])}" for x in view.sessions
    ]
    if view.warning:
        lines.append(f"注意: {view.warning}")
    out(args, view.to_json(), "\n".join(lines))


def cmd_session_add(args: argparse.Namespace) -> None:
    from desk_app.services.hall import calendar

    services = [c.strip() for c in args.services.split(",") if c.strip()] if args.services else None
    row = calendar.add_session(
        db_from_args(args, acting=Operation.CALENDAR_SESSION_ADD),
        args.kind,
        args.days,
        args.start,
        args.end,
        services=services,
        windows=_ints(args.windows),
    )
    out(args, row, f"session {row['id']}: {row['kind']} {row['days']} {row['from']}-{row['to']}")


def cmd_session_list(args: argparse.Namespace) -> None:
    from desk_app.services.hall import calendar

    rows = calendar.list_sessions(db_from_args(args, acting=Operation.CALENDAR_SESSION_LIST))
    out(
        args,
        {"sessions": rows},
        "\n".join(f"{r['id']}  {r['kind']}  {r['days']}  {r['from']}-{r['to']}" for r in rows)
        or "no sessions (the hall issues tickets at any time)",
    )


def cmd_session_remove(args: argparse.Namespace) -> None:
    from desk_app.services.hall import calendar

    calendar.remove_session(db_from_args(args, acting=Operation.CALENDAR_SESSION_REMOVE), args.id)
    out(args, {"removed": args.id}, f"session {args.id} removed")


def cmd_calendar_add(args: argparse.Namespace) -> None:
    from desk_app.services.common.catalog import work_calendar

    check_allowed(args, Operation.CALENDAR_ADD_WORKDAYS)
    start = parse_date(args.date, "起始")
    if args.n < 0:
        raise CliError("工作日数须 ≥ 0 / N must be >= 0")
    try:
        r = work_calendar().add_workdays(start, args.n)
    except OverflowError:
        raise CliError(f"结果超出日历范围 / beyond the calendar: {start} + {args.n}") from None
    note = "" if r.source.value == "official" else "  (无官方节假日数据, 仅按周末推算)"
    out(args, {"date": r.date.isoformat(), "source": r.source.value}, f"{r.date}{note}")


def register(c: Commands) -> None:
    cal = c.group("calendar", "working days and the opening calendar")
    p = c.add(cal, "add-workdays", cmd_calendar_add, "the N-th working day after DATE")
    p.add_argument("date")
    p.add_argument("n", type=db_int)
    p = c.add(cal, "show", cmd_show, "a day: open, sessions, holiday data source")
    p.add_argument("date")
    sess = cal.add_parser("session", help="opening sessions").add_subparsers(
        dest="subsub", required=True, parser_class=Parser
    )
    p = c.add(sess, "add", cmd_session_add, "regular hours or an extended session")
    p.add_argument("kind", help="regular|midday|evening|saturday|special")
    p.add_argument("--days", required=True, help="mon-fri | sat | tue,thu | YYYY-MM-DD")
    p.add_argument("--from", dest="start", required=True, metavar="HH:MM")
    p.add_argument("--to", dest="end", required=True, metavar="HH:MM")
    p.add_argument("--services", help="CODE,CODE (default: all)")
    p.add_argument("--windows", help="1,2 (default: all)")
    c.add(sess, "list", cmd_session_list, "the sessions set")
    p = c.add(sess, "remove", cmd_session_remove, "remove a session")
    p.add_argument("id", type=positive_int)
