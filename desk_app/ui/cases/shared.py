"""免证办 on the materials page: the case's materials that shared data or an e-licence replaces,
fetched in the background as soon as the case is on screen, each shown as it stands:

- 待获取 (pending): being fetched, or the platform is out of reach (fetched later);
- 已通过共享获取 (fetched): the data and the e-licence to view (查看, Ctrl+L; audited);
- 无记录 / 接口失败: the material is now on the list to hand in, with the reason; 重新获取
  (Ctrl+R) asks again.

The calls run on this panel's own worker thread (desk_app/sync/share_fetch.py), never on the
dialog's: a slow or hanging department keeps nothing else at the counter waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.services.cases.dto import CaseView
from desk_app.ui.cases import labels as case_labels
from desk_app.ui.common import theme
from desk_app.ui.common.i18n import in_language
from desk_app.ui.common.tasks import TaskRunner, user_message


def state_text(state: str) -> str:
    return {
        "pending": QCoreApplication.translate("CaseDialog", "待获取…"),
        "fetched": QCoreApplication.translate("CaseDialog", "已通过共享获取"),
        "no_record": QCoreApplication.translate("CaseDialog", "无记录，需提交"),
        "failed": QCoreApplication.translate("CaseDialog", "接口失败，需提交"),
    }.get(state, state)


def reason_text(reason: str | None) -> str:
    from desk_app.services.cases.sharing import REASONS

    if not reason or reason not in REASONS:
        return ""
    zh, en = REASONS[reason]
    return in_language(zh, en)


_COLOURS = {"fetched": theme.OK, "no_record": theme.DANGER, "failed": theme.DANGER}


class SharedPanel(QWidget):
    """The shared materials of the case on screen; ``reloaded(view)`` after a fetch."""

    def __init__(
        self,
        db: Any,
        reloaded: Callable[[CaseView], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.reloaded = db, reloaded
        self.view: CaseView | None = None
        self.codes: list[str] = []
        self.reasons: dict[str, str | None] = {}
        self.busy = False
        self.asked: set[str] = set()  # cases fetched automatically once since shown
        self.runner = TaskRunner(self)  # its own thread: the network never blocks the dialog
        self.title = QLabel(QCoreApplication.translate("CaseDialog", "数据共享（免证办）："))
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("CaseDialog", "材料"),
                QCoreApplication.translate("CaseDialog", "状态"),
                QCoreApplication.translate("CaseDialog", "说明"),
            ]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.view_button = QPushButton(QCoreApplication.translate("CaseDialog", "查看 (Ctrl+L)"))
        self.retry_button = QPushButton(
            QCoreApplication.translate("CaseDialog", "重新获取 (Ctrl+R)")
        )
        self.view_button.clicked.connect(self.show_selected)
        self.retry_button.clicked.connect(self.retry)
        QShortcut(QKeySequence("Ctrl+L"), self).activated.connect(self.show_selected)
        QShortcut(QKeySequence("Ctrl+R"), self).activated.connect(self.retry)
        self.table.itemSelectionChanged.connect(self._enable)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {theme.MUTED};")
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.view_button)
        top.addWidget(self.retry_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(self.table)
        lay.addWidget(self.note)
        self.setVisible(False)

    def fill(self, view: CaseView) -> None:
        self.view = view
        rows = [m for m in view.materials if m.share is not None]
        self.setVisible(bool(rows))
        self.codes = [m.code for m in rows]
        self.reasons = {m.code: m.missing_reason for m in rows}
        self.table.setRowCount(len(rows))
        for r, m in enumerate(rows):
            name = case_labels.fact(view.bundle_code, "material", m.code, m.name)
            why = reason_text(reason_key(m.missing_reason)) if m.share != "fetched" else ""
            for c, text in enumerate((name, state_text(m.share or ""), why)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c == 1 and m.share in _COLOURS:
                    item.setForeground(QColor(_COLOURS[m.share]))
                self.table.setItem(r, c, item)
        # Show them all (at most 5) without a scroll bar: header, rows and the frame.
        rows_h = sum(self.table.rowHeight(r) for r in range(min(5, len(rows))))
        header_h = self.table.horizontalHeader().sizeHint().height()
        self.table.setFixedHeight(header_h + rows_h + 2 * self.table.frameWidth() + 8)
        self._enable()
        pending = any(m.share == "pending" for m in rows)
        if pending and view.case_no not in self.asked:
            self.asked.add(view.case_no)
            self.fetch(retry=False)

    def _enable(self) -> None:
        code = self.selected()
        states = {m.code: m.share for m in (self.view.materials if self.view else [])}
        self.view_button.setEnabled(code is not None and states.get(code) == "fetched")
        self.retry_button.setEnabled(
            not self.busy and any(s in ("no_record", "failed", "pending") for s in states.values())
        )

    def selected(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return self.codes[rows[0].row()]

    def retry(self) -> None:
        if self.view is not None and not self.busy:
            self.fetch(retry=True)

    def fetch(self, *, retry: bool) -> None:
        """Ask the platform for the case's shared materials on the panel's own thread."""
        if self.view is None or self.db is None:
            return
        from desk_app.services.cases import actions as cases
        from desk_app.sync import share_fetch

        db, case_no = self.db, self.view.case_no
        self.busy = True
        self._enable()
        self.note.setText(QCoreApplication.translate("CaseDialog", "正在向共享平台获取…"))

        def work() -> tuple[Any, CaseView]:
            report = share_fetch.fetch_case(db, share_fetch.client_maker(), case_no, retry=retry)
            return report, cases.show(db, case_no)

        self.runner.submit(work, self._fetched, self._failed)

    def _fetched(self, result: tuple[Any, CaseView]) -> None:
        report, view = result
        self.busy = False
        offline = report.offline
        self.note.setText(
            QCoreApplication.translate(
                "CaseDialog", "共享平台暂时无法连接：材料保持“待获取”，联网后自动获取。"
            )
            if offline
            else ""
        )
        if self.view is not None and view.case_no == self.view.case_no:
            self.reloaded(view)
        self._enable()

    def _failed(self, exc: Exception) -> None:
        self.busy = False
        self.note.setText(user_message(exc))
        self._enable()

    def show_selected(self) -> None:
        code = self.selected()
        if code is None or self.view is None or not self.view_button.isEnabled():
            return
        from desk_app.ui.cases.shared_view import SharedDataDialog

        SharedDataDialog(self.db, self.view, code, self).exec()


def reason_key(missing_reason: str | None) -> str | None:
    """The REASONS key of a stored (Chinese) missing reason, to show it in the UI's language."""
    from desk_app.services.cases.sharing import REASONS

    for key, (zh, _en) in REASONS.items():
        if missing_reason == zh:
            return key
    return None
