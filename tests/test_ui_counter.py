"""The counter workstation driven like staff do: login, then keys and buttons."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication

from desk_app.security.roles import Actor, Role
from desk_app.services.accounts import staff as accounts
from desk_app.services.hall import setup as hall
from desk_app.services.queue import operations as queue

pytestmark = pytest.mark.gui
SETUP = Actor(staff_id=None, code="setup", role=Role.ADMIN)
PASSWORD = "Counter-2024"


@pytest.fixture
def counter_hall(db):
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall.add_service(db, "retirement", "退休一件事", "B")
    hall.add_window(db, 5, ["newborn", "retirement"])
    hall.add_window(db, 6, ["retirement"])
    accounts.create_account(db.acting_as(SETUP), "s01", "王芳", "counter", PASSWORD)
    accounts.create_account(db.acting_as(SETUP), "s02", "李强", "counter", PASSWORD)
    return db


def _login(qtbot, db, staff="s01", window=5):
    from desk_app.ui.common.login import LoginDialog

    dialog = LoginDialog(db, role="counter", window=window)
    qtbot.addWidget(dialog)
    dialog.staff_edit.setText(staff)
    dialog.password_edit.setText(PASSWORD)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=10000)
    return dialog


def test_login_then_call_recall_no_show_next_start_complete(qtbot, counter_hall):
    from desk_app.ui.counter.window import CounterWindow

    db = counter_hall
    dialog = _login(qtbot, db)
    with qtbot.waitSignal(dialog.logged_in, timeout=5000) as got:
        qtbot.keyClick(dialog.staff_edit, Qt.Key.Key_Return)
    assert got.args == ["counter", 5]

    a1 = queue.issue_ticket(db, "newborn").number
    b1 = queue.issue_ticket(db, "retirement").number
    win = CounterWindow(db.acting_as(dialog.actor), 5, refresh_ms=200)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.board is not None and len(win.board.waiting) == 2, timeout=10000)
    assert win.header.text().startswith("5 号窗口") and "王芳" in win.header.text()
    assert not win.buttons["recall"].isEnabled() and win.buttons["next"].isEnabled()
    assert "F1" in win.buttons["next"].text() and "F5" in win.buttons["complete"].text()

    qtbot.keyClick(win, Qt.Key.Key_F1)  # call next
    qtbot.waitUntil(lambda: win.number_label.text() == a1, timeout=10000)
    assert win.service_label.text() == "新生儿出生一件事"
    assert "已叫号" in win.status_label.text()
    assert win.buttons["recall"].isEnabled() and not win.buttons["complete"].isEnabled()

    qtbot.keyClick(win, Qt.Key.Key_F2)  # recall
    qtbot.waitUntil(lambda: "已重呼 1 次" in win.status_label.text(), timeout=10000)

    qtbot.keyClick(win, Qt.Key.Key_F3)  # no-show
    qtbot.waitUntil(lambda: win.number_label.text() == "—", timeout=10000)
    qtbot.waitUntil(lambda: win.board.no_show_today == 1, timeout=10000)
    assert "过号 1" in win.counts_label.text()

    win.buttons["next"].click()
    qtbot.waitUntil(lambda: win.number_label.text() == b1, timeout=10000)
    qtbot.keyClick(win, Qt.Key.Key_F4)  # start
    qtbot.waitUntil(lambda: "办理中" in win.status_label.text(), timeout=10000)
    assert win.buttons["complete"].isEnabled() and not win.buttons["no_show"].isEnabled()
    qtbot.keyClick(win, Qt.Key.Key_F5)  # complete
    qtbot.waitUntil(lambda: win.number_label.text() == "—", timeout=10000)
    qtbot.waitUntil(lambda: win.board.completed_today == 1, timeout=10000)
    assert "办结 1" in win.counts_label.text()
    assert [r.outcome for r in win.board.served_today] == ["complete", "no_show"]
    assert win.served_model.rowCount() == 2


def test_second_login_on_open_window_is_refused_in_chinese(qtbot, counter_hall):
    hall.open_window(counter_hall, 5, "s02")
    dialog = _login(qtbot, counter_hall, staff="s01")
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.error_label.isHidden(), timeout=5000)
    assert "已由 李强 登录" in dialog.error_label.text()
    assert dialog.login_button.isEnabled()


def test_unreachable_database_is_explained(qtbot):
    from desk_app.store import Database
    from desk_app.ui.common.login import LoginDialog

    db = Database("postgresql+psycopg://root@127.0.0.1:1/nowhere")
    dialog = LoginDialog(db, role="counter")
    qtbot.addWidget(dialog)
    dialog.staff_edit.setText("s01")
    dialog.password_edit.setText(PASSWORD)
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.error_label.isHidden(), timeout=15000)
    assert "无法连接大厅数据库" in dialog.error_label.text()


def test_updates_from_other_windows_and_kiosks_appear_within_a_second(qtbot, counter_hall):
    from desk_app.ui.counter.window import CounterWindow

    db = counter_hall
    hall.open_window(db, 5, "s01")
    hall.open_window(db, 6, "s02")
    win = CounterWindow(db, 5)  # the default one-second refresh
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.board is not None, timeout=10000)
    queue.issue_ticket(db, "retirement")  # a kiosk elsewhere
    qtbot.waitUntil(lambda: len(win.board.waiting) == 1, timeout=10000)
    queue.call_next(db, 6)  # window 6 takes it
    qtbot.waitUntil(lambda: len(win.board.waiting) == 0, timeout=10000)


def test_hold_and_call_back_and_transfer(qtbot, counter_hall, monkeypatch):
    from desk_app.ui.counter import window as counter_mod
    from desk_app.ui.counter.window import CounterWindow

    db = counter_hall
    hall.open_window(db, 5, "s01")
    a1 = queue.issue_ticket(db, "newborn").number
    win = CounterWindow(db, 5, refresh_ms=200)
    qtbot.addWidget(win)
    win.show()  # shortcuts act on the active window, as at the counter
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=10000)
    qtbot.waitUntil(lambda: win.board is not None and bool(win.board.waiting), timeout=10000)
    win.trigger("next")
    qtbot.waitUntil(lambda: win.number_label.text() == a1, timeout=10000)
    qtbot.keyClick(win, Qt.Key.Key_F6)  # hold
    qtbot.waitUntil(lambda: bool(win.board.held) and win.board.current is None, timeout=10000)
    assert win.buttons["call_held"].isEnabled()
    qtbot.keyClick(win, Qt.Key.Key_F7)  # call the held ticket back
    qtbot.waitUntil(lambda: win.number_label.text() == a1, timeout=10000)

    class Chooser:  # the transfer dialog answered "to retirement"
        def __init__(self, *a, **k):
            pass

        def exec(self):
            return counter_mod.QDialog.DialogCode.Accepted

        def choice(self):
            return {"to_service": "retirement"}

    monkeypatch.setattr(counter_mod, "TransferDialog", Chooser)
    qtbot.keyClick(win, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: win.board.current is None and bool(win.board.waiting), timeout=10000)
    assert win.board.waiting[0].service == "retirement" and win.board.waiting[0].number == a1


def test_pause_disables_calling(qtbot, counter_hall):
    from desk_app.ui.counter.window import CounterWindow

    db = counter_hall
    hall.open_window(db, 5, "s01")
    win = CounterWindow(db, 5, refresh_ms=200)
    qtbot.addWidget(win)
    win.show()  # shortcuts act on the active window, as at the counter
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=10000)
    qtbot.waitUntil(lambda: win.board is not None, timeout=10000)
    qtbot.keyClick(win, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: win.board.state == "paused", timeout=10000)
    assert not win.buttons["next"].isEnabled() and "恢复" in win.buttons["pause"].text()
    # The card says the window is paused and which key resumes it (F1 is off).
    assert "暂停" in win.status_label.text() and "F9" in win.status_label.text()
    assert "F1" not in win.status_label.text()
    qtbot.keyClick(win, Qt.Key.Key_F1)  # ignored: the key does what the button would
    qtbot.keyClick(win, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: win.board.state == "open", timeout=10000)


def test_table_models_are_consistent(qtbot):
    from datetime import UTC, datetime

    from desk_app.services.queue.boards import ServedTicket, WaitingTicket
    from desk_app.ui.counter.models import ServedModel, WaitingModel

    m = WaitingModel()
    QAbstractItemModelTester(m, QAbstractItemModelTester.FailureReportingMode.Fatal)
    rows = [
        WaitingTicket("1", "A001", "newborn", "新生儿", "elderly", "waiting", 700),
        WaitingTicket("2", "B001", "retirement", "退休", None, "waiting", 65),
    ]
    m.set_rows(rows)
    assert m.rowCount() == 2
    assert m.data(m.index(0, WaitingModel.PRIORITY)) == "老年人"
    assert m.data(m.index(0, WaitingModel.WAIT)) == "11 分"
    m.set_rows([rows[1]])
    assert m.data(m.index(0, WaitingModel.NUMBER)) == "B001"
    s = ServedModel()
    QAbstractItemModelTester(s, QAbstractItemModelTester.FailureReportingMode.Fatal)
    s.set_rows(
        [ServedTicket("A001", "新生儿", "no_show", datetime(2026, 1, 5, 2, tzinfo=UTC), None)]
    )
    assert s.data(s.index(0, ServedModel.OUTCOME)) == "过号"
    assert s.data(s.index(0, ServedModel.TIME)) == "10:00"
