"""The knowledge base on screen: the counter's side panel (F11) and the kiosk's consult page."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from desk_app.security.roles import Actor, Role
from desk_app.services.accounts import staff as accounts
from desk_app.services.hall import setup as hall
from desk_app.services.queue import operations as queue
from desk_app.store import Database
from desk_app.store.kb_models import KbAnswer, KbQuestion
from desk_app.store.schema import upgrade
from tests.tools import ADMIN

pytestmark = pytest.mark.gui
KIOSK = Actor(staff_id=None, code="kiosk", role=Role.KIOSK, device=True)


@pytest.fixture
def small_hall(sqlite_url) -> Iterator[Database]:
    db = Database(sqlite_url).acting_as(ADMIN)
    upgrade(db)
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall.add_window(db, 1, ["newborn"])
    accounts.create_account(db, "s01", "王芳", "counter", "Counter-2024")
    hall.open_window(db, 1, "s01")
    yield db
    db.dispose()


def _close(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    widget.close()
    gone: list[bool] = []
    widget.destroyed.connect(lambda: gone.append(True))
    widget.deleteLater()
    qtbot.waitUntil(lambda: gone == [True], timeout=5000)


def test_panel_lists_the_bundle_then_ranks_answers_and_records_the_one_opened(qtbot, small_hall):
    from desk_app.ui.common.kb_panel import KbPanel

    panel = KbPanel(small_hall, "newborn")
    panel.show()
    qtbot.waitUntil(lambda: panel.results.count() > 10, timeout=5000)
    assert panel.question_id is None  # browsing is no question
    assert panel.results.item(0).text().startswith("生孩子")  # hand-written ones first

    panel.box.setText("父母没结婚孩子怎么上户口")
    panel.box.returnPressed.emit()
    qtbot.waitUntil(lambda: panel.question_id is not None, timeout=5000)
    assert panel.hits[0].id == "newborn-h04"
    assert panel.results.item(0).text().startswith(panel.hits[0].question)  # no raw score
    assert panel.results.item(0).toolTip()  # the score is kept in the tooltip
    assert "非婚生育情况说明" in panel.answer.toPlainText()
    assert "目录" in panel.answer.toPlainText()  # the source is shown ...
    assert ".json" not in panel.answer.toPlainText()  # ... without the catalog's file names

    panel.results.setCurrentRow(1)

    def answers() -> list[tuple[int, str]]:
        with small_hall.read() as s:
            return [(a.question_id, a.entry_id) for a in s.scalars(select(KbAnswer))]

    qtbot.waitUntil(lambda: bool(answers()), timeout=5000)
    assert answers() == [(panel.question_id, panel.hits[1].id)]
    _close(qtbot, panel)


def test_f11_at_the_counter_opens_the_panel_for_the_ticket_being_served(qtbot, small_hall):
    from desk_app.ui.counter.window import CounterWindow

    queue.issue_ticket(small_hall, "newborn")
    queue.call_next(small_hall, 1)  # the visitor is at window 1
    counter = CounterWindow(small_hall, 1)
    counter.show()
    counter.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is counter, timeout=10000)
    qtbot.waitUntil(lambda: bool(counter.board and counter.board.current), timeout=5000)
    assert "F11" in counter.kb_button.text()

    qtbot.keyClick(counter, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: counter.kb_button.window_ is not None, timeout=10000)
    panel = counter.kb_button.window_.panel
    assert panel.bundle == "newborn" and panel.only_bundle.isChecked()
    qtbot.waitUntil(lambda: panel.results.count() > 0, timeout=5000)
    assert panel.channel == "counter"
    qtbot.keyClick(counter, Qt.Key.Key_F11)  # the same key, the same bundle: closes it
    assert not counter.kb_button.window_.isVisible()
    queue.start(small_hall, 1)
    queue.complete(small_hall, 1)  # a window logs out only without a current ticket
    qtbot.waitUntil(
        lambda: counter.board is not None and counter.board.current is None, timeout=5000
    )
    _close(qtbot, counter)


def test_the_kiosk_consult_page_answers_and_sends_unknown_questions_on(qtbot, small_hall, tmp_path):
    from desk_app.ui.kiosk.window import KioskWindow

    kiosk = KioskWindow(small_hall.acting_as(KIOSK), pdf_dir=str(tmp_path))
    kiosk.resize(1280, 800)
    kiosk.show()
    qtbot.mouseClick(kiosk.consult_button, Qt.MouseButton.LeftButton)
    page = kiosk.consult_page
    assert kiosk.pages.currentWidget() is page and page.topics_box.isVisible()

    page.ask_topic("生孩子要办什么")
    qtbot.waitUntil(lambda: page.answer_area.isVisible(), timeout=5000)
    # The common topics and the categories stay for the next question.
    assert page.hits[0].bundle == "newborn" and page.topics_box.isVisible()
    assert "(check)" not in page.answer.text()  # visitors get the note at the bottom instead

    # An unverified time limit is not shown to a citizen as fact.
    page.ask_topic("退休要多久")
    qtbot.waitUntil(lambda: "退休" in page.answer.text(), timeout=5000)
    assert page.hits[0].needs_check and "个工作日" in page.hits[0].answer
    assert "个工作日" not in page.answer.text() and "以窗口告知为准" in page.answer.text()
    if os.environ.get("DESK_APP_SHOTS"):
        kiosk.grab().save(os.path.join(os.environ["DESK_APP_SHOTS"], "kiosk-unverified.png"))

    page.box.setText("明天天气怎么样")
    page.ask()
    qtbot.waitUntil(lambda: "记录" in page.status.text(), timeout=5000)
    assert page.results.count() == 0
    with small_hall.read() as s:
        rows = s.scalars(select(KbQuestion).order_by(KbQuestion.id)).all()
    assert [(r.channel, r.hits > 0, r.actor) for r in rows] == [
        ("kiosk", True, None),
        ("kiosk", True, None),
        ("kiosk", False, None),
    ]

    qtbot.mouseClick(page.back, Qt.MouseButton.LeftButton)
    assert kiosk.current_page() == "start" and kiosk.pages.currentWidget() is kiosk.start_page
    _close(qtbot, kiosk)


def test_the_kiosk_consult_page_works_by_touch_alone(qtbot, small_hall, tmp_path):
    """No keyboard at a kiosk: 个人办事 → the 一件事 → its questions → the answer, by taps."""
    from desk_app.services.common.catalog import catalog
    from desk_app.ui.kiosk.window import KioskWindow

    kiosk = KioskWindow(small_hall.acting_as(KIOSK), pdf_dir=str(tmp_path))
    kiosk.resize(1366, 768)
    kiosk.show()
    qtbot.mouseClick(kiosk.consult_button, Qt.MouseButton.LeftButton)
    page = kiosk.consult_page
    qtbot.mouseClick(page.category_buttons["person"], Qt.MouseButton.LeftButton)
    people = [b for b in catalog().everything if b.audience == "person"]
    assert page.results.count() == len(people) and page.results.item(0).text() == people[0].name

    def tap(row: int) -> None:
        page.results.scrollToItem(page.results.item(row))
        rect = page.results.visualItemRect(page.results.item(row))
        qtbot.mouseClick(page.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    newborn = next(i for i, b in enumerate(people) if b.code == "newborn")
    tap(newborn)
    qtbot.waitUntil(lambda: page.answer_area.isVisible(), timeout=5000)
    assert page.hits and all(h.bundle == "newborn" for h in page.hits)
    assert page.hits[0].question in page.answer.text() and page.topics_box.isVisible()
    if len(page.hits) > 1:
        tap(1)
        assert page.hits[1].question in page.answer.text()
    if os.environ.get("DESK_APP_SHOTS"):
        kiosk.grab().save(os.path.join(os.environ["DESK_APP_SHOTS"], "kiosk-browse.png"))
    # Browsing asks nothing: no question is logged for the supervisor's unanswered list.
    with small_hall.read() as s:
        assert s.scalars(select(KbQuestion)).all() == []
    qtbot.mouseClick(page.category_buttons["company"], Qt.MouseButton.LeftButton)
    assert page.results.count() == sum(b.audience == "company" for b in catalog().everything)
    assert not page.answer_area.isVisible()
    _close(qtbot, kiosk)
