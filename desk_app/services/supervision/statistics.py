"""``stats summary``: the queue's figures over a period of hall days, grouped by service, window,
staff, hour, weekday, session kind, channel or day (definitions: docs/statistics.md).

One read-only unit of work: the period's tickets are fetched as plain columns through the
tickets' day index and counted in Python (desk_app.domain.statistics), so SQLite and PostgreSQL
give the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.statistics import (
    DIMENSIONS,
    SessionFact,
    TicketFact,
    day_bounds,
)
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.common.errors import Refused
from desk_app.services.common.lookups import get_setting
from desk_app.services.hall.calendar import SessionClassifier, sessions_or_default
from desk_app.store import Database
from desk_app.store.models import Service, Staff, Ticket, TicketEvent, Window, WindowEvent
from desk_app.store.models import WindowSession as WS

# Ten years: periods are merged from the rollup's months and days (docs/statistics.md)
MAX_PERIOD_DAYS = 3653

COLUMNS = (
    "key",
    "arrivals",
    "called",
    "served",
    "no_shows",
    "no_show_rate",
    "wait_p50_s",
    "wait_p90_s",
    "wait_p95_s",
    "service_p50_s",
    "service_p90_s",
    "sla_pct",
)
SESSION_COLUMNS = ("session_s", "serving_s", "paused_s", "idle_s")
NAMED = ("service", "window", "staff")  # rows of these groupings carry a "name" too


@dataclass(frozen=True)
class Summary:
    first: date
    last: date
    by: str
    sla_target_s: int
    rows: list[dict[str, Any]]
    total: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "by": self.by,
            "sla_target_s": self.sla_target_s,
            "rows": self.rows,
            "total": self.total,
        }

    @property
    def columns(self) -> tuple[str, ...]:
        named = ("key", "name", *COLUMNS[1:]) if self.by in NAMED else COLUMNS
        return named + (SESSION_COLUMNS if self.by in ("window", "staff") else ())


def check_period(first: date, last: date) -> None:
    if last < first:
        raise Refused("结束日期早于开始日期", "--to is before --from")
    if (last - first).days >= MAX_PERIOD_DAYS:
        raise Refused(
            f"统计期间最长 {MAX_PERIOD_DAYS} 天", f"a period is at most {MAX_PERIOD_DAYS} days"
        )


def sla_target_s(s: Session) -> int:
    return int(get_setting(s, "sla_target_minutes")) * 60


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
    ids: bool = False,
) -> list[tuple[date, TicketFact]]:
    """:func:`ticket_facts` with each ticket's hall day; ``ids``: the service, window and staff
    as their row ids (the rollup's keys, named when read) instead of code and number."""
    services: dict[Any, Any] = dict(s.execute(select(Service.id, Service.code)).all())
    windows: dict[Any, Any] = dict(s.execute(select(Window.id, Window.number)).all())
    if ids:
        services = {k: str(k) for k in services}
        windows = {k: k for k in windows}
    caller: dict[Any, str] = {}
    if with_staff:
        staff = dict(s.execute(select(Staff.id, Staff.code)).all())
        if ids:
            staff = {k: str(k) for k in staff}
        last_call = (
            select(func.max(TicketEvent.id).label("eid"))
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .where(Ticket.day.between(first, last), TicketEvent.action == "call")
            .group_by(TicketEvent.ticket_id)
            .subquery()
        )
        for tid, sid in s.execute(
            select(TicketEvent.ticket_id, TicketEvent.staff_id).join(
                last_call, last_call.c.eid == TicketEvent.id
            )
        ):
            if sid is not None:
                caller[tid] = staff[sid]
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
    if with_staff:  # the ticket's id only to find who called it (parsing ids costs)
        columns.append(Ticket.id)
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
                    staff=caller.get(r[11]) if with_staff else None,
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


def session_facts(
    s: Session, first: date, last: date, *, now: datetime, ids: bool = False
) -> list[SessionFact]:
    """The window sittings overlapping the period, cut to it, with their serving intervals
    (start → complete, transfer, hold or no-show at that window) and pauses; ``ids`` as in
    :func:`dated_facts`."""
    start, end = day_bounds(first, last)
    end = min(end, now)
    windows = dict(s.execute(select(Window.id, Window.number)).all())
    staff = dict(s.execute(select(Staff.id, Staff.code)).all())
    if ids:
        windows = {k: k for k in windows}
        staff = {k: str(k) for k in staff}
    sessions = s.execute(
        select(WS.id, WS.window_id, WS.staff_id, WS.opened_at, WS.closed_at).where(
            WS.opened_at < end, (WS.closed_at.is_(None)) | (WS.closed_at > start)
        )
    ).all()
    serving: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    open_start: dict[Any, tuple[int, datetime]] = {}
    for tid, action, wid, at in s.execute(
        select(TicketEvent.ticket_id, TicketEvent.action, TicketEvent.window_id, TicketEvent.at)
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


def _names(s: Session, by: str) -> dict[Any, str | None]:
    if by == "service":
        return dict(s.execute(select(Service.code, Service.name)).all())
    if by == "window":
        return dict(s.execute(select(Window.number, Window.name)).all())
    return dict(s.execute(select(Staff.code, Staff.name)).all())


def compute_summary(
    s: Session, first: date, last: date, by: str, *, now: datetime | None = None
) -> Summary:
    """The figures inside the caller's read (the report and the screen reuse it): from the
    rollup where it covers the period, from the tickets for the days it does not."""
    from desk_app.services.supervision import rollup_read

    if by not in DIMENSIONS:
        raise Refused(f"未知的分组 {by}", f"unknown grouping {by}")
    check_period(first, last)
    target = sla_target_s(s)
    rows = rollup_read.period_rows(s, first, last, (by, "all"), now=now or clock.now())
    figures, total = rollup_read.figure_rows(s, rows, by, target)
    if by in NAMED:
        names = _names(s, by)
        for r in figures:
            r["name"] = names.get(r["key"])
    if total is None:
        total = {**dict.fromkeys(COLUMNS), "key": "all"}
        total.update(arrivals=0, called=0, served=0, no_shows=0)
    return Summary(first, last, by, target, figures, total)


def summary(
    db: Database, first: date, last: date, *, by: str = "service", now: datetime | None = None
) -> Summary:
    """The period's figures per ``by`` (service, window, staff, hour, weekday, session, channel,
    day) and for the whole period (``total``)."""
    from desk_app.services.supervision.rollup import catch_up

    require(db.actor, Operation.STATS_SUMMARY)
    if by not in DIMENSIONS:
        raise Refused(f"未知的分组 {by}", f"unknown grouping {by}")
    check_period(first, last)
    now = now or clock.now()
    catch_up(db, first, last, now=now)
    with db.read() as s:
        return compute_summary(s, first, last, by, now=now)


def hourly(
    db: Database, first: date, last: date, *, now: datetime | None = None
) -> dict[int, tuple[int, int]]:
    """Arrivals by hour of issue and tickets served by hour of completion (the chart)."""
    from desk_app.services.supervision import rollup, rollup_read

    require(db.actor, Operation.STATS_SUMMARY)
    check_period(first, last)
    now = now or clock.now()
    rollup.catch_up(db, first, last, now=now)
    with db.read() as s:
        return rollup_read.hourly(s, first, last, now=now)
