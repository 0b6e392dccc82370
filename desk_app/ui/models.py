"""Table models of the counter's lists (no widgets: tested with QAbstractItemModelTester)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desk_app.domain.clock import local
from desk_app.domain.tickets import PRIORITY_LABELS_ZH, Priority
from desk_app.services.boards import ServedTicket, WaitingTicket

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


def minutes(seconds: int | None) -> str:
    if seconds is None:
        return "—"
    return (
        f"{seconds // 60} 分"
        if seconds < 3600
        else f"{seconds // 3600} 时 {seconds % 3600 // 60} 分"
    )


class _ListModel(QAbstractTableModel):
    """A flat, read-only table of rows with fixed headers."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def _valid(self, index: Index) -> bool:
        return index.isValid() and 0 <= index.row() < len(self._rows)


class WaitingModel(_ListModel):
    """The window's waiting tickets, longest wait first."""

    NUMBER, SERVICE, PRIORITY, WAIT = range(4)
    HEADERS = ("号码", "业务", "类别", "已等候")

    def set_rows(self, rows: list[WaitingTicket]) -> None:
        if [r.id for r in rows] == [r.id for r in self._rows]:
            self._rows = rows  # same tickets: only the waits moved on
            if rows:
                self.dataChanged.emit(
                    self.index(0, self.WAIT),
                    self.index(len(rows) - 1, self.WAIT),
                    [Qt.ItemDataRole.DisplayRole, SORT_ROLE],
                )
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row(self, r: int) -> WaitingTicket:
        return self._rows[r]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        t = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.NUMBER:
                return t.number + (" ↪" if t.transferred_here else "")
            if col == self.SERVICE:
                return t.service_name
            if col == self.PRIORITY:
                return PRIORITY_LABELS_ZH[Priority(t.priority)] if t.priority else "普通"
            return minutes(t.wait_s)
        if role == SORT_ROLE:
            return (t.number, t.service_name, t.priority or "", t.wait_s)[col]
        if role == Qt.ItemDataRole.ForegroundRole and col == self.PRIORITY and t.priority:
            return QBrush(QColor("#b35c00"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.WAIT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and t.transferred_here:
            return "转入本窗口"
        return None


class ServedModel(_ListModel):
    """Today's outcomes at the window, newest first."""

    TIME, NUMBER, SERVICE, OUTCOME, DURATION = range(5)
    HEADERS = ("时间", "号码", "业务", "结果", "办理用时")
    OUTCOMES = {"complete": "办结", "no_show": "过号", "transfer": "转移", "hold": "挂起"}

    def set_rows(self, rows: list[ServedTicket]) -> None:
        if rows == self._rows:
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        s = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            values = (
                local(s.at).strftime("%H:%M"),
                s.number,
                s.service_name,
                self.OUTCOMES.get(s.outcome, s.outcome),
                minutes(s.service_s) if s.service_s is not None else "",
            )
            if role == SORT_ROLE and index.column() == self.DURATION:
                return s.service_s or 0
            return values[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and s.outcome == "no_show":
            return QBrush(QColor("#b3261e"))
        return None
