"""The supervisor's live hall: per service the people waiting, the longest wait and today's
served; per window its state, who sits there, the current ticket, how long it has been served
and how long the window has been paused. One read, cheap enough to poll every second (the live
queue is small; today's history is reached through the tickets' day index).

Today only: a ticket of an earlier day still open before the day's first action (which rolls
the queue over, services/queue/rollover.py) is not waiting, not current and not the longest
wait. "Done today" counts by completion time, so a ticket issued yesterday and completed today
is today's; a no-show by its last call."""

from __future__ import annotations

import statistics as pystats
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.tickets import TicketState
from desk_app.domain.windows import window_state
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.store import Database
from desk_app.store.models import Service, Staff, Ticket, Window, WindowSession

S = TicketState
MEDIAN_SAMPLE = 50  # the service's last completed tickets the median is taken over


@dataclass(frozen=True)
class LiveService:
    code: str
    name: str
    waiting: int
    longest_wait_s: int
    served_today: int
    no_shows_today: int


@dataclass(frozen=True)
class LiveWindow:
    number: int
    name: str | None
    state: str  # closed | open | paused
    staff_code: str | None
    staff_name: str | None
    current: str | None  # ticket number
    current_state: str | None  # called | serving
    current_service: str | None
    serving_s: int | None  # since the current ticket was started (or called)
    median_service_s: int | None  # of the current ticket's service
    paused_s: int | None
    served_today: int


@dataclass(frozen=True)
class LiveHall:
    at: datetime
    services: list[LiveService] = field(default_factory=list)
    windows: list[LiveWindow] = field(default_factory=list)

    @property
    def waiting(self) -> int:
        return sum(s.waiting for s in self.services)

    @property
    def served_today(self) -> int:
        return sum(s.served_today for s in self.services)

    def to_json(self) -> dict[str, Any]:
        return {
            "at": clock.iso(self.at),
            "services": [asdict(s) for s in self.services],
            "windows": [asdict(w) for w in self.windows],
        }


def _median_service(s: Session, service_id: int) -> int | None:
    recent = [
        v
        for v in s.scalars(
            select(Ticket.service_seconds)
            .where(Ticket.service_id == service_id, Ticket.completed_at.is_not(None))
            .order_by(Ticket.completed_at.desc())
            .limit(MEDIAN_SAMPLE)
        )
        if v is not None
    ]
    return int(pystats.median(recent)) if recent else None


def compute_live(s: Session, now: datetime) -> LiveHall:
    """The live hall inside the caller's read."""
    today = clock.hall_day(now)
    start, end = clock.day_start(today), clock.day_start(today + timedelta(days=1))
    services = s.execute(
        select(Service.id, Service.code, Service.name)
        .where(Service.active)
        .order_by(Service.prefix)
    ).all()
    waiting = {
        sid: (n, first)
        for sid, n, first in s.execute(
            select(Ticket.service_id, func.count(), func.min(Ticket.arrival_at))
            .where(Ticket.state == S.WAITING, Ticket.day == today)
            .group_by(Ticket.service_id)
        )
    }
    # Completed today (by completion time: the service-completed index) and no-shows
    # marked today (by their last call; a no-show is marked after it). The day index bounds
    # the no-shows' scan to yesterday's and today's tickets.
    done_today = (
        (Ticket.state == S.COMPLETED) & (Ticket.completed_at >= start) & (Ticket.completed_at < end)
    )
    outcomes: dict[tuple[Any, str], int] = {
        (key, S.COMPLETED): n
        for key, n in s.execute(
            select(Ticket.service_id, func.count()).where(done_today).group_by(Ticket.service_id)
        )
    }
    outcomes.update(
        ((key, S.NO_SHOW), n)
        for key, n in s.execute(
            select(Ticket.service_id, func.count())
            .where(
                Ticket.day.in_([today - timedelta(days=1), today]),
                Ticket.state == S.NO_SHOW,
                Ticket.last_called_at >= start,
                Ticket.last_called_at < end,
            )
            .group_by(Ticket.service_id)
        )
    )
    per_window = dict(
        s.execute(
            select(Ticket.window_id, func.count()).where(done_today).group_by(Ticket.window_id)
        ).all()
    )
    live_services = []
    for sid, code, name in services:
        n, first = waiting.get(sid, (0, None))
        longest = 0 if first is None else max(0, int((now - first).total_seconds()))
        live_services.append(
            LiveService(
                code,
                name,
                int(n),
                longest,
                outcomes.get((sid, S.COMPLETED), 0),
                outcomes.get((sid, S.NO_SHOW), 0),
            )
        )
    names = {sid: code for sid, code, _ in services}
    sessions = {
        wid: (paused, code, sname)
        for wid, paused, code, sname in s.execute(
            select(WindowSession.window_id, WindowSession.paused_at, Staff.code, Staff.name)
            .join(Staff, Staff.id == WindowSession.staff_id)
            .where(WindowSession.closed_at.is_(None))
        )
    }
    current = {
        t.window_id: t
        for t in s.scalars(
            select(Ticket).where(Ticket.state.in_([S.CALLED, S.SERVING]), Ticket.day == today)
        )
    }
    medians: dict[int, int | None] = {}
    live_windows = []
    for wid, number, wname in s.execute(
        select(Window.id, Window.number, Window.name).order_by(Window.number)
    ):
        sess = sessions.get(wid)
        t = current.get(wid)
        serving_s = median = None
        if t is not None:
            since = t.started_at or t.last_called_at or t.first_called_at or now
            serving_s = max(0, int((now - since).total_seconds()))
            if t.service_id not in medians:
                medians[t.service_id] = _median_service(s, t.service_id)
            median = medians[t.service_id]
        paused_at = sess[0] if sess else None
        live_windows.append(
            LiveWindow(
                number,
                wname,
                window_state(sess is not None, bool(paused_at)),
                sess[1] if sess else None,
                sess[2] if sess else None,
                t.number if t else None,
                t.state if t else None,
                names.get(t.service_id) if t else None,
                serving_s,
                median,
                None if paused_at is None else max(0, int((now - paused_at).total_seconds())),
                int(per_window.get(wid, 0)),
            )
        )
    return LiveHall(now, live_services, live_windows)


def live_hall(db: Database, *, now: datetime | None = None) -> LiveHall:
    """The hall right now, for the supervisor's screen (polled about every second)."""
    require(db.actor, Operation.LIVE_HALL)
    with db.read() as s:
        return compute_live(s, now or clock.now())
