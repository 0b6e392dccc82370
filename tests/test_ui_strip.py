"""The window strip as a screen (gui --role strip --window N): the window's number and what it
is doing, from the public queue status, on a small monitor."""

from __future__ import annotations

import os

import pytest

from desk_app.security.roles import Actor, Role
from desk_app.services.hall import setup as hall
from desk_app.services.queue import operations as queue

pytestmark = pytest.mark.gui
DISPLAY = Actor(staff_id=None, code="display", role=Role.DISPLAY, device=True)


@pytest.mark.parametrize("size", [(800, 240), (1366, 768)])
def test_the_strip_follows_its_window(qtbot, small_hall, size):
    from desk_app.ui.strip.window import StripWindow

    db = small_hall
    queue.issue_ticket(db, "newborn")
    strip = StripWindow(db.acting_as(DISPLAY), 1, poll_ms=50, screen_size=size)
    qtbot.addWidget(strip)
    strip.resize(*size)
    strip.show()
    qtbot.waitUntil(lambda: strip.state_label.text() == "欢迎办理", timeout=5000)
    assert strip.window_label.text() == "1 号窗口" and not strip.number_label.isVisible()
    queue.call_next(db, 1)
    qtbot.waitUntil(lambda: strip.number_label.text() == "A001", timeout=5000)
    assert strip.state_label.text() == "正在办理"
    assert strip.minimumSizeHint().width() <= size[0]
    if os.environ.get("DESK_APP_SHOTS"):
        strip.grab().save(os.path.join(os.environ["DESK_APP_SHOTS"], f"strip-{size[0]}.png"))
    hall.pause_window(db, 1)
    qtbot.waitUntil(lambda: strip.state_label.text() == "暂停服务", timeout=5000)
    strip.close()
