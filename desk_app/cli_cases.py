"""``desk-app catalog|case|calendar ...``: the 一件事 catalog, cases and working days (no Qt)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from desk_app.cli_common import CliError, db_from_args, out


def _answers(pairs: list[str] | None) -> dict[str, str]:
    answers: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CliError(f"情形回答格式应为 KEY=VALUE: {pair!r} / --answer needs KEY=VALUE")
        answers[key.strip()] = value.strip()
    return answers


def _date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CliError(f"{what} 日期格式应为 YYYY-MM-DD: {text!r} / bad date") from exc


def _item_json(bundle: Any, item: Any) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "department": bundle.department(item.department).name,
        "time_limit_days": item.time_limit_days,
        "deferral_allowed": item.deferral_allowed,
    }


def cmd_catalog_list(args: argparse.Namespace) -> None:
    from desk_app.services.cases import catalog

    cat = catalog()
    bundles = [
        {
            "code": b.code,
            "name": b.name,
            "audience": b.audience.value,
            "items": [_item_json(b, i) for i in b.items],
        }
        for b in cat.bundles
    ]
    out(
        args,
        {"version": cat.version, "bundles": bundles},
        "\n".join(f"{b['code']:<24} {b['audience']:<8} {b['name']}" for b in bundles),
    )


def _figures(b: Any) -> dict[str, Any]:
    f = b.figures
    result: dict[str, Any] = {}
    if f is None:
        return result
    for key in ("steps", "materials", "trips", "time_limit_days"):
        ba = getattr(f, key)
        if ba is not None:
            result[key] = {"before": ba.before, "after": ba.after}
    if f.source:
        result["source"] = f.source
    return result


def cmd_catalog_show(args: argparse.Namespace) -> None:
    from desk_app.services.cases import bundle

    b = bundle(args.code)
    payload = {
        "code": b.code,
        "name": b.name,
        "audience": b.audience.value,
        "summary": b.summary,
        "departments": [{"code": d.code, "name": d.name} for d in b.departments],
        "items": [_item_json(b, i) for i in b.items],
        "questions": [
            {
                "key": q.key,
                "text": q.text,
                "default": q.default,
                "choices": [{"value": c.value, "label": c.label} for c in q.choices],
            }
            for q in b.questions
        ],
        "materials": [
            {
                "code": m.code,
                "name": m.name,
                "required": m.required,
                "key": m.key,
                "form": m.form.value,
                "count": m.count,
                "source": m.source.value,
                "needed_by": list(m.needed_by),
                "produced_by": m.produced_by,
            }
            for m in b.materials
        ],
        "figures": _figures(b),
    }
    lines = [f"{b.name} ({b.code})"] + [
        f"  事项 {i.name} · {i.time_limit_days} 个工作日" for i in b.items
    ]
    lines += [
        f"  问 {q.key}: {q.text} [{'/'.join(c.value for c in q.choices)}]" for q in b.questions
    ]
    out(args, payload, "\n".join(lines))


def cmd_catalog_checklist(args: argparse.Namespace) -> None:
    from desk_app.domain.bundle import FORM_LABELS_ZH
    from desk_app.services.cases import checklist_for

    cl = checklist_for(args.code, _answers(args.answer))
    b = cl.bundle

    def entry(e: Any) -> dict[str, Any]:
        return {
            "code": e.code,
            "name": e.name,
            "required": e.required,
            "key": e.key,
            "form": e.form.value,
            "count": e.count,
            "source": e.source.value,
            "needed_by": list(e.needed_by),
            "why": [r.text_zh() for r in e.reasons],
        }

    payload = {
        "bundle": b.code,
        "answers": {a.key: a.value for a in cl.answers},
        "items": [_item_json(b, i) for i in cl.items],
        "submit": [entry(e) for e in cl.submit],
        "obtained": [entry(e) for e in cl.obtained],
    }
    lines = [f"事项: {'、'.join(i.name for i in cl.items)}", "需提交:"]
    lines += [
        f"  {'*' if e.required else ' '} {e.name} {FORM_LABELS_ZH[e.form]}{e.count}份"
        for e in cl.submit
    ]
    lines += ["免提交:"] + [f"    {e.name} ({e.source.value})" for e in cl.obtained]
    out(args, payload, "\n".join(lines))


def cmd_calendar_add(args: argparse.Namespace) -> None:
    from desk_app.services.cases import work_calendar

    start = _date(args.date, "起始")
    if args.n < 0:
        raise CliError("工作日数须 ≥ 0 / N must be >= 0")
    r = work_calendar().add_workdays(start, args.n)
    note = "" if r.source.value == "official" else "  (无官方节假日数据, 仅按周末推算)"
    out(args, {"date": r.date.isoformat(), "source": r.source.value}, f"{r.date}{note}")


def _case_out(args: argparse.Namespace, view: Any) -> None:
    lines = [
        f"{view.case_no}  {view.bundle_name}  {view.state}",
        f"申请人 {view.applicant_name} {view.applicant_id}",
    ]
    lines += [f"  [{m.status}] {m.name}" for m in view.materials]
    if view.deadline:
        lines.append(f"办结期限 {view.deadline}")
    if view.deferral_due:
        lines.append(f"容缺补正期限 {view.deferral_due}")
    out(args, view.to_json(), "\n".join(lines))


def cmd_case_open(args: argparse.Namespace) -> None:
    from desk_app.services import cases
    from desk_app.services.case_dto import AgentInfo

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
            _date(args.auth_valid_until, "委托有效期"),
        )
    ref = cases.open_case(
        db_from_args(args),
        args.bundle,
        args.applicant_name,
        applicant_id=args.applicant_id,
        credit_code=args.credit_code,
        phone=args.phone,
        ticket_id=args.ticket,
        answers=_answers(args.answer),
        agent=agent,
        bad_credit=args.bad_credit,
        window=args.window,
    )
    out(args, {"case_no": ref.case_no, "id": ref.id}, ref.case_no)


def cmd_case_receive(args: argparse.Namespace) -> None:
    from desk_app.services import cases

    form = "copy" if args.copy else "verified" if args.verified else "original"
    _case_out(
        args,
        cases.receive(
            db_from_args(args), args.case_no, args.materials, form=form, window=args.window
        ),
    )


def cmd_case_decide(args: argparse.Namespace) -> None:
    from desk_app.services import cases

    _case_out(
        args,
        cases.decide(
            db_from_args(args),
            args.case_no,
            args.decision,
            reason=args.reason,
            days=args.days,
            window=args.window,
        ),
    )


def cmd_case_conclude(args: argparse.Namespace) -> None:
    from desk_app.services import cases

    results = {}
    for pair in args.result or []:
        k, _, v = pair.partition("=")
        results[k] = v
    _case_out(
        args,
        cases.conclude(
            db_from_args(args),
            args.case_no,
            evaluation=args.evaluation,
            results=results,
            window=args.window,
        ),
    )


def cmd_case_evaluate(args: argparse.Namespace) -> None:
    from desk_app.services import cases

    _case_out(
        args, cases.evaluate(db_from_args(args), args.case_no, args.level, comment=args.comment)
    )


def cmd_case_terminate(args: argparse.Namespace) -> None:
    from desk_app.services import cases

    _case_out(args, cases.terminate(db_from_args(args), args.case_no, args.reason))


def cmd_case_show(args: argparse.Namespace) -> None:
    from desk_app.services import cases

    _case_out(args, cases.show(db_from_args(args), args.case_no))


def cmd_case_alerts(args: argparse.Namespace) -> None:
    from desk_app.services import cases

    rows = cases.negative_evaluations(db_from_args(args))
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
    from desk_app.services import case_print

    kind = "notice" if args.notice else "receipt" if args.receipt else "commitment"
    target = args.notice or args.receipt or args.commitment
    case_print.print_case_document(db_from_args(args), args.case_no, kind, target)
    out(args, {"case_no": args.case_no, "document": kind, "file": target}, f"{kind} -> {target}")


def add_parsers(sub: Any, cmd: Any, parser_class: type) -> None:
    cat = sub.add_parser("catalog", help="一件事 catalog").add_subparsers(
        dest="sub", required=True, parser_class=parser_class
    )
    cmd(cat, "list", cmd_catalog_list, "list bundles")
    c = cmd(cat, "show", cmd_catalog_show, "one bundle: items, questions, figures")
    c.add_argument("code")
    c = cmd(cat, "checklist", cmd_catalog_checklist, "the material checklist for answers")
    c.add_argument("code")
    c.add_argument("--answer", action="append", metavar="KEY=VALUE")

    cal = sub.add_parser("calendar", help="working days").add_subparsers(
        dest="sub", required=True, parser_class=parser_class
    )
    c = cmd(cal, "add-workdays", cmd_calendar_add, "the N-th working day after DATE")
    c.add_argument("date")
    c.add_argument("n", type=int)

    case = sub.add_parser("case", help="一件事 cases").add_subparsers(
        dest="sub", required=True, parser_class=parser_class
    )
    c = cmd(case, "open", cmd_case_open, "open a case")
    c.add_argument("--bundle", required=True)
    c.add_argument("--applicant-name", required=True)
    c.add_argument("--applicant-id")
    c.add_argument("--credit-code")
    c.add_argument("--phone")
    c.add_argument("--ticket", help="the ticket id the case was opened from")
    c.add_argument("--answer", action="append", metavar="KEY=VALUE")
    c.add_argument("--agent-name")
    c.add_argument("--agent-id")
    c.add_argument("--auth-scope")
    c.add_argument("--auth-valid-until", metavar="YYYY-MM-DD")
    c.add_argument("--bad-credit", action="store_true", help="applicant has a bad credit flag")
    c.add_argument("--window", type=int)
    c = cmd(case, "receive", cmd_case_receive, "tick off received materials")
    c.add_argument("case_no")
    c.add_argument("materials", nargs="+", metavar="MATERIAL_CODE")
    g = c.add_mutually_exclusive_group()
    g.add_argument("--copy", action="store_true", help="received as copies")
    g.add_argument("--verified", action="store_true", help="verified from shared data")
    c.add_argument("--window", type=int)
    c = cmd(case, "decide", cmd_case_decide, "accept, defer (容缺), notice (一次性告知), reject")
    c.add_argument("case_no")
    c.add_argument("decision", choices=["accept", "defer", "notice", "reject"])
    c.add_argument("--reason")
    c.add_argument("--days", type=int, help="deferral deadline in working days")
    c.add_argument("--window", type=int)
    c = cmd(case, "conclude", cmd_case_conclude, "conclude (办结)")
    c.add_argument("case_no")
    c.add_argument("--evaluation", type=int, choices=[1, 2, 3, 4, 5])
    c.add_argument("--result", action="append", metavar="ITEM=approved|refused")
    c.add_argument("--window", type=int)
    c = cmd(case, "evaluate", cmd_case_evaluate, "好差评 after conclusion")
    c.add_argument("case_no")
    c.add_argument("level", type=int, choices=[1, 2, 3, 4, 5])
    c.add_argument("--comment")
    c = cmd(case, "terminate", cmd_case_terminate, "terminate a deferred case")
    c.add_argument("case_no")
    c.add_argument("--reason", required=True)
    c = cmd(case, "show", cmd_case_show, "show a case (personal data masked)")
    c.add_argument("case_no")
    cmd(case, "alerts", cmd_case_alerts, "negative ratings waiting for follow-up (supervisor)")
    c = cmd(case, "print", cmd_case_print, "write a case document as PDF")
    c.add_argument("case_no")
    g = c.add_mutually_exclusive_group(required=True)
    g.add_argument("--notice", metavar="FILE.pdf", help="一次性告知单")
    g.add_argument("--receipt", metavar="FILE.pdf", help="受理回执")
    g.add_argument("--commitment", metavar="FILE.pdf", help="容缺受理承诺书")
