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
def test_the_call_display_fits(qtbot, eight_windows, language, size, large):
    """With a live call on the big panel and every window's tile showing a number: nothing
    cut ("Win" for "Window 8"), nothing off-screen, in both languages."""
    import os

    from PySide6.QtWidgets import QLabel

    from desk_app.services.queue import operations as queue
    from desk_app.ui.common.widgets import HeavyLabel
    from desk_app.ui.display.announcer import Announcer, SilentBackend
    from desk_app.ui.display.window import CallDisplay
    from tests.tools import add_staff

    db = eight_windows
    for n in range(1, 9):
        add_staff(db, f"s{n:02d}", f"员工{n}")
        hall.open_window(db, n, f"s{n:02d}")
        queue.issue_ticket(db, "newborn")
        queue.call_next(db, n)
    display = CallDisplay(
        db.acting_as(DISPLAY),
        large_text=large,
        screen_size=size,
        announcer=Announcer(backend=SilentBackend(60_000), gap_ms=5),
    )
    qtbot.addWidget(display)
    display.resize(*size)
    display.show()
    qtbot.waitUntil(lambda: display.tiles_shown() == 8, timeout=5000)
    qtbot.waitUntil(lambda: display.latest_number() is not None, timeout=5000)
    qtbot.wait(50)
    hint = display.minimumSizeHint()
    assert hint.width() <= size[0] and hint.height() <= size[1], (size, large, language, hint)
    assert (display.width(), display.height()) == size
    for label in display.findChildren(QLabel):
        if isinstance(label, HeavyLabel):  # scales its drawing down to fit, never clips
            continue
        if label.isVisible() and label.text() and not label.wordWrap():
            assert label.sizeHint().width() <= label.width() + 1, (label.text(), size, language)
    for _number, window, at in display.recent_rows():  # the time's text starts after a gap
        if window.text() and at.text():
            text_start = at.geometry().right() - at.fontMetrics().horizontalAdvance(at.text())
            window_end = window.geometry().left() + window.fontMetrics().horizontalAdvance(
                window.text()
            )
            assert text_start - window_end >= 8, (window.text(), at.text(), size, language)
    if language == "en":  # the service in English too, not the Chinese name
        assert display.service_label.text() == "Newborn birth", display.service_label.text()
    if os.environ.get("DESK_APP_SHOTS"):
        name = f"display-{language}-{size[0]}-{'large' if large else 'normal'}.png"
        display.grab().save(os.path.join(os.environ["DESK_APP_SHOTS"], name))


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


@pytest.mark.parametrize(
    "role", ["counter", "helper", "supervisor", "kiosk", "progress", "evaluator", "strip"]
)
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
