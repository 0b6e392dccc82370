"""A returning applicant at the counter: Shift+F10 finds the case (number, ID, or the QR of the
printed notice) and the case dialog continues it where it stands."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desk_app.services.cases import actions as cases
from desk_app.services.common.lookups import DEFAULT_SETTINGS
from desk_app.services.hall import setup as hall
from tests.ids import resident_id
from tests.tools import add_staff

pytestmark = pytest.mark.gui
REQUIRED = ("application_form", "parents_id_cards", "household_register", "marriage_certificate")


@pytest.fixture
def counter_and_notice(db, qtbot, tmp_path):
    """Window 1 open, and a case sent home with a 一次性告知 (nothing brought yet)."""
    from desk_app.ui.counter.window import CounterWindow

    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall.add_window(db, 1, ["newborn"])
    add_staff(db, "s01", "王芳")
    hall.open_window(db, 1, "s01")
    view = cases.open_case(db, "newborn", "张三丰", applicant_id=resident_id(), window=1)
    view = cases.decide(db, view.case_no, "notice", window=1)
    assert view.state == "notice"
    win = CounterWindow(db, 1, refresh_ms=200, document_dir=str(tmp_path / "docs"))
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=10000)
    qtbot.waitUntil(lambda: win.buttons["find"].isEnabled(), timeout=10000)
    return win, view


def _find(qtbot, win, text: str):
    win.find_dialog = None
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=10000)
    qtbot.keyClick(win, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: getattr(win, "find_dialog", None) is not None, timeout=10000)
    finder = win.find_dialog
    qtbot.addWidget(finder)
    qtbot.waitUntil(lambda: finder.isVisible(), timeout=10000)
    qtbot.keyClicks(finder.query, text)
    with qtbot.waitSignal(finder.searched, timeout=5000) as found:
        qtbot.keyClick(finder.query, Qt.Key.Key_Return)
    return finder, found.args[0]


def test_a_noticed_applicant_comes_back_and_the_case_is_accepted(qtbot, counter_and_notice):
    win, noticed = counter_and_notice
    assert "Shift+F10" in win.buttons["find"].text()
    _finder, found = _find(qtbot, win, noticed.case_no.lower())
    assert found == 1
    qtbot.waitUntil(lambda: win.case_dialog is not None, timeout=10000)
    dialog = win.case_dialog
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.view is not None, timeout=5000)
    # Straight to the checklist, the applicant masked, nothing typed again.
    assert dialog.view.case_no == noticed.case_no and dialog.stack.currentIndex() == 2
    assert "张*丰" in dialog.summary.text() and resident_id() not in dialog.summary.text()
    for code in REQUIRED:
        dialog.tick(code)
    dialog.next()
    assert dialog.stack.currentIndex() == 3 and dialog.buttons["accept"].isEnabled()
    with qtbot.waitSignal(dialog.case_changed, timeout=5000):
        dialog.buttons["accept"].click()
    qtbot.waitUntil(lambda: dialog.view.state == "accepted", timeout=5000)
    assert cases.show(win.db, noticed.case_no).state == "accepted"


def test_the_notice_qr_and_the_resident_id_find_the_case(qtbot, counter_and_notice):
    win, noticed = counter_and_notice
    url = f"{DEFAULT_SETTINGS['progress_base_url']}/{noticed.id}"
    _finder, found = _find(qtbot, win, url)
    assert found == 1
    qtbot.waitUntil(lambda: win.case_dialog is not None, timeout=10000)
    qtbot.addWidget(win.case_dialog)
    qtbot.waitUntil(lambda: win.case_dialog.view is not None, timeout=5000)
    assert win.case_dialog.view.case_no == noticed.case_no
    win.case_dialog.close()

    second = cases.open_case(win.db, "newborn", "张三丰", applicant_id=resident_id(), window=1)
    finder, found = _find(qtbot, win, resident_id())
    assert found == 2  # both cases listed, newest first, masked; Enter continues the chosen one
    shown = [finder.results.item(r, 3).text() for r in range(2)]
    assert all("张*丰" in t and resident_id() not in t for t in shown)
    assert finder.results.item(0, 0).text() == second.case_no
    qtbot.keyClick(finder.results, Qt.Key.Key_Down)
    with qtbot.waitSignal(finder.chosen, timeout=3000) as picked:
        qtbot.keyClick(finder.results, Qt.Key.Key_Return)
    assert picked.args == [noticed.case_no]


def test_an_unknown_number_says_so_and_opens_nothing(qtbot, counter_and_notice):
    win, _noticed = counter_and_notice
    finder, found = _find(qtbot, win, "YJS-19990101-0001")
    assert found == 0 and "没有找到" in finder.message.text()
    assert win.case_dialog is None and finder.isVisible()
