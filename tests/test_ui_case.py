"""The counter's 一件事 flow: ticket -> case -> answers -> checklist -> defer -> receipt."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desk_app.services.cases import actions as cases
from desk_app.services.hall import setup as hall
from desk_app.services.queue import operations as queue
from tests.ids import resident_id
from tests.tools import add_staff

pytestmark = pytest.mark.gui


@pytest.fixture
def counter_with_visitor(db, qtbot, tmp_path):
    from desk_app.ui.counter.window import CounterWindow

    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall.add_window(db, 1, ["newborn"])
    add_staff(db, "s01", "王芳")
    hall.open_window(db, 1, "s01")
    ticket = queue.issue_ticket(db, "newborn")
    win = CounterWindow(db, 1, refresh_ms=200, document_dir=str(tmp_path / "docs"))
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=10000)
    qtbot.waitUntil(lambda: win.board is not None and len(win.board.waiting) == 1, timeout=10000)
    qtbot.keyClick(win, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: win.number_label.text() == ticket.number, timeout=10000)
    qtbot.keyClick(win, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: win.board.current.state == "serving", timeout=10000)
    return win, ticket


def test_ticket_to_deferred_case_to_receipt(qtbot, counter_with_visitor, tmp_path):
    win, ticket = counter_with_visitor
    qtbot.keyClick(win, Qt.Key.Key_F10)
    dialog = win.case_dialog
    qtbot.addWidget(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=10000)
    assert dialog.bundle_box.currentData() == "newborn"  # from the ticket's service
    dialog.name_edit.setText("张三丰")
    dialog.id_edit.setText(resident_id())
    dialog.phone_edit.setText("13812341234")
    assert dialog.applicant.share_consent.isVisibleTo(dialog)  # newborn has a shared material
    dialog.applicant.share_consent.setChecked(True)
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.stack.currentIndex() == 1
    assert "需提交材料 4 项" in dialog.preview.text()
    dialog.set_answer("maternity_claim", "yes")
    assert "需提交材料 7 项" in dialog.preview.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.stack.currentIndex() == 2, timeout=5000)
    assert dialog.view.case_no.startswith("YJS-")
    assert "张*丰" in dialog.summary.text() and "138****1234" in dialog.summary.text()
    assert resident_id() not in dialog.summary.text()
    reasons = [dialog.table.item(r, 4).text() for r in range(dialog.table.rowCount())]
    assert all(reasons) and len(reasons) == 7
    for code in (
        "application_form",
        "parents_id_cards",
        "household_register",
        "marriage_certificate",
        "maternity_invoices",
    ):
        dialog.tick(code)
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.stack.currentIndex() == 3
    assert not dialog.buttons["accept"].isEnabled() and dialog.buttons["defer"].isEnabled()
    assert "出院记录" in dialog.decision_info.text() or "尚缺" in dialog.decision_info.text()
    asked: list[list[str]] = []

    def answer(lacking, _parent):  # type: ignore[no-untyped-def]
        asked.append([m.code for m in lacking])
        return {lacking[0].code: "原件在外地, 三日内补交"}

    dialog.ask_missing_reasons = answer  # the 暂缺原因 the clerk types
    with qtbot.waitSignal(dialog.case_changed, timeout=5000):
        dialog.buttons["defer"].click()
    qtbot.waitUntil(lambda: dialog.view.state == "deferred", timeout=5000)
    assert len(asked) == 1 and len(asked[0]) == 2  # asked once, for both missing materials
    reasons = {m.code: m.missing_reason for m in dialog.view.materials}
    assert reasons[asked[0][0]] == "原件在外地, 三日内补交"
    assert dialog.buttons["doc_commitment"].isEnabled()
    assert "容缺材料补正期限" in dialog.decision_info.text()
    saved = cases.show(win.db, dialog.view.case_no)
    assert saved.state == "deferred" and len(saved.deferred) == 2
    dialog.buttons["doc_receipt"].click()
    qtbot.waitUntil(lambda: getattr(dialog, "last_document", None) is not None, timeout=10000)
    pdf = dialog.last_document
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    from tests.tools import pdf_text

    text = pdf_text(pdf)
    assert dialog.view.case_no in text


def test_key_material_missing_offers_notice_not_deferral(qtbot, counter_with_visitor, monkeypatch):
    win, _ticket = counter_with_visitor
    win.open_case_dialog()
    dialog = win.case_dialog
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("张三丰")
    dialog.id_edit.setText(resident_id())
    dialog.next()
    dialog.next()
    qtbot.waitUntil(lambda: dialog.stack.currentIndex() == 2, timeout=5000)
    dialog.tick("application_form")
    dialog.next()
    assert not dialog.buttons["defer"].isEnabled() and dialog.buttons["notice"].isEnabled()
    assert "关键材料" in dialog.decision_info.text()
    assert "关键材料" in dialog.buttons["defer"].toolTip()  # the services' own refusal
    dialog.show_error("上一步的错误")  # an earlier failure's banner ...
    units = []
    begin = win.db.begin
    monkeypatch.setattr(win.db, "begin", lambda: units.append(1) or begin())
    dialog.buttons["notice"].click()
    qtbot.waitUntil(lambda: dialog.view.state == "notice", timeout=5000)
    assert not dialog.error.isVisible()  # ... goes once the next action succeeds
    assert len(units) == 1  # one click, one transaction (the tick went with the decision)
    assert [e["action"] for e in dialog.view.events] == ["open", "receive", "notice"]
    assert dialog.buttons["doc_notice"].isEnabled()


def test_invalid_id_is_reported_at_the_field_and_nothing_opened(qtbot, counter_with_visitor):
    from tests.ids import mistyped

    win, _ticket = counter_with_visitor
    win.open_case_dialog()
    dialog = win.case_dialog
    qtbot.addWidget(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=10000)
    dialog.name_edit.setText("张三丰")
    dialog.id_edit.setFocus()
    qtbot.keyClicks(dialog.id_edit, mistyped(resident_id()))
    # Reported as soon as all 18 characters are in, next to the field, on step 1.
    error = dialog.applicant.id_error
    qtbot.waitUntil(lambda: not error.isHidden(), timeout=10000)
    assert "校验" in error.text()
    dialog.next()
    assert dialog.stack.currentIndex() == 0 and dialog.view is None
    assert dialog.focusWidget() is dialog.id_edit
    dialog.id_edit.setText(resident_id())
    dialog.phone_edit.setFocus()  # leaving the field clears the complaint
    qtbot.waitUntil(lambda: error.isHidden(), timeout=10000)
    dialog.next()
    assert dialog.stack.currentIndex() == 1


def test_a_wrong_agent_id_is_reported_on_leaving_the_field(qtbot, counter_with_visitor):
    from tests.ids import mistyped

    win, _ticket = counter_with_visitor
    win.open_case_dialog()
    dialog = win.case_dialog
    qtbot.addWidget(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=10000)
    dialog.proxy.setChecked(True)
    dialog.agent_id.setFocus()
    qtbot.keyClicks(dialog.agent_id, mistyped(resident_id())[:10])
    qtbot.keyClick(dialog.agent_id, Qt.Key.Key_Tab)
    error = dialog.applicant.agent_id_error
    qtbot.waitUntil(lambda: not error.isHidden(), timeout=10000)
    assert "18" in error.text()


def test_disabled_agent_fields_do_not_look_editable(qtbot, counter_with_visitor, qapp):
    from desk_app.ui.common import theme

    qapp.setStyleSheet(theme.BASE_QSS)  # the look the app starts with: white fields
    win, _ticket = counter_with_visitor
    win.open_case_dialog()
    dialog = win.case_dialog
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)

    def background() -> tuple[int, int, int]:
        image = dialog.agent_name.grab().toImage()
        c = image.pixelColor(image.width() // 2, image.height() // 2)
        return c.red(), c.green(), c.blue()

    assert not dialog.agent_name.isEnabled()
    off = background()
    dialog.proxy.setChecked(True)
    qtbot.waitUntil(lambda: dialog.agent_name.isEnabled(), timeout=10000)
    on = background()
    qapp.setStyleSheet("")
    assert on == (255, 255, 255)
    assert sum(off) < sum(on) - 30, (off, on)
