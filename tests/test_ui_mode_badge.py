"""A training or demo hall's staff screens carry a red 培训厅/演示厅 tab; a live hall's none.
The log-in finds the hall's mode on its worker, with the database check."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from desk_app.services.hall import mode
from desk_app.ui.common.mode_badge import add_mode_badge
from tests.tools import ADMIN

pytestmark = pytest.mark.gui


def test_the_badge_sits_at_the_top_centre_and_follows_the_window(qtbot, tmp_path):
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(1366, 768)
    host.show()
    assert add_mode_badge(host, "live") is None
    badge = add_mode_badge(host, "training")
    assert badge is not None and badge.isVisible() and badge.text() == "培训厅"
    assert badge.y() == 0 and abs(badge.x() + badge.width() // 2 - 683) <= 1
    host.resize(1920, 1080)
    qtbot.waitUntil(lambda: abs(badge.x() + badge.width() // 2 - 960) <= 1, timeout=10000)
    host.grab().save(str(tmp_path / "badge.png"))


def test_the_log_in_learns_the_halls_mode(qtbot, db):
    from desk_app.ui.common.login import LoginDialog

    mode.mark(db.acting_as(ADMIN), mode.DEMO)
    dialog = LoginDialog(db, role="kiosk", window=1)
    qtbot.addWidget(dialog)
    assert dialog.hall_mode == "live"  # not known before the database is checked
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.hall_mode == "demo", timeout=5000)
