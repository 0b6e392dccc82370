"""Issuing a walk-in ticket on the queue's hot path: on PostgreSQL in SQLAlchemy Core (as
``queue_engine``), on SQLite by ``queue_quick`` on the connection kept for the hot path.

``queue.issue_ticket`` calls this first. One read gathers what issuing needs (the service,
whether the hall has an opening calendar, the people ahead, the open windows and the recent
service times for the estimate), sent with the transaction's BEGIN (``store/pipeline.py``);
then the day's counter is taken, and the ticket and its event are written in one statement:
three round trips in all instead of nine. People ahead are counted before the insert; the new
ticket, arriving now, is never among them.

An unknown or closed service and a full day go back to the ORM version as ``FALLBACK``, with
nothing written (the counter's increment is rolled back), for its refusal in its words.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, exists, func, insert, literal, select
from sqlalchemy.engine import Connection

from desk_app.domain import clock
from desk_app.domain.estimate import (
    RECENT_SERVICE_SAMPLE,
    estimate_wait_minutes,
    typical_service_seconds,
)
from desk_app.domain.tickets import Action, TicketState, format_number
from desk_app.services.common.dto import IssuedTicket
from desk_app.services.hall.calendar import check_issuing
from desk_app.services.queue import quick as queue_quick
from desk_app.services.queue.day import quick_stale
from desk_app.services.queue.engine import FALLBACK, joined, queued
from desk_app.store import Database
from desk_app.store.appointment_models import CalendarSession
from desk_app.store.database import dialect_insert
from desk_app.store.models import (
    Service,
    Ticket,
    TicketCounter,
    TicketEvent,
    WindowService,
    WindowSession,
)
from desk_app.store.pipeline import first_rows
from desk_app.store.types import UTCDateTime

T = cast(Table, Ticket.__table__)
EV = cast(Table, TicketEvent.__table__)
SV = cast(Table, Service.__table__)
WS = cast(Table, WindowSession.__table__)
WSV = cast(Table, WindowService.__table__)


class _Back(Exception):
    """Roll back and let the ORM version decide (and word the refusal)."""


@lru_cache(maxsize=1)
def _statements() -> dict[str, Any]:
    now = bindparam("now", type_=UTCDateTime())
    # By code, not correlated to the outer row: one self-contained id lookup per subquery.
    sid = select(SV.c.id).where(SV.c.code == bindparam("code")).correlate(None).scalar_subquery()
    ahead = select(func.count()).where(
        queued(), T.c.service_id == sid, T.c.target_window_id.is_(None), T.c.arrival_at < now
    )
    windows = (
        select(func.count())
        .select_from(WS.join(WSV, WSV.c.window_id == WS.c.window_id))
        .where(WSV.c.service_id == sid, WS.c.closed_at.is_(None), WS.c.paused_at.is_(None))
    )
    recent = (
        select(T.c.service_seconds.label("s"))
        .where(T.c.service_id == sid, T.c.completed_at.is_not(None))
        .order_by(T.c.completed_at.desc())
        .limit(RECENT_SERVICE_SAMPLE)
        .subquery()
    )
    facts = select(
        SV,
        exists(select(CalendarSession.id)).label("has_calendar"),
        windows.scalar_subquery().label("open_windows"),
        select(joined(recent.c.s)).scalar_subquery().label("recent"),
    ).where(SV.c.code == bindparam("code"))
    # A priority ticket has only the earlier priority tickets ahead (queue_views.people_ahead).
    ahead_p = ahead.where(T.c.is_priority == bindparam("yes", True))
    ticket = insert(T).values(
        id=bindparam("tid", type_=T.c.id.type),
        service_id=bindparam("sid"),
        issued_service_id=bindparam("sid"),
        day=bindparam("day", type_=T.c.day.type),
        seq=bindparam("seq"),
        number=bindparam("number"),
        priority=bindparam("priority", type_=T.c.priority.type),
        is_priority=bindparam("is_priority", type_=T.c.is_priority.type),
        state=TicketState.WAITING.value,
        issued_at=now,
        arrival_at=now,
        recall_count=0,
    )
    event_values = {
        "action": Action.ISSUE.value,
        "from_state": None,
        "to_state": TicketState.WAITING.value,
        "window_id": None,
        "staff_id": None,
    }
    counter = (
        dialect_insert(True, TicketCounter)
        .values(service_id=bindparam("sid"), day=bindparam("day"), last_number=1)
        .on_conflict_do_update(
            index_elements=[TicketCounter.service_id, TicketCounter.day],
            set_={"last_number": TicketCounter.last_number + 1},
        )
        .returning(TicketCounter.last_number)
    )
    added = ticket.returning(T.c.id).cte("added")
    return {
        "facts": facts.add_columns(ahead.scalar_subquery().label("ahead")),
        "facts_priority": facts.add_columns(ahead_p.scalar_subquery().label("ahead")),
        "counter": counter,
        # The ticket and its event in one round trip.
        "ticket+event": insert(EV)
        .from_select(
            ["ticket_id", "at", *event_values],
            select(added.c.id, now, *(literal(v) for v in event_values.values())),
        )
        .add_cte(added),
    }


def issue(db: Database, service_code: str, priority: str | None, now: datetime) -> Any:
    """Issue a walk-in ticket (``queue.issue_ticket`` checked the caller and the priority), or
    FALLBACK for an unknown or closed service and a full day (nothing is written then)."""
    if not db.is_postgres:
        with db.driver_connection() as raw:
            return queue_quick.issue(raw, service_code, priority, now)
    try:
        with db.begin_core() as conn:
            if quick_stale(conn, now):
                return FALLBACK  # the day's first action: the full version rolls over first
            return _issue(conn, service_code, priority, now)
    except _Back:
        return FALLBACK


def _issue(conn: Connection, code: str, priority: str | None, now: datetime) -> IssuedTicket:
    st = _statements()
    is_priority = priority is not None
    (facts,) = first_rows(
        conn, [(st["facts_priority" if is_priority else "facts"], {"code": code, "now": now})]
    )
    if facts is None or not facts.active:
        raise _Back
    if facts.has_calendar:
        check_issuing(conn, facts.code, now)  # the opening calendar, once the hall has one
    day = clock.hall_day(now)
    seq = conn.execute(st["counter"], {"sid": facts.id, "day": day}).scalar_one()
    if facts.daily_cap is not None and seq > facts.daily_cap:
        raise _Back  # rolls the counter back: the day's numbers stay gapless
    ticket_id = uuid.uuid4()
    number = format_number(facts.prefix, seq)
    values = {
        "tid": ticket_id,
        "sid": facts.id,
        "day": day,
        "seq": seq,
        "number": number,
        "priority": priority,
        "is_priority": is_priority,
        "now": now,
    }
    conn.execute(st["ticket+event"], values)
    recent = [int(x) for x in (facts.recent or "").split(",") if x]
    per_ticket = typical_service_seconds(recent, facts.default_service_s)
    eta = estimate_wait_minutes(facts.ahead, per_ticket, int(facts.open_windows or 0))
    return IssuedTicket(
        str(ticket_id), number, facts.code, facts.name, priority, facts.ahead, eta, now
    )
