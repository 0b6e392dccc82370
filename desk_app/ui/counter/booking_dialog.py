"""预约登记: book a visitor into a slot, at reception or a counter.

A grid shows the bookable days (columns) and the service's slots (rows) with the places left
for the hall; a closed day or a full slot cannot be chosen. The visitor's real name and resident
ID (checked by the service), an optional mobile number, and the slip printed as a PDF with what
to bring. Ctrl+Enter books. Everything reading or writing runs on a worker."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.calendar import hhmm, parse_hhmm
from desk_app.paths import user_data_dir
from desk_app.services.appointments import booking as appointments
from desk_app.services.appointments import views as appointment_views
from desk_app.services.appointments.documents import print_slip
from desk_app.services.appointments.views import BookingGrid
from desk_app.store import Database
from desk_app.ui.common.i18n import QT_TRANSLATE_NOOP
from desk_app.ui.common.tasks import TaskRunner, user_message

WEEKDAYS = (
    QT_TRANSLATE_NOOP("BookingDialog", "一"),
    QT_TRANSLATE_NOOP("BookingDialog", "二"),
    QT_TRANSLATE_NOOP("BookingDialog", "三"),
    QT_TRANSLATE_NOOP("BookingDialog", "四"),
    QT_TRANSLATE_NOOP("BookingDialog", "五"),
    QT_TRANSLATE_NOOP("BookingDialog", "六"),
    QT_TRANSLATE_NOOP("BookingDialog", "日"),
)


class BookingDialog(QDialog):
    booked = Signal(object)  # AppointmentView

    def __init__(
        self, db: Database, *, slip_dir: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.slip_dir = Path(slip_dir) if slip_dir else user_data_dir() / "slips"
        self.runner = TaskRunner(self)
        self.grid_data: BookingGrid | None = None
        self.choice: tuple[Any, str] | None = None
        self.setWindowTitle(self.tr("预约登记"))
        self.resize(980, 700)
        self.service = QComboBox()
        self.service.currentIndexChanged.connect(self.load_grid)
        self.grid = QTableWidget()
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.setStyleSheet("font-size: 12pt;")
        self.grid.cellClicked.connect(self._cell_chosen)
        self.chosen_label = QLabel(self.tr("请在表中选择日期和时段"))
        self.name = QLineEdit()
        self.id_no = QLineEdit()
        self.id_no.setMaxLength(18)
        self.phone = QLineEdit()
        self.print_slip = QCheckBox(self.tr("打印预约凭条 (含所需材料清单)"))
        self.print_slip.setChecked(True)
        form = QFormLayout()
        form.addRow(self.tr("姓名 (实名)"), self.name)
        form.addRow(self.tr("身份证号码"), self.id_no)
        form.addRow(self.tr("手机号码 (选填)"), self.phone)
        form.addRow("", self.print_slip)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.book_button = QPushButton(self.tr("确认预约 (Ctrl+Enter)"))
        self.book_button.clicked.connect(self.book)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("办理事项")))
        top.addWidget(self.service, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.message, 1)
        actions.addWidget(close)
        actions.addWidget(self.book_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(QLabel(self.tr("可预约时段 (数字为剩余名额)")))
        lay.addWidget(self.grid, 1)
        lay.addWidget(self.chosen_label)
        lay.addLayout(form)
        lay.addLayout(actions)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, self.book)
        self.runner.submit(
            partial(appointment_views.services_for_booking, db), self._set_services, self._failed
        )

    # -- loading -------------------------------------------------------------------------------

    def _set_services(self, services: list[tuple[str, str]]) -> None:
        self.service.blockSignals(True)
        for code, name in services:
            self.service.addItem(name, code)
        self.service.blockSignals(False)
        self.load_grid()

    def load_grid(self) -> None:
        code = self.service.currentData()
        if code:
            self.runner.submit(
                partial(appointment_views.booking_grid, self.db, code), self.show_grid, self._failed
            )

    def show_grid(self, data: BookingGrid) -> None:
        self.grid_data, self.choice = data, None
        self.chosen_label.setText(self.tr("请在表中选择日期和时段"))
        starts = sorted({s.start for _d, slots in data.days for s in slots})
        self.grid.clear()
        self.grid.setColumnCount(len(data.days))
        self.grid.setRowCount(len(starts))
        self.grid.setHorizontalHeaderLabels(
            [
                self.tr("%1月%2日 周%3")
                .replace("%1", str(d.month))
                .replace("%2", str(d.day))
                .replace("%3", self.tr(WEEKDAYS[d.weekday()]))
                for d, _ in data.days
            ]
        )
        self.grid.setVerticalHeaderLabels([hhmm(m) for m in starts])
        for col, (_d, slots) in enumerate(data.days):
            by_start = {s.start: s for s in slots}
            for row, start in enumerate(starts):
                s = by_start.get(start)
                item = QTableWidgetItem()
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if s is None:
                    item.setText("—")
                    item.setFlags(Qt.ItemFlag.NoItemFlags)
                elif s.left == 0:
                    item.setText(self.tr("满"))
                    item.setFlags(Qt.ItemFlag.NoItemFlags)
                    item.setForeground(QBrush(QColor("#b3261e")))
                else:
                    item.setText(str(s.left))
                    item.setForeground(QBrush(QColor("#1b5e20")))
                self.grid.setItem(row, col, item)

    def _cell_chosen(self, row: int, col: int) -> None:
        item = self.grid.item(row, col)
        if self.grid_data is None or item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return
        day = self.grid_data.days[col][0]
        time = self.grid.verticalHeaderItem(row).text()
        self.choice = (day, time)
        self.chosen_label.setText(
            self.tr("已选: %1 %2").replace("%1", day.isoformat()).replace("%2", time)
        )

    # -- booking -------------------------------------------------------------------------------

    def book(self) -> None:
        if self.choice is None:
            self.show_message(self.tr("请先选择日期和时段"), error=True)
            return
        day, time = self.choice
        code = self.service.currentData()
        self.book_button.setEnabled(False)
        self.runner.submit(
            partial(
                self._book_and_print,
                code,
                day,
                time,
                self.name.text(),
                self.id_no.text(),
                self.phone.text().strip() or None,
                self.print_slip.isChecked(),
            ),
            self._booked,
            self._failed,
        )

    def _book_and_print(self, code, day, time, name, id_no, phone, slip):  # type: ignore[no-untyped-def]
        view = appointments.book(self.db, code, day, time, name, id_no, phone=phone, reveal=False)
        path = None
        if slip:
            self.slip_dir.mkdir(parents=True, exist_ok=True)
            path = print_slip(self.db, view, self.slip_dir / f"{view.code}.pdf")
        return view, path

    def _booked(self, result: tuple[Any, Path | None]) -> None:
        view, path = result
        self.book_button.setEnabled(True)
        text = (
            self.tr("预约成功: %1  %2 %3-%4")
            .replace("%1", view.code)
            .replace("%2", view.day.isoformat())
            .replace("%3", hhmm(view.start))
            .replace("%4", hhmm(view.end))
        )
        if path is not None:
            text += "\n" + self.tr("凭条: %1").replace("%1", str(path))
        if view.warning:
            text += "\n" + view.warning
        self.show_message(text, error=False)
        self.name.clear()
        self.id_no.clear()
        self.phone.clear()
        self.booked.emit(view)
        self.load_grid()

    def _failed(self, exc: Exception) -> None:
        self.book_button.setEnabled(True)
        self.show_message(user_message(exc), error=True)

    def show_message(self, text: str, *, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(
            f"font-size: 12pt; font-weight: bold; color: {'#b3261e' if error else '#1b5e20'};"
        )

    def chosen(self) -> tuple[Any, str] | None:
        return self.choice

    def choose(self, day: Any, time: str) -> None:
        """Select a cell by day and HH:MM (keyboard users and tests)."""
        assert self.grid_data is not None
        col = [d for d, _ in self.grid_data.days].index(day)
        for row in range(self.grid.rowCount()):
            if self.grid.verticalHeaderItem(row).text() == hhmm(parse_hhmm(time)):
                self.grid.setCurrentCell(row, col)
                self._cell_chosen(row, col)

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        self.runner.shutdown()
        super().closeEvent(event)
