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


@pytest.fixture(params=["zh", "en"])
def language(request):
    from PySide6.QtWidgets import QApplication

    from desk_app.ui.common import i18n
    from desk_app.ui.common.app import install_translator

    app = QApplication.instance()
    translator = install_translator(app, request.param) if request.param == "en" else None
    i18n.install_qt_translations(app, request.param)
    yield request.param
    if translator is not None:
        app.removeTranslator(translator)
    i18n.install_qt_translations(app, "zh")


@pytest.fixture
def staffed(eight_windows):
    from desk_app.services.accounts import staff as accounts

    setup = Actor(staff_id=None, code="setup", role=Role.ADMIN)
    for code, role in (("s01", "counter"), ("h01", "helper"), ("sup01", "supervisor")):
        accounts.create_account(eight_windows.acting_as(setup), code, code, role, "Sized-2026x")
    return eight_windows


@pytest.mark.parametrize("role", ["counter", "helper", "supervisor", "kiosk", "progress"])
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_role_fits(qtbot, staffed, language, role, size, large):
    from desk_app.services.accounts import staff as accounts
    from desk_app.ui.common.app import build_screen

    staff = {"counter": "s01", "helper": "h01", "supervisor": "sup01", "progress": "sup01"}
    actor = (
        accounts.authenticate(staffed, staff[role], "Sized-2026x").actor if role in staff else None
    )
    screen = build_screen(staffed, role, 1, large_text=large, actor=actor, screen_size=size)
    qtbot.addWidget(screen)
    screen.resize(*size)
    screen.show()
    qtbot.wait(100)
    hint = screen.minimumSizeHint()
    assert hint.width() <= size[0] and hint.height() <= size[1], (role, size, language, hint)
    assert (screen.width(), screen.height()) == size, (role, size, language)
    screen.close()
