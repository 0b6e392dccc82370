"""The kiosk's service buttons: one touch target per 一件事, in columns that scroll."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desk_app.services.common.catalog import english_name
from desk_app.services.queue.boards import KioskService
from desk_app.ui.common import theme
from desk_app.ui.common.i18n import is_english
from desk_app.ui.common.widgets import two_lines


def shown_name(service: KioskService) -> str:
    """The service's name in the kiosk's language (a bundle's English name with --lang en)."""
    return english_name(service.code, service.name) if is_english() else service.name


class Availability(StrEnum):
    """What a service's button says of taking a number now."""

    OPEN = "open"  # windows serve it
    CLOSED = "closed"  # no window serves it now; a number can still be taken
    FULL = "full"  # the daily cap is reached


class _ServiceButton(QPushButton):
    """A service's touch button: prefix badge, the 一件事 name, and its queue or its state.
    (Its name is the context of its strings in the shipped translations.)"""

    def __init__(self, service: KioskService, look: theme.KioskPalette) -> None:
        super().__init__()
        self.code = service.code
        self._look = look
        self.setObjectName("service")
        self.setMinimumHeight(round(120 * look.scale))
        self.setMaximumHeight(round(180 * look.scale))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.badge = QLabel(service.prefix)
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        side = round(54 * look.scale)
        self.badge.setFixedSize(side, side)
        self._name = shown_name(service)
        self.name_label = QLabel(self._name)
        self._status = ""
        self.status_label = QLabel()
        for label in (self.name_label, self.status_label):
            # Their width comes from the button, not from the text (wrapped by two_lines).
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        for label in (self.badge, self.name_label, self.status_label):
            # Touches go to the button, not its labels.
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        text = QVBoxLayout()
        text.setSpacing(4)
        text.addStretch()
        text.addWidget(self.name_label)
        text.addWidget(self.status_label)
        text.addStretch()
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 8, 16, 8)
        row.setSpacing(14)
        row.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addLayout(text, 1)
        self._state: Availability | None = None
        self.update_service(service)

    def update_service(self, service: KioskService) -> None:
        if service.full:
            state = Availability.FULL
            status = self.tr("今日号源已满")
        elif service.open_windows == 0:
            state = Availability.CLOSED
            status = self.tr("暂无窗口办理, 可取号等候")
        elif service.waiting == 0:
            state = Availability.OPEN
            status = self.tr("当前无人等候")
        else:
            state = Availability.OPEN
            status = (
                self.tr("等候 %1 人").replace("%1", str(service.waiting))
                + " · "
                + self.tr("约 %1 分钟").replace("%1", str(service.eta_minutes))
            )
        if shown_name(service) != self._name:
            self._name = shown_name(service)
            self._wrap_name()
        if status != self._status:
            self._status = status
            self._wrap_status()
        self.setEnabled(not service.full)
        if state != self._state:
            self._state = state
            self._restyle()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._wrap_name()
        self._wrap_status()

    def _wrap_name(self) -> None:
        self.name_label.setText(two_lines(self._name, self.name_label, "一件事"))

    def _wrap_status(self) -> None:
        self.status_label.setText(two_lines(self._status, self.status_label, ""))

    def state(self) -> Availability | None:
        """``open``, ``closed`` (no window serving it now) or ``full`` (daily cap reached)."""
        return self._state

    def _restyle(self) -> None:
        look, full = self._look, self._state == Availability.FULL
        status_color = {
            Availability.OPEN: look.muted,
            Availability.CLOSED: look.warn,
            Availability.FULL: look.danger,
        }[self._state or Availability.OPEN]
        badge_bg = "#9aa4b1" if full and not look.high_contrast else look.accent
        name_color = "#6b7480" if full and not look.high_contrast else look.text
        self.badge.setStyleSheet(
            f"background: {badge_bg}; color: white; border-radius: {self.badge.width() // 2}px;"
            f"font-size: {look.pt(21)}pt; font-weight: bold;"
        )
        # Long names (二手房转移登记及水电气网联动过户一件事) get smaller type, not a third line.
        name_pt = look.pt(20 if len(self._name) <= 16 else 17)
        self.name_label.setStyleSheet(
            f"color: {name_color}; font-size: {name_pt}pt; font-weight: bold;"
            "background: transparent; border: none;"
        )
        self.status_label.setStyleSheet(
            f"color: {status_color}; font-size: {look.pt(15)}pt;"
            f"font-weight: {'bold' if self._state != Availability.OPEN else 'normal'};"
            "background: transparent; border: none;"
        )
        self._wrap_name()  # the type size changed
        self._wrap_status()


class ServiceGrid(QScrollArea):
    """The services' buttons in two to four columns. They scroll when a hall has more than fit
    (large text, a small screen); a finger drags them, a mouse click is still a click."""

    touched = Signal(str)  # the code of the service touched

    def __init__(self, look: theme.KioskPalette, *, loading_text: str, empty_text: str) -> None:
        super().__init__()
        self._look = look
        self._empty_text = empty_text
        self._buttons: dict[str, _ServiceButton] = {}
        self._codes: list[str] = []
        grid_box = QWidget()
        grid_box.setObjectName("page")
        self.grid = QGridLayout(grid_box)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(12)
        self.setWidget(grid_box)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        self.loading_label = QLabel(loading_text)
        self.loading_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading_label.setStyleSheet(f"font-size: {look.pt(18)}pt; color: {look.muted};")
        self.grid.addWidget(self.loading_label, 0, 0)

    def button(self, code: str) -> _ServiceButton:
        """The button of service ``code`` (KeyError before the first board is shown)."""
        return self._buttons[code]

    def show_services(self, services: list[KioskService]) -> bool:
        """Show ``services``' queues; True when the buttons were rebuilt (a service added,
        removed or moved), False when only their text changed."""
        rebuilt = [s.code for s in services] != self._codes
        if rebuilt:
            self._rebuild(services)
        for svc in services:
            self._buttons[svc.code].update_service(svc)
        return rebuilt

    def disable_all(self) -> None:
        for btn in self._buttons.values():
            btn.setEnabled(False)

    def _rebuild(self, services: list[KioskService]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.loading_label:
                widget.deleteLater()
        self.loading_label.setVisible(not services)
        if not services:
            self.loading_label.setText(self._empty_text)
            self.grid.addWidget(self.loading_label, 0, 0)
        self._buttons.clear()
        columns = 2 if len(services) <= 4 else 3 if len(services) <= 12 else 4
        for i, svc in enumerate(services):
            btn = _ServiceButton(svc, self._look)
            btn.clicked.connect(lambda _checked=False, code=svc.code: self.touched.emit(code))
            self._buttons[svc.code] = btn
            self.grid.addWidget(btn, i // columns, i % columns)
            btn.show()  # at once, not on the next event loop pass as addWidget would
        for col in range(columns):
            self.grid.setColumnStretch(col, 1)
        # A hall with few services gets buttons of a sensible height, not one giant button.
        rows = -(-len(services) // columns)
        for row in range(self.grid.rowCount()):
            self.grid.setRowStretch(row, 0)
        self.grid.setRowStretch(rows, 1)
        self._codes = [s.code for s in services]
