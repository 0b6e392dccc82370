"""The resident ID card reader (身份证阅读器) over the public SAM protocol (GA 467): frames,
and one read of a card through a serial port. The card itself is in ``idcard_card``, whose
public names are re-exported here.

Frames, both ways::

    AA AA AA 96 69 | LEN1 LEN2 | CMD PARA data      | CHK    (request, to the reader)
    AA AA AA 96 69 | LEN1 LEN2 | SW1 SW2 SW3 data   | CHK    (response, from the reader)

``LEN`` (big-endian) counts what follows it, checksum included; ``CHK`` is the XOR of the two
length bytes and everything after them. SW1 SW2 are the card's, SW3 the reader's status. A
read is find (``20 01``: SW3 ``9F`` found, ``80`` no card), select (``20 02``: ``90``, ``81``
failed) and read (``30 01``: ``90``, then the text's and the photo's lengths, big-endian, 256
bytes of text and 1024 of photo). ``11 FF`` asks for the SAM module's status (``device test``).

The reader's UART runs at 115200 8N1 by default (the SAM module's documented default; the module
can be set to 57600, 38400, 19200 or 9600): a device's ``baud`` option overrides it. A target
``sdk:PATH`` goes through the vendor's DLL instead (``idcard_sdk``, Windows only).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import serial

from desk_app.services.common.errors import Refused
from desk_app.services.devices.idcard_card import (
    FIELDS,
    LONG_TERM,
    NATIONS,
    PHOTO_SIZE,
    TEXT_SIZE,
    CardUnreadable,
    FrameError,
    IdCard,
    NoCard,
    card_from_dict,
    card_from_json,
    card_text,
    card_to_dict,
    check_card,
    expired,
    nation_code,
    nation_name,
    parse_text,
    summary,
    truncated,
)
from desk_app.services.devices.serial_link import DeviceFault, first_line, port_settings

__all__ = [
    "FIND",
    "PREAMBLE",
    "READ_BASE",
    "SELECT",
    "FrameDecoder",
    "Response",
    "check_reader",
    "decode_frame",
    "encode_frame",
    "encode_request",
    "encode_response",
    "read_card",
    "read_target",
    # the card's names, re-exported: a caller needs one module
    "FIELDS",
    "LONG_TERM",
    "NATIONS",
    "PHOTO_SIZE",
    "TEXT_SIZE",
    "CardUnreadable",
    "FrameError",
    "IdCard",
    "NoCard",
    "card_from_dict",
    "card_from_json",
    "card_text",
    "card_to_dict",
    "check_card",
    "expired",
    "nation_code",
    "nation_name",
    "parse_text",
    "summary",
]

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
MAX_LENGTH = 0x1000  # the longest answer (text, photo and fingerprints) is about 0x0910
DEFAULT_BAUD = 115200

RESET = (0x10, 0xFF)
SAM_STATUS = (0x11, 0xFF)
SAM_ID = (0x12, 0xFF)
FIND = (0x20, 0x01)
SELECT = (0x20, 0x02)
READ_BASE = (0x30, 0x01)

SW_OK = 0x90
SW_FOUND = 0x9F
SW_NO_CARD = 0x80
SW_SELECT_FAILED = 0x81
SW_READ_FAILED = 0x41
SW_BAD_COMMAND = 0x21
SW_TEXT = {  # SW3 codes of the SAM interface, for the errors
    0x10: "收到的校验和错误 / the reader got a bad checksum",
    0x11: "收到的长度错误 / the reader got a bad length",
    0x21: "命令错误 / command error",
    0x31: "证卡认证失败 / the card did not authenticate the reader",
    0x32: "阅读器认证失败 / the reader did not authenticate the card",
    0x33: "信息验证错误 / information check failed",
    0x40: "错误的卡 / not a resident ID card",
    0x41: "读卡失败 / reading the card failed",
    0x60: "阅读器自检失败 / the reader's self-test failed",
    0x66: "阅读器未经授权 / the reader is not authorised",
    0x80: "未找到证卡 / no card found",
    0x81: "选卡失败 / selecting the card failed",
}

# -- frames -----------------------------------------------------------------------------------


def xor(data: bytes) -> int:
    value = 0
    for byte in data:
        value ^= byte
    return value


def encode_frame(payload: bytes) -> bytes:
    """Preamble, length, ``payload`` (CMD PARA data, or SW1 SW2 SW3 data) and checksum."""
    if not 2 <= len(payload) < MAX_LENGTH:
        raise Refused(
            f"帧内容长度 {len(payload)} 无效", f"a frame payload of {len(payload)} bytes is invalid"
        )
    body = (len(payload) + 1).to_bytes(2, "big") + payload
    return PREAMBLE + body + bytes([xor(body)])


def encode_request(command: tuple[int, int], data: bytes = b"") -> bytes:
    return encode_frame(bytes(command) + data)


def encode_response(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    return encode_frame(bytes([sw1, sw2, sw3]) + data)


@dataclass(frozen=True)
class Response:
    """A reader's answer: the card's SW1 SW2, the reader's own status SW3, and data."""

    sw1: int
    sw2: int
    sw3: int
    data: bytes = field(default=b"", repr=False)

    @classmethod
    def parse(cls, payload: bytes) -> Response:
        if len(payload) < 3:
            raise FrameError("阅读器应答过短", "the reader's answer is too short")
        return cls(payload[0], payload[1], payload[2], bytes(payload[3:]))


class FrameDecoder:
    """A stream of frames: ``feed`` returns the payloads of whole, valid frames; bytes before a
    preamble are skipped; a frame with a bad checksum is recorded in ``errors`` and dropped, and
    the search goes on from the byte after its start (so a frame inside noise is still found)."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.errors: list[FrameError] = []

    @property
    def pending(self) -> bool:
        """Whether a frame has begun and not ended (a frame cut short, when nothing follows)."""
        return self._buffer.startswith(PREAMBLE)

    def feed(self, data: bytes) -> list[bytes]:
        buf = self._buffer
        buf += data
        found: list[bytes] = []
        start = 0
        while True:
            at = buf.find(PREAMBLE, start)
            if at < 0:  # keep only what could be the start of a preamble
                start = max(start, len(buf) - len(PREAMBLE) + 1)
                break
            head = at + len(PREAMBLE)
            if len(buf) < head + 2:
                start = at
                break
            length = int.from_bytes(buf[head : head + 2], "big")
            if not 3 <= length <= MAX_LENGTH:  # not a frame after all: noise that looked like one
                start = at + 1
                continue
            end = head + 2 + length
            if len(buf) < end:
                start = at
                break
            if xor(bytes(buf[head : end - 1])) != buf[end - 1]:
                self.errors.append(
                    FrameError(
                        "身份证阅读器应答校验和错误，请检查连接线和波特率",
                        "the ID card reader's answer has a bad checksum: check the cable and baud",
                    )
                )
                start = at + 1
                continue
            found.append(bytes(buf[head + 2 : end - 1]))
            start = end
        del buf[:start]
        return found


def decode_frame(data: bytes) -> bytes:
    """The payload of the first valid frame in ``data``; ``FrameError`` when its checksum is
    wrong or it is cut short (or there is none)."""
    decoder = FrameDecoder()
    found = decoder.feed(data)
    if found:
        return found[0]
    if decoder.errors:
        raise decoder.errors[0]
    raise truncated() if decoder.pending else FrameError("没有完整的帧", "no frame in the data")


# -- one read through a serial port -----------------------------------------------------------

FIND_INTERVAL_S = 0.1  # between finds while waiting for a card
STEP_S = 1.0  # the longest a reader may take to answer find, select or a status command
READ_S = 3.0  # ... and to read a card (about 1 s on real readers)
POLL_S = 0.02  # one serial read's wait


def read_card(
    port: str,
    options: Mapping[str, Any] | None = None,
    *,
    timeout: float = 3.0,
    today: dt.date | None = None,
) -> IdCard:
    """Read the card on the reader at ``port`` (a path, ``COM3`` or a pyserial URL).

    Waits up to ``timeout`` seconds for a card (finding again every ``FIND_INTERVAL_S``), then
    selects and reads it, each step within its own limit. ``NoCard`` when none was laid on it;
    ``CardUnreadable`` when one is there but cannot be read; ``Refused`` when its ID number is
    invalid; ``DeviceFault`` (``FrameError`` for a garbled answer) when the reader is missing,
    silent or talks nonsense."""
    deadline = time.monotonic() + timeout
    with _Exchange(port, options) as reader:
        while True:
            found = reader.ask(FIND, STEP_S)
            if found.sw3 == SW_FOUND:
                break
            if found.sw3 != SW_NO_CARD:
                raise reader.status_fault(found.sw3)
            left = deadline - time.monotonic()
            if left <= 0:
                raise NoCard()
            time.sleep(min(FIND_INTERVAL_S, left))
        selected = reader.ask(SELECT, STEP_S)
        if selected.sw3 != SW_OK:
            raise _unreadable(selected.sw3)
        answer = reader.ask(READ_BASE, READ_S)
        if answer.sw3 != SW_OK:
            raise _unreadable(answer.sw3)
    return check_card(_base_message(answer.data), today)


def check_reader(
    port: str, options: Mapping[str, Any] | None = None, *, timeout: float = STEP_S
) -> str:
    """``device test``: ask the reader's SAM module for its status (``11 FF``); what it said, or
    ``DeviceFault`` when it is missing, silent or not well."""
    with _Exchange(port, options) as reader:
        status = reader.ask(SAM_STATUS, timeout)
    if status.sw3 != SW_OK:
        raise reader.status_fault(status.sw3)
    return "SAM ok"


def read_target(
    target: str, options: Mapping[str, Any] | None = None, *, timeout: float = 3.0
) -> IdCard:
    """Read through a device's target: ``sdk:PATH`` is the vendor's DLL (its ``sdk_port``
    option, default 1001 = the first USB reader), anything else a serial port."""
    if target.startswith("sdk:"):
        from desk_app.services.devices.idcard_sdk import read_card_sdk

        port = (options or {}).get("sdk_port", 1001)
        if isinstance(port, bool) or not isinstance(port, int) or port <= 0:
            raise Refused(
                f"sdk_port {port!r} 无效，应为端口号（串口 1-16，USB 1001-1016）",
                f"sdk_port {port!r} is not a port number (serial 1-16, USB 1001-1016)",
            )
        return read_card_sdk(target.removeprefix("sdk:"), port, timeout=timeout)
    return read_card(target, options, timeout=timeout)


def _base_message(data: bytes) -> IdCard:
    """The card from a ``30 01`` answer's data: text length, photo length, text, photo."""
    if len(data) < 4:
        raise truncated()
    text_len = int.from_bytes(data[:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    if len(data) < 4 + text_len + photo_len:
        raise truncated()
    return parse_text(data[4 : 4 + text_len], data[4 + text_len : 4 + text_len + photo_len])


def _unreadable(sw3: int) -> CardUnreadable:
    zh, _, en = SW_TEXT.get(sw3, f"状态 {sw3:02X} / status {sw3:02X}").partition(" / ")
    return CardUnreadable(
        f"身份证读取失败（{zh}），请将身份证重新放好",
        f"the card could not be read ({en}): lay it again",
    )


class _Exchange:
    """One open port and the request/answer turns on it."""

    def __init__(self, port: str, options: Mapping[str, Any] | None) -> None:
        self.port = port
        settings = port_settings({"baud": DEFAULT_BAUD, **(options or {})})
        try:
            self._serial: Any = serial.serial_for_url(
                port, timeout=POLL_S, write_timeout=STEP_S, **settings
            )
        except Exception as exc:  # missing, busy, a bad URL: all one line
            raise self._fault(first_line(exc)) from None

    def __enter__(self) -> _Exchange:
        return self

    def __exit__(self, *_exc: object) -> None:
        with contextlib.suppress(Exception):  # a vanished reader may fail even to close
            self._serial.close()

    def ask(self, command: tuple[int, int], wait: float) -> Response:
        """Send ``command``; its answer within ``wait`` seconds."""
        decoder = FrameDecoder()
        request = encode_request(command)
        try:
            self._serial.reset_input_buffer()  # a late answer to an earlier turn is stale
            self._serial.write(request)
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                chunk = self._serial.read(self._serial.in_waiting or 1)
                # a half-duplex (RS-485) adapter echoes the request: not an answer
                found = [p for p in decoder.feed(chunk) if p != request[len(PREAMBLE) + 2 : -1]]
                if found:
                    return Response.parse(found[0])
                if decoder.errors and not decoder.pending:
                    raise decoder.errors[0]
        except (FrameError, Refused):
            raise
        except Exception as exc:  # unplugged mid-read (EIO), a stuck write ...
            raise self._fault(first_line(exc)) from None
        if decoder.pending:
            raise truncated()
        if decoder.errors:
            raise decoder.errors[0]
        raise DeviceFault(
            f"身份证阅读器 {self.port} 无应答，请检查连接、电源和波特率",
            f"the ID card reader on {self.port} does not answer: check its cable, power and baud",
        )

    def status_fault(self, sw3: int) -> DeviceFault:
        zh, _, en = SW_TEXT.get(sw3, f"状态 {sw3:02X} / status {sw3:02X}").partition(" / ")
        return DeviceFault(
            f"身份证阅读器 {self.port} 故障（{zh}）", f"the ID card reader on {self.port}: {en}"
        )

    def _fault(self, reason: str) -> DeviceFault:
        return DeviceFault(
            f"身份证阅读器 {self.port} 不可用（{reason}），请检查连接和电源",
            f"the ID card reader on {self.port} is unavailable ({reason}): check cable and power",
        )
