"""The ticket printer spoken to in ESC/POS: the bytes of a ticket in both text modes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from printing.escpos_ticket import ticket_escpos, wrap_columns
from printing.ticket import TicketPrint

URL = "https://hall.example.gov.cn/q/A001-20261127"
ESC_INIT, FS_CHINESE, GS_RASTER, GS_CUT = b"\x1b@", b"\x1c&", b"\x1dv0", b"\x1dV"


def make_ticket(**changes: object) -> TicketPrint:
    values: dict[str, object] = {
        "number": "A001",
        "service_name": "新生儿出生一件事",
        "ahead": 3,
        "eta_minutes": 15,
        "issued_at": datetime(2026, 11, 27, 1, 5, tzinfo=UTC),  # 09:05 in the hall
        "hall_name": "青岛市民中心 高效办成一件事服务专区",
        "progress_url": URL,
        "priority_label": "绿色通道·老年人",
    }
    values.update(changes)
    return TicketPrint(**values)  # type: ignore[arg-type]


def gs_k(data: bytes) -> list[tuple[bytes, bytes]]:
    """Every GS ( k command as (cn fn [m], parameters): pL pH give the length after them."""
    found, at = [], data.find(b"\x1d(k")
    while at >= 0:
        length = data[at + 3] | data[at + 4] << 8
        body = data[at + 5 : at + 5 + length]
        head = 3 if body[1:2] in (b"P", b"Q") else 2  # store and print carry m ('0')
        found.append((body[:head], body[head:]))
        at = data.find(b"\x1d(k", at + 5 + length)
    return found


def raster_images(data: bytes) -> list[tuple[int, int, bytes]]:
    """Every GS v 0 image as (width in bytes, height in dots, bits), walked by its header."""
    images, at = [], data.find(GS_RASTER)
    while at >= 0:
        width, height = data[at + 4] | data[at + 5] << 8, data[at + 6] | data[at + 7] << 8
        bits = data[at + 8 : at + 8 + width * height]
        images.append((width, height, bits))
        at = data.find(GS_RASTER, at + 8 + width * height)
    return images


# --- the ticket's bytes ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def gb18030_bytes() -> bytes:
    return ticket_escpos(make_ticket())


@pytest.fixture(scope="module")
def raster_bytes() -> bytes:
    return ticket_escpos(make_ticket(), text_mode="raster")


def test_gb18030_ticket_enters_chinese_mode_and_sends_gb18030_text(gb18030_bytes: bytes) -> None:
    data = gb18030_bytes
    assert data.startswith(ESC_INIT + FS_CHINESE)
    text = data.decode("gb18030", errors="replace")
    for expected in (
        "青岛市民中心 高效办成一件事服务专区",
        "新生儿出生一件事",
        "A001",
        "绿色通道·老年人",
        "前面还有 3 人",
        "预计等候约 15 分钟",
        "取号时间 2026-11-27 09:05",  # 01:05 UTC on the hall's clock
        "扫码查看排队进度",
        "好差评",
    ):
        assert expected in text, expected
    service = "新生儿出生一件事".encode("gb18030")
    assert data.index(FS_CHINESE) < data.index(service)
    assert GS_RASTER not in data


def test_the_number_is_quadruple_size_and_the_rest_comes_back_to_normal(
    gb18030_bytes: bytes,
) -> None:
    data = gb18030_bytes
    number = data.index(b"A001")
    assert data.rfind(b"\x1d!", 0, number) == data.rfind(b"\x1d!\x33", 0, number)  # GS ! 4x4
    assert data.find(b"\x1d!\x00", number) > number  # the next line is normal size again
    assert b"\x1dB\x01" in data  # the priority label in reverse (white on black)


def test_qr_code_is_the_printers_own_with_exactly_the_url(gb18030_bytes: bytes) -> None:
    commands = gs_k(gb18030_bytes)
    assert commands[0] == (b"1A", b"2\x00")  # model 2
    assert commands[1][0] == b"1C" and 3 <= commands[1][1][0] <= 8  # module size in dots
    assert commands[2] == (b"1E", b"1")  # error correction M
    assert commands[3] == (b"1P0", URL.encode())  # store the data
    assert commands[4] == (b"1Q0", b"")  # print it
    assert len(commands) == 5


def test_the_ticket_ends_in_a_feed_and_a_partial_cut(gb18030_bytes: bytes) -> None:
    assert gb18030_bytes.endswith(b"\x1bd\x06" + GS_CUT + b"\x01")
    assert gb18030_bytes.count(GS_CUT) == 1


def test_raster_ticket_draws_the_chinese_and_keeps_the_number_as_text(raster_bytes: bytes) -> None:
    data = raster_bytes
    assert data.startswith(ESC_INIT) and FS_CHINESE not in data
    assert "新生儿出生一件事".encode("gb18030") not in data  # drawn, not sent as text
    number = data.index(b"A001")
    assert data.rfind(b"\x1d!", 0, number) == data.rfind(b"\x1d!\x33", 0, number)
    images = raster_images(data)
    assert len(images) >= 8  # hall, service, badge, ahead, wait, time, caption, hint, note
    for width, height, bits in images:
        assert width == 576 // 8 and 20 <= height <= 80
        assert len(bits) == width * height and any(bits)  # something is printed on each
    assert [p for _, p in gs_k(data) if _ == b"1P0"] == [URL.encode()]
    assert data.endswith(GS_CUT + b"\x01")


def test_no_one_ahead_is_said_as_the_pdf_says_it() -> None:
    data = ticket_escpos(make_ticket(ahead=0, eta_minutes=0, priority_label=None))
    text = data.decode("gb18030", errors="replace")
    assert "前面没有人等候" in text and "请留意叫号" in text
    assert "0 人" not in text and "0 分钟" not in text
    assert b"\x1dB\x01" not in data  # no badge without a priority label


def test_long_text_is_wrapped_to_the_paper() -> None:
    name = "企业开办一件事（含公章刻制、税务发票申领与社保登记）"
    lines = wrap_columns(name, 24)  # double size on 80 mm: 24 columns, 12 Chinese characters
    assert "".join(lines) == name
    assert all(sum(1 if ch.isascii() else 2 for ch in line) <= 24 for line in lines)
    assert not any(line[0] in "，。、）" for line in lines)  # closing punctuation never leads
    data = ticket_escpos(make_ticket(service_name=name))
    for line in lines:
        assert line.encode("gb18030") + b"\n" in data
    assert wrap_columns("ABC 2026-11-27 09:05", 12) == ["ABC", "2026-11-27", "09:05"]


def test_58_mm_paper_and_bad_arguments() -> None:
    data = ticket_escpos(make_ticket(), text_mode="raster", width_dots=384)
    assert {width for width, _, _ in raster_images(data)} == {384 // 8}
    with pytest.raises(ValueError, match="text_mode"):
        ticket_escpos(make_ticket(), text_mode="utf8")
    with pytest.raises(ValueError, match="width_dots"):
        ticket_escpos(make_ticket(), width_dots=1000)
    with pytest.raises(ValueError, match="timezone-aware"):
        ticket_escpos(make_ticket(issued_at=datetime(2026, 11, 27, 9, 5)))
