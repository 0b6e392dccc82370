"""The counter's list of today's appointments for its services (预约), with check-in at the
counter (Shift+F12 on the selected row) and the booking dialog (F12)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.appointments import AppointmentState
from desk_app.domain.calendar import hhmm
from desk_app.services.appointments import checkin as appointment_checkin
from desk_app.services.appointments import views as appointment_views
from desk_app.services.appointments.dto import AppointmentView
from desk_app.ui.common.tasks import user_message

if TYPE_CHECKING:
    from desk_app.store import Database
    from desk_app.ui.common.tasks import TaskRunner

Index = QModelIndex | QPersistentModelIndex
REFRESH_MS = 15_000


class AppointmentModel(QAbstractTableModel):
    """Today's bookings: time, code, service, person (masked), state, ticket."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[AppointmentView] = []
        self.headers = (
            self.tr("时段"),
            self.tr("预约码"),
            self.tr("事项"),
            self.tr("预约人"),
            self.tr("状态"),
            self.tr("号码"),
        )
        self.states = {
            "booked": self.tr("待签到"),
            "checked_in": self.tr("已签到"),
            "cancelled": self.tr("已取消"),
            "no_show": self.tr("爽约"),
        }

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        a = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                f"{hhmm(a.start)}-{hhmm(a.end)}",
                a.code,
                a.service_name,
                a.name,
                self.states.get(a.state, a.state),
                a.ticket or "",
            )[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and a.state in (
            AppointmentState.CANCELLED,
            AppointmentState.NO_SHOW,
        ):
            return QBrush(QColor("#8a94a3"))
        return None

    def set_rows(self, rows: list[AppointmentView]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()


class CounterHost(Protocol):
    """What the panel uses of the counter window (which installs it)."""

    db: Database
    window_number: int
    runner: TaskRunner

    def show_error(self, text: str) -> None: ...

    def show_info(self, text: str) -> None: ...

    def refresh(self) -> None: ...


class AppointmentsPanel(QWidget):
    """The list, its refresh, and the two actions."""

    def __init__(self, counter: CounterHost) -> None:
        super().__init__()  # the counter's layout takes it in (install)
        self.counter = counter
        self.inbox: Any = None  # the 网办件 line below the panel (install)
        self.model = AppointmentModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().setVisible(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.view.setAlternatingRowColors(True)
        self.view.setStyleSheet("font-size: 12pt;")
        title = QLabel(self.tr("今日预约"))
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.checkin_button = QPushButton(self.tr("签到所选 (Shift+F12)"))
        self.book_button = QPushButton(self.tr("预约登记 (F12)"))
        self.checkin_button.clicked.connect(self.check_in_selected)
        self.book_button.clicked.connect(self.open_booking)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch()
        head.addWidget(self.checkin_button)
        head.addWidget(self.book_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(head)
        lay.addWidget(self.view)
        for key, slot in (("F12", self.open_booking), ("Shift+F12", self.check_in_selected)):
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(slot)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def refresh(self) -> None:
        self.counter.runner.submit(
            partial(
                appointment_views.today_for_window, self.counter.db, self.counter.window_number
            ),
            self.model.set_rows,
            lambda _e: None,  # the counter's own refresh reports a lost connection
        )

    def selected(self) -> AppointmentView | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def check_in_selected(self) -> None:
        """签到 at the counter: the booking becomes an appointment ticket in the queue."""
        a = self.selected()
        if a is None:
            self.counter.show_error(self.tr("请先在今日预约中选择一条"))
            return
        self.counter.runner.submit(
            partial(appointment_checkin.checkin, self.counter.db, code=a.code),
            self._checked_in,
            lambda exc: self.counter.show_error(user_message(exc)),
        )

    def _checked_in(self, result: Any) -> None:
        self.counter.show_info(
            self.tr("预约 %1 已签到, 号码 %2")
            .replace("%1", result.appointment)
            .replace("%2", result.ticket.number)
        )
        self.refresh()
        self.counter.refresh()

    def open_booking(self) -> None:
        from desk_app.ui.counter.booking_dialog import BookingDialog

        self.dialog = BookingDialog(self.counter.db, parent=self.window())
        self.dialog.booked.connect(lambda _v: self.refresh())
        self.dialog.show()

    def stop(self) -> None:
        self._timer.stop()


def install(counter: CounterHost, column: QBoxLayout) -> AppointmentsPanel:
    """Today's appointments, and under them the line of 网办件 waiting for review
    (ui/counter/inbox.py): the counter's work that came in online."""
    from desk_app.ui.counter import inbox

    panel = AppointmentsPanel(counter)
    column.addWidget(panel, 2)
    panel.inbox = inbox.install(counter, column)
    return panel
