"""Render every screen and the ticket PDF to PNG under docs/screenshots/ (used in the README).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [OUT_DIR]

Builds a demo hall in a temporary SQLite file, puts each screen in a representative state
(a counter serving a visitor with a queue waiting, a kiosk, a display with calls) and grabs it.
The hall's clock is held at ``HALL_TIME`` (a Thursday morning) so every shot shows the same
plausible hour whenever it is made, and the login shows the README's one-PC database address
instead of the temporary file the shots are made on.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QWidget  # noqa: E402

from desk_app.domain import clock  # noqa: E402
from desk_app.security.roles import Actor, Role  # noqa: E402
from desk_app.services.demo import seed as demo  # noqa: E402
from desk_app.services.hall import setup as hall  # noqa: E402
from desk_app.services.queue import operations as queue  # noqa: E402
from desk_app.services.queue.documents import print_ticket_pdf  # noqa: E402
from desk_app.store import Database  # noqa: E402
from desk_app.store.schema import upgrade  # noqa: E402
from desk_app.ui.common import theme  # noqa: E402

# A working morning in the hall: the queue is busy, the clock on the screens reads 10:05.
HALL_TIME = datetime(2026, 11, 26, 10, 5, tzinfo=clock.HALL_TZ)
SHOWN_DATABASE = "sqlite:///C:/hall/hall.db"  # the README's one-PC example


@contextmanager
def hall_clock(at: datetime = HALL_TIME) -> Iterator[None]:
    """Hold the hall's clock at ``at``: every service and screen reads it through clock.now."""
    real = clock.now
    clock.now = lambda: at.astimezone(UTC)  # type: ignore[assignment]
    try:
        yield
    finally:
        clock.now = real  # type: ignore[assignment]


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
    # In the order they happened, so the display's recent calls read newest first.
    for _ in range(3):
        queue.call_next(db, 1, now=now - timedelta(minutes=30))
        queue.start(db, 1, now=now - timedelta(minutes=29))
        queue.complete(db, 1, now=now - timedelta(minutes=14))
    for w in (2, 3, 4, 5, 6):
        queue.call_next(db, w, now=now - timedelta(minutes=12 - w))
        queue.start(db, w, now=now - timedelta(minutes=11 - w))
    queue.call_next(db, 1, now=now - timedelta(minutes=1))
    queue.start(db, 1, now=now - timedelta(seconds=200))
    return db


def shoot_login(db: Database, out: Path) -> QWidget:
    """The counter's login, showing where a one-PC hall keeps its database."""
    from desk_app.ui.common.login import LoginDialog

    login = LoginDialog(db, role="counter", window=1)
    login.staff_edit.setText("s01")
    for label in login.findChildren(QLabel):
        if db.display_url in label.text():
            label.setText(label.text().replace(db.display_url, SHOWN_DATABASE))
    grab(login, out / "login.png", (480, 380))
    return login


def shoot_kiosk(db: Database, out: Path) -> QWidget:
    """The kiosk's start page, as a visitor finds it."""
    from desk_app.ui.kiosk.window import KioskWindow

    kiosk = KioskWindow(db, printer_name="TM-T82")  # as installed: a receipt printer
    pump(2500, until=lambda: bool(kiosk.services._buttons))
    grab(kiosk, out / "kiosk.png", (1280, 800))
    return kiosk


def main() -> None:
    with hall_clock():
        _main()


def _main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    theme.apply_base_style(app)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as tmp:
        db = build_hall(f"sqlite:///{tmp}/shots.db")

        login = shoot_login(db, out)
        login.close()

        from desk_app.ui.counter.window import CounterWindow

        counter = CounterWindow(db, 1)
        pump(3000, until=lambda: counter.board is not None)
        grab(counter, out / "counter.png", (1440, 900))
        from desk_app.ui.cases.dialog import CaseDialog

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

        kiosk = shoot_kiosk(db, out)
        kiosk.close()

        from desk_app.ui.display.window import CallDisplay

        display = CallDisplay(db)
        pump(2500, until=display.is_ready)
        queue.call_next(db, 7)
        pump(2000)
        grab(display, out / "display.png", (1920, 1080))
        display.close()

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
