"""The queue's hot path on PostgreSQL, in SQLAlchemy Core: "call next" and the actions on a
window's current ticket (recall, no-show, start, complete, hold) as a few statements on one
connection, without the ORM's unit of work, which cost about nine times a raw single-row claim
(``bench/queue_bench.py``). On SQLite the same entry points run ``queue_quick`` (the standard
library's sqlite3, in the process) on a pooled connection.

The rules are those of ``queue``, which calls this first:

- the window's open session row is read first with the window's current ticket, both locked (a
  double press waits and then sees the ticket it already has) and sent in one round trip with
  the transaction's BEGIN (``store/pipeline.py``);
- the next ticket is claimed by one ``UPDATE ... WHERE id = (SELECT ... ORDER BY ... LIMIT 1
  FOR UPDATE SKIP LOCKED) RETURNING`` per calling class tried (``domain.calling.call_order``),
  so 32 windows pressing at once each get a different ticket without waiting on each other;
- every transition writes its event in the same transaction, and a call wakes the displays:
  the change, its event and the wake-up are one statement (``_with_event``).

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
from typing import Any, cast

from sqlalchemy import (
    Integer,
    String,
    Table,
    Text,
    and_,
    bindparam,
    exists,
    func,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy.engine import Connection

from desk_app.domain.calling import CLASSES, CallingRule, CallMode, call_order
from desk_app.domain.tickets import RECALL_LIMIT_DEFAULT, Action, TicketState, next_state
from desk_app.security.authz import may_act_for
from desk_app.services.common.dto import TicketInfo
from desk_app.services.queue import quick as queue_quick
from desk_app.services.queue.day import quick_stale
from desk_app.services.queue.views import ticket_info
from desk_app.store import Database
from desk_app.store.changes import CALLS_CHANNEL
from desk_app.store.models import (
    Setting,
    Ticket,
    TicketEvent,
    Window,
    WindowService,
    WindowSession,
)
from desk_app.store.pipeline import first_rows
from desk_app.store.types import UTCDateTime

S = TicketState
FALLBACK = queue_quick.FALLBACK  # "not handled here: run the ORM version"

T = cast(Table, Ticket.__table__)
W = cast(Table, Window.__table__)
WS = cast(Table, WindowSession.__table__)
WSV = cast(Table, WindowService.__table__)
EV = cast(Table, TicketEvent.__table__)


def queued() -> Any:
    # A literal, not a bound parameter: SQLite uses a partial index only when the query
    # repeats its condition (ix_tickets_waiting ... WHERE state = 'waiting').
    return T.c.state == literal_column("'waiting'")


def _waits(cls: str) -> Any:
    """Whether a ticket of calling class ``cls`` waits for the desk row's window: for each of
    the window's services, one probe of the waiting-queue indexes (driven from the window's
    few services, so the plan does not depend on how large the planner thinks the queue is)."""
    ticket = select(T.c.id).where(
        queued(),
        T.c.service_id == WSV.c.service_id,
        T.c.target_window_id.is_(None),
        *_class(cls)[0],
    )
    return exists(
        select(WSV.c.service_id).where(WSV.c.window_id == W.c.id, exists(ticket)).correlate(W)
    ).label(cls)


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


@lru_cache(maxsize=1)
def _statements() -> dict[str, Any]:
    """Built once: constructing a statement costs more than running it."""
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
    flags = [_waits(c) for c in CLASSES]
    services = (
        select(joined(WSV.c.service_id)).where(WSV.c.window_id == W.c.id).correlate(W)
    ).scalar_subquery()
    transferred = exists(select(T.c.id).where(queued(), T.c.target_window_id == W.c.id)).label(
        "transferred"
    )
    recall_limit = (
        select(Setting.value).where(Setting.key == "recall_limit").scalar_subquery().label("limit")
    )
    # By the window's number, so that it needs nothing from the desk row and both go out
    # together (store/pipeline.py); the states as literals: a pipelined read takes no lists.
    current = select(T).where(
        T.c.window_id == select(W.c.id).where(W.c.number == bindparam("number")).scalar_subquery(),
        T.c.state.in_([literal_column(f"'{s.value}'") for s in (S.CALLED, S.SERVING)]),
    )
    claims = {}
    for c in CLASSES:
        cond, order = _class(c)
        # The window's services as a list, not a subquery: with the live queue far larger than
        # the statistics of a mostly-history table say, PostgreSQL would join it per ticket.
        mine = and_(
            queued(),
            T.c.target_window_id.is_(None),
            T.c.service_id.in_(bindparam("sids", expanding=True)),
        )
        pick = select(T.c.id).where(mine, *cond).order_by(*order).limit(1)
        pick = pick.with_for_update(skip_locked=True)
        claims[c] = _with_event(
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
            .returning(*T.c),
            notify=True,
        )
    # Every column an action on the current ticket may change, set from the row as read
    # (the ticket is held: the window's session row is locked, or SQLite's writer lock).
    change = (
        update(T)
        .where(T.c.id == bindparam("tid"))
        .values(
            state=bindparam("to_state"),
            recall_count=bindparam("recalls"),
            last_called_at=bindparam("called", type_=UTCDateTime()),
            started_at=bindparam("started", type_=UTCDateTime()),
            completed_at=bindparam("completed", type_=UTCDateTime()),
            service_seconds=bindparam("seconds", type_=Integer()),
        )
        .returning(*T.c)
    )
    return {
        "desk": desk.with_for_update(of=WS),
        "desk+flags": desk.add_columns(
            *flags, transferred, services.label("services")
        ).with_for_update(of=WS),
        "recall_limit": select(recall_limit),
        "current": current.with_for_update(of=T),
        "claims": claims,
        "change": _with_event(change, notify=False),
        "change+notify": _with_event(change, notify=True),
        "cycle": update(WS)
        .where(WS.c.id == bindparam("sid"))
        .values(cycle_pos=bindparam("pos"), appt_cycle_pos=bindparam("apos")),
    }


def joined(column: Any) -> Any:
    """The values of a column joined by commas."""
    return func.string_agg(column.cast(String), ",")


def _with_event(dml: Any, *, notify: bool) -> Any:
    """The ticket's change, its event and (for a call) the displays' wake-up in one statement,
    so one round trip: ``WITH changed AS (UPDATE ... RETURNING), ev AS (INSERT INTO
    ticket_events SELECT ... FROM changed) SELECT changed.*[, pg_notify(...)]``."""
    changed = dml.cte("changed")
    event = (
        insert(EV)
        .from_select(
            [
                "ticket_id",
                "action",
                "from_state",
                "to_state",
                "window_id",
                "staff_id",
                "at",
                "detail",
            ],
            select(
                changed.c.id,
                bindparam("action", type_=String()),
                bindparam("from_state", type_=String()),
                changed.c.state,
                bindparam("wid", type_=Integer()),
                bindparam("staff", type_=Integer()),
                bindparam("now", type_=UTCDateTime()),
                bindparam("detail", type_=Text()),
            ),
        )
        .cte("event")
    )
    columns = [*changed.c]
    if notify:  # NOTIFY is sent at commit, and only if the transaction commits
        columns.append(func.pg_notify(CALLS_CHANNEL, "").label("notified"))
    return select(*columns).add_cte(event)


def _write(
    conn: Connection,
    stmt: Any,
    params: dict[str, Any],
    *,
    action: Action,
    before: str | None,
    desk: Any,
    now: datetime,
    detail: str | None = None,
) -> Any:
    """Run a change of one ticket with its event (a ``_with_event`` statement); the changed
    row, or None when nothing matched."""
    values = {
        **params,
        "wid": desk.id,
        "now": now,
        "action": action.value,
        "from_state": before,
        "staff": desk.staff_id,
        "detail": detail,
    }
    return conn.execute(stmt, values).first()


def _open(conn: Connection, db: Database, window: int, *, flags: bool) -> tuple[Any, Any]:
    """(the window's row with its open session, its current ticket): the desk is None when this
    path should not act there. Both rows are locked and read in the same round trip as the
    transaction's BEGIN."""
    st = _statements()
    params = {"number": window}
    desk, current = first_rows(
        conn, [(st["desk+flags" if flags else "desk"], params), (st["current"], params)]
    )
    if desk is None or desk.paused_at is not None or not may_act_for(db.actor, desk.staff_id):
        return None, current
    return desk, current


def _change(
    conn: Connection,
    db: Database,
    desk: Any,
    t: Any,
    action: Action,
    now: datetime,
    detail: str | None = None,
    **changes: Any,
) -> Any:
    """Apply ``action`` to the window's current ticket ``t`` (``changes``: its new column
    values besides the state) and record the event."""
    after = next_state(action, S(t.state))
    assert after is not None
    values = {
        "tid": t.id,
        "to_state": after.value,
        "recalls": t.recall_count,
        "called": t.last_called_at,
        "started": t.started_at,
        "completed": t.completed_at,
        "seconds": t.service_seconds,
        **changes,
    }
    key = "change+notify" if action is Action.RECALL else "change"
    stmt = _statements()[key]
    return _write(conn, stmt, values, action=action, before=t.state, desk=desk, now=now,
                  detail=detail)  # fmt: skip


def _complete(conn: Connection, db: Database, desk: Any, t: Any, at: datetime) -> Any:
    seconds = None
    if t.started_at is not None:
        seconds = max(0, int((at - t.started_at).total_seconds()))
    return _change(conn, db, desk, t, Action.COMPLETE, at, completed=at, seconds=seconds)


def call_next(db: Database, window: int, now: datetime) -> TicketInfo | None:
    """The next ticket called at ``window``, None when nobody waits, or FALLBACK."""
    if not db.is_postgres:
        with db.driver_connection() as raw:
            return queue_quick.call_next(raw, db.actor, window, now)  # type: ignore[no-any-return]
    with db.begin_core() as conn:
        if quick_stale(conn, now):
            return FALLBACK  # the day's first action: the full version rolls over first
        desk, current = _open(conn, db, window, flags=True)
        if desk is None or desk.transferred:
            return FALLBACK
        rule = CallingRule.parse(desk.calling_rule)
        if rule.mode is not CallMode.ARRIVAL:
            return FALLBACK
        if current is not None:
            if current.state != S.SERVING:  # called, not yet served: the repeated press
                return FALLBACK
            _complete(conn, db, desk, current, now)  # one key per visitor
        waiting = {c for c in CLASSES if getattr(desk, c)}
        sids = [int(x) for x in (desk.services or "").split(",") if x]
        order, new_pos, new_appt = call_order(
            rule, desk.cycle_pos, desk.appt_cycle_pos or 0, waiting
        )
        st = _statements()
        for cls in order:
            if cls not in waiting:
                continue
            t = _write(
                conn,
                st["claims"][cls],
                {"sids": sids},
                action=Action.CALL,
                before=S.WAITING.value,
                desk=desk,
                now=now,
            )
            if t is None:  # claimed by another window meanwhile
                continue
            first = cls == order[0]
            pos, apos = (new_pos, new_appt) if first else (0, 0)
            if (pos, apos) != (desk.cycle_pos, desk.appt_cycle_pos):
                conn.execute(st["cycle"], {"sid": desk.session_id, "pos": pos, "apos": apos})
            return ticket_info(conn, t, window_number=window)
        return None


def act_on_current(db: Database, window: int, action: Action, now: datetime) -> Any:
    """Recall, no-show, start, complete or hold the window's current ticket, or FALLBACK."""
    if not db.is_postgres:
        with db.driver_connection() as raw:
            return queue_quick.act_on_current(raw, db.actor, window, action, now)
    with db.begin_core() as conn:
        desk, t = _open(conn, db, window, flags=False)
        if desk is None:
            return FALLBACK
        if t is None or next_state(action, S(t.state)) is None:
            return FALLBACK
        if action is Action.RECALL:
            limit = conn.execute(_statements()["recall_limit"]).scalar()
            limit = int(limit if limit is not None else RECALL_LIMIT_DEFAULT)
            if t.state == S.CALLED and t.recall_count >= limit:
                return FALLBACK
            n = t.recall_count + 1
            detail = json.dumps({"recall": n})  # as common.add_event writes it
            changed = _change(conn, db, desk, t, action, now, detail, recalls=n, called=now)
        elif action is Action.START:
            changed = _change(conn, db, desk, t, action, now, started=now)
        elif action is Action.COMPLETE:
            changed = _complete(conn, db, desk, t, now)
        else:  # no-show, hold
            changed = _change(conn, db, desk, t, action, now)
        return ticket_info(conn, changed, window_number=window)
