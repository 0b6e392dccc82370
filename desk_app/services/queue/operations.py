"""Queue operations at the windows: issue, call, recall, no-show, hold, transfer, start, complete.

Each public function is one unit of work (one transaction) and safe when many windows and kiosks,
each its own process on its own PC, act at the same instant:

- Ticket numbers come from the per-(service, day) counter row, incremented by an upsert in the
  same transaction as the ticket insert, so numbers are unique and gapless.
- "Call next" locks the window's session row first (a double press waits, then sees the ticket it
  already has) and claims a ticket with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so 32 windows
  pressing at once each get a different ticket without waiting on each other. On SQLite every
  write transaction is ``BEGIN IMMEDIATE``, which serialises writers.

"Call next" while the window has a current ticket (the documented rule):
- current ticket *called* (visitor not yet at the counter): nothing changes, the same ticket is
  returned with ``repeated=True``. A double press, or a hardware call-pad bouncing, is harmless;
  to move on the staff marks it no-show, holds or transfers it.
- current ticket *serving*: it is completed, then the next ticket is called (one key per visitor).

Which ticket a window takes is in ``claim``. The read side (a ticket as shown, the queue at a
glance) is in ``views``; its public functions are re-exported here so callers of the queue import
one module.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.tickets import Action, Priority, TicketState, format_number, next_state
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.common.dto import IssuedTicket, TicketInfo
from desk_app.services.common.errors import NotFound, Refused
from desk_app.services.common.lookups import (
    Desk,
    add_event,
    get_setting,
    service_by_code,
    window_by_number,
)
from desk_app.services.hall.calendar import check_issuing
from desk_app.services.queue import engine as queue_engine
from desk_app.services.queue import issuing as ticket_issuing
from desk_app.services.queue.claim import claim
from desk_app.services.queue.rollover import roll_over
from desk_app.services.queue.views import calls_ahead, eta_minutes, people_ahead, ticket_info
from desk_app.services.queue.views import queue_status as queue_status
from desk_app.services.queue.views import ticket_by_id as ticket_by_id
from desk_app.services.queue.views import window_current as window_current
from desk_app.store import Database
from desk_app.store.models import Service, Ticket, TicketCounter, TicketEvent

S = TicketState


# -- issuing -----------------------------------------------------------------------------------


def _next_number(session: Session, db: Database, service_id: int, day) -> int:  # type: ignore[no-untyped-def]
    """Atomically take the next daily number of a service (row-locked upsert, both dialects)."""
    stmt = db.upsert(TicketCounter).values(service_id=service_id, day=day, last_number=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[TicketCounter.service_id, TicketCounter.day],
        set_={"last_number": TicketCounter.last_number + 1},
    ).returning(TicketCounter.last_number)
    return int(session.execute(stmt).scalar_one())


def issue_ticket(
    db: Database,
    service_code: str,
    priority: str | None = None,
    *,
    now: datetime | None = None,
) -> IssuedTicket:
    """Issue a ticket (取号) for a service: number, people ahead and estimated wait."""
    require(db.actor, Operation.TICKET_ISSUE)
    now = now or clock.now()
    if priority is not None:
        try:
            priority = Priority(priority).value
        except ValueError as exc:
            kinds = ", ".join(p.value for p in Priority)
            raise Refused(f"未知的优先类别 {priority}", f"unknown priority (use {kinds})") from exc
    fast = ticket_issuing.issue(db, service_code, priority, now)
    if fast is not queue_engine.FALLBACK:
        return fast  # type: ignore[no-any-return]
    with db.begin() as s:
        roll_over(s, now)  # the day's first issue closes the earlier days' queue
        svc = service_by_code(s, service_code)
        check_issuing(s, svc.code, now)  # the opening calendar, once the hall has one
        return add_ticket(s, db, svc, priority, now)


def add_ticket(
    s: Session,
    db: Database,
    svc: Service,
    priority: str | None,
    now: datetime,
    *,
    appointment_id: uuid.UUID | None = None,
    slot_at: datetime | None = None,
) -> IssuedTicket:
    """Number and queue a ticket inside the caller's transaction (issuing, appointment
    check-in). An appointment ticket is in the appointment class (not 绿色通道 priority), and
    its wait counts from the later of check-in and the slot start."""
    if not svc.active:
        raise Refused(f"{svc.name} 暂停取号", f"service {svc.code} is closed")
    day = clock.hall_day(now)
    seq = _next_number(s, db, svc.id, day)
    if svc.daily_cap is not None and seq > svc.daily_cap:
        # Raising rolls the counter back too: the day's numbers stay gapless.
        raise Refused(
            f"{svc.name} 今日号源已满 ({svc.daily_cap} 个), 请预约其他日期",
            f"daily cap of {svc.daily_cap} tickets reached for {svc.code}",
        )
    ticket = Ticket(
        id=uuid.uuid4(),
        service_id=svc.id,
        issued_service_id=svc.id,
        day=day,
        seq=seq,
        number=format_number(svc.prefix, seq),
        priority=priority,
        is_priority=priority is not None and appointment_id is None,
        state=S.WAITING,
        issued_at=now,
        arrival_at=max(now, slot_at) if slot_at is not None else now,
        recall_count=0,
        appointment_id=appointment_id,
        slot_at=slot_at,
    )
    s.add(ticket)
    _event(s, ticket, Action.ISSUE, None, None, now)
    if appointment_id is None:
        ahead = people_ahead(s, svc.id, ticket.is_priority, now)
    else:  # a checked-in appointment: by the windows' calling rule
        s.flush()
        ahead = calls_ahead(s, svc, ticket)
    eta = eta_minutes(s, svc, ahead)
    return IssuedTicket(
        str(ticket.id), ticket.number, svc.code, svc.name, priority, ahead, eta, now
    )


# -- the window's side ------------------------------------------------------------------------


def _current(session: Session, window_id: int) -> Ticket | None:
    return session.scalar(
        select(Ticket)
        .where(Ticket.window_id == window_id, Ticket.state.in_([S.CALLED, S.SERVING]))
        .with_for_update()
    )


def _event(
    session: Session,
    ticket: Ticket,
    action: Action,
    window_id: int | None,
    staff_id: int | None,
    at: datetime,
    from_state: str | None = None,
    detail: dict | None = None,
) -> None:
    add_event(
        session,
        TicketEvent,
        ticket_id=ticket.id,
        action=action,
        from_state=from_state,
        to_state=ticket.state,
        window_id=window_id,
        staff_id=staff_id,
        at=at,
        detail=detail,
    )


def _transition(
    session: Session,
    desk: Desk | None,
    ticket: Ticket,
    action: Action,
    at: datetime,
    detail: dict | None = None,
) -> None:
    before = S(ticket.state)
    after = next_state(action, before)
    if after is None:
        raise Refused(
            f"号码 {ticket.number} 当前状态不能执行此操作",
            f"cannot {action.value} a {before.value} ticket",
        )
    ticket.state = after
    _event(
        session,
        ticket,
        action,
        desk.window.id if desk else None,
        desk.staff_id if desk else None,
        at,
        before.value,
        detail,
    )


def _mark_called(session: Session, desk: Desk, t: Ticket, at: datetime) -> None:
    _transition(session, desk, t, Action.CALL, at)
    t.window_id = desk.window.id
    t.target_window_id = None
    t.first_called_at = t.first_called_at or at
    t.last_called_at = at
    t.recall_count = 0


def _complete(session: Session, desk: Desk, t: Ticket, at: datetime) -> None:
    _transition(session, desk, t, Action.COMPLETE, at)
    t.completed_at = at
    if t.started_at is not None:
        t.service_seconds = max(0, int((at - t.started_at).total_seconds()))


def call_next(db: Database, window: int, *, now: datetime | None = None) -> TicketInfo | None:
    """Call the next ticket at ``window`` (see the module docstring for a current ticket)."""
    require(db.actor, Operation.CALL_NEXT)
    now = now or clock.now()
    fast = queue_engine.call_next(db, window, now)
    if fast is not queue_engine.FALLBACK:
        return fast
    with db.begin() as s:
        roll_over(s, now)  # the day's first call closes the earlier days' queue
        desk = Desk.at(s, window, actor=db.actor, lock=True)
        current = _current(s, desk.window.id)
        if current is not None and current.state == S.CALLED:
            return ticket_info(s, current, repeated=True, window_number=desk.window.number)
        if desk.paused:
            raise Refused(f"窗口 {window} 已暂停, 请先恢复", f"window {window} is paused")
        if current is not None:  # serving: finishing the visitor is part of "next"
            _complete(s, desk, current, now)
        service_ids = [ws.service_id for ws in desk.window.services]
        t = claim(s, desk, service_ids)
        if t is None:
            return None
        _mark_called(s, desk, t, now)
        return ticket_info(s, t, window_number=desk.window.number)


def _find_callable(session: Session, number: str) -> Ticket:
    t = session.scalar(
        select(Ticket)
        .where(Ticket.number == number.strip().upper(), queue_engine.in_states([S.WAITING, S.HELD]))
        .order_by(Ticket.day.desc(), Ticket.arrival_at.desc())
        .limit(1)
        .with_for_update()
    )
    if t is None:
        raise NotFound(f"没有等候中或挂起的号码 {number}", f"no waiting or held ticket {number}")
    return t


def call_ticket(
    db: Database, window: int, number: str, *, now: datetime | None = None
) -> TicketInfo:
    """Call a specific waiting ticket, or call back a held one (挂起后回呼)."""
    require(db.actor, Operation.CALL_TICKET)
    now = now or clock.now()
    with db.begin() as s:
        desk = Desk.at(s, window, actor=db.actor, lock=True)
        if desk.paused:
            raise Refused(f"窗口 {window} 已暂停, 请先恢复", f"window {window} is paused")
        current = _current(s, desk.window.id)
        if current is not None:
            raise Refused(
                f"窗口 {window} 还有当前号 {current.number}, 请先办结、过号、挂起或转移",
                f"window {window} still has ticket {current.number}",
            )
        t = _find_callable(s, number)
        served = {ws.service_id for ws in desk.window.services}
        mine = (
            t.target_window_id == desk.window.id
            or (t.target_window_id is None and t.service_id in served)
            or (t.state == S.HELD and t.window_id == desk.window.id)
        )
        if not mine:
            raise Refused(
                f"号码 {t.number} 不属于窗口 {window} 的业务",
                f"ticket {t.number} is not for window {window}",
            )
        _mark_called(s, desk, t, now)
        return ticket_info(s, t, window_number=desk.window.number)


def _act_on_current(db: Database, window: int, action: Action, now: datetime | None) -> TicketInfo:
    now = now or clock.now()
    fast = queue_engine.act_on_current(db, window, action, now)
    if fast is not queue_engine.FALLBACK:
        return fast  # type: ignore[no-any-return]
    with db.begin() as s:
        desk = Desk.at(s, window, actor=db.actor, lock=True)
        t = _current(s, desk.window.id)
        if t is None:
            raise Refused(f"窗口 {window} 没有当前号", f"window {window} has no current ticket")
        if action is Action.RECALL:
            limit = int(get_setting(s, "recall_limit"))
            if t.state == S.CALLED and t.recall_count >= limit:
                raise Refused(
                    f"{t.number} 已重呼 {t.recall_count} 次 (上限 {limit}), 请标记过号",
                    f"recall limit {limit} reached for {t.number}; mark it no-show",
                )
            _transition(s, desk, t, action, now, {"recall": t.recall_count + 1})
            t.recall_count += 1
            t.last_called_at = now
        elif action is Action.START:
            _transition(s, desk, t, action, now)
            t.started_at = now
        elif action is Action.COMPLETE:
            _complete(s, desk, t, now)
        elif action is Action.NO_SHOW:
            _transition(s, desk, t, action, now)
        elif action is Action.HOLD:
            _transition(s, desk, t, action, now)  # window_id stays: the window can call it back
        else:  # pragma: no cover - programming error
            raise ValueError(action)
        return ticket_info(s, t, window_number=desk.window.number)


def recall(db: Database, window: int, *, now: datetime | None = None) -> TicketInfo:
    """重呼: announce the called ticket again (counted; limited by the hall's recall limit)."""
    require(db.actor, Operation.CALL_RECALL)
    return _act_on_current(db, window, Action.RECALL, now)


def no_show(db: Database, window: int, *, now: datetime | None = None) -> TicketInfo:
    """过号: the called visitor did not come."""
    require(db.actor, Operation.CALL_NO_SHOW)
    return _act_on_current(db, window, Action.NO_SHOW, now)


def start(db: Database, window: int, *, now: datetime | None = None) -> TicketInfo:
    """The visitor is at the counter: service time starts."""
    require(db.actor, Operation.CALL_START)
    return _act_on_current(db, window, Action.START, now)


def complete(db: Database, window: int, *, now: datetime | None = None) -> TicketInfo:
    """办结 the ticket being served."""
    require(db.actor, Operation.CALL_COMPLETE)
    return _act_on_current(db, window, Action.COMPLETE, now)


def hold(db: Database, window: int, *, now: datetime | None = None) -> TicketInfo:
    """挂起: park the current ticket (e.g. the visitor fetches a document) to call back later."""
    require(db.actor, Operation.CALL_HOLD)
    return _act_on_current(db, window, Action.HOLD, now)


def transfer(
    db: Database,
    window: int,
    *,
    to_service: str | None = None,
    to_window: int | None = None,
    now: datetime | None = None,
) -> TicketInfo:
    """转移 the current ticket to another service or window; it keeps its number and arrival
    time, so it does not go to the back of the queue."""
    require(db.actor, Operation.CALL_TRANSFER)
    if (to_service is None) == (to_window is None):
        raise Refused(
            "请指定转往的业务或窗口 (二选一)", "give exactly one of --to-service, --to-window"
        )
    now = now or clock.now()
    with db.begin() as s:
        desk = Desk.at(s, window, actor=db.actor, lock=True)
        t = _current(s, desk.window.id)
        if t is None:
            raise Refused(f"窗口 {window} 没有当前号", f"window {window} has no current ticket")
        if to_service is not None:
            svc = service_by_code(s, to_service)
            if svc.id == t.service_id:
                raise Refused("转往的业务与当前业务相同", "ticket is already in that service")
            detail: dict[str, str | int] = {"to_service": svc.code}
            t.service_id = svc.id
            t.target_window_id = None
        else:
            assert to_window is not None
            target = window_by_number(s, to_window)
            if target.id == desk.window.id:
                raise Refused("不能转给本窗口", "cannot transfer to the same window")
            detail = {"to_window": target.number}
            t.target_window_id = target.id
        _transition(s, desk, t, Action.TRANSFER, now, detail)
        t.window_id = None
        t.recall_count = 0
        return ticket_info(s, t)


def requeue(
    db: Database, number: str, *, window: int | None = None, now: datetime | None = None
) -> TicketInfo:
    """Put a no-show (过号) ticket back in the queue. It joins the back of its class (arrival =
    now): visitors who stayed are not passed by one who left."""
    require(db.actor, Operation.TICKET_REQUEUE)
    now = now or clock.now()
    with db.begin() as s:
        desk = Desk.at(s, window, actor=db.actor, lock=True) if window is not None else None
        t = s.scalar(
            select(Ticket)
            .where(
                Ticket.number == number.strip().upper(),
                Ticket.state == S.NO_SHOW,
                Ticket.day == clock.hall_day(now),  # only today's, and the day index finds it
            )
            .order_by(Ticket.arrival_at.desc())
            .limit(1)
            .with_for_update()
        )
        if t is None:
            raise NotFound(f"今天没有已过号的号码 {number}", f"no no-show ticket {number} today")
        _transition(s, desk, t, Action.REQUEUE, now)
        t.window_id = None
        t.arrival_at = now
        t.recall_count = 0
        return ticket_info(s, t)


def clear_queue(db: Database, *, now: datetime | None = None) -> int:
    """At closing: expire every waiting or held ticket (for halls that do not keep the queue
    overnight). Returns how many were expired."""
    require(db.actor, Operation.QUEUE_CLEAR)
    now = now or clock.now()
    with db.begin() as s:
        tickets = s.scalars(
            select(Ticket).where(queue_engine.in_states([S.WAITING, S.HELD])).with_for_update()
        ).all()
        for t in tickets:
            _transition(s, None, t, Action.EXPIRE, now)
        return len(tickets)
