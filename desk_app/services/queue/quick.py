"""The queue's hot path on SQLite, through the standard library's sqlite3: ``queue status``,
issuing, "call next" and the actions on a window's current ticket.

Two users. The commands a call-pad or a kiosk script runs once per press open the hall's file
themselves (``store/lite.py``), so that a whole command costs a few times a bare Python start
instead of SQLAlchemy's import (``bench/cold_bench.py``). The long-running screens run the same
functions on a pool's connection kept for them (``store/kept.py``, ``queue_engine``): each
statement costs the database's own work without a layer's around it, so the write lock that
serialises the windows is held for less time (``bench/queue_bench.py``).

A quick version only ever succeeds. Whatever it does not handle it hands back as ``FALLBACK``
before anything is committed, and the command runs its full version (``queue``,
``queue_engine``, ``ticket_issuing``), which knows every rule and words every refusal: an
unknown, closed or full service, a hall its calendar closes now, another person's, closed or
paused window, a called ticket still at the window, tickets transferred to the window, the
service-order calling mode, the recall limit reached, a person it cannot identify, a database
error. What it handles it does as the full version does (the same rows, events and answers:
``tests/test_queue_engine.py`` runs random mornings through both on twin databases).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime
from functools import lru_cache, wraps
from typing import Any

from desk_app.domain import clock
from desk_app.domain.calling import CLASSES, CallingRule, CallMode, call_order
from desk_app.domain.estimate import (
    RECENT_SERVICE_SAMPLE,
    estimate_wait_minutes,
    typical_service_seconds,
)
from desk_app.domain.tickets import (
    RECALL_LIMIT_DEFAULT,
    Action,
    TicketState,
    format_number,
    next_state,
)
from desk_app.security.authz import Forbidden, may_act_for, require
from desk_app.security.roles import Actor, Operation, Role
from desk_app.security.sessions import session_is_live, token_hash
from desk_app.services.common.dto import (
    IssuedTicket,
    QueueStatus,
    ServiceQueue,
    TicketInfo,
    WindowStatus,
)
from desk_app.services.queue.day import quick_stale
from desk_app.store.lite import db_day, db_id, db_time, marks, py_id, py_time

S = TicketState
FALLBACK: Any = object()  # "not handled here: run the full version"


class _Back(Exception):
    """Roll back and run the full version."""


@contextmanager
def _unit(conn: sqlite3.Connection, begin: str = "BEGIN IMMEDIATE") -> Iterator[None]:
    """A transaction; any error (a lock not taken in time, a failed commit included) rolls it
    back and becomes ``_Back``: nothing was committed, so the full version may run."""
    try:
        conn.execute(begin)
    except sqlite3.Error as exc:
        raise _Back from exc
    try:
        yield
        conn.execute("COMMIT")
    except BaseException as exc:
        with suppress(sqlite3.Error):
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        if isinstance(exc, _Back | sqlite3.Error | Forbidden):
            raise _Back from exc
        raise


def _q(conn: sqlite3.Connection, sql: str, params: Any = ()) -> sqlite3.Cursor:
    """Run ``sql``; rows by column name (on a cursor of its own: the connection may be one of
    SQLAlchemy's pool, whose row factory stays as it is)."""
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    return cur.execute(sql, params)


def _quick(fn: Any) -> Any:
    @wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (_Back, Forbidden):  # the full version refuses in its own words
            return FALLBACK

    return run


# -- who acts --------------------------------------------------------------------------------


@_quick
def session_actor(conn: sqlite3.Connection, token: str, os_user: str, now: datetime) -> Actor:
    """The person of a live ``desk-app login`` session of this OS user (as
    ``accounts.cli_session_actor``); FALLBACK in setup mode or for any session it refuses."""
    with _unit(conn, "BEGIN"):
        admins = _q(
            conn, "SELECT count(*) FROM staff WHERE role = ? AND active = 1", (Role.ADMIN.value,)
        ).fetchone()[0]
        row = _q(
            conn,
            "SELECT staff.id, staff.code, staff.role, staff.active, staff.locked,"
            " staff.must_change, staff.locked_until, login_sessions.revoked_at,"
            " login_sessions.expires_at, login_sessions.os_user"
            " FROM login_sessions JOIN staff ON staff.id = login_sessions.staff_id"
            " WHERE login_sessions.token_hash = ?",
            (token_hash(token),),
        ).fetchone()
    if not admins or row is None:
        raise _Back  # setup mode (with its warning), or no such session
    expires = py_time(row["expires_at"])
    if expires is None or not session_is_live(
        revoked_at=py_time(row["revoked_at"]),
        expires_at=expires,
        session_os_user=row["os_user"],
        os_user=os_user,
        active=bool(row["active"]),
        locked=bool(row["locked"]),
        must_change=bool(row["must_change"]),
        locked_until=py_time(row["locked_until"]),
        now=now,
    ):
        raise _Back
    return Actor(staff_id=row["id"], code=row["code"], role=Role(row["role"]), device=False)


# -- queue status ------------------------------------------------------------------------------


@_quick
def queue_status(conn: sqlite3.Connection, now: datetime) -> QueueStatus:
    """As ``queue_views.queue_status``."""
    require(None, Operation.QUEUE_STATUS)
    with _unit(conn, "BEGIN"):
        waiting = {
            r[0]: (r[1], py_time(r[2]))
            for r in _q(
                conn,
                "SELECT service_id, count(*), min(arrival_at) FROM tickets"
                " WHERE state = 'waiting' GROUP BY service_id",
            )
        }
        services = []
        for r in _q(
            conn, "SELECT id, code, name FROM services WHERE active = 1 ORDER BY prefix"
        ).fetchall():
            n, oldest = waiting.get(r["id"], (0, None))
            longest = max(0, int((now - oldest).total_seconds())) if oldest else 0
            services.append(ServiceQueue(r["code"], r["name"], int(n), longest))
        windows = [
            WindowStatus(
                r["number"],
                "closed" if r["sid"] is None else ("paused" if r["paused_at"] else "open"),
                r["current"],
                r["staff"],
                r["current_state"],
            )
            for r in _q(
                conn,
                "SELECT windows.number, window_sessions.id AS sid, window_sessions.paused_at,"
                " staff.code AS staff, tickets.number AS current, tickets.state AS current_state"
                " FROM windows"
                " LEFT JOIN window_sessions ON window_sessions.window_id = windows.id"
                " AND window_sessions.closed_at IS NULL"
                " LEFT JOIN staff ON staff.id = window_sessions.staff_id"
                " LEFT JOIN tickets ON tickets.window_id = windows.id"
                " AND tickets.state IN ('called', 'serving')"
                " ORDER BY windows.number",
            )
        ]
    return QueueStatus(services, windows)


# -- ticket issue ------------------------------------------------------------------------------

_FACTS = (
    "SELECT services.id, services.code, services.name, services.prefix, services.daily_cap,"
    " services.default_service_s, services.active,"
    " EXISTS (SELECT calendar_sessions.id FROM calendar_sessions) AS has_calendar,"
    " (SELECT count(*) FROM window_sessions JOIN window_services"
    "  ON window_services.window_id = window_sessions.window_id"
    "  WHERE window_services.service_id = services.id AND window_sessions.closed_at IS NULL"
    "  AND window_sessions.paused_at IS NULL) AS open_windows,"
    " (SELECT group_concat(recent.s, ',') FROM (SELECT tickets.service_seconds AS s"
    "  FROM tickets WHERE tickets.service_id = services.id AND tickets.completed_at IS NOT NULL"
    f"  ORDER BY tickets.completed_at DESC LIMIT {RECENT_SERVICE_SAMPLE}) AS recent) AS recent,"
    " (SELECT count(*) FROM tickets WHERE tickets.state = 'waiting'"
    "  AND tickets.service_id = services.id AND tickets.target_window_id IS NULL"
    "  AND tickets.arrival_at < :now{priority}) AS ahead"
    " FROM services WHERE services.code = :code"
)
_EVENT = (
    "INSERT INTO ticket_events (ticket_id, action, from_state, to_state, window_id, staff_id,"
    " at, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


@_quick
def issue(conn: sqlite3.Connection, code: str, priority: str | None, now: datetime) -> Any:
    """As ``ticket_issuing.issue``: a ticket, or FALLBACK (unknown or closed service, a full
    day, or a hall whose opening calendar does not issue this service now)."""
    require(None, Operation.TICKET_ISSUE)
    is_priority = priority is not None
    if quick_stale(conn, now):
        return FALLBACK  # the day's first action: the full version rolls the queue over first
    with _unit(conn):
        facts = _q(
            conn,
            _FACTS.format(priority=" AND tickets.is_priority = 1" if is_priority else ""),
            {"now": db_time(now), "code": code},
        ).fetchone()
        if facts is None or not facts["active"]:
            raise _Back
        if facts["has_calendar"] and not _opening(conn, now).issues(facts["code"]):
            raise _Back  # closed now, or not this service: the full version says until when
        day = clock.hall_day(now)
        seq = _q(
            conn,
            "INSERT INTO ticket_counters (service_id, day, last_number) VALUES (?, ?, 1)"
            " ON CONFLICT (service_id, day) DO UPDATE SET"
            " last_number = ticket_counters.last_number + 1 RETURNING last_number",
            (facts["id"], db_day(day)),
        ).fetchone()[0]
        if facts["daily_cap"] is not None and seq > facts["daily_cap"]:
            raise _Back  # rolls the counter back: the day's numbers stay gapless
        ticket_id = uuid.uuid4()
        number = format_number(facts["prefix"], seq)
        at = db_time(now)
        tid = db_id(ticket_id)
        row = (tid, facts["id"], facts["id"], db_day(day), seq, number, priority, is_priority)
        _q(
            conn,
            "INSERT INTO tickets (id, service_id, issued_service_id, day, seq, number, priority,"
            " is_priority, state, issued_at, arrival_at, recall_count)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?, 0)",
            (*row, at, at),
        )
        _q(conn, _EVENT, (tid, Action.ISSUE.value, None, S.WAITING.value, None, None, at, None))
    recent = [int(x) for x in (facts["recent"] or "").split(",") if x]
    per_ticket = typical_service_seconds(recent, facts["default_service_s"])
    eta = estimate_wait_minutes(facts["ahead"], per_ticket, int(facts["open_windows"] or 0))
    return IssuedTicket(
        str(ticket_id), number, facts["code"], facts["name"], priority, facts["ahead"], eta, now
    )


def _opening(conn: sqlite3.Connection, now: datetime) -> Any:
    """The hall's opening at ``now`` (as ``calendar.opening_in``, for a hall with a calendar)."""
    from types import SimpleNamespace

    from desk_app.domain.appointments import AppointmentPolicy, policy_defaults
    from desk_app.domain.calendar import opening_at, session_from_row

    sessions = []
    for r in _q(conn, "SELECT * FROM calendar_sessions ORDER BY id"):
        row = dict(r)  # a Date is stored as text by SQLAlchemy; the domain wants a date
        row["on_date"] = date.fromisoformat(row["on_date"]) if row["on_date"] else None
        sessions.append(session_from_row(SimpleNamespace(**row)))

    def kiosk_stop_min() -> int:
        rows = _q(conn, "SELECT key, value FROM settings WHERE key LIKE 'appt_%'")
        values = {**policy_defaults(), **{r["key"]: r["value"] for r in rows}}
        return AppointmentPolicy.from_settings(values).kiosk_stop_min

    return opening_at(sessions, now, _work_calendar(), kiosk_stop_min)


def _work_calendar() -> Any:
    """Holidays and 调休, read once per process (the same cache as the full version's)."""
    from desk_app.services.common.catalog import work_calendar

    return work_calendar()


# -- call next ---------------------------------------------------------------------------------


def _waits(condition: str) -> str:
    return (
        "EXISTS (SELECT 1 FROM window_services WHERE window_services.window_id = windows.id"
        " AND EXISTS (SELECT 1 FROM tickets WHERE tickets.state = 'waiting'"
        " AND tickets.service_id = window_services.service_id"
        f" AND tickets.target_window_id IS NULL AND {condition}))"
    )


_CONDITIONS = {
    "priority": ("tickets.is_priority = 1", "tickets.arrival_at, tickets.seq"),
    "appointment": (
        "tickets.appointment_id IS NOT NULL",
        "tickets.slot_at, tickets.arrival_at, tickets.seq",
    ),
    "walkin": (
        "tickets.is_priority = 0 AND tickets.appointment_id IS NULL",
        "tickets.arrival_at, tickets.seq",
    ),
}
# These classes' claims read their index in calling order (migration 0022), not a sort of the
# window's queue. SQLite uses a partial index only for a query repeating its whole condition
# ("seq IS NOT NULL" too), and a morning's statistics are last night's: the index is named.
_IN_ORDER = {
    "priority": ("INDEXED BY ix_tickets_priority_order ", " AND tickets.seq IS NOT NULL"),
    "walkin": ("INDEXED BY ix_tickets_walkin_order ", " AND tickets.seq IS NOT NULL"),
}
_DESK_COLUMNS = (
    "SELECT windows.id, windows.calling_rule, window_sessions.id AS session_id,"
    " window_sessions.staff_id, window_sessions.paused_at, window_sessions.cycle_pos,"
    " window_sessions.appt_cycle_pos"
)
_DESK_FROM = (
    " FROM windows JOIN window_sessions ON window_sessions.window_id = windows.id"
    " AND window_sessions.closed_at IS NULL WHERE windows.number = ?"
)
_FLAGS = (
    "".join(f", {_waits(cond)} AS {cls}" for cls, (cond, _) in _CONDITIONS.items())
    + ", EXISTS (SELECT 1 FROM tickets WHERE tickets.state = 'waiting'"
    " AND tickets.target_window_id = windows.id) AS transferred,"
    " (SELECT group_concat(window_services.service_id, ',') FROM window_services"
    " WHERE window_services.window_id = windows.id) AS services"
)
_DESK = _DESK_COLUMNS + _FLAGS + _DESK_FROM  # for a call: which classes wait
_DESK_ONLY = _DESK_COLUMNS + _DESK_FROM  # for an action on the current ticket
_CURRENT = (
    "SELECT * FROM tickets WHERE tickets.window_id = (SELECT id FROM windows WHERE number = ?)"
    " AND tickets.state IN ('called', 'serving')"
)


# A changed ticket with its service's code and name in one statement (one less under the lock).
_RETURNING = (
    "*, (SELECT code FROM services WHERE services.id = tickets.service_id) AS service_code,"
    " (SELECT name FROM services WHERE services.id = tickets.service_id) AS service_name"
)


@lru_cache(maxsize=256)
def _claim(cls: str, services: int) -> str:
    """A claim of class ``cls`` for ``services`` services, built once (not under the lock)."""
    cond, order = _CONDITIONS[cls]
    index, fence = _IN_ORDER.get(cls, ("", ""))
    return (
        "UPDATE tickets SET state = 'called', window_id = ?, target_window_id = NULL,"
        " first_called_at = coalesce(first_called_at, ?), last_called_at = ?, recall_count = 0"
        f" WHERE id = (SELECT tickets.id FROM tickets {index}WHERE tickets.state = 'waiting'"
        f" AND tickets.target_window_id IS NULL AND tickets.service_id IN"
        f" ({marks(range(services))}) AND {cond}{fence} ORDER BY {order} LIMIT 1)"
        f" RETURNING {_RETURNING}"
    )


_rule = lru_cache(maxsize=64)(CallingRule.parse)  # a window's rule, read once per spelling


@_quick
def call_next(conn: sqlite3.Connection, actor: Actor, window: int, now: datetime) -> Any:
    """As ``queue_engine.call_next``: the ticket called, None when nobody waits, or FALLBACK."""
    require(actor, Operation.CALL_NEXT)
    at = db_time(now)
    if quick_stale(conn, now):
        return FALLBACK  # the day's first action: the full version rolls the queue over first
    called = None
    with _unit(conn):  # the answer is made after the commit: the lock is held for the writing
        desk = _q(conn, _DESK, (window,)).fetchone()
        current = _q(conn, _CURRENT, (window,)).fetchone()
        unfit = desk is None or desk["paused_at"] is not None or desk["transferred"]
        if unfit or not may_act_for(actor, desk["staff_id"]):
            raise _Back
        rule = _rule(desk["calling_rule"])
        if rule.mode is not CallMode.ARRIVAL:
            raise _Back
        event = (desk["id"], desk["staff_id"], at)
        if current is not None:
            if current["state"] != S.SERVING:  # called, not yet served: the repeated press
                raise _Back
            _complete(conn, current, now, event)  # one key per visitor
        waiting = {c for c in CLASSES if desk[c]}
        sids = [int(x) for x in (desk["services"] or "").split(",") if x]
        order, new_pos, new_appt = call_order(
            rule, desk["cycle_pos"], desk["appt_cycle_pos"] or 0, waiting
        )
        for cls in order:
            if cls not in waiting:
                continue
            t = _q(conn, _claim(cls, len(sids)), (desk["id"], at, at, *sids)).fetchone()
            if t is None:
                continue
            moved = (t["id"], Action.CALL.value, S.WAITING.value, t["state"], *event[:2])
            _q(conn, _EVENT, (*moved, at, None))
            pos, apos = (new_pos, new_appt) if cls == order[0] else (0, 0)
            if (pos, apos) != (desk["cycle_pos"], desk["appt_cycle_pos"]):
                _q(
                    conn,
                    "UPDATE window_sessions SET cycle_pos = ?, appt_cycle_pos = ? WHERE id = ?",
                    (pos, apos, desk["session_id"]),
                )
            called = t
            break
    return None if called is None else _info(called, window)


@_quick
def act_on_current(
    conn: sqlite3.Connection, actor: Actor, window: int, action: Action, now: datetime
) -> Any:
    """As ``queue_engine.act_on_current``: recall, no-show, start, complete or hold the
    window's current ticket, or FALLBACK. The caller checked that ``actor`` may do ``action``
    (``queue.recall`` and the others, as for the engine)."""
    with _unit(conn):  # the answer is made after the commit
        desk = _q(conn, _DESK_ONLY, (window,)).fetchone()
        t = _q(conn, _CURRENT, (window,)).fetchone()
        if desk is None or desk["paused_at"] is not None:
            raise _Back
        if not may_act_for(actor, desk["staff_id"]):
            raise _Back
        if t is None or next_state(action, S(t["state"])) is None:
            raise _Back
        event = (desk["id"], desk["staff_id"], db_time(now))
        if action is Action.RECALL:
            row = _q(conn, "SELECT value FROM settings WHERE key = 'recall_limit'").fetchone()
            limit = int(row["value"]) if row is not None else RECALL_LIMIT_DEFAULT
            if t["state"] == S.CALLED and t["recall_count"] >= limit:
                raise _Back
            n = t["recall_count"] + 1
            detail = json.dumps({"recall": n})  # as common.add_event writes it
            t = _change(conn, t, action, event, detail, recall_count=n, last_called_at=event[2])
        elif action is Action.START:
            t = _change(conn, t, action, event, started_at=event[2])
        elif action is Action.COMPLETE:
            t = _complete(conn, t, now, event)
        else:  # no-show, hold
            t = _change(conn, t, action, event)
    return _info(t, window)


def _change(
    conn: sqlite3.Connection,
    t: sqlite3.Row,
    action: Action,
    event: tuple,
    detail: str | None = None,
    **columns: Any,
) -> sqlite3.Row:
    """Move ticket ``t`` on by ``action``, setting ``columns`` (values as stored), and record
    its event; the changed row."""
    after = next_state(action, S(t["state"]))
    assert after is not None
    names = ["state", *columns]
    changed = _q(
        conn,
        f"UPDATE tickets SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?"
        f" RETURNING {_RETURNING}",
        (after.value, *columns.values(), t["id"]),
    ).fetchone()
    window_id, staff_id, at = event
    moved = (t["id"], action.value, t["state"], after.value)
    _q(conn, _EVENT, (*moved, window_id, staff_id, at, detail))
    return changed


def _complete(conn: sqlite3.Connection, t: sqlite3.Row, now: datetime, event: tuple) -> Any:
    started = py_time(t["started_at"])
    seconds = None if started is None else max(0, int((now - started).total_seconds()))
    return _change(
        conn, t, Action.COMPLETE, event, completed_at=db_time(now), service_seconds=seconds
    )


def _info(t: sqlite3.Row, window: int) -> TicketInfo:
    arrival = py_time(t["arrival_at"])
    assert arrival is not None
    return TicketInfo(
        id=str(py_id(t["id"])),
        number=t["number"],
        service=t["service_code"],
        service_name=t["service_name"],
        priority=t["priority"],
        state=t["state"],
        window=window if t["window_id"] is not None else None,
        arrival_at=arrival,
        recall_count=t["recall_count"],
        called_at=py_time(t["last_called_at"]),
        started_at=py_time(t["started_at"]),
    )
