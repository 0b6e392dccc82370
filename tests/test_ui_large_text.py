"""``--large-text`` (适老化) makes every word on the kiosk and the call display at least half
as large again, not only some of them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from desk_app.services.common.dto import IssuedTicket
from desk_app.services.hall import setup as hall
from desk_app.services.queue import operations as queue
from desk_app.services.queue.boards import CallEvent
from desk_app.ui.common.app import build_screen, install_translator
from desk_app.ui.display.announcer import Announcer, AnnouncerBackend
from desk_app.ui.display.window import CallDisplay
from desk_app.ui.kiosk.window import KioskWindow
from tests.tools import add_staff

pytestmark = pytest.mark.gui


class _Silent(AnnouncerBackend):
    def say(self, text: str) -> None:
        self.done.emit()


def _texts(root: QWidget) -> dict[tuple[tuple[str, int], ...], float]:
    """Every label and button that shows text, by its place in the widget tree, with its
    type size in points as its style sheet sets it."""
    found: dict[tuple[tuple[str, int], ...], float] = {}
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, QLabel | QAbstractButton) or not widget.text():
            continue
        path: list[tuple[str, int]] = []
        node: QWidget | None = widget
        while node is not None and node is not root:
            parent = node.parentWidget()
            kin = [c for c in (parent.children() if parent else []) if type(c) is type(node)]
            path.append((type(node).__name__, kin.index(node)))
            node = parent
        widget.ensurePolished()
        found[tuple(reversed(path))] = widget.font().pointSizeF()
    return found


def _assert_half_again(standard: QWidget, large: QWidget, *, at_least: int = 10) -> None:
    normal, big = _texts(standard), _texts(large)
    shared = normal.keys() & big.keys()
    assert len(shared) >= at_least, "the screens were not compared"
    small = {
        f"{'/'.join(n for n, _ in key)}: {normal[key]} -> {big[key]} pt"
        for key in shared
        if big[key] < 1.5 * normal[key]
    }
    assert not small, sorted(small)


@pytest.fixture
def kiosk_hall(db):
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall.add_service(db, "retirement", "退休一件事", "B")
    hall.add_window(db, 1, ["newborn"])
    add_staff(db, "s01", "王芳")
    hall.open_window(db, 1, "s01")
    queue.issue_ticket(db, "newborn")
    return db


@pytest.fixture
def screens(qtbot) -> Iterator[list[QWidget]]:
    made: list[QWidget] = []
    yield made
    for widget in made:
        widget.close()


def _ticket() -> IssuedTicket:
    return IssuedTicket(
        id="t1",
        number="A002",
        service="newborn",
        service_name="新生儿出生一件事",
        priority="elderly",
        issued_at=datetime(2026, 11, 27, 1, 30, tzinfo=UTC),
        ahead=1,
        eta_minutes=12,
    )


def test_large_text_kiosk_is_half_again_as_large_everywhere(qtbot, kiosk_hall, screens, tmp_path):
    pages = []
    for large in (False, True):
        kiosk = build_screen(kiosk_hall, "kiosk", 0, large_text=large)
        assert isinstance(kiosk, KioskWindow)
        kiosk.pdf_dir = str(tmp_path)
        screens.append(kiosk)
        kiosk.resize(1280, 800)
        kiosk.show()
        qtbot.waitUntil(lambda k=kiosk: "newborn" in k.services._buttons, timeout=5000)
        kiosk.show_banner("正在取号, 请稍候…", error=False, ms=10_000)
        kiosk.show_no_printer(str(tmp_path))
        kiosk.show_ticket(_ticket())
        kiosk.show_printing("saved", str(tmp_path / "20261127-A002.pdf"))
        kiosk.show_time(datetime(2026, 11, 27, 9, 30), 20)
        pages.append(kiosk)
    _assert_half_again(*pages)
    hint = pages[1].minimumSizeHint()  # still fits the kiosk's 1280 x 800 touch screen
    assert hint.width() <= 1280 and hint.height() <= 800, hint


def test_large_text_display_is_half_again_as_large_everywhere(qtbot, kiosk_hall, screens):
    call = CallEvent(
        event_id=1,
        number="A001",
        window=1,
        window_name=None,
        service_name="新生儿出生一件事",
        at=datetime(2026, 11, 27, 1, 30, tzinfo=UTC),
        recall=True,
    )
    shown = []
    for large in (False, True):
        display = CallDisplay(
            kiosk_hall, large_text=large, announcer=Announcer(backend=_Silent(), gap_ms=5)
        )
        screens.append(display)
        display.resize(1920, 1080)
        display.show()
        qtbot.waitUntil(display.is_ready, timeout=5000)
        display._record(call)
        display._show_hero(call, flash=False)
        display.status_label.setVisible(True)
        shown.append(display)
    _assert_half_again(*shown)
    hint = shown[1].minimumSizeHint()  # still fits a 1080p hall screen
    assert hint.width() <= 1920 and hint.height() <= 1080, hint


def test_large_text_display_in_english_fits_a_1080p_screen(qtbot, qapp, kiosk_hall, screens):
    translator = install_translator(qapp, "en")
    assert translator is not None
    try:
        display = CallDisplay(
            kiosk_hall, large_text=True, announcer=Announcer(backend=_Silent(), gap_ms=5)
        )
        screens.append(display)
        assert display.idle_label.text().startswith("Watch the screen")
        hint = display.minimumSizeHint()
        assert hint.width() <= 1920 and hint.height() <= 1080, hint
    finally:
        qapp.removeTranslator(translator)


def test_the_app_passes_large_text_to_the_call_display(kiosk_hall, screens):
    standard = build_screen(kiosk_hall, "display", 0, large_text=False)
    large = build_screen(kiosk_hall, "display", 0, large_text=True)
    screens.extend([standard, large])
    assert isinstance(large, CallDisplay) and isinstance(standard, CallDisplay)
    _assert_half_again(standard, large, at_least=5)
