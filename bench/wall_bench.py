"""Call to wall: from the commit of ``call next`` to the call display's repaint (not a test).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/wall_bench.py [--pg URL] [--seconds 15]

A demo hall with 32 open windows; 32 caller processes (one per window) each call the next
ticket at random 0.5-3 s intervals and then mark it a no-show. Each caller notes the wall-clock
time right after its commit; the display (this process, offscreen) notes when it paints that
call's window tile. Run twice on each database:
- **watch**: the display as shipped (the change watch: ``PRAGMA data_version`` / LISTEN);
- **poll 500 ms** (baseline, the display before the change watch): the same screen with its
  watch disabled, querying every 500 ms.
Printed: calls seen, p50 / p95 / max latency, queries the display ran per second, and the
ratio watch / baseline.
"""

from __future__ import annotations

import argparse
import base64
import multiprocessing as mp
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WINDOWS = 32


def actor():  # type: ignore[no-untyped-def]
    from desk_app.security.roles import SYSTEM_ACTOR

    return SYSTEM_ACTOR


def build_hall(url: str) -> None:
    from desk_app.services.demo import seed as demo
    from desk_app.services.hall import setup as hall
    from desk_app.services.queue import operations as queue
    from desk_app.store import Database
    from desk_app.store.schema import upgrade

    db = Database(url).acting_as(actor())
    upgrade(db)
    demo.seed_demo(db, days=0, windows=WINDOWS, seed=1, calendar=False)
    for w in range(1, WINDOWS + 1):
        hall.open_window(db, w, f"s{w:02d}")
    services = [s.code for s in hall.list_services(db)]
    for i in range(4000):
        queue.issue_ticket(db, services[i % len(services)])
    db.dispose()


def caller(url: str, window: int, seconds: float, out: mp.Queue, ready: mp.Queue, go) -> None:  # type: ignore[no-untyped-def]
    from desk_app.services.queue import operations as queue
    from desk_app.store import Database

    db = Database(url).acting_as(actor())
    rng = random.Random(window)
    ready.put(window)
    go.wait()
    end = time.time() + seconds
    while time.time() < end:
        time.sleep(rng.uniform(0.5, 3.0))
        try:
            called = queue.call_next(db, window)
        except Exception:  # noqa: BLE001 - a refused call (empty queue): try again later
            continue
        committed = time.time()
        if called is not None:
            out.put((window, called.number, committed))
            queue.no_show(db, window)
    db.dispose()


def run(url: str, seconds: float, watch: bool) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from desk_app.security.roles import Actor, Role
    from desk_app.store import Database
    from desk_app.ui.display import window as display_module
    from desk_app.ui.display.announcer import Announcer

    app = QApplication.instance() or QApplication([])
    db = Database(url).acting_as(Actor(None, "display", Role.DISPLAY, device=True))
    if not watch:
        db.change_watch = lambda: (_ for _ in ()).throw(RuntimeError("baseline: no watch"))  # type: ignore[method-assign]
    painted: dict[tuple[int, str], float] = {}
    queries = {"n": 0}
    real_calls_since = display_module.boards.calls_since

    def counting(*a, **k):  # type: ignore[no-untyped-def]
        queries["n"] += 1
        return real_calls_since(*a, **k)

    display_module.boards.calls_since = counting
    screen = display_module.CallDisplay(db, poll_ms=500, announcer=Announcer(gap_ms=1))
    real_record = screen._record

    def record(call):  # type: ignore[no-untyped-def]
        real_record(call)  # the tile's text is set; Qt paints it in this pass of the loop
        painted.setdefault((call.window, call.number), time.time())

    screen._record = record  # type: ignore[method-assign]
    screen.resize(1280, 800)
    screen.show()
    deadline = time.time() + 10
    while not screen.is_ready() and time.time() < deadline:
        app.processEvents()
        time.sleep(0.01)
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()
    ready: mp.Queue = ctx.Queue()
    go = ctx.Event()
    procs = [
        ctx.Process(target=caller, args=(url, w, seconds, out, ready, go))
        for w in range(1, WINDOWS + 1)
    ]
    for p in procs:
        p.start()
    started = 0
    while started < WINDOWS:  # every caller has loaded the application
        app.processEvents()
        while not ready.empty():
            ready.get()
            started += 1
        time.sleep(0.01)
    go.set()
    start = time.time()
    q0 = queries["n"]
    committed: dict[tuple[int, str], float] = {}
    end = start + seconds + 2
    while time.time() < end or any(p.is_alive() for p in procs):
        app.processEvents()
        while not out.empty():
            w, number, at = out.get()
            committed[(w, number)] = at
        time.sleep(0.002)
    for _ in range(200):  # the last calls reach the screen
        app.processEvents()
        time.sleep(0.005)
    while not out.empty():
        w, number, at = out.get()
        committed[(w, number)] = at
    queries_per_s = (queries["n"] - q0) / (seconds + 2)
    screen.close()
    screen.deleteLater()  # gone, with its timers and workers, before the next run's display
    for _ in range(50):
        app.processEvents()
        time.sleep(0.005)
    display_module.boards.calls_since = real_calls_since
    db.dispose()
    lat = sorted(painted[k] - t for k, t in committed.items() if k in painted)
    missing = len([k for k in committed if k not in painted])

    def pct(p: float) -> float:
        return lat[min(len(lat) - 1, round(p / 100 * (len(lat) - 1)))] * 1000 if lat else 0.0

    return {
        "calls": len(committed),
        "missing": missing,
        "p50": pct(50),
        "p95": pct(95),
        "max": lat[-1] * 1000 if lat else 0.0,
        "qps": queries_per_s,
    }


def bench(label: str, url: str, seconds: float) -> None:
    build_hall(url)
    watch = run(url, seconds, watch=True)
    base = run(url, seconds, watch=False)
    print(f"{label}: {WINDOWS} windows calling for {seconds:.0f} s")
    for name, r in (("watch", watch), ("poll 500 ms (baseline)", base)):
        print(
            f"  {name:24s} calls {r['calls']:4.0f} (unseen {r['missing']:.0f})  "
            f"p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f} ms  max {r['max']:6.1f} ms  "
            f"display queries {r['qps']:.1f}/s"
        )
    if base["p95"]:
        print(f"  ratio watch/baseline p95: {watch['p95'] / base['p95']:.2f}")


def main() -> int:
    global WINDOWS
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--windows", type=int, default=32)
    ap.add_argument("--pg", default=os.environ.get("DESK_APP_TEST_PG"))
    args = ap.parse_args()
    WINDOWS = args.windows
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("DESK_APP_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())
    with tempfile.TemporaryDirectory() as tmp:
        bench("SQLite", f"sqlite:///{Path(tmp) / 'hall.db'}", args.seconds)
    if args.pg:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        name = f"wall_bench_{os.getpid()}"
        admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f"CREATE DATABASE {name}"))
        try:
            url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
            bench("PostgreSQL", url, args.seconds)
        finally:
            with admin.connect() as c:
                c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
