"""What a screen shows of a refusal: the screen's language only, and no command-line option."""

from __future__ import annotations

import pytest

from desk_app.services.common.errors import Refused
from desk_app.ui.common import i18n
from desk_app.ui.common.tasks import screen_text, user_message


@pytest.fixture
def english(qapp):
    i18n.install_qt_translations(qapp, "en")
    yield
    i18n.install_qt_translations(qapp, "zh")


def test_chinese_screens_show_the_chinese_reason_without_options(qapp):
    exc = Refused("不予受理须说明理由 (--reason)", "a rejection needs a reason (--reason)")
    assert user_message(exc) == "不予受理须说明理由"


def test_english_screens_show_the_english_reason(english):
    exc = Refused("没有预约 ZZZZ1234", "no booking ZZZZ1234")
    assert user_message(exc) == "no booking ZZZZ1234"
    assert user_message(RuntimeError("x")).startswith("The action failed")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("代办须先签署授权委托书 (assist authorize)", "代办须先签署授权委托书"),
        ("a reason is needed (--reason TEXT)", "a reason is needed"),
        ("窗口号须为 1-99", "窗口号须为 1-99"),
    ],
)
def test_options_and_commands_are_left_out(text, shown):
    assert screen_text(text) == shown


def test_file_dialogs_open_in_documents_with_a_name_in_the_screens_language(
    qtbot, db, monkeypatch, english
):
    from PySide6.QtWidgets import QFileDialog

    from desk_app.ui.common.i18n import in_documents
    from desk_app.ui.common.tasks import TaskRunner
    from desk_app.ui.supervisor.stats import StatsPage

    asked: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda _p, _t, start, _f: (asked.append(start) or "", "")
    )
    from PySide6.QtWidgets import QApplication

    from desk_app.ui.common.app import install_translator

    translator = install_translator(QApplication.instance(), "en")
    runner = TaskRunner()
    page = StatsPage(db, runner)
    qtbot.addWidget(page)
    page._ask_pdf()  # noqa: SLF001 - the button's handler
    assert asked and asked[0].startswith(in_documents(""))
    assert asked[0].endswith(".pdf") and "月报" not in asked[0]  # not the Chinese name
    QApplication.instance().removeTranslator(translator)
    runner.shutdown()
