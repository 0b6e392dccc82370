"""The appointment slip (预约凭条): code, QR, date, time, place, and the bundle's checklist of
what to bring, so the visitor arrives once with everything (receipt-width, height fits)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from printing.fonts import register_fonts
from printing.layout import draw_centred, wrap_text
from printing.qr import qr_reader

PAGE_WIDTH = 100 * mm
MARGIN = 6 * mm
CONTENT = PAGE_WIDTH - 2 * MARGIN
QR_SIZE = 34 * mm

PathOrFile = str | os.PathLike[str] | BinaryIO
_Block = tuple[float, Callable[[Canvas, float], None]]


@dataclass(frozen=True)
class BringItem:
    name: str
    detail: str  # 原件1份 / 复印件2份 (选交)


@dataclass(frozen=True)
class SlipPrint:
    hall_name: str
    code: str
    qr_text: str  # what the kiosk scanner reads (the code)
    service_name: str
    date_text: str  # 2026年12月2日 星期三
    time_text: str  # 09:30-10:00
    place: str  # 一件事专区 1号、2号窗口
    person: str  # masked name and ID
    checkin_rule: str
    bring: list[BringItem] = field(default_factory=list)
    obtained: list[str] = field(default_factory=list)  # fetched from shared data: not to bring
    note: str = ""


def _text(
    text: str,
    font: str,
    size: float,
    *,
    centred: bool = False,
    bold: bool = False,
    indent: float = 0,
) -> _Block:
    lines = wrap_text(text, font, size, CONTENT - indent, balance=centred)
    lead = size * 1.35

    def draw(c: Canvas, top: float) -> None:
        for i, line in enumerate(lines):
            base = top - size * 0.88 - i * lead
            if centred:
                draw_centred(c, line, PAGE_WIDTH / 2, base, font, size, bold=bold)
            else:
                c.setFont(font, size)
                c.drawString(MARGIN + indent, base, line)

    return size * 0.88 + (len(lines) - 1) * lead + size * 0.3, draw


def _space(h: float) -> _Block:
    return h, lambda c, top: None


def _rule() -> _Block:
    def draw(c: Canvas, top: float) -> None:
        c.setLineWidth(0.7)
        c.line(MARGIN, top - 2 * mm, PAGE_WIDTH - MARGIN, top - 2 * mm)

    return 4 * mm, draw


def _pair(label: str, value: str, font: str, size: float = 10.5) -> _Block:
    width = stringWidth("预约时间  ", font, size)
    lines = wrap_text(value, font, size, CONTENT - width)
    lead = size * 1.35

    def draw(c: Canvas, top: float) -> None:
        c.setFont(font, size)
        c.drawString(MARGIN, top - size * 0.88, label)
        for i, line in enumerate(lines):
            c.drawString(MARGIN + width, top - size * 0.88 - i * lead, line)

    return size * 0.88 + (len(lines) - 1) * lead + size * 0.45, draw


def _qr(text: str) -> _Block:
    image = qr_reader(text)

    def draw(c: Canvas, top: float) -> None:
        c.drawImage(image, (PAGE_WIDTH - QR_SIZE) / 2, top - QR_SIZE, QR_SIZE, QR_SIZE)

    return QR_SIZE, draw


def _blocks(slip: SlipPrint, font: str) -> list[_Block]:
    size = 46.0
    while size > 18 and stringWidth(slip.code, font, size * 0.8) > CONTENT:
        size -= 2
    blocks = [
        _text(slip.hall_name, font, 12.5, centred=True, bold=True),
        _text("预约凭条", font, 11, centred=True),
        _rule(),
        _text(slip.service_name, font, 13, centred=True, bold=True),
        _space(1 * mm),
        _text("预约码", font, 9, centred=True),
        _text(slip.code, font, size * 0.8, centred=True, bold=True),
        _qr(slip.qr_text),
        _text("到厅后在取号机扫码或输入预约码签到", font, 9, centred=True),
        _rule(),
        _pair("预约日期", slip.date_text, font),
        _pair("预约时间", slip.time_text, font),
        _pair("办理地点", slip.place, font),
        _pair("预约人", slip.person, font),
        _space(1 * mm),
        _text(slip.checkin_rule, font, 9),
        _rule(),
    ]
    if slip.bring:
        blocks.append(_text("请带齐以下材料 (一次办成):", font, 11, bold=True))
        for n, item in enumerate(slip.bring, 1):
            blocks.append(_text(f"{n}. {item.name}  {item.detail}", font, 9.5, indent=2 * mm))
    if slip.obtained:
        blocks += [
            _space(1 * mm),
            _text("无需提交 (数据共享/电子证照): " + "、".join(slip.obtained), font, 8.5),
        ]
    if slip.note:
        blocks += [_rule(), _text(slip.note, font, 8.5)]
    return blocks


def render_slip_pdf(slip: SlipPrint, path_or_file: PathOrFile) -> None:
    """The slip as a one-page PDF, 100 mm wide, as tall as its content (font embedded)."""
    font = register_fonts()
    blocks = _blocks(slip, font)
    height = 2 * MARGIN + sum(h for h, _ in blocks)
    target = (
        os.fspath(path_or_file) if isinstance(path_or_file, str | os.PathLike) else path_or_file
    )
    c = Canvas(target, pagesize=(PAGE_WIDTH, height), pageCompression=1, initialFontName=font)
    c.setTitle(f"预约凭条 {slip.code}")
    c.setAuthor(slip.hall_name)
    c.setCreator("desk-app")
    top = height - MARGIN
    for h, draw in blocks:
        draw(c, top)
        top -= h
    c.showPage()
    c.save()
