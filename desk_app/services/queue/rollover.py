"""The queue's day: tickets still waiting, called or held when the hall's day ended are closed
(``expired``, with their event) by the next day's first issue or call, or by ``desk-app queue
rollover``. Idempotent: a ``queue_day`` marker in the settings says which day the queue was
last rolled to, so every later action that day costs one primary-key read.

Yesterday's tickets would otherwise stay in today's queue: two "L001" waiting at once, a
longest wait of 1,477 minutes, and a window still "calling" a ticket from last night.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.tickets import Action, TicketState
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.common.lookups import add_event
from desk_app.services.queue.day import QUEUE_DAY, stale
from desk_app.services.queue.engine import in_states
from desk_app.store import Database
from desk_app.store.models import Setting, Ticket, TicketEvent

OPEN_STATES = (TicketState.WAITING, TicketState.CALLED, TicketState.HELD)


def roll_over(s: Session, now: datetime) -> int:
    """Inside the caller's write transaction: expire the open tickets of earlier days, once a
    day; returns how many."""
    today = clock.hall_day(now)
    mark = s.get(Setting, QUEUE_DAY)
    if not stale(mark.value if mark else None, today):
        return 0
    tickets = s.scalars(
        select(Ticket).where(Ticket.day < today, in_states(OPEN_STATES)).with_for_update()
    ).all()
    for t in tickets:
        before = t.state
        t.state = TicketState.EXPIRED.value
        add_event(
            s,
            TicketEvent,
            ticket_id=t.id,
            action=Action.EXPIRE,
            from_state=before,
            to_state=t.state,
            window_id=None,
            staff_id=None,
            at=now,
            detail={"rollover": today.isoformat()},
        )
    if mark is None:
        s.add(Setting(key=QUEUE_DAY, value=today.isoformat()))
    else:
        mark.value = today.isoformat()
    s.flush()
    return len(tickets)


def rollover(db: Database, *, now: datetime | None = None) -> int:
    """``desk-app queue rollover``: the same, as a command (it is also done by the day's first
    issue or call)."""
    require(db.actor, Operation.QUEUE_ROLLOVER)
    now = now or clock.now()
    with db.begin() as s:
        return roll_over(s, now)
