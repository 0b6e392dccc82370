"""``desk-app alerts ...`` and ``desk-app followup ...``: the supervisor's alerts and the
follow-up of negative 好差评 ratings (with appeals)."""

from __future__ import annotations

import argparse

from desk_app.cli.common import Commands, db_from_args, out, positive_int
from desk_app.security.roles import Operation


def cmd_alerts_list(args: argparse.Namespace) -> None:
    from desk_app.services.supervision import alerts

    found = alerts.list_alerts(db_from_args(args, acting=Operation.ALERTS_LIST))
    lines = [f"{'✓' if a.acked else '!'} {a.id}  {a.message_zh}" for a in found]
    out(args, {"alerts": [a.to_json() for a in found]}, "\n".join(lines) or "no alerts")


def cmd_alerts_ack(args: argparse.Namespace) -> None:
    from desk_app.services.supervision import alerts

    a = alerts.acknowledge(db_from_args(args, acting=Operation.ALERTS_ACK), args.id, args.note)
    out(args, a.to_json(), f"acknowledged {a.id}")


def _follow_out(args: argparse.Namespace, view) -> None:  # type: ignore[no-untyped-def]
    out(
        args,
        view.to_json(),
        f"{view.evaluation_id} {view.case_no} {view.state} {view.appeal or ''}",
    )


def cmd_followup_list(args: argparse.Namespace) -> None:
    from desk_app.services.evaluation import follow_up

    rows = follow_up.follow_ups(
        db_from_args(args, acting=Operation.FOLLOWUP_LIST), overdue_only=args.overdue
    )
    lines = [
        f"{r.evaluation_id:>5} {r.state:<8} {r.due} {r.case_no} {r.bundle} {r.level}级"
        + (f" 申诉:{r.appeal}" if r.appeal else "")
        for r in rows
    ]
    out(args, {"follow_ups": [r.to_json() for r in rows]}, "\n".join(lines) or "none")


def cmd_followup_record(args: argparse.Namespace) -> None:
    from desk_app.services.evaluation import follow_up

    db = db_from_args(args, acting=Operation.FOLLOWUP_RECORD)
    _follow_out(args, follow_up.record(db, args.evaluation, args.outcome, args.note))


def cmd_followup_appeal(args: argparse.Namespace) -> None:
    from desk_app.services.evaluation import follow_up

    db = db_from_args(args, acting=Operation.FOLLOWUP_APPEAL)
    _follow_out(args, follow_up.appeal(db, args.evaluation, args.reason))


def cmd_followup_review(args: argparse.Namespace) -> None:
    from desk_app.services.evaluation import follow_up

    db = db_from_args(args, acting=Operation.FOLLOWUP_REVIEW)
    _follow_out(args, follow_up.review(db, args.evaluation, args.outcome, args.note))


def register(c: Commands) -> None:
    group = c.group("alerts", "the supervisor's alerts")
    c.add(group, "list", cmd_alerts_list, "alerts now (acknowledged ones flagged)")
    p = c.add(group, "ack", cmd_alerts_ack, "acknowledge an alert with a note (audited)")
    p.add_argument("id")
    p.add_argument("--note", required=True)

    group = c.group("followup", "follow-up of negative 好差评 ratings")
    p = c.add(group, "list", cmd_followup_list, "negative ratings and their follow-up")
    p.add_argument("--overdue", action="store_true", help="only those past their due date")
    p = c.add(group, "record", cmd_followup_record, "record the contact and its outcome")
    p.add_argument("evaluation", type=positive_int)
    p.add_argument("--outcome", required=True, choices=("fixed", "explained"))
    p.add_argument("--note", required=True)
    p = c.add(group, "appeal", cmd_followup_appeal, "申诉: dispute a negative rating")
    p.add_argument("evaluation", type=positive_int)
    p.add_argument("--reason", required=True)
    p = c.add(group, "review", cmd_followup_review, "复核: decide an appeal")
    p.add_argument("evaluation", type=positive_int)
    p.add_argument("--outcome", required=True, choices=("upheld", "rejected"))
    p.add_argument("--note", required=True)
