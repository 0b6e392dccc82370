"""From 读身份证 to the filled form at the counter, on the simulated reader (not a test).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/idcard_bench.py [--reads 30]

A hall on SQLite with an ID card reader registered for this PC: a pty speaking the SAM protocol
(find 20 01, select 20 02, read 30 01: 1,295 bytes at the reader's 115200 baud) with the sample
card on it. The case dialog's 读身份证 button is pressed ``--reads`` times; each read is timed
from the press to the ID field holding the card's number (the worker's read, the frames over
the pty, the parse and the checks, the form filled on the UI thread). Baseline of the same run:
the form filled from the same card without the reader (``fill_from_card``). A pty does not
pace bytes at the line's speed: on a real reader the 1,295 bytes alone take about 113 ms at
115,200 baud, on top of what is measured here.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reads", type=int, default=30)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from desk_app.security.roles import SYSTEM_ACTOR
    from desk_app.services.devices import registry
    from desk_app.services.devices.simulate import SAMPLE_ID, sample_card, simulate_idcard
    from desk_app.services.hall import setup as hall
    from desk_app.store import Database
    from desk_app.store.schema import upgrade
    from desk_app.ui.cases.dialog import CaseDialog

    tmp = tempfile.mkdtemp(prefix="idcard-bench-")
    db = Database(f"sqlite:///{tmp}/hall.db")
    upgrade(db)
    admin = db.acting_as(SYSTEM_ACTOR)
    hall.add_service(admin, "newborn", "新生儿出生一件事", "A")
    hall.add_window(admin, 1, ["newborn"])
    app = QApplication.instance() or QApplication([])
    twin = simulate_idcard()
    registry.add_device(admin, "reader", "idcard", twin.port)
    dialog = CaseDialog(admin, 1)
    dialog.show()
    button = dialog.applicant.card_button
    assert button is not None
    card = sample_card()
    reads: list[float] = []
    typed: list[float] = []
    for _ in range(args.reads):
        dialog.id_edit.clear()
        dialog.name_edit.clear()
        t0 = time.perf_counter()
        button.click()
        while dialog.id_edit.text() != SAMPLE_ID and time.perf_counter() - t0 < 10:
            app.processEvents()
            time.sleep(0.0005)
        reads.append(time.perf_counter() - t0)
        dialog.id_edit.clear()
        t0 = time.perf_counter()
        dialog.applicant.fill_from_card(card)  # the form filled and checked, no reader
        app.processEvents()
        typed.append(time.perf_counter() - t0)
    dialog.close()
    twin.close()
    db.dispose()
    print(f"card read to filled form, {args.reads} reads on the simulated reader (SQLite)")
    print(
        f"  read   p50 {pct(reads, 50):7.1f} ms  p95 {pct(reads, 95):7.1f} ms  max {max(reads) * 1000:7.1f} ms"
    )
    print(f"  filled p50 {pct(typed, 50):7.1f} ms  p95 {pct(typed, 95):7.1f} ms  (no reader)")


if __name__ == "__main__":
    main()
