"""Every full-screen role fits the hall's screens: 1280x720, 1366x768 (the most common counter
PC and TV) and 1920x1080, with and without large text. A window asked to take the screen's
size must not grow past it (its minimum size would push it off-screen)."""

from __future__ import annotations

import pytest

from desk_app.security.roles import Actor, Role
from desk_app.services.hall import setup as hall

pytestmark = pytest.mark.gui
SIZES = [(1280, 720), (1366, 768), (1920, 1080)]
DISPLAY = Actor(staff_id=None, code="display", role=Role.DISPLAY, device=True)


@pytest.fixture
def eight_windows(db):
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    for n in range(1, 9):
        hall.add_window(db, n, ["newborn"])
    return db


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_call_display_fits(qtbot, eight_windows, size, large):
    from desk_app.ui.display.window import CallDisplay

    display = CallDisplay(eight_windows.acting_as(DISPLAY), large_text=large, screen_size=size)
    qtbot.addWidget(display)
    display.resize(*size)
    display.show()
    qtbot.waitUntil(lambda: display.tiles_shown() == 8, timeout=5000)
    qtbot.wait(50)
    hint = display.minimumSizeHint()
    assert hint.width() <= size[0] and hint.height() <= size[1], (size, large, hint)
    assert (display.width(), display.height()) == size
