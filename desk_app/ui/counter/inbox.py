"""网办件 at the counter: a line under today's appointments says how many online applications
wait for review (the late ones in red); Ctrl+F10 (or the button) opens the inbox, the oldest
due first, and Enter opens the chosen one in the case dialog, where it is reviewed like a
walk-in (its uploaded files are already 电子件, its shared materials fetched).

The count is read every 30 s on the counter's worker thread; the inbox reads on open and on
F5 (refresh)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain import clock
from desk_app.ui.common import theme
from desk_app.ui.common.i18n import in_language
from desk_app.ui.common.tasks import TaskRunner, user_message

REFRESH_MS = 30_000


def _inbox(db: Any, state: str) -> list[Any]:
    from desk_app.services.cases import online

    return online.inbox(db, state)


class InboxLine(QWidget):
    """“网办件待审 N 件（逾期 M）” and the button that opens the inbox."""

    def __init__(self, counter: Any) -> None:
        super().__init__()
        self.counter = counter
        self.label = QLabel()
        self.button = QPushButton(self.tr("网办件 (Ctrl+F10)"))
        self.button.clicked.connect(self.open_inbox)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.button)
        sc = QShortcut(QKeySequence("Ctrl+F10"), counter)
        sc.setContext(Qt.ShortcutContext.WindowShortcut)
        sc.activated.connect(self.open_inbox)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def refresh(self) -> None:
        from desk_app.services.cases import online

        db = self.counter.db
        self.counter.runner.submit(lambda: online.waiting(db), self.show_counts, lambda _e: None)

    def show_counts(self, counts: tuple[int, int]) -> None:
        n, late = counts
        text = self.tr("网办件待审 %1 件").replace("%1", str(n))
        if late:
            text += self.tr("（逾期 %1）").replace("%1", str(late))
        self.label.setText(text)
        self.label.setStyleSheet(f"color: {theme.DANGER if late else theme.MUTED};")

    def open_inbox(self) -> None:
        self.dialog = InboxDialog(self.counter.db, self.window())
        self.dialog.chosen.connect(self._chosen)
        self.dialog.open()

    def _chosen(self, case_no: str) -> None:
        self.counter.open_case_dialog(case_no)
        self.refresh()


class InboxDialog(QDialog):
    """The online cases of a state, the oldest due first; Enter reviews the selected one."""

    chosen = Signal(str)

    def __init__(self, db: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.rows: list[Any] = []
        self.runner = TaskRunner(self)
        self.setWindowTitle(self.tr("网办件收件箱"))
        self.state = QComboBox()
        for value, label in (
            ("open", self.tr("待审核")),
            ("notice", self.tr("已一次性告知")),
            ("accepted", self.tr("已受理")),
            ("concluded", self.tr("已办结")),
            ("all", self.tr("全部")),
        ):
            self.state.addItem(label, value)
        self.state.currentIndexChanged.connect(self.load)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            [self.tr("办件编号"), self.tr("一件事"), self.tr("方式"), self.tr("申请人"),
             self.tr("收件时间"), self.tr("审核期限")]
        )  # fmt: skip
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.choose())
        self.status = QLabel()
        self.open_button = QPushButton(self.tr("审核 (Enter)"))
        self.open_button.setProperty("primary", True)
        self.open_button.clicked.connect(self.choose)
        QShortcut(QKeySequence("F5"), self).activated.connect(self.load)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("状态")))
        top.addWidget(self.state)
        top.addStretch(1)
        top.addWidget(self.status)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.open_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addLayout(bottom)
        self.resize(980, 520)
        self.load()

    def load(self) -> None:
        state, db = str(self.state.currentData()), self.db
        self.status.setText(self.tr("正在读取…"))
        self.runner.submit(lambda: _inbox(db, state), self.show_rows, self._failed)

    def _failed(self, exc: Exception) -> None:
        self.status.setText(user_message(exc))

    def show_rows(self, rows: list[Any]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        modes = {"online": self.tr("全程网办"), "pickup": self.tr("网上申请、窗口取件")}
        for i, r in enumerate(rows):
            values = [
                r.case_no,
                _bundle_name(r.bundle, r.bundle_name),
                modes.get(r.mode, r.mode),
                r.applicant,
                f"{clock.local(r.received_at):%m-%d %H:%M}",
                r.due.isoformat() + (self.tr("（逾期）") if r.overdue else ""),
            ]
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if r.overdue and c == 5:
                    item.setForeground(QColor(theme.DANGER))
                self.table.setItem(i, c, item)
        if rows:
            self.table.selectRow(0)
        self.status.setText(self.tr("%1 件").replace("%1", str(len(rows))))

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.choose()
            return
        super().keyPressEvent(event)

    def choose(self) -> None:
        sel = self.table.selectionModel().selectedRows()
        if not sel or not self.rows:
            return
        self.chosen.emit(self.rows[sel[0].row()].case_no)
        self.accept()


def _bundle_name(code: str, chinese: str) -> str:
    from desk_app.services.common.catalog import catalog

    try:
        return in_language(chinese, catalog().bundle(code).name_en)
    except KeyError:
        return chinese


def install(counter: Any, column: QBoxLayout) -> InboxLine:
    line = InboxLine(counter)
    column.addWidget(line)
    return line
