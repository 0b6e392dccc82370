"""Cases the central backend refused (dead letters): reason, retry, resolve by hand."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.store import Database
from desk_app.sync import outbox
from desk_app.sync.views import DeadLetter
from desk_app.ui.common.tasks import TaskRunner, user_message


class DeadLetterDialog(QDialog):
    """The supervisor's list of cases that could not be delivered."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.rows: list[DeadLetter] = []
        self.runner = TaskRunner(self)
        self.setWindowTitle(self.tr("同步失败的办件"))
        self.resize(900, 420)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("办件编号"), self.tr("一件事"), self.tr("原因"), self.tr("尝试次数")]
        )
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.status = QLabel()
        self.retry_button = QPushButton(self.tr("重新发送 (&R)"))
        self.resolve_button = QPushButton(self.tr("标记已处理 (&M)"))
        self.retry_button.clicked.connect(self.retry)
        self.resolve_button.clicked.connect(self.resolve)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status)
        buttons.addStretch()
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.resolve_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table)
        lay.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        self.runner.submit(lambda: outbox.dead_letters(self.db), self._show, self._failed)

    def _show(self, rows: list[DeadLetter]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate((row.case_no, row.bundle, row.reason, row.attempts)):
                self.table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        self.status.setText(self.tr("共 %1 条").replace("%1", str(len(rows))))
        has = bool(rows)
        self.retry_button.setEnabled(has)
        self.resolve_button.setEnabled(has)
        if has and not self.table.selectionModel().selectedRows():
            self.table.selectRow(0)

    def _failed(self, exc: Exception) -> None:
        self.status.setText(user_message(exc))

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()].id if rows and self.rows else None

    def retry(self) -> None:
        row_id = self.selected_id()
        if row_id is not None:
            self.runner.submit(
                lambda: outbox.retry_dead(self.db, row_id), lambda _r: self.reload(), self._failed
            )

    def resolve(self, note: str | None = None) -> None:
        row_id = self.selected_id()
        if row_id is None:
            return
        if note is None:
            note, ok = QInputDialog.getText(self, self.tr("标记已处理"), self.tr("处理说明："))
            if not ok or not note.strip():
                return
        self.runner.submit(
            lambda: outbox.resolve_dead(self.db, row_id, note),
            lambda _r: self.reload(),
            self._failed,
        )
