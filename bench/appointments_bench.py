"""Appointment benchmark (not a test; prints figures), for the issue's two targets:

    .venv/bin/python bench/appointments_bench.py [--pg URL] [--no-pg] [--bookings 400]

For SQLite and PostgreSQL, on a 32-window demo hall with its opening calendar:
- listing 5 working days of slots for every service (``appointment_views.booking_grid`` per
  service: the booking dialog's read), against a raw-SQL baseline reading the same slot
  counters in the same run; target < 50 ms for all services;
- booking latency with 8 concurrent bookers, each a separate process booking distinct people
  into the hall's slots through ``appointments.book``; p50/p99 against a raw baseline (the
  same counter upsert and insert in plain SQL) in the same run; target p99 < 20 ms.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from desk_app.domain.clock import HALL_TZ  # noqa: E402
from desk_app.security.roles import Actor, Role  # noqa: E402
from desk_app.services.appointments import booking as appointments  # noqa: E402
from desk_app.services.appointments import views as appointment_views  # noqa: E402
from desk_app.services.demo import seed as demo  # noqa: E402
from desk_app.store import Database  # noqa: E402
from desk_app.store.schema import upgrade  # noqa: E402

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


def _booker(url: str, worker: int, n: int, out: mp.Queue) -> None:  # type: ignore[type-arg]
    os.environ["DESK_APP_NOW"] = NOW.isoformat()
    db = Database(url).acting_as(ADMIN)
    services = [c for c, _ in appointment_views.services_for_booking(db)]
    grids = {c: appointment_views.booking_grid(db, c, now=NOW) for c in services}
    lat, refused = [], 0
    for i in range(n):
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


def _raw_booker(url: str, worker: int, n: int, out: mp.Queue) -> None:  # type: ignore[type-arg]
    engine = create_engine(url)
    pg = url.startswith("postgresql")
    lat = []
    for i in range(n):
        t = time.perf_counter()
        with engine.begin() as conn:
            if not pg:
                conn.exec_driver_sql("SELECT 1")  # the app takes SQLite's write lock up front
            conn.execute(
                text(
                    "INSERT INTO appointment_slot_counts (service_id, day, start_min, booked_hall,"
                    " booked_online) VALUES (1, :d, :m, 1, 0) ON CONFLICT (service_id, day,"
                    " start_min) DO UPDATE SET booked_hall = appointment_slot_counts.booked_hall"
                    " + 1 RETURNING booked_hall"
                ),
                {"d": date(2027, 1, 4), "m": 540 + (i % 16) * 30},
            ).scalar()
            conn.execute(
                text(
                    "INSERT INTO appointments (id, code, service_id, day, start_min, end_min,"
                    " slot_at, state, channel, name, id_no, person_lookup, created_at,"
                    " outcome_sent) VALUES (:id, :code, 1, :d, 540, 570, :at, 'cancelled',"
                    " 'hall', 'x', 'x', :p, :at, false)"
                ),
                {
                    "id": uuid.uuid4() if pg else uuid.uuid4().hex,
                    "code": uuid.uuid4().hex[:16].upper(),
                    "d": date(2027, 1, 4),
                    "at": datetime(2027, 1, 4, 1, 0),
                    "p": f"raw-{worker}-{i}",
                },
            )
        lat.append(time.perf_counter() - t)
    engine.dispose()
    out.put((lat, 0))


def concurrent(target, url: str, n: int) -> tuple[list[float], int]:  # type: ignore[no-untyped-def]
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    procs = [ctx.Process(target=target, args=(url, w, n, q)) for w in range(BOOKERS)]
    for p in procs:
        p.start()
    results = [q.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    return [x for lat, _ in results for x in lat], sum(r for _, r in results)


def run(label: str, url: str, bookings: int) -> None:
    db = build(url)
    app_ms, raw_ms, slots = bench_listing(db)
    print(f"[{label}] slots of 5 working days, all 12 services ({slots} slots):")
    print(f"    app {app_ms:.1f} ms   raw reads {raw_ms:.1f} ms   ratio {app_ms / raw_ms:.1f}x")
    per = max(1, bookings // BOOKERS)
    lat, refused = concurrent(_booker, url, per)
    raw, _ = concurrent(_raw_booker, url, per)
    print(
        f"[{label}] booking, {BOOKERS} concurrent processes, {len(lat)} bookings ({refused} full):"
    )
    print(
        f"    app p50 {pct(lat, 50) * 1000:.1f} ms  p99 {pct(lat, 99) * 1000:.1f} ms   "
        f"raw p50 {pct(raw, 50) * 1000:.1f} ms  p99 {pct(raw, 99) * 1000:.1f} ms   "
        f"p99 ratio {pct(lat, 99) / pct(raw, 99):.1f}x"
    )
    db.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pg", default=os.environ.get("DESK_APP_TEST_PG"))
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--bookings", type=int, default=400)
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
