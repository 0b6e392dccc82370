"""The counter screen as staff feel it (not a test; prints figures).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/gui_bench.py [--calls 1440] [--runs 5]

On a demo SQLite hall in a temporary folder:
1. **Start to usable**: a new process that opens the counter for window 1 (log-in checked,
   window session opened) until its board has loaded and F1 works; median of ``--runs``.
   Baselines in the same run: ``python -c pass`` and a bare Qt process that shows one widget.
2. **F1 to the number**: the F1 key in the counter until the called number is on screen,
   against the service call alone (``queue.call_next``, the database's share) in the same run.
3. **Memory over a day**: ``--calls`` cycles of issue -> F1 -> F4 -> F5 (8 h at a call every 20 s =
   1440), the screen refreshing as it does; resident memory after the first 100 calls and at
   the end (target: growth < 10 %).
"""

from __future__ import annotations

import argparse
import base64
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = "Demo-1234"

START_SCRIPT = """
import sys, time
t0 = float(sys.argv[1])
from PySide6.QtWidgets import QApplication
from desk_app.services.accounts import staff as accounts
from desk_app.services.hall import setup as hall
from desk_app.store import Database
from desk_app.ui.common.app import build_screen
app = QApplication([])
db = Database()
login = accounts.authenticate(db, "s01", "Demo-1234")
hall.open_window(db.acting_as(login.actor), 1, "s01")
screen = build_screen(db, "counter", 1, large_text=False, actor=login.actor)
screen.show()
while screen.board is None or not screen.buttons["next"].isEnabled():
    app.processEvents()
    time.sleep(0.002)
print(time.time() - t0)
screen.close()
"""

PASS = """
import sys, time
print(time.time() - float(sys.argv[1]))
"""

BARE_QT = """
import sys, time
t0 = float(sys.argv[1])
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
w = QLabel("x"); w.show(); app.processEvents()
print(time.time() - t0)
"""


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def timed_process(code: str, env: dict[str, str]) -> float:
    t0 = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code, str(t0)], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return float(done.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=1440)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("DESK_APP_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())
    with tempfile.TemporaryDirectory(prefix="gui-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'hall.db'}"
        os.environ["DESK_APP_DB"] = url
        os.environ["XDG_DATA_HOME"] = str(Path(tmp) / "data")
        env = dict(os.environ)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "desk_app",
                "demo",
                "seed",
                "--days",
                "0",
                "--windows",
                "2",
                "--no-calendar",
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        # 1. start to usable
        starts = {"python -c pass": [], "bare Qt widget": [], "counter usable": []}
        for _ in range(args.runs):
            starts["python -c pass"].append(timed_process(PASS, env))
            starts["bare Qt widget"].append(timed_process(BARE_QT, env))
            starts["counter usable"].append(timed_process(START_SCRIPT, env))
        print(f"start to usable, median of {args.runs} (target < 2 s):")
        base = statistics.median(starts["python -c pass"])
        for name, values in starts.items():
            med = statistics.median(values)
            print(f"  {name:16s} {med * 1000:7.0f} ms  {med / base:5.1f}x python")
        day(url, args.calls)
    return 0


def day(url: str, calls: int) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from desk_app.security.roles import SYSTEM_ACTOR
    from desk_app.services.accounts import staff as accounts
    from desk_app.services.hall import setup as hall
    from desk_app.services.queue import operations as queue
    from desk_app.store import Database
    from desk_app.ui.counter.window import CounterWindow

    app = QApplication.instance() or QApplication([])
    db = Database(url)
    admin = db.acting_as(SYSTEM_ACTOR)
    service = hall.list_services(admin)[0].code
    login = accounts.authenticate(db, "s01", PASSWORD)
    staff = db.acting_as(login.actor)
    hall.open_window(staff, 1, "s01")
    win = CounterWindow(staff, 1, refresh_ms=1000)
    win.resize(1440, 900)
    win.show()

    def pump_until(cond, limit: float = 10.0) -> None:  # type: ignore[no-untyped-def]
        end = time.perf_counter() + limit
        while not cond():
            if time.perf_counter() > end:
                raise SystemExit("the counter did not respond within 10 s")
            app.processEvents()
            time.sleep(0.0005)  # as Qt's own loop does, let the worker thread run

    win.activateWindow()  # F1 is a window shortcut: the window has the keyboard, as at a desk
    pump_until(lambda: win.board is not None and QApplication.activeWindow() is win)
    f1_ms, raw_ms = [], []
    before = 0.0
    for i in range(calls):
        number = queue.issue_ticket(admin, service).number
        # Staff press F1 when the screen has settled after the last visitor (its board read
        # done); F1 pressed during that read waits for it (one database thread per screen).
        pump_until(lambda: win.buttons["next"].isEnabled() and win.runner.pending == 0)
        t0 = time.perf_counter()
        QTest.keyClick(win, Qt.Key.Key_F1)
        pump_until(lambda n=number: win.number_label.text() == n)
        f1_ms.append((time.perf_counter() - t0) * 1000)
        pump_until(lambda: win.buttons["start"].isEnabled())
        QTest.keyClick(win, Qt.Key.Key_F4)  # the visitor sits down
        pump_until(lambda: win.buttons["complete"].isEnabled())
        QTest.keyClick(win, Qt.Key.Key_F5)
        pump_until(lambda: win.number_label.text() == "—")
        if i % 10 == 0:  # the service alone, same moment: the database's share
            queue.issue_ticket(admin, service)
            t1 = time.perf_counter()
            queue.call_next(staff, 1)
            raw_ms.append((time.perf_counter() - t1) * 1000)
            queue.no_show(staff, 1)
        if i == 100:
            gc.collect()
            before = rss_mb()
    gc.collect()
    after = rss_mb()
    f1_ms.sort()
    raw_ms.sort()
    print(f"F1 to the number on screen, {calls} calls (target p95 < 100 ms):")
    print(
        f"  F1 -> number   p50 {statistics.median(f1_ms):6.1f} ms  "
        f"p95 {f1_ms[int(0.95 * (len(f1_ms) - 1))]:6.1f} ms"
    )
    print(
        f"  call_next only p50 {statistics.median(raw_ms):6.1f} ms  "
        f"p95 {raw_ms[int(0.95 * (len(raw_ms) - 1))]:6.1f} ms  (baseline)"
    )
    print(f"  ratio p50 {statistics.median(f1_ms) / statistics.median(raw_ms):.1f}x")
    if before:
        print(
            f"memory over {calls} calls (target growth < 10 %): after 100 calls {before:.1f} MB, "
            f"at the end {after:.1f} MB, growth {100 * (after - before) / before:+.1f} %"
        )
    win.close()
    db.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
