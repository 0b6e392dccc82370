"""好差评 at the counter: one evaluation per visit, negative ones followed up and raised to the
supervisor at once."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.cases import CaseAction, allowed
from desk_app.domain.evaluation import (
    DIMENSIONS,
    LEVEL_LABELS_ZH,
    NEGATIVE_FOLLOW_UP_DAYS,
    is_negative,
)
from desk_app.domain.validators import checked_text
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.cases.dto import CaseView
from desk_app.services.cases.views import find_case, view_after_changes
from desk_app.services.common.catalog import work_calendar
from desk_app.services.common.errors import Refused
from desk_app.services.common.lookups import add_event
from desk_app.store import Database
from desk_app.store.case_models import Case, CaseEvent, Evaluation


def add_evaluation(
    s: Session,
    case: Case,
    level: int,
    *,
    dimensions: Mapping[str, int] | None,
    comment: str | None,
    channel: str,
    window_id: int | None,
    staff_id: int | None,
    now: datetime,
) -> None:
    """Record the evaluation of ``case`` in the caller's unit of work (and its event)."""
    if level not in LEVEL_LABELS_ZH:
        raise Refused("评价等级须为 1-5", "evaluation level must be 1..5")
    for k, v in (dimensions or {}).items():
        if k not in DIMENSIONS or v not in LEVEL_LABELS_ZH:
            raise Refused(f"评价维度无效: {k}", f"invalid dimension {k}")
    if s.scalar(select(Evaluation.id).where(Evaluation.case_id == case.id)) is not None:
        raise Refused("本次办件已评价", "this case has already been evaluated")
    negative = is_negative(level)
    due = (
        work_calendar().add_workdays(clock.hall_day(now), NEGATIVE_FOLLOW_UP_DAYS).date
        if negative
        else None
    )
    s.add(
        Evaluation(
            case_id=case.id,
            level=level,
            dimensions=json.dumps(dict(dimensions or {})),
            comment=comment,
            channel=channel,
            evaluator=None,
            window_id=window_id,
            staff_id=staff_id,
            at=now,
            negative=negative,
            follow_up_due=due,
        )
    )
    add_event(
        s,
        CaseEvent,
        case_id=case.id,
        action=CaseAction.EVALUATE,
        from_state=case.state,
        to_state=case.state,
        window_id=window_id,
        staff_id=staff_id,
        at=now,
        detail={"level": level, "negative": negative},
    )


def evaluate(
    db: Database,
    case_no: str,
    level: int,
    *,
    dimensions: Mapping[str, int] | None = None,
    comment: str | None = None,
    channel: str = "window",
    now: datetime | None = None,
) -> CaseView:
    """好差评 after conclusion (one per visit). A rating of 2 or 1 is negative: it gets a
    follow-up deadline and shows on the supervisor's alerts at once."""
    require(db.actor, Operation.CASE_EVALUATE)
    comment = checked_text(comment, "comment", "评价意见", free=True) or None
    now = now or clock.now()
    with db.begin() as s:
        case = find_case(s, case_no)
        if not allowed(CaseAction.EVALUATE, case.state):
            raise Refused("办结后才能评价", "evaluate after conclusion")
        add_evaluation(
            s,
            case,
            level,
            dimensions=dimensions,
            comment=comment,
            channel=channel,
            window_id=case.window_id,
            staff_id=case.staff_id,
            now=now,
        )
        return view_after_changes(s, case)


def negative_evaluations(db: Database) -> list[dict]:
    """Negative ratings not yet followed up, newest first (the supervisor's alert list)."""
    require(db.actor, Operation.CASE_ALERTS)
    with db.read() as s:
        rows = s.execute(
            select(Evaluation, Case.case_no, Case.bundle_name)
            .join(Case, Case.id == Evaluation.case_id)
            .where(Evaluation.negative, Evaluation.followed_up_at.is_(None))
            .order_by(Evaluation.at.desc())
        ).all()
        return [
            {
                "case_no": no,
                "bundle": name,
                "level": e.level,
                "comment": e.comment,
                "at": clock.iso(e.at),
                "follow_up_due": e.follow_up_due.isoformat() if e.follow_up_due else None,
            }
            for e, no, name in rows
        ]
