"""The call display's look: its colours, the rounded navy panels and the window tiles."""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel

from desk_app.services.common.dto import WindowInfo
from desk_app.ui.common.widgets import HeavyLabel

NAVY = "#0b1f3a"  # the screen
NAVY_PANEL = "#12305a"  # the big panel and the tiles
NAVY_LINE = "#24497a"
FLASH = "#2f74c8"  # the big panel's flash on a new call
YELLOW = "#ffd54a"  # ticket numbers
SOFT = "#c5d3e8"  # secondary text on navy
AMBER = "#f0a34a"


class Panel(QFrame):
    """A rounded navy panel whose colour can be animated (the big panel's flash)."""

    def __init__(self, color: str, radius: int = 24) -> None:
        super().__init__()
        self._color = QColor(color)
        self._radius = radius
        self._border: QColor | None = None

    def set_color(self, color: QColor | str) -> None:
        self._color = QColor(color)
        self.update()

    def set_border(self, color: str | None) -> None:
        self._border = QColor(color) if color else None
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        painter.setBrush(self._color)
        painter.setPen(QPen(self._border, 4) if self._border else Qt.PenStyle.NoPen)
        painter.drawRoundedRect(rect, self._radius, self._radius)


class WindowTile(Panel):
    """One window: its number and the ticket it called last."""

    def __init__(self, window: int, number_pt: int, title_pt: int) -> None:
        super().__init__(NAVY_PANEL, radius=16)
        self.window_number = window  # not ``window``: that is QWidget.window()
        self._size = number_pt
        # Translated under its old class name, the context the shipped translations know.
        title = QCoreApplication.translate("_WindowTile", "%1 号窗口")
        self.title = QLabel(title.replace("%1", str(window)))
        self.title.setStyleSheet(f"color: {SOFT}; font-size: {title_pt}pt;")
        self.number = HeavyLabel("")
        self.number.setStyleSheet(f"color: white; font-size: {self._size}pt;")
        self.number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(24, 8, 24, 8)
        lay.addWidget(self.title)
        lay.addStretch()
        lay.addWidget(self.number)
        self.setMinimumHeight(round(number_pt * 1.9))
        self._latest = False

    def show_number(self, number: str, latest: bool) -> None:
        # Only what changed: every call goes through every tile, and a style sheet set again
        # (even the same one) repaints the tile, 32 outlined numbers per call in a big hall.
        if number != self.number.text():
            self.number.setText(number)
        if latest != self._latest:
            self._latest = latest
            self.number.setStyleSheet(
                f"color: {YELLOW if latest else 'white'}; font-size: {self._size}pt;"
            )
            self.set_border(YELLOW if latest else None)


def scaled(factor: float, size: float) -> int:
    """A type size times ``factor``, rounded up (1.5 x 15 pt is 23 pt, never 22)."""
    return math.ceil(size * factor - 1e-9)


def tile_numbers(windows: list[WindowInfo], called: dict[int, str]) -> list[int]:
    """Every window of the hall, and any window that called today (even if since removed)."""
    return sorted({w.number for w in windows} | set(called))


def screen_fit(screen_size: tuple[int, int] | None) -> float:
    """How much of the 1080p type sizes a screen of ``screen_size`` takes (1 when unknown or
    at least 1920x1080; 0.71 for 1366x768)."""
    if screen_size is None:
        return 1.0
    width, height = screen_size
    return max(0.5, min(1.0, width / 1920, height / 1080))
