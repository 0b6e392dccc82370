"""Where a press's time goes on PostgreSQL: CPU per "call next + no-show" in the client process
and in its server backend, for the application and for the raw baseline of
``bench/queue_bench.py``, one window, in the same run (prints figures; Linux, server on this
machine: the backend's CPU is read from /proc).

    .venv/bin/python bench/queue_cpu_bench.py [--pg URL] [--history 200000] [--loops 2000]
                                              [--rounds 2]

At 32 windows on a 2-core machine the clients and the server share the cores, so the
throughput ratio app/raw of ``queue_bench.py`` follows the ratio of total CPU per loop measured
here (raw / app). A throw-away database ``desk_queue_cpu_bench`` is made and dropped.
"""

from __future__ import annotations

import argparse
import base64
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench import queue_bench as qb  # noqa: E402
from desk_app.security.roles import SYSTEM_ACTOR  # noqa: E402
from desk_app.services.queue import operations as queue  # noqa: E402
from desk_app.store import Database  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f} {five:.1f} {fifteen:.1f}"


def backend_cpu(pid: int) -> float:
    """User + system CPU seconds of a server backend (its /proc stat)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def app(url: str, loops: int) -> tuple[float, float, float]:
    db = Database(url).acting_as(SYSTEM_ACTOR)
    queue.window_current(db, 1)  # the pool, warm
    # The server process of the connection the presses go to (store/kept.py), not a pooled one.
    (pid,) = db.one_statement("SELECT pg_backend_pid()", ()) or (0,)
    s0, c0, t0 = backend_cpu(pid), time.process_time(), time.perf_counter()
    for _ in range(loops):
        queue.call_next(db, 1)
        queue.no_show(db, 1)
    out = (time.perf_counter() - t0, time.process_time() - c0, backend_cpu(pid) - s0)
    db.dispose()
    return out


def raw(url: str, loops: int) -> tuple[float, float, float]:
    dialect, conn, raw_db = qb.raw_connect(url)
    wid, services = qb.window_ids(url)[1]
    pid = conn.driver_connection.info.backend_pid
    s0, c0, t0 = backend_cpu(pid), time.process_time(), time.perf_counter()
    for _ in range(loops):
        tid = qb.raw_claim(dialect, conn, wid, services)
        qb.raw_release(dialect, conn, tid)
    out = (time.perf_counter() - t0, time.process_time() - c0, backend_cpu(pid) - s0)
    conn.close()
    raw_db.dispose()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pg", default=os.environ.get("DESK_APP_TEST_PG"))
    ap.add_argument("--history", type=int, default=200_000)
    ap.add_argument("--loops", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    if not args.pg:
        ap.error("--pg URL (or DESK_APP_TEST_PG) is needed")
    os.environ.setdefault("DESK_APP_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())
    name = "desk_queue_cpu_bench"
    admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        c.execute(text(f"CREATE DATABASE {name}"))
    url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
    print(f"queue CPU benchmark: {os.cpu_count()} cores, {load()}")
    try:
        qb.build_hall(url, args.history)
        print(f"  {args.history:,} tickets of history; per loop (call next + no-show), 1 window:")
        for _ in range(args.rounds):
            totals = {}
            for label, fn in (("app", app), ("raw", raw)):
                qb.drain(url)
                qb.add_waiting(url, args.loops + 50)
                wall, client, server = fn(url, args.loops)
                n = args.loops / 1000
                totals[label] = (client + server) / n
                print(
                    f"    {label}: wall {wall / n:.3f} ms, client CPU {client / n:.3f} ms, "
                    f"server CPU {server / n:.3f} ms, total CPU {(client + server) / n:.3f} ms"
                )
            print(f"    raw/app total CPU {totals['raw'] / totals['app']:.2f} ({load()})")
    finally:
        with admin.connect() as c:
            c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


if __name__ == "__main__":
    main()
