"""Opening a 一件事 case: the applicant (person or company), an agent with authorization, the
situation answers, and the case's material list from the resolved checklist.

Case number: ``YJS-YYYYMMDD-NNNN`` (一件事, the hall's day, a per-day counter row like the
tickets')."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.bundle import Audience
from desk_app.domain.cases import CaseAction, CaseState, MaterialStatus
from desk_app.domain.validators import (
    ValidationError,
    checked_text,
    date_window_message,
    sane_date,
    validate_credit_code,
    validate_mobile,
    validate_resident_id,
)
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.assist.sessions import link_case
from desk_app.services.cases import sharing
from desk_app.services.cases.dto import AgentInfo, CaseView
from desk_app.services.cases.online_reports import report as report_online
from desk_app.services.cases.views import view_after_changes
from desk_app.services.common import protection
from desk_app.services.common.catalog import bundle, catalog, checklist_for
from desk_app.services.common.errors import NotFound, Refused
from desk_app.services.common.lookups import acting_desk, add_event
from desk_app.store import Database
from desk_app.store.case_models import Case, CaseCounter, CaseEvent, CaseMaterial
from desk_app.store.models import Ticket


def _valid(fn: Callable[..., str], value: str, **kw: Any) -> str:
    try:
        return fn(value, **kw)
    except ValidationError as exc:
        raise Refused(exc.message_zh, exc.message_en) from exc


def _next_case_no(session: Session, db: Database, day: date) -> str:
    stmt = (
        db.upsert(CaseCounter)
        .values(day=day, last_number=1)
        .on_conflict_do_update(
            index_elements=[CaseCounter.day],
            set_={"last_number": CaseCounter.last_number + 1},
        )
        .returning(CaseCounter.last_number)
    )
    n = int(session.execute(stmt).scalar_one())
    return f"YJS-{day:%Y%m%d}-{n:04d}"


def _ticket_ref(session: Session, ticket_id: str | None, today: date) -> uuid.UUID | None:
    """The ticket a case opens from: its id, or (as ``assist start --ticket``) today's
    ticket number such as A001."""
    if not ticket_id:
        return None
    try:
        tid = uuid.UUID(ticket_id)
    except ValueError:
        from sqlalchemy import select

        number = ticket_id.strip().upper()
        found = session.scalar(
            select(Ticket.id).where(Ticket.number == number, Ticket.day == today)
        )
        if found is None:
            raise NotFound(f"今天没有号票 {number}", f"no ticket {number} today") from None
        return found
    if session.get(Ticket, tid) is None:
        raise NotFound(f"没有号票 {ticket_id}", f"no ticket {ticket_id}")
    return tid


def seal_personal(**values: str | None) -> dict[str, str | None]:
    """The personal columns of a case as tokens, each bound to its column ("cases.<column>")."""
    return {col: protection.seal(v, f"cases.{col}") for col, v in values.items()}


def open_case(
    db: Database,
    bundle_code: str,
    applicant_name: str,
    *,
    applicant_id: str | None = None,
    credit_code: str | None = None,
    phone: str | None = None,
    ticket_id: str | None = None,
    answers: Mapping[str, str] | None = None,
    agent: AgentInfo | None = None,
    bad_credit: bool = False,
    window: int | None = None,
    now: datetime | None = None,
    assist_session: int | None = None,
    share_consent: bool = False,
    online: tuple[uuid.UUID, str, datetime] | None = None,
) -> CaseView:
    """Open a case for a bundle: the applicant (person with resident ID, or company with unified
    social credit code), an optional agent with authorization, and the situation answers.
    ``assist_session``: the helper session it is opened in (the case records the helper).
    ``share_consent``: the applicant agreed that what shared data replaces is fetched (免证办,
    services/cases/sharing.py); without it those materials are handed in. ``online``: an
    application pulled from the platform (its id, mode and time received; cases/online.py)."""
    require(db.actor, Operation.CASE_OPEN)
    now = now or clock.now()
    today = clock.hall_day(now)
    b = bundle(bundle_code)
    cl = checklist_for(bundle_code, answers)
    name = checked_text(applicant_name, "applicant_name", "申请人姓名/名称") or ""
    if not name:
        raise Refused("申请人姓名/名称不能为空", "applicant name is empty")
    if b.audience is Audience.COMPANY:
        if not credit_code:
            raise Refused(
                f"{b.name} 面向企业, 请提供统一社会信用代码",
                "this bundle is for companies: give --credit-code",
            )
        id_no = _valid(validate_credit_code, credit_code)
        kind = "company"
    else:
        if not applicant_id:
            raise Refused(
                f"{b.name} 面向个人, 请提供居民身份证号码",
                "this bundle is for persons: give --applicant-id",
            )
        id_no = _valid(validate_resident_id, applicant_id, today=today)
        kind = "person"
    phone_no = _valid(validate_mobile, phone) if phone else None
    agent_id = None
    if agent is not None:
        agent_id = _valid(validate_resident_id, agent.id_no, field="agent_id", today=today)
        agent = AgentInfo(
            checked_text(agent.name, "agent_name", "代理人姓名") or "",
            agent.id_no,
            checked_text(agent.scope, "auth_scope", "委托事项", free=True) or "",
            agent.valid_until,
            agent.principal,
        )
        if not agent.name or not agent.scope:
            raise Refused("代办须填写代理人姓名和委托事项", "agent name and scope are required")
        if agent.valid_until < today:
            raise Refused("委托书已过有效期", "the authorization has expired")
        if not sane_date(agent.valid_until):
            raise Refused(
                *date_window_message(
                    "委托有效期", "the authorization's last day", str(agent.valid_until)
                )
            )
    # Sealed before the transaction starts: without the hall key nothing is written at all.
    sealed = seal_personal(
        applicant_name=name,
        applicant_id_no=id_no,
        applicant_phone=phone_no,
        agent_name=agent.name.strip() if agent else None,
        agent_id_no=agent_id,
    )
    applicant_lookup = protection.lookup(
        id_no, purpose="resident_id" if kind == "person" else "credit_code"
    )
    with db.begin() as s:
        window_id, staff_id = acting_desk(s, window, db.actor)
        case = Case(
            id=uuid.uuid4(),
            case_no=_next_case_no(s, db, today),
            bundle_code=b.code,
            bundle_name=b.name,
            catalog_version=catalog().version,
            state=CaseState.OPEN,
            applicant_kind=kind,
            **sealed,
            applicant_lookup=applicant_lookup,
            auth_scope=agent.scope if agent else None,
            auth_valid_until=agent.valid_until if agent else None,
            bad_credit=bad_credit,
            answers=json.dumps({a.key: a.value for a in cl.answers}, ensure_ascii=False),
            ticket_id=_ticket_ref(s, ticket_id, clock.hall_day(now)),
            window_id=window_id,
            staff_id=staff_id,
            opened_at=now,
        )
        if online is not None:
            case.channel = "online"
            case.online_id, case.online_mode, case.received_at = online
        s.add(case)
        s.flush()
        if assist_session is not None:
            link_case(s, assist_session, case.id, [i.code for i in cl.items], now, staff_id)
        for entries, status in (
            (cl.submit, MaterialStatus.MISSING),
            (cl.obtained, MaterialStatus.OBTAINED),
        ):
            for e in entries:
                s.add(
                    CaseMaterial(
                        case_id=case.id,
                        material_code=e.code,
                        name=e.name,
                        required=e.required,
                        key=e.key,
                        status=status,
                    )
                )
        s.flush()
        sharing.start(s, case, [e.code for e in cl.obtained], share_consent, now)
        if online is not None:
            report_online(s, case, "received", now)
        add_event(
            s,
            CaseEvent,
            case_id=case.id,
            action=CaseAction.OPEN,
            from_state=None,
            to_state=case.state,
            window_id=window_id,
            staff_id=staff_id,
            at=now,
            detail={"bundle": b.code, "agent": agent is not None},
        )
        return view_after_changes(s, case)
