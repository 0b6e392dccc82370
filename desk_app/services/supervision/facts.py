"""The period's facts the statistics count, as the domain defines them: one row per ticket
(``TicketFact``) and per window sitting (``SessionFact``), read as plain columns through the
day indexes. The rollup and today's count do not go through these objects (counting.py counts
the same rows as arrays, for speed); these are the reference the tests hold that count to, on
random halls (tests/test_statistics_rollup.py), and what a script or a one-off report may
read ticket by ticket."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from desk_app.domain.statistics import SessionFact, TicketFact, day_bounds
from desk_app.services.hall.calendar import SessionClassifier, sessions_or_default
from desk_app.store.models import Service, Staff, Ticket, TicketEvent, Window, WindowEvent
from desk_app.store.models import WindowSession as WS


def last_caller() -> Any:
    """Who made a ticket's last call, as a column of a select of tickets: one probe of the
    ticket's few events."""
    return (
        select(TicketEvent.staff_id)
        .where(TicketEvent.ticket_id == Ticket.id, TicketEvent.action == "call")
        .order_by(TicketEvent.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def ticket_facts(
    s: Session, first: date, last: date, *, with_staff: bool, with_session: bool = False
) -> list[TicketFact]:
    """The tickets issued on hall days ``first``..``last``, as the figures need them. An
    appointment ticket arrives at the later of its check-in and its slot's start (its wait counts
    from there); ``with_session`` classifies each arrival by the hall's opening calendar."""
    return [
        f
        for _day, f in dated_facts(s, first, last, with_staff=with_staff, with_session=with_session)
    ]


def dated_facts(
    s: Session,
    first: date,
    last: date,
    *,
    with_staff: bool,
    with_session: bool = False,
) -> list[tuple[date, TicketFact]]:
    """:func:`ticket_facts` with each ticket's hall day."""
    services: dict[Any, Any] = dict(s.execute(select(Service.id, Service.code)).all())
    windows: dict[Any, Any] = dict(s.execute(select(Window.id, Window.number)).all())
    staff: dict[Any, str] = {}
    if with_staff:
        staff = dict(s.execute(select(Staff.id, Staff.code)).all())
    columns: list[Any] = [
        Ticket.service_id,
        Ticket.window_id,
        Ticket.priority,
        Ticket.state,
        Ticket.issued_at,
        Ticket.first_called_at,
        Ticket.started_at,
        Ticket.completed_at,
        Ticket.appointment_id,
        Ticket.slot_at,
        Ticket.day,
    ]
    if with_staff:
        columns.append(last_caller())
    rows = s.execute(select(*columns).where(Ticket.day.between(first, last)))
    kind_at = SessionClassifier(sessions_or_default(s)).kind_at if with_session else None
    facts = []
    for r in rows:
        arrival = r[4] if r[8] is None or r[9] is None else max(r[4], r[9])
        facts.append(
            (
                r[10],
                TicketFact(
                    service=services[r[0]],
                    window=windows.get(r[1]) if r[1] is not None and r[5] is not None else None,
                    staff=staff[r[11]] if with_staff and r[11] is not None else None,
                    priority=r[2],
                    state=r[3],
                    issued_at=arrival,
                    first_called_at=r[5],
                    started_at=r[6],
                    completed_at=r[7],
                    appointment=r[8] is not None,
                    session=kind_at(arrival) if kind_at else None,
                ),
            )
        )
    return facts


def session_facts(s: Session, first: date, last: date, *, now: datetime) -> list[SessionFact]:
    """The window sittings overlapping the period, cut to it, with their serving intervals
    (start → complete, transfer, hold or no-show at that window) and pauses (the reference
    the rollup's own count, counting._sittings, is tested against)."""
    start, end = day_bounds(first, last)
    end = min(end, now)
    windows = dict(s.execute(select(Window.id, Window.number)).all())
    staff = dict(s.execute(select(Staff.id, Staff.code)).all())
    # Still open, or closed after the period began: two probes of their indexes, not every
    # sitting of the hall's history opened before the period's end.
    cols = (WS.id, WS.window_id, WS.staff_id, WS.opened_at, WS.closed_at)
    sessions = [
        *s.execute(select(*cols).where(WS.closed_at.is_(None), WS.opened_at < end)),
        *(r for r in s.execute(select(*cols).where(WS.closed_at > start)) if r[3] < end),
    ]
    serving: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    open_start: dict[Any, tuple[int, datetime]] = {}
    for tid, action, wid, at in s.execute(
        select(
            type_coerce(TicketEvent.ticket_id, String),  # a key only: no UUID parsed per event
            TicketEvent.action,
            TicketEvent.window_id,
            TicketEvent.at,
        )
        .where(
            TicketEvent.at >= start,
            TicketEvent.at < end,
            TicketEvent.action.in_(["start", "complete", "transfer", "hold", "no_show"]),
        )
        .order_by(TicketEvent.id)
    ):
        if action == "start" and wid is not None:
            open_start[tid] = (wid, at)
        elif tid in open_start:
            w, began = open_start.pop(tid)
            serving[w].append((began, at))
    for w, began in open_start.values():
        serving[w].append((began, end))  # still serving at the end of the period
    paused: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    pause_from: dict[int, datetime] = {}
    for wid, action, at in s.execute(
        select(WindowEvent.window_id, WindowEvent.action, WindowEvent.at)
        .where(WindowEvent.at >= start, WindowEvent.at < end)
        .order_by(WindowEvent.id)
    ):
        if action == "pause":
            pause_from[wid] = at
        elif action in ("resume", "close") and wid in pause_from:
            paused[wid].append((pause_from.pop(wid), at))
    for wid, began in pause_from.items():
        paused[wid].append((began, end))
    result = []
    for _sid, wid, stid, opened, closed in sessions:
        a, b = max(opened, start), min(closed or end, end)
        if b <= a:
            continue
        result.append(
            SessionFact(
                windows[wid],
                staff[stid],
                a,
                b,
                tuple(x for x in serving.get(wid, []) if x[0] < b and x[1] > a),
                tuple(x for x in paused.get(wid, []) if x[0] < b and x[1] > a),
            )
        )
    return result
