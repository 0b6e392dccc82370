"""Rollup benchmark: ``stats summary`` over 1 and 3 years at 20 k and 2 M tickets a year, on
SQLite and PostgreSQL, beside the raw-SQL baseline measured in the same run (prints figures).

    .venv/bin/python bench/rollup_bench.py [--years 3] [--sizes 20000,2000000] [--repeat 5]
                                           [--pg URL] [--no-pg] [--no-sqlite]
                                           [--keep DIR] [--rebuild]

A 32-window demo hall; ``--years`` of history ending today (2026-11-26 10:00), every day
``size / 365`` tickets: issued 08:30-17:30, 88 % called (wait exponential, mean 10 min, some
over an hour) by the window's member of staff (one call event each), of those 8 % no-shows and
the rest served (service exponential, mean 8 min), 12 % never called; one sitting per window
and day. Loaded straight into the tables (executemany / COPY), then the rollup built by
``stats rebuild`` (timed: the one-off cost). Measured, each the median of ``--repeat`` runs
through the application's service (catch-up check, rollup rows, today from the tickets):
``stats summary`` by service, window, staff and day over the last year and the last 3 years,
and the hourly chart, and by service over today alone (the part that grows with the day's
tickets rather than with the history); baseline: a raw COUNT of the period's tickets and, for one year, a raw
fetch of the ticket columns the figures need (what the summary read before the rollup).
The machine's load average is printed beside each figure.

``--keep DIR`` keeps the loaded halls (SQLite files in DIR, PostgreSQL databases not dropped) and
reuses them on the next run, upgraded to the current schema; ``--rebuild`` then builds the
rollup again (after a change to what it stores) instead of reusing it.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics as pystats
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402

from bench.queue_bench import bulk_load, raw_connect  # noqa: E402
from desk_app.domain import clock  # noqa: E402
from desk_app.security.roles import Actor, Role  # noqa: E402
from desk_app.services.common.protection import ensure_hall_key  # noqa: E402
from desk_app.services.demo import seed as demo  # noqa: E402
from desk_app.services.supervision import rollup, statistics  # noqa: E402
from desk_app.store import Database  # noqa: E402
from desk_app.store.models import Service, Staff, Window, WindowSession  # noqa: E402
from desk_app.store.schema import upgrade  # noqa: E402

WINDOWS = 32
ADMIN = Actor(staff_id=None, code="bench", role=Role.ADMIN)
SUPERVISOR = Actor(staff_id=None, code="bench-sup", role=Role.SUPERVISOR)
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=clock.HALL_TZ).astimezone(UTC)


def load() -> str:
    a, b, c = os.getloadavg()
    return f"load {a:.1f} {b:.1f} {c:.1f}"


def day_rows(rng: random.Random, day: date, n: int, services, windows, staff_of):  # type: ignore[no-untyped-def]
    start = clock.day_start(day)
    t_rows, e_rows, counters = [], [], {}
    for _ in range(n):
        sid = rng.choice(services)
        seq = counters[sid] = counters.get(sid, 0) + 1
        issued = start + timedelta(seconds=rng.uniform(8.5 * 3600, 17.5 * 3600))
        if issued > NOW:
            continue  # today: the tickets so far
        row: dict = {
            "id": uuid.UUID(int=rng.getrandbits(128), version=4), "service_id": sid,
            "issued_service_id": sid, "day": day, "seq": seq, "number": f"A{seq:04d}",
            "priority": None, "is_priority": False, "state": "expired", "issued_at": issued,
            "arrival_at": issued, "first_called_at": None, "last_called_at": None,
            "started_at": None, "completed_at": None, "service_seconds": None,
            "window_id": None, "target_window_id": None, "recall_count": 0,
        }  # fmt: skip
        if rng.random() < 0.88:
            wid = rng.choice(windows)
            called = issued + timedelta(seconds=int(rng.expovariate(1 / 600)))
            row.update(first_called_at=called, last_called_at=called, window_id=wid)
            e_rows.append(
                {"ticket_id": row["id"], "action": "call", "from_state": "waiting",
                 "to_state": "called", "window_id": wid, "staff_id": staff_of[wid], "at": called}
            )  # fmt: skip
            if called > NOW:
                row.update(state="called", first_called_at=None, last_called_at=None)
                row["window_id"] = None
                e_rows.pop()
            elif rng.random() < 0.08:
                row["state"] = "no_show"
            else:
                began = called + timedelta(seconds=20)
                secs = int(rng.expovariate(1 / 480))
                row.update(state="completed", started_at=began, service_seconds=secs,
                           completed_at=began + timedelta(seconds=secs))  # fmt: skip
                if row["completed_at"] > NOW:  # today: still being served
                    row.update(state="serving", completed_at=None, service_seconds=None)
        t_rows.append(row)
    return t_rows, e_rows, counters


def build(url: str, per_year: int, years: int) -> tuple[int, float]:
    db = Database(url).acting_as(ADMIN)
    upgrade(db)
    ensure_hall_key(db)
    demo.seed_demo(db, days=0, windows=WINDOWS, seed=1, now=NOW, calendar=False)
    with db.read() as s:
        services = list(s.scalars(select(Service.id)))
        staff = dict(s.execute(select(Staff.code, Staff.id)).all())
        numbers = dict(s.execute(select(Window.id, Window.number)).all())
    staff_of = {wid: staff[f"s{num:02d}"] for wid, num in numbers.items()}
    rng = random.Random(7)
    dialect, conn, raw_db = raw_connect(url)
    # Set-up: nothing is rolled up yet, so the dirty-day trigger has nothing to mark; off while
    # loading (it is per row), on again before the rollup is built.
    trigger = "stats_dirty_on_event"
    if dialect == "postgresql":
        conn.cursor().execute(f"ALTER TABLE ticket_events DISABLE TRIGGER {trigger}")
        conn.commit()
    else:
        ddl = conn.execute(f"SELECT sql FROM sqlite_master WHERE name = '{trigger}'").fetchone()[0]
        conn.execute(f"DROP TRIGGER {trigger}")
    today = clock.hall_day(NOW)
    day = today - timedelta(days=365 * years)
    per_day = max(1, round(per_year / 365))
    total = 0
    t0 = time.perf_counter()
    while day <= today:
        t_rows, e_rows, counters = day_rows(rng, day, per_day, services, list(staff_of), staff_of)
        bulk_load(dialect, conn, day, t_rows, e_rows, counters)
        total += len(t_rows)
        if day != today:
            opened = clock.day_start(day) + timedelta(hours=8, minutes=25)
            with db.begin() as s:
                s.execute(
                    insert(WindowSession),
                    [{"window_id": w, "staff_id": st, "opened_at": opened,
                      "closed_at": opened + timedelta(hours=9, minutes=20)}
                     for w, st in staff_of.items()],
                )  # fmt: skip
        day += timedelta(days=1)
    if dialect == "postgresql":
        conn.cursor().execute(f"ALTER TABLE ticket_events ENABLE TRIGGER {trigger}")
        conn.commit()
    else:
        conn.execute(ddl)
    conn.close()
    raw_db.dispose()
    with db.engine.begin() as c:
        c.exec_driver_sql("ANALYZE")
    print(f"  loaded {total:,} tickets in {time.perf_counter() - t0:.0f} s ({load()})", flush=True)
    t0 = time.perf_counter()
    result = rollup.rebuild(db, now=NOW)
    built = time.perf_counter() - t0
    with db.read() as s:
        stored = s.execute(text("SELECT count(*) FROM stats_rollup")).scalar()
    print(
        f"  stats rebuild: {result['days']} days, {result['rows']:,} rows written "
        f"({stored:,} stored) in {built:.0f} s ({load()})",
        flush=True,
    )
    db.dispose()
    return total, built


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return pystats.median(times)


def measure(url: str, years: int, repeat: int) -> dict[str, float]:
    db = Database(url).acting_as(SUPERVISOR)
    eng = create_engine(url)
    today = clock.hall_day(NOW)
    out: dict[str, float] = {}

    def raw(sql: str, a: date, b: date) -> Callable[[], object]:
        def go() -> object:
            with eng.connect() as c:
                return c.execute(text(sql), {"a": a, "b": b}).all()

        return go

    count = "SELECT count(*) FROM tickets WHERE day BETWEEN :a AND :b"
    fetch = (
        "SELECT id, service_id, window_id, priority, state, issued_at, first_called_at, "
        "started_at, completed_at, appointment_id, slot_at, day FROM tickets "
        "WHERE day BETWEEN :a AND :b"
    )
    # Today alone: counted from its tickets (size / 365 of them so far at 10:00, not history).
    out["stats summary --by service, today only"] = median_ms(
        lambda: statistics.summary(db, today, today, by="service", now=NOW), repeat
    )
    for label, span in (("1 year", 365), (f"{years} years", 365 * years)):
        a = today - timedelta(days=span - 1)
        out[f"raw COUNT, {label}"] = median_ms(raw(count, a, today), repeat)
        if span == 365:
            out[f"raw fetch of ticket columns, {label}"] = median_ms(raw(fetch, a, today), 1)
        for by in ("service", "window", "staff", "day"):
            out[f"stats summary --by {by}, {label}"] = median_ms(
                lambda a=a, by=by: statistics.summary(db, a, today, by=by, now=NOW), repeat
            )
        out[f"hourly chart, {label}"] = median_ms(
            lambda a=a: statistics.hourly(db, a, today, now=NOW), repeat
        )
    db.dispose()
    eng.dispose()
    return out


def rebuild(url: str) -> None:
    db = Database(url).acting_as(ADMIN)
    upgrade(db)
    with db.read() as s:
        first = s.execute(text("SELECT min(day) FROM tickets")).scalar()
    first = date.fromisoformat(first) if isinstance(first, str) else first
    t0 = time.perf_counter()
    result = rollup.rebuild(db, first, clock.hall_day(NOW), now=NOW)  # every day again
    print(
        f"  stats rebuild: {result['days']} days, {result['rows']:,} rows written in "
        f"{time.perf_counter() - t0:.0f} s ({load()})",
        flush=True,
    )
    db.dispose()


def run_backend(name: str, make_url: Callable[[str], tuple[str, bool]], sizes: list[int],
                years: int, repeat: int, again: bool) -> None:  # fmt: skip
    results: dict[int, dict[str, float]] = {}
    for size in sizes:
        url, kept = make_url(f"r{size}y{years}")
        print(f"\n== {name}: {size:,} tickets a year, {years} years", flush=True)
        if not kept:
            build(url, size, years)
        elif again:
            rebuild(url)
        else:
            db = Database(url).acting_as(ADMIN)
            upgrade(db)
            t0 = time.perf_counter()
            days, rows = rollup.catch_up(db, now=NOW)  # what a newer rollup adds (quarters, ...)
            db.dispose()
            print(
                f"  reusing the hall loaded before; catch-up: {days} days, {rows:,} rows in "
                f"{time.perf_counter() - t0:.1f} s",
                flush=True,
            )
        results[size] = measure(url, years, repeat)
        print(f"  median of {repeat} runs ({load()}):")
        for label, ms in results[size].items():
            print(f"    {label:<44} {ms:9.1f} ms")
    if len(sizes) == 2:
        small, big = sizes
        print(f"  {name}: {big:,} vs {small:,} a year (x = time at {big:,} / time at {small:,})")
        for label in results[big]:
            ratio = results[big][label] / max(results[small][label], 1e-9)
            print(f"    {label:<44} {results[big][label]:9.1f} ms  x{ratio:5.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--years", type=int, default=3)
    ap.add_argument("--sizes", default="20000,2000000")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--pg", default=os.environ.get("DESK_APP_TEST_PG"))
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--no-sqlite", action="store_true")
    ap.add_argument("--keep", metavar="DIR", help="keep the loaded halls here and reuse them")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the rollup of kept halls")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    print(f"rollup benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {load()}")
    with tempfile.TemporaryDirectory() as scratch:
        tmp = args.keep or scratch
        os.makedirs(tmp, exist_ok=True)
        os.environ.setdefault("DESK_APP_KEY_FILE", f"{tmp}/hall.key")

        def lite(n: str) -> tuple[str, bool]:
            path = Path(tmp) / f"{n}.db"
            return f"sqlite:///{path}", bool(args.keep) and path.exists()

        if not args.no_sqlite:
            run_backend("SQLite", lite, sizes, args.years, args.repeat, args.rebuild)
        if args.pg and not args.no_pg:
            from sqlalchemy.engine import make_url

            admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
            made: list[str] = []

            def pg(n: str) -> tuple[str, bool]:
                name = f"desk_rollup_bench_{n}"
                url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
                with admin.connect() as c:
                    if args.keep:
                        found = c.execute(
                            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
                        ).first()
                        if found:
                            return url, True
                    c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    c.execute(text(f"CREATE DATABASE {name}"))
                made.append(name)
                return url, False

            try:
                run_backend("PostgreSQL", pg, sizes, args.years, args.repeat, args.rebuild)
            finally:
                with admin.connect() as c:
                    for name in made if not args.keep else ():
                        c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


if __name__ == "__main__":
    main()
