"""Booking's hot path: a hall booking in five statements on SQLite (two of them inside the
write lock, with its BEGIN and COMMIT), four in two round trips on PostgreSQL, through the
database driver itself (sqlite3, psycopg) as the queue's is (``services/queue/quick.py``).

The full version (``booking.book``) sends fourteen, all inside the write transaction: the
policy, a no-show sweep, the service, the calendar, the windows, the blackouts, the person's
block and bookings that day, the counter, the insert and the no-show warning's two counts, each
through the ORM. With eight desks booking at once, SQLite's write lock (or on PostgreSQL the
counter row's) was held for all of it. Here, with no lock held, three reads that do not
depend on each other (one statement on SQLite, a pipeline on PostgreSQL):

1. the service with the window numbers serving it; 2. the policy and the calendar; 3. the
   checks: a blackout over the slot, the person's block, their booking that day, bookings due
   to become no-shows, the no-shows that earn the warning;

then the capacity check and the insert, which checks the blackout and the block again so that
one committed in between still refuses: on SQLite the counter's conditional upsert (``... DO
UPDATE ... WHERE booked_hall < places RETURNING``) and the insert in one ``BEGIN IMMEDIATE``,
under the writer file lock ``begin()`` takes too (``Database.writer_lock``); on PostgreSQL one
statement in autocommit, the upsert in a CTE whose returned row the insert selects from (the
counter row's lock serialises two desks on the same slot; a person's second booking that day
fails on the unique index and takes the counter back with it). The upsert returns no row when
the hall's places of the slot are taken, so they are never passed.

The hall's places all taken is refused here, worded as the full version words it. Anything
else (the online channel, any other refusal, bookings due to become no-shows, which the full
version sweeps first, a race lost on the unique index or the code, a database error) returns
``FALLBACK`` with nothing committed, and ``booking.book`` runs the full version, which knows
and words every rule. ``tests/test_appointments_races.py`` holds the two to the same rows.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, suppress
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple, Protocol

from sqlalchemy.exc import SQLAlchemyError

from desk_app.domain import clock
from desk_app.domain.appointments import (
    AppointmentPolicy,
    AppointmentState,
    in_horizon,
    new_code,
    normal_code,
    online_places,
    places_per_slot,
)
from desk_app.domain.calendar import (
    DEFAULT_REGULAR,
    DayPlan,
    at_minute,
    hhmm,
    plan_for,
    session_from_row,
)
from desk_app.domain.calendar import slot_starts as slot_ranges
from desk_app.domain.validators import mask_id, mask_name, mask_phone
from desk_app.services.appointments.dto import AppointmentView
from desk_app.services.common.catalog import work_calendar
from desk_app.services.common.errors import Refused
from desk_app.services.common.lookups import DEFAULT_SETTINGS
from desk_app.store import Database
from desk_app.store.database import DatabaseUnavailable
from desk_app.store.lite import db_day, db_id, db_time

FALLBACK: Any = None  # "not handled here: run the full version"
WARNING = "提醒: 30 天内已有一次预约未到, 再次爽约将暂停预约 30 天"
A = AppointmentState


def places(
    code: str,
    slot_minutes: int | None,
    service_s: int,
    capacity: int | None,
    plan: DayPlan,
    pol: AppointmentPolicy,
    serving: set[int],
    *,
    only: int | None = None,
) -> list[tuple[int, int, int, int]]:
    """(start, end, hall places, online places) of each slot of a service on the plan's day
    (``only``: of the slot starting then), given the window numbers serving it."""
    length = slot_minutes or pol.slot_minutes
    result = []
    for start, end in slot_ranges(plan.sessions, code, length):
        if only is not None and start != only:
            continue
        windows: set[int] = set()
        for x in plan.sessions:
            if x.serves(code) and x.start_min <= start and end <= x.end_min:
                windows |= serving & set(x.windows) if x.windows else serving
        total = places_per_slot(len(windows), length, service_s, pol.walkin_share, capacity)
        online = online_places(total, pol.online_share)
        result.append((start, end, total - online, online))
    return result


# -- statements ---------------------------------------------------------------------------------
# Written with ``?``; PostgreSQL's driver gets ``%s``. Values are converted per database below.

_SERVICE_ROWS = (
    " s.id, s.name, s.slot_minutes, s.default_service_s, s.slot_capacity, w.number"
    " FROM services s LEFT JOIN window_services ws ON ws.service_id = s.id"
    " LEFT JOIN windows w ON w.id = ws.window_id WHERE s.code = ?"
)
# The policy's settings and the calendar's sessions in one result (the settings' rows have
# no session id).
_SETTING_ROWS = (
    " NULL, key, value, NULL, NULL, NULL, NULL, NULL, NULL FROM settings WHERE key LIKE 'appt_%'"
)
_SESSION_ROWS = (
    " id, kind, days, weekdays, on_date, start_min, end_min, services, windows"
    " FROM calendar_sessions"
)
_BLACKOUT = "SELECT 1 FROM appointment_blackouts WHERE from_at < ? AND to_at > ?"
_BLOCK = (
    "SELECT 1 FROM appointment_blocks"
    " WHERE person_lookup = ? AND lifted_at IS NULL AND blocked_until > ?"
)
# Independent of the catalog (so read with it): the earliest start of a blackout still running at
# the slot's start, the person's block, their booking that day, the earliest booked slot (due to
# become a no-show?), the person's last no-show and the last lifting of their block.
_CHECK_ROW = (
    " (SELECT min(from_at) FROM appointment_blackouts WHERE to_at > ?),"
    f" EXISTS ({_BLOCK}),"
    " EXISTS (SELECT 1 FROM appointments WHERE person_lookup = ? AND day = ?"
    "  AND state IN ('booked', 'checked_in')),"
    " (SELECT min(slot_at) FROM appointments WHERE state = 'booked'),"
    " (SELECT max(no_show_at) FROM appointments WHERE person_lookup = ? AND state = 'no_show'),"
    " (SELECT max(lifted_at) FROM appointment_blocks WHERE person_lookup = ?)"
)
_TAKE = (
    "INSERT INTO appointment_slot_counts AS c"
    " (service_id, day, start_min, booked_hall, booked_online)"
    f" SELECT ?, ?, ?, 1, 0 WHERE NOT EXISTS ({_BLACKOUT}) AND NOT EXISTS ({_BLOCK})"
    " ON CONFLICT (service_id, day, start_min)"
    " DO UPDATE SET booked_hall = c.booked_hall + 1 WHERE c.booked_hall < ?"
    " RETURNING booked_hall"
)
_TAKEN = (
    "SELECT booked_hall FROM appointment_slot_counts"
    " WHERE service_id = ? AND day = ? AND start_min = ?"
)
_COLUMNS = (
    "id, code, service_id, day, start_min, end_min, slot_at, state, channel, name, id_no,"
    " phone, person_lookup, created_at, created_by, outcome_sent"
)
_MARKS = ", ".join("?" for _ in _COLUMNS.split(","))
_INSERT = f"INSERT INTO appointments ({_COLUMNS}) VALUES ({_MARKS})"
# PostgreSQL: the insert takes its row from the counter's, so both happen or neither.
_TAKE_AND_INSERT = (
    f"WITH taken AS ({_TAKE}) INSERT INTO appointments ({_COLUMNS}) SELECT {_MARKS} FROM taken"
    " RETURNING code"
)


def _pg(sql: str) -> str:
    return sql.replace("?", "%s").replace("'appt_%'", "'appt_%%'")


# PostgreSQL: three statements in one round trip (a pipeline).
_PG_READS = (
    _pg(f"SELECT{_SERVICE_ROWS}"),
    _pg(f"SELECT{_SETTING_ROWS} UNION ALL SELECT{_SESSION_ROWS} ORDER BY 1"),
    _pg(f"SELECT{_CHECK_ROW}"),
)
# SQLite (no round trips, but a statement's own cost): one, each row tagged with its read;
# SQLite's columns take each row's values as they are.
_LITE_READ = (
    f"SELECT 0,{_SERVICE_ROWS.replace(' FROM', ', NULL, NULL, NULL FROM', 1)}"
    f" UNION ALL SELECT 1,{_SETTING_ROWS} UNION ALL SELECT 1,{_SESSION_ROWS}"
    f" UNION ALL SELECT 2,{_CHECK_ROW}, NULL, NULL, NULL"
)
_PG_TAKEN = _pg(_TAKEN)
_PG_WRITE = _pg(_TAKE_AND_INSERT)


class _Values:
    """How the driver takes a day, an instant and an id (SQLAlchemy's storage, ``store/types``)."""

    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres

    def day(self, d: date) -> Any:
        return d if self.postgres else db_day(d)

    def time(self, at: datetime) -> Any:
        return at.astimezone(UTC).replace(tzinfo=None) if self.postgres else db_time(at)

    def id(self, value: uuid.UUID) -> Any:
        return value if self.postgres else db_id(value)

    def instant(self, stored: Any) -> datetime | None:
        """A stored instant back as an aware UTC datetime."""
        if stored is None:
            return None
        at = datetime.fromisoformat(stored) if isinstance(stored, str) else stored
        return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def book(
    db: Database,
    service_code: str,
    day: date,
    start: int,
    person: tuple[str, str, str | None],
    sealed: dict[str, str | None],
    lookup: str,
    *,
    code: str | None,
    reveal: bool,
    now: datetime,
) -> AppointmentView | None:
    """A hall booking of ``start`` (minutes) on ``day``, or ``FALLBACK`` (nothing committed)."""
    asked = _Asked(service_code, day, start, person, sealed, lookup, code, reveal, now)
    try:
        if db.is_postgres:
            with db.engine.connect() as conn:
                auto = conn.execution_options(isolation_level="AUTOCOMMIT")
                return _book(_PgSteps(auto.connection.driver_connection), db, asked)
        with db.driver_connection() as raw:
            # The program keeps this connection (store/kept.py) unless an error leaves it: a
            # refusal or a fallback read off it in full is answered outside, so that the slot
            # being full does not cost the next booking a new connection (0.6 ms of set-up).
            try:
                return _book(_LiteSteps(raw, db.writer_lock), db, asked)
            except Refused as exc:
                refusal = exc
            except _Back as exc:
                if isinstance(exc.__cause__, sqlite3.Error):
                    raise  # the driver failed: that connection is not kept
                return FALLBACK
        raise refusal
    except (_Back, SQLAlchemyError, DatabaseUnavailable):
        return FALLBACK  # the full version says what is wrong


class _Back(Exception):
    """Nothing committed: run the full version."""


class _Asked(NamedTuple):
    """What ``book`` was asked for."""

    service_code: str
    day: date
    start: int
    person: tuple[str, str, str | None]
    sealed: dict[str, str | None]
    lookup: str
    code: str | None
    reveal: bool
    now: datetime


def _book(steps: _Steps, db: Database, asked: _Asked) -> AppointmentView | None:
    service_code, day, start, person, sealed, lookup, code, reveal, now = asked
    v = steps.values
    checks = (v.time(at_minute(day, start)), lookup, v.time(now), lookup, v.day(day))
    rows, calendar, (checked,) = steps.reads((service_code,), (), (*checks, lookup, lookup))
    if not rows:
        return FALLBACK
    svc_id, svc_name, slot_minutes, service_s, capacity = rows[0][:5]
    serving = {r[5] for r in rows if r[5] is not None}
    settings: dict[str, str] = {}
    sessions = []
    for r in calendar:
        if r[0] is None:
            settings[r[1]] = r[2]
        else:
            sessions.append(session_from_row(_SessionRow(r, v.postgres)))
    pol = AppointmentPolicy.from_settings({**DEFAULT_SETTINGS, **settings})
    work = work_calendar()
    if not in_horizon(day, clock.hall_day(now), work, pol.horizon_days):
        return FALLBACK
    plan = plan_for(day, sessions or list(DEFAULT_REGULAR), work)
    slot = places(service_code, slot_minutes, service_s, capacity, plan, pol, serving, only=start)
    if not slot or slot[0][2] < 1:
        return FALLBACK
    _start, end, hall, _online = slot[0]
    slot_at, slot_end = at_minute(day, start), at_minute(day, end)
    if slot_at <= now:
        return FALLBACK
    blackout_from, blocked, booked_that_day, first_booked, no_show, lifted = checked
    blackout_from, first_booked = v.instant(blackout_from), v.instant(first_booked)
    if (blackout_from is not None and blackout_from < slot_end) or blocked or booked_that_day:
        return FALLBACK  # refused: the full version words it
    if first_booked is not None and first_booked < now - timedelta(minutes=pol.checkin_late_min):
        return FALLBACK  # no-shows to mark (and perhaps a block) first: the full version sweeps
    since, lifted = now - timedelta(days=pol.no_show_window_days), v.instant(lifted)
    if lifted is not None and lifted > since:
        since = lifted  # no-shows before a supervisor lifted the block do not count
    last_no_show = v.instant(no_show)
    warn = last_no_show is not None and last_no_show > since
    a_id = uuid.uuid4()
    a_code = normal_code(code) if code else new_code()
    name, id_no, phone = person
    take = (svc_id, v.day(day), start, v.time(slot_end), v.time(slot_at), lookup, v.time(now), hall)
    row = (
        *(v.id(a_id), a_code, svc_id, v.day(day), start, end, v.time(slot_at), A.BOOKED.value),
        *("hall", sealed["name"], sealed["id_no"], sealed["phone"], lookup, v.time(now)),
        *(db.actor.code if db.actor else None, False),
    )
    if not steps.write(take, row):
        # Nothing taken: the slot full, or a blackout or a block committed since the checks.
        taken = steps.taken((svc_id, v.day(day), start))
        if taken and taken[0][0] >= hall:
            raise Refused(f"{day} {hhmm(start)} 的预约已满", "slot full")
        return FALLBACK
    if not reveal:
        name, id_no = mask_name(name), mask_id(id_no)
        phone = mask_phone(phone) if phone else None
    return AppointmentView(
        a_code, service_code, svc_name, day, start, end, A.BOOKED, "hall", name, id_no,
        phone, slot_at, None, WARNING if warn else None,
    )  # fmt: skip


class _SessionRow:
    """A ``calendar_sessions`` row of the union, with its columns as attributes."""

    def __init__(self, r: Sequence[Any], postgres: bool) -> None:
        self.id, self.kind, self.days, self.weekdays = r[0], r[1], r[2], r[3]
        on = r[4]
        self.on_date = date.fromisoformat(on) if isinstance(on, str) else on
        self.start_min, self.end_min, self.services, self.windows = r[5], r[6], r[7], r[8]
        if not postgres:  # the union's columns come back as the first branch's text
            self.weekdays = int(r[3]) if r[3] is not None else None
            self.start_min, self.end_min = int(r[5]), int(r[6])
            self.id = int(r[0])


class _Steps(Protocol):
    values: _Values

    def reads(self, *params: tuple[Any, ...]) -> list[list[Any]]:
        """The service's rows, the settings' and sessions', the checks' (one row), given each
        read's parameters."""

    def taken(self, params: tuple[Any, ...]) -> list[Any]: ...

    def write(self, take: tuple[Any, ...], row: tuple[Any, ...]) -> bool:
        """The counter's place and the booking, committed; False when no place was taken
        (nothing committed)."""


class _LiteSteps:
    """SQLite: reads without a lock, then the upsert and the insert in ``BEGIN IMMEDIATE``."""

    def __init__(self, conn: sqlite3.Connection, lock: Callable[[], AbstractContextManager[None]]):
        self.conn = conn
        self.lock = lock
        self.values = _Values(postgres=False)

    def reads(self, *params: tuple[Any, ...]) -> list[list[Any]]:
        try:
            rows = self.conn.execute(_LITE_READ, [x for p in params for x in p]).fetchall()
        except sqlite3.Error as exc:
            raise _Back from exc
        result: list[list[Any]] = [[], [], []]
        for r in rows:
            result[r[0]].append(r[1:])
        result[1].sort(key=lambda r: -1 if r[0] is None else r[0])  # settings, sessions by id
        return [[r[:6] for r in result[0]], result[1], [r[:6] for r in result[2]]]

    def taken(self, params: tuple[Any, ...]) -> list[Any]:
        try:
            return self.conn.execute(_TAKEN, params).fetchall()
        except sqlite3.Error as exc:
            raise _Back from exc

    def write(self, take: tuple[Any, ...], row: tuple[Any, ...]) -> bool:
        with self.lock():
            return self._write(take, row)

    def _write(self, take: tuple[Any, ...], row: tuple[Any, ...]) -> bool:
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _Back from exc
        try:
            if conn.execute(_TAKE, take).fetchone() is None:
                conn.execute("ROLLBACK")
                return False
            conn.execute(_INSERT, row)
            conn.execute("COMMIT")
            return True
        except BaseException as exc:
            with suppress(sqlite3.Error):
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            if isinstance(exc, (sqlite3.Error, _Back)):
                raise _Back from exc
            raise


class _PgSteps:
    """PostgreSQL, in autocommit: each read on its own, the write one atomic statement."""

    def __init__(self, conn: Any) -> None:
        import psycopg

        self.conn = conn
        self.errors = psycopg.Error
        self.values = _Values(postgres=True)

    def reads(self, *params: tuple[Any, ...]) -> list[list[Any]]:
        """In one round trip (a pipeline)."""
        try:
            with self.conn.pipeline():
                cursors = [self.conn.execute(q, p) for q, p in zip(_PG_READS, params, strict=True)]
            return [list(c.fetchall()) for c in cursors]
        except self.errors as exc:
            raise _Back from exc

    def taken(self, params: tuple[Any, ...]) -> list[Any]:
        try:
            return list(self.conn.execute(_PG_TAKEN, params).fetchall())
        except self.errors as exc:
            raise _Back from exc

    def write(self, take: tuple[Any, ...], row: tuple[Any, ...]) -> bool:
        try:
            with self.conn.cursor() as cur:
                return cur.execute(_PG_WRITE, take + row).fetchone() is not None
        except self.errors as exc:
            raise _Back from exc
