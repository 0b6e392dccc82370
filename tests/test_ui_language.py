"""The screens in one language at a time: the counter's lists and the case dialog in English,
Qt's own buttons in Chinese, dates in the hall's locale whatever the OS says."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QDialogButtonBox

from desk_app.services.queue.boards import WaitingTicket
from tests.tools import ADMIN

pytestmark = pytest.mark.gui


@pytest.fixture
def language(qapp):
    """Switch the screens' language for one test; Chinese and the C locale again afterwards."""
    from desk_app.ui.common import i18n
    from desk_app.ui.common.app import install_translator

    app = qapp
    installed = []
    before = QLocale()

    def switch(lang: str | None) -> None:
        installed.append(install_translator(app, lang))
        installed.append(i18n.install_qt_translations(app, lang))

    yield switch
    for t in installed:
        if t is not None:
            app.removeTranslator(t)
    i18n._english = False
    QLocale.setDefault(before)


def _waiting(priority: str | None, wait_s: int) -> WaitingTicket:
    return WaitingTicket("t1", "A001", "newborn", "新生儿出生一件事", priority, "waiting", wait_s)


def test_counter_lists_speak_english(language):
    from desk_app.ui.counter.models import ServedModel, WaitingModel

    language("en")
    model = WaitingModel()
    model.set_rows([_waiting(None, 180), _waiting("elderly", 3900)])
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headers == ["Number", "Service", "Lane", "Waited"]
    cells = [model.data(model.index(r, c)) for r in range(2) for c in (2, 3)]
    assert cells == ["Standard", "3 min", "Elderly", "1 h 5 min"]
    served = ServedModel()
    assert served.headerData(3, Qt.Orientation.Horizontal) == "Outcome"


def test_case_dialog_names_whom_a_bundle_is_for_in_english(language, qtbot, sqlite_url):
    from desk_app.store import Database
    from desk_app.ui.cases.dialog import CaseDialog

    language("en")
    dialog = CaseDialog(Database(sqlite_url).acting_as(ADMIN), 1)
    qtbot.addWidget(dialog)
    titles = [dialog.bundle_box.itemText(i) for i in range(dialog.bundle_box.count())]
    assert titles and all(t.endswith(("(person)", "(company)")) for t in titles), titles
    assert not any("（个人）" in t or "（企业）" in t for t in titles)


def test_the_case_dialog_speaks_the_catalogs_english(language, qtbot, sqlite_url):
    """Bundles, situation questions, choices and items in English, lists joined with ", "
    (never a Chinese name beside English words, never "、")."""
    from PySide6.QtWidgets import QComboBox, QLabel

    from desk_app.store import Database
    from desk_app.ui.cases.dialog import CaseDialog

    cjk = re.compile(r"[\u4e00-\u9fff、]")
    language("en")
    dialog = CaseDialog(Database(sqlite_url).acting_as(ADMIN), 1)
    qtbot.addWidget(dialog)
    titles = [dialog.bundle_box.itemText(i) for i in range(dialog.bundle_box.count())]
    assert "Newborn birth (person)" in titles and not any(cjk.search(t) for t in titles)
    dialog.bundle_box.setCurrentIndex(dialog.bundle_box.findData("after_death"))
    dialog._build_questions()
    form = dialog.questions_form
    questions = [form.itemAt(r, form.ItemRole.LabelRole).widget() for r in range(form.rowCount())]
    boxes = [form.itemAt(r, form.ItemRole.FieldRole).widget() for r in range(form.rowCount())]
    assert questions and all(isinstance(q, QLabel) and q.text().endswith("?") for q in questions)
    assert not any(cjk.search(q.text()) for q in questions), [q.text() for q in questions]
    choices = [b.itemText(i) for b in boxes if isinstance(b, QComboBox) for i in range(b.count())]
    assert choices and not any(cjk.search(c) for c in choices), choices
    preview = dialog.preview.text()
    assert "Cancelling household registration (hukou)" in preview and not cjk.search(preview)


def test_the_kiosk_names_services_in_english_and_never_splits_a_word(
    language, qtbot, small_hall, tmp_path
):
    """The service buttons in English: the bundle's English name, and a status too long for one
    line wrapped between words ("No window open yet; y / ou may..." was seen at 1366x768)."""
    from desk_app.security.roles import Actor, Role
    from desk_app.services.common.catalog import english_name
    from desk_app.services.hall import setup as hall
    from desk_app.ui.kiosk.window import KioskWindow

    hall.add_service(small_hall, "company_change", "企业信息变更一件事", "C")  # no window
    language("en")
    kiosk_actor = Actor(staff_id=None, code="kiosk", role=Role.KIOSK, device=True)
    kiosk = KioskWindow(
        small_hall.acting_as(kiosk_actor),
        pdf_dir=str(tmp_path),
        large_text=True,
        screen_size=(1366, 768),
    )
    qtbot.addWidget(kiosk)
    kiosk.resize(1366, 768)
    kiosk.show()
    with qtbot.waitSignal(kiosk.board_updated, timeout=5000):
        pass
    button = kiosk.service_button("company_change")  # no window serves it: the long status
    qtbot.waitUntil(lambda: button.status_label.text() != "", timeout=5000)
    name = button.name_label.text().replace("\n", " ")
    assert name == english_name("company_change", "?") and "一件事" not in name
    status = button.status_label.text()
    whole = "No window open yet; you may take a ticket"
    assert status.replace("\n", " ") == whole, status
    words = set(whole.split())
    assert all(w in words for line in status.split("\n") for w in line.split()), status
    kiosk.close()


def test_chinese_screens_have_chinese_ok_and_cancel(language, qtbot):
    from desk_app.ui.counter.transfer_dialog import TransferDialog

    language(None)
    dialog = TransferDialog("A001", [("retirement", "退休一件事")], [1, 2], 1)
    qtbot.addWidget(dialog)
    box = dialog.findChild(QDialogButtonBox)
    ok = box.button(QDialogButtonBox.StandardButton.Ok).text()
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel).text()
    assert "确定" in ok and "取消" in cancel


def test_the_authorization_date_follows_the_hall_not_the_os(language, qtbot, sqlite_url):
    from desk_app.store import Database
    from desk_app.ui.cases.dialog import CaseDialog

    QLocale.setDefault(QLocale.c())  # what LANG=C.UTF-8 gives Qt
    language(None)
    QLocale.setDefault(QLocale.c())  # even if something resets it after start-up
    db = Database(sqlite_url).acting_as(ADMIN)
    dialog = CaseDialog(db, 1)
    qtbot.addWidget(dialog)
    text = dialog.auth_until.text()
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", text), text

    language("en")
    dialog = CaseDialog(db, 1)
    qtbot.addWidget(dialog)
    text = dialog.auth_until.text()
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}", text), text


@pytest.mark.parametrize("width", [180, 240, 300])
def test_two_lines_breaks_english_between_words(qtbot, width):
    from PySide6.QtWidgets import QLabel

    from desk_app.ui.common.widgets import two_lines

    label = QLabel()
    qtbot.addWidget(label)
    label.setStyleSheet("font-size: 15pt;")
    label.setFixedWidth(width)
    for text in ("No window open yet; you may take a ticket", "Waiting 12 · about 35 min"):
        lines = two_lines(text, label, "").split("\n")
        assert " ".join(lines) == text or "".join(lines) == text
        words = set(text.split())
        assert all(w in words for line in lines for w in line.split()), lines
