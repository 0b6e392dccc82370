"""Call to wall: from the commit of ``call next`` to the paint of that number on the call display
(not a test).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/wall_bench.py [--pg URL] [--seconds 15]
        [--callers-nice 0] [--normal-priority]

A demo hall with 32 open windows; 32 caller processes (one per window) each call the next
ticket at random 0.5-3 s intervals and then mark it a no-show. Each caller notes the wall-clock
time right after its commit (kept in the caller, handed over at the end, so nothing crosses
between the processes while the display is timed). The display (this process, offscreen, in
its own event loop) notes when the window tile's number label has *painted* that number: the
end of the label's ``paintEvent`` with that text, not the ``setText`` before it.

Priorities are printed with the figures: the display raises its own process priority as it
does in the app (``ui/display/priority.py``: nice -5 where allowed, as root here; a display PC's
ordinary user gets it on Windows, not on Linux), and ``--callers-nice N`` runs the callers at
nice N (default 0: as the display's neighbours); ``--normal-priority`` leaves the display at
nice 0, to see what the priority is worth.
In a hall the callers sit at other PCs; here they share two cores with the display (and with
the PostgreSQL server, at its normal priority, whose processes each read waits for).

Run twice on each database:
- **watch**: the display as shipped (its follower thread woken by ``PRAGMA data_version`` /
  the server's snapshot, ``store/changes.py``);
- **poll 500 ms** (baseline, the display before the change watch): the same screen with its
  watch disabled, querying every 500 ms.
Printed: calls seen, p50 / p95 / max latency, queries the display ran per second, the load
average before and after, and the ratio watch / baseline.
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


def caller(
    url: str, window: int, seconds: float, nice: int, out: mp.Queue, ready: mp.Queue, go
) -> None:  # type: ignore[no-untyped-def]
    from desk_app.services.queue import operations as queue
    from desk_app.store import Database

    os.setpriority(os.PRIO_PROCESS, 0, nice)  # not the display's raised priority it inherits
    db = Database(url).acting_as(actor())
    rng = random.Random(window)
    made: list[tuple[int, str, float]] = []
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
            made.append((window, called.number, committed))
            queue.no_show(db, window)
    db.dispose()
    out.put(made)  # after the timed part: nothing crosses to the display meanwhile


def _wait(app, seconds: float) -> None:  # type: ignore[no-untyped-def]
    """Run the display's own event loop for ``seconds`` (no busy loop of the bench's)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()


def run(url: str, seconds: float, watch: bool, callers_nice: int) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from desk_app.security.roles import Actor, Role
    from desk_app.services.queue import boards
    from desk_app.store import Database
    from desk_app.ui.common.widgets import HeavyLabel
    from desk_app.ui.display import window as display_module
    from desk_app.ui.display.announcer import Announcer
    from desk_app.ui.display.tiles import WindowTile

    app = QApplication.instance() or QApplication([])
    db = Database(url).acting_as(Actor(None, "display", Role.DISPLAY, device=True))
    if not watch:
        db.change_watch = lambda: (_ for _ in ()).throw(RuntimeError("baseline: no watch"))  # type: ignore[method-assign]
    painted: dict[tuple[int, str], float] = {}
    queries = {"n": 0}
    real_calls_since = boards.calls_since
    real_paint = HeavyLabel.paintEvent

    def counting(*a, **k):  # type: ignore[no-untyped-def]
        queries["n"] += 1
        return real_calls_since(*a, **k)

    def paint(label, event):  # type: ignore[no-untyped-def]
        real_paint(label, event)  # the number is drawn into the window's backing store now
        tile = label.parentWidget()
        if isinstance(tile, WindowTile) and label is tile.number and label.text():
            painted.setdefault((tile.window_number, label.text()), time.time())

    boards.calls_since = counting
    HeavyLabel.paintEvent = paint  # type: ignore[method-assign]
    screen = display_module.CallDisplay(db, poll_ms=500, announcer=Announcer(gap_ms=1))
    screen.resize(1280, 800)
    screen.show()
    deadline = time.time() + 10
    while not screen.is_ready() and time.time() < deadline:
        _wait(app, 0.01)
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()
    ready: mp.Queue = ctx.Queue()
    go = ctx.Event()
    procs = [
        ctx.Process(target=caller, args=(url, w, seconds, callers_nice, out, ready, go))
        for w in range(1, WINDOWS + 1)
    ]
    for p in procs:
        p.start()
    started = 0
    while started < WINDOWS:  # every caller has loaded the application
        _wait(app, 0.05)
        while not ready.empty():
            ready.get()
            started += 1
    load_before = os.getloadavg()[0]
    go.set()
    q0 = queries["n"]
    _wait(app, seconds + 1)
    committed: dict[tuple[int, str], float] = {}
    reported = 0
    while reported < WINDOWS:  # each caller hands over its calls as it finishes
        _wait(app, 0.05)
        while not out.empty():
            for w, number, at in out.get():
                committed[(w, number)] = at
            reported += 1
    _wait(app, 1.0)  # the last calls reach the screen
    queries_per_s = (queries["n"] - q0) / (seconds + 1)
    load_after = os.getloadavg()[0]
    for p in procs:
        p.join()
    screen.close()
    screen.deleteLater()  # gone, with its timers and workers, before the next run's display
    _wait(app, 0.25)
    boards.calls_since = real_calls_since
    HeavyLabel.paintEvent = real_paint  # type: ignore[method-assign]
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
        "load": load_before,
        "load_after": load_after,
    }


def bench(label: str, url: str, seconds: float, callers_nice: int) -> None:
    build_hall(url)
    watch = run(url, seconds, watch=True, callers_nice=callers_nice)
    base = run(url, seconds, watch=False, callers_nice=callers_nice)
    print(
        f"{label}: {WINDOWS} windows calling for {seconds:.0f} s; display nice "
        f"{os.getpriority(os.PRIO_PROCESS, 0)}, callers nice {callers_nice}"
    )
    for name, r in (("watch", watch), ("poll 500 ms (baseline)", base)):
        print(
            f"  {name:24s} calls {r['calls']:4.0f} (unseen {r['missing']:.0f})  "
            f"p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f} ms  max {r['max']:6.1f} ms  "
            f"display queries {r['qps']:.1f}/s  load {r['load']:.1f}->{r['load_after']:.1f}"
        )
    if base["p95"]:
        print(f"  ratio watch/baseline p95: {watch['p95'] / base['p95']:.2f}")


def main() -> int:
    global WINDOWS
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--windows", type=int, default=32)
    ap.add_argument("--pg", default=os.environ.get("DESK_APP_TEST_PG"))
    ap.add_argument("--callers-nice", type=int, default=0)
    ap.add_argument("--skip-sqlite", action="store_true")
    ap.add_argument(
        "--listener-thread",
        action="store_true",
        help="PostgreSQL: the follower waits on a listener thread's flag, not on the socket",
    )
    ap.add_argument(
        "--normal-priority", action="store_true", help="the display does not raise its priority"
    )
    args = ap.parse_args()
    WINDOWS = args.windows
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("DESK_APP_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())
    from desk_app.ui.display.priority import raise_priority

    if not args.normal_priority:
        raise_priority()  # as the app does for its display (desk_app/ui/common/app.py)
    if args.listener_thread:
        from desk_app.store import Database

        opened = Database.change_watch

        def looked_at(self):  # type: ignore[no-untyped-def]
            watch = opened(self)
            watch.changed()  # a look on a timer: the watch starts its listener thread
            return watch

        Database.change_watch = looked_at  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_sqlite:
            bench("SQLite", f"sqlite:///{Path(tmp) / 'hall.db'}", args.seconds, args.callers_nice)
    if args.pg:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        name = f"wall_bench_{os.getpid()}"
        admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f"CREATE DATABASE {name}"))
        try:
            url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
            bench("PostgreSQL", url, args.seconds, args.callers_nice)
        finally:
            with admin.connect() as c:
                c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
