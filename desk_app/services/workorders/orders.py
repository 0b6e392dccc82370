"""12345 work orders (工单, 青诉即办 / 接诉即办): the platform dispatches citizens' requests about
一件事 to the hall; the supervisor signs each within 2 working hours of its arrival, replies by
its deadline, or returns one that is not the hall's with a reason. Each step goes back to the
platform once (``work_order_events``, sent by desk_app/sync/online_sync.py; the platform keeps
the first event of a number and takes one reply).

Working hours are the hall's opening sessions (its calendar; the regular hours without one):
a work order arriving at 16:30 on a Friday with the hall open until 17:00 is due to be signed
90 minutes into Monday's opening. Overdue ones are alerts (supervision/alerts.py). A reply to
a consult may name the knowledge-base answer it used or that was written from it (``kb``);
consults replied without one join the knowledge base's unanswered questions.

The citizen's text and contact and the hall's reply are sealed at rest and purged after the
retention period like cases; lists show the contact masked.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.masking import mask_personal_numbers
from desk_app.domain.validators import checked_text, mask_name, mask_phone
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.common import audit, protection
from desk_app.services.common.errors import NotFound, Refused
from desk_app.store import Database
from desk_app.store.online_models import WorkOrder, WorkOrderEvent

KINDS = ("consult", "complaint", "suggestion")
STATES = ("received", "signed", "replied", "returned")
FILTERS = (*STATES, "overdue", "open", "all")
SIGN_MINUTES = 120
MAX_REPLY = 4000
MAX_REASON = 500


@dataclass(frozen=True)
class OrderView:
    id: str
    number: str
    kind: str
    bundle: str | None
    text: str
    citizen: str  # masked name and phone
    deadline: date
    received_at: datetime
    sign_due: datetime
    state: str
    sign_overdue: bool
    reply_overdue: bool
    reply: str | None
    kb_entry: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "kind": self.kind,
            "bundle": self.bundle,
            "text": self.text,
            "citizen": self.citizen,
            "deadline": self.deadline.isoformat(),
            "received_at": clock.iso(self.received_at),
            "sign_due": clock.iso(self.sign_due),
            "state": self.state,
            "overdue": self.sign_overdue or self.reply_overdue,
            "sign_overdue": self.sign_overdue,
            "reply_overdue": self.reply_overdue,
            "reply": self.reply,
            "kb": self.kb_entry,
        }


def add_open_minutes(s: Session, at: datetime, minutes: int) -> datetime:
    """``at`` plus ``minutes`` of the hall's opening hours (its sessions by its calendar)."""
    from desk_app.services.hall.calendar import day_plan

    local = clock.local(at)
    day, left = local.date(), minutes
    now_min = local.hour * 60 + local.minute + local.second / 60
    for _ in range(60):  # two months of closed days is not a calendar
        for sess in day_plan(s, day).sessions:
            start = max(float(sess.start_min), now_min)
            if start >= sess.end_min:
                continue
            if start + left <= sess.end_min:
                return clock.day_start(day) + timedelta(minutes=start + left)
            left -= int(sess.end_min - start)
        day, now_min = day + timedelta(days=1), 0.0
    return at + timedelta(minutes=minutes)


def take_in(db: Database, wo: dict[str, Any], *, now: datetime | None = None) -> bool:
    """Store one pulled work order; False when it was stored before (pulling twice is once)."""
    now = now or clock.now()
    oid = uuid.UUID(str(wo["id"]))
    kind = str(wo.get("kind"))
    if kind not in KINDS:
        raise Refused(f"未知的工单类型 {kind}", f"unknown work order kind {kind}")
    citizen = wo.get("citizen") or {}
    number = str(wo["number"])[:32]
    with db.begin() as s:
        if s.get(WorkOrder, oid) is not None or s.scalar(
            select(WorkOrder.id).where(WorkOrder.number == number)
        ):
            return False
        s.add(
            WorkOrder(
                id=oid,
                number=number,
                kind=kind,
                bundle=wo.get("bundle") or None,
                text=protection.seal(str(wo.get("text") or ""), "work_orders.text") or "",
                citizen_name=protection.seal(
                    citizen.get("name") or None, "work_orders.citizen_name"
                ),
                citizen_phone=protection.seal(
                    citizen.get("phone") or None, "work_orders.citizen_phone"
                ),
                deadline=date.fromisoformat(str(wo["deadline"])),
                dispatched_at=datetime.fromisoformat(
                    str(wo["dispatched_at"]).replace("Z", "+00:00")
                ),
                received_at=now,
                sign_due=add_open_minutes(s, now, SIGN_MINUTES),
                state="received",
            )
        )
        audit.record(s, db.actor, "workorder.receive", str(wo["number"]), {"kind": kind})
    return True


def _view(o: WorkOrder, now: datetime) -> OrderView:
    name = protection.unseal(o.citizen_name, "work_orders.citizen_name")
    phone = protection.unseal(o.citizen_phone, "work_orders.citizen_phone")
    citizen = " ".join(
        x for x in (mask_name(name) if name else "", mask_phone(phone) if phone else "") if x
    )
    open_ = o.state in ("received", "signed")
    return OrderView(
        str(o.id),
        o.number,
        o.kind,
        o.bundle,
        mask_personal_numbers(protection.unseal(o.text, "work_orders.text") or ""),
        citizen,
        o.deadline,
        o.received_at,
        o.sign_due,
        o.state,
        o.state == "received" and now > o.sign_due,
        open_ and clock.hall_day(now) > o.deadline,
        protection.unseal(o.reply, "work_orders.reply") if o.reply else None,
        o.kb_entry,
    )


def list_orders(
    db: Database, state: str = "open", *, now: datetime | None = None
) -> list[OrderView]:
    """``workorder list``: by state; ``open`` (received or signed, the default), ``overdue``
    (sign or reply late), ``all``; the earliest due first."""
    require(db.actor, Operation.WORKORDER_LIST)
    if state not in FILTERS:
        raise Refused(f"未知的状态 {state}", f"--state must be one of {', '.join(FILTERS)}")
    now = now or clock.now()
    q = select(WorkOrder).order_by(WorkOrder.deadline, WorkOrder.received_at)
    if state in STATES:
        q = q.where(WorkOrder.state == state)
    elif state in ("open", "overdue"):
        q = q.where(WorkOrder.state.in_(["received", "signed"]))
    with db.read() as s:
        views = [_view(o, now) for o in s.scalars(q)]
    if state == "overdue":
        views = [v for v in views if v.sign_overdue or v.reply_overdue]
    return views


def _find(s: Session, ref: str) -> WorkOrder:
    """A work order by its number (12345-...) or id, locked for the transaction."""
    q = select(WorkOrder).where(WorkOrder.number == ref.strip())
    with contextlib.suppress(ValueError):
        q = select(WorkOrder).where(
            (WorkOrder.number == ref.strip()) | (WorkOrder.id == uuid.UUID(ref.strip()))
        )
    order = s.scalar(q.with_for_update())
    if order is None:
        raise NotFound(f"没有工单 {ref}", f"no work order {ref}")
    return order


def _event(s: Session, db: Database, o: WorkOrder, action: str, now: datetime) -> None:
    last = s.scalar(select(func.max(WorkOrderEvent.seq)).where(WorkOrderEvent.order_id == o.id))
    s.add(
        WorkOrderEvent(
            order_id=o.id,
            seq=int(last or 0) + 1,
            action=action,
            at=now,
            staff_id=db.actor.staff_id if db.actor else None,
        )
    )
    audit.record(s, db.actor, f"workorder.{action}", o.number, {"kind": o.kind})


def sign(db: Database, ref: str, *, now: datetime | None = None) -> OrderView:
    """签收: the hall takes the work order on."""
    require(db.actor, Operation.WORKORDER_SIGN)
    now = now or clock.now()
    with db.begin() as s:
        o = _find(s, ref)
        if o.state != "received":
            raise Refused(f"工单 {o.number} 已{_LABEL[o.state]}", f"{o.number} is {o.state}")
        o.state, o.signed_at = "signed", now
        o.assigned_to = db.actor.staff_id if db.actor else None
        _event(s, db, o, "sign", now)
        return _view(o, now)


def reply(
    db: Database, ref: str, text: str, *, kb: str | None = None, now: datetime | None = None
) -> OrderView:
    """答复: once, by the deadline (a late reply is still taken, and counted late). Signs the
    work order first if nobody did. ``kb``: the knowledge-base answer it rests on."""
    require(db.actor, Operation.WORKORDER_REPLY)
    text = (checked_text(text, "text", "答复内容", free=True) or "").strip()
    if not text:
        raise Refused("答复内容不能为空", "the reply is empty")
    if len(text) > MAX_REPLY:
        raise Refused(f"答复不超过 {MAX_REPLY} 字", f"a reply has at most {MAX_REPLY} characters")
    if kb:
        from desk_app.services.kb.index import knowledge_base

        if kb not in {e.id for e in knowledge_base().entries}:
            raise Refused(f"知识库中没有条目 {kb}", f"no knowledge-base entry {kb}")
    now = now or clock.now()
    with db.begin() as s:
        o = _find(s, ref)
        if o.state not in ("received", "signed"):
            raise Refused(f"工单 {o.number} 已{_LABEL[o.state]}", f"{o.number} is {o.state}")
        if o.state == "received":
            o.state, o.signed_at = "signed", now
            _event(s, db, o, "sign", now)
        o.state, o.replied_at = "replied", now
        o.reply = protection.seal(text, "work_orders.reply")
        o.kb_entry = kb
        _event(s, db, o, "reply", now)
        return _view(o, now)


def return_order(db: Database, ref: str, reason: str, *, now: datetime | None = None) -> OrderView:
    """退回: not the hall's (another department's), with the reason."""
    require(db.actor, Operation.WORKORDER_RETURN)
    reason = (checked_text(reason, "reason", "退回理由", free=True) or "").strip()
    if not reason:
        raise Refused("退回须说明理由", "a return needs a reason")
    if len(reason) > MAX_REASON:
        raise Refused(f"理由不超过 {MAX_REASON} 字", f"at most {MAX_REASON} characters")
    now = now or clock.now()
    with db.begin() as s:
        o = _find(s, ref)
        if o.state not in ("received", "signed"):
            raise Refused(f"工单 {o.number} 已{_LABEL[o.state]}", f"{o.number} is {o.state}")
        o.state, o.returned_at, o.return_reason = "returned", now, reason
        _event(s, db, o, "return", now)
        return _view(o, now)


_LABEL = {"received": "接收", "signed": "签收", "replied": "答复", "returned": "退回"}


def unsent_events(db: Database, limit: int = 200) -> list[tuple[int, str, dict[str, Any]]]:
    """Steps owed to the platform, oldest first: (row id, the work order's id, body)."""
    with db.read() as s:
        rows = s.execute(
            select(WorkOrderEvent, WorkOrder)
            .join(WorkOrder, WorkOrder.id == WorkOrderEvent.order_id)
            .where(WorkOrderEvent.sent_at.is_(None))
            .order_by(WorkOrderEvent.id)
            .limit(limit)
        ).all()
        out = []
        for e, o in rows:
            body: dict[str, Any] = {"seq": e.seq, "action": e.action, "at": clock.iso(e.at)}
            if e.action == "reply":
                body["text"] = protection.unseal(o.reply, "work_orders.reply") if o.reply else ""
            elif e.action == "return":
                body["reason"] = o.return_reason or ""
            out.append((e.id, str(o.id), body))
        return out


def mark_sent(db: Database, event_id: int, now: datetime | None = None) -> None:
    with db.begin() as s:
        row = s.get(WorkOrderEvent, event_id)
        if row is not None and row.sent_at is None:
            row.sent_at = now or clock.now()


def overdue(s: Session, now: datetime) -> list[OrderView]:
    """Open work orders past their signing or reply time (the alerts' reading)."""
    return [
        v
        for v in (_view(o, now) for o in s.scalars(
            select(WorkOrder).where(WorkOrder.state.in_(["received", "signed"]))
        ))
        if v.sign_overdue or v.reply_overdue
    ]  # fmt: skip


def unlinked_consults(s: Session, limit: int = 200) -> list[dict[str, Any]]:
    """Consults the hall replied to without a knowledge-base answer: the questions the window's
    knowledge base could not answer on 12345 (listed with the window's own)."""
    rows = s.scalars(
        select(WorkOrder)
        .where(
            WorkOrder.kind == "consult", WorkOrder.state == "replied", WorkOrder.kb_entry.is_(None)
        )
        .order_by(WorkOrder.replied_at.desc())
        .limit(limit)
    )
    return [
        {
            "number": o.number,
            "bundle": o.bundle,
            # The citizen's words without the numbers they typed (phones, IDs, cards).
            "question": mask_personal_numbers(protection.unseal(o.text, "work_orders.text") or "")[
                :200
            ],
            "replied_at": clock.iso(o.replied_at),
        }
        for o in rows
    ]
