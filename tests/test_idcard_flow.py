"""The visitor's ID card at the counter, the helper desk, the case finder and the kiosk, on the
simulated reader (a pty speaking the SAM protocol): reads fill the form, an expired card is
refused with its date, the kiosk checks in today's booking by the card alone, the command line
prints the card masked, and nothing of the card reaches the log."""

from __future__ import annotations

import dataclasses
import logging
from datetime import date, timedelta

import pytest

from desk_app.domain import clock
from desk_app.services.devices import registry
from desk_app.services.devices.simulate import SAMPLE_ID, sample_card, simulate_idcard
from tests.test_cli import run


@pytest.fixture
def reader(small_hall):
    twin = simulate_idcard()
    registry.add_device(small_hall, "reader", "idcard", twin.port)
    yield twin
    twin.close()


def test_idcard_read_prints_the_card_masked(small_hall, db_url, reader, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    rc, card, _ = run(capsys, "--db", db_url, "idcard", "read", "--json")
    assert rc == 0 and card["id_masked"] == SAMPLE_ID[:6] + "********" + SAMPLE_ID[-4:]
    assert card["name_masked"] == "林*洋" and card["expired"] is False and card["sex"] == "男"
    assert SAMPLE_ID not in caplog.text and "林海洋" not in caplog.text
    reader.remove()
    rc, _, err = run(capsys, "--db", db_url, "idcard", "read", "--timeout", "0.3")
    assert rc == 2 and "no card" in err
    old = dataclasses.replace(sample_card(), valid_to=clock.today() - timedelta(days=3))
    reader.present(old)
    rc, card, _ = run(capsys, "--db", db_url, "idcard", "read", "--json")
    assert rc == 0 and card["expired"] is True


@pytest.mark.gui
def test_the_case_dialog_fills_the_applicant_from_the_card(qtbot, small_hall, reader):
    from desk_app.ui.cases.dialog import CaseDialog

    dialog = CaseDialog(small_hall, 1)
    qtbot.addWidget(dialog)
    dialog.show()
    button = dialog.applicant.card_button
    assert button is not None
    button.click()
    qtbot.waitUntil(lambda: dialog.id_edit.text() == SAMPLE_ID, timeout=5000)
    assert dialog.name_edit.text() == "林海洋" and not dialog.applicant.id_error.isVisible()
    expired_on = clock.today() - timedelta(days=1)
    reader.present(dataclasses.replace(sample_card(), valid_to=expired_on))
    dialog.id_edit.clear()
    button.click()
    qtbot.waitUntil(lambda: dialog.applicant.id_error.isVisible(), timeout=5000)
    assert expired_on.isoformat() in dialog.applicant.id_error.text()
    assert dialog.id_edit.text() == ""  # an expired card fills nothing
    dialog.close()


@pytest.mark.gui
def test_the_kiosk_checks_in_a_booking_by_the_card(qtbot, db, tmp_path, monkeypatch):
    """刷身份证签到: the card on the kiosk's reader checks in the holder's booking of today."""
    from PySide6.QtCore import Qt

    from desk_app.security.roles import Actor, Role
    from desk_app.services.appointments import booking as appointments
    from desk_app.ui.kiosk.window import KioskWindow
    from tests.appt_tools import at, calendar_hall

    calendar_hall(db)
    appointments.book(db, "newborn", date(2026, 12, 1), "09:30", "林海洋", SAMPLE_ID,
                      phone="13800001234", now=at("2026-11-30 10:00"))  # fmt: skip
    twin = simulate_idcard()
    try:
        registry.add_device(db, "kiosk-reader", "idcard", twin.port)
        monkeypatch.setenv("DESK_APP_NOW", "2026-12-01T09:20:00+08:00")
        kiosk = KioskWindow(
            db.acting_as(Actor(None, "kiosk", Role.KIOSK, device=True)), pdf_dir=str(tmp_path)
        )
        qtbot.addWidget(kiosk)
        kiosk.resize(1280, 800)
        kiosk.show()
        qtbot.mouseClick(kiosk.checkin_button, Qt.MouseButton.LeftButton)
        card_button = kiosk.checkin_page.card
        assert card_button is not None and card_button.isVisible()
        qtbot.mouseClick(card_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: kiosk.current_page() == "result", timeout=8000)
        assert kiosk.number_label.text() == "A001" and kiosk.priority_label.text() == "预约签到"
        kiosk.close()
    finally:
        twin.close()


def test_checkin_by_card_needs_no_phone_digits(small_hall):
    from desk_app.services.appointments import checkin as appointment_checkin
    from desk_app.services.common.errors import Refused

    with pytest.raises(Refused, match="后四位"):
        appointment_checkin.checkin(small_hall, id_no=SAMPLE_ID)
    with pytest.raises(Refused) as refused:  # no booking for the card's holder today
        appointment_checkin.checkin(small_hall, id_no=SAMPLE_ID, card=True)
    assert "后四位" not in refused.value.zh


def test_the_card_date_helpers_agree_with_the_hall_day():
    from desk_app.services.devices import idcard

    card = dataclasses.replace(sample_card(), valid_to=date(2026, 12, 5))
    assert not idcard.expired(card, date(2026, 12, 5)) and idcard.expired(card, date(2026, 12, 6))


@pytest.mark.gui
def test_the_finder_and_the_helper_read_the_card_too(qtbot, small_hall, reader):
    """A returning visitor's card finds their cases (the field shows the number masked); the
    helper's new-session dialog fills the visitor from the card."""
    from desk_app.services.cases import actions as cases
    from desk_app.ui.cases.finder import FindCaseDialog
    from desk_app.ui.helper.dialogs import StartDialog

    cases.open_case(small_hall, "newborn", "林海洋", applicant_id=SAMPLE_ID)
    finder = FindCaseDialog(small_hall)
    qtbot.addWidget(finder)
    finder.card_button.click()
    qtbot.waitUntil(lambda: finder.results.rowCount() == 1, timeout=5000)
    assert SAMPLE_ID not in finder.query.text() and finder.query.text().endswith(SAMPLE_ID[-4:])
    from desk_app.ui.common.idcard import ReadCardButton
    from desk_app.ui.common.tasks import TaskRunner

    runner = TaskRunner()
    button = ReadCardButton(small_hall, runner, shortcut=None)
    dialog = StartDialog([], lambda v: None, card_reader=button)
    qtbot.addWidget(dialog)
    button.click()
    qtbot.waitUntil(lambda: dialog.id_no.text() == SAMPLE_ID, timeout=5000)
    assert dialog.name.text() == "林海洋"
    runner.shutdown()
