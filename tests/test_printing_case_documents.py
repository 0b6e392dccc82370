"""The A4 case documents (一次性告知单, 受理回执, 容缺受理承诺书), checked as a person would.

Fonts, text, QR codes, pagination and page numbers are read back from the PDF with
poppler-utils and zbar-tools: skipped without them on a developer's machine, failed on CI (see
tests/tools.py).
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from printing.case_documents import (
    CaseDocData,
    DocAgent,
    DocItem,
    DocMaterial,
    render_commitment_pdf,
    render_notice_pdf,
    render_receipt_pdf,
)
from printing.documents_text import wrap_running
from printing.fonts import FONT_NAME, register_fonts
from printing.layout import NO_LINE_END, NO_LINE_START
from tests.tools import decode_qr, pdf_fonts, pdf_text, pdf_to_png

MM = 72 / 25.4
CASE_NO = "YJS-20261127-0001"
URL = "https://hall.example.gov.cn/case/YJS-20261127-0001"
EVAL_URL = "https://hall.example.gov.cn/pj/YJS-20261127-0001?w=5"
DUE = date(2026, 12, 4)
NOTE = "2099 年节假日数据未发布，期限按周末推算"

ITEMS = [
    DocItem("出生医学证明", "市卫生健康委员会", 0, date(2026, 11, 27)),
    DocItem("预防接种证办理", "区疾病预防控制中心", 1, date(2026, 11, 30)),
    DocItem("户口登记", "市公安局", 5, date(2026, 12, 4)),
    DocItem("城乡居民医保参保登记", "市医疗保障局", 3, date(2026, 12, 2)),
    DocItem("社会保障卡申领", "市人力资源和社会保障局", 10, date(2026, 12, 11)),
]
AGENT = DocAgent(
    "李*明", "370203********5678", "代为办理新生儿出生一件事", "2026年11月27日至2026年12月31日"
)
MISSING = [
    DocMaterial("《出生医学证明》", "原件1份", ["户口登记"], "医院尚未签发", key=True),
    DocMaterial("父母双方居民身份证", "原件及复印件各1份", ["户口登记"], "缺父亲的身份证"),
    DocMaterial("结婚证", "原件1份", ["户口登记"]),
    DocMaterial("新生儿近期免冠彩色照片（白底）", "2张", ["社会保障卡申领"], "背景不符"),
]
RECEIVED = [
    DocMaterial("户口簿", "原件1份", ["户口登记"]),
    DocMaterial("医保参保登记表", "原件1份", ["城乡居民医保参保登记"]),
]
DEFERRED = [
    DocMaterial("结婚证复印件", "复印件1份", ["户口登记"], "原件在老家，需邮寄"),
    DocMaterial("新生儿照片", "2张", ["社会保障卡申领"], "尚未拍摄"),
]


def make_data(**changes: object) -> CaseDocData:
    values: dict[str, object] = {
        "hall_name": "青岛市民中心 高效办成一件事服务专区",
        "case_no": CASE_NO,
        "bundle_name": "新生儿出生一件事",
        "applicant_name": "张*丰",
        "applicant_id_masked": "370202********1234",
        "applicant_phone_masked": "138****5678",
        "agent": AGENT,
        "items": ITEMS,
        "window": 5,
        "staff_name": "王丽",
        # 01:05 UTC is 09:05 in the hall (Asia/Shanghai, UTC+8).
        "accepted_at": datetime(2026, 11, 27, 1, 5, tzinfo=UTC),
        "progress_url": URL,
        "calendar_note": NOTE,
        "hall_address": "市南区东海西路 xx 号 市民中心 B 区 2 楼",
        "hall_phone": "0532-8xxxxxxx",
    }
    values.update(changes)
    return CaseDocData(**values)  # type: ignore[arg-type]


def compact(text: str) -> str:
    """pdftotext output without any whitespace: wrapping and spacing do not matter."""
    return "".join(text.split())


def pages_text(pdf: Path) -> list[str]:
    """The text of each page (pdftotext ends each page with a form feed)."""
    return pdf_text(pdf).split("\f")[: len(PdfReader(pdf).pages)]


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("case_docs")
    paths = {name: folder / f"{name}.pdf" for name in ("notice", "receipt", "commitment")}
    data = make_data()
    render_notice_pdf(data, MISSING, paths["notice"])
    render_receipt_pdf(data, RECEIVED, DEFERRED, paths["receipt"], due_date=DUE)
    render_commitment_pdf(data, DEFERRED, DUE, paths["commitment"])
    return paths


# --- all three documents -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["notice", "receipt", "commitment"])
def test_only_the_bundled_font_is_used_and_embedded(docs: dict[str, Path], name: str) -> None:
    fonts = pdf_fonts(docs[name])
    assert fonts, "pdffonts lists no font"
    # reportlab embeds a TrueType font as subsets of 256 glyphs (AAAAAA+Name, AAAAAB+Name...);
    # any other font (a default Helvetica) would be a non-embedded font without Chinese.
    assert {font["name"].split("+")[-1] for font in fonts} == {FONT_NAME}, fonts
    assert all(font["emb"] == "yes" and font["sub"] == "yes" for font in fonts), fonts
    assert docs[name].stat().st_size < 300_000


@pytest.mark.parametrize("name", ["notice", "receipt", "commitment"])
def test_a4_with_case_number_and_page_numbers_on_every_page(
    docs: dict[str, Path], name: str
) -> None:
    reader = PdfReader(docs[name])
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(210 * MM, abs=0.1)
        assert float(page.mediabox.height) == pytest.approx(297 * MM, abs=0.1)
    assert reader.metadata is not None and CASE_NO in (reader.metadata.title or "")
    texts = pages_text(docs[name])
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert CASE_NO in text
        assert f"第{number}页共{total}页" in compact(text)


def test_notice_and_commitment_fit_one_page_for_a_usual_case(docs: dict[str, Path]) -> None:
    # Five items, an agent, four missing materials: what a hall prints every day.
    assert len(PdfReader(docs["notice"]).pages) == 1
    assert len(PdfReader(docs["commitment"]).pages) == 1


# --- 一次性告知单 ----------------------------------------------------------------------------


def test_notice_lists_every_missing_material_and_how_to_submit(docs: dict[str, Path]) -> None:
    text = compact(pdf_text(docs["notice"]))
    assert "一次性告知单" in compact(text)
    assert CASE_NO in text
    assert "您申请办理的“新生儿出生一件事”" in text
    assert "尚缺以下材料，现一次性告知如下（共4项）" in text
    for material in MISSING:
        assert compact(material.name) in text, material.name
        assert compact(material.form) in text
        assert compact(material.reason or "") in text
    assert "【关键材料】" in text
    for header in ("序号", "材料名称", "形式及份数", "用于事项", "说明"):
        assert header in text
    assert "张*丰" in text and "370202********1234" in text and "138****5678" in text
    assert "李*明" in text and "代为办理新生儿出生一件事" in text  # the agent and the 委托书
    assert "5号窗口" in text and "王丽" in text
    assert "市南区东海西路xx号" in text and "0532-8xxxxxxx" in text
    assert "告知日期：2026年11月27日" in text
    assert "申请人/代办人签收" in text
    assert "12345" in text


def test_notice_carries_the_qr_code_the_case_finder_scans(
    docs: dict[str, Path], tmp_path: Path
) -> None:
    # The visitor comes back with the notice; the window scans it to call up the case.
    assert "补交时出示" in compact(pdf_text(docs["notice"]))
    png = pdf_to_png(docs["notice"], tmp_path, dpi=200)[0]
    assert make_data().progress_url in decode_qr(png)


def test_notice_without_agent_address_or_phone(tmp_path: Path) -> None:
    pdf = tmp_path / "notice.pdf"
    data = make_data(agent=None, hall_address=None, hall_phone=None)
    render_notice_pdf(data, MISSING[1:], pdf)
    text = compact(pdf_text(pdf))
    assert "申请人签收" in text and "代办人" not in text
    assert "办理地址" not in text and "咨询电话" not in text
    assert "关键材料" not in text  # no key material among them, so no mark and no footnote


def test_notice_needs_a_missing_material() -> None:
    with pytest.raises(ValueError, match="missing material"):
        render_notice_pdf(make_data(), [], io.BytesIO())


# --- 受理回执 --------------------------------------------------------------------------------


def test_receipt_shows_items_deadlines_materials_and_evaluation(docs: dict[str, Path]) -> None:
    text = compact(pdf_text(docs["receipt"]))
    assert "受理回执" in text
    assert CASE_NO in text
    assert "2026年11月27日09:05" in text  # accepted 01:05 UTC, printed on the hall's clock
    for item in ITEMS:
        assert item.name in text and item.department in text
    assert "即办" in text and "5个工作日" in text and "10个工作日" in text
    assert "2026年12月11日" in text and "2026年11月30日" in text
    for material in RECEIVED + DEFERRED:
        assert compact(material.name) in text, material.name
    assert "请于2026年12月4日（星期五）前补齐" in text
    assert NOTE.replace(" ", "") in text
    assert "扫码查询办理进度" in text
    assert (
        "请对本次服务进行评价：扫码或使用窗口评价器，非常满意/满意/基本满意/不满意/非常不满意"
        in text
    )
    assert "受理单位（盖章）" in text


def test_receipt_qr_code_is_exactly_the_progress_url(docs: dict[str, Path], tmp_path: Path) -> None:
    pngs = pdf_to_png(docs["receipt"], tmp_path, dpi=300)
    assert decode_qr(pngs[0]) == [URL]
    assert all(decode_qr(png) == [] for png in pngs[1:])


def test_receipt_with_an_evaluation_url_has_a_second_qr_code(tmp_path: Path) -> None:
    pdf = tmp_path / "receipt.pdf"
    render_receipt_pdf(make_data(agent=None, evaluation_url=EVAL_URL), RECEIVED, [], pdf)
    pngs = pdf_to_png(pdf, tmp_path / "png", dpi=300)
    assert len(pngs) == 1  # without deferred materials the receipt fits one page
    assert sorted(decode_qr(pngs[0])) == sorted([URL, EVAL_URL])
    assert "扫码评价本次服务" in pdf_text(pdf)


def test_receipt_without_deferred_or_received_materials(tmp_path: Path) -> None:
    pdf = tmp_path / "receipt.pdf"
    render_receipt_pdf(make_data(calendar_note=None), [], [], pdf)
    text = compact(pdf_text(pdf))
    assert "容缺" not in text and "补齐" not in text
    assert "本次未收取纸质材料" in text
    assert "节假日数据未发布" not in text


def test_receipt_checks_the_deferral(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="due_date"):
        render_receipt_pdf(make_data(), RECEIVED, DEFERRED, io.BytesIO())
    with pytest.raises(ValueError, match="key materials cannot be deferred"):
        render_receipt_pdf(make_data(), RECEIVED, MISSING[:1], io.BytesIO(), due_date=DUE)


def test_receipt_refuses_an_empty_progress_url() -> None:
    with pytest.raises(ValueError, match="empty"):
        render_receipt_pdf(make_data(progress_url=""), RECEIVED, [], io.BytesIO())


# --- 容缺受理承诺书 --------------------------------------------------------------------------


def test_commitment_states_the_promise_the_due_date_and_signatures(docs: dict[str, Path]) -> None:
    text = compact(pdf_text(docs["commitment"]))
    assert "容缺受理承诺书" in text
    assert CASE_NO in text
    for material in DEFERRED:
        assert compact(material.name) in text and compact(material.reason or "") in text
    assert "2026年12月4日（星期五）" in text
    assert "将于2026年12月4日（星期五）前" in text
    assert "不予办理" in text and "记录在案" in text and "真实、合法、有效" in text
    assert NOTE.replace(" ", "") in text
    assert "承诺人（签字/盖章）" in text
    assert "代办人（签字）" in text
    assert "受理单位（盖章）" in text and "受理人：王丽" in text


def test_commitment_due_date_is_printed_large(docs: dict[str, Path]) -> None:
    big: list[str] = []  # text drawn at 20 pt or more: the title and the due date

    def visitor(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if size * abs(tm[0]) * abs(cm[0]) >= 20:
            big.append(text)

    PdfReader(docs["commitment"]).pages[0].extract_text(visitor_text=visitor)
    assert "2026年12月4日（星期五）" in compact("".join(big)), big


def test_commitment_without_agent_has_one_signature(tmp_path: Path) -> None:
    pdf = tmp_path / "c.pdf"
    render_commitment_pdf(make_data(agent=None, calendar_note=None), DEFERRED, DUE, pdf)
    text = compact(pdf_text(pdf))
    assert "承诺人（签字/盖章）" in text and "代办人" not in text
    assert "节假日数据未发布" not in text


def test_commitment_checks_its_input() -> None:
    data = make_data()
    with pytest.raises(ValueError, match="at least one"):
        render_commitment_pdf(data, [], DUE, io.BytesIO())
    with pytest.raises(ValueError, match="key materials cannot be deferred"):
        render_commitment_pdf(data, [MISSING[0], *DEFERRED], DUE, io.BytesIO())
    with pytest.raises(ValueError, match="before the day of acceptance"):
        render_commitment_pdf(data, DEFERRED, date(2026, 11, 26), io.BytesIO())
    with pytest.raises(ValueError, match="not a datetime"):
        render_commitment_pdf(data, DEFERRED, datetime(2026, 12, 4, 17, 0), io.BytesIO())


# --- long lists ------------------------------------------------------------------------------


def forty_materials() -> list[DocMaterial]:
    return [
        DocMaterial(
            f"材料{n:02d}号：申请人及其配偶的居民身份证、户口簿等身份证明材料",
            "原件及复印件各1份",
            ["户口登记", "城乡居民医保参保登记"],
            "经窗口核验，所提交的复印件模糊不清，请重新复印，确保字迹清晰完整" if n % 3 else None,
        )
        for n in range(1, 41)
    ]


@pytest.mark.parametrize("kind", ["notice", "commitment", "receipt"])
def test_forty_materials_paginate_with_the_header_repeated(tmp_path: Path, kind: str) -> None:
    materials = forty_materials()
    pdf = tmp_path / f"{kind}.pdf"
    if kind == "notice":
        render_notice_pdf(make_data(), materials, pdf)
    elif kind == "commitment":
        render_commitment_pdf(make_data(), materials, DUE, pdf)
    else:
        render_receipt_pdf(make_data(), materials, materials[:3], pdf, due_date=DUE)
    texts = pages_text(pdf)
    total = len(texts)
    assert total >= 3, total
    for number, text in enumerate(texts, start=1):
        flat = compact(text)
        assert f"第{number}页共{total}页" in flat
        assert CASE_NO in flat
        if number > 1:
            assert "（续）" in flat  # the running header of later pages
        if number < total:
            # Every page but the last carries a part of the table, with its header row.
            assert "材料名称" in flat and "形式及份数" in flat, number
    # Each name wraps over lines that pdftotext interleaves with the next cells: look for the
    # name's first words, which also show that the numbering runs in order across the pages.
    whole = compact("".join(texts))
    positions = [whole.find(f"材料{n:02d}号：申请人") for n in range(1, 41)]
    assert -1 not in positions, positions
    assert positions == sorted(positions)


def test_text_stays_inside_the_margins(tmp_path: Path) -> None:
    """Nothing (a long word, a wide table, a long hall name) runs into the side margins."""
    pdf = tmp_path / "notice.pdf"
    long_name = "材料" + "ABCDEFGHIJ" * 8 + "（一个没有断点的超长英文编号）"
    hall = "青岛市市南区政务服务中心（市民中心）高效办成一件事综合服务专区 二楼 东侧 A 区"
    render_notice_pdf(
        make_data(hall_name=hall),
        [*forty_materials()[:20], DocMaterial(long_name, "1份", [])],
        pdf,
    )
    # The row is centred vertically, so pdftotext reads "1份" amid the name's lines.
    assert compact(long_name) in compact(pdf_text(pdf)).replace("1份", "")
    for png in pdf_to_png(pdf, tmp_path / "png", dpi=50):
        image = Image.open(png).convert("L")
        width, height = image.size
        margin = int(19 / 25.4 * 50)  # a little less than 20 mm
        for box in ((0, 0, margin, height), (width - margin, 0, width, height)):
            assert image.crop(box).getextrema()[0] > 200, (png.name, box)


# --- input -----------------------------------------------------------------------------------


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        make_data(accepted_at=datetime(2026, 11, 27, 9, 5))
    with pytest.raises(ValueError, match="not a datetime"):
        make_data(items=[DocItem("户口登记", "市公安局", 5, datetime(2026, 12, 4, 9, 0))])


def test_times_are_printed_on_the_halls_clock(tmp_path: Path) -> None:
    # 20:05 in New York on 27 November is 09:05 on 28 November in the hall.
    new_york = timezone(timedelta(hours=-5))
    pdf = tmp_path / "r.pdf"
    data = make_data(accepted_at=datetime(2026, 11, 27, 20, 5, tzinfo=new_york))
    render_receipt_pdf(data, RECEIVED, [], pdf)
    assert "2026年11月28日09:05" in compact(pdf_text(pdf))


def test_renders_into_a_binary_file_object() -> None:
    buffer = io.BytesIO()
    render_notice_pdf(make_data(), MISSING, buffer)
    data = buffer.getvalue()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


def test_markup_characters_print_as_they_are(tmp_path: Path) -> None:
    pdf = tmp_path / "n.pdf"
    odd = DocMaterial("A&B <复印件> 说明 & 附件", "1份", ["户口登记"], "含 < 和 > 符号")
    render_notice_pdf(make_data(), [odd], pdf)
    text = compact(pdf_text(pdf))
    assert "A&B<复印件>说明&附件" in text and "含<和>符号" in text


def test_company_applicant(tmp_path: Path) -> None:
    data = make_data(
        applicant_name="青岛某某餐饮管理有限公司",
        applicant_id_label="统一社会信用代码",
        applicant_id_masked="91370202MA3C****0X",
    )
    for render in ("receipt", "commitment"):
        pdf = tmp_path / f"{render}.pdf"
        if render == "receipt":
            render_receipt_pdf(data, RECEIVED, [], pdf)
        else:
            render_commitment_pdf(data, DEFERRED, DUE, pdf)
        text = compact(pdf_text(pdf))
        assert "统一社会信用代码" in text and "91370202MA3C****0X" in text
        assert "青岛某某餐饮管理有限公司" in text


# --- line breaking ---------------------------------------------------------------------------


def test_running_text_breaks_as_chinese_is_set() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    font = register_fonts()
    text = (
        "您申请办理的“新生儿出生一件事”（含出生医学证明、户口登记，共 5 个事项），经窗口审核，"
        "尚缺以下材料，现一次性告知如下（共 40 项）：请于 2026年12月4日（星期五）前补齐。"
    )
    for width in (90, 120, 150, 200, 260):
        lines = wrap_running(text, font, 10.5, width - 21, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        for index, line in enumerate(lines):
            room = width - 21 if index == 0 else width
            # Closing punctuation may hang over the edge (Text squeezes it in), nothing else.
            fitting = line.rstrip("".join(NO_LINE_START))
            assert stringWidth(fitting, font, 10.5) <= room + 0.01, line
            if index:
                assert line[0] not in NO_LINE_START, lines
                assert not line[0].isspace(), lines
            if index < len(lines) - 1:
                assert line[-1] not in NO_LINE_END, lines
        for above, below in zip(lines, lines[1:], strict=False):
            assert not (re.search(r"\d$", above) and re.match(r"\d", below)), lines
        assert len(lines[-1]) > 1, lines  # no character left alone on the last line
