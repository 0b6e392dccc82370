"""The resident ID card reader: SAM frames, the card's text record, reads through a real pty from
the simulated reader, and the vendor SDK's argument marshalling against a fake function table."""

from __future__ import annotations

import ctypes
import dataclasses
import datetime as dt
import json
import os
import sys
import threading
import time
from types import SimpleNamespace

import pytest
import serial

from desk_app.domain.validators import validate_resident_id
from desk_app.services.common.errors import Refused
from desk_app.services.devices import idcard, idcard_sdk
from desk_app.services.devices.idcard import (
    FIND,
    READ_BASE,
    SELECT,
    CardUnreadable,
    DeviceFault,
    FrameDecoder,
    FrameError,
    IdCard,
    NoCard,
    Response,
    card_from_dict,
    card_from_json,
    card_text,
    card_to_dict,
    check_reader,
    decode_frame,
    encode_request,
    encode_response,
    expired,
    parse_text,
    read_card,
    read_target,
    summary,
)
from desk_app.services.devices.simulate import (
    SAMPLE_ID,
    SimulatedIdcard,
    sample_card,
    simulate_idcard,
)

pytestmark = pytest.mark.timeout(30)
needs_pty = pytest.mark.skipif(not hasattr(os, "openpty"), reason="simulation needs a pty")
TODAY = dt.date(2026, 12, 5)
QUICK = 0.3  # how long a test waits for a card that is not there


def card(**changes: object) -> IdCard:
    return dataclasses.replace(sample_card(TODAY), **changes)


# -- frames -----------------------------------------------------------------------------------


def test_request_and_response_frames_with_their_checksums():
    # the find request as the vendors' documents spell it: length 00 03, XOR 00^03^20^01 = 22
    assert encode_request(FIND) == bytes.fromhex("AAAAAA9669 0003 2001 22")
    # the read answer's head: length 0x0508 = SW 3 + lengths 4 + text 256 + photo 1024 + 1
    head = encode_response(0x90, bytes.fromhex("01000400") + bytes(1280))[:14]
    assert head == bytes.fromhex("AAAAAA9669 0508 000090 01000400")
    frame = encode_response(0x9F, b"\x01\x02\x03\x04", sw1=0x12, sw2=0x34)
    assert decode_frame(frame) == bytes.fromhex("12349F01020304")
    assert Response.parse(decode_frame(frame)) == Response(0x12, 0x34, 0x9F, b"\x01\x02\x03\x04")
    with pytest.raises(FrameError, match="过短"):
        Response.parse(b"\x00\x00")


def test_decoder_resynchronises_after_noise_split_frames_and_a_bad_checksum():
    find, read = encode_request(FIND), encode_request(READ_BASE)
    bad = bytearray(encode_request(SELECT))
    bad[-1] ^= 0x55
    noise = b"\x00\xaa\xaa\x96junk\xaa\xaa\xaa"  # half-preambles among the noise
    stream = noise + find + bytes(bad) + b"\xff" + read + encode_request(FIND)[:6]
    decoder = FrameDecoder()
    got = [p for i in range(0, len(stream), 3) for p in decoder.feed(stream[i : i + 3])]
    assert got == [b"\x20\x01", b"\x30\x01"]
    assert len(decoder.errors) == 1 and "校验和" in decoder.errors[0].zh
    assert decoder.pending  # the last frame has begun and not ended
    # a frame with a false length (noise that looks like a preamble) does not swallow the next
    assert FrameDecoder().feed(idcard.PREAMBLE + b"\xff\xff" + find) == [b"\x20\x01"]


def test_bad_checksum_and_truncated_frames_are_clear_errors():
    frame = bytearray(encode_response(0x90, b"abc"))
    frame[-1] ^= 1
    with pytest.raises(FrameError) as bad:
        decode_frame(bytes(frame))
    assert bad.value.zh.startswith("身份证阅读器") and "checksum" in bad.value.en
    with pytest.raises(FrameError, match="cut short"):
        decode_frame(encode_response(0x90, b"abc")[:-2])
    with pytest.raises(FrameError, match="no frame"):
        decode_frame(b"noise only")


# -- the card's text record -------------------------------------------------------------------


def _ucs2(text: str, size: int) -> bytes:
    return text.ljust(size // 2).encode("utf-16-le")


def test_text_offsets_as_the_public_documents_give_them():
    """A record built field by field at the documented offsets (name 0, sex 30, nation 32,
    birth 36, address 52, ID 122, issuer 158, from 188, to 204, reserved 220), independently of
    ``FIELDS``."""
    record = (
        _ucs2("欧阳娜娜", 30)  # 0
        + _ucs2("2", 2)  # 30
        + _ucs2("05", 4)  # 32
        + _ucs2("19900101", 16)  # 36
        + _ucs2("新疆维吾尔自治区乌鲁木齐市天山区示例街1号", 70)  # 52
        + _ucs2("650102199001011249", 36)  # 122
        + _ucs2("乌鲁木齐市公安局天山区分局", 30)  # 158
        + _ucs2("20100101", 16)  # 188
        + _ucs2("长期", 16)  # 204
        + _ucs2("", 36)  # 220
    )
    assert len(record) == 256
    got = parse_text(record, b"wlt")
    assert (got.name, got.sex, got.nation, got.birth) == (
        "欧阳娜娜",
        "女",
        "维吾尔",
        dt.date(1990, 1, 1),
    )
    assert got.address == "新疆维吾尔自治区乌鲁木齐市天山区示例街1号"
    assert (got.id_number, got.issuer) == ("650102199001011249", "乌鲁木齐市公安局天山区分局")
    assert (got.valid_from, got.valid_to, got.photo) == (dt.date(2010, 1, 1), None, b"wlt")
    assert card_text(got) == record


def test_text_round_trip_with_long_term_and_the_longest_address():
    longest = "山东省青岛市市南区示例路" + "八" * 22 + "号"  # 35 characters: all 70 bytes
    assert len(longest) == 35
    for c in (card(), card(valid_to=None, address=longest), card(nation="基诺", sex="女")):
        assert parse_text(card_text(c), c.photo) == c
    assert card_text(card(address=longest))[52:122] == longest.encode("utf-16-le")
    with pytest.raises(Refused, match="address"):
        card_text(card(address=longest + "楼"))
    with pytest.raises(Refused, match="男 or 女"):
        card_text(card(sex="M"))


def test_nations_are_gb_3304():
    assert len(idcard.NATIONS) == 58 and idcard.NATIONS["01"] == "汉"
    assert (idcard.NATIONS["46"], idcard.NATIONS["56"]) == ("德昂", "基诺")
    assert idcard.nation_code("汉族") == idcard.nation_code("汉") == "01"
    assert idcard.nation_name("99") == "99"  # unknown: kept as the card says
    with pytest.raises(Refused):
        idcard.nation_code("克林贡")


def test_garbled_text_is_a_frame_error_without_the_cards_content():
    good = card_text(card())
    with pytest.raises(FrameError, match="256"):
        parse_text(good[:200])
    bad_birth = good[:36] + _ucs2("20041399", 16) + good[52:]
    with pytest.raises(FrameError) as caught:
        parse_text(bad_birth)
    assert "出生日期" in caught.value.zh and "2004" not in str(caught.value)
    with pytest.raises(FrameError, match="sex"):
        parse_text(good[:30] + _ucs2("9", 2) + good[32:])


def test_expired_summary_and_the_ids_checks():
    c = card(valid_to=dt.date(2026, 12, 4))
    assert expired(c, TODAY) and not expired(c, dt.date(2026, 12, 4))  # valid on its last day
    assert not expired(card(valid_to=None), dt.date(2099, 1, 1))
    assert summary(c, TODAY) == {
        "name_masked": "林*洋",
        "id_masked": "370202********1238",
        "sex": "男",
        "birth": "2004-03-15",
        "valid_to": "2026-12-04",
        "expired": True,
    }
    assert validate_resident_id(SAMPLE_ID) == SAMPLE_ID
    assert idcard.check_card(card(), TODAY).id_number == SAMPLE_ID
    with pytest.raises(Refused, match="校验位"):
        idcard.check_card(card(id_number=SAMPLE_ID[:-1] + "1"), TODAY)
    with pytest.raises(Refused, match="不符"):
        idcard.check_card(card(sex="女"), TODAY)
    with pytest.raises(Refused, match="不符"):
        idcard.check_card(card(birth=dt.date(2004, 3, 16)), TODAY)


def test_repr_shows_no_full_name_or_id():
    c = card()
    for text in (repr(c), str(c), f"{c}", repr([c]), repr(Response(0, 0, 0x90, card_text(c)))):
        assert "林海洋" not in text and SAMPLE_ID not in text and "示例路" not in text
    assert "林*洋" in repr(c) and "370202********1238" in repr(c)


def test_card_json_round_trip_and_refusals(tmp_path):
    c = card(valid_to=None, photo=b"\x01\x02")
    path = tmp_path / "card.json"
    path.write_text(json.dumps(card_to_dict(c), ensure_ascii=False), encoding="utf-8")
    assert card_from_json(path) == c
    plain = {**card_to_dict(c), "nation": "汉族", "birth": "20040315", "valid_to": "2034-01-02"}
    del plain["photo"]
    got = card_from_dict(plain)
    assert (got.nation, got.birth, got.valid_to, got.photo) == (
        "汉",
        dt.date(2004, 3, 15),
        dt.date(2034, 1, 2),
        b"",
    )
    for broken, message in (
        ({**plain, "birth": "2004-02-30"}, "birth"),
        ({k: v for k, v in plain.items() if k != "name"}, "name"),
        ({**plain, "photo": "not base64!"}, "base64"),
        ({**plain, "address": "长" * 36}, "address"),
    ):
        with pytest.raises(Refused, match=message):
            card_from_dict(broken)
    assert card_from_dict({**plain, "id_number": "123"}).id_number == "123"  # refused on reading
    for content in ("{not json", "[1, 2]"):
        path.write_text(content, encoding="utf-8")
        with pytest.raises(Refused):
            card_from_json(path)
    with pytest.raises(Refused):
        card_from_json(tmp_path / "missing.json")


# -- reading through the simulated reader -----------------------------------------------------


@needs_pty
def test_read_present_remove_and_present_again():
    with simulate_idcard() as sim:
        got = read_card(sim.port, timeout=2)
        assert got == sim.card and len(got.photo) == idcard.PHOTO_SIZE
        assert check_reader(sim.port) == "SAM ok"
        sim.remove()
        began = time.monotonic()
        with pytest.raises(NoCard) as caught:
            read_card(sim.port, timeout=QUICK)
        assert QUICK <= time.monotonic() - began < QUICK + 1.5
        assert caught.value.zh == "请将身份证放在阅读器上" and "no card" in caught.value.en
        other = card(name="欧阳娜娜", sex="女", id_number="370202200403151246", valid_to=None)
        sim.present(other)
        assert read_card(sim.port, {"baud": 115200}, timeout=2) == other
        assert read_target(sim.port, timeout=2) == other


@needs_pty
def test_a_card_laid_during_the_wait_is_read():
    with simulate_idcard() as sim:
        sim.remove()
        later = threading.Timer(0.25, sim.present)
        later.start()
        try:
            assert read_card(sim.port, timeout=3).id_number == SAMPLE_ID
        finally:
            later.cancel()


@needs_pty
def test_expired_and_invalid_cards():
    expired_card = card(valid_from=dt.date(2010, 1, 1), valid_to=dt.date(2020, 1, 1))
    with simulate_idcard(card=expired_card) as sim:
        got = read_card(sim.port, timeout=2)
        assert expired(got, TODAY) and summary(got, TODAY)["expired"] is True
        sim.present(card(id_number=SAMPLE_ID[:-1] + "1"))
        with pytest.raises(Refused, match="身份证号码无效"):
            read_card(sim.port, timeout=2)


@needs_pty
def test_a_bad_checksum_or_a_cut_answer_from_the_reader_is_one_clear_line(monkeypatch):
    monkeypatch.setattr(idcard, "STEP_S", 0.2)
    with simulate_idcard() as sim:
        sim.answer_badly("checksum")
        with pytest.raises(FrameError) as bad:
            read_card(sim.port, timeout=QUICK)
        assert bad.value.zh == "身份证阅读器应答校验和错误，请检查连接线和波特率"
        assert "\n" not in str(bad.value)
        sim.answer_badly("truncated")
        with pytest.raises(FrameError, match="cut short"):
            read_card(sim.port, timeout=QUICK)
        sim.answer_badly(None)
        assert read_card(sim.port, timeout=2).id_number == SAMPLE_ID
        with pytest.raises(Refused):
            sim.answer_badly("melted")


@needs_pty
def test_the_twin_answers_like_a_reader_turn_by_turn():
    def ask(port: serial.Serial, frame: bytes) -> Response:
        port.write(frame)
        decoder = FrameDecoder()
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            found = decoder.feed(port.read(port.in_waiting or 1))
            if found:
                return Response.parse(found[0])
        raise AssertionError("no answer")

    with simulate_idcard() as sim, serial.serial_for_url(sim.port, timeout=0.05) as port:
        assert ask(port, encode_request(SELECT)).sw3 == 0x81  # select before find
        assert ask(port, encode_request(READ_BASE)).sw3 == 0x41  # read before select
        assert ask(port, encode_request(FIND)).sw3 == 0x9F
        assert ask(port, encode_request(SELECT)).sw3 == 0x90
        answer = ask(port, encode_request(READ_BASE))
        assert answer.sw3 == 0x90 and answer.data[:4] == bytes.fromhex("01000400")
        assert ask(port, encode_request((0x99, 0x01))).sw3 == 0x21  # unknown command
        bad = bytearray(encode_request(FIND))
        bad[-1] ^= 0xFF
        assert ask(port, bytes(bad)).sw3 == 0x10  # the reader got a bad checksum


@needs_pty
def test_a_missing_or_silent_reader_and_a_selection_that_fails(monkeypatch):
    monkeypatch.setattr(idcard, "STEP_S", 0.2)
    sim = simulate_idcard()
    sim.close()
    with pytest.raises(DeviceFault) as gone:
        read_card(sim.port, timeout=QUICK)
    assert gone.value.zh.startswith("身份证阅读器") and "\n" not in str(gone.value)
    with pytest.raises(DeviceFault, match="does not answer"):
        read_card("loop://", timeout=QUICK)  # only its own request's echo comes back
    with pytest.raises(Refused, match="波特率"):
        read_card("loop://", {"baud": 12345})
    with SlipperyCard() as sim, pytest.raises(CardUnreadable, match="选卡失败"):
        read_card(sim.port, timeout=2)


class SlipperyCard(SimulatedIdcard):
    """A card that slides off between find and select."""

    def _answer(self, payload: bytes) -> bytes:
        if payload[:2] == bytes(SELECT):
            return encode_response(0x81)
        return super()._answer(payload)


# -- the vendor SDK ---------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="checks the refusal off Windows")
def test_the_sdk_is_windows_only():
    with pytest.raises(Refused, match="Windows"):
        idcard_sdk.read_card_sdk(r"C:\reader\termb.dll")
    with pytest.raises(Refused, match="Windows"):
        read_target("sdk:C:/reader/termb.dll", {"sdk_port": 1002})
    with pytest.raises(Refused, match="sdk_port"):
        read_target("sdk:C:/reader/termb.dll", {"sdk_port": "USB1"})


def _function(result, effect=None):
    """A stand-in for one DLL function: records its arguments, may write through them."""

    def function(*args):
        function.calls.append(args)
        if effect is not None:
            effect(*args)
        return result() if callable(result) else result

    function.calls = []
    return function


def test_termb_marshalling_against_a_fake_function_table():
    def text(value: str):
        def write(buffer, length):
            data = value.encode("gbk")
            buffer.value = data
            length.contents.value = len(data)

        return _function(1, write)

    tries = iter([0, 0, 1])  # no card twice, then laid on the reader
    c = card(valid_to=None)
    lib = SimpleNamespace(
        CVR_InitComm=_function(1),
        CVR_Authenticate=_function(lambda: next(tries)),
        CVR_Read_Content=_function(1),
        CVR_CloseComm=_function(1),
        GetPeopleName=text(c.name),
        GetPeopleSex=text("男"),
        GetPeopleNation=text("汉族"),
        GetPeopleBirthday=text("20040315"),
        GetPeopleAddress=text(c.address + "  "),
        GetPeopleIDCode=text(c.id_number),
        GetDepartment=text(c.issuer),
        GetStartDate=text(f"{c.valid_from:%Y.%m.%d}"),
        GetEndDate=text("长期"),
    )
    got = idcard_sdk.read_with_sdk(lib, 1001, timeout=2, today=TODAY)
    assert got == dataclasses.replace(c, photo=b"")
    assert lib.CVR_InitComm.calls == [(1001,)] and lib.CVR_Read_Content.calls == [(4,)]
    assert len(lib.CVR_Authenticate.calls) == 3 and len(lib.CVR_CloseComm.calls) == 1
    assert lib.CVR_InitComm.argtypes == [ctypes.c_int] and lib.CVR_Authenticate.argtypes == []
    assert lib.GetPeopleName.argtypes == [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
    assert lib.GetPeopleName.restype is ctypes.c_int
    buffer, length = lib.GetPeopleIDCode.calls[0]
    assert isinstance(buffer, ctypes.Array) and len(buffer) >= 256
    assert isinstance(length, ctypes.POINTER(ctypes.c_int))

    lib.CVR_Authenticate = _function(0)  # never a card: NoCard, and the port is closed
    with pytest.raises(NoCard):
        idcard_sdk.read_with_sdk(lib, 1001, timeout=QUICK)
    assert len(lib.CVR_CloseComm.calls) == 2
    lib.CVR_InitComm = _function(0)
    with pytest.raises(DeviceFault, match="1001"):
        idcard_sdk.read_with_sdk(lib, 1001)
    del lib.GetEndDate
    with pytest.raises(DeviceFault, match="GetEndDate"):
        idcard_sdk.read_with_sdk(lib, 1001)


def test_sdtapi_marshalling_keeps_the_raw_text_and_photo():
    c = card(photo=bytes(range(256)) * 4)

    def read_base(port, text, text_len, photo, photo_len, if_open):
        ctypes.memmove(text, card_text(c), 256)
        ctypes.memmove(photo, c.photo, 1024)
        text_len.contents.value, photo_len.contents.value = 256, 1024

    lib = SimpleNamespace(
        SDT_OpenPort=_function(0x90),
        SDT_ClosePort=_function(0x90),
        SDT_StartFindIDCard=_function(0x9F),
        SDT_SelectIDCard=_function(0x90),
        SDT_ReadBaseMsg=_function(0x90, read_base),
    )
    assert idcard_sdk.read_with_sdk(lib, 1001, today=TODAY) == c
    port, text, text_len, photo, photo_len, if_open = lib.SDT_ReadBaseMsg.calls[0]
    assert (port, if_open) == (1001, 0) and len(text) >= 256 and len(photo) >= 1024
    assert isinstance(text_len, ctypes.POINTER(ctypes.c_uint))
    assert lib.SDT_ReadBaseMsg.argtypes[2] == ctypes.POINTER(ctypes.c_uint)
    assert lib.SDT_StartFindIDCard.calls[0][0] == 1001 and lib.SDT_ClosePort.calls == [(1001,)]
    lib.SDT_SelectIDCard = _function(0x81)
    with pytest.raises(CardUnreadable, match="0x81"):
        idcard_sdk.read_with_sdk(lib, 1001)
    assert len(lib.SDT_ClosePort.calls) == 2
