"""The read model of a helper session: what the helper screen, the command line and the printed
forms see (personal data masked unless revealed), and the look-ups the session services share."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.assist import AssistMode, Authorization
from desk_app.domain.validators import mask_id, mask_name
from desk_app.services.common.catalog import catalog
from desk_app.services.common.errors import NotFound
from desk_app.services.common.protection import unseal
from desk_app.store.assist_models import (
    AssistAuthorization,
    AssistEvent,
    AssistLink,
    AssistSession,
    AssistStep,
    PainPoint,
)
from desk_app.store.case_models import Case
from desk_app.store.models import Staff, Ticket

# Sealed columns of each table, each with the context "<table>.<column>" (key rotation too).
SESSION_PERSONAL = ("visitor_name", "visitor_id_no")
AUTHORIZATION_PERSONAL = ("principal_name", "principal_id_no", "agent_name", "agent_id_no")


def bundle_name(code: str | None) -> str | None:
    """The bundle's name, or its code when the catalog no longer has it."""
    if not code:
        return None
    for b in catalog().bundles:
        if b.code == code:
            return b.name
    return code


def item_names(bundle_code: str | None, codes: list[str]) -> list[str]:
    """The names of a bundle's items (codes the catalog does not know stay codes)."""
    names = {}
    for b in catalog().bundles:
        if b.code == bundle_code:
            names = {i.code: i.name for i in b.items}
    return [names.get(c, c) for c in codes]


def find_session(s: Session, session_id: int, *, lock: bool = False) -> AssistSession:
    q = select(AssistSession).where(AssistSession.id == session_id)
    if lock:
        q = q.with_for_update()
    row = s.scalar(q)
    if row is None:
        raise NotFound(f"没有帮办服务 {session_id}", f"no helper session {session_id}")
    return row


def current_authorization(s: Session, session_id: int) -> AssistAuthorization | None:
    """The authorization in force: the latest one signed for the session."""
    return s.scalar(
        select(AssistAuthorization)
        .where(AssistAuthorization.session_id == session_id)
        .order_by(AssistAuthorization.id.desc())
        .limit(1)
    )


def as_rule(row: AssistAuthorization | None) -> Authorization | None:
    """The stored authorization as the domain's rule sees it."""
    if row is None:
        return None
    return Authorization(frozenset(json.loads(row.items)), row.valid_until)


@dataclass(frozen=True)
class StepLine:
    seq: int
    window: int | None
    department: str | None
    action: str
    item: str | None
    started_at: datetime
    ended_at: datetime
    minutes: int
    materials: tuple[str, ...]
    outcome: str | None
    trip: bool
    ticket: str | None

    @property
    def where(self) -> str:
        return f"{self.window} 号窗口" if self.window is not None else (self.department or "")

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "window": self.window,
            "department": self.department,
            "action": self.action,
            "item": self.item,
            "started_at": clock.iso(self.started_at),
            "ended_at": clock.iso(self.ended_at),
            "minutes": self.minutes,
            "materials": list(self.materials),
            "outcome": self.outcome,
            "trip": self.trip,
            "ticket": self.ticket,
        }


@dataclass(frozen=True)
class AuthorizationLine:
    principal_name: str
    principal_id: str
    agent_name: str
    agent_id: str | None
    items: tuple[str, ...]
    item_names: tuple[str, ...]
    valid_until: date
    valid: bool  # still in force today
    signed_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "principal_name": self.principal_name,
            "principal_id": self.principal_id,
            "agent_name": self.agent_name,
            "agent_id": self.agent_id,
            "items": list(self.items),
            "valid_until": self.valid_until.isoformat(),
            "valid": self.valid,
            "signed_at": clock.iso(self.signed_at),
        }


@dataclass(frozen=True)
class SessionView:
    """A session with its timeline; personal data masked (unless ``revealed``)."""

    id: int
    mode: str
    channel: str
    state: str
    bundle: str | None
    bundle_name: str | None
    visitor_name: str
    visitor_id: str
    helper: str | None
    helper_name: str | None
    ticket: str | None
    appointment: str | None
    started_at: datetime
    ended_at: datetime | None
    end_reason: str | None
    authorization: AuthorizationLine | None = None
    steps: tuple[StepLine, ...] = ()
    cases: tuple[dict[str, str], ...] = ()
    tickets: tuple[str, ...] = ()
    events: tuple[dict[str, Any], ...] = ()
    pain_points: tuple[int, ...] = ()
    revealed: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def minutes(self) -> int:
        """Time of the steps (the work done with the visitor)."""
        return sum(step.minutes for step in self.steps)

    @property
    def trips(self) -> int:
        return sum(1 for step in self.steps if step.trip)

    @property
    def materials(self) -> tuple[str, ...]:
        """Every material handed over in the session, once each, in order."""
        seen: dict[str, None] = {}
        for step in self.steps:
            for m in step.materials:
                seen.setdefault(m, None)
        return tuple(seen)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "mode": self.mode,
            "channel": self.channel,
            "state": self.state,
            "bundle": self.bundle,
            "bundle_name": self.bundle_name,
            "visitor": {"name": self.visitor_name, "id": self.visitor_id},
            "helper": self.helper,
            "ticket": self.ticket,
            "appointment": self.appointment,
            "started_at": clock.iso(self.started_at),
            "ended_at": clock.iso(self.ended_at),
            "end_reason": self.end_reason,
            "authorization": self.authorization.to_json() if self.authorization else None,
            "steps": [step.to_json() for step in self.steps],
            "minutes": self.minutes,
            "trips": self.trips,
            "materials": list(self.materials),
            "cases": list(self.cases),
            "tickets": list(self.tickets),
            "events": list(self.events),
            "pain_points": list(self.pain_points),
            "revealed": self.revealed,
        }


@dataclass(frozen=True)
class SessionSummary:
    """One line of a day's list (masked)."""

    id: int
    mode: str
    channel: str
    state: str
    bundle: str | None
    bundle_name: str | None
    visitor_name: str
    helper: str | None
    started_at: datetime
    ended_at: datetime | None
    steps: int
    minutes: int

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "mode": self.mode,
            "channel": self.channel,
            "state": self.state,
            "bundle": self.bundle,
            "bundle_name": self.bundle_name,
            "visitor_name": self.visitor_name,
            "helper": self.helper,
            "started_at": clock.iso(self.started_at),
            "ended_at": clock.iso(self.ended_at),
            "steps": self.steps,
            "minutes": self.minutes,
        }


def _person(
    name_token: str | None, id_token: str | None, table: str, cols: tuple[str, str], reveal: bool
) -> tuple[str, str | None]:
    name = unseal(name_token, f"{table}.{cols[0]}") or ""
    id_no = unseal(id_token, f"{table}.{cols[1]}")
    if reveal:
        return name, id_no
    return mask_name(name), mask_id(id_no) if id_no else None


def authorization_line(
    s: Session, sess: AssistSession, *, reveal: bool = False
) -> AuthorizationLine | None:
    """The letter in force of ``sess`` (None without one); in clear only for printing it to be
    signed (assist/documents.print_authorization audits that)."""
    return _authorization(s, sess, reveal, clock.today())


def _authorization(
    s: Session, sess: AssistSession, reveal: bool, today: date
) -> AuthorizationLine | None:
    row = current_authorization(s, sess.id)
    if row is None:
        return None
    t = "assist_authorizations"
    p_name, p_id = _person(
        row.principal_name, row.principal_id_no, t, AUTHORIZATION_PERSONAL[:2], reveal
    )
    if row.agent_name:
        a_name, a_id = _person(
            row.agent_name, row.agent_id_no, t, AUTHORIZATION_PERSONAL[2:], reveal
        )
    else:
        staff = s.get(Staff, row.agent_staff_id) if row.agent_staff_id else None
        a_name, a_id = (f"{staff.name}（工号 {staff.code}）" if staff else ""), None
    items = tuple(json.loads(row.items))
    return AuthorizationLine(
        p_name,
        p_id or "",
        a_name,
        a_id,
        items,
        tuple(item_names(sess.bundle_code, list(items))),
        row.valid_until,
        row.valid_until >= today,
        row.created_at,
    )


def _ticket_numbers(s: Session, ids: list[Any]) -> dict[Any, str]:
    ids = [i for i in ids if i is not None]
    if not ids:
        return {}
    return {t.id: t.number for t in s.scalars(select(Ticket).where(Ticket.id.in_(ids)))}


def session_view(s: Session, sess: AssistSession, *, reveal: bool = False) -> SessionView:
    """The whole session: authorization, steps, linked tickets and cases, events."""
    today = clock.today()
    name, id_no = _person(
        sess.visitor_name, sess.visitor_id_no, "assist_sessions", SESSION_PERSONAL, reveal
    )
    steps_rows = s.scalars(
        select(AssistStep).where(AssistStep.session_id == sess.id).order_by(AssistStep.id)
    ).all()
    links = s.scalars(
        select(AssistLink).where(AssistLink.session_id == sess.id).order_by(AssistLink.id)
    ).all()
    numbers = _ticket_numbers(
        s, [sess.ticket_id, *(r.ticket_id for r in steps_rows), *(ln.ticket_id for ln in links)]
    )
    steps = tuple(
        StepLine(
            seq,
            r.window_number,
            r.department,
            r.action,
            r.item_code,
            r.started_at,
            r.ended_at,
            r.minutes,
            tuple(json.loads(r.materials or "[]")),
            r.outcome,
            r.trip,
            numbers.get(r.ticket_id),
        )
        for seq, r in enumerate(steps_rows, start=1)
    )
    case_ids = [ln.case_id for ln in links if ln.case_id is not None]
    cases: tuple[dict[str, str], ...] = ()
    if case_ids:
        cases = tuple(
            {"case_no": c.case_no, "bundle": c.bundle_code, "state": c.state}
            for c in s.scalars(select(Case).where(Case.id.in_(case_ids)).order_by(Case.opened_at))
        )
    tickets = tuple(
        dict.fromkeys(
            n
            for n in [numbers.get(sess.ticket_id), *(numbers.get(ln.ticket_id) for ln in links)]
            if n
        )
    )
    events = tuple(
        {
            "action": e.action,
            "from": e.from_state,
            "to": e.to_state,
            "at": clock.iso(e.at),
            "detail": json.loads(e.detail) if e.detail else None,
        }
        for e in s.scalars(
            select(AssistEvent).where(AssistEvent.session_id == sess.id).order_by(AssistEvent.id)
        )
    )
    pains = tuple(
        s.scalars(
            select(PainPoint.id).where(PainPoint.session_id == sess.id).order_by(PainPoint.id)
        )
    )
    helper = s.get(Staff, sess.helper_id) if sess.helper_id else None
    return SessionView(
        id=sess.id,
        mode=sess.mode,
        channel=sess.channel,
        state=sess.state,
        bundle=sess.bundle_code,
        bundle_name=bundle_name(sess.bundle_code),
        visitor_name=name,
        visitor_id=id_no or "",
        helper=helper.code if helper else None,
        helper_name=helper.name if helper else None,
        ticket=numbers.get(sess.ticket_id),
        appointment=sess.appointment_code,
        started_at=sess.started_at,
        ended_at=sess.ended_at,
        end_reason=sess.end_reason,
        authorization=_authorization(s, sess, reveal, today),
        steps=steps,
        cases=cases,
        tickets=tickets,
        events=events,
        pain_points=pains,
        revealed=reveal,
    )


def session_summaries(s: Session, rows: list[AssistSession]) -> list[SessionSummary]:
    """List lines of ``rows`` (one query for the steps of all of them)."""
    ids = [r.id for r in rows]
    counts: dict[int, list[int]] = {i: [] for i in ids}
    if ids:
        for sid, minutes in s.execute(
            select(AssistStep.session_id, AssistStep.minutes).where(AssistStep.session_id.in_(ids))
        ):
            counts[sid].append(minutes)
    staff = {st.id: st.code for st in s.scalars(select(Staff))}
    return [
        SessionSummary(
            r.id,
            r.mode,
            r.channel,
            r.state,
            r.bundle_code,
            bundle_name(r.bundle_code),
            mask_name(unseal(r.visitor_name, "assist_sessions.visitor_name") or ""),
            staff.get(r.helper_id) if r.helper_id else None,
            r.started_at,
            r.ended_at,
            len(counts[r.id]),
            sum(counts[r.id]),
        )
        for r in rows
    ]


def is_proxy(sess: AssistSession) -> bool:
    return AssistMode(sess.mode) is AssistMode.PROXY
