"""The appointment screens: the kiosk's calendar line and check-in page, the booking dialog,
the counter's list of today's appointments, the display's mark (driven as people would)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt

from desk_app.services.accounts import staff as accounts
from desk_app.services.appointments import booking as appointments
from desk_app.services.hall import setup as hall
from desk_app.services.queue import operations as queue
from desk_app.store import Database
from desk_app.store.schema import upgrade
from desk_app.ui.kiosk.checkin import CODE_MAX
from tests.appt_tools import at, calendar_hall, person
from tests.tools import ADMIN

pytestmark = pytest.mark.gui
PW = "Hall-2026x"


@pytest.fixture
def appt_hall(sqlite_url, monkeypatch) -> Iterator[Database]:
    db = Database(sqlite_url).acting_as(ADMIN)
    upgrade(db)
    calendar_hall(db)
    accounts.create_account(db, "s01", "王芳", "counter", PW)
    yield db
    db.dispose()


def _close(qtbot, widget) -> None:
    widget.close()
    gone: list[bool] = []
    widget.destroyed.connect(lambda: gone.append(True))
    widget.deleteLater()
    qtbot.waitUntil(lambda: gone == [True], timeout=5000)


def _kiosk(qtbot, db, tmp_path):  # type: ignore[no-untyped-def]
    from desk_app.ui.kiosk.window import KioskWindow

    kiosk = KioskWindow(db, pdf_dir=str(tmp_path / "tickets"))
    kiosk.resize(1280, 800)
    kiosk.show()
    with qtbot.waitSignal(kiosk.board_updated, timeout=5000):
        pass
    return kiosk


def test_a_closed_hall_says_when_it_opens_and_takes_no_ticket(
    qtbot, appt_hall, tmp_path, monkeypatch
):
    monkeypatch.setenv("DESK_APP_NOW", "2026-11-30T20:00:00+08:00")
    kiosk = _kiosk(qtbot, appt_hall, tmp_path)
    try:
        assert kiosk.opening_bar.isVisible()
        assert "12月1日" in kiosk.opening_bar.text() and "09:00" in kiosk.opening_bar.text()
        assert not kiosk.service_button("newborn").isEnabled()
    finally:
        _close(qtbot, kiosk)


def test_an_extended_session_is_announced_on_the_kiosk(qtbot, appt_hall, tmp_path, monkeypatch):
    monkeypatch.setenv("DESK_APP_NOW", "2026-12-01T17:30:00+08:00")
    kiosk = _kiosk(qtbot, appt_hall, tmp_path)
    try:
        assert "晚间延时服务进行中" in kiosk.opening_bar.text()
        assert "18:45 停止取号" in kiosk.opening_bar.text()
    finally:
        _close(qtbot, kiosk)


def test_check_in_at_the_kiosk_by_code_prints_an_appointment_ticket(
    qtbot, appt_hall, tmp_path, monkeypatch
):
    a = appointments.book(
        appt_hall,
        "newborn",
        date(2026, 12, 1),
        "10:00",
        "张三",
        person(1),
        now=at("2026-11-30 10:00"),
    )
    monkeypatch.setenv("DESK_APP_NOW", "2026-12-01T09:20:00+08:00")
    kiosk = _kiosk(qtbot, appt_hall, tmp_path)
    try:
        qtbot.mouseClick(kiosk.checkin_button, Qt.MouseButton.LeftButton)
        page = kiosk.checkin_page
        assert kiosk.pages.currentWidget() is page
        page.field.setText(a.code)
        page.submit()
        qtbot.waitUntil(lambda: "09:30" in page.message.text(), timeout=5000)  # too early
        monkeypatch.setenv("DESK_APP_NOW", "2026-12-01T09:40:00+08:00")
        page.submit()
        qtbot.waitUntil(lambda: kiosk.current_page() == "result", timeout=5000)
        assert kiosk.number_label.text() == "A001"
        assert kiosk.priority_label.text() == "预约签到"
        qtbot.waitUntil(lambda: list((tmp_path / "tickets").glob("*A001.pdf")) != [], timeout=5000)
    finally:
        _close(qtbot, kiosk)


def test_the_booking_dialog_books_a_chosen_cell_and_prints_the_slip(
    qtbot, appt_hall, tmp_path, monkeypatch
):
    from desk_app.ui.counter.booking_dialog import BookingDialog

    monkeypatch.setenv("DESK_APP_NOW", "2026-11-30T10:00:00+08:00")
    dialog = BookingDialog(appt_hall, slip_dir=str(tmp_path / "slips"))
    dialog.show()
    try:
        qtbot.waitUntil(lambda: dialog.grid_data is not None, timeout=5000)
        assert [d for d, _ in dialog.grid_data.days][0] == date(2026, 12, 1)
        dialog.choose(date(2026, 12, 1), "09:00")
        assert dialog.chosen() == (date(2026, 12, 1), "09:00")
        dialog.name.setText("张三")
        dialog.id_no.setText(person(1))
        with qtbot.waitSignal(dialog.booked, timeout=5000) as booked:
            qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        view = booked.args[0]
        assert (tmp_path / "slips" / f"{view.code}.pdf").exists()
        qtbot.waitUntil(lambda: dialog.grid.item(0, 0).text() == "1", timeout=5000)  # 2 -> 1 left
        dialog.choose(date(2026, 12, 1), "09:30")
        dialog.name.setText("张三")
        dialog.id_no.setText(person(1))
        dialog.book()
        qtbot.waitUntil(lambda: "同一人同一天" in dialog.message.text(), timeout=5000)
    finally:
        _close(qtbot, dialog)


def test_the_counter_lists_todays_appointments_and_checks_one_in(qtbot, appt_hall, monkeypatch):
    from desk_app.ui.counter.window import CounterWindow

    a = appointments.book(
        appt_hall,
        "newborn",
        date(2026, 12, 1),
        "10:00",
        "张三",
        person(1),
        now=at("2026-11-30 10:00"),
    )
    appointments.book(
        appt_hall,
        "retirement",
        date(2026, 12, 1),
        "10:00",
        "李四",
        person(2),
        now=at("2026-11-30 10:00"),
    )
    monkeypatch.setenv("DESK_APP_NOW", "2026-12-01T09:45:00+08:00")
    s01 = appt_hall.acting_as(accounts.authenticate(appt_hall, "s01", PW).actor)
    hall.open_window(s01, 1, "s01")
    counter = CounterWindow(s01, 1)
    counter.show()
    try:
        panel = counter.appointments
        qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)  # newborn only
        assert panel.model.rows[0].code == a.code and "*" in panel.model.rows[0].name
        panel.view.selectRow(0)
        qtbot.keyClick(counter, Qt.Key.Key_F12, Qt.KeyboardModifier.ShiftModifier)
        qtbot.waitUntil(
            lambda: panel.model.rows and panel.model.rows[0].state == "checked_in", timeout=5000
        )
        assert queue.call_next(s01, 1).number == "A001"
    finally:
        queue.no_show(s01, 1)
        _close(qtbot, counter)


def test_the_display_marks_appointment_numbers(qtbot, appt_hall, monkeypatch):
    from desk_app.security.roles import Actor, Role
    from desk_app.services.appointments import checkin as appointment_checkin
    from desk_app.ui.display.window import CallDisplay

    a = appointments.book(
        appt_hall,
        "newborn",
        date(2026, 12, 1),
        "10:00",
        "张三",
        person(1),
        now=at("2026-11-30 10:00"),
    )
    monkeypatch.setenv("DESK_APP_NOW", "2026-12-01T12:10:00+08:00")
    hall.open_window(appt_hall, 1, "s01")
    appointment_checkin.checkin(appt_hall, code=a.code, now=at("2026-12-01 09:40"))
    queue.call_next(appt_hall, 1)
    display = CallDisplay(appt_hall.acting_as(Actor(None, "display", Role.DISPLAY, device=True)))
    display.show()
    try:
        qtbot.waitUntil(lambda: display.latest_number() == "A001", timeout=5000)
        assert "预约" in display.service_label.text()
        qtbot.waitUntil(lambda: display.session_line.isVisible(), timeout=5000)
        assert "午间延时服务" in display.session_line.text()
    finally:
        _close(qtbot, display)


def test_check_in_at_the_kiosk_by_id_asks_for_the_phones_last_four(
    qtbot, appt_hall, tmp_path, monkeypatch
):
    appointments.book(
        appt_hall,
        "newborn",
        date(2026, 12, 1),
        "10:00",
        "张三",
        person(1),
        phone="13812345678",
        now=at("2026-11-30 10:00"),
    )
    monkeypatch.setenv("DESK_APP_NOW", "2026-12-01T09:40:00+08:00")
    kiosk = _kiosk(qtbot, appt_hall, tmp_path)
    try:
        qtbot.mouseClick(kiosk.checkin_button, Qt.MouseButton.LeftButton)
        page = kiosk.checkin_page
        page.field.setText(person(1))
        page.submit()
        assert "后四位" in page.message.text() and page.field.maxLength() == 4
        page.field.setText("0000")  # not the booking's phone: no answer about the person
        page.submit()
        qtbot.waitUntil(lambda: "相符" in page.message.text(), timeout=5000)
        assert page.field.maxLength() == CODE_MAX and page.field.text() == ""  # from the ID again
        page.field.setText(person(1))
        page.submit()
        page.field.setText("5678")
        page.submit()
        qtbot.waitUntil(lambda: kiosk.current_page() == "result", timeout=5000)
        assert kiosk.number_label.text() == "A001"
    finally:
        _close(qtbot, kiosk)
