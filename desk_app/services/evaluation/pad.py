"""The visitor's evaluation pad (评价器) at a window: the counter invites, the visitor rates.

好差评 is the visitor's to give, on a device facing them: the clerk never keys it in. When a
case is concluded the counter *invites* (``invite``): a request for that case at that window,
valid for the setting ``evaluation_timeout_s``. The pad (``gui --role evaluator --window N``, or
a hardware pad on a serial port through its adapter) shows the window, who serves there and the
number being served, and while a request is pending the five levels and the four dimensions;
``rate`` records the rating exactly as before (ratings.add_evaluation: the statistics and the
15-working-day follow-up of a negative one) and closes the request. Only a pending, unexpired
request can be rated, once: a pad cannot rate a case nobody invited it to rate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.cases import CaseAction, allowed
from desk_app.domain.tickets import TicketState
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.cases.views import find_case
from desk_app.services.common.catalog import bundle_names
from desk_app.services.common.errors import Refused
from desk_app.services.common.lookups import get_setting, window_by_number
from desk_app.services.evaluation.ratings import add_evaluation
from desk_app.store import Database
from desk_app.store.case_models import Case, Evaluation
from desk_app.store.device_models import EvaluationRequest
from desk_app.store.models import Service, Staff, Ticket, WindowSession

PENDING, RATED, EXPIRED, WITHDRAWN = "pending", "rated", "expired", "withdrawn"


@dataclass(frozen=True)
class PadRequest:
    id: int
    case_no: str
    bundle_name: str
    expires_at: datetime


@dataclass(frozen=True)
class PadView:
    """What the pad shows: its window, who serves there, the number, and a pending request."""

    window: int
    window_name: str | None
    staff_name: str | None
    staff_code: str | None
    current: str | None  # the ticket number being called or served
    service_name: str | None
    request: PadRequest | None

    def to_json(self) -> dict[str, Any]:
        r = self.request
        return {
            "window": self.window,
            "staff": None if self.staff_code is None else {"code": self.staff_code},
            "current": self.current,
            "request": None
            if r is None
            else {"id": r.id, "case_no": r.case_no, "expires_at": clock.iso(r.expires_at)},
        }


def _timeout(s: Session) -> timedelta:
    return timedelta(seconds=int(get_setting(s, "evaluation_timeout_s")))


def invite(db: Database, case_no: str, window: int, *, now: datetime | None = None) -> PadRequest:
    """Ask the visitor at ``window`` to rate ``case_no`` (concluded, not yet rated); an earlier
    pending request at that window is withdrawn (one visitor at a time)."""
    require(db.actor, Operation.EVALUATION_INVITE)
    now = now or clock.now()
    with db.begin() as s:
        case = find_case(s, case_no)
        if not allowed(CaseAction.EVALUATE, case.state):
            raise Refused("办结后才能请申请人评价", "a case is rated after its conclusion")
        if s.scalar(select(Evaluation.id).where(Evaluation.case_id == case.id)) is not None:
            raise Refused("本次办件已评价", "this case has already been evaluated")
        win = window_by_number(s, window)
        s.execute(
            update(EvaluationRequest)
            .where(EvaluationRequest.window_id == win.id, EvaluationRequest.state == PENDING)
            .values(state=WITHDRAWN)
        )
        req = EvaluationRequest(
            window_id=win.id,
            case_id=case.id,
            staff_id=case.staff_id,
            created_at=now,
            expires_at=now + _timeout(s),
            state=PENDING,
        )
        s.add(req)
        s.flush()
        return PadRequest(req.id, case.case_no, _bundle(case), req.expires_at)


def invite_last(db: Database, window: int, *, now: datetime | None = None) -> PadRequest:
    """The call-pad's rating key: invite the rating of the case concluded last at ``window``
    today, when it is not rated yet."""
    require(db.actor, Operation.EVALUATION_INVITE)
    now = now or clock.now()
    with db.read() as s:
        win = window_by_number(s, window)
        case_no = s.scalar(
            select(Case.case_no)
            .outerjoin(Evaluation, Evaluation.case_id == Case.id)
            .where(
                Case.window_id == win.id,
                Case.concluded_at >= clock.day_start(clock.hall_day(now)),
                Evaluation.id.is_(None),
            )
            .order_by(Case.concluded_at.desc())
            .limit(1)
        )
    if case_no is None:
        raise Refused("本窗口今天没有待评价的办结件", "no unrated case concluded here today")
    return invite(db, case_no, window, now=now)


def _bundle(case: Case) -> str:
    return bundle_names().get(case.bundle_code, case.bundle_code)


def _pending(s: Session, window_id: int, now: datetime) -> tuple[EvaluationRequest, Case] | None:
    row = s.execute(
        select(EvaluationRequest, Case)
        .join(Case, Case.id == EvaluationRequest.case_id)
        .where(
            EvaluationRequest.window_id == window_id,
            EvaluationRequest.state == PENDING,
            EvaluationRequest.expires_at > now,
        )
        .order_by(EvaluationRequest.id.desc())
        .limit(1)
    ).first()
    return None if row is None else (row[0], row[1])


def pad_view(db: Database, window: int, *, now: datetime | None = None) -> PadView:
    """The pad's screen now (polled about every second)."""
    require(db.actor, Operation.EVALUATION_PAD)
    now = now or clock.now()
    with db.read() as s:
        win = window_by_number(s, window)
        staff = s.execute(
            select(Staff.name, Staff.code)
            .join(WindowSession, WindowSession.staff_id == Staff.id)
            .where(WindowSession.window_id == win.id, WindowSession.closed_at.is_(None))
        ).first()
        current = s.execute(
            select(Ticket.number, Service.name)
            .join(Service, Service.id == Ticket.service_id)
            .where(
                Ticket.window_id == win.id,
                Ticket.state.in_([TicketState.CALLED, TicketState.SERVING]),
                Ticket.day == clock.hall_day(now),
            )
        ).first()
        pending = _pending(s, win.id, now)
        request = (
            None
            if pending is None
            else PadRequest(
                pending[0].id, pending[1].case_no, _bundle(pending[1]), pending[0].expires_at
            )
        )
        return PadView(
            win.number,
            win.name,
            staff[0] if staff else None,
            staff[1] if staff else None,
            current[0] if current else None,
            current[1] if current else None,
            request,
        )


def rate(
    db: Database,
    window: int,
    request_id: int,
    level: int,
    *,
    dimensions: Mapping[str, int] | None = None,
    now: datetime | None = None,
) -> None:
    """The visitor's rating of the pending request ``request_id`` at ``window``: recorded as
    the case's 好差评 (channel ``pad``); refused when the request is not pending there."""
    require(db.actor, Operation.EVALUATION_PAD)
    now = now or clock.now()
    with db.begin() as s:
        win = window_by_number(s, window)
        req = s.scalar(
            select(EvaluationRequest)
            .where(EvaluationRequest.id == request_id, EvaluationRequest.window_id == win.id)
            .with_for_update()
        )
        if req is None or req.state != PENDING:
            raise Refused("没有待评价的办件", "nothing is waiting for a rating at this window")
        if req.expires_at <= now:
            req.state = EXPIRED
            raise Refused("评价已超时", "the rating request has timed out")
        case = s.get(Case, req.case_id, with_for_update=True)
        assert case is not None
        add_evaluation(
            s,
            case,
            level,
            dimensions=dimensions,
            comment=None,
            channel="pad",
            window_id=case.window_id or win.id,
            staff_id=case.staff_id,
            now=now,
        )
        req.state = RATED


def request_state(db: Database, case_no: str) -> str | None:
    """For the counter: the newest request of ``case_no`` — pending, rated, expired or
    withdrawn (an expired pending one reads as expired) — or None when none was made."""
    require(db.actor, Operation.EVALUATION_INVITE)
    now = clock.now()
    with db.read() as s:
        row = s.execute(
            select(EvaluationRequest.state, EvaluationRequest.expires_at)
            .join(Case, Case.id == EvaluationRequest.case_id)
            .where(Case.case_no == case_no)
            .order_by(EvaluationRequest.id.desc())
            .limit(1)
        ).first()
    if row is None:
        return None
    state, expires = row
    return EXPIRED if state == PENDING and expires <= now else str(state)
