"""``desk-app case inbox`` and ``desk-app workorder ...``: online applications waiting for
review at the counter, and 12345 work orders at the supervisor's (no Qt)."""

from __future__ import annotations

import argparse

from desk_app.cli.common import Commands, db_from_args, out
from desk_app.security.roles import Operation


def cmd_case_inbox(args: argparse.Namespace) -> None:
    from desk_app.services.cases import online

    rows = online.inbox(db_from_args(args, acting=Operation.CASE_INBOX), args.state)
    human = "\n".join(
        f"{r.case_no}  {r.bundle_name}  {r.mode}  {r.state}  收到 {r.received_at:%m-%d %H:%M}  "
        f"应于 {r.due} 前审核" + ("  【逾期】" if r.overdue else "")
        for r in rows
    )
    out(args, {"cases": [r.to_json() for r in rows]}, human or "没有网办件 / nothing to review")


def _order_out(args: argparse.Namespace, view) -> None:  # type: ignore[no-untyped-def]
    out(args, view.to_json(), f"{view.number}  {view.state}")


def cmd_workorder_list(args: argparse.Namespace) -> None:
    from desk_app.services.workorders import orders as workorders

    rows = workorders.list_orders(db_from_args(args, acting=Operation.WORKORDER_LIST), args.state)
    human = "\n".join(
        f"{r.number}  {r.kind}  {r.state}  答复期限 {r.deadline}"
        + ("  【逾期】" if r.sign_overdue or r.reply_overdue else "")
        + f"\n    {r.text[:80]}"
        for r in rows
    )
    out(args, {"workorders": [r.to_json() for r in rows]}, human or "没有工单 / none")


def cmd_workorder_sign(args: argparse.Namespace) -> None:
    from desk_app.services.workorders import orders as workorders

    db = db_from_args(args, acting=Operation.WORKORDER_SIGN)
    _order_out(args, workorders.sign(db, args.id))


def cmd_workorder_reply(args: argparse.Namespace) -> None:
    from desk_app.services.workorders import orders as workorders

    db = db_from_args(args, acting=Operation.WORKORDER_REPLY)
    _order_out(args, workorders.reply(db, args.id, args.text, kb=args.kb))


def cmd_workorder_return(args: argparse.Namespace) -> None:
    from desk_app.services.workorders import orders as workorders

    db = db_from_args(args, acting=Operation.WORKORDER_RETURN)
    _order_out(args, workorders.return_order(db, args.id, args.reason))


# The services' INBOX_STATES and FILTERS (tests/test_online.py keeps them equal), written
# out so that building the parser loads no service.
INBOX_STATES = ("open", "notice", "accepted", "deferred", "concluded", "rejected", "all")
FILTERS = ("received", "signed", "replied", "returned", "overdue", "open", "all")


def register_case(c: Commands, case: object) -> None:
    """``case inbox`` (the case group is the cases module's)."""
    p = c.add(case, "inbox", cmd_case_inbox, "online applications to review (网办件)")
    p.add_argument("--state", choices=INBOX_STATES, default="open")


def register(c: Commands) -> None:
    wo = c.group("workorder", "12345 work orders (工单)")
    p = c.add(wo, "list", cmd_workorder_list, "work orders by state")
    p.add_argument("--state", choices=FILTERS, default="open")
    p = c.add(wo, "sign", cmd_workorder_sign, "sign for a work order (签收)")
    p.add_argument("id", metavar="ID", help="the work order's number (12345-...) or id")
    p = c.add(wo, "reply", cmd_workorder_reply, "reply (答复), once")
    p.add_argument("id", metavar="ID")
    p.add_argument("--text", required=True)
    p.add_argument("--kb", metavar="ENTRY", help="the knowledge-base answer the reply rests on")
    p = c.add(wo, "return", cmd_workorder_return, "return one that is not the hall's (退回)")
    p.add_argument("id", metavar="ID")
    p.add_argument("--reason", required=True)
