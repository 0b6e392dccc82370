"""``desk-app case ...``: 一件事 cases at the counter (no Qt)."""

from __future__ import annotations

import argparse
from typing import Any

from desk_app.cli.common import (
    CliError,
    Commands,
    choices,
    db_from_args,
    db_int,
    out,
    parse_answers,
    parse_date,
    parse_pairs,
    positive_int,
)
from desk_app.domain.cases import Decision
from desk_app.security.roles import Operation


def _case_out(args: argparse.Namespace, view: Any) -> None:
    lines = [
        f"{view.case_no}  {view.bundle_name}  {view.state}",
        f"申请人 {view.applicant_name} {view.applicant_id}",
    ]
    lines += [f"  [{m.status}] {m.code}  {m.name}" for m in view.materials]
    if view.deadline:
        lines.append(f"办结期限 {view.deadline}")
    if view.deferral_due:
        lines.append(f"容缺补正期限 {view.deferral_due}")
    out(args, view.to_json(), "\n".join(lines))


def cmd_case_open(args: argparse.Namespace) -> None:
    from desk_app.services.cases import actions as cases
    from desk_app.services.cases.dto import AgentInfo

    if bool(args.applicant_id) == bool(args.credit_code):
        raise CliError("请给出 --applicant-id 或 --credit-code (二选一) / give exactly one")
    agent = None
    if args.agent_name or args.agent_id:
        if not (args.agent_name and args.agent_id and args.auth_scope and args.auth_valid_until):
            raise CliError(
                "代办须同时给出 --agent-name --agent-id --auth-scope "
                "--auth-valid-until / an agent needs all four"
            )
        agent = AgentInfo(
            args.agent_name,
            args.agent_id,
            args.auth_scope,
            parse_date(args.auth_valid_until, "委托有效期"),
        )
    view = cases.open_case(
        db_from_args(args, acting=Operation.CASE_OPEN),
        args.bundle,
        args.applicant_name,
        applicant_id=args.applicant_id,
        credit_code=args.credit_code,
        phone=args.phone,
        ticket_id=args.ticket,
        answers=parse_answers(args.answer),
        agent=agent,
        bad_credit=args.bad_credit,
        window=args.window,
        assist_session=args.assist_session,
        share_consent=args.consent,
    )
    out(args, {"case_no": view.case_no, "id": view.id}, view.case_no)


def cmd_case_receive(args: argparse.Namespace) -> None:
    from desk_app.domain.cases import MaterialStatus
    from desk_app.services.cases import actions as cases

    form = (
        MaterialStatus.COPY
        if args.copy
        else MaterialStatus.VERIFIED
        if args.verified
        else MaterialStatus.ORIGINAL
    )
    _case_out(
        args,
        cases.receive(
            db_from_args(args, acting=Operation.CASE_RECEIVE),
            args.case_no,
            args.materials,
            form=form,
            window=args.window,
        ),
    )


def cmd_case_decide(args: argparse.Namespace) -> None:
    from desk_app.services.cases import actions as cases

    _case_out(
        args,
        cases.decide(
            db_from_args(args, acting=Operation.CASE_DECIDE),
            args.case_no,
            args.decision,
            reason=args.reason,
            days=args.days,
            window=args.window,
            missing_reasons=parse_pairs(
                args.missing_reason, "--missing-reason", "暂缺原因", value_required=True
            ),
        ),
    )


def cmd_case_conclude(args: argparse.Namespace) -> None:
    from desk_app.services.cases import actions as cases

    results = parse_pairs(args.result, "--result", "办理结果", value_required=True)
    _case_out(
        args,
        cases.conclude(
            db_from_args(args, acting=Operation.CASE_CONCLUDE),
            args.case_no,
            evaluation=args.evaluation,
            results=results,
            window=args.window,
        ),
    )


def cmd_case_evaluate(args: argparse.Namespace) -> None:
    from desk_app.services.cases import actions as cases

    _case_out(
        args,
        cases.evaluate(
            db_from_args(args, acting=Operation.CASE_EVALUATE),
            args.case_no,
            args.level,
            comment=args.comment,
        ),
    )


def cmd_case_terminate(args: argparse.Namespace) -> None:
    from desk_app.services.cases import actions as cases

    _case_out(
        args,
        cases.terminate(
            db_from_args(args, acting=Operation.CASE_TERMINATE), args.case_no, args.reason
        ),
    )


def cmd_case_show(args: argparse.Namespace) -> None:
    from desk_app.services.cases import actions as cases

    if args.reveal or args.reason is not None:
        if not args.reveal:
            raise CliError("--reason 只与 --reveal 一起使用 / --reason goes with --reveal")
        if not (args.reason or "").strip():
            raise CliError("查看完整个人信息须说明理由 --reason / --reveal needs a --reason")
        db = db_from_args(args, acting=Operation.CASE_REVEAL)
        _case_out(args, cases.reveal(db, args.case_no, args.reason))
        return
    _case_out(args, cases.show(db_from_args(args, acting=Operation.CASE_SHOW), args.case_no))


def cmd_case_alerts(args: argparse.Namespace) -> None:
    from desk_app.services.cases import actions as cases

    rows = cases.negative_evaluations(db_from_args(args, acting=Operation.CASE_ALERTS))
    out(
        args,
        {"negative": rows},
        "\n".join(
            f"{r['case_no']} {r['bundle']} {r['level']} 跟进期限 {r['follow_up_due']} {r['comment'] or ''}"
            for r in rows
        )
        or "no negative ratings waiting for follow-up",
    )


def cmd_case_print(args: argparse.Namespace) -> None:
    from desk_app.services.cases import documents as case_print

    kind = "notice" if args.notice else "receipt" if args.receipt else "commitment"
    target = args.notice or args.receipt or args.commitment
    db = db_from_args(args, acting=Operation.CASE_PRINT)
    try:
        case_print.print_case_document(db, args.case_no, kind, target)
    except OSError as exc:
        raise CliError(
            f"不能写入 {target}: {exc.strerror or exc} / cannot write {target}"
        ) from None
    out(args, {"case_no": args.case_no, "document": kind, "file": target}, f"{kind} -> {target}")


def cmd_case_attach(args: argparse.Namespace) -> None:
    from pathlib import Path

    from desk_app.services.cases import files as case_files

    db = db_from_args(args, acting=Operation.CASE_ATTACH)
    done = case_files.attach(
        db,
        args.case_no,
        args.material,
        [Path(f) for f in args.files],
        source=args.source,
        window=args.window,
    )
    out(args, done.to_json(), f"{done.material}: {done.pages} 页, {done.bytes} bytes (电子件)")


def register(c: Commands) -> None:
    case = c.group("case", "一件事 cases")
    p = c.add(case, "open", cmd_case_open, "open a case")
    p.add_argument("--bundle", required=True)
    p.add_argument("--applicant-name", required=True)
    p.add_argument("--applicant-id")
    p.add_argument("--credit-code")
    p.add_argument("--phone")
    p.add_argument(
        "--ticket",
        metavar="NUMBER",
        help="today's ticket the visitor holds, e.g. A001 (or a ticket id)",
    )
    p.add_argument("--answer", action="append", metavar="KEY=VALUE")
    p.add_argument("--agent-name")
    p.add_argument("--agent-id")
    p.add_argument("--auth-scope")
    p.add_argument("--auth-valid-until", metavar="YYYY-MM-DD")
    p.add_argument("--bad-credit", action="store_true", help="applicant has a bad credit flag")
    p.add_argument("--window", type=positive_int)
    p.add_argument("--assist-session", type=positive_int, metavar="ID", help="帮办代办 session")
    p.add_argument(
        "--consent",
        action="store_true",
        help="the applicant agrees that materials shared data replaces are fetched (免证办); "
        "without it they are handed in",
    )
    from desk_app.cli import online, share  # their case commands: case share, case inbox

    share.register_case(c, case)
    online.register_case(c, case)
    p = c.add(case, "attach", cmd_case_attach, "scan pages into a case as a material (电子件)")
    p.add_argument("case_no", metavar="CASE")
    p.add_argument("material", metavar="MATERIAL", help="the material's code or name")
    p.add_argument("files", nargs="+", metavar="FILE", help="images (JPEG, PNG, TIFF) or one PDF")
    p.add_argument(
        "--source", choices=["camera", "scanner", "file"], default="file", help="where from"
    )
    p.add_argument("--window", type=positive_int, metavar="N", help="the window it is done at")
    p = c.add(case, "receive", cmd_case_receive, "tick off received materials")
    p.add_argument("case_no")
    p.add_argument(
        "materials",
        nargs="+",
        metavar="MATERIAL",
        help="material codes (listed by case show) or names as the checklist prints them",
    )
    g = p.add_mutually_exclusive_group()
    g.add_argument("--copy", action="store_true", help="received as copies")
    g.add_argument("--verified", action="store_true", help="verified from shared data")
    p.add_argument("--window", type=positive_int)
    p = c.add(case, "decide", cmd_case_decide, "accept, defer (容缺), notice (一次性告知), reject")
    p.add_argument("case_no")
    p.add_argument("decision", choices=choices(Decision))
    p.add_argument("--reason")
    p.add_argument("--days", type=db_int, help="deferral deadline in working days")
    p.add_argument(
        "--missing-reason",
        action="append",
        metavar="MATERIAL=TEXT",
        help="why a material is missing (defer or notice; printed on the commitment or notice)",
    )
    p.add_argument("--window", type=positive_int)
    p = c.add(case, "conclude", cmd_case_conclude, "conclude (办结)")
    p.add_argument("case_no")
    p.add_argument("--evaluation", type=db_int, choices=[1, 2, 3, 4, 5])
    p.add_argument("--result", action="append", metavar="ITEM=approved|refused")
    p.add_argument("--window", type=positive_int)
    p = c.add(case, "evaluate", cmd_case_evaluate, "好差评 after conclusion")
    p.add_argument("case_no")
    p.add_argument("level", type=db_int, choices=[1, 2, 3, 4, 5])
    p.add_argument("--comment")
    p = c.add(case, "terminate", cmd_case_terminate, "terminate a deferred case")
    p.add_argument("case_no")
    p.add_argument("--reason", required=True)
    p = c.add(case, "show", cmd_case_show, "show a case (personal data masked)")
    p.add_argument("case_no")
    p.add_argument(
        "--reveal",
        action="store_true",
        help="personal data in clear (supervisor; audited, needs --reason)",
    )
    p.add_argument("--reason", help="why the personal data is revealed (kept in the audit trail)")
    c.add(case, "alerts", cmd_case_alerts, "negative ratings waiting for follow-up (supervisor)")
    p = c.add(case, "print", cmd_case_print, "write a case document as PDF")
    p.add_argument("case_no")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--notice", metavar="FILE.pdf", help="一次性告知单")
    g.add_argument("--receipt", metavar="FILE.pdf", help="受理回执")
    g.add_argument("--commitment", metavar="FILE.pdf", help="容缺受理承诺书")
