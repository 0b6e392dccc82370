"""Table models of the counter's lists (no widgets: tested with QAbstractItemModelTester).

Headers and cells are translated when shown (context "CounterWindow", resources/i18n)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from desk_app.domain.clock import local
from desk_app.domain.tickets import Priority
from desk_app.services.queue.boards import ServedTicket, WaitingTicket
from desk_app.ui.common.i18n import QT_TRANSLATE_NOOP

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


# The priority lanes as the counter names them (domain.tickets.PRIORITY_LABELS_ZH, translatable).
PRIORITY_LABELS = {
    Priority.ELDERLY: QT_TRANSLATE_NOOP("CounterWindow", "老年人"),
    Priority.DISABLED: QT_TRANSLATE_NOOP("CounterWindow", "残疾人"),
    Priority.PREGNANT: QT_TRANSLATE_NOOP("CounterWindow", "孕妇"),
    Priority.MILITARY: QT_TRANSLATE_NOOP("CounterWindow", "军人"),
    Priority.APPOINTMENT: QT_TRANSLATE_NOOP("CounterWindow", "预约"),
    Priority.VIP: QT_TRANSLATE_NOOP("CounterWindow", "重点服务"),
}

_NORMAL = QT_TRANSLATE_NOOP("CounterWindow", "普通")


def tr(text: str) -> str:
    """``text`` (marked with QT_TRANSLATE_NOOP("CounterWindow", ...)) in the screen's language."""
    return QCoreApplication.translate("CounterWindow", text)


def priority_label(priority: str | None) -> str:
    return tr(PRIORITY_LABELS[Priority(priority)]) if priority else tr(_NORMAL)


def minutes(seconds: int | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 3600:
        return tr(QT_TRANSLATE_NOOP("CounterWindow", "%1 分")).replace("%1", str(seconds // 60))
    return (
        tr(QT_TRANSLATE_NOOP("CounterWindow", "%1 时 %2 分"))
        .replace("%1", str(seconds // 3600))
        .replace("%2", str(seconds % 3600 // 60))
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
            return tr(self.HEADERS[section])
        return None

    def _valid(self, index: Index) -> bool:
        return index.isValid() and 0 <= index.row() < len(self._rows)


class WaitingModel(_ListModel):
    """The window's waiting tickets, longest wait first."""

    NUMBER, SERVICE, PRIORITY, WAIT = range(4)
    HEADERS = (
        QT_TRANSLATE_NOOP("CounterWindow", "号码"),
        QT_TRANSLATE_NOOP("CounterWindow", "业务"),
        QT_TRANSLATE_NOOP("CounterWindow", "类别"),
        QT_TRANSLATE_NOOP("CounterWindow", "已等候"),
    )

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
                return priority_label(t.priority)
            return minutes(t.wait_s)
        if role == SORT_ROLE:
            return (t.number, t.service_name, t.priority or "", t.wait_s)[col]
        if role == Qt.ItemDataRole.ForegroundRole and col == self.PRIORITY and t.priority:
            return QBrush(QColor("#b35c00"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.WAIT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and t.transferred_here:
            return tr(QT_TRANSLATE_NOOP("CounterWindow", "转入本窗口"))
        return None


class ServedModel(_ListModel):
    """Today's outcomes at the window, newest first."""

    TIME, NUMBER, SERVICE, OUTCOME, DURATION = range(5)
    HEADERS = (
        QT_TRANSLATE_NOOP("CounterWindow", "时间"),
        QT_TRANSLATE_NOOP("CounterWindow", "号码"),
        QT_TRANSLATE_NOOP("CounterWindow", "业务"),
        QT_TRANSLATE_NOOP("CounterWindow", "结果"),
        QT_TRANSLATE_NOOP("CounterWindow", "办理用时"),
    )
    OUTCOMES = {
        "complete": QT_TRANSLATE_NOOP("CounterWindow", "办结"),
        "no_show": QT_TRANSLATE_NOOP("CounterWindow", "过号"),
        "transfer": QT_TRANSLATE_NOOP("CounterWindow", "转移"),
        "hold": QT_TRANSLATE_NOOP("CounterWindow", "挂起"),
    }

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
                tr(self.OUTCOMES[s.outcome]) if s.outcome in self.OUTCOMES else s.outcome,
                minutes(s.service_s) if s.service_s is not None else "",
            )
            if role == SORT_ROLE and index.column() == self.DURATION:
                return s.service_s or 0
            return values[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and s.outcome == "no_show":
            return QBrush(QColor("#b3261e"))
        return None
