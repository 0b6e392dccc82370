"""The queue ticket (排队号票) printed by the kiosk on 80 mm thermal receipt paper.

What it shows follows the queue rules of ``domain.md``: the hall's name, the number, the
service, the people ahead and the estimated wait, the time issued, a QR code for following the
queue on a phone, and how to evaluate the service (好差评).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from desk_app.domain.clock import HALL_TZ  # noqa: E402  (the hall's clock, whatever the PC's)
from printing.fonts import register_fonts
from printing.layout import draw_centred, wrap_text
from printing.qr import qr_reader

DEFAULT_EVALUATION_HINT = "办事后请扫码或在窗口评价器上对本次服务进行“好差评”"
DEFAULT_NOTE = "请留意叫号屏幕和语音提示。过号请重新取号或咨询导服台。"
QR_CAPTION = "扫码查看排队进度"

PAGE_WIDTH = 80 * mm  # standard thermal receipt roll
MARGIN = 5 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
# Drawn size of the QR image including its 4-module quiet zone (white, part of the image, so the
# code scans whatever is printed next to it): ~30 mm of code for a short URL, which any phone
# camera reads at arm's length.
QR_SIZE = 38 * mm

#: A file name, a path, or a binary file object open for writing.
PathOrFile = str | os.PathLike[str] | BinaryIO


@dataclass(frozen=True, slots=True)
class TicketPrint:
    """Everything printed on one queue ticket (a DTO filled by the queue service).

    Attributes:
        number: the ticket number, a service prefix and a daily number, e.g. ``A001``.
        service_name: the 一件事 or service, e.g. ``新生儿出生一件事``.
        ahead: people waiting before this ticket for the same service.
        eta_minutes: estimated wait in minutes.
        issued_at: when the ticket was taken; must be timezone-aware (shown in Asia/Shanghai).
        hall_name: the service hall, printed on top.
        progress_url: encoded exactly as given in the QR code (see ``printing.progress``).
        priority_label: e.g. ``绿色通道·老年人`` for a priority ticket, else ``None``.
        evaluation_hint: how to evaluate the service (好差评).
        note: the small print at the bottom (what to do after a no-show).
    """

    number: str
    service_name: str
    ahead: int
    eta_minutes: int
    issued_at: datetime
    hall_name: str
    progress_url: str
    priority_label: str | None = None
    evaluation_hint: str = DEFAULT_EVALUATION_HINT
    note: str = DEFAULT_NOTE


def format_issued_at(issued_at: datetime) -> str:
    """``issued_at`` on the hall's clock as ``2026-11-27 09:05``.

    Raises:
        ValueError: for a naive datetime, whose meaning (UTC? local?) cannot be known.
    """
    if issued_at.tzinfo is None or issued_at.utcoffset() is None:
        raise ValueError("issued_at must be timezone-aware")
    return issued_at.astimezone(HALL_TZ).strftime("%Y-%m-%d %H:%M")


# A layout block: its height in points and a function drawing it with its top edge at y.
_Block = tuple[float, Callable[[Canvas, float], None]]


def _text_block(
    text: str, font: str, size: float, leading: float | None = None, bold: bool = False
) -> _Block:
    """Centred, wrapped lines of text."""
    lines = wrap_text(text, font, size, CONTENT_WIDTH, balance=True)
    lead = leading if leading is not None else size * 1.35

    def draw(canvas: Canvas, top: float) -> None:
        # The first baseline sits one ascent (~0.88 em for this font) below the block's top.
        for index, line in enumerate(lines):
            baseline = top - size * 0.88 - index * lead
            draw_centred(canvas, line, PAGE_WIDTH / 2, baseline, font, size, bold=bold)

    height = size * 0.88 + (len(lines) - 1) * lead + size * 0.25  # 0.25 em for descenders
    return height, draw


def _space(height: float) -> _Block:
    return height, lambda canvas, top: None


def _rule(dashed: bool = False) -> _Block:
    """A horizontal separator across the content width, with room above and below."""
    gap = 2.2 * mm

    def draw(canvas: Canvas, top: float) -> None:
        canvas.saveState()
        canvas.setLineWidth(0.6 if dashed else 0.9)
        if dashed:
            canvas.setDash(2, 2)  # the "tear here" look of a receipt's lower part
        y = top - gap
        canvas.line(MARGIN, y, PAGE_WIDTH - MARGIN, y)
        canvas.restoreState()

    return 2 * gap, draw


def _number_block(number: str, font: str) -> _Block:
    """The ticket number, as large as fits: it is what the visitor compares with the display."""
    size = 58.0
    while size > 20 and stringWidth(number, font, size) > CONTENT_WIDTH:
        size -= 2  # a longer number (a two-letter prefix, a 4-digit day) still fits one line
    return _text_block(number, font, size, bold=True)


def _label_block(text: str, font: str) -> _Block:
    """A white-on-black badge (the priority label): noticed at a glance by staff and visitor."""
    size = 11.0
    pad_x, pad_y = 3 * mm, 1.3 * mm
    text_width = min(stringWidth(text, font, size), CONTENT_WIDTH - 2 * pad_x)
    box_w, box_h = text_width + 2 * pad_x, size + 2 * pad_y

    def draw(canvas: Canvas, top: float) -> None:
        canvas.saveState()
        canvas.setFillGray(0)
        canvas.roundRect(
            (PAGE_WIDTH - box_w) / 2, top - box_h, box_w, box_h, radius=1.5 * mm, fill=1, stroke=0
        )
        canvas.setFillGray(1)
        canvas.setStrokeGray(1)
        baseline = top - pad_y - size * 0.85
        draw_centred(canvas, text, PAGE_WIDTH / 2, baseline, font, size, bold=True)
        canvas.restoreState()

    return box_h, draw


def _qr_block(url: str) -> _Block:
    image = qr_reader(url)

    def draw(canvas: Canvas, top: float) -> None:
        canvas.drawImage(image, (PAGE_WIDTH - QR_SIZE) / 2, top - QR_SIZE, QR_SIZE, QR_SIZE)

    return QR_SIZE, draw


def _blocks(ticket: TicketPrint, font: str) -> list[_Block]:
    blocks: list[_Block] = [
        _text_block(ticket.hall_name, font, 12.5, bold=True),
        _rule(),
        _text_block(ticket.service_name, font, 13),
        _space(1 * mm),
        _number_block(ticket.number, font),
        _space(1 * mm),
    ]
    if ticket.priority_label:
        blocks += [_label_block(ticket.priority_label, font), _space(2.5 * mm)]
    if ticket.ahead == 0:  # as the kiosk says it: no "0 people, about 0 minutes"
        blocks += [
            _text_block("前面没有人等候", font, 14, bold=True),
            _space(0.8 * mm),
            _text_block("请留意叫号", font, 10.5),
        ]
    else:
        blocks += [
            _text_block(f"前面还有 {ticket.ahead} 人", font, 14, bold=True),
            _space(0.8 * mm),
            _text_block(f"预计等候约 {ticket.eta_minutes} 分钟", font, 10.5),
        ]
    blocks += [
        _space(0.8 * mm),
        _text_block(f"取号时间 {format_issued_at(ticket.issued_at)}", font, 9.5),
        _rule(dashed=True),
        _qr_block(ticket.progress_url),
        _text_block(QR_CAPTION, font, 9.5),
        _space(3 * mm),
        _text_block(ticket.evaluation_hint, font, 8.5),
        _space(2 * mm),
        _text_block(ticket.note, font, 8.5),
    ]
    return blocks


def render_ticket_pdf(ticket: TicketPrint, path_or_file: PathOrFile) -> None:
    """Render ``ticket`` as a one-page PDF for an 80 mm thermal receipt printer.

    The page is 80 mm wide with 5 mm margins; its height fits the content (receipt printers cut
    after the last line, so a fixed A-size page would waste paper). The CJK font is embedded as
    a subset, so the PDF prints the same on any PC.

    Args:
        ticket: what to print.
        path_or_file: a file name or path, or a binary file object open for writing.

    Raises:
        ValueError: ``ticket.issued_at`` is naive, or ``progress_url`` is empty.
        printing.fonts.FontNotFoundError: the bundled font is missing.
    """
    font = register_fonts()
    blocks = _blocks(ticket, font)
    height = 2 * MARGIN + sum(block_height for block_height, _ in blocks)

    target = (
        os.fspath(path_or_file) if isinstance(path_or_file, str | os.PathLike) else path_or_file
    )
    # initialFontName: otherwise reportlab declares Helvetica on every page, a font that is not
    # embedded (and has no Chinese) although no text uses it.
    canvas = Canvas(target, pagesize=(PAGE_WIDTH, height), pageCompression=1, initialFontName=font)
    canvas.setTitle(f"排队号票 {ticket.number}")
    canvas.setSubject(ticket.service_name)
    canvas.setAuthor(ticket.hall_name)
    canvas.setCreator("desk-app")

    top = height - MARGIN
    for block_height, draw in blocks:
        draw(canvas, top)
        top -= block_height
    canvas.showPage()
    canvas.save()
