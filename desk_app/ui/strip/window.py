"""The window strip (窗口屏): above each window, its number, the ticket being served and the
window's state, on any small monitor (``gui --role strip --window N``). An LED strip on a
serial port shows the same text through its adapter (services/devices/strip.py), driven by
the device runner of the counter PC it hangs on.

The strip reads the public queue status every second (no personal data: a number and a
state), off the UI thread, and says when it cannot reach the hall's database.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desk_app.domain.windows import WindowState
from desk_app.services.common.dto import QueueStatus
from desk_app.services.queue import views as queue_views
from desk_app.store import Database
from desk_app.ui.common import theme
from desk_app.ui.common.tasks import TaskRunner
from desk_app.ui.common.widgets import HeavyLabel
from desk_app.ui.display.tiles import scaled

NAVY, YELLOW, SOFT, AMBER = "#0b1f3a", "#ffd54f", "#c9d6ea", "#ffb74d"


def strip_words(state: str | None, current: str | None) -> tuple[str, str]:
    """(big text, what the window is doing: serving | idle | paused) for a window in
    ``state`` with ``current`` ticket (a paused window keeps showing its ticket)."""
    if state == WindowState.PAUSED:
        return current or "", "paused"
    if state in (None, WindowState.CLOSED):
        return "", "paused"
    return (current, "serving") if current else ("", "idle")


class StripWindow(QWidget):
    """Window ``window``'s strip: its number on the left, the ticket or state on the right."""

    def __init__(
        self,
        db: Database,
        window: int,
        *,
        large_text: bool = False,
        poll_ms: int = 1000,
        screen_size: tuple[int, int] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.window_number = window
        self.runner = TaskRunner(self)
        # A strip's monitor is small: its type follows the screen's height, not a 1080p wall.
        height = screen_size[1] if screen_size else 360
        self._pt = partial(scaled, max(0.4, min(2.6, height / 240)) * (1.25 if large_text else 1))
        family = theme.load_bundled_font()
        self._polling = False
        self.setObjectName("strip")
        self.setWindowTitle(self.tr("窗口屏"))
        pt = self._pt
        self.setStyleSheet(
            f"QWidget#strip {{ background: {NAVY}; }}"
            f'QLabel {{ color: white; font-family: "{family}"; }}'
        )
        self.window_label = QLabel(self.tr("%1 号窗口").replace("%1", str(window)))
        self.window_label.setStyleSheet(f"font-size: {pt(30)}pt; font-weight: bold;")
        self.number_label = HeavyLabel("")  # bold by its stroke, scaled down rather than cut
        self.number_label.setStyleSheet(
            f"font-size: {pt(64)}pt; font-weight: bold; color: {YELLOW};"
        )
        self.state_label = QLabel()
        self.state_label.setStyleSheet(f"font-size: {pt(24)}pt; color: {SOFT};")
        right = QVBoxLayout()
        right.addStretch()
        right.addWidget(self.number_label, 0, Qt.AlignmentFlag.AlignCenter)
        right.addWidget(self.state_label, 0, Qt.AlignmentFlag.AlignCenter)
        right.addStretch()
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 12, 24, 12)
        row.addWidget(self.window_label, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addLayout(right, 1)
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def refresh(self) -> None:
        if self._polling:
            return
        self._polling = True
        db = self.db
        self.runner.submit(lambda: queue_views.queue_status(db), self._show, self._failed)

    def _show(self, status: QueueStatus) -> None:
        self._polling = False
        mine = next((w for w in status.windows if w.number == self.window_number), None)
        big, small = strip_words(mine.state if mine else None, mine.current if mine else None)
        self.number_label.setText(big)
        self.number_label.setVisible(bool(big))
        self.state_label.setText(self._translated(small))
        self.state_label.setStyleSheet(
            self.state_label.styleSheet().split("color:")[0]
            + f"color: {AMBER if mine is None or mine.state != WindowState.OPEN else SOFT};"
        )

    def _translated(self, key: str) -> str:
        return {
            "paused": self.tr("暂停服务"),
            "serving": self.tr("正在办理"),
            "idle": self.tr("欢迎办理"),
        }[key]

    def _failed(self, _exc: Exception) -> None:
        self._polling = False
        self.state_label.setText(self.tr("连接中断, 正在重试…"))

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        self._timer.stop()
        self.runner.shutdown()
        super().closeEvent(event)
