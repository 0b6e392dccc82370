"""Chinese text for the A4 case documents: line breaking, justification, faux bold, styles.

reportlab's ``Paragraph`` with ``wordWrap="CJK"`` lets closing punctuation start a line and an
opening bracket end one, and collapses the ideographic spaces of blanks such as
``　　年　　月　　日``. :class:`Text` sets plain text the way Chinese documents are set instead:
see :func:`wrap_running` for the line breaking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from printing.fonts import register_fonts
from printing.layout import NO_LINE_END, NO_LINE_START

GREY_TEXT = 0.35  # small print and running headers

# Latin words and numbers stay whole ("2026", "YJS-20261127-0001"); anything else is one token.
_TOKEN = re.compile(r"[A-Za-z0-9_@#$%&+\-.:]+|\s|.", re.DOTALL)
_NO_START = NO_LINE_START | set("/")  # "满意/基本满意": a slash never begins a line either


def wrap_running(text: str, font: str, size: float, first: float, rest: float) -> list[str]:
    """Break running text into lines ``first`` points wide, then ``rest`` points wide.

    Chinese running text breaks between any two characters: unlike
    ``printing.layout.wrap_text`` (made for short centred lines such as a hall's name), a space
    is no better a break than any other, so a justified line never gapes. Closing punctuation
    (and a slash) hangs at the end of a line instead of starting the next one, an opening one
    moves down with what follows, a Latin word or number longer than a line breaks anywhere.
    """
    lines: list[str] = []
    line = ""

    def room() -> float:
        return first if not lines else rest

    def fits(candidate: str) -> bool:
        return stringWidth(candidate, font, size) <= room()

    for token in _TOKEN.findall(text):
        if token.isspace() and not line and lines:
            continue  # no space at the start of a continued line
        if fits(line + token):
            line += token
        elif token.isspace():
            lines.append(line.rstrip())
            line = ""
        elif line and token[0] in _NO_START:
            line += token  # hangs over the edge; Text squeezes it back in
        else:
            carry = ""
            if line and line[-1] in NO_LINE_END:
                carry, line = line[-1], line[:-1]
            if line.strip():
                lines.append(line.rstrip())
            line = carry
            for char in token:  # a token wider than the whole line breaks anywhere
                if line and not fits(line + char):
                    lines.append(line)
                    line = ""
                line += char
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return _no_widow(lines)


def _no_widow(lines: list[str]) -> list[str]:
    """Never end a paragraph with one character alone: take one more from the line above.

    (Two when that one is closing punctuation, which cannot start the line; none when it ends a
    Latin word or number, which must stay whole.) The line above only gets shorter.
    """
    latin = re.compile(r"[A-Za-z0-9]")
    if len(lines) < 2 or len(lines[-1].strip()) != 1 or len(lines[-2]) < 4:
        return lines
    above = lines[-2]
    take = 2 if above[-1] in _NO_START else 1
    moved = above[-take:]
    inside_word = latin.match(moved[0]) and latin.match(above[-take - 1])
    if not moved.strip() or moved[0] in _NO_START or inside_word:
        return lines
    return [*lines[:-2], above[:-take], moved + lines[-1]]


@dataclass(frozen=True)
class TextStyle:
    """How a :class:`Text` is set. Sizes and spaces in points.

    ``indent`` moves the first line of each paragraph right (the customary two characters of
    Chinese running text); ``hang`` moves the other lines right (a "※" note).
    """

    font: str
    size: float
    leading: float
    align: str = "left"  # left | centre | right | justify
    indent: float = 0
    hang: float = 0
    bold: bool = False
    grey: float = 0  # 0 black; 0.35 the grey of small print
    space_before: float = 0
    space_after: float = 0
    keep_with_next: bool = False


class Text(Flowable):
    """Wrapped plain text in the bundled font, set as Chinese is set.

    Lines break with :func:`wrap_running`. Justified lines spread the remaining space over the
    character gaps; a line whose closing punctuation hangs over the edge is squeezed back inside
    it, so text never crosses a table rule. The text is taken literally (nothing to escape: a
    ``&`` or ``<`` in a material's name prints as it is) and a long text splits across pages
    line by line. ``bold`` strokes the outlines as well (the font has no bold face, see
    ``printing.layout.draw_centred``).
    """

    def __init__(
        self,
        text: str,
        style: TextStyle,
        _lines: list[tuple[str, bool]] | None = None,
        _continued: bool = False,
    ) -> None:
        super().__init__()
        self.text, self.style = text, style
        self.spaceBefore, self.spaceAfter = style.space_before, style.space_after
        self.keepWithNext = style.keep_with_next
        # A part made by split() keeps its lines; the second part begins inside a paragraph.
        self._fixed, self._continued = _lines, _continued
        self._lines: list[tuple[str, bool]] = _lines or []

    def _wrap_lines(self, width: float) -> list[tuple[str, bool]]:
        """(line, ends a paragraph) pairs; the first line of a paragraph has its indent."""
        st = self.style
        result: list[tuple[str, bool]] = []
        for paragraph in self.text.split("\n"):
            lines = wrap_running(paragraph, st.font, st.size, width - st.indent, width - st.hang)
            result += [(line, index == len(lines) - 1) for index, line in enumerate(lines)]
        return result

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        if self._fixed is None:
            self._lines = self._wrap_lines(avail_width)
        self.height = len(self._lines) * self.style.leading
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        fit = int(avail_height // self.style.leading)
        if fit < 1:
            return []
        if fit >= len(self._lines):
            return [self]
        st = self.style
        return [
            Text(self.text, replace(st, space_after=0), self._lines[:fit], self._continued),
            Text(self.text, replace(st, space_before=0), self._lines[fit:], True),
        ]

    def draw(self) -> None:
        st = self.style
        canvas = self.canv
        canvas.saveState()
        canvas.setFillGray(st.grey)
        if st.bold:
            canvas.setLineWidth(st.size * 0.03)
            canvas.setLineJoin(1)  # round joins: no spikes at sharp stroke corners
        paragraph_start = not self._continued
        for index, (line, last) in enumerate(self._lines):
            left = st.indent if paragraph_start else st.hang
            room = self.width - left
            natural = stringWidth(line, st.font, st.size)
            spacing = 0.0
            if natural > room:
                spacing = (room - natural) / max(len(line) - 1, 1)  # squeeze a hanging mark in
            elif st.align == "justify" and not last and room - natural < room * 0.3:
                spacing = (room - natural) / max(len(line) - 1, 1)
            shown = natural + spacing * (len(line) - 1)
            x = left
            if st.align == "centre":
                x += (room - shown) / 2
            elif st.align == "right":
                x += room - shown
            # The em box, where ideographs sit, centred in the line's leading.
            top = self.height - index * st.leading
            baseline = top - (st.leading - st.size) / 2 - st.size * 0.86
            obj = canvas.beginText(x, baseline)
            obj.setFont(st.font, st.size)
            if spacing:
                obj.setCharSpace(spacing)
            if st.bold:
                obj.setTextRenderMode(2)
            obj.textOut(line)
            canvas.drawText(obj)
            paragraph_start = last
        canvas.restoreState()


@dataclass(frozen=True)
class Styles:
    """The text styles of the case documents (all in the bundled font)."""

    font: str
    body: TextStyle  # running text, 10.5 pt (五号, the size of Chinese official text)
    body_indent: TextStyle  # a paragraph with the customary two-character first-line indent
    lead: TextStyle  # body_indent introducing a table: kept on the table's page
    heading: TextStyle  # "一、申请人信息"
    cell: TextStyle
    cell_centre: TextStyle
    cell_head: TextStyle
    label: TextStyle  # the grey label cells of key-value tables
    small: TextStyle
    tag: TextStyle  # "【关键材料】" under a material's name
    note: TextStyle  # "※" notes under a table
    right: TextStyle
    case_number: TextStyle  # the receipt's case number, large
    due_date: TextStyle  # the commitment's due date, large and centred


def make_styles() -> Styles:
    font = register_fonts()

    def style(size: float, leading: float, **extra: Any) -> TextStyle:
        return TextStyle(font=font, size=size, leading=leading, **extra)

    return Styles(
        font=font,
        body=style(10.5, 18, align="justify"),
        body_indent=style(10.5, 18, align="justify", indent=21),
        lead=style(10.5, 18, align="justify", indent=21, space_after=2 * mm, keep_with_next=True),
        heading=style(12, 16, bold=True, space_before=8, space_after=4, keep_with_next=True),
        cell=style(9.5, 13.5),
        cell_centre=style(9.5, 13.5, align="centre"),
        cell_head=style(9.5, 13.5, align="centre", bold=True),
        label=style(9.5, 13.5, align="centre"),
        small=style(8.5, 12.5, grey=GREY_TEXT - 0.1),
        tag=style(8, 11, grey=GREY_TEXT - 0.1),
        note=style(9, 14, hang=13.5, space_before=3, grey=0.15),
        right=style(10.5, 18, align="right"),
        case_number=style(20, 26, bold=True),
        due_date=style(22, 30, align="centre", bold=True),
    )
