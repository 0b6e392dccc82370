"""The counter login as staff meet it: staff code and password, a temporary password changed
first, and the screens handed a database handle acting for the right person."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from desk_app.security.roles import Actor, Role
from desk_app.services.accounts import staff as accounts
from desk_app.services.hall import setup as hall

pytestmark = pytest.mark.gui
SETUP = Actor(staff_id=None, code="setup", role=Role.ADMIN)
PASSWORD = "Counter-2024"


@pytest.fixture
def login_hall(db):
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall.add_window(db, 5, ["newborn"])
    accounts.create_account(db.acting_as(SETUP), "s01", "王芳", "counter", PASSWORD)
    return db


def _window_state(db, number=5):
    return {w.number: (w.state, w.staff) for w in hall.list_windows(db.acting_as(SETUP))}[number]


def _dialog(qtbot, db, staff, password):
    from desk_app.ui.common.login import LoginDialog

    dialog = LoginDialog(db, role="counter", window=5)
    qtbot.addWidget(dialog)
    dialog.staff_edit.setText(staff)
    dialog.password_edit.setText(password)
    dialog.show()
    return dialog


def _refused(qtbot, dialog) -> str:
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.error_label.isHidden(), timeout=5000)
    qtbot.waitUntil(lambda: dialog.login_button.isEnabled(), timeout=5000)
    return dialog.error_label.text()


def test_password_field_hides_what_is_typed(qtbot, login_hall):
    dialog = _dialog(qtbot, login_hall, "s01", PASSWORD)
    assert dialog.password_edit.echoMode() == dialog.password_edit.EchoMode.Password
    assert dialog.password_edit.displayText() != PASSWORD


@pytest.mark.parametrize("staff,password", [("s01", "Wrong-2024"), ("nobody", PASSWORD)])
def test_wrong_credentials_show_the_refusal_and_open_no_session(qtbot, login_hall, staff, password):
    dialog = _dialog(qtbot, login_hall, staff, password)
    emitted = []
    dialog.logged_in.connect(lambda *a: emitted.append(a))
    assert _refused(qtbot, dialog) == "工号或密码错误"
    assert emitted == [] and dialog.result() != QDialog.DialogCode.Accepted
    assert _window_state(login_hall) == ("closed", None)
    assert dialog.password_edit.hasFocus() or dialog.password_edit.selectedText() == password


def test_a_locked_account_says_so(qtbot, login_hall):
    for _ in range(5):
        with pytest.raises(accounts.LoginRefused):
            accounts.authenticate(login_hall, "s01", "Wrong-2024")
    dialog = _dialog(qtbot, login_hall, "s01", PASSWORD)  # even the right password now
    assert _refused(qtbot, dialog).startswith("账户已锁定")
    assert _window_state(login_hall) == ("closed", None)


def test_an_empty_field_is_asked_for_before_any_database_work(qtbot, login_hall):
    dialog = _dialog(qtbot, login_hall, "s01", "")
    dialog.submit()
    assert dialog.error_label.text() == "请输入密码。" and dialog.login_button.isEnabled()


def test_a_hall_without_accounts_says_how_to_make_one(qtbot, db):
    from desk_app.store.models import Staff

    with db.begin() as s:  # staff of a hall upgraded from before accounts: no password yet
        s.add(Staff(code="s01", name="王芳", role="counter", active=True))
    dialog = _dialog(qtbot, db, "s01", PASSWORD)
    text = _refused(qtbot, dialog)
    assert "desk-app demo seed" in text and "desk-app staff add" in text
    assert "\n" not in text


def test_correct_login_opens_the_session_and_the_counter_acts_as_that_person(qtbot, login_hall):
    from desk_app.ui.common.app import build_screen

    dialog = _dialog(qtbot, login_hall, "s01", PASSWORD)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=10000)
    with (
        qtbot.waitSignal(dialog.actor_ready, timeout=5000) as got_actor,
        qtbot.waitSignal(dialog.logged_in, timeout=5000) as got,
    ):
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert got.args == ["counter", 5]
    actor = got_actor.args[0]
    assert (actor.code, actor.role, actor.device) == ("s01", Role.COUNTER, False)
    assert dialog.password_edit.text() == ""  # not kept around once used
    assert _window_state(login_hall) == ("open", "s01")

    counter = build_screen(login_hall, "counter", 5, large_text=False, actor=actor)
    qtbot.addWidget(counter)
    assert counter.db.actor.code == "s01" and counter.db is not login_hall
    assert login_hall.actor.code == "tester"  # the shared handle is left as it was
    qtbot.waitUntil(lambda: counter.board is not None, timeout=10000)
    assert "王芳" in counter.header.text()


def test_a_counter_screen_is_never_built_without_a_person(qtbot, login_hall):
    from desk_app.ui.common.app import KIOSK_ACTOR, build_screen

    with pytest.raises(ValueError):
        build_screen(login_hall, "counter", 5, large_text=False)
    with pytest.raises(ValueError):
        build_screen(login_hall, "counter", 5, large_text=False, actor=KIOSK_ACTOR)


def test_temporary_password_must_be_changed_before_the_window_opens(qtbot, login_hall):
    temporary = accounts.create_account(
        login_hall.acting_as(SETUP), "s02", "李强", "counter"
    ).temporary_password
    hall.add_window(login_hall, 6, ["newborn"])
    dialog = _dialog(qtbot, login_hall, "s02", temporary)
    dialog.window_spin.setValue(6)
    emitted = []
    dialog.logged_in.connect(lambda *a: emitted.append(a))
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.password_dialog is not None, timeout=5000)
    change = dialog.password_dialog
    assert change.isVisible() and change.current_edit.isHidden()
    assert change.current_edit.text() == temporary
    assert _window_state(login_hall, 6) == ("closed", None) and emitted == []

    change.new_edit.setText("Better-2024")
    change.repeat_edit.setText("Better-2025")
    change.submit()
    assert change.error_label.text() == "两次输入的新密码不一致。"

    change.new_edit.setText("short1")
    change.repeat_edit.setText("short1")
    change.submit()
    qtbot.waitUntil(lambda: "密码至少需要 8 个字符" in change.error_label.text(), timeout=5000)
    assert change.isVisible() and _window_state(login_hall, 6) == ("closed", None)

    change.new_edit.setText("Better-2024")
    change.repeat_edit.setText("Better-2024")
    with qtbot.waitSignal(dialog.logged_in, timeout=5000) as got:
        change.submit()
    assert got.args == ["counter", 6] and dialog.actor.code == "s02"
    assert _window_state(login_hall, 6) == ("open", "s02")
    assert not accounts.authenticate(login_hall, "s02", "Better-2024").must_change


def test_giving_up_on_the_new_password_opens_nothing(qtbot, login_hall):
    temporary = accounts.create_account(
        login_hall.acting_as(SETUP), "s02", "李强", "counter"
    ).temporary_password
    dialog = _dialog(qtbot, login_hall, "s02", temporary)
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.password_dialog is not None, timeout=5000)
    dialog.password_dialog.reject()
    assert dialog.error_label.text() == "须先修改临时密码才能登录。"
    assert dialog.login_button.isEnabled() and _window_state(login_hall) == ("closed", None)


def test_refusals_follow_the_english_translation(qtbot, login_hall):
    from desk_app.ui.common.app import install_translator

    app = QApplication.instance()
    translator = install_translator(app, "en")
    assert translator is not None
    try:
        dialog = _dialog(qtbot, login_hall, "s01", "Wrong-2024")
        assert _refused(qtbot, dialog) == "wrong staff code or password"
    finally:
        app.removeTranslator(translator)


def test_kiosk_and_display_act_as_devices(qtbot, login_hall):
    from desk_app.ui.common.app import build_screen

    kiosk = build_screen(login_hall, "kiosk", 0, large_text=False)
    qtbot.addWidget(kiosk)
    display = build_screen(login_hall, "display", 0, large_text=False)
    qtbot.addWidget(display)
    assert (kiosk.db.actor.role, kiosk.db.actor.device) == (Role.KIOSK, True)
    assert (display.db.actor.role, display.db.actor.device) == (Role.DISPLAY, True)
    assert kiosk.db.actor.staff_id is None and display.db.actor.staff_id is None
    assert login_hall.actor.code == "tester"  # binding a screen leaves the shared handle alone


def test_the_window_number_shows_its_stepper_arrows(qtbot, login_hall, qapp):
    from desk_app.ui.common import theme

    qapp.setStyleSheet(theme.BASE_QSS)  # the look the app starts with
    try:
        dialog = _dialog(qtbot, login_hall, "s01", PASSWORD)
        qtbot.waitExposed(dialog)
        image = dialog.window_spin.grab().toImage()
    finally:
        qapp.setStyleSheet("")
    # The arrows are drawn in the theme's blue in the right-hand 32 pixels, top and bottom half.
    w, h = image.width(), image.height()

    def blue_in(top: int, bottom: int) -> bool:
        for x in range(w - 32, w):
            for y in range(top, bottom):
                c = image.pixelColor(x, y)
                if c.blue() > 140 and c.red() < 90:
                    return True
        return False

    assert blue_in(0, h // 2) and blue_in(h // 2, h)
    before = dialog.window_spin.value()
    qtbot.keyClick(dialog.window_spin, Qt.Key.Key_Up)
    assert dialog.window_spin.value() == before + 1
