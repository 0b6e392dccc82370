"""The queue's hot path: "call next" and the actions on a window's current ticket (recall,
no-show, start, complete, hold). On PostgreSQL each is one call of a server-side function
(``queue_call_next``, ``queue_act``: ``store/migrations/versions/0019_queue_calls.py``) sent in
autocommit (on the connection the program keeps for it: ``store/kept.py``), so the whole press
is one statement, one transaction and one network round trip; the window's rows are locked
only while the server works, not across round trips. On SQLite
the same entry points run ``queue_quick`` (the standard library's sqlite3, in the process) on a
connection of the pool kept for them (``store/kept.py``).

The rules are those of ``queue``, which calls this first, and the functions follow them:

- the window's open session row is read first with the window's current ticket, both locked (a
  double press waits and then sees the ticket it already has);
- the next ticket is claimed by one ``UPDATE ... WHERE id = (SELECT ... ORDER BY ... LIMIT 1
  FOR UPDATE SKIP LOCKED) RETURNING`` per calling class tried (``domain.calling.call_order``,
  which the function mirrors), so 32 windows pressing at once each get a different ticket
  without waiting on each other;
- every transition writes its event in the same transaction, and that is all: nothing is sent
  to the displays. They look for themselves whether anything was committed
  (``store/changes.py``), so a press costs the same with one display or ten.

Whatever this path does not handle it hands back as ``FALLBACK`` before writing anything, and
``queue`` runs its ORM version, which knows the full rule and the right error: an unknown,
closed, paused or another person's window, no current ticket or an action its state does not
allow, a called ticket still at the window (the repeated press), the recall limit reached,
tickets transferred to this window waiting, the service-order calling mode, and the day's first
call (the ORM version rolls the queue over). ``tests/test_queue_engine.py`` runs random mornings
through both on twin databases.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, func, literal_column, or_

from desk_app.domain import clock
from desk_app.domain.tickets import RECALL_LIMIT_DEFAULT, Action, TicketState, next_state
from desk_app.security import roles
from desk_app.services.common.dto import TicketInfo
from desk_app.services.queue import quick as queue_quick
from desk_app.store import Database
from desk_app.store.models import Ticket

S = TicketState
FALLBACK = queue_quick.FALLBACK  # "not handled here: run the ORM version"

# The functions' answer: the outcome, then the ticket as TicketInfo shows it.
_ANSWER = (
    "o_outcome, o_id, o_number, o_priority, o_state, o_has_window, o_arrival_at,"
    " o_recall_count, o_called_at, o_started_at, o_service_code, o_service_name"
)
CALL_NEXT = (
    f"SELECT {_ANSWER} FROM queue_call_next("
    "%s::int, %s::timestamp, %s::text, %s::int, %s::boolean, %s::text)"
)
ACT = (
    f"SELECT {_ANSWER} FROM queue_act("
    "%s::int, %s::text, %s::timestamp, %s::int, %s::boolean,"
    " %s::text, %s::text, %s::int)"
)
_COMPLETED = next_state(Action.COMPLETE, S.SERVING) or S.COMPLETED  # the domain's rule


def queued() -> Any:
    # A literal, not a bound parameter: SQLite uses a partial index only when the query
    # repeats its condition (ix_tickets_waiting ... WHERE state = 'waiting').
    return Ticket.__table__.c.state == literal_column("'waiting'")


def in_states(states: Any) -> Any:
    """The tickets in any of ``states``. Waiting tickets asked for together with others are an
    OR arm of their own: on PostgreSQL the waiting queue is only in its partial indexes
    (``ix_tickets_state_window`` leaves it out, migration 0022), and the planner can serve each
    arm of an OR from its own index but an IN list only from one."""
    values = [S(x).value for x in states]
    others = [v for v in values if v != S.WAITING.value]
    column = Ticket.__table__.c.state
    if len(others) == len(values):
        return column.in_(others)
    return or_(queued(), column.in_(others)) if others else queued()


def joined(column: Any) -> Any:
    """The values of a column joined by commas."""
    return func.string_agg(column.cast(String), ",")


def _acting(actor: Any) -> tuple[int | None, bool] | None:
    """(staff id, may act for anyone) as ``authz.may_act_for`` decides for ``actor``; None for
    nobody."""
    if actor is None:
        return None
    return actor.staff_id, actor.role in (roles.Role.ADMIN, roles.Role.SUPERVISOR)


def _utc(at: datetime) -> datetime:
    """An aware time as the columns store it (naive UTC, ``store/types.py``)."""
    return at.astimezone(UTC).replace(tzinfo=None)


def _answer(row: Any, window: int) -> Any:
    """The function's answer as ``queue`` returns it: FALLBACK, None or the ticket."""
    if row is None or row[0] == "fallback":
        return FALLBACK
    if row[0] == "none":
        return None
    _o, tid, number, priority, state, has_window, arrival, recalls, called, started, code, name = (
        row
    )
    return TicketInfo(
        id=str(tid),
        number=number,
        service=code,
        service_name=name,
        priority=priority,
        state=state,
        window=window if has_window else None,
        arrival_at=arrival.replace(tzinfo=UTC),
        recall_count=recalls,
        called_at=None if called is None else called.replace(tzinfo=UTC),
        started_at=None if started is None else started.replace(tzinfo=UTC),
    )


def _run(db: Database, sql: str, params: tuple[Any, ...], window: int) -> Any:
    return _answer(db.one_statement(sql, params), window)


def call_next(db: Database, window: int, now: datetime) -> TicketInfo | None:
    """The next ticket called at ``window``, None when nobody waits, or FALLBACK."""
    if not db.is_postgres:
        with db.driver_connection() as raw:
            return queue_quick.call_next(raw, db.actor, window, now)  # type: ignore[no-any-return]
    acting = _acting(db.actor)
    if acting is None:
        return FALLBACK  # type: ignore[no-any-return]
    today = clock.hall_day(now).isoformat()
    params = (window, _utc(now), today, *acting, _COMPLETED.value)
    return _run(db, CALL_NEXT, params, window)  # type: ignore[no-any-return]


def act_on_current(db: Database, window: int, action: Action, now: datetime) -> Any:
    """Recall, no-show, start, complete or hold the window's current ticket, or FALLBACK."""
    if not db.is_postgres:
        with db.driver_connection() as raw:
            return queue_quick.act_on_current(raw, db.actor, window, action, now)
    acting = _acting(db.actor)
    if acting is None:
        return FALLBACK
    after = [next_state(action, s) for s in (S.CALLED, S.SERVING)]
    params = (
        window,
        action.value,
        _utc(now),
        *acting,
        *(None if a is None else a.value for a in after),
        RECALL_LIMIT_DEFAULT,
    )
    return _run(db, ACT, params, window)
