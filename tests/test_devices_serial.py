"""The hall's serial devices: the call-pad, strip and evaluation-pad frames, and a SerialLink
that keeps working when its device is unplugged and plugged back (through real ptys)."""

from __future__ import annotations

import os
import threading
import time

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
from desk_app.services.devices.serial_link import DeviceFault, SerialLink, port_settings
from desk_app.services.devices.simulate import (
    simulate_callpad,
    simulate_evaluator,
    simulate_strip,
)
from desk_app.services.devices.strip import (
    StripWriter,
    decode_strip,
    encode_strip,
    strip_text,
)

pytestmark = pytest.mark.timeout(30)
needs_pty = pytest.mark.skipif(not hasattr(os, "openpty"), reason="simulation needs a pty")
WAIT_S = 5.0  # the longest any wait below may take; each normally takes milliseconds
RETRY_S = 0.05

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


# -- the link, through ptys ------------------------------------------------------------------


def test_port_settings():
    assert port_settings(None) == {
        "exclusive": True,
        "baudrate": 9600,
        "bytesize": 8,
        "parity": "N",
        "stopbits": 1,
        "rtscts": False,
        "xonxoff": False,
    }
    assert port_settings({"baud": 19200, "framing": "7e2"})["parity"] == "E"
    for bad in ({"baud": 1234}, {"framing": "9N1"}, {"framing": "8X1"}, {"baud": "fast"}):
        with pytest.raises(Refused):
            port_settings(bad)


class _Collector:
    """Presses and states delivered on the link's thread, waited for without sleeping."""

    def __init__(self, parser: CallpadParser | EvaluatorPadParser) -> None:
        self.parser = parser
        self.items: list[object] = []
        self.states: list[tuple[str, str]] = []
        self._cond = threading.Condition()

    def on_data(self, data: bytes) -> None:
        found = self.parser.feed(data)
        with self._cond:
            self.items.extend(found)
            self._cond.notify_all()

    def on_state(self, state: str, detail: str) -> None:
        with self._cond:
            self.states.append((state, detail))
            self._cond.notify_all()

    def wait_items(self, count: int) -> list[object]:
        with self._cond:
            self._cond.wait_for(lambda: len(self.items) >= count, WAIT_S)
            return list(self.items)


@needs_pty
@pytest.mark.parametrize("options", [{}, HEX], ids=["ascii", "hex"])
def test_link_delivers_call_pad_presses_in_order(options):
    with simulate_callpad(options) as pad:
        got = _Collector(CallpadParser(options))
        with SerialLink(pad.port, options, on_data=got.on_data, on_state=got.on_state) as link:
            assert link.wait_state("ok", WAIT_S)
            for i in range(20):
                pad.press(i % 7 + 1, str(i % 5 + 1))
            presses = got.wait_items(20)
        assert presses == [KeyPress(i % 7 + 1, str(i % 5 + 1)) for i in range(20)]
        assert got.states == [("ok", pad.port)]
        assert link.state == "closed"


@needs_pty
def test_link_survives_unplug_and_replug():
    pad = simulate_callpad()
    got = _Collector(CallpadParser())
    link = SerialLink(pad.locate, on_data=got.on_data, on_state=got.on_state, retry_s=RETRY_S)
    try:
        link.start()
        assert link.wait_state("ok", WAIT_S)
        pad.press(1, "1")
        assert got.wait_items(1) == [KeyPress(1, "1")]

        pad.unplug()
        assert link.wait_state("fault", WAIT_S)
        time.sleep(5 * RETRY_S)  # several failed retries: still one fault reported
        assert [s for s, _ in got.states] == ["ok", "fault"]
        assert got.states[1][1]  # with a reason
        with pytest.raises(DeviceFault):
            link.write(b"x")

        pad.replug()
        assert link.wait_state("ok", WAIT_S)
        assert [s for s, _ in got.states] == ["ok", "fault", "ok"]
        assert got.states[2] == ("ok", pad.port) and link.connections == 2
        pad.press(2, "3")
        pad.press(2, "4")
        assert got.wait_items(3) == [KeyPress(1, "1"), KeyPress(2, "3"), KeyPress(2, "4")]
    finally:
        link.close()
        pad.close()


@needs_pty
def test_link_waits_for_a_device_not_yet_there_and_closes_promptly():
    states: list[str] = []
    link = SerialLink("/dev/nonexistent-desk-app-port", on_state=lambda s, d: states.append(s))
    link.start()
    assert link.wait_state("fault", WAIT_S)
    started = time.monotonic()
    link.close()  # in the middle of its 2 s wait between retries
    assert time.monotonic() - started < 1.0
    assert states == ["fault"] and link.state == "closed"
    with pytest.raises(DeviceFault, match="closed"):
        link.write(b"x")
    with pytest.raises(DeviceFault, match="not open yet"):
        SerialLink("/dev/nonexistent-desk-app-port").write(b"x")  # never started


@needs_pty
def test_a_second_link_on_a_taken_port_is_a_fault_not_a_thief():
    with simulate_callpad() as pad, SerialLink(pad.port) as first:
        assert first.wait_state("ok", WAIT_S)
        with SerialLink(pad.port, retry_s=RETRY_S) as second:
            assert second.wait_state("fault", WAIT_S)
            assert "lock" in second.detail


@needs_pty
def test_strip_writer_through_a_simulated_strip():
    with simulate_strip() as strip, SerialLink(strip.locate, retry_s=RETRY_S) as link:
        assert link.wait_state("ok", WAIT_S)
        writer = StripWriter(link, {"address": 3})
        assert writer.show("A012", TicketState.CALLED)
        assert not writer.show("A012", TicketState.SERVING)
        assert writer.show(None, WindowState.PAUSED)
        assert strip.wait_frames(2, WAIT_S) == [(3, "A012"), (3, "暂停服务")]
        assert not writer.show(None, WindowState.PAUSED)

        strip.unplug()
        assert link.wait_state("fault", WAIT_S)
        with pytest.raises(DeviceFault):
            writer.show(None, WindowState.OPEN)
        strip.replug()
        assert link.wait_state("ok", WAIT_S)
        assert writer.show(None, WindowState.PAUSED)  # plugged back: shown again
        assert strip.wait_frames(3, WAIT_S) == [(3, "A012"), (3, "暂停服务"), (3, "暂停服务")]
        time.sleep(0.1)
        assert len(strip.frames()) == 3  # nothing else was written


@needs_pty
def test_a_write_to_a_vanished_port_is_one_clear_line():
    strip = simulate_strip()
    link = SerialLink(strip.locate, retry_s=RETRY_S).start()
    try:
        assert link.wait_state("ok", WAIT_S)
        strip.close()
        # the write itself may be the first to notice (EIO), or the reader already did
        with pytest.raises(DeviceFault) as caught:
            for _ in range(100):
                link.write(encode_strip("A1"))
                time.sleep(0.01)
        message = str(caught.value)
        assert "\n" not in message and "Traceback" not in message
        assert caught.value.zh.startswith("串口") and strip.port in caught.value.en
        assert "unavailable" in caught.value.en
    finally:
        link.close()


@needs_pty
def test_link_reads_a_simulated_evaluation_pad():
    with simulate_evaluator() as pad:
        got = _Collector(EvaluatorPadParser())
        with SerialLink(pad.port, on_data=got.on_data) as link:
            assert link.wait_state("ok", WAIT_S)
            for level in (5, 3, 1, 4):
                pad.press(level)
            assert got.wait_items(4) == [5, 3, 1, 4]


@needs_pty
def test_simulators_refuse_when_unplugged_and_check_options():
    pad = simulate_callpad()
    pad.unplug()
    with pytest.raises(Refused, match="unplugged"):
        pad.press(1, "1")
    pad.close()
    with pytest.raises(Refused, match="closed"):
        pad.replug()
    with pytest.raises(Refused):
        simulate_strip({"encoding": "klingon"})
