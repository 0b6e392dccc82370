"""The queue ticket PDF, checked as a person would: fonts, text, QR code, paper size.

Needs poppler-utils (pdffonts, pdftotext, pdftoppm) and zbar-tools (zbarimg): skipped without
them on a developer's machine, failed on CI (see tests/tools.py).
"""

from __future__ import annotations

import io
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader

from printing.fonts import FONT_NAME, FontNotFoundError, font_path, register_fonts
from printing.layout import wrap_text
from printing.progress import progress_url
from printing.qr import qr_image
from printing.ticket import TicketPrint, format_issued_at, render_ticket_pdf
from tests.tools import decode_qr, pdf_fonts, pdf_text, pdf_to_png

ROOT = Path(__file__).resolve().parent.parent
MM = 72 / 25.4

URL = "https://hall.example.gov.cn/q/A001-20261127"


def make_ticket(**changes: object) -> TicketPrint:
    values: dict[str, object] = {
        "number": "A001",
        "service_name": "新生儿出生一件事",
        "ahead": 3,
        "eta_minutes": 15,
        # 01:05 UTC is 09:05 in the hall (Asia/Shanghai, UTC+8).
        "issued_at": datetime(2026, 11, 27, 1, 5, tzinfo=UTC),
        "hall_name": "青岛市民中心 高效办成一件事服务专区",
        "progress_url": URL,
        "priority_label": "绿色通道·老年人",
    }
    values.update(changes)
    return TicketPrint(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def ticket_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ticket") / "ticket.pdf"
    render_ticket_pdf(make_ticket(), path)
    return path


# --- the PDF -------------------------------------------------------------------------------


def test_bundled_font_is_embedded_and_nothing_else_is_used(ticket_pdf: Path) -> None:
    fonts = pdf_fonts(ticket_pdf)
    assert fonts, "pdffonts lists no font"
    names = [font["name"] for font in fonts]
    # A subset is named "ABCDEF+Name"; any other font (e.g. a Helvetica reportlab adds by
    # default) would be a non-embedded font a receipt printer's PC might not have.
    assert [name.split("+")[-1] for name in names] == [FONT_NAME], names
    assert all(font["emb"] == "yes" for font in fonts), fonts
    assert all(font["sub"] == "yes" for font in fonts), fonts  # a subset, not 3 MB per ticket
    assert ticket_pdf.stat().st_size < 200_000


def test_text_shows_the_ticket(ticket_pdf: Path) -> None:
    text = pdf_text(ticket_pdf)
    compact = "".join(text.split())  # wrapped lines and spacing do not matter here
    assert "A001" in text
    assert "新生儿出生一件事" in text
    assert "前面还有" in text
    assert "前面还有3人" in compact
    assert "预计等候约15分钟" in compact
    assert "绿色通道·老年人" in text
    assert "2026-11-2709:05" in compact  # issued 01:05 UTC, shown on the hall's clock
    assert "青岛市民中心" in text and "高效办成一件事服务专区" in text
    assert "扫码查看排队进度" in text
    assert "好差评" in text
    assert "过号请重新取号或咨询导服台" in compact


def test_qr_code_encodes_the_progress_url_exactly(ticket_pdf: Path, tmp_path: Path) -> None:
    pages = pdf_to_png(ticket_pdf, tmp_path, dpi=300)
    assert len(pages) == 1
    assert decode_qr(pages[0]) == [URL]


def test_qr_code_with_a_percent_encoded_id(tmp_path: Path) -> None:
    url = progress_url("https://hall.example.gov.cn/queue/", "B012/2026-11-27 上午")
    pdf = tmp_path / "t.pdf"
    render_ticket_pdf(make_ticket(progress_url=url, priority_label=None), pdf)
    assert decode_qr(pdf_to_png(pdf, tmp_path / "png")[0]) == [url]


def test_page_is_80_mm_wide_and_one_page(ticket_pdf: Path) -> None:
    reader = PdfReader(ticket_pdf)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(80 * MM, abs=0.01)  # 226.77 pt
    # Height fitted to the content: a receipt, longer than wide, far shorter than A4.
    assert 80 * MM < float(box.height) < 200 * MM


def test_height_grows_with_content(tmp_path: Path) -> None:
    short, long = tmp_path / "short.pdf", tmp_path / "long.pdf"
    render_ticket_pdf(make_ticket(priority_label=None), short)
    render_ticket_pdf(
        make_ticket(service_name="企业开办一件事（含公章刻制、税务发票申领与社保登记）" * 2), long
    )
    height = [float(PdfReader(p).pages[0].mediabox.height) for p in (short, long)]
    assert height[0] < height[1]


def test_without_priority_label(tmp_path: Path) -> None:
    pdf = tmp_path / "t.pdf"
    render_ticket_pdf(make_ticket(priority_label=None), pdf)
    text = pdf_text(pdf)
    assert "绿色通道" not in text and "A001" in text


def test_long_number_still_fits_one_line(tmp_path: Path) -> None:
    pdf = tmp_path / "t.pdf"
    render_ticket_pdf(make_ticket(number="AB1001"), pdf)
    assert "AB1001" in pdf_text(pdf)


def test_renders_into_a_binary_file_object() -> None:
    buffer = io.BytesIO()
    render_ticket_pdf(make_ticket(), buffer)
    data = buffer.getvalue()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert float(PdfReader(io.BytesIO(data)).pages[0].mediabox.width) == pytest.approx(80 * MM)


def test_naive_issued_at_is_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        render_ticket_pdf(make_ticket(issued_at=datetime(2026, 11, 27, 9, 5)), io.BytesIO())


def test_issued_at_is_shown_on_the_halls_clock() -> None:
    new_york = timezone(timedelta(hours=-5))
    assert format_issued_at(datetime(2026, 11, 27, 20, 5, tzinfo=new_york)) == "2026-11-28 09:05"
    assert format_issued_at(datetime(2026, 11, 27, 9, 5, tzinfo=timezone(timedelta(hours=8)))) == (
        "2026-11-27 09:05"
    )


# --- the font ------------------------------------------------------------------------------


def _font_cmap() -> set[int]:
    from reportlab.pdfbase.ttfonts import TTFontFile

    return set(TTFontFile(str(font_path())).charToGlyph)


def _gb2312() -> set[str]:
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def test_font_has_chinese_latin_and_punctuation() -> None:
    cmap = _font_cmap()
    for ch in "号窗办事件排队请评价一件事高效办成":
        assert ord(ch) in cmap, ch
    for ch in "0123456789ABCZabcz-:/?#%“”‘’·…—，。、：；！？（）《》【】　":
        assert ord(ch) in cmap, ch
    gb2312 = _gb2312()
    assert len(gb2312) == 7445
    missing = sorted(ch for ch in gb2312 if ord(ch) not in cmap)
    assert not missing, "".join(missing)
    # Characters frequent in names, outside GB2312: why the font covers GBK.
    for ch in "喆堃玥珺昇":
        assert ord(ch) in cmap, ch


def test_font_covers_all_printed_and_resource_text() -> None:
    """Every character in resources/ text and printing/ sources has a glyph.

    Fails when new text brings a character the subset lacks: run scripts/subset_font.py.
    """
    cmap = _font_cmap()
    suffixes = {".py", ".json", ".yaml", ".yml", ".toml", ".csv", ".txt", ".md", ".ts", ".xml"}
    missing: dict[str, set[str]] = {}
    for folder in ("resources", "printing"):
        for path in (ROOT / folder).rglob("*"):
            if not path.is_file() or path.suffix.lower() not in suffixes:
                continue
            if "fonts" in path.relative_to(ROOT).parts:
                continue  # the font's own README is not printed
            text = path.read_text(encoding="utf-8")
            lacking = {ch for ch in text if ord(ch) > 0x7F and ch.isprintable()}
            lacking = {ch for ch in lacking if ord(ch) not in cmap}
            if lacking:
                missing[str(path.relative_to(ROOT))] = lacking
    assert not missing, f"no glyph in the bundled font (run scripts/subset_font.py): {missing}"


def test_font_licence_and_readme_ship_next_to_it() -> None:
    folder = font_path().parent
    licence = (folder / "LICENSE-wqy-microhei.txt").read_text(encoding="utf-8")
    assert "Apache License" in licence and "Version 2.0" in licence
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "fonts-wqy-microhei" in readme and "subset_font.py" in readme


def test_register_fonts_is_idempotent_and_thread_safe() -> None:
    results: list[str] = []

    def worker() -> None:
        results.append(register_fonts())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [FONT_NAME] * 8
    assert register_fonts() == FONT_NAME


def test_missing_font_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import printing.fonts

    monkeypatch.setattr(printing.fonts, "_registered", None)
    monkeypatch.setenv("DESK_APP_RESOURCES", str(tmp_path))
    with pytest.raises(FontNotFoundError, match="bundled CJK font not found"):
        register_fonts()


@pytest.mark.gui
def test_qt_can_load_the_bundled_font(qapp: object) -> None:
    from PySide6.QtGui import QFontDatabase

    font_id = QFontDatabase.addApplicationFont(str(font_path()))
    assert font_id != -1
    assert "WenQuanYi Micro Hei" in QFontDatabase.applicationFontFamilies(font_id)


# --- helpers: progress URL, QR, wrapping -----------------------------------------------------


@pytest.mark.parametrize(
    ("base", "ticket_id", "expected"),
    [
        ("https://hall.example.gov.cn/q", "A001", "https://hall.example.gov.cn/q/A001"),
        ("https://hall.example.gov.cn/q/", "A001", "https://hall.example.gov.cn/q/A001"),
        ("https://hall.example.gov.cn/q//", "A001", "https://hall.example.gov.cn/q/A001"),
        (" https://h.example/q ", "A 1/2", "https://h.example/q/A%201%2F2"),
        ("https://h.example", "号?#", "https://h.example/%E5%8F%B7%3F%23"),
    ],
)
def test_progress_url(base: str, ticket_id: str, expected: str) -> None:
    assert progress_url(base, ticket_id) == expected


@pytest.mark.parametrize(
    ("base", "ticket_id"), [("", "A001"), ("https://h.example/q?x=1", "A001"), ("https://h/q", "")]
)
def test_progress_url_rejects_what_it_cannot_join(base: str, ticket_id: str) -> None:
    with pytest.raises(ValueError):
        progress_url(base, ticket_id)


def test_qr_image_decodes_back(tmp_path: Path) -> None:
    image = qr_image(URL, box_size=4)
    assert image.mode == "1"
    png = tmp_path / "qr.png"
    image.save(png)
    assert decode_qr(png) == [URL]


def test_wrap_text_keeps_every_character_and_the_width() -> None:
    font = register_fonts()
    text = "办事后请扫码或在窗口评价器上对本次服务进行“好差评”，感谢您的支持。"
    from reportlab.pdfbase.pdfmetrics import stringWidth

    for balance in (False, True):
        lines = wrap_text(text, font, 9, 120, balance=balance)
        assert "".join(lines) == text
        assert len(lines) > 1
        # Closing punctuation may hang one character past the edge, nothing else may.
        assert all(stringWidth(line[:-1], font, 9) <= 120 for line in lines)
        assert not any(line[0] in "，。”" for line in lines)
    assert wrap_text("青岛市民中心 高效办成一件事服务专区", font, 12.5, 198, balance=True) == [
        "青岛市民中心",
        "高效办成一件事服务专区",
    ]


def test_nobody_ahead_reads_like_the_kiosk(tmp_path: Path) -> None:
    path = tmp_path / "first.pdf"
    render_ticket_pdf(make_ticket(ahead=0, eta_minutes=0), path)
    compact = "".join(pdf_text(path).split())
    assert "前面没有人等候" in compact
    assert "前面还有0人" not in compact and "0分钟" not in compact
