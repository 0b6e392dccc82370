"""Render every screen and the ticket PDF to PNG under docs/screenshots/ (used in the README).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [OUT_DIR]

Builds a demo hall in a temporary SQLite file, puts each screen in a representative state
(a counter serving a visitor with a queue waiting, a kiosk, a display with calls) and grabs it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from desk_app.domain import clock  # noqa: E402
from desk_app.security.roles import Actor, Role  # noqa: E402
from desk_app.services import demo, hall, queue  # noqa: E402
from desk_app.services.tickets_print import print_ticket_pdf  # noqa: E402
from desk_app.store import Database  # noqa: E402
from desk_app.store.schema import upgrade  # noqa: E402
from desk_app.ui import theme  # noqa: E402


def _resident_id(body: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def pump(ms: int, until=None) -> None:  # type: ignore[no-untyped-def]
    """Run the event loop for ``ms`` (or until ``until()`` is true)."""
    deadline = QDeadlineTimer(ms)
    while not deadline.hasExpired():
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if until is not None and until():
            return


def grab(widget: QWidget, path: Path, size: tuple[int, int]) -> None:
    widget.resize(*size)
    widget.show()
    pump(600)
    widget.grab().save(str(path))
    print("wrote", path)


def build_hall(url: str) -> Database:
    db = Database(url).acting_as(Actor(staff_id=None, code="screenshots", role=Role.ADMIN))
    upgrade(db)
    demo.seed_demo(db, days=3, windows=8, seed=3)
    now = clock.now()
    for w in range(1, 9):
        hall.open_window(db, w, f"s{w:02d}", now=now - timedelta(hours=2))
    codes = [c for c, *_ in demo.DEMO_SERVICES]
    for i in range(26):
        queue.issue_ticket(
            db,
            codes[(i * 5) % 7],
            "elderly" if i % 6 == 0 else None,
            now=now - timedelta(minutes=60 - 2 * i),
        )
    # Windows 2-6 are serving; window 1 (the counter shot) has just called its next visitor.
    for w in (2, 3, 4, 5, 6):
        queue.call_next(db, w, now=now - timedelta(minutes=12 - w))
        queue.start(db, w, now=now - timedelta(minutes=11 - w))
    for _ in range(3):
        queue.call_next(db, 1, now=now - timedelta(minutes=30))
        queue.start(db, 1, now=now - timedelta(minutes=29))
        queue.complete(db, 1, now=now - timedelta(minutes=14))
    queue.call_next(db, 1, now=now - timedelta(minutes=1))
    queue.start(db, 1, now=now - timedelta(seconds=200))
    return db


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    theme.apply_base_style(app)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as tmp:
        db = build_hall(f"sqlite:///{tmp}/shots.db")

        from desk_app.ui.login import LoginDialog

        login = LoginDialog(db, role="counter", window=1)
        login.staff_edit.setText("s01")
        grab(login, out / "login.png", (480, 380))
        login.close()

        from desk_app.ui.counter import CounterWindow

        counter = CounterWindow(db, 1)
        pump(3000, until=lambda: counter.board is not None)
        grab(counter, out / "counter.png", (1440, 900))
        from desk_app.ui.case_dialog import CaseDialog

        cur = counter.board.current if counter.board else None
        dialog = CaseDialog(db, 1, ticket_id=cur.id if cur else None, service_code="newborn")
        dialog.name_edit.setText("张三丰")
        dialog.id_edit.setText(_resident_id("37020219900101123"))
        dialog.phone_edit.setText("13812341234")
        dialog.next()
        dialog.set_answer("maternity_claim", "yes")
        dialog.next()
        pump(5000, until=lambda: dialog.stack.currentIndex() == 2)
        for code in (
            "application_form",
            "parents_id_cards",
            "household_register",
            "marriage_certificate",
            "maternity_invoices",
        ):
            dialog.tick(code)
        grab(dialog, out / "case.png", (1100, 760))
        dialog.hide()
        counter._timer.stop()
        counter.hide()

        try:
            from desk_app.ui.kiosk import KioskWindow
        except ImportError:
            KioskWindow = None  # noqa: N806
        if KioskWindow is not None:
            kiosk = KioskWindow(db)
            pump(2500)
            grab(kiosk, out / "kiosk.png", (1280, 800))
            kiosk.hide()

        try:
            from desk_app.ui.display import CallDisplay
        except ImportError:
            CallDisplay = None  # noqa: N806
        if CallDisplay is not None:
            display = CallDisplay(db)
            pump(2500)
            queue.call_next(db, 7)
            pump(2000)
            grab(display, out / "display.png", (1920, 1080))
            display.hide()

        ticket = queue.issue_ticket(db, "newborn", "elderly")
        pdf = Path(tmp) / "ticket.pdf"
        print_ticket_pdf(db, ticket, pdf)
        subprocess.run(
            ["pdftoppm", "-r", "200", "-png", "-singlefile", str(pdf), str(out / "ticket")],
            check=True,
        )
        print("wrote", out / "ticket.png")
        db.dispose()


if __name__ == "__main__":
    main()
