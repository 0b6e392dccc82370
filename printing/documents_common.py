"""Shared A4 layout of the case documents: page frame, title, tables, QR codes, signatures.

The documents (``printing.case_documents``) are built with reportlab's platypus: text in the
bundled CJK font (``printing.documents_text.Text``), tables that wrap text inside their cells
and split across pages with their header row repeated, and on every page a footer with the
case number and "第 1 页 共 2 页" (the total is known only once the last page is laid out, so
the page decorations are drawn by a canvas that holds its pages back until it is saved).
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepInFrame,
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from desk_app.domain.clock import HALL_TZ
from printing.documents_text import GREY_TEXT, Styles, Text
from printing.fonts import register_fonts
from printing.qr import qr_reader

#: A file name, a path, or a binary file object open for writing.
PathOrFile = str | os.PathLike[str] | BinaryIO

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 16 * mm
MARGIN_BOTTOM = 19 * mm
FRAME_PADDING = 6  # SimpleDocTemplate's frame padding on every side, in points
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X  # 170 mm

RULE = 0.5  # table grid and separators: thin rules that photocopy well
HEADER_FILL = 0.9  # table header rows and label cells
WEEKDAYS = "一二三四五六日"

# --- values ------------------------------------------------------------------------------


def hall_time(at: datetime, what: str = "accepted_at") -> datetime:
    """``at`` on the hall's clock; a naive datetime is refused (UTC? local? nobody knows)."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware")
    return at.astimezone(HALL_TZ)


def cn_date(day: date, weekday: bool = False) -> str:
    """``2026年11月27日`` (with ``weekday``: ``2026年11月27日（星期五）``)."""
    text = f"{day.year}年{day.month}月{day.day}日"
    return f"{text}（星期{WEEKDAYS[day.weekday()]}）" if weekday else text


def cn_datetime(at: datetime) -> str:
    """An aware instant on the hall's clock, ``2026年11月27日 09:05``."""
    local = hall_time(at)
    return f"{cn_date(local.date())} {local:%H:%M}"


class DocTitle(Flowable):
    """The first-page heading: the hall's name, then the document title, centred and bold."""

    def __init__(self, font: str, hall_name: str, title: str, size: float = 21) -> None:
        super().__init__()
        self.font, self.hall_name, self.title, self.size = font, hall_name, title, size
        self.spacing = size * 0.35  # spaced title characters, as on printed forms

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, 10.5 * 1.2 + 5 * mm + self.size * 1.1

    def draw(self) -> None:
        top = self.wrap(self.width, 0)[1]
        self._line(self.hall_name, top - 10.5 * 0.9, 10.5, 0, bold=False)
        self._line(self.title, self.size * 0.22, self.size, self.spacing, bold=True)

    def _line(self, text: str, y: float, size: float, spacing: float, bold: bool) -> None:
        canvas = self.canv
        width = stringWidth(text, self.font, size) + spacing * (len(text) - 1)
        if width > self.width:  # a very long hall name: smaller, never over the margins
            shrink = self.width / width
            size, spacing, width = size * shrink, spacing * shrink, self.width
        obj = canvas.beginText((self.width - width) / 2, y)
        obj.setFont(self.font, size)
        obj.setCharSpace(spacing)
        canvas.saveState()
        if bold:
            canvas.setLineWidth(size * 0.03)
            canvas.setLineJoin(1)
            obj.setTextRenderMode(2)
        else:
            canvas.setFillGray(GREY_TEXT - 0.1)
        obj.textOut(text)
        canvas.drawText(obj)
        canvas.restoreState()


class Rule(Flowable):
    """A horizontal line across the frame; ``double`` gives the thick-thin rule under titles."""

    def __init__(self, double: bool = False, space_before: float = 0, space_after: float = 0):
        super().__init__()
        self.double, self.before, self.after = double, space_before, space_after

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.before + (3 if self.double else 0.5) + self.after

    def draw(self) -> None:
        canvas = self.canv
        y = self.after
        canvas.saveState()
        if self.double:
            canvas.setLineWidth(1.6)
            canvas.line(0, y + 2.6, self.width, y + 2.6)
        canvas.setLineWidth(RULE)
        canvas.line(0, y, self.width, y)
        canvas.restoreState()


class QRCode(Flowable):
    """A QR code (with its quiet zone) of ``size`` points, centred in the available width."""

    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        self.image = qr_reader(data)  # raises ValueError for empty data, before any page is drawn
        self.size = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.size

    def draw(self) -> None:
        x = (self.width - self.size) / 2
        self.canv.drawImage(self.image, x, 0, self.size, self.size)


# --- tables ------------------------------------------------------------------------------


def make_table(
    data: Sequence[Sequence[object]],
    widths: Sequence[float],
    commands: Sequence[tuple[object, ...]],
    **kwargs: object,
) -> Table:
    """A reportlab Table whose own font is the bundled one.

    A Table sets its cell font on the canvas even when every cell is a paragraph; left at its
    Helvetica default, that would add a non-embedded font to the PDF.
    """
    font = ("FONT", (0, 0), (-1, -1), register_fonts())
    return Table(data, colWidths=widths, style=TableStyle([font, *commands]), **kwargs)


def grid_style(header_rows: int = 1) -> list[tuple[object, ...]]:
    """Thin full grid, grey header row, comfortable padding, cells vertically centred."""
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), RULE, (0, 0, 0)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), (HEADER_FILL,) * 3))
    return commands


def data_table(
    st: Styles,
    header: Sequence[str],
    rows: Sequence[Sequence[str | Flowable | list[Flowable]]],
    widths_mm: Sequence[float],
    centred: Sequence[int] = (0,),
) -> Table:
    """A numbered-list table: bold header repeated on each page, text wrapped inside its cell.

    ``rows`` hold plain text or ready flowables; columns in ``centred`` (by default the 序号
    column) are centred. ``widths_mm`` are proportions, scaled to the frame's width.
    """
    scale = CONTENT_WIDTH / (sum(widths_mm) * mm)
    widths = [w * mm * scale for w in widths_mm]
    data: list[list[Any]] = [[Text(text, st.cell_head) for text in header]]
    for row in rows:
        cells: list[Any] = []
        for column, value in enumerate(row):
            if isinstance(value, str):
                value = Text(value, st.cell_centre if column in centred else st.cell)
            cells.append(value)
        data.append(cells)
    return make_table(data, widths, grid_style(), repeatRows=1)


def info_table(st: Styles, rows: Sequence[Sequence[str]]) -> Table:
    """Key-value pairs, two pairs a row (``label, value, label, value``) or one spanning pair.

    A row of two strings spans its value across the remaining three columns (long values such
    as an authorization scope).
    """
    widths = [24 * mm, 61 * mm, 24 * mm, CONTENT_WIDTH - 109 * mm]
    data: list[list[Flowable]] = []
    commands = grid_style(header_rows=0)
    grey = (HEADER_FILL,) * 3
    for index, row in enumerate(rows):
        cells: list[Flowable] = [
            Text(text, st.label if column % 2 == 0 else st.cell) for column, text in enumerate(row)
        ]
        commands.append(("BACKGROUND", (0, index), (0, index), grey))
        if len(row) == 2:
            cells += [Spacer(0, 0), Spacer(0, 0)]  # not "": a Table draws a str in Helvetica
            commands.append(("SPAN", (1, index), (3, index)))
        else:
            commands.append(("BACKGROUND", (2, index), (2, index), grey))
        data.append(cells)
    return make_table(data, widths, commands)


def meta_line(st: Styles, left: str, right: str) -> Table:
    """One line under the title: the case number on the left, a date on the right."""
    half = CONTENT_WIDTH / 2
    return make_table(
        [[Text(left, st.body), Text(right, st.right)]],
        [half + 20 * mm, half - 20 * mm],
        [
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ],
    )


BLANK_DATE = "年　　月　　日"  # to fill in by hand, right-aligned under a signature


def sign_column(
    st: Styles, label: str, *, rule: bool = True, lines: Sequence[str] = (), room: float = 9 * mm
) -> list[Flowable]:
    """One signer's place: the label, ``room`` to sign on a ``rule``, ``lines``, a blank date.

    The hall's column has no rule: its round stamp goes over the label and the date, as on
    any Chinese form.
    """
    column: list[Flowable] = [Text(label, st.body), Spacer(1, room)]
    if rule:
        column.append(Rule(space_after=1.5 * mm))
    column += [Text(line, st.body) for line in lines]
    column.append(Text(BLANK_DATE + "　", st.right))
    return column


def columns(
    blocks: Sequence[Sequence[Flowable]],
    widths: Sequence[float],
    gap: float = 8 * mm,
    valign: str = "BOTTOM",
) -> Table:
    """Blocks side by side with ``gap`` between them, no rules; bottoms aligned by default."""
    commands = [
        ("VALIGN", (0, 0), (-1, -1), valign),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), gap),
        ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]
    return make_table([list(blocks)], widths, commands)


def boxed(content: list[Flowable], width: float, border: float = 0.8, pad: float = 8) -> Table:
    """Flowables stacked in a single framed cell."""
    commands = [
        ("BOX", (0, 0), (-1, -1), border, (0, 0, 0)),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ("LEFTPADDING", (0, 0), (-1, -1), pad + 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad + 2),
    ]
    return make_table([[content]], [width], commands)


def side_by_side(
    left: list[Flowable], right: list[Flowable], right_width: float, width: float = CONTENT_WIDTH
) -> Table:
    """Two columns without rules, tops aligned."""
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]
    return make_table([[left, right]], [width - right_width, right_width], commands)


# --- the page frame ----------------------------------------------------------------------


@dataclass(frozen=True)
class PageFrame:
    """What the header and footer of every page say."""

    font: str
    hall_name: str
    title: str
    case_no: str
    number_label: str = "办件编号"  # what the number in the footer is (e.g. a service number)


def _decorate(canvas: Canvas, frame: PageFrame, page: int, total: int) -> None:
    """Footer on every page, and from page 2 on a running header (the title goes on page 1)."""
    font = frame.font
    canvas.saveState()
    canvas.setLineWidth(RULE)
    canvas.setStrokeGray(0.4)
    footer_y = 11 * mm
    canvas.line(MARGIN_X, footer_y + 10, PAGE_WIDTH - MARGIN_X, footer_y + 10)
    canvas.setFillGray(GREY_TEXT)
    canvas.setFont(font, 8.5)
    canvas.drawString(MARGIN_X, footer_y, f"{frame.title}　{frame.number_label}：{frame.case_no}")
    canvas.setFillGray(0)
    canvas.setFont(font, 9)
    canvas.drawRightString(PAGE_WIDTH - MARGIN_X, footer_y, f"第 {page} 页 共 {total} 页")
    if page > 1:
        header_y = PAGE_HEIGHT - 10.5 * mm
        canvas.setFillGray(GREY_TEXT)
        right = f"{frame.number_label}：{frame.case_no}"
        left = f"{frame.hall_name}　{frame.title}（续）"
        room = CONTENT_WIDTH - stringWidth(right, font, 8.5) - 6 * mm
        size = min(8.5, 8.5 * room / stringWidth(left, font, 8.5))
        canvas.setFont(font, size)
        canvas.drawString(MARGIN_X, header_y, left)
        canvas.setFont(font, 8.5)
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, header_y, right)
        canvas.line(MARGIN_X, header_y - 4, PAGE_WIDTH - MARGIN_X, header_y - 4)
    canvas.restoreState()


def _numbered_canvas(frame: PageFrame) -> type[Canvas]:
    """A canvas that holds its pages back until ``save`` so each can say how many there are."""

    class _NumberedCanvas(Canvas):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self._pages: list[dict[str, object]] = []

        def showPage(self) -> None:  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                _decorate(self, frame, number, total)
                super().showPage()
            super().save()

    return _NumberedCanvas


class KeepWithTable(KeepTogether):
    """What ``keepWithNext`` keeps together: a heading and its intro with the table they open.

    reportlab's KeepTogether moves the whole group to the next page when it does not fit the
    rest of this one, which for a table of 40 rows leaves most of a page blank. Here a group
    ending in a long table starts where it is as soon as the heading, the intro, the table's
    header and its first two rows fit: the table then splits across pages with its header row
    repeated. Short tables (four rows or fewer) and groups not ending in a table keep
    reportlab's behaviour.
    """

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (avail_width, avail_height):
            self.wrap(avail_width, avail_height)
        *head, last = self._content
        row_heights = getattr(last, "_rowHeights", None) if isinstance(last, Table) else None
        if row_heights and len(row_heights) > 1 + 4:
            needed = sum(f.wrap(avail_width, avail_height)[1] for f in head)
            needed += sum(f.getSpaceBefore() + f.getSpaceAfter() for f in head)
            if needed + sum(row_heights[:3]) <= avail_height:
                return list(self._content)
        return super().split(avail_width, avail_height)


def fit_one_page(story: list[Flowable], min_scale: float = 0.8) -> list[Flowable]:
    """``story`` shrunk onto one page when it is only a little too long (to at least
    ``min_scale``), so that a short document never leaves its last block, e.g. a promise and
    its signatures, alone on a second page; a longer story is returned as it is and paginates.
    """
    width = CONTENT_WIDTH - 2 * FRAME_PADDING
    height = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM - 2 * FRAME_PADDING
    from reportlab.pdfgen.canvas import Canvas

    canv = Canvas(io.BytesIO(), pagesize=A4)  # only measured on, never saved

    def flat(flowables: list[Flowable]) -> list[Flowable]:
        # A KeepTogether only asks its frame for a split; on one page its content is enough.
        return [
            g for f in flowables for g in (flat(f._content) if isinstance(f, KeepTogether) else [f])
        ]

    content = flat(story)
    total = sum(
        f.wrapOn(canv, width, height)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in content
    )
    if total <= height or total * min_scale > height:
        return story
    return [KeepInFrame(width, height, content, mode="shrink", hAlign="CENTER")]


def build_pdf(
    target: PathOrFile,
    story: list[Flowable],
    frame: PageFrame,
    *,
    subject: str,
) -> None:
    """Lay ``story`` out on A4 pages with the header and footer of ``frame`` and write it."""
    out = os.fspath(target) if isinstance(target, str | os.PathLike) else target
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{frame.title} {frame.case_no}",
        author=frame.hall_name,
        subject=subject,
        creator="desk-app",
        pageCompression=1,
        # Otherwise reportlab declares Helvetica on every page: not embedded, no Chinese.
        initialFontName=frame.font,
        lang="zh-CN",
        keepTogetherClass=KeepWithTable,
    )
    doc.build(story, canvasmaker=_numbered_canvas(frame))


def due_box(st: Styles, due: str, calendar_note: str | None) -> Table:
    """The due date in large type, framed and centred: what the applicant must not miss."""
    content: list[Flowable] = [
        Text("补齐材料截止日期", st.cell_centre),
        Spacer(1, 1 * mm),
        Text(due, st.due_date),
    ]
    if calendar_note:
        content += [Spacer(1, 1 * mm), Text(f"※ {calendar_note}", st.cell_centre)]
    box = boxed(content, 110 * mm, border=1.2, pad=5)
    box.hAlign = "CENTER"
    return box
