"""``desk-app assist ...`` and ``desk-app pain ...``: 帮办代办 sessions and 堵点 (no Qt)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from desk_app.cli.common import (
    CliError,
    Commands,
    choices,
    db_from_args,
    db_int,
    out,
    parse_date,
    positive_int,
)
from desk_app.domain.assist import AssistMode, Channel, PainCategory, PainState
from desk_app.security.roles import Operation


def _writable(target: str | None) -> None:
    """Refuse an output file that cannot be written before anything is done (nothing written)."""
    if not target:
        return
    path = Path(target)
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir() or not parent.is_dir() or not os.access(parent, os.W_OK):
        raise CliError(f"不能写入 {target} / cannot write {target}")
    if path.exists() and not os.access(path, os.W_OK):
        raise CliError(f"不能写入 {target} / cannot write {target}")


def _print(args: argparse.Namespace, fn: Any, *fn_args: Any) -> str | None:
    """Write the form after the change it records: the change stands if the file cannot be
    written (exit 0, one line saying so), as a ticket issued whose paper jammed."""
    if not args.print:
        return None
    try:
        fn(*fn_args, args.print)
    except OSError as exc:
        print(
            f"已记录, 但表单无法写入 {args.print}: {exc.strerror or exc} "
            "/ recorded, the form was not written",
            file=sys.stderr,
        )
        return None
    return args.print


def _session_out(args: argparse.Namespace, view: Any, printed: str | None = None) -> None:
    lines = [
        f"#{view.id}  {view.mode}/{view.channel}  {view.state}  {view.bundle_name or ''}",
        f"服务对象 {view.visitor_name} {view.visitor_id}  帮办人 {view.helper or ''}",
    ]
    if view.authorization:
        a = view.authorization
        lines.append(
            f"授权 {a.principal_name} -> {a.agent_name}: {','.join(a.items)} 至 {a.valid_until}"
            + ("" if a.valid else " (已过期)")
        )
    for step in view.steps:
        lines.append(
            f"  {step.seq}. {step.where}  {step.action}  {step.minutes} 分钟"
            + (f"  材料: {'、'.join(step.materials)}" if step.materials else "")
            + (f"  结果: {step.outcome}" if step.outcome else "")
        )
    lines += [f"  办件 {c['case_no']} {c['state']}" for c in view.cases]
    payload = view.to_json()
    if printed:
        payload["printed"] = printed
        lines.append(f"-> {printed}")
    out(args, payload, "\n".join(lines))


def cmd_start(args: argparse.Namespace) -> None:
    from desk_app.services.assist import documents as assist_print
    from desk_app.services.assist import sessions as assist

    _writable(args.print)
    db = db_from_args(args, acting=Operation.ASSIST_START)
    view = assist.start_session(
        db,
        args.mode,
        args.name,
        args.id,
        channel=args.channel,
        bundle_code=args.bundle,
        ticket=args.ticket,
        appointment=args.appointment,
    )
    printed = _print(args, assist_print.print_form, db, view.id, "accept")
    _session_out(args, view, printed)


def cmd_authorize(args: argparse.Namespace) -> None:
    from desk_app.services.assist import documents as assist_print
    from desk_app.services.assist import sessions as assist

    _writable(args.print)
    db = db_from_args(args, acting=Operation.ASSIST_AUTHORIZE)
    view = assist.authorize(
        db,
        args.session,
        args.principal_name,
        args.principal_id,
        [c for c in args.items.split(",") if c.strip()],
        parse_date(args.until, "委托有效期"),
        agent_name=args.agent_name,
        agent_id=args.agent_id,
    )
    printed = _print(args, assist_print.print_authorization, db, view.id)
    _session_out(args, view, printed)


def cmd_step(args: argparse.Namespace) -> None:
    from desk_app.services.assist import sessions as assist

    if (args.window is None) == (args.department is None):
        raise CliError("请给出 --window 或 --department (二选一) / give exactly one")
    view = assist.add_step(
        db_from_args(args, acting=Operation.ASSIST_STEP),
        args.session,
        args.action,
        window=args.window,
        department=args.department,
        minutes=args.minutes,
        item=args.item,
        materials=args.material or [],
        outcome=args.outcome,
        trip=args.trip,
        ticket=args.ticket,
    )
    _session_out(args, view)


_STATE_COMMANDS = {
    "suspend": (Operation.ASSIST_SUSPEND, "suspend"),
    "resume": (Operation.ASSIST_RESUME, "accept"),  # resuming gives a new 受理单
    "terminate": (Operation.ASSIST_TERMINATE, "terminate"),
    "conclude": (Operation.ASSIST_CONCLUDE, "conclude"),
}


def cmd_state(args: argparse.Namespace) -> None:
    from desk_app.services.assist import documents as assist_print
    from desk_app.services.assist import sessions as assist

    operation, form = _STATE_COMMANDS[args.sub]
    _writable(args.print)
    db = db_from_args(args, acting=operation)
    view = assist.change_state(db, args.session, args.sub, args.reason)
    printed = _print(args, assist_print.print_form, db, view.id, form)
    _session_out(args, view, printed)


def cmd_show(args: argparse.Namespace) -> None:
    from desk_app.services.assist import sessions as assist

    if args.reveal or args.reason is not None:
        if not args.reveal:
            raise CliError("--reason 只与 --reveal 一起使用 / --reason goes with --reveal")
        if not (args.reason or "").strip():
            raise CliError("查看完整个人信息须说明理由 --reason / --reveal needs a --reason")
        db = db_from_args(args, acting=Operation.CASE_REVEAL)
        _session_out(args, assist.reveal(db, args.session, args.reason))
        return
    _session_out(args, assist.show(db_from_args(args, acting=Operation.ASSIST_SHOW), args.session))


def cmd_list(args: argparse.Namespace) -> None:
    from desk_app.domain import clock
    from desk_app.services.assist import sessions as assist

    day = parse_date(args.date, "日期") if args.date else None
    db = db_from_args(args, acting=Operation.ASSIST_LIST)
    rows = assist.list_sessions(db, day, helper=args.helper)
    day = day or clock.today()
    out(
        args,
        {"date": day.isoformat(), "sessions": [r.to_json() for r in rows]},
        "\n".join(
            f"#{r.id}  {clock.local(r.started_at):%H:%M}  {r.mode}/{r.channel}  {r.state}  "
            f"{r.visitor_name}  {r.bundle_name or ''}  {r.helper or ''}  "
            f"{r.steps} 步 {r.minutes} 分钟"
            for r in rows
        )
        or f"{day}: 没有帮办服务 / no sessions",
    )


def cmd_stats(args: argparse.Namespace) -> None:
    from desk_app.services.assist import stats as assist_stats

    start = parse_date(args.from_, "开始日期") if args.from_ else None
    end = parse_date(args.to, "结束日期") if args.to else None
    db = db_from_args(args, acting=Operation.ASSIST_STATS)
    figures = assist_stats.assist_statistics(db, start, end)
    figures["walkthroughs"] = assist_stats.walkthrough_figures(db, start, end)
    lines = [f"{figures['from']} .. {figures['to']}: {figures['sessions']} 次帮办服务"]
    for group in ("by_helper", "by_mode", "by_channel", "by_bundle"):
        lines.append(
            f"  {group}: "
            + ", ".join(f"{r['key']} {r['sessions']} ({r['minutes']} 分钟)" for r in figures[group])
        )
    pain = figures["pain"]
    lines.append(
        f"  堵点 {pain['total']} 个, 逾期 {pain['overdue']}: {pain['by_category']} {pain['by_state']}"
    )
    for w in figures["walkthroughs"]:
        lines.append(
            f"  走流程 {w['code']}: 声称 {w['claimed']} 实测 {w['measured']} 更差 {w['worse']}"
        )
    out(args, figures, "\n".join(lines))


# --- pain points -------------------------------------------------------------------------


def _pain_line(p: Any) -> str:
    flag = " 逾期" if p.overdue else ""
    return (
        f"#{p.id}  [{p.state}{flag}]  {p.category}  {p.bundle}"
        + (f"/{p.item}" if p.item else "")
        + f"  {p.owner or '未分派'}  期限 {p.due}  {p.text}"
    )


def _pain_out(args: argparse.Namespace, view: Any) -> None:
    out(args, view.to_json(), _pain_line(view))


def cmd_pain_add(args: argparse.Namespace) -> None:
    from desk_app.services.assist import pain_points

    _pain_out(
        args,
        pain_points.add_pain(
            db_from_args(args, acting=Operation.PAIN_ADD),
            args.category,
            args.bundle,
            args.text,
            session_id=args.session,
            item=args.item,
            owner=args.owner,
        ),
    )


def cmd_pain_list(args: argparse.Namespace) -> None:
    from collections import Counter

    from desk_app.services.assist import pain_points

    rows = pain_points.list_pains(
        db_from_args(args, acting=Operation.PAIN_LIST), args.state, session_id=args.session
    )
    payload = {
        "pain_points": [r.to_json() for r in rows],
        "overdue": sum(r.overdue for r in rows),
        "by_category": dict(sorted(Counter(r.category for r in rows).items())),
        "by_state": dict(sorted(Counter(r.state for r in rows).items())),
    }
    out(args, payload, "\n".join(_pain_line(r) for r in rows) or "没有堵点 / no pain points")


def cmd_pain_assign(args: argparse.Namespace) -> None:
    from desk_app.services.assist import pain_points

    due = parse_date(args.due, "整改期限") if args.due else None
    _pain_out(
        args,
        pain_points.assign(
            db_from_args(args, acting=Operation.PAIN_ASSIGN), args.pain, args.owner, due=due
        ),
    )


def cmd_pain_close(args: argparse.Namespace) -> None:
    from desk_app.services.assist import pain_points

    operation = Operation.PAIN_RESOLVE if args.sub == "resolve" else Operation.PAIN_EXPLAIN
    fn = pain_points.resolve if args.sub == "resolve" else pain_points.explain
    _pain_out(args, fn(db_from_args(args, acting=operation), args.pain, args.note))


def register(c: Commands) -> None:
    g = c.group("assist", "帮办代办 helper sessions")
    p = c.add(g, "start", cmd_start, "start a session for a visitor")
    p.add_argument("--mode", required=True, choices=choices(AssistMode))
    p.add_argument("--channel", default="site", choices=choices(Channel))
    p.add_argument("--ticket", metavar="NUMBER", help="today's ticket the visitor holds")
    p.add_argument("--appointment", metavar="CODE", help="the visitor's appointment code")
    p.add_argument("--bundle", metavar="CODE", help="the 一件事 (required for proxy, walkthrough)")
    p.add_argument("--name", required=True, help="the visitor's name")
    p.add_argument("--id", required=True, metavar="RESIDENT_ID", help="the visitor's resident ID")
    p.add_argument("--print", metavar="FILE.pdf", help="write the 受理单")
    p = c.add(g, "authorize", cmd_authorize, "record the signed authorization (授权委托书)")
    p.add_argument("session", type=positive_int, metavar="ID")
    p.add_argument("--principal-name", required=True)
    p.add_argument("--principal-id", required=True)
    p.add_argument("--items", required=True, metavar="CODE[,CODE]", help="item codes covered")
    p.add_argument("--until", required=True, metavar="YYYY-MM-DD", help="last valid day")
    p.add_argument("--agent-name", help="another agent than the helper (with --agent-id)")
    p.add_argument("--agent-id")
    p.add_argument("--print", metavar="FILE.pdf", help="write the letter to sign")
    p = c.add(g, "step", cmd_step, "add a step to the timeline")
    p.add_argument("session", type=positive_int, metavar="ID")
    p.add_argument("--window", type=positive_int)
    p.add_argument("--department")
    p.add_argument("--action", required=True)
    p.add_argument("--minutes", type=db_int, help="how long it took (default: since the last)")
    p.add_argument("--item", metavar="CODE", help="the bundle item acted on")
    p.add_argument("--material", action="append", metavar="NAME", help="a material handed over")
    p.add_argument("--outcome")
    p.add_argument("--trip", action="store_true", help="the step took a trip of its own (跑动)")
    p.add_argument("--ticket", metavar="NUMBER", help="a ticket of today used at this step")
    for name, help_ in (
        ("suspend", "suspend (中止), with --reason"),
        ("resume", "resume a suspended session"),
        ("terminate", "terminate (终止), with --reason"),
        ("conclude", "conclude (办结)"),
    ):
        p = c.add(g, name, cmd_state, help_)
        p.add_argument("session", type=positive_int, metavar="ID")
        p.add_argument("--reason")
        p.add_argument(
            "--print", metavar="FILE.pdf", help="write the form (受理单/中止单/终止单/办结单)"
        )
    p = c.add(g, "show", cmd_show, "a session and its timeline (masked)")
    p.add_argument("session", type=positive_int, metavar="ID")
    p.add_argument("--reveal", action="store_true", help="personal data in clear (supervisor)")
    p.add_argument("--reason", help="why (kept in the audit trail)")
    p = c.add(g, "list", cmd_list, "the sessions of a day")
    p.add_argument("--date", metavar="YYYY-MM-DD")
    p.add_argument("--helper", metavar="CODE")
    p = c.add(g, "stats", cmd_stats, "sessions, time and pain points of a period; walkthroughs")
    p.add_argument("--from", dest="from_", metavar="YYYY-MM-DD")
    p.add_argument("--to", metavar="YYYY-MM-DD")

    g = c.group("pain", "堵点 pain points")
    p = c.add(g, "add", cmd_pain_add, "record a pain point")
    p.add_argument("--category", required=True, choices=choices(PainCategory))
    p.add_argument("--bundle", required=True)
    p.add_argument("--item", metavar="CODE")
    p.add_argument("--text", required=True)
    p.add_argument("--session", type=positive_int, metavar="ID")
    p.add_argument("--owner", metavar="DEPT")
    p = c.add(g, "list", cmd_pain_list, "pain points, overdue first")
    p.add_argument("--state", choices=choices(PainState))
    p.add_argument("--session", type=positive_int, metavar="ID")
    p = c.add(g, "assign", cmd_pain_assign, "assign to an owner department")
    p.add_argument("pain", type=positive_int, metavar="ID")
    p.add_argument("--owner", required=True, metavar="DEPT")
    p.add_argument("--due", metavar="YYYY-MM-DD")
    for name in ("resolve", "explain"):
        p = c.add(g, name, cmd_pain_close, f"{name} a pain point")
        p.add_argument("pain", type=positive_int, metavar="ID")
        p.add_argument("--note", required=True)
