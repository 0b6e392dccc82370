"""Fonts, colours and the large-text high-contrast (适老化) mode shared by every screen."""

from __future__ import annotations

import logging
import math

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from desk_app.paths import resources_dir

log = logging.getLogger(__name__)

FONT_FAMILY = "WenQuanYi Micro Hei"
# Calm government blue; status colours chosen to stay distinguishable for colour-blind staff.
PRIMARY = "#1f5fa8"
PRIMARY_DARK = "#174a84"
ACCENT = "#d9822b"  # priority / attention
DANGER = "#b3261e"
OK = "#2e7d32"
MUTED = "#5f6b7a"
SURFACE = "#f4f6f9"

_loaded_family: str | None = None


def load_bundled_font() -> str:
    """Register the bundled CJK font with Qt (so Chinese shows on a PC without Chinese fonts)
    and return the family to use."""
    global _loaded_family
    if _loaded_family:
        return _loaded_family
    family = FONT_FAMILY
    for path in sorted((resources_dir() / "fonts").glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if families:
            family = families[0]
            break
    else:
        log.warning("bundled font not found under resources/fonts; Chinese may show as boxes")
    _loaded_family = family
    return family


def apply_base_style(app: QApplication, *, point_size: int = 12) -> None:
    family = load_bundled_font()
    font = QFont(family, point_size)
    app.setFont(font)
    app.setStyle("Fusion")
    app.setStyleSheet(BASE_QSS)


BASE_QSS = f"""
QWidget {{ color: #1b1f24; }}
QPushButton {{
    background: white; border: 1px solid #b8c2cf; border-radius: 6px; padding: 8px 14px;
}}
QPushButton:hover {{ border-color: {PRIMARY}; }}
QPushButton:focus {{ border: 2px solid {PRIMARY}; }}
QPushButton:disabled {{ color: #9aa4b1; background: #eef1f5; }}
QPushButton[primary="true"] {{
    background: {PRIMARY}; color: white; border: none; font-weight: bold;
}}
QPushButton[primary="true"]:hover {{ background: {PRIMARY_DARK}; }}
QPushButton[primary="true"]:disabled {{
    background: #eef1f5; color: #9aa4b1; border: 1px solid #d5dbe3;
}}
QTableView {{ gridline-color: #dde3ea; selection-background-color: #d6e4f5;
              selection-color: #1b1f24; }}
QHeaderView::section {{ background: {SURFACE}; border: none; border-bottom: 1px solid #c9d1db;
                        padding: 6px; font-weight: bold; }}
QLineEdit, QComboBox, QSpinBox {{ padding: 6px; border: 1px solid #b8c2cf; border-radius: 4px;
                                  background: white; }}
QLineEdit:focus, QComboBox:focus, QSpinBox:focus {{ border: 2px solid {PRIMARY}; }}
"""


# 适老化: every word on the kiosk and the call display at least this much larger.
LARGE_TEXT_SCALE = 1.5


class KioskPalette:
    """Colours and type sizes of the kiosk, standard or large text and high contrast (适老化)."""

    def __init__(self, large_text: bool, fit: float = 1.0) -> None:
        # ``fit``: a screen smaller than 1366x768's kiosk layout takes a share of the sizes
        # (large text at 1366x768 gets 1.5 x 0.78).
        self.scale = (LARGE_TEXT_SCALE if large_text else 1.0) * fit
        self.high_contrast = large_text
        if large_text:  # 适老化: black on white, thick borders, no pale greys
            self.page, self.card, self.border, self.border_w = "#ffffff", "#ffffff", "#000000", 3
            self.text, self.muted, self.accent = "#000000", "#000000", "#0b3d91"
            self.header_bg, self.header_fg = "#000000", "#ffffff"
            self.warn, self.danger = "#7a3e00", "#a00000"
        else:
            self.page, self.card, self.border, self.border_w = SURFACE, "#ffffff", "#cfd8e3", 1
            self.text, self.muted, self.accent = "#1b1f24", "#4a5868", PRIMARY
            self.header_bg, self.header_fg = PRIMARY, "#ffffff"
            self.warn, self.danger = "#9a5a00", DANGER
        # The priority lane's colour (toggles, the result's badge), and "take your ticket".
        self.priority = "#000000" if large_text else ACCENT
        self.ok = "#000000" if large_text else OK

    def pt(self, size: float) -> int:
        """A type size in this look, rounded up (never below the large-text factor)."""
        return math.ceil(size * self.scale - 1e-9)


def kiosk_qss(look: KioskPalette, family: str) -> str:
    """The kiosk's style sheet: pages, service buttons, priority toggles, actions, scroll bar."""
    pt = look.pt
    return f"""
        QWidget#kiosk, QStackedWidget, QWidget#page {{ background: {look.page}; }}
        QWidget {{ font-family: "{family}"; color: {look.text}; }}
        QPushButton#service {{
            background: {look.card}; border: {look.border_w}px solid {look.border};
            border-radius: 14px;
        }}
        QPushButton#service:pressed {{ background: #dfeaf7; border: 2px solid {look.accent}; }}
        QPushButton#service:disabled {{
            background: {"#ffffff" if look.high_contrast else "#eceff3"};
            border: {look.border_w}px {"dashed" if look.high_contrast else "solid"}
                    {look.border if look.high_contrast else "#dde3ea"};
        }}
        QPushButton#priority {{
            background: {look.card}; border: {max(2, look.border_w)}px solid {look.border};
            border-radius: 12px; font-size: {pt(19)}pt; padding: 6px 10px;
            color: {look.text};
        }}
        QPushButton#priority[normal="true"]:checked {{
            background: {look.accent}; border-color: {look.accent}; color: white;
            font-weight: bold;
        }}
        QPushButton#priority:checked {{
            background: {look.priority}; border-color: {look.priority};
            color: white; font-weight: bold;
        }}
        QScrollBar:vertical {{ background: transparent; width: 12px; margin: 0; }}
        QScrollBar::handle:vertical {{
            background: {look.border}; border-radius: 6px; min-height: 40px;
        }}
        QScrollBar::add-line, QScrollBar::sub-line {{ height: 0; }}
        QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}
        QPushButton#action {{
            background: {look.card}; border: {max(2, look.border_w)}px solid {look.accent};
            border-radius: 12px; font-size: {pt(20)}pt; padding: 10px 28px;
            color: {look.accent};
        }}
        QPushButton#action[primary="true"] {{
            background: {look.accent}; color: white; font-weight: bold;
        }}
        """
