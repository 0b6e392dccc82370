"""The idle lock of a counter screen: it covers the counter, hides everything personal, ignores
the F-keys, and opens only with the logged-in staff member's own password."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit
from sqlalchemy import func, select

from desk_app.security.authz import Forbidden
from desk_app.security.roles import Actor, Role
from desk_app.services.accounts import staff as accounts
from desk_app.services.accounts import workstation
from desk_app.services.hall import setup as hall
from desk_app.services.queue import operations as queue
from desk_app.store.identity_models import LoginFailure
from desk_app.store.models import Setting, Ticket

pytestmark = pytest.mark.gui
SETUP = Actor(staff_id=None, code="setup", role=Role.ADMIN)
PASSWORD = "Counter-2024"


@pytest.fixture
def staff_db(db):
    """Window 5 open for 王芳 (s01); the handle acts for her, as the login hands it on."""
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall.add_window(db, 5, ["newborn"])
    accounts.create_account(db.acting_as(SETUP), "s01", "王芳", "counter", PASSWORD)
    actor = accounts.authenticate(db, "s01", PASSWORD).actor
    hall.open_window(db.acting_as(actor), 5, "s01")
    return db.acting_as(actor)


def _counter(qtbot, staff_db, idle_ms=300):
    from desk_app.ui.common.app import build_screen

    counter = build_screen(
        staff_db, "counter", 5, large_text=False, actor=staff_db.actor, idle_lock_ms=idle_ms
    )
    qtbot.addWidget(counter)
    counter.resize(1200, 800)
    counter.show()
    counter.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is counter, timeout=10000)
    qtbot.waitUntil(lambda: counter.board is not None, timeout=10000)
    return counter, counter.idle_lock


def _ticket_state(db, number):
    with db.read() as s:
        return s.scalar(select(Ticket.state).where(Ticket.number == number))


def _failures(db):
    with db.read() as s:
        return s.scalar(select(func.count(LoginFailure.id)))


def _unlock_with(qtbot, lock, password):
    lock.overlay.password_edit.setText(password)
    qtbot.keyClick(lock.overlay.password_edit, Qt.Key.Key_Return)


def test_idle_counter_locks_and_shows_nothing_personal(qtbot, staff_db):
    number = queue.issue_ticket(staff_db, "newborn").number
    counter, lock = _counter(qtbot, staff_db)
    qtbot.waitUntil(lambda: bool(counter.board.waiting), timeout=10000)
    assert "王芳" in counter.header.text()  # what the lock must hide
    qtbot.waitUntil(lambda: lock.locked, timeout=10000)  # no input: the idle time runs out
    overlay = lock.overlay
    assert overlay.isVisible() and overlay.geometry() == counter.rect()
    shown = " ".join(
        w.text() for w in overlay.findChildren(QLabel) + [overlay.unlock_button] if w.isVisible()
    )
    assert "已锁定" in shown and "工号 s01 · 请输入密码解锁" in shown
    assert "王芳" not in shown and number not in shown
    assert overlay.password_edit.hasFocus()
    # What is drawn is the lock screen, not the queue underneath.
    image = counter.grab().toImage()
    assert image.pixelColor(5, 5).name() == "#174a84"
    counter.resize(1300, 850)
    qtbot.waitUntil(lambda: overlay.geometry() == counter.rect(), timeout=10000)


def test_keys_do_nothing_while_locked_and_only_the_right_password_opens(qtbot, staff_db):
    number = queue.issue_ticket(staff_db, "newborn").number
    counter, lock = _counter(qtbot, staff_db)
    qtbot.waitUntil(lambda: counter.buttons["next"].isEnabled(), timeout=10000)
    qtbot.waitUntil(lambda: lock.locked, timeout=10000)

    qtbot.keyClick(counter, Qt.Key.Key_F1)  # call next: ignored
    qtbot.keyClick(lock.overlay.password_edit, Qt.Key.Key_F1)
    assert counter.runner.pending == 0  # nothing was sent to the database
    _unlock_with(qtbot, lock, "Wrong-2024")
    qtbot.waitUntil(lambda: lock.overlay.error_label.isVisible(), timeout=10000)
    assert lock.overlay.error_label.text() == "工号或密码错误"
    assert lock.locked and lock.overlay.isVisible()
    assert _failures(staff_db) == 1  # counts toward the lockout like any log-in
    assert _ticket_state(staff_db, number) == "waiting"

    with qtbot.waitSignal(lock.locked_changed, timeout=3000) as got:
        _unlock_with(qtbot, lock, PASSWORD)
    assert got.args == [False] and not lock.overlay.isVisible()
    assert lock.overlay.password_edit.text() == ""
    qtbot.keyClick(counter, Qt.Key.Key_F1)  # the same key works again once unlocked
    qtbot.waitUntil(lambda: counter.number_label.text() == number, timeout=10000)
    assert _ticket_state(staff_db, number) == "called"
    # The window session stayed open all along.
    assert {w.number: w.state for w in hall.list_windows(staff_db)}[5] == "open"


def test_a_locked_account_stays_locked_even_with_the_right_password(qtbot, staff_db):
    counter, lock = _counter(qtbot, staff_db)
    lock.lock()
    for i in range(5):
        _unlock_with(qtbot, lock, f"Wrong-{i}xyz")
        qtbot.waitUntil(lambda i=i: _failures(staff_db) == i + 1, timeout=10000)
    qtbot.waitUntil(lambda: lock.overlay.unlock_button.isEnabled(), timeout=10000)
    _unlock_with(qtbot, lock, PASSWORD)
    qtbot.waitUntil(lambda: "已锁定至" in lock.overlay.error_label.text(), timeout=10000)
    assert lock.locked


def test_tab_and_close_cannot_get_past_the_lock(qtbot, staff_db):
    counter, lock = _counter(qtbot, staff_db, idle_ms=60_000)
    lock.lock()
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        assert focused is not None and lock.overlay.isAncestorOf(focused)
    assert not counter.close()  # closing would log the window out
    assert counter.isVisible()
    assert {w.number: w.state for w in hall.list_windows(staff_db)}[5] == "open"
    lock.unlock()


def test_open_dialogs_are_put_away_while_locked(qtbot, staff_db):
    counter, lock = _counter(qtbot, staff_db, idle_ms=60_000)
    case_window = QDialog(counter)  # stands for a case being entered, with personal data
    case_window.setWindowTitle("一件事办件")
    case_window.layout_field = QLineEdit("110101199003074514", case_window)
    case_window.show()
    lock.lock()
    assert not case_window.isVisible()
    lock.unlock()
    assert case_window.isVisible()


def test_input_starts_the_idle_time_again_except_while_locked(qtbot, staff_db):
    counter, lock = _counter(qtbot, staff_db, idle_ms=60_000)
    qtbot.mouseMove(counter, counter.rect().topLeft() + QPoint(7, 7))
    lock.timer.stop()
    qtbot.mouseMove(counter, counter.rect().center())  # a real move: from the corner
    assert lock.timer.isActive() and lock.timer.interval() == 60_000
    lock.timer.stop()
    qtbot.keyClick(counter.waiting_view, Qt.Key.Key_Down)
    assert lock.timer.isActive()
    lock.lock()
    qtbot.keyClick(lock.overlay.password_edit, Qt.Key.Key_A)
    assert not lock.timer.isActive()  # no idle countdown behind the lock
    lock.unlock()
    assert lock.timer.isActive()


def test_idle_minutes_come_from_the_hall_setting(qtbot, staff_db):
    assert workstation.idle_lock_minutes(staff_db) == workstation.IDLE_LOCK_DEFAULT == 10
    with staff_db.begin() as s:
        s.add(Setting(key="idle_lock_minutes", value="3"))
    assert workstation.idle_lock_minutes(staff_db) == 3
    with pytest.raises(Forbidden):
        workstation.idle_lock_minutes(staff_db.acting_as(None))
    counter, lock = _counter(qtbot, staff_db, idle_ms=None)
    qtbot.waitUntil(lambda: lock.timer.interval() == 3 * 60_000, timeout=10000)
    assert lock.timer.isActive() and not lock.locked
