"""The queue ticket as ESC/POS bytes, for a thermal ticket printer spoken to directly.

The same content as the PDF ticket (``printing.ticket``), laid out for an 80 mm roll printer
(576 dots across at 203 dpi, 12x24-dot font A: 48 half-width columns, 24 Chinese characters):
hall name, service, the number very large, the priority label in white on black, people ahead
and the estimated wait, the time issued, the QR code of the progress URL, the evaluation hint
and the note, a feed and a partial cut.

The choices:

* The bytes are built with python-escpos's ``Dummy`` printer (its ``hw``/``set``/``text``/
  ``qr``/``image``/``cut``) and its ``TM-T20II`` profile, the common 80 mm Epson profile most
  Chinese 80 mm printers (Xprinter, Gprinter) emulate: 576 dots, partial cut, native QR.
* Character size always goes through ``GS !`` (``set(custom_size=True, ...)``), never
  ``ESC !``: in Chinese character mode ``ESC !`` sizes only the one-byte characters (the
  Chinese ones take ``FS !``), while ``GS !`` sizes all characters.
* ``text_mode="gb18030"``: ``FS &`` selects Chinese character mode and the text is sent
  GB18030-encoded (what Chinese thermal printers' built-in fonts read). python-escpos has
  neither (its text encoder knows single-byte code pages only), so these two go through
  ``_raw``. ASCII-only lines (the number, the rules) use ``text()``.
* ``text_mode="raster"``: each text line is drawn with the bundled CJK font through Pillow into
  a 1-bit image and sent as a raster bit image (``GS v 0``, ``image(impl="bitImageRaster")``),
  for printers without a Chinese font. The number and the rules stay ASCII text (ASCII is in
  every printer's font), so they print sharp and large and stay findable in the bytes.
* The QR code is the printer's own (``GS ( k``: model 2, module size, error correction M,
  store, print), not an image: sharper, and a few dozen bytes instead of kilobytes. The module
  size aims at a code about 30 mm wide, like the PDF's.
* Lines are wrapped here, by columns (a Chinese character takes two), keeping Latin words
  whole and closing punctuation off a line's start, so the printer never wraps mid-word and
  both modes break lines at the same places.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from printing.layout import NO_LINE_END, NO_LINE_START
from printing.ticket import QR_CAPTION, TicketPrint, format_issued_at

if TYPE_CHECKING:
    from PIL import Image, ImageFont

#: The python-escpos printer profile: a generic Epson-compatible 80 mm printer, 576 dots.
PROFILE = "TM-T20II"
#: Text modes of :func:`ticket_escpos`.
TEXT_MODES = ("gb18030", "raster")

FS_CHINESE_MODE = b"\x1c&"  # FS &: select Chinese (Kanji) character mode

HALF_WIDTH_DOTS = 12  # font A: 12x24 dots; a Chinese character is 24x24
LINE_DOTS = 24  # the height of one text line at size 1
NUMBER_SCALE = 4  # GS ! quadruple width and height for the ticket number
QR_TARGET_DOTS = 240  # ~30 mm at 203 dpi (8 dots a millimetre)
QR_MODULE_RANGE = (3, 8)  # dots a module: smaller blurs on thermal paper, larger wastes it

# A Latin word or number (kept whole), a run of spaces, or any other single character.
_TOKEN = re.compile(r"[A-Za-z0-9_@#$%&+\-./:]+|\s+|.", re.DOTALL)


@dataclass(frozen=True, slots=True)
class _Text:
    """One logical line of the ticket: wrapped to the width, centred."""

    text: str
    scale: int = 1  # GS ! width and height multiplier
    bold: bool = False
    invert: bool = False  # white on black, the priority badge


@dataclass(frozen=True, slots=True)
class _Rule:
    dashed: bool = False


@dataclass(frozen=True, slots=True)
class _Number:
    text: str


@dataclass(frozen=True, slots=True)
class _Qr:
    url: str


@dataclass(frozen=True, slots=True)
class _Gap:
    lines: int = 1


_Item = _Text | _Rule | _Number | _Qr | _Gap


def ticket_escpos(
    ticket: TicketPrint, *, text_mode: str = "gb18030", width_dots: int = 576
) -> bytes:
    """The ESC/POS bytes printing ``ticket`` on a thermal roll printer, ending in a partial cut.

    Args:
        ticket: what to print (the same DTO as the PDF ticket).
        text_mode: ``gb18030`` (the printer's Chinese font, ``FS &`` and GB18030 text) or
            ``raster`` (Chinese lines drawn with the bundled font and sent as images).
        width_dots: the printable width in dots: 576 for 80 mm paper, 384 for 58 mm.

    Raises:
        ValueError: an unknown ``text_mode``, a width outside 128..576 dots or not a multiple of
            8, a naive ``ticket.issued_at`` or an empty ``progress_url``.
        printing.fonts.FontNotFoundError: raster mode and the bundled font is missing.
    """
    if text_mode not in TEXT_MODES:
        raise ValueError(f"text_mode must be one of {TEXT_MODES}, not {text_mode!r}")
    if not 128 <= width_dots <= 576 or width_dots % 8:
        raise ValueError(f"width_dots must be a multiple of 8 in 128..576, not {width_dots}")
    if not ticket.progress_url:
        raise ValueError("progress_url must not be empty")
    items = _items(ticket)

    from escpos.constants import QR_ECLEVEL_M, QR_MODEL_2
    from escpos.printer import Dummy

    printer: Any = Dummy(profile=PROFILE)
    printer.hw("INIT")  # ESC @: whatever the last job left set is cleared
    if text_mode == "gb18030":
        printer._raw(FS_CHINESE_MODE)
    columns = width_dots // HALF_WIDTH_DOTS
    for item in items:
        if isinstance(item, _Text):
            lines = wrap_columns(item.text, columns // item.scale - (2 if item.invert else 0))
            if text_mode == "gb18030":
                _gb18030_text(printer, item, lines)
            else:
                _raster_text(printer, item, lines, width_dots)
        elif isinstance(item, _Number):
            _number(printer, item.text, columns, text_mode, width_dots)
        elif isinstance(item, _Rule):
            rule = "- " * (columns // 2) if item.dashed else "-" * columns
            _size(printer, 1, bold=False)
            printer.text(rule.rstrip() + "\n")
        elif isinstance(item, _Qr):
            printer.set(align="center")
            size = qr_module_size(item.url)
            printer.qr(item.url, ec=QR_ECLEVEL_M, size=size, model=QR_MODEL_2, native=True)
            printer.text("\n")  # prints the symbol, then a line of quiet zone below it
        else:
            printer.ln(item.lines)
    printer.cut(mode="PART")  # ESC d 6 (feed past the cutter), GS V 1 (partial cut)
    return bytes(printer.output)


def _items(ticket: TicketPrint) -> list[_Item]:
    """What the ticket shows, top to bottom, in the PDF ticket's order and wording."""
    items: list[_Item] = [
        _Text(ticket.hall_name, bold=True),
        _Rule(),
        _Text(ticket.service_name, scale=2),
        _Number(ticket.number),
    ]
    if ticket.priority_label:
        items += [_Text(ticket.priority_label, bold=True, invert=True), _Gap()]
    if ticket.ahead == 0:  # as the kiosk and the PDF say it: no "0 people, about 0 minutes"
        items += [_Text("前面没有人等候", scale=2, bold=True), _Text("请留意叫号")]
    else:
        items += [
            _Text(f"前面还有 {ticket.ahead} 人", scale=2, bold=True),
            _Text(f"预计等候约 {ticket.eta_minutes} 分钟"),
        ]
    items += [
        _Text(f"取号时间 {format_issued_at(ticket.issued_at)}"),
        _Rule(dashed=True),
        _Gap(),  # a QR code needs white around it, which the printer does not leave itself
        _Qr(ticket.progress_url),
        _Text(QR_CAPTION),
        _Gap(),
        _Text(ticket.evaluation_hint),
        _Text(ticket.note),
    ]
    return items


# --- the two text modes ----------------------------------------------------------------------


def _size(printer: Any, scale: int, *, bold: bool, invert: bool = False) -> None:
    """Centre, GS ! size (both halves of the font), bold and reverse for what follows."""
    printer.set(
        align="center", custom_size=True, width=scale, height=scale, bold=bold, invert=invert
    )


def _gb18030_text(printer: Any, item: _Text, lines: list[str]) -> None:
    _size(printer, item.scale, bold=item.bold, invert=item.invert)
    for line in lines:
        if item.invert:
            line = f" {line} "  # the badge: a space of black either side
        if line.isascii():
            printer.text(line + "\n")
        else:  # after FS &: two bytes a character (four for the rare ones outside GBK)
            printer._raw(line.encode("gb18030") + b"\n")
    if item.invert:
        _size(printer, 1, bold=False, invert=False)


def _raster_text(printer: Any, item: _Text, lines: list[str], width_dots: int) -> None:
    if all(line.isascii() for line in lines):  # in every printer's font: sent as text
        _gb18030_text(printer, item, lines)
        return
    _size(printer, 1, bold=False)
    for line in lines:
        image = render_line(line, item.scale, width_dots, bold=item.bold, invert=item.invert)
        printer.image(image, impl="bitImageRaster")  # GS v 0


def _number(printer: Any, number: str, columns: int, text_mode: str, width_dots: int) -> None:
    """The number, as large as fits one line (up to quadruple size)."""
    width = sum(_columns(ch) for ch in number) or 1
    scale = max(1, min(NUMBER_SCALE, columns // width))
    if number.isascii() or text_mode == "gb18030":
        _gb18030_text(printer, _Text(number, scale=scale, bold=True), [number])
    else:
        _raster_text(printer, _Text(number, scale=scale, bold=True), [number], width_dots)


def qr_module_size(url: str) -> int:
    """Dots a QR module so that the code of ``url`` (model 2, level M) is about 30 mm wide."""
    import qrcode
    import qrcode.constants

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    modules = 17 + 4 * int(code.version)
    low, high = QR_MODULE_RANGE
    return max(low, min(high, QR_TARGET_DOTS // modules))


# --- raster lines -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _font(pixels: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    from printing.fonts import FontNotFoundError, font_path

    path = font_path()
    if not path.is_file():
        raise FontNotFoundError(f"bundled CJK font not found: {path}")
    return ImageFont.truetype(str(path), pixels)


def render_line(
    text: str, scale: int, width_dots: int, *, bold: bool = False, invert: bool = False
) -> Image.Image:
    """One line of text drawn with the bundled CJK font, centred on a 1-bit image
    ``width_dots`` wide: black (0) prints, white (1) does not. ``scale`` 1 is the printer's
    24-dot line; ``invert`` draws white on a black box (the priority badge)."""
    from PIL import Image, ImageDraw

    font = _font(LINE_DOTS * scale)
    ascent, descent = font.getmetrics()
    pad = 3 * scale  # room between lines, like the printer's own line spacing
    height = ascent + descent + 2 * pad
    image = Image.new("1", (width_dots, height), 1)
    draw = ImageDraw.Draw(image)
    draw.fontmode = "1"  # no anti-aliasing: grey would dither into speckles
    stroke = 1 if bold and not invert else 0  # no bold face: a 1-dot stroke reads as bold
    text_width = draw.textlength(text, font=font) + 2 * stroke
    left = max(0, (width_dots - text_width) / 2)
    if invert:
        box = (max(0, left - 8), 0, min(width_dots - 1, left + text_width + 8), height - 1)
        draw.rectangle(box, fill=0)
    ink = 1 if invert else 0
    draw.text((left + stroke, pad), text, font=font, fill=ink, stroke_width=stroke, stroke_fill=ink)
    return image


# --- wrapping by columns --------------------------------------------------------------------


def _columns(ch: str) -> int:
    """Half-width columns ``ch`` takes in the printer's font: one for ASCII, two for anything
    else (in Chinese character mode every GB18030 character, “ and · included, is full width)."""
    return 1 if ch.isascii() else 2


def _width(text: str) -> int:
    return sum(_columns(ch) for ch in text)


def wrap_columns(text: str, columns: int) -> list[str]:
    """``text`` in lines of at most ``columns`` half-width columns (a Chinese character takes
    two), centred ticket style: breaks at spaces first, keeps Latin words and numbers whole,
    lets closing punctuation hang rather than start a line, and evens out the lines of a
    paragraph so that a last line is not one lonely character."""
    columns = max(columns, 2)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        wrapped = _wrap(paragraph, columns)
        if len(wrapped) > 1:  # the narrowest width that still takes as many lines
            words = [_width(t) for t in _TOKEN.findall(paragraph) if not t.isspace()]
            for narrower in range(columns - 1, max([2, *words]) - 1, -1):  # no word broken
                attempt = _wrap(paragraph, narrower)
                if len(attempt) > len(wrapped):
                    break
                wrapped = attempt
        lines.extend(wrapped)
    return lines


def _wrap(text: str, columns: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for token in _TOKEN.findall(text):
        if _width(line + token) <= columns:
            line += token
        elif token.isspace():
            lines.append(line.rstrip())  # break at the space, which then disappears
            line = ""
        elif len(line) > 1 and token[0] in NO_LINE_START and not line[-1].isspace():
            # Closing punctuation must not start a line, and the printer has no margin to hang
            # it in: the character before it goes down with it.
            lines.append(line[:-1].rstrip())
            line = line[-1] + token
        else:
            carry = ""
            if line and line[-1] in NO_LINE_END:
                carry, line = line[-1], line[:-1]  # an opening bracket goes down with its word
            if line.strip():
                lines.append(line.rstrip())
            line = carry
            for ch in token:  # a token wider than a whole line (a long URL) breaks anywhere
                if line and _width(line + ch) > columns:
                    lines.append(line)
                    line = ""
                line += ch
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return [line.lstrip() for line in lines]
