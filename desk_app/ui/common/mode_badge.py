"""The mark of a training or demo hall on the staff screens: a red tab at the top centre of the
window, so that nobody takes a training session's counter for a live one (the kiosk, the call
display and the printed papers carry it in the hall's name)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QWidget

from desk_app.ui.common.i18n import QT_TRANSLATE_NOOP

TEXTS = {
    "training": QT_TRANSLATE_NOOP("ModeBadge", "培训厅"),
    "demo": QT_TRANSLATE_NOOP("ModeBadge", "演示厅"),
}


class ModeBadge(QLabel):
    """Sits over ``host`` at its top centre and follows its size; clicks go through it."""

    def __init__(self, host: QWidget, mode: str) -> None:
        super().__init__(host)
        self.setObjectName("mode_badge")
        self.setText(QCoreApplication.translate("ModeBadge", TEXTS[mode]))
        self.setStyleSheet(
            "background: #c62828; color: white; font-weight: bold; font-size: 12pt;"
            "padding: 2px 18px; border-bottom-left-radius: 8px; border-bottom-right-radius: 8px;"
        )
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        host.installEventFilter(self)
        self._place()
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._place()
        return False

    def _place(self) -> None:
        host = self.parentWidget()
        if host is None:
            return
        self.adjustSize()
        self.move((host.width() - self.width()) // 2, 0)
        self.raise_()


def add_mode_badge(host: QWidget, mode: str) -> ModeBadge | None:
    """The badge on ``host`` for a training or demo hall; None for a live one."""
    return ModeBadge(host, mode) if mode in TEXTS else None
