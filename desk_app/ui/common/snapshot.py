"""``desk-app gui --role R --snapshot FILE.png``: render one screen to an image and exit.

For the hall's IT after an install or an upgrade (does every screen come up with its fonts, icons
and translations?) and for the one-folder build's smoke test, which runs it offscreen
(``QT_QPA_PLATFORM=offscreen``). The kiosk and the call display are devices and need nobody;
staff screens act as the person in ``DESK_APP_USER`` / ``DESK_APP_PASSWORD``, checked like any
log-in (wrong password, locked account, temporary password all refuse).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtWidgets import QApplication, QWidget

from desk_app.security.roles import Actor
from desk_app.store import Database

DEVICE_ROLES = ("kiosk", "display", "evaluator", "strip")


class SnapshotError(Exception):
    """The screen could not be rendered; the message says why in one line."""


def _staff_actor(db: Database, role: str, window: int) -> Actor:
    from desk_app.domain.errors import Refused
    from desk_app.services.accounts import staff as accounts
    from desk_app.services.hall import setup as hall

    code = os.environ.get("DESK_APP_USER", "").strip()
    password = os.environ.get("DESK_APP_PASSWORD", "")
    if not code or not password:
        raise SnapshotError(
            f"the {role} screen needs a person: set DESK_APP_USER and DESK_APP_PASSWORD"
        )
    try:
        login = accounts.authenticate(db, code, password)
    except Refused as exc:
        raise SnapshotError(str(exc)) from None
    if login.must_change:
        raise SnapshotError(f"{code} must change the temporary password first (desk-app login)")
    if role == "counter":
        try:  # the same person back at their window rejoins their session
            hall.open_window(db.acting_as(login.actor), window, code)
        except Refused as exc:
            raise SnapshotError(str(exc)) from None
    return login.actor


def settle(seconds: float) -> None:
    """Let the screen load its first data (worker threads report through queued signals)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.02)


def render(
    db: Database,
    role: str,
    window: int,
    out: Path,
    *,
    large_text: bool = False,
    size: tuple[int, int] = (1280, 800),
    wait_s: float = 2.0,
) -> Path:
    """Build ``role``'s screen, let it load, save it as PNG; returns the file written."""
    from desk_app.services.hall.schema import prepare_database
    from desk_app.ui.common.app import build_screen

    prepare_database(db)
    actor = None if role in DEVICE_ROLES else _staff_actor(db, role, window)
    screen: QWidget = build_screen(db, role, window, large_text=large_text, actor=actor)
    screen.resize(*size)
    screen.show()
    settle(wait_s)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not screen.grab().save(str(out), "PNG"):
        raise SnapshotError(f"could not write {out}")
    screen.close()
    screen.deleteLater()
    QCoreApplication.processEvents()
    return out


def app_instance() -> QApplication:
    return QApplication.instance() or QApplication([])  # type: ignore[return-value]
