"""What the call display adds for the calendar and appointments: the running extended session
(午间/晚间延时服务, 周六专场) in the top line, and a 预约 mark on appointment numbers."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QWidget

from desk_app.domain import clock
from desk_app.services.common.catalog import english_name
from desk_app.services.hall.calendar import Opening
from desk_app.services.queue.boards import CallEvent
from desk_app.ui.common.i18n import QT_TRANSLATE_NOOP, is_english

APPOINTMENT_GOLD = "#ffd54f"
APPOINTMENT_MARKS = (
    QT_TRANSLATE_NOOP("CallDisplay", "预约"),
    QT_TRANSLATE_NOOP("CallDisplay", "预约 · %1"),
)
# The extended sessions as services name them (calendar.KIND_LABELS_ZH), for the translation.
KIND_LABELS = (
    QT_TRANSLATE_NOOP("SessionLine", "午间延时服务"),
    QT_TRANSLATE_NOOP("SessionLine", "晚间延时服务"),
    QT_TRANSLATE_NOOP("SessionLine", "周六专场"),
    QT_TRANSLATE_NOOP("SessionLine", "专场服务"),
)


class SessionLine(QLabel):
    """An extended session being held, with when it ends; hidden in regular hours."""

    def __init__(self, pt: Callable[[float], int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet(
            f"color: #0b1f3a; background: {APPOINTMENT_GOLD}; border-radius: 10px;"
            f"padding: 4px 18px; font-size: {pt(22)}pt; font-weight: bold;"
        )
        self.setVisible(False)

    def show_opening(self, opening: Opening | None) -> None:
        if opening is None or not opening.issuing or not opening.extended:
            self.setVisible(False)
            return
        text = self.tr("%1进行中").replace("%1", self.tr(opening.label or ""))
        if opening.session_ends_at is not None:
            end = clock.local(opening.session_ends_at)
            text += self.tr(" · 至 %1").replace("%1", f"{end:%H:%M}")
        self.setText(text)
        self.setVisible(True)


def marked_number(widget: QWidget, call: CallEvent, size_pt: int) -> str:
    """The number as rich text, with a 预约 mark for an appointment ticket."""
    if not call.appointment:
        return call.number
    mark = QCoreApplication.translate("CallDisplay", "预约")
    return (
        f"{call.number} <span style='color: {APPOINTMENT_GOLD}; font-size: {size_pt}pt;'>"
        f"{mark}</span>&nbsp;"
    )


def marked_service(widget: QWidget, call: CallEvent) -> str:
    """The called ticket's service, in the screen's language, marked when booked."""
    name = english_name(call.service_code, call.service_name) if is_english() else call.service_name
    if not call.appointment:
        return name
    return QCoreApplication.translate("CallDisplay", "预约 · %1").replace("%1", name)
