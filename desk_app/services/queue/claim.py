"""Which waiting ticket a window takes next: its services (or tickets transferred to it), by the
window's calling rule and class (绿色通道 priority, appointment, walk-in), locked with ``SKIP
LOCKED`` so windows pressing at once each get a different ticket."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from desk_app.domain.calling import CallingRule, CallMode, call_order, ticket_class
from desk_app.domain.tickets import TicketState
from desk_app.services.common.lookups import Desk
from desk_app.store.models import Ticket

S = TicketState


def _candidates(desk: Desk, service_ids: list[int]):  # type: ignore[no-untyped-def]
    """Waiting tickets this window may call: its services, or transferred to it."""
    return select(Ticket).where(
        Ticket.state == S.WAITING,
        or_(
            and_(Ticket.target_window_id.is_(None), Ticket.service_id.in_(service_ids)),
            Ticket.target_window_id == desk.window.id,
        ),
    )


def claim(session: Session, desk: Desk, service_ids: list[int]) -> Ticket | None:
    """Pick and lock the next ticket by the window's calling rule."""
    rule = CallingRule.parse(desk.window.calling_rule)
    groups: list[list[int]] = [service_ids]
    if rule.mode is CallMode.SERVICE_ORDER:
        # Tickets transferred to this window first, then each service in the window's order.
        direct = session.scalar(
            select(func.count()).where(
                Ticket.state == S.WAITING, Ticket.target_window_id == desk.window.id
            )
        )
        groups = ([[]] if direct else []) + [[sid] for sid in service_ids]
    for group in groups:
        base = (
            _candidates(desk, group)
            if group
            else select(Ticket).where(
                Ticket.state == S.WAITING, Ticket.target_window_id == desk.window.id
            )
        )
        waiting = {
            ticket_class(p, a)
            for p, a in session.execute(
                base.with_only_columns(
                    Ticket.is_priority, Ticket.appointment_id.is_not(None)
                ).distinct()
            ).all()
        }
        order, new_pos, new_appt = call_order(
            rule, desk.session_row.cycle_pos, desk.session_row.appt_cycle_pos or 0, waiting
        )
        for cls in order:
            if cls not in waiting:
                continue
            t = session.scalar(_of_class(base, cls).limit(1).with_for_update(skip_locked=True))
            if t is not None:
                first = cls == order[0]
                desk.session_row.cycle_pos = new_pos if first else 0
                desk.session_row.appt_cycle_pos = new_appt if first else 0
                return t
    return None


def _of_class(base, cls: str):  # type: ignore[no-untyped-def]
    """The waiting tickets of one calling class, in calling order."""
    if cls == "priority":
        return base.where(Ticket.is_priority.is_(True)).order_by(Ticket.arrival_at, Ticket.seq)
    q = base.where(Ticket.is_priority.is_(False))
    if cls == "appointment":  # by the booked slot, then who checked in first
        return q.where(Ticket.appointment_id.is_not(None)).order_by(
            Ticket.slot_at, Ticket.arrival_at, Ticket.seq
        )
    return q.where(Ticket.appointment_id.is_(None)).order_by(Ticket.arrival_at, Ticket.seq)
