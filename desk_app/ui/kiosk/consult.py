"""The kiosk's consult page (政策咨询): a visitor asks in their own words, touches a common
topic, or browses by touch alone (个人办事 / 企业办事 → the 一件事 → its questions: a kiosk has
no physical keyboard), and reads the answer in large type before taking a number. The common
topics and the categories stay on the page after every answer.

``install_consult(kiosk, look)`` adds the page to the kiosk's pages and a button to its start
page; the kiosk's idle timer brings it back to the start like any other page. Searches run on
the kiosk's worker thread under the kiosk's device role (``kb search`` is public) and are
logged as channel ``kiosk``; a question nothing answers goes to the supervisor's list.
"""

from __future__ import annotations

import html
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desk_app.services.common.catalog import catalog, english_name
from desk_app.services.kb import answers as kb
from desk_app.ui.common.i18n import QT_TRANSLATE_NOOP, is_english
from desk_app.ui.common.tasks import TaskRunner

# What visitors ask most (the seed's first 一件事 and the ones asked at the 导服台).
TOPICS = (
    QT_TRANSLATE_NOOP("KioskConsultPage", "生孩子要办什么"),
    QT_TRANSLATE_NOOP("KioskConsultPage", "办退休要多久"),
    QT_TRANSLATE_NOOP("KioskConsultPage", "营业执照地址变更"),
    QT_TRANSLATE_NOOP("KioskConsultPage", "老人去世要办什么"),
    QT_TRANSLATE_NOOP("KioskConsultPage", "迁户口带什么"),
    QT_TRANSLATE_NOOP("KioskConsultPage", "申请公租房"),
)
MAX_RESULTS = 4  # what fits beside the answer without scrolling, in large text too
CATEGORIES = (
    ("person", QT_TRANSLATE_NOOP("KioskConsultPage", "个人办事")),
    ("company", QT_TRANSLATE_NOOP("KioskConsultPage", "企业办事")),
)


class KioskConsultPage(QWidget):
    """Ask, choose one of up to four answers, read it; large, touch-sized, no scrolling lists."""

    def __init__(
        self, db: Any, look: Any, runner: TaskRunner, *, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.db = db
        self.look = look
        self.runner = runner
        self.hits: list[kb.KbHit] = []
        self.question_id: int | None = None
        # What the list on the left holds: answers to a question ("hits"), a category's
        # bundles ("bundles", codes in self.bundle_codes) or a bundle's entries ("entries").
        self.listing = "hits"
        self.bundle_codes: list[str] = []
        self.max_results = 3 if look.high_contrast else MAX_RESULTS  # large text: 3 fit
        self.back_handler: Any = None
        self._build()

    def _build(self) -> None:
        look, pt = self.look, self.look.pt
        title = QLabel(self.tr("政策咨询: 请输入您想问的问题"))
        title.setStyleSheet(f"font-size: {pt(20)}pt; font-weight: bold;")
        self.box = QLineEdit()
        self.box.setPlaceholderText(self.tr("例如: 生孩子要带什么材料"))
        self.box.setMinimumHeight(round(64 * look.scale))
        self.box.setStyleSheet(
            f"font-size: {pt(20)}pt; padding: 6px 14px; background: white;"
            f"border: {max(2, look.border_w)}px solid {look.accent}; border-radius: 10px;"
        )
        self.box.returnPressed.connect(self.ask)
        ask = self.touch_button(self.tr("查询"), primary=True)
        ask.clicked.connect(self.ask)
        row = QHBoxLayout()
        row.addWidget(self.box, 1)
        row.addWidget(ask)
        # Touch only: the categories beside the box, the common topics under it; they stay
        # after each answer.
        self.category_buttons: dict[str, QPushButton] = {}
        for audience, label in CATEGORIES:
            btn = self.touch_button(self.tr(label), primary=True)
            btn.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            btn.clicked.connect(partial(self.browse_category, audience))
            self.category_buttons[audience] = btn
            row.addWidget(btn)

        self.topics_box = QWidget()
        self.topics = QGridLayout(self.topics_box)
        self.topics.setContentsMargins(0, 0, 0, 0)
        self.topics.setSpacing(10)
        for i, topic in enumerate(TOPICS):
            btn = self.touch_button(self.tr(topic), compact=True)
            # The knowledge base is Chinese: an English label still asks the Chinese question.
            btn.clicked.connect(partial(self.ask_topic, topic))
            self.topics.addWidget(btn, i // 3, i % 3)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet(f"font-size: {pt(16)}pt; color: {look.muted};")
        # Up to four answers on the left, the chosen one on the right: nothing scrolls away.
        self.results = QListWidget()
        self.results.setWordWrap(True)
        self.results.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        # A category's twenty bundles scroll by dragging a finger, as on a phone.
        QScroller.grabGesture(
            self.results.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture
        )
        self.results.setStyleSheet(
            f"QListWidget {{ font-size: {pt(17)}pt; background: transparent; border: none; }}"
            f"QListWidget::item {{ background: {look.card}; padding: 12px;"
            f" border: {look.border_w}px solid {look.border}; border-radius: 12px;"
            f" margin-bottom: 10px; color: {look.text}; }}"
            f"QListWidget::item:selected {{ border: 3px solid {look.accent};"
            f" background: {look.card}; color: {look.text}; }}"
        )
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # touched, never tabbed into
        self.results.currentRowChanged.connect(self._chosen)
        self.results.setVisible(False)

        self.answer = QLabel()
        self.answer.setWordWrap(True)
        self.answer.setTextFormat(Qt.TextFormat.RichText)
        self.answer.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.answer.setStyleSheet(
            f"font-size: {pt(19)}pt; background: {look.card}; padding: 16px;"
            f"border: {look.border_w}px solid {look.border}; border-radius: 12px;"
        )
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.answer)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.answer_area = scroll
        QScroller.grabGesture(
            scroll.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture
        )
        scroll.setVisible(False)

        self.back = self.touch_button(self.tr("返回取号"), primary=True)
        self.back.clicked.connect(self._back)
        note = QLabel(self.tr("答复仅供参考, 以窗口工作人员的告知为准。"))
        note.setStyleSheet(f"font-size: {pt(13)}pt; color: {look.muted};")
        bottom = QHBoxLayout()
        bottom.addWidget(note, 1)
        bottom.addWidget(self.back)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(32, 14, 32, 14)
        lay.setSpacing(12)
        lay.addWidget(title)
        lay.addLayout(row)
        lay.addWidget(self.topics_box)
        lay.addWidget(self.status)
        body = QHBoxLayout()
        body.setSpacing(16)
        body.addWidget(self.results, 2)
        body.addWidget(scroll, 3)
        lay.addLayout(body, 1)
        lay.addLayout(bottom)

    def touch_button(
        self, text: str, *, primary: bool = False, compact: bool = False
    ) -> QPushButton:
        look = self.look
        btn = QPushButton(text)
        btn.setMinimumHeight(round((52 if compact else 60) * look.scale))
        btn.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        btn.setCursor(Qt.CursorShape.PointingHandCursor)
        bg, fg = (look.accent, "white") if primary else (look.card, look.text)
        btn.setStyleSheet(
            f"QPushButton {{ font-size: {look.pt(17)}pt; background: {bg}; color: {fg};"
            f"border: {look.border_w}px solid {look.border}; border-radius: 12px;"
            f"padding: 6px 18px; }}"
        )
        return btn

    def opening_button(self) -> QPushButton:
        """The start page's way in."""
        return self.touch_button(self.tr("不知道办哪件事? 政策咨询"))

    # -- asking ----------------------------------------------------------------------------------

    def reset(self) -> None:
        """Empty, for the next visitor."""
        self.box.clear()
        self.status.clear()
        self._show_hits([])

    def browse_category(self, audience: str) -> None:
        """List a category's 一件事 to choose from by touch."""
        english = is_english()
        bundles = [b for b in catalog().everything if b.audience == audience]
        self.bundle_codes = [b.code for b in bundles]
        self._fill(
            [english_name(b.code, b.name) if english else b.name for b in bundles], "bundles"
        )
        self.hits, self.question_id = [], None
        self.status.setText(self.tr("请点击您要办的事:"))

    def browse_bundle(self, code: str) -> None:
        """List a bundle's questions; the first one's answer shows at once."""
        self.status.setText(self.tr("正在查询…"))
        self.runner.submit(partial(kb.browse, self.db, code), self._browsed, self._failed)

    def _browsed(self, hits: list[kb.KbHit]) -> None:
        self.question_id = None
        self._show_hits(hits, listing="entries")
        if hits:
            self.status.setText(self.tr("请点击您想了解的问题:"))
            self.show_answer(0)
        else:
            self.status.setText(self.tr("这件事暂无答复, 请取号到窗口或导服台咨询。"))

    def _chosen(self, row: int) -> None:
        if self.listing == "bundles":
            if 0 <= row < len(self.bundle_codes):
                self.browse_bundle(self.bundle_codes[row])
        else:
            self.show_answer(row)

    def ask_topic(self, text: str) -> None:
        self.box.setText(text)
        self.ask()

    def ask(self) -> None:
        text = self.box.text().strip()
        if not text:
            self.status.setText(self.tr("请先输入问题, 或点击上面的常见问题。"))
            return
        self.status.setText(self.tr("正在查询…"))
        self.runner.submit(
            partial(kb.search, self.db, text, limit=self.max_results, channel="kiosk"),
            self._answered,
            self._failed,
        )

    def _answered(self, result: kb.KbSearchResult) -> None:
        self._show_hits(result.hits)
        self.question_id = result.question_id
        if result.hits:
            self.status.setText(self.tr("请点击最接近您问题的一条:"))
            self.show_answer(0)
        else:
            self.status.setText(
                self.tr("暂时没有找到答案, 我们已记录您的问题。请取号到窗口或导服台咨询。")
            )

    def _failed(self, _exc: Exception) -> None:
        self.status.setText(self.tr("暂时无法查询, 请到导服台咨询。"))

    def _show_hits(self, hits: list[kb.KbHit], *, listing: str = "hits") -> None:
        self.hits = hits
        self._fill([hit.question for hit in hits], listing)

    def _fill(self, lines: list[str], listing: str) -> None:
        self.listing = listing
        self.results.blockSignals(True)
        self.results.clear()
        for line in lines:
            self.results.addItem(QListWidgetItem(line))
        self.results.blockSignals(False)
        self.results.scrollToTop()
        self.results.setVisible(bool(lines))
        self.answer_area.setVisible(False)

    def show_answer(self, row: int) -> None:
        """Show answer ``row``; one other than the first is recorded as the answer chosen."""
        if not 0 <= row < len(self.hits):
            return
        hit = self.hits[row]
        if self.results.currentRow() != row:
            self.results.blockSignals(True)
            self.results.setCurrentRow(row)
            self.results.blockSignals(False)
        text = hit.public_answer or hit.answer  # unverified: no time limits, "以窗口告知为准"
        self.answer.setText(
            f"<p><b>{_escape(hit.question)}</b></p><p>{_escape(text)}</p>"
            f"<p style='color:{self.look.muted}; font-size:{self.look.pt(13)}pt'>"
            f"{_escape(hit.bundle_name)}</p>"
        )
        self.answer_area.setVisible(True)
        if row > 0 and self.question_id is not None and self.listing == "hits":
            self.runner.submit(
                partial(kb.record_answer, self.db, self.question_id, hit.id), None, lambda _e: None
            )

    def _back(self) -> None:
        if self.back_handler is not None:
            self.back_handler()


def _escape(text: str) -> str:
    return html.escape(text)


def install_consult(kiosk: Any, look: Any) -> KioskConsultPage:
    """Add the consult page to a KioskWindow: a button under the services opens it; 返回取号
    and the idle timeout go back to the start page."""
    page = KioskConsultPage(kiosk.db, look, kiosk.runner)
    kiosk.pages.addWidget(page)
    button = page.opening_button()
    button.setObjectName("consult")

    def open_page() -> None:
        page.reset()
        kiosk.pages.setCurrentWidget(page)  # the touch itself restarted the idle countdown
        page.box.setFocus()

    button.clicked.connect(open_page)
    page.back_handler = kiosk.go_start
    kiosk.start_page.layout().addWidget(button)
    for widget in [page, button, *page.findChildren(QWidget)]:
        widget.installEventFilter(kiosk)  # touches on the page keep the kiosk awake
    kiosk.consult_page = page
    kiosk.consult_button = button
    return page
