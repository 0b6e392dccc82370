"""Read models for the screens: the counter's board, the kiosk's buttons, the display's calls.

Each is one read-only unit of work returning plain dataclasses, cheap enough to poll every
second from every window (the live queue is small; history is reached only through indexes).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select

from desk_app.domain import clock
from desk_app.domain.tickets import TicketState
from desk_app.domain.windows import window_state
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.common.dto import TicketInfo
from desk_app.services.common.lookups import get_setting, window_by_number
from desk_app.services.hall.calendar import Opening, opening_in
from desk_app.services.hall.mode import display_name
from desk_app.services.queue.views import eta_minutes, ticket_info
from desk_app.store import Database
from desk_app.store.models import (
    Service,
    Staff,
    Ticket,
    TicketEvent,
    Window,
    WindowService,
    WindowSession,
)

S = TicketState


@dataclass(frozen=True)
class WaitingTicket:
    id: str
    number: str
    service: str
    service_name: str
    priority: str | None
    state: str  # waiting | held
    wait_s: int
    transferred_here: bool = False


@dataclass(frozen=True)
class ServedTicket:
    number: str
    service_name: str
    outcome: str  # completed | no_show | transfer | hold
    at: datetime
    service_s: int | None


@dataclass(frozen=True)
class CounterBoard:
    window: int
    state: str  # closed | open | paused
    staff_code: str | None
    staff_name: str | None
    services: list[str]
    current: TicketInfo | None
    waiting: list[WaitingTicket] = field(default_factory=list)  # longest wait first
    held: list[WaitingTicket] = field(default_factory=list)
    served_today: list[ServedTicket] = field(default_factory=list)  # newest first
    completed_today: int = 0
    no_show_today: int = 0
    avg_service_s: int | None = None
    recall_limit: int = 3


def counter_board(db: Database, window: int, *, now: datetime | None = None) -> CounterBoard:
    """Everything the counter screen shows for ``window``."""
    require(db.actor, Operation.BOARD_READ)
    now = now or clock.now()
    today = clock.hall_day(now)
    with db.read() as s:
        win = window_by_number(s, window)
        sess = s.scalar(
            select(WindowSession).where(
                WindowSession.window_id == win.id, WindowSession.closed_at.is_(None)
            )
        )
        staff = s.get(Staff, sess.staff_id) if sess else None
        state = window_state(sess is not None, sess is not None and bool(sess.paused_at))
        service_ids = [ws.service_id for ws in win.services]
        names = {
            sid: (code, name)
            for sid, code, name in s.execute(select(Service.id, Service.code, Service.name))
        }
        cur = s.scalar(
            select(Ticket).where(
                Ticket.window_id == win.id, Ticket.state.in_([S.CALLED, S.SERVING])
            )
        )
        current = ticket_info(s, cur, window_number=window) if cur else None
        rows = s.scalars(
            select(Ticket)
            .where(
                or_(
                    and_(
                        Ticket.state == S.WAITING,
                        or_(
                            and_(
                                Ticket.target_window_id.is_(None),
                                Ticket.service_id.in_(service_ids),
                            ),
                            Ticket.target_window_id == win.id,
                        ),
                    ),
                    and_(Ticket.state == S.HELD, Ticket.window_id == win.id),
                )
            )
            .order_by(Ticket.arrival_at, Ticket.seq)  # the calling order within a class
            .limit(500)
        ).all()
        waiting: list[WaitingTicket] = []
        held: list[WaitingTicket] = []
        for t in rows:
            item = WaitingTicket(
                str(t.id),
                t.number,
                names[t.service_id][0],
                names[t.service_id][1],
                t.priority,
                t.state,
                max(0, int((now - t.arrival_at).total_seconds())),
                t.target_window_id == win.id,
            )
            (held if t.state == S.HELD else waiting).append(item)
        # Today's outcomes at this window, from the event log.
        start_of_day = clock.day_start(today)
        ev_rows = s.execute(
            select(
                TicketEvent.action,
                TicketEvent.at,
                Ticket.number,
                Ticket.service_id,
                Ticket.service_seconds,
            )
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .where(
                TicketEvent.window_id == win.id,
                TicketEvent.at >= start_of_day,
                TicketEvent.action.in_(["complete", "no_show", "transfer", "hold"]),
            )
            .order_by(TicketEvent.id.desc())
            .limit(200)
        ).all()
        served = [
            ServedTicket(num, names[sid][1], action, at, secs if action == "complete" else None)
            for action, at, num, sid, secs in ev_rows
        ]
        done = [x for x in served if x.outcome == "complete"]
        times = [x.service_s for x in done if x.service_s is not None]
        return CounterBoard(
            window=window,
            state=state,
            staff_code=staff.code if staff else None,
            staff_name=staff.name if staff else None,
            services=[names[i][1] for i in service_ids],
            current=current,
            waiting=sorted(waiting, key=lambda w: -w.wait_s),
            held=held,
            served_today=served,
            completed_today=len(done),
            no_show_today=sum(1 for x in served if x.outcome == "no_show"),
            avg_service_s=int(sum(times) / len(times)) if times else None,
            recall_limit=int(get_setting(s, "recall_limit")),
        )


@dataclass(frozen=True)
class KioskService:
    code: str
    name: str
    prefix: str
    waiting: int
    eta_minutes: int
    open_windows: int
    full: bool  # the daily cap is reached


@dataclass(frozen=True)
class KioskBoard:
    hall_name: str
    services: list[KioskService]
    opening: Opening | None = None  # the calendar now: issuing, the session, the next opening


def kiosk_board(db: Database, *, now: datetime | None = None) -> KioskBoard:
    """The kiosk's buttons: per service, people waiting, the estimate, open or closed, full."""
    require(db.actor, Operation.QUEUE_STATUS)
    now = now or clock.now()
    today = clock.hall_day(now)
    from desk_app.store.models import TicketCounter

    with db.read() as s:
        waiting = dict(
            s.execute(
                select(Ticket.service_id, func.count())
                .where(Ticket.state == S.WAITING, Ticket.target_window_id.is_(None))
                .group_by(Ticket.service_id)
            ).all()
        )
        issued = dict(
            s.execute(
                select(TicketCounter.service_id, TicketCounter.last_number).where(
                    TicketCounter.day == today
                )
            ).all()
        )
        open_windows = dict(
            s.execute(
                select(WindowService.service_id, func.count())
                .join(WindowSession, WindowSession.window_id == WindowService.window_id)
                .where(WindowSession.closed_at.is_(None), WindowSession.paused_at.is_(None))
                .group_by(WindowService.service_id)
            ).all()
        )
        result = []
        for svc in s.scalars(select(Service).where(Service.active).order_by(Service.prefix)):
            n = int(waiting.get(svc.id, 0))
            result.append(
                KioskService(
                    svc.code,
                    svc.name,
                    svc.prefix,
                    n,
                    eta_minutes(s, svc, n),
                    int(open_windows.get(svc.id, 0)),
                    svc.daily_cap is not None and issued.get(svc.id, 0) >= svc.daily_cap,
                )
            )
        name = display_name(s, get_setting(s, "hall_name"))
        return KioskBoard(name, result, opening_in(s, now))


@dataclass(frozen=True)
class CallEvent:
    """A call or recall, as the display announces it."""

    event_id: int
    number: str
    window: int
    window_name: str | None
    service_name: str
    recall: bool
    at: datetime
    appointment: bool = False  # an appointment ticket (预约), marked on the display
    service_code: str = ""  # for the service's English name on English screens


def _calls(db: Database, *conditions: Any, order: Any, limit: int) -> list[CallEvent]:
    """Call events joined with their ticket, window and service (both display queries): one
    statement, read as one (``Database.read_statement``)."""
    with db.read_statement() as s:
        rows = s.execute(
            select(
                TicketEvent.id,
                TicketEvent.action,
                TicketEvent.at,
                Ticket.number,
                Window.number,
                Window.name,
                Service.name,
                Ticket.appointment_id.is_not(None),
                Service.code,
            )
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .join(Window, Window.id == TicketEvent.window_id)
            .join(Service, Service.id == Ticket.service_id)
            .where(*conditions)
            .order_by(order)
            .limit(limit)
        ).all()
    return [
        CallEvent(i, num, w, wname, sname, action == "recall", at, bool(appt), code)
        for i, action, at, num, w, wname, sname, appt, code in rows
    ]


# Event ids come from a sequence as rows are inserted, but transactions commit in any order on
# PostgreSQL: a call inserted first and committed last has a lower id than calls already shown,
# and a display reading only "id > the highest seen" would never show nor announce it (seen once
# in 295 calls with 32 windows: bench/wall_bench.py). So a display reads back this many ids
# below the highest it has seen and skips the ids it already has. A call's transaction is a few
# statements long; two hundred events is far more than the hall writes meanwhile. The ids it
# has are left out by the query itself, so a read returns only what is new.
CALL_OVERLAP_IDS = 200
CALL_PAGE = 50  # calls per read; a full page means there may be more


@dataclass
class CallCursor:
    """Where a display is in the stream of calls (pure: the display feeds it each read)."""

    after_id: int  # the highest event id seen
    seen: set[int] = field(default_factory=set)  # ids seen above ``floor``

    @property
    def floor(self) -> int:
        """Read calls with ids above this, but for those seen (``calls_since(db,
        cursor.floor, skip=cursor.seen)``)."""
        return max(0, self.after_id - CALL_OVERLAP_IDS)

    def take(self, calls: list[CallEvent]) -> list[CallEvent]:
        """The calls of a read not seen before, oldest first; remembers them."""
        new = [c for c in calls if c.event_id > self.floor and c.event_id not in self.seen]
        if calls:
            self.after_id = max(self.after_id, max(c.event_id for c in calls))
        floor = self.floor
        self.seen = {i for i in self.seen | {c.event_id for c in new} if i > floor}
        return new


def calls_since(
    db: Database, after_id: int, *, limit: int = CALL_PAGE, skip: Collection[int] = ()
) -> list[CallEvent]:
    """Calls and recalls with event id > ``after_id`` but for the ids in ``skip``, oldest first
    (the display follows the event table by increasing id, so a call made on any PC appears on
    every display: ``CallCursor``)."""
    require(db.actor, Operation.BOARD_READ)
    unseen = [TicketEvent.id.not_in(sorted(skip))] if skip else []
    return _calls(
        db,
        TicketEvent.id > after_id,
        *unseen,
        TicketEvent.action.in_(["call", "recall"]),
        order=TicketEvent.id,
        limit=limit,
    )


def last_event_id(db: Database) -> int:
    """Where a display starts following (it does not re-announce the past)."""
    require(db.actor, Operation.BOARD_READ)
    with db.read() as s:
        return int(s.scalar(select(func.max(TicketEvent.id))) or 0)


def recent_calls(db: Database, *, limit: int = 12, now: datetime | None = None) -> list[CallEvent]:
    """Today's latest calls, newest first, to fill a display that starts mid-day."""
    require(db.actor, Operation.BOARD_READ)
    start = clock.day_start(clock.hall_day(now or clock.now()))
    return _calls(
        db,
        TicketEvent.at >= start,
        TicketEvent.action == "call",
        order=TicketEvent.id.desc(),
        limit=limit,
    )
