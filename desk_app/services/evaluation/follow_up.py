"""好差评 follow-up: every rating of 1 or 2 is followed up within 15 working days (its due date is
set when the rating is given, desk_app.services.evaluation.ratings); the supervisor records the contact
and whether the problem was fixed or explained. A rated member of staff (or the supervisor for
them) may appeal a rating (申诉); the supervisor's review (复核) either sets it aside (upheld: it no
longer counts) or lets it stand (rejected). Each step is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.validators import checked_text
from desk_app.security.authz import Forbidden, may_act_for, require
from desk_app.security.roles import Operation
from desk_app.services.common import audit
from desk_app.services.common.errors import NotFound, Refused
from desk_app.store import Database
from desk_app.store.case_models import Case, Evaluation
from desk_app.store.models import Staff, Window
from desk_app.store.supervision_models import FollowUp


class Outcome(StrEnum):
    FIXED = "fixed"  # 已整改
    EXPLAINED = "explained"  # 已解释说明


class AppealOutcome(StrEnum):
    UPHELD = "upheld"  # 申诉成立: the rating is set aside
    REJECTED = "rejected"  # 申诉不成立: the rating stands


@dataclass(frozen=True)
class FollowUpView:
    evaluation_id: int
    case_no: str
    bundle: str
    level: int
    comment: str | None
    window: int | None
    staff: str | None
    rated_at: datetime
    due: date | None
    state: str  # open | overdue | done
    contacted_at: datetime | None
    outcome: str | None
    note: str | None
    appeal: str | None  # None | pending | upheld | rejected
    appeal_reason: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "evaluation": self.evaluation_id,
            "case_no": self.case_no,
            "bundle": self.bundle,
            "level": self.level,
            "comment": self.comment,
            "window": self.window,
            "staff": self.staff,
            "rated_at": clock.iso(self.rated_at),
            "due": self.due.isoformat() if self.due else None,
            "state": self.state,
            "contacted_at": clock.iso(self.contacted_at),
            "outcome": self.outcome,
            "note": self.note,
            "appeal": self.appeal,
            "appeal_reason": self.appeal_reason,
        }


def appeal_state(f: FollowUp | None) -> str | None:
    if f is None or f.appealed_at is None:
        return None
    return f.appeal_outcome or "pending"


def follow_up_state(e: Evaluation, today: date) -> str:
    if e.followed_up_at is not None:
        return "done"
    if e.follow_up_due is not None and e.follow_up_due < today:
        return "overdue"
    return "open"


def list_rows(
    s: Session, *, today: date, overdue_only: bool = False, only: int | None = None
) -> list[FollowUpView]:
    """Negative ratings with their follow-up, the most urgent first (inside a read)."""
    q = (
        select(Evaluation, Case.case_no, Case.bundle_name, Window.number, Staff.code, FollowUp)
        .join(Case, Case.id == Evaluation.case_id)
        .outerjoin(Window, Window.id == Evaluation.window_id)
        .outerjoin(Staff, Staff.id == Evaluation.staff_id)
        .outerjoin(FollowUp, FollowUp.evaluation_id == Evaluation.id)
        .where(Evaluation.negative)
    )
    if only is not None:
        q = q.where(Evaluation.id == only)
    if overdue_only:
        q = q.where(Evaluation.followed_up_at.is_(None), Evaluation.follow_up_due < today)
    rows = []
    for e, case_no, bundle, win, staff, f in s.execute(q):
        rows.append(
            FollowUpView(
                e.id,
                case_no,
                bundle,
                e.level,
                e.comment,
                win,
                staff,
                e.at,
                e.follow_up_due,
                follow_up_state(e, today),
                f.contacted_at if f else None,
                f.outcome if f else None,
                f.note if f else None,
                appeal_state(f),
                f.appeal_reason if f else None,
            )
        )
    rank = {"overdue": 0, "open": 1, "done": 2}
    rows.sort(key=lambda r: (rank[r.state], r.due or date.max, -r.evaluation_id))
    return rows


def follow_ups(
    db: Database, *, overdue_only: bool = False, now: datetime | None = None
) -> list[FollowUpView]:
    """Negative ratings and their follow-up: overdue first, then by due date."""
    require(db.actor, Operation.FOLLOWUP_LIST)
    today = clock.hall_day(now or clock.now())
    with db.read() as s:
        return list_rows(s, today=today, overdue_only=overdue_only)


def _negative(s: Session, evaluation_id: int) -> Evaluation:
    e = s.get(Evaluation, evaluation_id, with_for_update=True)
    if e is None:
        raise NotFound(f"没有评价 {evaluation_id}", f"no evaluation {evaluation_id}")
    if not e.negative:
        raise Refused("只有差评(1-2 级)需要回访", "only ratings of 1-2 are followed up")
    return e


def _row(s: Session, e: Evaluation) -> FollowUp:
    f = s.get(FollowUp, e.id)
    if f is None:
        f = FollowUp(evaluation_id=e.id)
        s.add(f)
    return f


def record(
    db: Database,
    evaluation_id: int,
    outcome: str,
    note: str,
    *,
    contacted_at: datetime | None = None,
    now: datetime | None = None,
) -> FollowUpView:
    """The follow-up of a negative rating: the applicant was contacted, and the problem was fixed
    or explained (with a note). Once per rating."""
    require(db.actor, Operation.FOLLOWUP_RECORD)
    try:
        outcome = Outcome(outcome).value
    except ValueError:
        raise Refused(
            "回访结果须为 fixed 或 explained", "outcome must be fixed|explained"
        ) from None
    text = checked_text(note, "note", "回访记录", free=True)
    if not text:
        raise Refused("请填写回访记录", "a note is required")
    now = now or clock.now()
    with db.begin() as s:
        e = _negative(s, evaluation_id)
        if e.followed_up_at is not None:
            raise Refused("该差评已回访", "this rating has already been followed up")
        f = _row(s, e)
        f.contacted_at = contacted_at or now
        f.outcome, f.note = outcome, text
        f.recorded_by, f.recorded_at = db.actor.staff_id if db.actor else None, now
        e.followed_up_at = now
        audit.record(s, db.actor, "followup.record", str(e.id), {"outcome": outcome})
        s.flush()
        return _view(s, e.id, now)


def appeal(
    db: Database, evaluation_id: int, reason: str, *, now: datetime | None = None
) -> FollowUpView:
    """申诉: the rated member of staff (or the supervisor) disputes a negative rating."""
    require(db.actor, Operation.FOLLOWUP_APPEAL)
    text = checked_text(reason, "reason", "申诉理由", free=True)
    if not text:
        raise Refused("请填写申诉理由", "a reason is required")
    now = now or clock.now()
    with db.begin() as s:
        e = _negative(s, evaluation_id)
        if not may_act_for(db.actor, e.staff_id):
            raise Forbidden("只能对自己收到的评价申诉", "appeal only ratings of your own service")
        f = _row(s, e)
        if f.appealed_at is not None:
            raise Refused("该评价已申诉", "this rating has already been appealed")
        f.appeal_reason, f.appealed_at = text, now
        f.appealed_by = db.actor.staff_id if db.actor else None
        audit.record(s, db.actor, "followup.appeal", str(e.id), {})
        s.flush()
        return _view(s, e.id, now)


def review(
    db: Database, evaluation_id: int, outcome: str, note: str, *, now: datetime | None = None
) -> FollowUpView:
    """复核: the supervisor decides an appeal: upheld (the rating no longer counts in the
    statistics) or rejected (it stands)."""
    require(db.actor, Operation.FOLLOWUP_REVIEW)
    try:
        outcome = AppealOutcome(outcome).value
    except ValueError:
        raise Refused(
            "复核结果须为 upheld 或 rejected", "outcome must be upheld|rejected"
        ) from None
    text = checked_text(note, "note", "复核意见", free=True)
    if not text:
        raise Refused("请填写复核意见", "a note is required")
    now = now or clock.now()
    with db.begin() as s:
        e = _negative(s, evaluation_id)
        f = s.get(FollowUp, e.id)
        if f is None or f.appealed_at is None:
            raise Refused("该评价没有申诉", "this rating has not been appealed")
        if f.appeal_outcome is not None:
            raise Refused("该申诉已复核", "this appeal has already been reviewed")
        f.appeal_outcome, f.review_note, f.reviewed_at = outcome, text, now
        f.reviewed_by = db.actor.staff_id if db.actor else None
        audit.record(s, db.actor, "followup.review", str(e.id), {"outcome": outcome})
        s.flush()
        return _view(s, e.id, now)


def _view(s: Session, evaluation_id: int, now: datetime) -> FollowUpView:
    return list_rows(s, today=clock.hall_day(now), only=evaluation_id)[0]
