"""The hall's serial devices: the call-pad, strip and evaluation-pad frames."""

from __future__ import annotations

import pytest

from desk_app.domain.tickets import TicketState
from desk_app.domain.windows import WindowState
from desk_app.services.common.errors import Refused
from desk_app.services.devices.callpad import (
    DEFAULT_KEYMAP,
    CallpadParser,
    HexFramer,
    KeyPress,
    action_of,
    encode_press,
    keymap_of,
)
from desk_app.services.devices.evaluator_pad import EvaluatorPadParser, encode_level
from desk_app.services.devices.strip import (
    StripWriter,
    decode_strip,
    encode_strip,
    strip_text,
)

pytestmark = pytest.mark.timeout(30)

HEX = {"format": "hex"}


# -- the call-pad's frames -------------------------------------------------------------------


def test_ascii_presses_in_both_spellings_with_noise_between_lines():
    parser = CallpadParser()
    data = b"\x00\xffRECEIVER V2.1\r\nW03K1\r\n\r\n##garbage##\n3,2\r\nzzW12K5\r\nw7k4\n 8 , 3 \r\n"
    assert parser.feed(data) == [
        KeyPress(3, "1"),
        KeyPress(3, "2"),
        KeyPress(12, "5"),
        KeyPress(7, "4"),
        KeyPress(8, "3"),
    ]


def test_ascii_frames_split_across_feeds_and_a_long_noise_line():
    parser = CallpadParser({"format": "ascii"})
    assert parser.feed(b"W0") == []
    assert parser.feed(b"5K") == []
    assert parser.feed(b"2\r") == [KeyPress(5, "2")]
    assert parser.feed(b"\n1") == []
    assert parser.feed(b"1,3\n") == [KeyPress(11, "3")]
    assert parser.feed(b"x" * 5000) == []  # no line end: only a tail is kept
    assert parser.feed(b"\nW01K1\n") == [KeyPress(1, "1")]
    assert parser.feed(b"W1234K1\n12,\nW02K\n") == []  # not presses


def test_hex_frames_split_and_bad_checksums_resynchronise():
    parser = CallpadParser(HEX)
    good = encode_press(3, "1", HEX)
    assert good == bytes([0xAA, 0x55, 3, 1, 3 ^ 1])
    assert [parser.feed(good[:i]) + parser.feed(good[i:]) for i in range(1, len(good))] == [
        [KeyPress(3, "1")]
    ] * (len(good) - 1)
    bad = bytes([0xAA, 0x55, 4, 2, 0x00])  # wrong checksum
    # a header inside a corrupt frame is found again, noise around frames is skipped
    stream = b"\x13\xaa" + bad + encode_press(9, "4", HEX) + b"\x55\xaa\xaa" + good
    assert parser.feed(stream) == [KeyPress(9, "4"), KeyPress(3, "1")]
    truncated = bytes([0xAA, 0x55, 7])  # the rest never came; the next frame still parses
    assert parser.feed(truncated + encode_press(2, "5", HEX)) == [KeyPress(2, "5")]


def test_hex_frame_options_header_and_sum_checksum():
    options = {"format": "hex", "header": "0x7E", "checksum": "sum"}
    frame = encode_press(200, "100", options)
    assert frame == bytes([0x7E, 200, 100, (200 + 100) % 256])
    parser = CallpadParser(options)
    assert parser.feed(frame + bytes([0x7E, 200, 100, 0x00]) + frame) == [KeyPress(200, "100")] * 2
    none = HexFramer({"header": [0xFF, 0x68], "checksum": "none"})
    assert none.encode(1, 2) == b"\xff\x68\x01\x02"
    assert none.feed(b"\x00\xff\x68\x01\x02\xff") + none.feed(b"\x68\x05\x06") == [(1, 2), (5, 6)]


def test_call_pad_options_are_checked():
    for bad in (
        {"format": "json"},
        {"format": "hex", "header": "ZZ"},
        {"format": "hex", "header": ""},
        {"format": "hex", "checksum": "crc"},
    ):
        with pytest.raises(Refused):
            CallpadParser(bad)
    with pytest.raises(Refused, match="0-255"):
        encode_press(300, "1", HEX)
    with pytest.raises(Refused, match="number 0-255"):
        encode_press(3, "A", HEX)


def test_key_maps():
    assert action_of(KeyPress(3, "1"), DEFAULT_KEYMAP) == "call_next"
    assert [action_of(KeyPress(1, k)) for k in "12345"] == [
        "call_next",
        "recall",
        "no_show",
        "pause",
        "evaluate",
    ]
    assert action_of(KeyPress(3, "9")) is None
    vendor = keymap_of({"keys": {"a": "call_next", 6: "complete"}})
    assert action_of(KeyPress(1, "A"), vendor) == "call_next"
    assert action_of(KeyPress(1, "6"), vendor) == "complete"
    assert action_of(KeyPress(1, "1"), vendor) is None  # the map replaces the default
    assert keymap_of({}) == DEFAULT_KEYMAP
    with pytest.raises(Refused):
        keymap_of({"keys": ["call_next"]})


# -- the window strip ------------------------------------------------------------------------


def test_strip_frame_gb2312_round_trip_and_checksum():
    frame = encode_strip("暂停服务", address=3)
    text = "暂停服务".encode("gb2312")
    checksum = 3
    for b in text:
        checksum ^= b
    assert frame == b"\x02\x03" + text + b"\x03" + bytes([checksum])
    assert decode_strip(frame) == [(3, "暂停服务")]
    corrupt = bytearray(frame)
    corrupt[4] ^= 0x01
    assert decode_strip(bytes(corrupt) + encode_strip("A012", address=2)) == [(2, "A012")]
    assert decode_strip(frame[:-1]) == []  # the checksum has not come yet


def test_strip_frame_options_and_unencodable_text():
    ascii_frame = encode_strip("暂停 A012\n", options={"encoding": "ascii"})
    assert decode_strip(ascii_frame, {"encoding": "ascii"}) == [(0, "?? A012?")]
    assert decode_strip(encode_strip("€A1", options={})) == [(0, "?A1")]  # no € in GB2312
    summed = {"checksum": "sum", "stx": "0xA0", "etx": 0xA1, "encoding": "ascii"}
    frame = encode_strip("B7", address=1, options=summed)
    assert frame == bytes([0xA0, 1, 0x42, 0x37, 0xA1, (1 + 0x42 + 0x37) % 256])
    assert decode_strip(frame, summed) == [(1, "B7")]
    assert decode_strip(encode_strip("", address=9)) == [(9, "")]
    for bad in ({"encoding": "klingon"}, {"checksum": "crc16"}, {"stx": 300}):
        with pytest.raises(Refused):
            encode_strip("A1", options=bad)
    with pytest.raises(Refused):
        encode_strip("A1", address=256)


def test_strip_text():
    assert strip_text("A012", TicketState.SERVING) == "A012"
    assert strip_text("A012", "called") == "A012"
    assert strip_text(None, WindowState.PAUSED) == "暂停服务"
    assert strip_text("A012", "paused") == "暂停服务"
    assert strip_text(None, WindowState.OPEN) == "欢迎"
    assert strip_text(None, "closed") == ""
    assert strip_text("B3", TicketState.COMPLETED) == "欢迎"
    assert all(len(strip_text("A012", s)) <= 16 for s in ("open", "paused", "closed", "serving"))
    with pytest.raises(Refused):
        strip_text("A012", "dancing")


class _Recorder:
    def __init__(self) -> None:
        self.written: list[bytes] = []
        self.connections = 1

    def write(self, data: bytes) -> None:
        self.written.append(data)


def test_strip_writer_writes_only_changes_and_again_after_a_reconnect():
    link = _Recorder()
    writer = StripWriter(link, {"address": 4})
    assert writer.show("A012", "called") is True
    assert writer.show("A012", "serving") is False  # same text
    assert writer.show(None, "paused") is True
    assert [decode_strip(f) for f in link.written] == [[(4, "A012")], [(4, "暂停服务")]]
    link.connections = 2  # the strip was plugged back: it lost its text
    assert writer.show(None, "paused") is True
    writer.forget()
    assert writer.show(None, "paused") is True and len(link.written) == 4


# -- the evaluation pad ----------------------------------------------------------------------


def test_evaluator_pad_ascii_and_hex():
    assert EvaluatorPadParser().feed(b"5\r\n1x3\n9") == [5, 1, 3]
    custom = EvaluatorPadParser({"keys": {"A": 5, "B": 4, "E": 1}})
    assert custom.feed(b"ABE5") == [5, 4, 1]
    hexpad = EvaluatorPadParser(HEX)
    data = encode_level(4, HEX) + bytes([0xAA, 0x55, 1, 5, 0]) + HexFramer().encode(1, 9)
    assert hexpad.feed(data[:3]) + hexpad.feed(data[3:] + encode_level(2, HEX)) == [4, 2]
    assert encode_level(3) == b"3"
    with pytest.raises(Refused):
        encode_level(6)
    with pytest.raises(Refused):
        EvaluatorPadParser({"keys": {"A": 7}})
