"""Find a case at the counter (Shift+F10) for a returning applicant — after a 一次性告知 or
with 容缺 materials — by case number, resident ID or the QR of a printed receipt or notice
(a scanner types the URL and Enter). The case then continues in the case dialog."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.clock import local
from desk_app.domain.validators import mask_id
from desk_app.services.cases.dto import CaseRef
from desk_app.services.cases.search import find_cases
from desk_app.store import Database
from desk_app.ui.cases import labels as case_labels
from desk_app.ui.common import theme
from desk_app.ui.common.idcard import ReadCardButton
from desk_app.ui.common.tasks import TaskRunner, user_message


class FindCaseDialog(QDialog):
    """Type or scan, Enter; one match opens at once, several are listed (Enter picks one).
    ``chosen(case_no)`` names the case to continue."""

    chosen = Signal(str)
    searched = Signal(int)  # how many cases the last search found

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.runner = TaskRunner(self)
        self.refs: list[CaseRef] = []
        self.setWindowTitle(self.tr("查找办件"))
        self.setMinimumWidth(760)
        self.query = QLineEdit()
        self.query.setPlaceholderText(
            self.tr("办件编号、身份证号或统一社会信用代码；或扫描回执、告知单上的二维码")
        )
        self.query.returnPressed.connect(self.search)
        self.message = QLabel(self.tr("按 Enter 查找。"))
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {theme.MUTED}; font-size: 12pt;")
        self.results = QTableWidget(0, 5)
        self.results.setHorizontalHeaderLabels(
            [
                self.tr("办件编号"),
                self.tr("一件事"),
                self.tr("状态"),
                self.tr("申请人"),
                self.tr("登记日期"),
            ]
        )
        self.results.verticalHeader().setVisible(False)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.results.activated.connect(lambda index: self.pick(index.row()))
        self.results.setVisible(False)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("继续办理已有办件（补交材料、受理、办结）：")))
        # A returning visitor lays their card on the reader: their cases by the card's number.
        self.card_button = ReadCardButton(db, self.runner, self)
        self.card_button.card_read.connect(self.find_by_card)
        self.card_button.failed.connect(self.message.setText)
        row = QHBoxLayout()
        row.addWidget(self.query, 1)
        row.addWidget(self.card_button)
        lay.addLayout(row)
        lay.addWidget(self.message)
        lay.addWidget(self.results, 1)
        self.query.setFocus()

    def find_by_card(self, card: Any) -> None:
        """The cases of the card's holder; the field shows the number masked, as lists do."""
        self.query.setText(mask_id(card.id_number))
        self.message.setText(self.tr("正在查找…"))
        db, number = self.db, card.id_number
        self.runner.submit(lambda: find_cases(db, number), self._found, self._failed)

    def search(self) -> None:
        text = self.query.text()
        if not text.strip():
            return
        self.message.setText(self.tr("正在查找…"))
        db = self.db
        self.runner.submit(lambda: find_cases(db, text), self._found, self._failed)
        # A scanner's next code starts a new search, not an addition to this one.
        self.query.selectAll()

    def _found(self, refs: list[CaseRef]) -> None:
        self.refs = refs
        self.results.setRowCount(len(refs))
        for r, ref in enumerate(refs):
            cells = (
                ref.case_no,
                ref.bundle_name,
                case_labels.state(ref.state),
                f"{ref.applicant_name} {ref.applicant_id}",
                local(ref.opened_at).strftime("%Y-%m-%d"),
            )
            for c, text in enumerate(cells):
                self.results.setItem(r, c, QTableWidgetItem(text))
        self.results.setVisible(bool(refs))
        self.searched.emit(len(refs))
        if not refs:
            self.message.setText(self.tr("没有找到办件，请核对后重试。"))
            self.query.setFocus()
        elif len(refs) == 1:
            self.pick(0)
        else:
            self.message.setText(
                self.tr("找到 %1 件：用 ↑↓ 选择，按 Enter 继续办理。").replace("%1", str(len(refs)))
            )
            self.results.selectRow(0)
            self.results.setFocus()

    def _failed(self, exc: Exception) -> None:
        self.message.setText(user_message(exc))
        self.searched.emit(0)

    def pick(self, row: int) -> None:
        if 0 <= row < len(self.refs):
            self.chosen.emit(self.refs[row].case_no)
            self.accept()

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        """Enter in the list continues the selected case (not the dialog's default button)."""
        if self.results.hasFocus() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.pick(self.results.currentRow())
            return
        super().keyPressEvent(event)

    def done(self, result: int) -> None:
        self.runner.shutdown()
        super().done(result)
