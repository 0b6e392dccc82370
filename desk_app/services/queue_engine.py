"""The queue's hot path in SQLAlchemy Core: "call next" and the actions on a window's current
ticket (recall, no-show, start, complete, hold) as a few statements on one connection, without
the ORM's unit of work, which cost about nine times a raw single-row claim
(``bench/queue_bench.py``).

The rules are those of ``queue``, which calls this first:

- the window's open session row is read first, locked on PostgreSQL (a double press waits and
  then sees the ticket it already has); on SQLite the write transaction is ``BEGIN IMMEDIATE``
  behind the hall's writer lock, so the whole unit of work is serial;
- the next ticket is claimed by one ``UPDATE ... WHERE id = (SELECT ... ORDER BY ... LIMIT 1
  FOR UPDATE SKIP LOCKED) RETURNING`` per calling class tried (``domain.calling.call_order``),
  so 32 windows pressing at once each get a different ticket without waiting on each other;
- every transition writes its event in the same transaction, and a call wakes the displays.

Whatever this path does not handle it hands back as ``FALLBACK`` before writing anything, and
``queue`` runs its ORM version, which knows the full rule and the right error: an unknown,
closed, paused or another person's window, no current ticket or an action its state does not
allow, a called ticket still at the window (the repeated press), the recall limit reached,
tickets transferred to this window waiting, and the service-order calling mode.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, exists, func, insert, literal_column, select, update
from sqlalchemy.engine import Connection

from desk_app.domain.calling import CallingRule, CallMode, call_order
from desk_app.domain.tickets import Action, TicketState, next_state
from desk_app.services.common import DEFAULT_SETTINGS, may_act_for
from desk_app.services.dto import TicketInfo
from desk_app.services.queue_views import ticket_info
from desk_app.store import Database
from desk_app.store.changes import notify_calls
from desk_app.store.models import (
    Setting,
    Ticket,
    TicketEvent,
    Window,
    WindowService,
    WindowSession,
)
from desk_app.store.types import UTCDateTime

S = TicketState
FALLBACK: Any = object()  # "not handled here: run the ORM version"

T = Ticket.__table__
W = Window.__table__
WS = WindowSession.__table__
WSV = WindowService.__table__
EV = TicketEvent.__table__

CLASSES = ("priority", "appointment", "walkin")


def _waiting() -> Any:
    # A literal, not a bound parameter: SQLite uses a partial index only when the query
    # repeats its condition (ix_tickets_waiting ... WHERE state = 'waiting').
    return T.c.state == literal_column("'waiting'")


def _of_window(window_id: Any) -> Any:
    """Waiting tickets of the window's services (not transferred to a particular window)."""
    return and_(
        _waiting(),
        T.c.target_window_id.is_(None),
        # correlate: inside the desk query ``window_id`` is the outer row's windows.id.
        T.c.service_id.in_(
            select(WSV.c.service_id).where(WSV.c.window_id == window_id).correlate(W)
        ),
    )


def _class(cls: str) -> tuple[list[Any], list[Any]]:
    """(conditions, order) of one calling class: as ``queue._of_class``."""
    if cls == "priority":
        return [T.c.is_priority == bindparam("yes", True)], [T.c.arrival_at, T.c.seq]
    if cls == "appointment":  # by the booked slot, then who checked in first
        # An appointment ticket is never 绿色通道 priority (queue.add_ticket), so the class is
        # just "has an appointment", which ix_tickets_waiting_appt answers.
        return [T.c.appointment_id.is_not(None)], [T.c.slot_at, T.c.arrival_at, T.c.seq]
    normal = T.c.is_priority == bindparam("no", False)
    return [normal, T.c.appointment_id.is_(None)], [T.c.arrival_at, T.c.seq]


@lru_cache(maxsize=4)
def _statements(pg: bool) -> dict[str, Any]:
    """Built once per dialect: constructing a statement costs more than running it."""
    now = bindparam("now", type_=UTCDateTime())
    desk = (
        select(
            W.c.id,
            W.c.calling_rule,
            WS.c.id.label("session_id"),
            WS.c.staff_id,
            WS.c.paused_at,
            WS.c.cycle_pos,
            WS.c.appt_cycle_pos,
        )
        .join(WS, and_(WS.c.window_id == W.c.id, WS.c.closed_at.is_(None)))
        .where(W.c.number == bindparam("number"))
    )
    flags = [
        exists(select(T.c.id).where(_of_window(W.c.id), *_class(c)[0])).label(c) for c in CLASSES
    ]
    transferred = exists(select(T.c.id).where(_waiting(), T.c.target_window_id == W.c.id)).label(
        "transferred"
    )
    recall_limit = (
        select(Setting.value).where(Setting.key == "recall_limit").scalar_subquery().label("limit")
    )
    current = select(T).where(
        T.c.window_id == bindparam("wid"), T.c.state.in_([S.CALLED.value, S.SERVING.value])
    )
    claims = {}
    for c in CLASSES:
        cond, order = _class(c)
        pick = select(T.c.id).where(_of_window(bindparam("wid")), *cond).order_by(*order).limit(1)
        if pg:
            pick = pick.with_for_update(skip_locked=True)
        claims[c] = (
            update(T)
            .where(T.c.id == pick.scalar_subquery())
            .values(
                state=S.CALLED.value,
                window_id=bindparam("wid"),
                target_window_id=None,
                first_called_at=func.coalesce(T.c.first_called_at, now),
                last_called_at=now,
                recall_count=0,
            )
            .returning(*T.c)
        )
    lock = {"of": WS} if pg else None
    return {
        "desk": desk.with_for_update(**lock) if lock else desk,
        "desk+flags": (desk.add_columns(*flags, transferred).with_for_update(**lock))
        if lock
        else desk.add_columns(*flags, transferred),
        "recall_limit": select(recall_limit),
        "current": current.with_for_update() if pg else current,
        "claims": claims,
        "change": update(T).where(T.c.id == bindparam("tid")).returning(*T.c),
        "event": insert(EV),
        "cycle": update(WS)
        .where(WS.c.id == bindparam("sid"))
        .values(cycle_pos=bindparam("pos"), appt_cycle_pos=bindparam("apos")),
    }


def _event(
    conn: Connection,
    ticket: Any,
    action: Action,
    before: str | None,
    desk: Any,
    at: datetime,
    detail: str | None = None,
) -> None:
    conn.execute(
        _statements(_is_pg(conn))["event"],
        {
            "ticket_id": ticket.id,
            "action": action.value,
            "from_state": before,
            "to_state": ticket.state,
            "window_id": desk.id,
            "staff_id": desk.staff_id,
            "at": at,
            "detail": detail,
        },
    )
    if action in (Action.CALL, Action.RECALL):
        notify_calls(conn)


def _is_pg(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def _desk(conn: Connection, db: Database, window: int, *, flags: bool) -> Any:
    """The window's row with its open session, or None when this path should not act there."""
    st = _statements(db.is_postgres)
    row = conn.execute(st["desk+flags" if flags else "desk"], {"number": window}).first()
    if row is None or row.paused_at is not None or not may_act_for(db.actor, row.staff_id):
        return None
    return row


def _current(conn: Connection, db: Database, window_id: int) -> Any:
    return conn.execute(_statements(db.is_postgres)["current"], {"wid": window_id}).first()


def _change(conn: Connection, db: Database, ticket_id: Any, **values: Any) -> Any:
    return conn.execute(_statements(db.is_postgres)["change"], {"tid": ticket_id, **values}).one()


def _complete(conn: Connection, db: Database, desk: Any, t: Any, at: datetime) -> Any:
    values: dict[str, Any] = {"state": S.COMPLETED.value, "completed_at": at}
    if t.started_at is not None:
        values["service_seconds"] = max(0, int((at - t.started_at).total_seconds()))
    done = _change(conn, db, t.id, **values)
    _event(conn, done, Action.COMPLETE, t.state, desk, at)
    return done


def call_next(db: Database, window: int, now: datetime) -> TicketInfo | None:
    """The next ticket called at ``window``, None when nobody waits, or FALLBACK."""
    with db.begin_core() as conn:
        desk = _desk(conn, db, window, flags=True)
        if desk is None or desk.transferred:
            return FALLBACK
        rule = CallingRule.parse(desk.calling_rule)
        if rule.mode is not CallMode.ARRIVAL:
            return FALLBACK
        current = _current(conn, db, desk.id)
        if current is not None:
            if current.state != S.SERVING:  # called, not yet served: the repeated press
                return FALLBACK
            _complete(conn, db, desk, current, now)  # one key per visitor
        waiting = {c for c in CLASSES if getattr(desk, c)}
        order, new_pos, new_appt = call_order(
            rule, desk.cycle_pos, desk.appt_cycle_pos or 0, waiting
        )
        claims = _statements(db.is_postgres)["claims"]
        for cls in order:
            if cls not in waiting:
                continue
            t = conn.execute(claims[cls], {"wid": desk.id, "now": now}).first()
            if t is None:  # claimed by another window meanwhile (PostgreSQL)
                continue
            first = cls == order[0]
            pos, apos = (new_pos, new_appt) if first else (0, 0)
            if (pos, apos) != (desk.cycle_pos, desk.appt_cycle_pos):
                conn.execute(
                    _statements(db.is_postgres)["cycle"],
                    {"sid": desk.session_id, "pos": pos, "apos": apos},
                )
            _event(conn, t, Action.CALL, S.WAITING.value, desk, now)
            return ticket_info(conn, t, window_number=window)
        return None


def act_on_current(db: Database, window: int, action: Action, now: datetime) -> Any:
    """Recall, no-show, start, complete or hold the window's current ticket, or FALLBACK."""
    with db.begin_core() as conn:
        desk = _desk(conn, db, window, flags=False)
        if desk is None:
            return FALLBACK
        t = _current(conn, db, desk.id)
        if t is None or next_state(action, S(t.state)) is None:
            return FALLBACK
        after = next_state(action, S(t.state))
        assert after is not None
        detail = None
        values: dict[str, Any] = {"state": after.value}
        if action is Action.RECALL:
            limit = conn.execute(_statements(db.is_postgres)["recall_limit"]).scalar()
            limit = int(limit if limit is not None else DEFAULT_SETTINGS["recall_limit"])
            if t.state == S.CALLED and t.recall_count >= limit:
                return FALLBACK
            values.update(recall_count=t.recall_count + 1, last_called_at=now)
            detail = json.dumps({"recall": t.recall_count + 1})  # as common.add_event writes it
        elif action is Action.START:
            values["started_at"] = now
        elif action is Action.COMPLETE:
            done = _complete(conn, db, desk, t, now)
            return ticket_info(conn, done, window_number=window)
        changed = _change(conn, db, t.id, **values)
        _event(conn, changed, action, t.state, desk, now, detail)
        return ticket_info(conn, changed, window_number=window)
