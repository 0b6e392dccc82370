"""The queue's read side: a ticket as the screens and the command line see it, people ahead and
the estimated wait, the queue at a glance. Read-only; shared by the queue operations and boards."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Connection, Row, and_, func, or_, select
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.calling import CallingRule, calls_before, ticket_class
from desk_app.domain.estimate import (
    RECENT_SERVICE_SAMPLE,
    estimate_wait_minutes,
    typical_service_seconds,
)
from desk_app.domain.tickets import TicketState
from desk_app.domain.windows import window_state
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.common.dto import QueueStatus, ServiceQueue, TicketInfo, WindowStatus
from desk_app.services.common.errors import NotFound
from desk_app.services.common.lookups import window_by_number
from desk_app.store import Database
from desk_app.store.models import Service, Staff, Ticket, Window, WindowService, WindowSession

S = TicketState


def people_ahead(session: Session, service_id: int, is_priority: bool, before: datetime) -> int:
    """Waiting tickets of the service that will be called first: for a priority ticket the
    priority tickets that arrived earlier; for a normal ticket everyone who arrived earlier
    (later priority arrivals may still pass it; the estimate does not guess those)."""
    q = select(func.count()).where(
        Ticket.state == S.WAITING,
        Ticket.service_id == service_id,
        Ticket.target_window_id.is_(None),
        Ticket.arrival_at < before,
    )
    if is_priority:
        q = q.where(Ticket.is_priority)
    return int(session.scalar(q) or 0)


def calls_ahead(session: Session, svc: Service, ticket: Ticket) -> int:
    """The calls before ``ticket`` (just queued) by the calling rule of the first open window
    serving its service: its class's tickets before it (appointments by slot, then check-in;
    the others by arrival) and the other classes' waiting tickets as the window's cycles
    interleave them (domain.calling.calls_before). Used for a checked-in appointment, which
    "everyone who arrived earlier" overstates (a ticket called next was told 5 ahead)."""
    waiting_now = select(func.count()).where(
        Ticket.state == S.WAITING,
        Ticket.service_id == svc.id,
        Ticket.target_window_id.is_(None),
        Ticket.id != ticket.id,
    )
    mine = ticket_class(ticket.is_priority, ticket.appointment_id is not None)
    counts: dict[str, int] = {}
    for is_p, is_a, n in session.execute(
        waiting_now.with_only_columns(
            Ticket.is_priority, Ticket.appointment_id.is_not(None), func.count()
        ).group_by(Ticket.is_priority, Ticket.appointment_id.is_not(None))
    ):
        cls = ticket_class(bool(is_p), bool(is_a))
        counts[cls] = counts.get(cls, 0) + int(n)
    if mine == "appointment":
        slot = ticket.slot_at or ticket.arrival_at
        before = and_(
            Ticket.appointment_id.is_not(None),
            Ticket.is_priority.is_(False),
            or_(
                Ticket.slot_at < slot,
                and_(Ticket.slot_at == slot, Ticket.arrival_at < ticket.arrival_at),
                and_(Ticket.slot_at == slot, Ticket.arrival_at == ticket.arrival_at,
                     Ticket.seq < ticket.seq),
            ),
        )  # fmt: skip
    else:
        same = (
            Ticket.is_priority.is_(True)
            if mine == "priority"
            else and_(Ticket.is_priority.is_(False), Ticket.appointment_id.is_(None))
        )
        before = and_(same, Ticket.arrival_at <= ticket.arrival_at, Ticket.seq < ticket.seq)
    ahead = int(session.scalar(waiting_now.where(before)) or 0)
    row = session.execute(
        select(Window.calling_rule, WindowSession.cycle_pos, WindowSession.appt_cycle_pos)
        .join(WindowSession, WindowSession.window_id == Window.id)
        .join(WindowService, WindowService.window_id == Window.id)
        .where(
            WindowService.service_id == svc.id,
            WindowSession.closed_at.is_(None),
            WindowSession.paused_at.is_(None),
        )
        .order_by(Window.number)
        .limit(1)
    ).first()
    rule, cycle, appt = (CallingRule(), 0, 0) if row is None else (
        CallingRule.parse(row[0]), row[1] or 0, row[2] or 0
    )  # fmt: skip
    return calls_before(rule, cycle, appt, counts, mine, ahead)


def eta_minutes(session: Session, svc: Service, ahead: int) -> int:
    recent = session.scalars(
        select(Ticket.service_seconds)
        .where(Ticket.service_id == svc.id, Ticket.completed_at.is_not(None))
        .order_by(Ticket.completed_at.desc())
        .limit(RECENT_SERVICE_SAMPLE)
    ).all()
    windows = session.scalar(
        select(func.count())
        .select_from(WindowSession)
        .join(WindowService, WindowService.window_id == WindowSession.window_id)
        .where(
            WindowService.service_id == svc.id,
            WindowSession.closed_at.is_(None),
            WindowSession.paused_at.is_(None),
        )
    )
    per_ticket = typical_service_seconds(
        [r for r in recent if r is not None], svc.default_service_s
    )
    return estimate_wait_minutes(ahead, per_ticket, int(windows or 0))


_service_names: dict[tuple[str, int], tuple[str, str]] = {}


def _service_name(session: Session | Connection, service_id: int) -> tuple[str, str]:
    """(code, name) of a service; services are only ever added, so a process-wide memo is safe
    and saves a query on every queue operation."""
    engine = session.engine if isinstance(session, Connection) else session.get_bind().engine
    key = (str(engine.url), service_id)
    hit = _service_names.get(key)
    if hit is None:
        row = session.execute(
            select(Service.code, Service.name).where(Service.id == service_id)
        ).one()
        hit = _service_names[key] = (row[0], row[1])
    return hit


def ticket_info(
    session: Session | Connection,
    t: Ticket | Row,
    *,
    repeated: bool = False,
    window_number: int | None = None,
) -> TicketInfo:
    code, name = _service_name(session, t.service_id)
    if window_number is None and t.window_id is not None:
        window_number = session.scalar(select(Window.number).where(Window.id == t.window_id))
    return TicketInfo(
        id=str(t.id),
        number=t.number,
        service=code,
        service_name=name,
        priority=t.priority,
        state=t.state,
        window=window_number if t.window_id is not None else None,
        arrival_at=t.arrival_at,
        recall_count=t.recall_count,
        called_at=t.last_called_at,
        started_at=t.started_at,
        repeated=repeated,
    )


def queue_status(db: Database, *, now: datetime | None = None) -> QueueStatus:
    """Waiting counts and longest waits per service; state and current ticket per window."""
    require(db.actor, Operation.QUEUE_STATUS)
    now = now or clock.now()
    with db.read() as s:
        waiting = {
            sid: (n, oldest)
            for sid, n, oldest in s.execute(
                select(Ticket.service_id, func.count(), func.min(Ticket.arrival_at))
                .where(Ticket.state == S.WAITING)
                .group_by(Ticket.service_id)
            )
        }
        services = []
        for svc in s.scalars(select(Service).where(Service.active).order_by(Service.prefix)):
            n, oldest = waiting.get(svc.id, (0, None))
            longest = max(0, int((now - oldest).total_seconds())) if oldest else 0
            services.append(ServiceQueue(svc.code, svc.name, int(n), longest))
        current = {
            wid: (num, st)
            for wid, num, st in s.execute(
                select(Ticket.window_id, Ticket.number, Ticket.state).where(
                    Ticket.state.in_([S.CALLED, S.SERVING])
                )
            )
        }
        sessions = {
            ws.window_id: ws
            for ws in s.scalars(select(WindowSession).where(WindowSession.closed_at.is_(None)))
        }
        staff = dict(s.execute(select(Staff.id, Staff.code)).all())
        windows = []
        for win in s.scalars(select(Window).order_by(Window.number)):
            sess = sessions.get(win.id)
            state = window_state(sess is not None, sess is not None and bool(sess.paused_at))
            num, st = current.get(win.id, (None, None))
            windows.append(
                WindowStatus(win.number, state, num, staff.get(sess.staff_id) if sess else None, st)
            )
        return QueueStatus(services, windows)


def window_current(db: Database, window: int) -> TicketInfo | None:
    require(db.actor, Operation.TICKET_SHOW)
    with db.read() as s:
        win = window_by_number(s, window)
        t = s.scalar(
            select(Ticket).where(
                Ticket.window_id == win.id, Ticket.state.in_([S.CALLED, S.SERVING])
            )
        )
        return ticket_info(s, t) if t else None


def ticket_by_id(db: Database, ticket_id: str) -> TicketInfo:
    require(db.actor, Operation.TICKET_SHOW)
    try:
        tid = uuid.UUID(ticket_id)
    except ValueError as exc:
        raise NotFound(f"号票编号无效 {ticket_id}", f"invalid ticket id {ticket_id}") from exc
    with db.read() as s:
        t = s.get(Ticket, tid)
        if t is None:
            raise NotFound(f"没有号票 {ticket_id}", f"no ticket {ticket_id}")
        return ticket_info(s, t)
