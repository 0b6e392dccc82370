"""Appointment benchmark (not a test; prints figures), for the issue's two targets:

    .venv/bin/python bench/appointments_bench.py [--pg URL] [--no-pg] [--bookings 800]

For SQLite and PostgreSQL, on a 32-window demo hall with its opening calendar:
- listing 5 working days of slots for every service (``appointment_views.booking_grid`` per
  service: the booking dialog's read), against a raw-SQL baseline reading the same slot
  counters in the same run; target < 50 ms for all services;
- booking latency with 8 concurrent bookers, each a separate process booking distinct people
  into the hall's slots through ``appointments.book`` (as the counter screen runs it: hall key
  loaded, WAL checkpointer on its thread), in two loads: "at once", rounds in which all eight
  press at the same instant (a barrier before each booking: eight bookings in flight on one
  write lock, the worst moment of a hall), and "flat out", each booking straight after its
  last (eight processes wanting the CPU all the time: on a 2-core machine a p99 there is
  mostly the scheduler's slices). Both start together, after every process's set-up; before
  that barrier a booker's first bookings ran beside the others' imports and set-up.
  p50/p99 against a raw baseline in the same run (the
  same capacity-checked counter upsert and insert in plain SQL on the driver, on the app's
  connection settings), and the full version (the ORM unit of work without the hot path,
  ``services/appointments/quick.py``); target p99 < 20 ms. Statements per booking are read
  from the drivers (sqlite3's trace callback, libpq's protocol trace), with PostgreSQL's round
  trips. The machine's load is printed with each figure: on a shared machine a p99 measures
  the scheduler as much as the code.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, event, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from desk_app.domain.clock import HALL_TZ  # noqa: E402
from desk_app.security.roles import Actor, Role  # noqa: E402
from desk_app.services.appointments import booking as appointments  # noqa: E402
from desk_app.services.appointments import quick  # noqa: E402
from desk_app.services.appointments import views as appointment_views  # noqa: E402
from desk_app.services.common import protection  # noqa: E402
from desk_app.services.demo import seed as demo  # noqa: E402
from desk_app.store import Database  # noqa: E402
from desk_app.store.schema import upgrade  # noqa: E402
from desk_app.store.wal import Checkpointer  # noqa: E402

WINDOWS = 32
BOOKERS = 8
ADMIN = Actor(staff_id=None, code="bench", role=Role.ADMIN)
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=HALL_TZ)  # a Monday
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(n: int) -> str:
    """The n-th distinct, valid resident ID (a birth day and a sequence number per n)."""
    born = date(1950, 1, 1) + timedelta(days=n // 900)
    body = f"370202{born:%Y%m%d}{n % 900 + 100:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))]


def build(url: str) -> Database:
    os.environ["DESK_APP_NOW"] = NOW.isoformat()
    db = Database(url).acting_as(ADMIN)
    upgrade(db)
    demo.seed_demo(db, days=0, windows=WINDOWS, seed=1, now=NOW)
    return db


def bench_listing(db: Database, rounds: int = 20) -> tuple[float, float, int]:
    slots = 0
    app, raw = [], []
    engine = db.engine
    for _ in range(rounds):
        t = time.perf_counter()
        grids = appointment_views.booking_grids(db, now=NOW)
        app.append(time.perf_counter() - t)
        slots = sum(len(s) for g in grids for _d, s in g.days)
        t = time.perf_counter()
        with engine.connect() as conn:  # the slot counters of the span, and the services
            conn.execute(text("SELECT id, code, name FROM services WHERE active")).all()
            conn.execute(
                text(
                    "SELECT service_id, day, start_min, booked_hall, booked_online"
                    " FROM appointment_slot_counts WHERE day BETWEEN :a AND :b"
                ),
                {"a": date(2026, 12, 1), "b": date(2026, 12, 8)},
            ).all()
        raw.append(time.perf_counter() - t)
    return pct(app, 50) * 1000, pct(raw, 50) * 1000, slots


def _booker(url: str, worker: int, n: int, out: mp.Queue, gate: Any) -> None:  # type: ignore[type-arg]
    os.environ["DESK_APP_NOW"] = NOW.isoformat()
    db = Database(url).acting_as(ADMIN)
    db.start_checkpointer()  # as the counter screen does (store/wal.py); nothing on PostgreSQL
    services = [c for c, _ in appointment_views.services_for_booking(db)]
    grids = {c: appointment_views.booking_grid(db, c, now=NOW) for c in services}
    protection.cipher()  # the hall key, loaded once per process (the desk program at its start)
    lat, refused = [], 0
    gate.start()
    for i in range(n):
        gate.each()
        person = worker * 100_000 + i
        code = services[(worker + i) % len(services)]
        grid = grids[code]
        day, slots = grid.days[i % len(grid.days)]
        if not slots:
            day, slots = grid.days[0]
        start = slots[(i * 7 + worker) % len(slots)].to_json()["start"]
        t = time.perf_counter()
        try:
            appointments.book(db, code, day, start, "预约人", resident_id(person), now=NOW)
        except Exception:  # noqa: BLE001 - a full slot is part of the load
            refused += 1
        lat.append(time.perf_counter() - t)
    db.dispose()
    out.put((lat, refused))


_RAW_TAKE = (
    "INSERT INTO appointment_slot_counts AS c (service_id, day, start_min, booked_hall,"
    " booked_online) VALUES (1, ?, ?, 1, 0) ON CONFLICT (service_id, day, start_min)"
    " DO UPDATE SET booked_hall = c.booked_hall + 1 WHERE c.booked_hall < ? RETURNING booked_hall"
)
_RAW_COLUMNS = (
    "id, code, service_id, day, start_min, end_min, slot_at, state, channel, name, id_no,"
    " person_lookup, created_at, outcome_sent"
)
_RAW_INSERT = (
    f"INSERT INTO appointments ({_RAW_COLUMNS}) VALUES (?, ?, 1, ?, ?, ?, ?, 'booked', 'hall',"
    " 'x', 'x', ?, ?, false)"
)
_RAW_PG = (
    f"WITH taken AS ({_RAW_TAKE}) INSERT INTO appointments ({_RAW_COLUMNS}) SELECT ?, ?, 1, ?,"
    " ?, ?, ?, 'booked', 'hall', 'x', 'x', ?, ?, false FROM taken RETURNING code"
).replace("?", "%s")
RAW_PLACES = 1_000_000  # the baseline's slots never fill: every booking is a write


def _raw_booker(url: str, worker: int, n: int, out: mp.Queue, gate: Any) -> None:  # type: ignore[type-arg]
    """The same capacity-checked write in plain SQL on the driver, on the app's connection
    settings (store/lite.configure's pragmas and BEGIN IMMEDIATE; psycopg with the app's
    connect timeout, in autocommit, the counter and the insert in one statement)."""
    from desk_app.store import lite

    pg = url.startswith("postgresql")
    if pg:
        import psycopg

        u = make_url(url)
        conn: Any = psycopg.connect(
            host=u.host, port=u.port, user=u.username, password=u.password, dbname=u.database,
            connect_timeout=5, autocommit=True,
        )  # fmt: skip
    else:
        conn = sqlite3.connect(
            make_url(url).database, timeout=lite.SQLITE_BUSY_TIMEOUT_MS / 1000, isolation_level=None
        )
        lite.configure(conn, checkpointer=True)
        checkpoints = Checkpointer(make_url(url).database or "")  # as the app's processes
    lat = []
    gate.start()
    for i in range(n):
        gate.each()
        day, minute = date(2027, 1, 4), 540 + (i % 16) * 30
        at = datetime(2027, 1, 4, 1, 0) + timedelta(minutes=minute - 540)
        row = (uuid.uuid4(), uuid.uuid4().hex[:16].upper(), day, minute, minute + 30, at)
        row += (f"raw-{worker}-{i}", at)
        t = time.perf_counter()
        if pg:
            conn.execute(_RAW_PG, (day, minute, RAW_PLACES, *row)).fetchone()
        else:
            lite_row = (row[0].hex, row[1], day.isoformat(), minute, minute + 30, str(at))
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(_RAW_TAKE, (day.isoformat(), minute, RAW_PLACES)).fetchone()
            conn.execute(_RAW_INSERT, (*lite_row, row[6], str(at)))
            conn.execute("COMMIT")
        lat.append(time.perf_counter() - t)
    conn.close()
    if not pg:
        checkpoints.stop()
    out.put((lat, 0))


def _full_booker(url: str, worker: int, n: int, out: mp.Queue, gate: Any) -> None:  # type: ignore[type-arg]
    """``_booker`` on the full version only (the ORM unit of work before the hot path)."""
    quick.book = lambda *_a, **_k: quick.FALLBACK  # type: ignore[assignment]
    _booker(url, worker, n, out, gate)


class Gate:
    """When the bookers start: all together once every process is set up, and at once (a
    barrier before each booking, outside the timed part) or flat out."""

    def __init__(self, barrier: Any, at_once: bool) -> None:
        self.barrier, self.at_once = barrier, at_once

    def start(self) -> None:
        self.barrier.wait()

    def each(self) -> None:
        if self.at_once:
            self.barrier.wait()


def statements_per_booking(url: str, *, full: bool) -> tuple[int, int]:
    """Statements the database receives for one booking (BEGIN and COMMIT included), and on
    PostgreSQL the round trips (Syncs and simple Queries), read from the drivers: sqlite3's trace
    callback, libpq's protocol trace."""
    db = Database(url).acting_as(ADMIN)
    seen: list[str] = []
    traces: list[Any] = []

    if db.is_postgres:

        @event.listens_for(db.engine, "checkout")
        def _out(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
            traces.append(tempfile.TemporaryFile("w+"))  # noqa: SIM115 - closed below
            dbapi_conn.pgconn.trace(traces[-1].fileno())

        @event.listens_for(db.engine, "checkin")
        def _in(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.pgconn.untrace()  # flushes libpq's buffer
    else:

        @event.listens_for(db.engine, "connect")
        def _trace(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.set_trace_callback(seen.append)

    code, _name = appointment_views.services_for_booking(db)[-1]
    grid = appointment_views.booking_grid(db, code, now=NOW)
    day, slots = next((d, s) for d, s in reversed(grid.days) if s)
    real = quick.book
    if full:
        quick.book = lambda *_a, **_k: quick.FALLBACK  # type: ignore[assignment]
    try:
        for n, slot in enumerate(slots[-2:]):  # the second one is counted (a warm pool)
            seen.clear()
            for f in traces:
                f.close()
            traces.clear()
            who = resident_id(900_000 + n + (10 if full else 0))
            appointments.book(db, code, day, slot.to_json()["start"], "预约人", who, now=NOW)
    finally:
        quick.book = real  # type: ignore[assignment]
    db.dispose()
    if not db.is_postgres:
        return len(seen), 0
    lines = []
    for f in traces:
        f.seek(0)
        fields = [line.split("\t")[1:] for line in f]  # after the timestamp
        lines += [x[2].strip() for x in fields if len(x) > 2 and x[0] == "F"]
        f.close()
    statements = sum(1 for m in lines if m in ("Query", "Execute"))
    return statements, sum(1 for m in lines if m in ("Query", "Sync"))


def empty(db: Database) -> None:
    """No bookings: each run books the same people into the same slots."""
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM appointments"))
        conn.execute(text("DELETE FROM appointment_slot_counts"))


def load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def concurrent(target, url: str, n: int, at_once: bool) -> tuple[list[float], int]:  # type: ignore[no-untyped-def]
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    gate = Gate(ctx.Barrier(BOOKERS, timeout=300), at_once)  # a booker that died breaks it
    procs = [ctx.Process(target=target, args=(url, w, n, q, gate)) for w in range(BOOKERS)]
    for p in procs:
        p.start()
    results = [q.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    return [x for lat, _ in results for x in lat], sum(r for _, r in results)


def run(label: str, url: str, bookings: int) -> None:
    db = build(url)
    app_ms, raw_ms, slots = bench_listing(db)
    print(f"[{label}] slots of 5 working days, all 12 services ({slots} slots):  ({load()})")
    print(f"    app {app_ms:.1f} ms   raw reads {raw_ms:.1f} ms   ratio {app_ms / raw_ms:.1f}x")
    full_n, full_trips = statements_per_booking(url, full=True)
    fast_n, fast_trips = statements_per_booking(url, full=False)
    trips = f" (round trips {full_trips} and {fast_trips})" if full_trips else ""
    print(f"[{label}] statements per booking: full version {full_n}, hot path {fast_n}{trips}")
    per = max(1, bookings // BOOKERS)
    for at_once, how in ((True, "at once (rounds of 8)"), (False, "flat out")):
        empty(db)
        raw, _ = concurrent(_raw_booker, url, per, at_once)
        raw_load = load()
        empty(db)
        lat, refused = concurrent(_booker, url, per, at_once)
        app_load = load()
        empty(db)
        full, full_refused = concurrent(_full_booker, url, per, at_once)
        full_load = load()
        p99 = pct(raw, 99)
        print(
            f"[{label}] booking, {BOOKERS} concurrent processes {how}, {len(lat)} bookings each run:"
        )
        print(f"    raw  p50 {pct(raw, 50) * 1000:6.2f} ms  p99 {p99 * 1000:6.1f} ms  ({raw_load})")
        print(
            f"    app  p50 {pct(lat, 50) * 1000:6.2f} ms  p99 {pct(lat, 99) * 1000:6.1f} ms  "
            f"p99/raw {pct(lat, 99) / p99:4.1f}x  {refused} full  ({app_load})"
        )
        print(
            f"    full p50 {pct(full, 50) * 1000:6.2f} ms  p99 {pct(full, 99) * 1000:6.1f} ms  "
            f"p99/raw {pct(full, 99) / p99:4.1f}x  {full_refused} full  ({full_load})"
        )
        print(f"    target app p99 < 20 ms: {'met' if pct(lat, 99) < 0.020 else 'NOT met'}")
    db.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pg", default=os.environ.get("DESK_APP_TEST_PG"))
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--bookings", type=int, default=800)
    args = ap.parse_args()
    if not os.environ.get("DESK_APP_KEY"):  # a throw-away hall key for the sealed names and IDs
        import base64

        os.environ["DESK_APP_KEY"] = base64.urlsafe_b64encode(os.urandom(32)).decode()
    os.environ.setdefault("XDG_DATA_HOME", tempfile.mkdtemp(prefix="desk-bench-"))
    with tempfile.TemporaryDirectory() as tmp:
        run("sqlite", f"sqlite:///{tmp}/hall.db", args.bookings)
    if args.pg and not args.no_pg:
        admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
        name = f"desk_bench_appt_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
            run("postgresql", url, args.bookings)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
