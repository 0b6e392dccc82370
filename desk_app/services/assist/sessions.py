"""帮办代办 use cases: start a session for a visitor, sign the authorization of a 代办, record
the steps of the timeline, suspend, resume, terminate and conclude; show and list sessions.

One function, one transaction; every one checks the acting person's role first. Names and
resident IDs are validated like a case applicant's, sealed at rest and masked in every output.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.assist import (
    NEEDS_REASON,
    AssistAction,
    AssistMode,
    Channel,
    SessionState,
    next_state,
    proxy_refusal,
    transition_refusal,
)
from desk_app.domain.validators import (
    ValidationError,
    checked_text,
    date_window_message,
    sane_date,
    validate_resident_id,
)
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.assist.views import (
    SessionSummary,
    SessionView,
    as_rule,
    current_authorization,
    find_session,
    session_summaries,
    session_view,
)
from desk_app.services.common import audit, protection
from desk_app.services.common.catalog import bundle, fact_names
from desk_app.services.common.errors import NotFound, Refused
from desk_app.services.common.lookups import window_by_number
from desk_app.store import Database
from desk_app.store.assist_models import (
    AssistAuthorization,
    AssistEvent,
    AssistLink,
    AssistSession,
    AssistStep,
)
from desk_app.store.models import Staff, Ticket

MAX_STEP_MINUTES = 24 * 60


def _enum(kind: type[StrEnum], value: str, label: str) -> str:
    try:
        return str(kind(value))
    except ValueError:
        allowed = "|".join(str(v) for v in kind)
        raise Refused(f"{label}应为 {allowed}: {value}", f"{label} must be {allowed}") from None


def _resident_id(value: str, field: str, today: date) -> str:
    try:
        return validate_resident_id(value, field=field, today=today)
    except ValidationError as exc:
        raise Refused(exc.message_zh, exc.message_en) from None


def _name(value: str, field: str, label: str) -> str:
    name = checked_text(value, field, label) or ""
    if not name:
        raise Refused(f"{label}不能为空", f"{field} is empty")
    return name


def _ticket_today(s: Session, number: str, today: date) -> Ticket:
    """Today's ticket with this number (a number restarts each day)."""
    t = s.scalar(
        select(Ticket)
        .where(Ticket.number == number.strip().upper(), Ticket.day == today)
        .order_by(Ticket.issued_at.desc())
        .limit(1)
    )
    if t is None:
        raise NotFound(f"今天没有号码 {number}", f"no ticket {number} today")
    return t


def _event(
    s: Session,
    sess: AssistSession,
    action: AssistAction,
    before: str | None,
    at: datetime,
    staff_id: int | None,
    detail: dict | None = None,
) -> None:
    s.add(
        AssistEvent(
            session_id=sess.id,
            action=str(action),
            from_state=before,
            to_state=sess.state,
            staff_id=staff_id,
            at=at,
            detail=json.dumps(detail, ensure_ascii=False) if detail else None,
        )
    )


def _staff_id(db: Database) -> int | None:
    return db.actor.staff_id if db.actor is not None else None


def start_session(
    db: Database,
    mode: str,
    visitor_name: str,
    visitor_id: str,
    *,
    channel: str = "site",
    bundle_code: str | None = None,
    ticket: str | None = None,
    appointment: str | None = None,
    now: datetime | None = None,
) -> SessionView:
    """Start helping a visitor: 帮办 (accompany), 代办 (proxy) or 走流程 (walkthrough), on site,
    at home or by video; from a ticket of today, an appointment (its code) or a walk-up.

    代办 and 走流程 name the 一件事: the authorization covers its items, and a walkthrough is
    compared with the catalog's claims for it."""
    require(db.actor, Operation.ASSIST_START)
    now = now or clock.now()
    today = clock.hall_day(now)
    mode = _enum(AssistMode, mode, "方式 mode ")
    channel = _enum(Channel, channel or "site", "渠道 channel ")
    if bundle_code:
        bundle_code = bundle(bundle_code).code
    elif mode != AssistMode.ACCOMPANY:
        raise Refused("代办和走流程须指定一件事 (--bundle)", f"a {mode} session needs --bundle")
    name = _name(visitor_name, "name", "服务对象姓名")
    id_no = _resident_id(visitor_id, "id", today)
    appointment = checked_text(appointment, "appointment", "预约号") or None
    sealed = {
        "visitor_name": protection.seal(name, "assist_sessions.visitor_name"),
        "visitor_id_no": protection.seal(id_no, "assist_sessions.visitor_id_no"),
    }
    lookup = protection.lookup(id_no)
    with db.begin() as s:
        ticket_row = _ticket_today(s, ticket, today) if ticket else None
        sess = AssistSession(
            mode=mode,
            channel=channel,
            state=SessionState.ACTIVE,
            bundle_code=bundle_code,
            **sealed,
            visitor_lookup=lookup,
            helper_id=_staff_id(db),
            ticket_id=ticket_row.id if ticket_row else None,
            appointment_code=appointment,
            day=today,
            started_at=now,
        )
        s.add(sess)
        s.flush()
        if ticket_row is not None:
            s.add(AssistLink(session_id=sess.id, ticket_id=ticket_row.id, at=now))
        origin = "ticket" if ticket_row else "appointment" if appointment else "walk-up"
        _event(s, sess, AssistAction.START, None, now, _staff_id(db), {"from": origin})
        s.flush()
        return session_view(s, sess)


def _items_of(bundle_code: str | None, codes: Iterable[str]) -> list[str]:
    """Item codes checked against the session's bundle (refused: unknown ones, named)."""
    wanted = [c.strip() for c in codes if c and c.strip()]
    if not bundle_code:
        return wanted
    known = {i.code for i in bundle(bundle_code).items}
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise Refused(
            f"一件事 {bundle_code} 没有事项: {'、'.join(unknown)}",
            f"bundle {bundle_code} has no item {', '.join(unknown)} (known: {', '.join(sorted(known))})",
        )
    return wanted


def authorize(
    db: Database,
    session_id: int,
    principal_name: str,
    principal_id: str,
    items: Iterable[str],
    valid_until: date,
    *,
    agent_name: str | None = None,
    agent_id: str | None = None,
    now: datetime | None = None,
) -> SessionView:
    """Record the signed authorization (授权委托书) of a 代办: the principal, the agent (the
    helper unless another agent is named with an ID), the items covered and the last valid day.
    A new letter replaces the one in force."""
    require(db.actor, Operation.ASSIST_AUTHORIZE)
    now = now or clock.now()
    today = clock.hall_day(now)
    p_name = _name(principal_name, "principal_name", "委托人姓名")
    p_id = _resident_id(principal_id, "principal_id", today)
    if valid_until < today:
        raise Refused("委托有效期不能早于今天", "the authorization cannot end before today")
    if not sane_date(valid_until):
        raise Refused(
            *date_window_message("委托有效期", "the authorization's last day", str(valid_until))
        )
    a_name = a_id = None
    if agent_name or agent_id:
        if not (agent_name and agent_id):
            raise Refused("另行指定受托人须同时给出姓名和身份证号", "an agent needs name and id")
        a_name = _name(agent_name, "agent_name", "受托人姓名")
        a_id = _resident_id(agent_id, "agent_id", today)
    t = "assist_authorizations"
    sealed = {
        "principal_name": protection.seal(p_name, f"{t}.principal_name"),
        "principal_id_no": protection.seal(p_id, f"{t}.principal_id_no"),
        "agent_name": protection.seal(a_name, f"{t}.agent_name"),
        "agent_id_no": protection.seal(a_id, f"{t}.agent_id_no"),
    }
    with db.begin() as s:
        sess = find_session(s, session_id, lock=True)
        if sess.mode != AssistMode.PROXY:
            raise Refused("只有代办需要授权委托书", "only a proxy session takes an authorization")
        if next_state(AssistAction.AUTHORIZE, sess.state) is None:
            raise Refused(*transition_refusal(AssistAction.AUTHORIZE, sess.state))
        codes = _items_of(sess.bundle_code, items)
        if not codes:
            raise Refused("授权委托书须列明委托事项 (--items)", "name the items covered (--items)")
        s.add(
            AssistAuthorization(
                session_id=sess.id,
                **sealed,
                principal_lookup=protection.lookup(p_id),
                agent_staff_id=None if a_name else _staff_id(db),
                items=json.dumps(codes),
                valid_until=valid_until,
                created_at=now,
            )
        )
        _event(
            s,
            sess,
            AssistAction.AUTHORIZE,
            sess.state,
            now,
            _staff_id(db),
            {"items": codes, "valid_until": valid_until.isoformat()},
        )
        s.flush()
        return session_view(s, sess)


def check_may_act(s: Session, sess: AssistSession, items: Iterable[str], today: date) -> None:
    """Refuse a 代办 acting on ``items`` without an authorization covering them, valid today."""
    names = {
        key.split(":", 1)[1]: pair
        for key, pair in fact_names(sess.bundle_code).items()
        if key.startswith("item:")
    }
    refusal = proxy_refusal(
        sess.mode, as_rule(current_authorization(s, sess.id)), items, today, names
    )
    if refusal is not None:
        raise Refused(*refusal)


def _last_mark(s: Session, sess: AssistSession) -> datetime:
    """When the work before the next step began: the end of the last step, or the last
    start/resume of the session."""
    last_step = s.scalar(
        select(AssistStep.ended_at)
        .where(AssistStep.session_id == sess.id)
        .order_by(AssistStep.id.desc())
        .limit(1)
    )
    last_resume = s.scalar(
        select(AssistEvent.at)
        .where(AssistEvent.session_id == sess.id, AssistEvent.action.in_(["start", "resume"]))
        .order_by(AssistEvent.id.desc())
        .limit(1)
    )
    marks = [m for m in (last_step, last_resume, sess.started_at) if m is not None]
    return max(marks)


def add_step(
    db: Database,
    session_id: int,
    action: str,
    *,
    window: int | None = None,
    department: str | None = None,
    minutes: int | None = None,
    item: str | None = None,
    materials: Iterable[str] = (),
    outcome: str | None = None,
    trip: bool = False,
    ticket: str | None = None,
    now: datetime | None = None,
) -> SessionView:
    """One step of the timeline, ending now: at a window or a department, what was done, for
    which item, how long it took (default: since the last step), what was handed over and the
    outcome. The first step is the visitor's first trip (跑动); ``trip`` marks another one.
    A 代办 step needs the authorization in force, covering ``item``."""
    require(db.actor, Operation.ASSIST_STEP)
    now = now or clock.now()
    today = clock.hall_day(now)
    if (window is None) == (not (department or "").strip()):
        raise Refused("请给出窗口或部门 (二选一)", "give --window or --department (one of them)")
    text = checked_text(action, "action", "办理内容", free=True) or ""
    if not text:
        raise Refused("请填写办理内容 (--action)", "the step needs --action")
    department = checked_text(department, "department", "部门") or None
    outcome = checked_text(outcome, "outcome", "办理结果", free=True) or None
    handed = [checked_text(m, "material", "材料名称") or "" for m in materials]
    handed = [m for m in handed if m]
    if minutes is not None and not 0 <= minutes <= MAX_STEP_MINUTES:
        raise Refused(f"用时应在 0 到 {MAX_STEP_MINUTES} 分钟之间", "minutes out of range")
    if item is not None and not item.strip():
        raise Refused("事项编码不能为空 (--item)", "--item is empty: name the item or leave it out")
    with db.begin() as s:
        sess = find_session(s, session_id, lock=True)
        if next_state(AssistAction.STEP, sess.state) is None:
            raise Refused(*transition_refusal(AssistAction.STEP, sess.state))
        codes = _items_of(sess.bundle_code, [item] if item else [])
        check_may_act(s, sess, codes, today)
        if window is not None:
            window_by_number(s, window)
        if minutes is None:
            minutes = max(0, int((now - _last_mark(s, sess)).total_seconds() // 60))
            minutes = min(minutes, MAX_STEP_MINUTES)
        first = (
            s.scalar(select(AssistStep.id).where(AssistStep.session_id == sess.id).limit(1)) is None
        )
        ticket_row = _ticket_today(s, ticket, today) if ticket else None
        s.add(
            AssistStep(
                session_id=sess.id,
                window_number=window,
                department=department,
                action=text,
                item_code=codes[0] if codes else None,
                started_at=now - timedelta(minutes=minutes),
                ended_at=now,
                minutes=minutes,
                materials=json.dumps(handed, ensure_ascii=False) if handed else None,
                outcome=outcome,
                trip=trip or first,
                ticket_id=ticket_row.id if ticket_row else None,
                staff_id=_staff_id(db),
            )
        )
        if ticket_row is not None:
            s.add(AssistLink(session_id=sess.id, ticket_id=ticket_row.id, at=now))
        _event(s, sess, AssistAction.STEP, sess.state, now, _staff_id(db), {"minutes": minutes})
        s.flush()
        return session_view(s, sess)


_OPERATIONS = {
    AssistAction.SUSPEND: Operation.ASSIST_SUSPEND,
    AssistAction.RESUME: Operation.ASSIST_RESUME,
    AssistAction.TERMINATE: Operation.ASSIST_TERMINATE,
    AssistAction.CONCLUDE: Operation.ASSIST_CONCLUDE,
}


def change_state(
    db: Database,
    session_id: int,
    action: AssistAction | str,
    reason: str | None = None,
    *,
    now: datetime | None = None,
) -> SessionView:
    """Suspend (中止, with a reason), resume, terminate (终止, with a reason) or conclude (办结)."""
    action = AssistAction(action)
    require(db.actor, _OPERATIONS[action])
    now = now or clock.now()
    reason = checked_text(reason, "reason", "原因", free=True) or None
    if action in NEEDS_REASON and not reason:
        raise Refused("请说明原因 (--reason)", f"{action} needs a --reason")
    with db.begin() as s:
        sess = find_session(s, session_id, lock=True)
        before = sess.state
        after = next_state(action, before)
        if after is None:
            raise Refused(*transition_refusal(action, before))
        sess.state = after
        if action in (AssistAction.TERMINATE, AssistAction.CONCLUDE):
            sess.ended_at = now
        sess.end_reason = reason  # why it is suspended or ended; a resumption clears it
        _event(s, sess, action, before, now, _staff_id(db), {"reason": reason} if reason else None)
        s.flush()
        return session_view(s, sess)


def suspend(db: Database, session_id: int, reason: str | None) -> SessionView:
    return change_state(db, session_id, AssistAction.SUSPEND, reason)


def resume(db: Database, session_id: int, reason: str | None = None) -> SessionView:
    return change_state(db, session_id, AssistAction.RESUME, reason)


def terminate(db: Database, session_id: int, reason: str | None) -> SessionView:
    return change_state(db, session_id, AssistAction.TERMINATE, reason)


def conclude(db: Database, session_id: int, reason: str | None = None) -> SessionView:
    return change_state(db, session_id, AssistAction.CONCLUDE, reason)


def show(db: Database, session_id: int) -> SessionView:
    """The session and its timeline, personal data masked."""
    require(db.actor, Operation.ASSIST_SHOW)
    with db.read() as s:
        return session_view(s, find_session(s, session_id))


def reveal(db: Database, session_id: int, reason: str) -> SessionView:
    """The session with the visitor's and the principal's data in clear, for a supervisor with
    a stated reason; audited with a keyed pseudonym of the visitor's ID, never the ID."""
    require(db.actor, Operation.ASSIST_SHOW)
    require(db.actor, Operation.CASE_REVEAL)
    reason = audit.reveal_reason(db, reason, "assist.reveal", str(session_id))
    with db.begin() as s:
        view = session_view(s, find_session(s, session_id), reveal=True)
        audit.record(
            s,
            db.actor,
            "assist.reveal",
            str(session_id),
            {
                "reason": reason,
                "visitor": protection.cipher().pseudonym(view.visitor_id, purpose="resident_id"),
            },
        )
    return view


def list_sessions(
    db: Database, day: date | None = None, *, helper: str | None = None
) -> list[SessionSummary]:
    """The sessions started on ``day`` (default: the hall's today), oldest first; ``helper``
    (a staff code) keeps one helper's."""
    require(db.actor, Operation.ASSIST_LIST)
    day = day or clock.today()
    with db.read() as s:
        q = select(AssistSession).where(AssistSession.day == day)
        if helper:
            staff_id = s.scalar(select(Staff.id).where(Staff.code == helper))
            q = q.where(AssistSession.helper_id == staff_id)
        rows = list(s.scalars(q.order_by(AssistSession.started_at, AssistSession.id)))
        return session_summaries(s, rows)


def link_case(
    s: Session,
    session_id: int,
    case_id: uuid.UUID,
    items: Iterable[str],
    at: datetime,
    staff_id: int | None,
) -> None:
    """Inside the transaction opening a case: tie it to the helper session it was opened in.
    The session must be active and, for a 代办, authorized for the case's items today."""
    sess = find_session(s, session_id, lock=True)
    if next_state(AssistAction.LINK_CASE, sess.state) is None:
        raise Refused(*transition_refusal(AssistAction.LINK_CASE, sess.state))
    codes = list(items)
    check_may_act(s, sess, codes, clock.hall_day(at))
    s.add(AssistLink(session_id=sess.id, case_id=case_id, at=at))
    _event(s, sess, AssistAction.LINK_CASE, sess.state, at, staff_id, {"items": codes})
