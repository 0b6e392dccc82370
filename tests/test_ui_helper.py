"""The helper screen as a helper uses it: log in as a helper, start a session from the keyboard,
add steps, a 代办 refused without its letter, the papers written, personal data masked; and the
screen rendered in Chinese and English (``DESK_APP_SHOTS=DIR`` keeps the PNGs)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QShortcut
from sqlalchemy import select

from desk_app.security.roles import Actor, Role
from desk_app.services.accounts import staff as accounts
from desk_app.services.assist import sessions as assist
from desk_app.services.hall import setup as hall
from desk_app.store.models import Staff
from tests.ids import resident_id
from tests.tools import pdf_text

pytestmark = pytest.mark.gui
SETUP = Actor(staff_id=None, code="setup", role=Role.ADMIN)
PASSWORD = "Helper-2024"
VISITOR = resident_id("37020219500101123")


@pytest.fixture
def helper_hall(db):
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall.add_window(db, 1, ["newborn"])
    accounts.create_account(db.acting_as(SETUP), "h01", "陈晓", "helper", PASSWORD)
    accounts.create_account(db.acting_as(SETUP), "s01", "王芳", "counter", PASSWORD)
    with db.read() as s:
        staff_id = s.scalar(select(Staff.id).where(Staff.code == "h01"))
    return db.acting_as(Actor(staff_id, "h01", Role.HELPER))


def _screen(qtbot, db, tmp_path):
    from desk_app.ui.helper.window import HelperWindow

    w = HelperWindow(db, refresh_ms=60_000, document_dir=str(tmp_path / "docs"))
    qtbot.addWidget(w)
    w.resize(1440, 900)
    w.show()
    return w


def _submit(qtbot, dialog):
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.ok.isEnabled(), timeout=5000)


def test_helper_logs_in_without_a_window_and_a_counter_is_refused(qtbot, helper_hall):
    from desk_app.ui.common.login import LoginDialog

    dialog = LoginDialog(helper_hall, role="helper")
    qtbot.addWidget(dialog)
    assert not dialog.window_spin.isEnabled() and dialog.staff_edit.isEnabled()
    dialog.staff_edit.setText("s01")
    dialog.password_edit.setText(PASSWORD)
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.error_label.isHidden(), timeout=5000)
    assert "assist.start" in dialog.error_label.text()
    got = []
    dialog.actor_ready.connect(got.append)
    dialog.staff_edit.setText("h01")
    dialog.password_edit.setText(PASSWORD)
    with qtbot.waitSignal(dialog.logged_in, timeout=5000) as signal:
        dialog.submit()
    assert signal.args[0] == "helper" and got[0].role == Role.HELPER
    assert {w.number: w.state for w in hall.list_windows(helper_hall)}[1] == "closed"


def test_a_session_from_start_to_conclusion(qtbot, helper_hall, tmp_path):
    w = _screen(qtbot, helper_hall, tmp_path)
    assert not w.buttons["step"].isEnabled()  # nothing chosen yet
    w.start_session()
    d = w.dialog
    d.mode.setCurrentIndex(d.mode.findData("proxy"))
    d.bundle.setCurrentIndex(d.bundle.findData("newborn"))
    d.name.setText("张三丰")
    d.id_no.setText(VISITOR)
    _submit(qtbot, d)
    qtbot.waitUntil(lambda: w.current is not None and len(w.sessions) == 1, timeout=5000)
    assert w.current.mode == "proxy" and w.buttons["authorize"].isEnabled()
    shown = [w.list.item(0, c).text() for c in range(w.list.columnCount())]
    assert "张*丰" in shown and "张三丰" not in " ".join(shown)
    assert VISITOR not in w.panel.visitor.text() and "370202********" in w.panel.visitor.text()

    # A 代办 step without the letter: the form stays open with the refusal.
    w.add_step()
    step = w.dialog
    step.where.setCurrentIndex(step.where.findData("department"))
    step.department.setCurrentText("市公安局")
    step.what.setText("递交材料")
    _submit(qtbot, step)
    assert step.isVisible() and "授权委托书" in step.error.text()
    step.reject()

    w.authorize()
    a = w.dialog
    a.principal.setText("李四")
    a.principal_id.setText(resident_id("37020219800505123"))
    for n in range(a.items.count()):
        a.items.item(n).setCheckState(Qt.CheckState.Checked)
    _submit(qtbot, a)
    qtbot.waitUntil(lambda: w.current.authorization is not None, timeout=5000)
    qtbot.waitUntil(lambda: w.last_document is not None, timeout=5000)
    assert w.last_document.name.endswith("authorization.pdf") and w.last_document.exists()

    w.add_step()
    step = w.dialog
    step.what.setText("递交材料")
    step.materials.setText("户口簿，出生医学证明")
    step.minutes.setValue(12)
    _submit(qtbot, step)
    qtbot.waitUntil(lambda: w.panel.steps.rowCount() == 1, timeout=5000)
    assert w.current.steps[0].materials == ("户口簿", "出生医学证明")

    w.change_state("conclude")
    _submit(qtbot, w.dialog)
    qtbot.waitUntil(lambda: w.current.state == "concluded", timeout=5000)
    qtbot.waitUntil(lambda: w.last_document.name.endswith("conclude.pdf"), timeout=5000)
    assert not w.buttons["step"].isEnabled() and not w.buttons["suspend"].isEnabled()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_screen_renders_in_both_languages(qtbot, helper_hall, tmp_path, lang):
    from PySide6.QtWidgets import QApplication

    from desk_app.ui.common.app import install_translator

    translator = install_translator(QApplication.instance(), lang)
    try:
        v = assist.start_session(helper_hall, "proxy", "张三丰", VISITOR, bundle_code="newborn")
        assist.authorize(helper_hall, v.id, "李四", VISITOR, ["vaccination"], date(2099, 1, 1))
        w = _screen(qtbot, helper_hall, tmp_path)
        qtbot.waitUntil(lambda: len(w.sessions) == 1, timeout=5000)
        w.list.selectRow(0)
        qtbot.waitUntil(lambda: w.current is not None, timeout=5000)
        english = lang == "en"
        assert (w.buttons["start"].text() == "New session  (F2)") is english
        assert "370202********" in w.panel.visitor.text()
        out = Path(os.environ.get("DESK_APP_SHOTS") or tmp_path)
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"helper-{lang}.png"
        assert w.grab().save(str(target)) and target.stat().st_size > 10_000
    finally:
        if translator is not None:
            QApplication.instance().removeTranslator(translator)


def test_the_role_builds_the_helper_screen_with_its_idle_lock(qtbot, helper_hall):
    from desk_app.ui.common.app import build_screen
    from desk_app.ui.helper.window import HelperWindow

    screen = build_screen(
        helper_hall, "helper", 1, large_text=False, actor=helper_hall.actor, idle_lock_ms=60_000
    )
    qtbot.addWidget(screen)
    assert isinstance(screen, HelperWindow) and screen.db.actor.code == "h01"
    screen.idle_lock.lock()
    assert not any(sc.isEnabled() for sc in screen.findChildren(QShortcut))  # F2.. do nothing
    with pytest.raises(ValueError):
        build_screen(helper_hall, "helper", 1, large_text=False, actor=None)


def test_a_helper_explains_a_pain_point_from_the_list(qtbot, helper_hall, tmp_path):
    from desk_app.services.assist import pain_points

    p = pain_points.add_pain(helper_hall, "information", "newborn", "指南未写明样式")
    w = _screen(qtbot, helper_hall, tmp_path)
    qtbot.waitUntil(lambda: w.panel.pain_table.rowCount() == 1, timeout=5000)
    w.explain_pain()  # nothing chosen: says what to do
    assert w.dialog is None and "Ctrl+E" in w.banner.text()
    w.panel.pain_table.selectRow(0)
    w.explain_pain()
    d = w.dialog
    assert d.print_it.isHidden()
    _submit(qtbot, d)
    assert "说明" in d.error.text() or "原因" in d.error.text()  # an empty explanation
    d.reason.setPlainText("样式在附件下载区")
    _submit(qtbot, d)
    qtbot.waitUntil(lambda: w.panel.pains and w.panel.pains[0].state == "explained", timeout=5000)
    assert pain_points.list_pains(helper_hall)[0].id == p.id


def test_f11_opens_the_knowledge_base_for_the_sessions_bundle(qtbot, helper_hall, tmp_path):
    w = _screen(qtbot, helper_hall, tmp_path)
    assert w.kb_button.current_bundle() is None  # no session chosen: every bundle
    w.start_session()
    d = w.dialog
    d.mode.setCurrentIndex(d.mode.findData("accompany"))
    d.bundle.setCurrentIndex(d.bundle.findData("newborn"))
    d.name.setText("张三丰")
    d.id_no.setText(VISITOR)
    _submit(qtbot, d)
    qtbot.waitUntil(lambda: w.current is not None, timeout=5000)
    w.kb_button.toggle_panel()
    panel = w.kb_button.window_.panel
    assert panel.bundle == "newborn" and panel.channel == "helper"
    w.kb_button.window_.close()


def test_a_form_printed_again_never_overwrites_the_earlier_one(qtbot, helper_hall, tmp_path):
    """Suspended twice, resumed in between: each 中止单 and 受理单 is its own file."""
    w = _screen(qtbot, helper_hall, tmp_path)
    w.start_session()
    d = w.dialog
    d.bundle.setCurrentIndex(d.bundle.findData("newborn"))
    d.name.setText("张三丰")
    d.id_no.setText(VISITOR)
    _submit(qtbot, d)
    qtbot.waitUntil(lambda: w.current is not None, timeout=5000)
    printed = []
    for action, reason in (
        ("suspend", "缺少出生医学证明"),
        ("resume", ""),
        ("suspend", "系统故障"),
    ):
        w.change_state(action)
        w.dialog.reason.setPlainText(reason)
        w.dialog.print_it.setChecked(True)
        _submit(qtbot, w.dialog)
        seen = list(printed)
        qtbot.waitUntil(
            lambda seen=seen: w.last_document is not None and w.last_document not in seen,
            timeout=5000,
        )
        printed.append(w.last_document)
    assert len(set(printed)) == 3 and all(p.exists() for p in printed)
    assert [p.name.split("-", 2)[2] for p in printed] == [
        "suspend.pdf",
        "accept.pdf",
        "suspend-2.pdf",
    ]
    first, second = (pdf_text(p).replace(" ", "") for p in (printed[0], printed[2]))
    assert "缺少出生医学证明" in first and "系统故障" in second
