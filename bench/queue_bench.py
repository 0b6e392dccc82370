"""Queue benchmark at a year of a large hall's history (not a test; prints figures).

    .venv/bin/python bench/queue_bench.py [--history 2000000] [--pg URL] [--no-pg] [--seconds 4]
        [--windows 1,4,8,16,32] [--repeat 1]

For SQLite and PostgreSQL, with ``--history`` tickets already in the database:
- issue and call-next latency (p50/p99) through the application's services, one process;
- call-next throughput with 1, 4, 8, 16 and 32 concurrent windows (``--windows``), each a
  separate process;
- the same work in raw SQL in the same run (baseline): the single-row claim
  ``UPDATE ... WHERE id = (SELECT ... LIMIT 1 [FOR UPDATE SKIP LOCKED]) RETURNING``, and a raw
  counter upsert + insert for issuing. Ratios are application / raw. That claim sorts the
  window's part of the waiting queue; the application's claims read the walk-ins and the
  priority tickets from indexes in calling order (migration 0022), so each throughput phase is
  also run against a raw claim that reads those indexes the same way ("raw in order",
  ``raw_claim_in_order``) and says app / that too.
Each throughput loop is "call next, then no-show" (the window must be free to call again); the
raw loop does the same two transactions. Every ticket called is recorded: the run reports any
called twice and any lost (taken from the queue but called at no window); there must be none.
Each phase gives the p50/p99 of a single call (the app's call next, the raw claim) and the
machine's load. A phase calls a live queue of 3,000 tickets until it is empty or ``--seconds``
have passed (at 8 windows and more the queue empties first); ``--repeat N`` runs the phases of
each window count N times in turn and prints the median ratios: on a shared machine a phase of
a few seconds can be unlucky. The application's processes start the WAL checkpointer as the
screens do (``store/wal.py``); the raw side runs on the application's own connection settings
(``raw_connect``), with the same checkpointer.
"""

from __future__ import annotations

import argparse
import base64
import multiprocessing as mp
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402

from desk_app.domain import clock  # noqa: E402
from desk_app.security.roles import SYSTEM_ACTOR  # noqa: E402
from desk_app.services.demo import seed as demo  # noqa: E402
from desk_app.services.hall import setup as hall  # noqa: E402
from desk_app.services.queue import operations as queue  # noqa: E402
from desk_app.store import Database  # noqa: E402
from desk_app.store.models import Service, Staff, Ticket, Window  # noqa: E402
from desk_app.store.schema import upgrade  # noqa: E402

WINDOWS = 32
VISITORS_PER_DAY = 6500  # a large centre: 5,000-10,000 a day
LIVE_QUEUE = 3000  # waiting tickets during the throughput phases


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


# -- set-up ------------------------------------------------------------------------------------


def build_hall(url: str, history: int) -> None:
    db = Database(url).acting_as(SYSTEM_ACTOR)
    upgrade(db)
    demo.seed_demo(db, days=0, windows=WINDOWS, seed=1, calendar=False)  # issues at any hour
    for w in range(1, WINDOWS + 1):
        hall.open_window(db, w, f"s{w:02d}")
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
        win_numbers = dict(s.execute(select(Window.id, Window.number)).all())
    window_staff = {wid: staff[f"s{num:02d}"] for wid, num in win_numbers.items()}
    rng = random.Random(42)
    day = clock.hall_day(clock.now()) - timedelta(days=1)
    loaded = 0
    t0 = time.perf_counter()
    dialect, conn, raw_db = raw_connect(url)
    while loaded < history:
        t_rows, e_rows, counters = demo.simulate_day(
            rng, day, services, win_services, window_staff, visitors=VISITORS_PER_DAY
        )
        if t_rows:
            t_rows = t_rows[: history - loaded]
            keep = {r["id"] for r in t_rows}
            e_rows = [e for e in e_rows if e["ticket_id"] in keep and e["action"] == "complete"]
            bulk_load(dialect, conn, day, t_rows, e_rows, counters)
            loaded += len(t_rows)
            if loaded % 250_000 < len(t_rows):
                print(
                    f"  history {loaded:,} tickets ({time.perf_counter() - t0:.0f} s)", flush=True
                )
        day -= timedelta(days=1)
    conn.close()
    raw_db.dispose()
    if db.is_postgres:
        # A hall's history is not freshly copied in: its first VACUUM (hint bits, visibility
        # map) is done, not running beside the measured phases as autovacuum would start it.
        engine = db.engine.execution_options(isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE)")
    else:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    db.dispose()


TICKET_COLS = [
    "id", "service_id", "issued_service_id", "day", "seq", "number", "priority", "is_priority",
    "state", "issued_at", "arrival_at", "first_called_at", "last_called_at", "started_at",
    "completed_at", "service_seconds", "window_id", "target_window_id", "recall_count",
]  # fmt: skip
EVENT_COLS = ["ticket_id", "action", "from_state", "to_state", "window_id", "staff_id", "at"]


def _raw_value(dialect: str, v):  # type: ignore[no-untyped-def]
    """What SQLAlchemy would store: naive UTC text/timestamps, hex UUIDs on SQLite."""
    if isinstance(v, datetime):
        v = v.astimezone(UTC).replace(tzinfo=None)
        return v.isoformat(" ") if dialect == "sqlite" else v
    if isinstance(v, uuid.UUID):
        return v.hex if dialect == "sqlite" else v
    if dialect == "sqlite" and hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def bulk_load(dialect: str, conn, day, t_rows, e_rows, counters) -> None:  # type: ignore[no-untyped-def]
    """Set-up only: history goes in through the driver (COPY on PostgreSQL)."""
    tickets = [tuple(_raw_value(dialect, r[c]) for c in TICKET_COLS) for r in t_rows]
    events = [tuple(_raw_value(dialect, e[c]) for c in EVENT_COLS) for e in e_rows]
    cur = conn.cursor()
    if dialect == "sqlite":
        cur.execute("BEGIN IMMEDIATE")
        cur.executemany(
            f"INSERT INTO tickets ({','.join(TICKET_COLS)}) VALUES "
            f"({','.join('?' * len(TICKET_COLS))})",
            tickets,
        )
        cur.executemany(
            f"INSERT INTO ticket_events ({','.join(EVENT_COLS)}) VALUES "
            f"({','.join('?' * len(EVENT_COLS))})",
            events,
        )
        cur.executemany(
            "INSERT INTO ticket_counters VALUES (?, ?, ?)",
            [(sid, day.isoformat(), n) for sid, n in counters.items()],
        )
        cur.execute("COMMIT")
    else:
        with cur.copy(f"COPY tickets ({','.join(TICKET_COLS)}) FROM STDIN") as cp:
            for row in tickets:
                cp.write_row(row)
        with cur.copy(f"COPY ticket_events ({','.join(EVENT_COLS)}) FROM STDIN") as cp:
            for row in events:
                cp.write_row(row)
        cur.executemany(
            "INSERT INTO ticket_counters VALUES (%s, %s, %s)",
            [(sid, day, n) for sid, n in counters.items()],
        )
        conn.commit()


def add_waiting(url: str, n: int):  # type: ignore[no-untyped-def]
    """Bulk-add waiting tickets today (set-up for throughput, not measured)."""
    db = Database(url).acting_as(SYSTEM_ACTOR)
    now = clock.now()
    with db.read() as s:
        sids = list(s.scalars(select(Service.id)))
        last = s.scalar(select(func.max(Ticket.day)))
    # A day of its own, after every day in the table: fresh numbering (a random day far ahead
    # once met an earlier phase's, and the insert failed on the numbering's unique key).
    today = max(clock.hall_day(now), last or clock.hall_day(now)) + timedelta(days=1000)
    rows = [
        {
            "id": uuid.uuid4(), "service_id": sids[i % len(sids)],
            "issued_service_id": sids[i % len(sids)], "day": today, "seq": i + 1,
            "number": f"Z{i + 1:05d}", "priority": None, "is_priority": i % 9 == 0,
            "state": "waiting", "issued_at": now, "arrival_at": now + timedelta(microseconds=i),
            "recall_count": 0,
        }
        for i in range(n)
    ]  # fmt: skip
    with db.begin() as s:
        s.execute(insert(Ticket), rows)
    db.dispose()
    return today


def taken(url: str, day) -> int:  # type: ignore[no-untyped-def]
    """Tickets of the phase's queue (``day``) taken: more than the windows got are lost."""
    db = Database(url).acting_as(SYSTEM_ACTOR)
    with db.read() as s:
        n = s.scalar(select(func.count()).where(Ticket.day == day, Ticket.state != "waiting"))
    db.dispose()
    return int(n or 0)


def drain(url: str) -> None:
    """Expire what a phase left waiting (set-up, not measured)."""
    db = Database(url).acting_as(SYSTEM_ACTOR)
    with db.begin() as s:
        s.execute(
            text("UPDATE tickets SET state='expired' WHERE state = 'waiting' OR state = 'called'")
        )
    db.dispose()


# -- raw SQL baseline -----------------------------------------------------------------------


def raw_connect(url: str, *, checkpointer: bool = False):  # type: ignore[no-untyped-def]
    """(dialect, driver connection, its Database) on the application's own connection settings:
    a connection of ``Database``'s pool, so SQLite's pragmas are the application's
    (``store/lite.configure``: write-ahead log, ``synchronous = NORMAL``, busy timeout) and,
    with ``checkpointer``, the WAL checkpoints run on a thread as in the application's windows.
    On PostgreSQL each raw transaction is its single statement in autocommit (one round trip),
    as the application's hot path sends its calls (``store/pipeline.one_statement``)."""
    db = Database(url)
    if checkpointer:
        db.start_checkpointer()
    conn = db.engine.raw_connection()
    if db.is_postgres:
        conn.driver_connection.autocommit = True
    return db.dialect, conn, db


# The application's classes in calling order (migration 0022): walk-ins, then priority tickets,
# each from its own index ("seq IS NOT NULL" is the indexes' fence; SQLite names the index).
IN_ORDER = {
    "sqlite": [
        ("INDEXED BY ix_tickets_walkin_order", "is_priority = 0 AND appointment_id IS NULL"),
        ("INDEXED BY ix_tickets_priority_order", "is_priority = 1"),
    ],
    "postgresql": [("", "NOT is_priority AND appointment_id IS NULL"), ("", "is_priority")],
}


def raw_claim_in_order(dialect: str, conn, window_id: int, sids: list[int]) -> str | None:  # type: ignore[no-untyped-def]
    """The raw claim reading the application's indexes in calling order, as its claims do:
    the first walk-in of the window's services, or else the first priority ticket (one
    statement a class; a baseline that, unlike ``raw_claim``, does not sort the queue)."""
    cur = conn.cursor()
    sqlite = dialect == "sqlite"
    marks = ",".join("?" * len(sids)) if sqlite else ""
    if sqlite:
        cur.execute("BEGIN IMMEDIATE")
    row = None
    for index, condition in IN_ORDER[dialect]:
        where = (
            f"state='waiting' AND target_window_id IS NULL AND {condition} AND seq IS NOT NULL"
            + (f" AND service_id IN ({marks})" if sqlite else " AND service_id = ANY(%s)")
        )
        if sqlite:
            at = datetime.now(UTC).replace(tzinfo=None).isoformat(" ")
            cur.execute(
                "UPDATE tickets SET state='called', window_id=?, last_called_at=? WHERE id = ("
                f"SELECT id FROM tickets {index} WHERE {where} ORDER BY arrival_at, seq LIMIT 1)"
                " RETURNING id",
                [window_id, at, *sids],
            )
        else:
            cur.execute(
                "UPDATE tickets SET state='called', window_id=%s, last_called_at=now() WHERE id"
                f" = (SELECT id FROM tickets WHERE {where} ORDER BY arrival_at, seq LIMIT 1"
                " FOR UPDATE SKIP LOCKED) RETURNING id",
                [window_id, sids],
            )
        row = cur.fetchone()
        if row:
            break
    if sqlite:
        cur.execute("COMMIT")
    return row[0] if row else None


def raw_claim(dialect: str, conn, window_id: int, sids: list[int]) -> str | None:  # type: ignore[no-untyped-def]
    cur = conn.cursor()
    if dialect == "sqlite":
        marks = ",".join("?" * len(sids))
        cur.execute("BEGIN IMMEDIATE")
        cur.execute(
            "UPDATE tickets SET state='called', window_id=?, last_called_at=? WHERE id = ("
            f"SELECT id FROM tickets WHERE state='waiting' AND service_id IN ({marks}) "
            "ORDER BY arrival_at LIMIT 1) RETURNING id",
            [window_id, datetime.now(UTC).replace(tzinfo=None).isoformat(" "), *sids],
        )
        row = cur.fetchone()
        cur.execute("COMMIT")
    else:
        cur.execute(
            "UPDATE tickets SET state='called', window_id=%s, last_called_at=now() WHERE id = ("
            "SELECT id FROM tickets WHERE state='waiting' AND service_id = ANY(%s) "
            "ORDER BY arrival_at LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id",
            [window_id, sids],
        )
        row = cur.fetchone()
    return row[0] if row else None


def raw_release(dialect: str, conn, tid) -> None:  # type: ignore[no-untyped-def]
    cur = conn.cursor()
    if dialect == "sqlite":
        cur.execute("BEGIN IMMEDIATE")
        cur.execute("UPDATE tickets SET state='no_show' WHERE id=?", [tid])
        cur.execute("COMMIT")
    else:
        cur.execute("UPDATE tickets SET state='no_show' WHERE id=%s", [tid])


def raw_issue(dialect: str, conn, service_id: int, day) -> None:  # type: ignore[no-untyped-def]
    cur = conn.cursor()
    p = "?" if dialect == "sqlite" else "%s"
    cur.execute("BEGIN IMMEDIATE" if dialect == "sqlite" else "BEGIN")
    cur.execute(
        f"INSERT INTO ticket_counters (service_id, day, last_number) VALUES ({p}, {p}, 1) "
        "ON CONFLICT (service_id, day) DO UPDATE SET last_number = "
        "ticket_counters.last_number + 1 RETURNING last_number",
        [service_id, day],
    )
    seq = cur.fetchone()[0]
    now = datetime.now(UTC).replace(tzinfo=None)
    tid = uuid.uuid4().hex if dialect == "sqlite" else uuid.uuid4()
    cur.execute(
        "INSERT INTO tickets (id, service_id, issued_service_id, day, seq, number, is_priority,"
        " state, issued_at, arrival_at, recall_count) VALUES "
        f"({p},{p},{p},{p},{p},{p},{p},'waiting',{p},{p},0)",
        [tid, service_id, service_id, day, seq, f"R{seq:03d}", False, now, now],
    )
    cur.execute("COMMIT")


def window_ids(url: str) -> dict[int, tuple[int, list[int]]]:
    db = Database(url).acting_as(SYSTEM_ACTOR)
    with db.read() as s:
        out = {
            w.number: (w.id, [ws.service_id for ws in w.services])
            for w in s.scalars(select(Window))
        }
    db.dispose()
    return out


# -- measurements -----------------------------------------------------------------------------


def latencies(url: str, n: int) -> dict[str, list[float]]:
    db = Database(url).acting_as(SYSTEM_ACTOR)
    db.start_checkpointer()  # as the screens do (store/wal.py); nothing on PostgreSQL
    codes = [c for c, *_ in demo.DEMO_SERVICES]
    res: dict[str, list[float]] = {"issue": [], "call_next": [], "raw_issue": [], "raw_claim": []}
    for i in range(n):
        t0 = time.perf_counter()
        queue.issue_ticket(db, codes[i % len(codes)], "elderly" if i % 10 == 0 else None)
        res["issue"].append(time.perf_counter() - t0)
    for i in range(n):
        w = 1 + i % WINDOWS
        t0 = time.perf_counter()
        t = queue.call_next(db, w)
        res["call_next"].append(time.perf_counter() - t0)
        if t is not None:
            queue.no_show(db, w)
    wins = window_ids(url)
    dialect, conn, raw_db = raw_connect(url, checkpointer=True)
    with db.read() as s:
        sids = list(s.scalars(select(Service.id)))
    day = (clock.hall_day(clock.now()) + timedelta(days=3)).isoformat()
    for i in range(n):
        t0 = time.perf_counter()
        raw_issue(dialect, conn, sids[i % len(sids)], day)
        res["raw_issue"].append(time.perf_counter() - t0)
    for i in range(n):
        wid, svc = wins[1 + i % WINDOWS]
        t0 = time.perf_counter()
        tid = raw_claim(dialect, conn, wid, svc)
        res["raw_claim"].append(time.perf_counter() - t0)
        if tid is not None:
            raw_release(dialect, conn, tid)
    conn.close()
    raw_db.dispose()
    db.dispose()
    return res


def _worker(
    url: str,
    number: int,
    raw: bool | str,
    ready: mp.Queue,
    go: mp.Event,
    stop_at: mp.Value,
    out: mp.Queue,
) -> None:
    ops = 0
    claimed: list[str] = []  # every ticket this window called: none may be called twice
    calls: list[float] = []  # the time of each call (the claim, on the raw side)
    if raw:
        dialect, conn, raw_db = raw_connect(url, checkpointer=True)  # as the app's window
        wid, svc = window_ids(url)[number]
        claim = raw_claim_in_order if raw == "order" else raw_claim
        ready.put(number)
        go.wait()
        while time.time() < stop_at.value:
            t0 = time.perf_counter()
            tid = claim(dialect, conn, wid, svc)
            calls.append(time.perf_counter() - t0)
            if tid is None:
                break
            claimed.append(str(tid))
            raw_release(dialect, conn, tid)
            ops += 1
        conn.close()
        raw_db.dispose()
    else:
        db = Database(url).acting_as(SYSTEM_ACTOR)
        db.start_checkpointer()  # as the counter screen does
        queue.window_current(db, number)  # warm the connection pool before the start
        ready.put(number)
        go.wait()
        while time.time() < stop_at.value:
            t0 = time.perf_counter()
            t = queue.call_next(db, number)
            calls.append(time.perf_counter() - t0)
            if t is None:
                break
            claimed.append(t.id.replace("-", ""))
            queue.no_show(db, number)
            ops += 1
        db.dispose()
    out.put((ops, claimed, calls))


def throughput(url: str, procs: int, seconds: float, raw: bool | str):  # type: ignore[no-untyped-def]
    """(calls per second, tickets called more than once, each call's time, tickets called)
    with ``procs`` window processes: the application's (``raw`` False), the raw claim's (True)
    or the raw claim's in calling order ("order")."""
    ctx = mp.get_context("spawn")
    go, out, ready = ctx.Event(), ctx.Queue(), ctx.Queue()
    stop_at = ctx.Value("d", 0.0)
    ps = [
        ctx.Process(target=_worker, args=(url, 1 + i % WINDOWS, raw, ready, go, stop_at, out))
        for i in range(procs)
    ]
    for p in ps:
        p.start()
    for _ in ps:  # every process has imported and connected: only the loop is timed
        ready.get(timeout=300)
    t0 = time.time()
    stop_at.value = t0 + seconds
    go.set()
    results = [out.get(timeout=seconds + 120) for _ in ps]
    elapsed = time.time() - t0
    for p in ps:
        p.join()
    total = sum(ops for ops, _, _ in results)
    ids = [i.replace("-", "").lower() for _, claimed, _ in results for i in claimed]
    calls = [c for _, _, cs in results for c in cs]
    return total / elapsed, len(ids) - len(set(ids)), calls, len(set(ids))


def load() -> str:
    """The machine's load averages (1, 5, 15 min) now: the machine may be shared."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run_backend(
    name: str,
    url: str,
    history: int,
    seconds: float,
    samples: int,
    windows: list[int],
    repeat: int = 1,
) -> None:
    print(f"\n== {name}: loading {history:,} tickets of history", flush=True)
    t0 = time.perf_counter()
    build_hall(url, history)
    print(f"  loaded in {time.perf_counter() - t0:.0f} s", flush=True)
    if url.startswith("postgresql"):
        # With autovacuum off (as on some CI servers) the table's statistics stay as the load's
        # VACUUM (ANALYZE) left them, with nobody waiting, through every phase.
        engine = create_engine(url)
        with engine.connect() as conn:
            print(f"  server: autovacuum {conn.execute(text('SHOW autovacuum')).scalar()}")
        engine.dispose()
    lat = latencies(url, samples)
    print(f"  latency over {samples} operations (ms)      p50      p99")
    for key in ("issue", "raw_issue", "call_next", "raw_claim"):
        v = lat[key]
        print(f"    {key:<34} {pct(v, 50) * 1000:7.2f}  {pct(v, 99) * 1000:7.2f}")
    print(
        f"    ratio issue/raw p50 {pct(lat['issue'], 50) / pct(lat['raw_issue'], 50):.1f}x, "
        f"call_next/raw_claim p50 {pct(lat['call_next'], 50) / pct(lat['raw_claim'], 50):.1f}x"
    )
    print(
        f"  throughput, call next + no-show per second: each phase calls a live queue of"
        f" {LIVE_QUEUE:,} until it is empty or {seconds:.0f} s have passed;"
    )
    print("  call p50/p99 in ms (app: call next; raw: the claim); load = 1/5/15-min averages")
    print(
        "    windows      app      raw  app/raw   app p50/p99     raw p50/p99"
        "   twice (app, raw)  lost (app, raw)  load"
        "   | raw in order  app/that  its p50/p99"
    )
    drain(url)  # what the latency phase left waiting is no phase's
    for procs in windows:
        ratios = [phases(url, procs, seconds) for _ in range(repeat)]
        if repeat > 1:  # the machine may be shared: a phase of a few seconds can be unlucky
            by_raw, by_order = (sorted(r[i] for r in ratios) for i in (0, 1))
            print(
                f"    {procs:>7} windows, {repeat} runs in turn: app/raw median"
                f" {statistics.median(by_raw):.2f} (min {by_raw[0]:.2f}, max {by_raw[-1]:.2f}),"
                f" app/raw in order median {statistics.median(by_order):.2f}",
                flush=True,
            )
    print(
        f"  check: call-next p99 {pct(lat['call_next'], 99) * 1000:.1f} ms at {history:,} tickets"
    )


def phases(url: str, procs: int, seconds: float) -> tuple[float, float]:
    """The application's, the raw claim's and the raw claim in order's phases in turn, one
    line of figures; (app/raw, app/raw in order)."""
    # A live queue of a busy centre; drained between phases so each starts alike.
    day = add_waiting(url, LIVE_QUEUE)
    app, app_dup, app_calls, app_got = throughput(url, procs, seconds, raw=False)
    app_lost = taken(url, day) - app_got
    drain(url)
    day = add_waiting(url, LIVE_QUEUE)
    base, raw_dup, raw_calls, raw_got = throughput(url, procs, seconds, raw=True)
    raw_lost = taken(url, day) - raw_got
    drain(url)
    day = add_waiting(url, LIVE_QUEUE)
    ordered, ord_dup, ord_calls, ord_got = throughput(url, procs, seconds, raw="order")
    assert ord_dup == 0 and taken(url, day) == ord_got, "the in-order baseline lost a ticket"
    drain(url)
    ms = [pct(v, p) * 1000 for v in (app_calls, raw_calls, ord_calls) for p in (50, 99)]
    print(
        f"    {procs:>7} {app:8.0f} {base:8.0f}   {app / base:6.2f}"
        f"   {ms[0]:6.2f}/{ms[1]:6.2f}  {ms[2]:6.2f}/{ms[3]:6.2f}"
        f"   {app_dup}, {raw_dup}        {app_lost}, {raw_lost}     {load()}"
        f"   | {ordered:8.0f}      {app / ordered:4.2f}  {ms[4]:6.2f}/{ms[5]:6.2f}",
        flush=True,
    )
    return app / base, app / ordered


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--history", type=int, default=2_000_000)
    ap.add_argument("--seconds", type=float, default=4.0)
    ap.add_argument(
        "--repeat", type=int, default=1, help="throughput phases per window count, in turn"
    )
    ap.add_argument("--samples", type=int, default=400)
    ap.add_argument("--pg", default=os.environ.get("DESK_APP_TEST_PG"))
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--no-sqlite", action="store_true")
    ap.add_argument("--windows", default="1,4,8,16,32", help="window counts, comma-separated")
    args = ap.parse_args()
    windows = [int(w) for w in args.windows.split(",")]
    # A throw-away hall key (the demo's accounts are audited, names sealed); workers inherit it.
    os.environ.setdefault("DESK_APP_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())
    print(
        f"queue benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]},"
        f" load at the start {load()}"
    )
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            run_backend(
                "SQLite",
                f"sqlite:///{tmp}/bench.db",
                args.history,
                args.seconds,
                args.samples,
                windows,
                args.repeat,
            )
    if args.pg and not args.no_pg:
        from sqlalchemy.engine import make_url

        admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
        name = f"desk_bench_{os.getpid()}"  # another run on the same server keeps its own
        with admin.connect() as c:
            c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            c.execute(text(f"CREATE DATABASE {name}"))
        url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
        try:
            run_backend(
                "PostgreSQL", url, args.history, args.seconds, args.samples, windows, args.repeat
            )
        finally:
            with admin.connect() as c:
                c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


if __name__ == "__main__":
    main()
