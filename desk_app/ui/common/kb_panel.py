"""The knowledge-base side panel (政策问答): a search box, the answers ranked with their score,
and the chosen answer with its policy source and a flag when it is past its review date.

Embed it anywhere: ``KbPanel(db, bundle="newborn")`` (the bundle may change later with
``set_bundle``). At the counter, ``kb_button(counter)`` adds the key F11 and a button that open
the panel beside the window for the bundle of the ticket being served. Searches run on the
panel's worker thread; each one is logged (masked) and the answer a person opens is recorded.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desk_app.services.common.catalog import catalog
from desk_app.services.kb import answers as kb
from desk_app.store import Database
from desk_app.ui.common import theme
from desk_app.ui.common.tasks import TaskRunner, user_message

KEY = "F11"
_ID = Qt.ItemDataRole.UserRole


_CATALOG_FILE = re.compile(r"\s*[(（]?bundles/[a-z0-9_]+\.json[)）]?")


def readable_source(source: str) -> str:
    """A source as a clerk reads it: the policy text, without the catalog's file names."""
    return _CATALOG_FILE.sub("", source).strip("；; ")


class KbPanel(QWidget):
    """Search the knowledge base; ``bundle`` narrows it to one 一件事 (the box can widen it)."""

    answered = Signal(str)  # the id of the entry shown as the answer

    def __init__(
        self,
        db: Database,
        bundle: str | None = None,
        *,
        channel: str = "counter",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.channel = channel
        self.bundle: str | None = None
        self.hits: list[kb.KbHit] = []
        self.question_id: int | None = None
        self.runner = TaskRunner(self)
        self._build()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(350)
        self._debounce.timeout.connect(self.search)
        self.box.textEdited.connect(lambda _t: self._debounce.start())
        self.set_bundle(bundle)

    def _build(self) -> None:
        self.title = QLabel(self.tr("政策问答"))
        self.title.setStyleSheet(f"font-size: 15pt; font-weight: bold; color: {theme.PRIMARY};")
        self.box = QLineEdit()
        self.box.setPlaceholderText(self.tr("输入群众的问题, 如: 生孩子要带什么"))
        self.box.setClearButtonEnabled(True)
        self.box.setStyleSheet("font-size: 13pt; padding: 6px;")
        self.box.returnPressed.connect(self.search)
        self.only_bundle = QCheckBox()
        self.only_bundle.toggled.connect(lambda _on: self.search())
        self.status = QLabel()
        self.status.setStyleSheet(f"color: {theme.MUTED};")
        self.status.setWordWrap(True)

        self.results = QListWidget()
        self.results.setStyleSheet("font-size: 12pt;")
        self.results.setWordWrap(True)
        self.results.currentRowChanged.connect(self._show_row)
        self.answer = QTextBrowser()
        self.results.itemActivated.connect(lambda _item: self.answer.setFocus())
        self.answer.setOpenLinks(False)
        self.answer.setStyleSheet("font-size: 13pt; background: white;")

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.results)
        split.addWidget(self.answer)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 10, 10, 10)
        lay.addWidget(self.title)
        lay.addWidget(self.box)
        lay.addWidget(self.only_bundle)
        lay.addWidget(self.status)
        lay.addWidget(split, 1)
        # Down from the box goes to the results, as in a search field anywhere.
        QShortcut(QKeySequence(Qt.Key.Key_Down), self.box, self.results.setFocus)

    # -- the bundle ------------------------------------------------------------------------------

    def set_bundle(self, bundle: str | None) -> None:
        """Narrow the search to ``bundle`` (None: every 一件事) and list its questions."""
        self.bundle = bundle
        name = kb.bundle_name(bundle) if bundle else ""
        self.only_bundle.setVisible(bool(bundle))
        self.only_bundle.setText(self.tr("只查本事项: %1").replace("%1", name))
        self.only_bundle.blockSignals(True)
        self.only_bundle.setChecked(bool(bundle))
        self.only_bundle.blockSignals(False)
        self.search()

    # -- searching -------------------------------------------------------------------------------

    def search(self) -> None:
        """Search for the box's text; an empty box lists the bundle's own questions."""
        self._debounce.stop()
        text = self.box.text().strip()
        bundle = self.bundle if self.only_bundle.isChecked() else None
        if not text:
            self.runner.submit(partial(_browse, bundle), self._show_browse, self._failed)
            return
        self.status.setText(self.tr("正在查询…"))
        self.runner.submit(
            partial(kb.search, self.db, text, bundle=bundle, limit=10, channel=self.channel),
            self._show_result,
            self._failed,
        )

    def _show_browse(self, hits: list[kb.KbHit]) -> None:
        self.question_id = None
        self._fill(hits, scores=False)
        self.status.setText(
            self.tr("本事项常见问题 %1 条").replace("%1", str(len(hits)))
            if self.bundle and self.only_bundle.isChecked()
            else self.tr("请输入问题查询")
        )

    def _show_result(self, result: kb.KbSearchResult) -> None:
        self.question_id = result.question_id
        self._fill(result.hits, scores=True)
        if result.hits:
            self.status.setText(
                self.tr("找到 %1 条, 按相关度排列").replace("%1", str(len(result.hits)))
            )
        else:
            self.status.setText(self.tr("没有找到答案, 问题已转值班长补充。"))

    def _fill(self, hits: list[kb.KbHit], *, scores: bool) -> None:
        self.hits = hits
        self.results.blockSignals(True)  # only a person's choice below counts as an answer
        self.results.clear()
        for hit in hits:
            flag = self.tr(" [待复核]") if hit.review_due else ""
            # Ranked best first; the raw score means nothing to a clerk (kept in the tooltip).
            item = QListWidgetItem(f"{hit.question}{flag}")
            if scores:
                item.setToolTip(f"{hit.score:.1f}")
            item.setData(_ID, hit.id)
            item.setToolTip(hit.bundle_name)
            if hit.review_due:
                item.setForeground(Qt.GlobalColor.darkRed)
            self.results.addItem(item)
        self.answer.clear()
        if hits:
            self.results.setCurrentRow(0)
        self.results.blockSignals(False)
        if hits:
            self._show_row(0)

    def _show_row(self, row: int) -> None:
        if not 0 <= row < len(self.hits):
            return
        hit = self.hits[row]
        self.answer.setHtml(self._answer_html(hit))
        if self.question_id is not None and row > 0:
            # The first hit is logged with the question; another one opened is the answer.
            self.runner.submit(
                partial(kb.record_answer, self.db, self.question_id, hit.id), None, lambda _e: None
            )
        self.answered.emit(hit.id)

    def _answer_html(self, hit: kb.KbHit) -> str:
        e = html.escape
        source, bundle, version, review = (
            self.tr("依据"),
            self.tr("一件事"),
            self.tr("版本"),
            self.tr("复核日期"),
        )
        overdue = self.tr("已过复核日期, 请核实后再答复群众")
        unchecked = self.tr("未核实：本答复尚未与官方文本核对，答复群众时请说明以部门办事指南为准")
        checked = self.tr("已核实")
        parts = [
            f"<p style='font-size:14pt; font-weight:bold; color:{theme.PRIMARY}'>"
            f"{e(hit.question)}</p>",
            f"<p style='font-size:13pt'>{e(hit.answer)}</p>",
            f"<p style='color:{theme.MUTED}'>{e(source)}: {e(readable_source(hit.source))}<br>"
            f"{e(bundle)}: {e(hit.bundle_name)} · {e(version)} {hit.version} · "
            f"{e(review)} {e(hit.review)}</p>",
        ]
        if hit.review_due:
            parts.append(
                f"<p style='color:white; background:{theme.DANGER}; padding:4px'>{e(overdue)}</p>"
            )
        if hit.needs_check:
            parts.append(
                f"<p style='color:white; background:{theme.ACCENT}; padding:4px'>{e(unchecked)}</p>"
            )
        elif hit.verified:
            parts.append(
                f"<p style='color:{theme.OK}'>{e(checked)}: {e(hit.verified['by'])} "
                f"{e(hit.verified['at'])}</p>"
            )
        return "".join(parts)

    def _failed(self, exc: Exception) -> None:
        self.status.setText(user_message(exc))

    def shutdown(self) -> None:
        self.runner.shutdown()


def _browse(bundle: str | None) -> list[kb.KbHit]:
    """A bundle's questions, hand-written (colloquial) ones first; none without a bundle."""
    if bundle is None:
        return []
    entries = kb.knowledge_base().for_bundle(bundle)
    ordered = sorted(entries, key=lambda e: ("-h" not in e.id, e.id))
    return [kb.KbHit.of(e, 0.0) for e in ordered]


class KbPanelWindow(QDialog):
    """The panel as a window of its own beside the counter (non-modal; F11 or Esc closes)."""

    def __init__(
        self,
        db: Database,
        bundle: str | None,
        parent: QWidget | None = None,
        *,
        channel: str = "counter",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("政策问答"))
        self.setModal(False)
        self.panel = KbPanel(db, bundle, channel=channel, parent=self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.panel)
        self.resize(520, 760)
        QShortcut(QKeySequence(KEY), self, self.close)

    def place_beside(self, anchor: QWidget) -> None:
        """On the right edge of the counter window (or of its screen)."""
        frame = anchor.window().frameGeometry()
        self.move(max(0, frame.right() - self.width()), frame.top())

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        self.panel.shutdown()
        super().closeEvent(event)


class KbButton(QPushButton):
    """The knowledge-base button with its key (F11): opens the panel for the bundle at hand
    (at the counter, the ticket's: service codes are bundle codes; on the helper screen, the
    session's via ``bundle_of``), or for every bundle; pressed again for the same bundle,
    closes it."""

    def __init__(
        self,
        counter: Any,
        *,
        bundle_of: Callable[[], str | None] | None = None,
        channel: str = "counter",
    ) -> None:
        super().__init__()
        self.counter = counter
        self.bundle_of = bundle_of
        self.channel = channel
        self.window_: KbPanelWindow | None = None
        self.setText(self.tr("政策问答") + f" {KEY}")
        self.setToolTip(self.tr("政策问答") + f" ({KEY})")
        self.clicked.connect(self.toggle_panel)
        shortcut = QShortcut(QKeySequence(KEY), counter)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(self.toggle_panel)

    def current_bundle(self) -> str | None:
        if self.bundle_of is not None:
            code = self.bundle_of()
            return code if code in catalog().codes else None
        board = self.counter.board
        current = board.current if board else None
        code = current.service if current is not None else None
        return code if code in catalog().codes else None

    def toggle_panel(self) -> None:
        bundle = self.current_bundle()
        window = self.window_
        if window is not None and window.isVisible():
            if window.panel.bundle == bundle:
                window.close()
                return
            window.panel.set_bundle(bundle)
        else:
            window = KbPanelWindow(self.counter.db, bundle, self.counter, channel=self.channel)
            window.place_beside(self.counter)
            self.window_ = window
            window.show()
        window.raise_()
        window.panel.box.setFocus()
