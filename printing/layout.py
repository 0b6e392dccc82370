"""Small layout helpers shared by the printed documents: CJK line wrapping, faux bold.

reportlab's own ``simpleSplit`` breaks only at spaces, which Chinese text has none of; these
helpers break between any two CJK characters while keeping Latin words and numbers whole and
keeping closing punctuation off the start of a line (禁则, as Chinese typesetting expects).
"""

from __future__ import annotations

import re

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

# Punctuation that must not begin a line: it hangs at the end of the previous one instead.
NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…—·%,.;:?!)]}")
# Punctuation that must not end a line: it moves down with the character that follows.
NO_LINE_END = set("（《「『【〔〈“‘([{")

# A Latin word or number (kept whole), or any other single character.
_TOKEN = re.compile(r"[A-Za-z0-9_@#$%&+\-./:]+|\s+|.", re.DOTALL)


def wrap_text(text: str, font: str, size: float, width: float, balance: bool = False) -> list[str]:
    """Split ``text`` into lines no wider than ``width`` points (newlines force a break).

    A space is the preferred break point (a hall name like ``青岛市民中心 一件事专区`` breaks
    between its parts). A token wider than the whole line (a long URL) is split by character as a
    last resort. Closing punctuation may overhang the line by one character, as in printed
    Chinese. With ``balance`` the lines of each paragraph are made about equally long instead of
    leaving one or two characters alone on the last line.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        wrapped = _wrap_paragraph(paragraph, font, size, width)
        if balance and len(wrapped) > 1:
            wrapped = _balanced(paragraph, font, size, width, len(wrapped))
        lines.extend(wrapped)
    return lines


def _balanced(text: str, font: str, size: float, width: float, count: int) -> list[str]:
    """The narrowest wrap of ``text`` that still takes only ``count`` lines."""
    low, high = width / count, width
    best = _wrap_paragraph(text, font, size, width)
    while high - low > 1:  # one point is far finer than a character
        middle = (low + high) / 2
        attempt = _wrap_paragraph(text, font, size, middle)
        if len(attempt) <= count:
            best, high = attempt, middle
        else:
            low = middle
    return best


def _wrap_paragraph(text: str, font: str, size: float, width: float) -> list[str]:
    def fits(candidate: str) -> bool:
        return stringWidth(candidate, font, size) <= width

    lines: list[str] = []
    line = ""
    for token in _TOKEN.findall(text):
        if fits(line + token):
            line += token
        elif token.isspace():
            lines.append(line.rstrip())  # break at the space, which then disappears
            line = ""
        elif line and token[0] in NO_LINE_START:
            line += token  # hang closing punctuation at the line end rather than start with it
        else:
            head, _, tail = line.rstrip().rpartition(" ")
            if head.strip() and stringWidth(head, font, size) >= width / 3 and fits(tail + token):
                # The line has a space far enough along: break there, not inside a word/phrase.
                lines.append(head.rstrip())
                line = tail + token
                continue
            carry = ""
            if line and line[-1] in NO_LINE_END:
                carry, line = line[-1], line[:-1]  # an opening bracket goes down with its word
            if line.strip():
                lines.append(line.rstrip())
            line = carry
            for ch in token:  # a token wider than a whole line (a long URL) breaks anywhere
                if line and not fits(line + ch):
                    lines.append(line)
                    line = ""
                line += ch
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def draw_centred(
    canvas: Canvas,
    text: str,
    x_centre: float,
    y: float,
    font: str,
    size: float,
    bold: bool = False,
) -> None:
    """Draw one line of ``text`` centred on ``x_centre`` with its baseline at ``y``.

    ``bold`` strokes the glyph outlines as well as filling them (text render mode 2): the
    bundled CJK font has no bold face, and a stroked outline of ~3 % of the size reads as bold
    on paper and on screen.
    """
    text_width = stringWidth(text, font, size)
    obj = canvas.beginText(x_centre - text_width / 2, y)
    obj.setFont(font, size)
    if bold:
        canvas.saveState()
        canvas.setLineWidth(size * 0.03)
        canvas.setLineJoin(1)  # round joins: no spikes at sharp stroke corners
        obj.setTextRenderMode(2)
        obj.textOut(text)
        canvas.drawText(obj)
        canvas.restoreState()
    else:
        obj.textOut(text)
        canvas.drawText(obj)
