"""Render the supervisor's screen (each page) and the progress wall to PNG, in Chinese and English.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/supervisor_screenshots.py [OUT_DIR]

A demo hall with 30 days of history in a temporary SQLite file, and a busy Thursday morning:
windows open, a queue, one window paused for 20 minutes, one visitor served far longer than
usual. The hall's clock is held at that morning so the shots are the same whenever made.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from desk_app.domain import clock  # noqa: E402
from desk_app.security.roles import Actor, Role  # noqa: E402
from desk_app.services.common.protection import ensure_hall_key  # noqa: E402
from desk_app.services.demo import seed as demo  # noqa: E402
from desk_app.services.hall import setup as hall  # noqa: E402
from desk_app.services.queue import operations as queue  # noqa: E402
from desk_app.store import Database  # noqa: E402
from desk_app.store.schema import upgrade  # noqa: E402
from desk_app.ui.common import theme  # noqa: E402

HALL_TIME = datetime(2026, 11, 26, 10, 5, tzinfo=clock.HALL_TZ)
SUPERVISOR = Actor(staff_id=None, code="sup01", role=Role.SUPERVISOR)


def pump(ms: int) -> None:
    deadline = QDeadlineTimer(ms)
    while not deadline.hasExpired():
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def build_hall(url: str) -> Database:
    db = Database(url).acting_as(Actor(staff_id=None, code="screenshots", role=Role.ADMIN))
    upgrade(db)
    ensure_hall_key(db)
    now = HALL_TIME.astimezone(UTC)
    demo.seed_demo(db, days=30, windows=8, seed=3, now=now)
    for w in range(1, 8):
        hall.open_window(db, w, f"s{w:02d}", now=now - timedelta(minutes=95))
    codes = [c for c, *_ in demo.DEMO_SERVICES]
    for i in range(40):
        queue.issue_ticket(db, codes[(i * 5) % 7], None, now=now - timedelta(minutes=88 - 2 * i))
    for w in range(1, 8):  # each window has served a few visitors this morning
        for k in range(3):
            t0 = now - timedelta(minutes=85 - 20 * k - w)
            queue.call_next(db, w, now=t0)
            queue.start(db, w, now=t0 + timedelta(minutes=1))
            queue.complete(db, w, now=t0 + timedelta(minutes=12))
    queue.call_next(db, 3, now=now - timedelta(minutes=48))  # a long one at window 3
    queue.start(db, 3, now=now - timedelta(minutes=47))
    for w in (1, 2, 5, 6):
        queue.call_next(db, w, now=now - timedelta(minutes=6 - w))
        queue.start(db, w, now=now - timedelta(minutes=5 - w))
    queue.call_next(db, 7, now=now - timedelta(seconds=40))
    hall.pause_window(db, 4, now=now - timedelta(minutes=21))
    return db


def shoot(widget: QWidget, path: Path, size: tuple[int, int], wait_ms: int) -> None:
    widget.resize(*size)
    widget.show()
    pump(wait_ms)
    widget.grab().save(str(path))
    print("wrote", path)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    real_now = clock.now
    clock.now = lambda: HALL_TIME.astimezone(UTC)  # type: ignore[assignment]
    app = QApplication.instance() or QApplication(sys.argv)
    theme.apply_base_style(app)  # type: ignore[arg-type]
    from desk_app.ui.common.app import install_translator
    from desk_app.ui.display.progress_wall import ProgressWall
    from desk_app.ui.supervisor.window import SupervisorWindow

    try:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["DESK_APP_KEY_FILE"] = f"{tmp}/hall.key"  # this throw-away hall's key
            base = build_hall(f"sqlite:///{tmp}/shots.db")
            db = base.acting_as(SUPERVISOR)
            for lang in ("zh", "en"):
                translator = install_translator(app, "en") if lang == "en" else None  # type: ignore[arg-type]
                suffix = "" if lang == "zh" else "-en"
                window = SupervisorWindow(db)
                for i, name in enumerate(("live", "alerts", "stats", "evaluations", "reform")):
                    window.tabs.setCurrentIndex(i)
                    shoot(window, out / f"supervisor-{name}{suffix}.png", (1440, 900), 3500)
                window.close()
                wall = ProgressWall(db)
                shoot(wall, out / f"progress-wall{suffix}.png", (1920, 1080), 2500)
                wall.close()
                if translator is not None:
                    app.removeTranslator(translator)
            base.dispose()
    finally:
        clock.now = real_now  # type: ignore[assignment]


if __name__ == "__main__":
    main()
