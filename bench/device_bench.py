"""From a call-pad key to the window's LED strip and the call display, against an F1 press at
the counter in the same run (not a test).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/device_bench.py [--pg URL] [--calls 40]

A hall on SQLite (or PostgreSQL with --pg) with four open windows and a queue. This process runs
the PC's device runner on simulated devices (a call-pad receiver and window 1's LED strip, each
a pty) and the call display offscreen. Alternately: a **pad** press (key 1 at window 1, written
to the receiver's pty) and an **F1** press (the counter's call_next for window 1, as its
worker thread runs it); after each, the ticket is marked a no-show to free the window. Timed
from the press to (a) the strip's frame carrying the number, decoded on the strip's side of the
pty, and (b) the display setting that call on its window tile. Printed: p50 / p95 / max per
path, and the ratio pad / F1 (the baseline of the same run).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def build(url: str):  # type: ignore[no-untyped-def]
    from desk_app.security.roles import SYSTEM_ACTOR
    from desk_app.services.hall import setup as hall
    from desk_app.services.queue import operations as queue
    from desk_app.store import Database
    from desk_app.store.schema import upgrade
    from tests.tools import add_staff

    db = Database(url)
    upgrade(db)
    admin = db.acting_as(SYSTEM_ACTOR)
    hall.add_service(admin, "newborn", "新生儿出生一件事", "A")
    for n in range(1, 5):
        hall.add_window(admin, n, ["newborn"])
        add_staff(admin, f"s0{n}", f"员工{n}")
        hall.open_window(admin, n, f"s0{n}")
    for _ in range(400):
        queue.issue_ticket(admin, "newborn")
    return db, admin


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", help="a PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--calls", type=int, default=40, help="presses per path")
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from desk_app.security.roles import Actor, Role
    from desk_app.services.devices import registry
    from desk_app.services.devices.runner import DeviceRunner
    from desk_app.services.devices.simulate import simulate_callpad, simulate_strip
    from desk_app.services.queue import operations as queue
    from desk_app.ui.display import window as display_module
    from desk_app.ui.display.announcer import Announcer, SilentBackend

    tmp = tempfile.mkdtemp(prefix="device-bench-")
    url = args.pg or f"sqlite:///{tmp}/hall.db"
    db, admin = build(url)
    app = QApplication.instance() or QApplication([])
    pad, strip = simulate_callpad(), simulate_strip()
    registry.add_device(admin, "pads", "callpad", pad.port)
    registry.add_device(admin, "strip-1", "strip", strip.port, window=1)
    device_db = db.acting_as(Actor(None, "display", Role.DISPLAY, device=True))
    runner = DeviceRunner(device_db).start()
    display = display_module.CallDisplay(
        device_db, announcer=Announcer(backend=SilentBackend(1), gap_ms=1)
    )
    seen: dict[str, float] = {}
    real_record = display._record

    def record(call):  # type: ignore[no-untyped-def]
        real_record(call)
        seen.setdefault(call.number, time.perf_counter())

    display._record = record  # type: ignore[method-assign]
    display.resize(1280, 720)
    display.show()
    while not display.is_ready():
        app.processEvents()
        time.sleep(0.01)
    while not (registry.list_devices(admin)[0].state == "ok" and strip.frames()):
        app.processEvents()
        time.sleep(0.01)
    s01 = admin.acting_as(Actor(staff_id=1, code="s01", role=Role.COUNTER))
    results: dict[str, dict[str, list[float]]] = {
        "pad": {"strip": [], "display": []},
        "F1": {"strip": [], "display": []},
    }
    frames_seen = len(strip.frames())
    for i in range(2 * args.calls):
        path = "pad" if i % 2 == 0 else "F1"
        with db.read() as s:  # the number this press will call (the queue's next)
            from sqlalchemy import select

            from desk_app.store.models import Ticket

            number = s.scalar(
                select(Ticket.number)
                .where(Ticket.state == "waiting")
                .order_by(Ticket.arrival_at, Ticket.seq)
                .limit(1)
            )
        t0 = time.perf_counter()
        if path == "pad":
            pad.press(1, "1")
        else:  # the counter's worker thread runs call_next off the UI thread
            threading.Thread(target=queue.call_next, args=(s01, 1)).start()
        strip_at = None
        deadline = t0 + 10
        while time.perf_counter() < deadline and (strip_at is None or number not in seen):
            app.processEvents()
            frames = strip.frames()
            if strip_at is None and any(t == number for _a, t in frames[frames_seen:]):
                strip_at = time.perf_counter()
            time.sleep(0.001)
        frames_seen = len(strip.frames())
        if strip_at is not None:
            results[path]["strip"].append(strip_at - t0)
        if number in seen:
            results[path]["display"].append(seen[number] - t0)
        queue.no_show(s01, 1)
        time.sleep(0.05)
    runner.close()
    display.close()
    pad.close()
    strip.close()
    db.dispose()
    print(f"device bench: {'PostgreSQL' if args.pg else 'SQLite'}, {args.calls} presses per path")
    for target in ("strip", "display"):
        for path in ("pad", "F1"):
            v = results[path][target]
            print(
                f"  {path:>3} -> {target:<7} n={len(v):>3}  p50 {pct(v, 50):7.1f} ms  "
                f"p95 {pct(v, 95):7.1f} ms  max {max(v) * 1000:7.1f} ms"
            )
        ratio = pct(results["pad"][target], 95) / max(pct(results["F1"][target], 95), 1e-9)
        print(f"  pad/F1 p95 ratio -> {target}: {ratio:.2f}")


if __name__ == "__main__":
    main()
