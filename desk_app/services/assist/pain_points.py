"""堵点 (pain points) found while helping or walking the process: recorded with a due date,
assigned to an owner department, resolved or explained. The list puts overdue ones first."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.assist import (
    PAIN_ASSIGN_WORKDAYS,
    PAIN_DUE_WORKDAYS,
    PAIN_OPEN_STATES,
    PainAction,
    PainCategory,
    PainState,
    is_overdue,
    pain_next_state,
)
from desk_app.domain.validators import checked_text
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.assist.views import bundle_name, find_session
from desk_app.services.common.catalog import bundle, work_calendar
from desk_app.services.common.errors import NotFound, Refused
from desk_app.store import Database
from desk_app.store.assist_models import PainEvent, PainPoint
from desk_app.store.models import Staff


@dataclass(frozen=True)
class PainView:
    id: int
    category: str
    bundle: str
    bundle_name: str | None
    item: str | None
    text: str
    owner: str | None
    state: str
    due: date
    overdue: bool
    session: int | None
    created_at: datetime
    created_by: str | None
    closed_at: datetime | None
    note: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "bundle": self.bundle,
            "bundle_name": self.bundle_name,
            "item": self.item,
            "text": self.text,
            "owner": self.owner,
            "state": self.state,
            "due": self.due.isoformat(),
            "overdue": self.overdue,
            "session": self.session,
            "created_at": clock.iso(self.created_at),
            "created_by": self.created_by,
            "closed_at": clock.iso(self.closed_at),
            "note": self.note,
        }


def _view(s: Session, p: PainPoint, today: date) -> PainView:
    staff = s.get(Staff, p.created_by) if p.created_by else None
    return PainView(
        p.id,
        p.category,
        p.bundle_code,
        bundle_name(p.bundle_code),
        p.item_code,
        p.text,
        p.owner,
        p.state,
        p.due,
        is_overdue(p.state, p.due, today),
        p.session_id,
        p.created_at,
        staff.code if staff else None,
        p.closed_at,
        p.note,
    )


def _event(
    s: Session,
    p: PainPoint,
    action: PainAction,
    before: str | None,
    db: Database,
    at: datetime,
    detail: dict | None = None,
) -> None:
    s.add(
        PainEvent(
            pain_id=p.id,
            action=str(action),
            from_state=before,
            to_state=p.state,
            staff_id=db.actor.staff_id if db.actor else None,
            at=at,
            detail=json.dumps(detail, ensure_ascii=False) if detail else None,
        )
    )


def add_pain(
    db: Database,
    category: str,
    bundle_code: str,
    text: str,
    *,
    session_id: int | None = None,
    item: str | None = None,
    owner: str | None = None,
    now: datetime | None = None,
) -> PainView:
    """Record a pain point of a bundle (and item); due in PAIN_DUE_WORKDAYS working days."""
    require(db.actor, Operation.PAIN_ADD)
    now = now or clock.now()
    today = clock.hall_day(now)
    try:
        category = str(PainCategory(category))
    except ValueError:
        allowed = "|".join(PainCategory)
        raise Refused(f"类别应为 {allowed}", f"category must be {allowed}") from None
    b = bundle(bundle_code)
    if item and item not in {i.code for i in b.items}:
        raise Refused(f"一件事 {b.code} 没有事项 {item}", f"bundle {b.code} has no item {item}")
    body = checked_text(text, "text", "堵点描述", free=True) or ""
    if not body:
        raise Refused("请描述堵点 (--text)", "the pain point needs --text")
    owner = checked_text(owner, "owner", "责任部门") or None
    due = work_calendar().add_workdays(today, PAIN_DUE_WORKDAYS).date
    with db.begin() as s:
        if session_id is not None:
            find_session(s, session_id)
        p = PainPoint(
            session_id=session_id,
            category=category,
            bundle_code=b.code,
            item_code=item or None,
            text=body,
            owner=owner,
            state=PainState.OPEN,
            due=due,
            created_at=now,
            created_by=db.actor.staff_id if db.actor else None,
        )
        s.add(p)
        s.flush()
        _event(s, p, PainAction.ADD, None, db, now)
        return _view(s, p, today)


def _change(
    db: Database,
    pain_id: int,
    action: PainAction,
    operation: Operation,
    *,
    owner: str | None = None,
    note: str | None = None,
    due: date | None = None,
    now: datetime | None = None,
) -> PainView:
    require(db.actor, operation)
    now = now or clock.now()
    today = clock.hall_day(now)
    owner = checked_text(owner, "owner", "责任部门") or None
    note = checked_text(note, "note", "说明", free=True) or None
    if action is PainAction.ASSIGN and not owner:
        raise Refused("请指定责任部门 (--owner)", "assign needs --owner")
    if action is not PainAction.ASSIGN and not note:
        raise Refused("请说明处理情况 (--note)", f"{action} needs --note")
    if due is not None and due < today:
        raise Refused("整改期限不能早于今天", "the due date cannot be before today")
    with db.begin() as s:
        p = s.scalar(select(PainPoint).where(PainPoint.id == pain_id).with_for_update())
        if p is None:
            raise NotFound(f"没有堵点 {pain_id}", f"no pain point {pain_id}")
        before = p.state
        after = pain_next_state(action, before)
        if after is None:
            raise Refused(
                f"堵点状态为 {before}, 不能 {action}", f"pain point is {before}: cannot {action}"
            )
        p.state = after
        if action is PainAction.ASSIGN:
            p.owner = owner
            p.due = due or work_calendar().add_workdays(today, PAIN_ASSIGN_WORKDAYS).date
        else:
            p.note = note
            p.closed_at = now
        detail = {"owner": owner, "due": p.due.isoformat()} if owner else {"note": note}
        _event(s, p, action, before, db, now, detail)
        return _view(s, p, today)


def assign(db: Database, pain_id: int, owner: str, *, due: date | None = None) -> PainView:
    """Give the pain point to its owner department, due in PAIN_ASSIGN_WORKDAYS working days
    unless ``due`` says otherwise."""
    return _change(db, pain_id, PainAction.ASSIGN, Operation.PAIN_ASSIGN, owner=owner, due=due)


def resolve(db: Database, pain_id: int, note: str) -> PainView:
    """The owner fixed it: how, in ``note``."""
    return _change(db, pain_id, PainAction.RESOLVE, Operation.PAIN_RESOLVE, note=note)


def explain(db: Database, pain_id: int, note: str) -> PainView:
    """Not a blockage after all (a misunderstanding, a rule that must stay): the explanation."""
    return _change(db, pain_id, PainAction.EXPLAIN, Operation.PAIN_EXPLAIN, note=note)


def list_pains(
    db: Database, state: str | None = None, *, session_id: int | None = None
) -> list[PainView]:
    """Pain points, overdue ones first (oldest due first), then the open ones by due date, then
    the closed ones, newest first."""
    require(db.actor, Operation.PAIN_LIST)
    today = clock.today()
    if state is not None:
        try:
            state = str(PainState(state))
        except ValueError:
            allowed = "|".join(PainState)
            raise Refused(f"状态应为 {allowed}", f"state must be {allowed}") from None
    with db.read() as s:
        q = select(PainPoint)
        if state:
            q = q.where(PainPoint.state == state)
        if session_id is not None:
            q = q.where(PainPoint.session_id == session_id)
        views = [_view(s, p, today) for p in s.scalars(q)]

    def order(v: PainView) -> tuple:
        if v.overdue:
            return (0, v.due.toordinal(), v.id)
        if v.state in PAIN_OPEN_STATES:
            return (1, v.due.toordinal(), v.id)
        return (2, -(v.closed_at.timestamp() if v.closed_at else 0), -v.id)

    return sorted(views, key=order)
