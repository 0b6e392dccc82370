"""Widgets and text helpers shared by the kiosk and the call display."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QLabel


class HeavyLabel(QLabel):
    """A QLabel drawn as filled and outlined glyphs, so text stays heavy at any size (Qt draws
    glyphs above ~64 px as paths without its synthetic bold, and the bundled CJK font has no
    bold face). Colour and font come from the style sheet, as for any QLabel. Text too wide
    or too tall for the label is scaled down rather than clipped (a two-letter prefix, window
    12, a large-text number on a small screen): it may be given half its height."""

    def __init__(self, text: str = "", *, stroke: float = 0.045) -> None:
        super().__init__(text)
        self._stroke = stroke  # outline width as a share of the font's height
        self._drawn: tuple[tuple[object, ...], QPixmap] | None = None  # (what, its drawing)

    def _pen_width(self) -> float:
        return QFontMetricsF(self.font()).height() * self._stroke

    def _extent(self) -> QRectF:
        # The ink of a CJK glyph, a capital and a descender: the same box for any text, so the
        # label keeps its height when the number changes, without the font's empty line gap.
        return QFontMetricsF(self.font()).tightBoundingRect("国Ag0")

    def sizeHint(self) -> QSize:  # noqa: N802
        fm = QFontMetricsF(self.font())
        pad = self._pen_width() * 2
        m = self.contentsMargins()
        width = fm.horizontalAdvance(self.text()) + pad + m.left() + m.right()
        return QSize(round(width), round(self._extent().height() + pad + m.top() + m.bottom()))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = self.sizeHint()
        return QSize(min(hint.width(), hint.height()), hint.height() // 2)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        # Drawn once per text, size and colour, then copied: the call display's big panel
        # repaints its labels at every frame of its flash, and each stroked outline costs a
        # millisecond or more (bench/wall_bench.py).
        text = self.text()
        if not text:
            return
        area = self.contentsRect()
        color = self.palette().color(QPalette.ColorRole.WindowText)
        ratio = self.devicePixelRatioF()
        key = (text, area.size(), self.font().key(), color.rgba(), int(self.alignment()), ratio)
        if self._drawn is None or self._drawn[0] != key:
            self._drawn = (key, self._draw(text, area.width(), area.height(), color, ratio))
        QPainter(self).drawPixmap(area.topLeft(), self._drawn[1])

    def _draw(self, text: str, w: int, h: int, color: QColor, ratio: float) -> QPixmap:
        pixmap = QPixmap(max(1, round(w * ratio)), max(1, round(h * ratio)))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        fm = QFontMetricsF(self.font())
        pen_w = self._pen_width()
        rect = QRectF(0, 0, w, h).adjusted(pen_w, pen_w, -pen_w, -pen_w)
        width = fm.horizontalAdvance(text)
        ink = self._extent()
        scale = min(1.0, rect.width() / width) if width > 0 else 1.0
        if ink.height() > 0:
            scale = min(scale, rect.height() / ink.height())
        width *= scale
        align = self.alignment()
        if align & Qt.AlignmentFlag.AlignHCenter:
            x = rect.left() + (rect.width() - width) / 2
        elif align & Qt.AlignmentFlag.AlignRight:
            x = rect.right() - width
        else:
            x = rect.left()
        baseline = rect.center().y() - (ink.top() + ink.height() / 2) * scale
        path = QPainterPath()
        path.addText(0, 0, self.font(), text)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(x, baseline)
        painter.scale(scale, scale)
        pen = QPen(color, pen_w)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(color)
        painter.drawPath(path)
        painter.end()
        return pixmap


def two_lines(text: str, label: QLabel, tail: str) -> str:
    """``text`` on one line if it fits ``label``, else on two balanced lines: after a comma or
    semicolon, or before ``tail`` (一件事), else at the space nearest the middle (never inside
    an English word), else in the middle; never a lone character on a line."""
    width = label.width()
    label.ensurePolished()  # the style sheet's font-size, not the default font
    fm = QFontMetrics(label.font())
    if width <= 0 or fm.horizontalAdvance(text) <= width:
        return text
    for sep in (", ", "，", "; ", "；"):
        head, found, rest = text.partition(sep)
        if found and fm.horizontalAdvance(head + sep.strip()) <= width:
            return f"{head}{sep.strip()}\n{rest}"
    if tail and text.endswith(tail):
        head = text.removesuffix(tail)
        if fm.horizontalAdvance(head) <= width:
            return f"{head}\n{tail}"
    half = (len(text) + 1) // 2
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if spaces:
        cut = min(spaces, key=lambda i: abs(i - half))
        return f"{text[:cut]}\n{text[cut + 1 :]}"
    return f"{text[:half]}\n{text[half:]}"
