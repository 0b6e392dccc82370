"""Statistics benchmark: the supervisor's figures over a large hall's history (prints figures).

    .venv/bin/python bench/stats_bench.py [--tickets 2000000] [--pg URL] [--no-pg] [--no-sqlite]

A 32-window hall (6,500 visitors a day) with ``--tickets`` of history (a year is about 2 M),
cases for a tenth of the tickets (200 k a year) with their events and materials, ratings of
most concluded cases, and one window sitting per window and day. Then, each the median of
``--repeat`` runs, through the application's services:

- ``stats summary`` over the whole history and over its last month, by service, by staff
  (which joins the call events) and by window (which adds the sittings' idle time);
- ``stats reform`` and ``stats evaluations`` over the whole history;
- the live hall and the alerts (the supervisor's one-second refresh), with today's tickets;

and, as the baseline measured in the same run, raw SQL reading the same rows: a COUNT over the
period and a fetch of the period's ticket columns (what any computation must at least read).
Ratios are application / raw fetch. Loading is set-up and is not measured.
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
from desk_app.services.evaluation import stats as evaluation_stats  # noqa: E402
from desk_app.services.hall import setup as hall  # noqa: E402
from desk_app.services.queue import operations as queue  # noqa: E402
from desk_app.services.supervision import (
    alerts,  # noqa: E402
    live_hall,  # noqa: E402
    reform,  # noqa: E402
    statistics,  # noqa: E402
)
from desk_app.store import Database  # noqa: E402
from desk_app.store.case_models import Case, CaseEvent, CaseMaterial, Evaluation  # noqa: E402
from desk_app.store.models import Service, Staff, Window, WindowSession  # noqa: E402
from desk_app.store.schema import upgrade  # noqa: E402

WINDOWS = 32
VISITORS_PER_DAY = 6500
CASE_SHARE = 0.1  # 200 k cases in a year of 2 M tickets
ADMIN = Actor(staff_id=None, code="bench", role=Role.ADMIN)
SUPERVISOR = Actor(staff_id=None, code="bench-sup", role=Role.SUPERVISOR)
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=clock.HALL_TZ).astimezone(UTC)


def _cases(
    rng: random.Random, day: date, served: list[tuple], bundles: list[str]
) -> tuple[list, ...]:
    """Cases of some served tickets, as the counters leave them (set-up only)."""
    cases, events, materials, ratings = [], [], [], []
    for n, (tid, wid, staff, started, done) in enumerate(served):
        cid = uuid.UUID(int=rng.getrandbits(128), version=4)
        concluded = done + timedelta(days=rng.choice((0, 1, 2, 3, 6)))
        cases.append(
            {
                "id": cid, "case_no": f"YJS-{day:%Y%m%d}-{n + 1:05d}", "bundle_code": rng.choice(bundles),
                "bundle_name": "-", "catalog_version": "bench", "state": "concluded",
                "applicant_kind": "person", "applicant_name": "x", "applicant_id_no": "x",
                "bad_credit": False, "answers": "{}", "ticket_id": tid, "window_id": wid,
                "staff_id": staff, "opened_at": started, "concluded_at": concluded,
            }
        )  # fmt: skip
        for action, at in (("open", started), ("accept", done), ("conclude", concluded)):
            events.append(
                {"case_id": cid, "action": action, "from_state": None, "to_state": "x",
                 "window_id": wid, "staff_id": staff, "at": at}
            )  # fmt: skip
        for k in range(4):
            materials.append(
                {"case_id": cid, "material_code": f"m{k}", "name": "m", "required": True,
                 "key": False, "status": ("original", "copy", "verified", "obtained")[k]}
            )  # fmt: skip
        if rng.random() < 0.6:
            level = rng.choices((5, 4, 3, 2, 1), (68, 18, 7, 4, 3))[0]
            ratings.append(
                {"case_id": cid, "level": level, "dimensions": "{}", "channel": "window",
                 "window_id": wid, "staff_id": staff, "at": concluded, "negative": level <= 2,
                 "follow_up_due": (concluded + timedelta(days=21)).date() if level <= 2 else None}
            )  # fmt: skip
    return cases, events, materials, ratings


def build(url: str, tickets: int) -> tuple[date, date]:
    db = Database(url).acting_as(ADMIN)
    upgrade(db)
    ensure_hall_key(db)
    demo.seed_demo(db, days=0, windows=WINDOWS, seed=1, now=NOW)
    with db.read() as s:
        services = [
            demo.DemoService(r.id, r.prefix, m, sh)
            for r in s.scalars(select(Service))
            for c, _n, _p, m, sh in demo.DEMO_SERVICES
            if c == r.code
        ]
        win_services = {
            w.id: [ws.service_id for ws in w.services] for w in s.scalars(select(Window))
        }
        staff = dict(s.execute(select(Staff.code, Staff.id)).all())
        numbers = dict(s.execute(select(Window.id, Window.number)).all())
    window_staff = {wid: staff[f"s{num:02d}"] for wid, num in numbers.items()}
    bundles = [c for c, *_ in demo.DEMO_SERVICES]
    rng = random.Random(7)
    dialect, conn = raw_connect(url)
    day = clock.hall_day(NOW)  # today first: the live view's tickets
    first = day
    loaded = 0
    t0 = time.perf_counter()
    while loaded < tickets:
        t_rows, e_rows, counters = demo.simulate_day(
            rng, day, services, win_services, window_staff, visitors=VISITORS_PER_DAY
        )
        if t_rows:
            t_rows = t_rows[: tickets - loaded]
            keep = {r["id"] for r in t_rows}
            # What the statistics read: calls (who), starts and completions (serving time).
            e_rows = [
                e
                for e in e_rows
                if e["ticket_id"] in keep and e["action"] in ("call", "start", "complete")
            ]
            bulk_load(dialect, conn, day, t_rows, e_rows, counters)
            served = [
                (r["id"], r["window_id"], window_staff[r["window_id"]], r["started_at"],
                 r["completed_at"])
                for r in t_rows
                if r["completed_at"] is not None and rng.random() < CASE_SHARE
            ]  # fmt: skip
            parts = _cases(rng, day, served, bundles)
            sittings = [
                {"window_id": wid, "staff_id": sid, "opened_at": clock.day_start(day)
                 + timedelta(hours=8, minutes=25), "closed_at": clock.day_start(day)
                 + timedelta(hours=17, minutes=45)}
                for wid, sid in window_staff.items()
            ]  # fmt: skip
            with db.begin() as s:
                for model, rows in zip(
                    (Case, CaseEvent, CaseMaterial, Evaluation), parts, strict=True
                ):
                    if rows:
                        s.execute(insert(model), rows)
                if day != clock.hall_day(NOW):
                    s.execute(insert(WindowSession), sittings)
            loaded += len(t_rows)
            first = day
            if loaded % 200_000 < len(t_rows):
                print(
                    f"  history {loaded:,} tickets ({time.perf_counter() - t0:.0f} s)", flush=True
                )
        day -= timedelta(days=1)
    conn.close()
    for w in range(1, WINDOWS + 1):  # today: everyone logged in, a queue waiting
        hall.open_window(db, w, f"s{w:02d}", now=NOW - timedelta(hours=1))
    for i in range(120):
        queue.issue_ticket(db, bundles[i % len(bundles)], now=NOW - timedelta(minutes=40 - i // 4))
    with db.engine.begin() as c:
        c.exec_driver_sql("ANALYZE")
    db.dispose()
    return first, clock.hall_day(NOW)


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return pystats.median(times)


def run_backend(name: str, url: str, tickets: int, repeat: int) -> None:
    print(f"\n== {name}: loading {tickets:,} tickets of history", flush=True)
    t0 = time.perf_counter()
    first, last = build(url, tickets)
    print(f"  loaded in {time.perf_counter() - t0:.0f} s: {first} .. {last}")
    db = Database(url).acting_as(SUPERVISOR)
    month = last - timedelta(days=29)
    with db.read() as s:
        cases = s.execute(text("SELECT count(*) FROM cases")).scalar()
    print(f"  {cases:,} cases")
    eng = create_engine(url)

    def raw_count(a: date, b: date) -> Callable[[], object]:
        def go() -> object:
            with eng.connect() as c:
                return c.execute(
                    text("SELECT count(*) FROM tickets WHERE day BETWEEN :a AND :b"),
                    {"a": a, "b": b},
                ).scalar()

        return go

    def raw_fetch(a: date, b: date) -> Callable[[], object]:
        def go() -> object:
            with eng.connect() as c:
                return c.execute(
                    text(
                        "SELECT id, service_id, window_id, priority, state, issued_at, "
                        "first_called_at, started_at, completed_at FROM tickets "
                        "WHERE day BETWEEN :a AND :b"
                    ),
                    {"a": a, "b": b},
                ).all()

        return go

    rows: list[tuple[str, float, float | None]] = []
    for label, a in (("whole history", first), ("last 30 days", month)):
        base_count = median_ms(raw_count(a, last), repeat)
        base = median_ms(raw_fetch(a, last), repeat)
        rows.append((f"raw COUNT, {label}", base_count, None))
        rows.append((f"raw fetch of ticket columns, {label}", base, None))
        for by in ("service", "staff", "window"):
            ms = median_ms(
                lambda a=a, by=by: statistics.summary(db, a, last, by=by, now=NOW), repeat
            )
            rows.append((f"stats summary --by {by}, {label}", ms, ms / base))
    for label, fn in (
        ("stats reform (all cases)", lambda: reform.reform(db)),
        (
            "stats evaluations, whole history",
            lambda: evaluation_stats.evaluations(db, first, last, now=NOW),
        ),
        ("live hall (one refresh)", lambda: live_hall.live_hall(db, now=NOW)),
        ("alerts list", lambda: alerts.list_alerts(db, now=NOW)),
        ("supervisor screen refresh (live hall + alerts)", lambda: alerts.watch(db, now=NOW)),
    ):
        rows.append((label, median_ms(fn, repeat), None))
    print(f"  median of {repeat} runs (ms)                                  ms   x raw fetch")
    for label, ms, ratio in rows:
        r = "" if ratio is None else f"{ratio:8.1f}"
        print(f"    {label:<52} {ms:9.1f} {r}")
    scale = 2_000_000 / tickets
    if scale > 1.01:
        print(f"  linear extrapolation to 2,000,000 tickets (x{scale:.1f}), whole history:")
        for label, ms, _ in rows:
            if "whole history" in label or "reform" in label:
                print(f"    {label:<52} {ms * scale:9.0f} (estimate)")
    db.dispose()
    eng.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--tickets", type=int, default=2_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--pg", default=os.environ.get("DESK_APP_TEST_PG"))
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--no-sqlite", action="store_true")
    args = ap.parse_args()
    print(f"stats benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("DESK_APP_KEY_FILE", f"{tmp}/hall.key")
        if not args.no_sqlite:
            run_backend("SQLite", f"sqlite:///{tmp}/bench.db", args.tickets, args.repeat)
        if args.pg and not args.no_pg:
            from sqlalchemy.engine import make_url

            admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
            name = "desk_stats_bench"
            with admin.connect() as c:
                c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                c.execute(text(f"CREATE DATABASE {name}"))
            url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
            try:
                run_backend("PostgreSQL", url, args.tickets, args.repeat)
            finally:
                with admin.connect() as c:
                    c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


if __name__ == "__main__":
    main()
