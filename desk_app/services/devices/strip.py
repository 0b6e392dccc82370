"""The LED window strip (窗口屏): one line of text above a window, driven over a serial port.

The frame, all parts configurable in the device's options::

    STX (stx, 0x02) | address (0-255) | text (encoding, "gb2312") | ETX (etx, 0x03) | checksum

The checksum (``checksum``: ``"xor"``, the default, ``"sum"`` mod 256, or ``"none"``) covers
everything between STX and ETX: the address and the text. A character the encoding cannot
represent, and any control character (it could be taken for STX or ETX), is sent as ``?``.
Several strips may share one RS-485 line, each answering to its own address.
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from typing import Any, Protocol

from desk_app.domain.tickets import TicketState
from desk_app.domain.windows import WindowState
from desk_app.services.common.errors import Refused

DEFAULT_ENCODING = "gb2312"
STX = 0x02
ETX = 0x03
CHECKSUMS = ("xor", "sum", "none")
MAX_TEXT_BYTES = 250  # far beyond any strip; a longer frame is a bug, not a message

PAUSED_TEXT = "暂停服务"
IDLE_TEXT = "欢迎"
SHOWING_NUMBER = {TicketState.CALLED, TicketState.SERVING, WindowState.OPEN}


class Writable(Protocol):
    """What a strip writes to: a ``SerialLink`` (or a test's stand-in)."""

    def write(self, data: bytes) -> None: ...


class FrameSpec:
    """The strip frame's options, checked once."""

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        options = options or {}
        self.encoding = str(options.get("encoding", DEFAULT_ENCODING))
        try:
            codecs.lookup(self.encoding)
        except LookupError:
            raise Refused(
                f"未知的字符编码 {self.encoding!r}（可用 gb2312、gbk、ascii）",
                f"unknown text encoding {self.encoding!r} (try gb2312, gbk, ascii)",
            ) from None
        self.stx = _byte_option(options, "stx", STX)
        self.etx = _byte_option(options, "etx", ETX)
        self.checksum = str(options.get("checksum", "xor")).lower()
        if self.checksum not in CHECKSUMS:
            raise Refused(
                f"校验方式 {self.checksum!r} 无效，可选 xor、sum、none",
                f"checksum {self.checksum!r} is not one of xor, sum, none",
            )

    def check(self, body: bytes) -> bytes:
        if self.checksum == "none":
            return b""
        value = 0
        for b in body:
            value = value ^ b if self.checksum == "xor" else (value + b) & 0xFF
        return bytes([value])


def _byte_option(options: Mapping[str, Any], name: str, default: int) -> int:
    value = options.get(name, default)
    try:
        number = int(value, 16) if isinstance(value, str) else int(value)
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= 0xFF:
        raise Refused(
            f"{name} 应为一个字节（0-255），收到 {value!r}", f"{name} must be a byte, not {value!r}"
        )
    return number


def encode_strip(text: str, *, address: int = 0, options: Mapping[str, Any] | None = None) -> bytes:
    """One frame showing ``text`` on the strip at ``address``."""
    spec = FrameSpec(options)
    if not 0 <= address <= 0xFF:
        raise Refused(
            f"窗口屏地址 {address} 超出 0-255", f"strip address {address} is outside 0-255"
        )
    clean = "".join("?" if ord(c) < 0x20 or ord(c) == 0x7F else c for c in text)
    payload = clean.encode(spec.encoding, errors="replace")
    if spec.stx in payload or spec.etx in payload:
        # a multi-byte encoding whose bytes collide with the frame marks: unusable as configured
        raise Refused(
            f"编码 {spec.encoding} 的文字含有帧起止字节，请换用 gb2312 或 gbk",
            f"text in {spec.encoding} contains the frame's start/end byte: use gb2312 or gbk",
        )
    if len(payload) > MAX_TEXT_BYTES:
        raise Refused(
            f"窗口屏文字过长（{len(payload)} 字节，最多 {MAX_TEXT_BYTES}）",
            f"strip text too long ({len(payload)} bytes, at most {MAX_TEXT_BYTES})",
        )
    body = bytes([address]) + payload
    return bytes([spec.stx]) + body + bytes([spec.etx]) + spec.check(body)


class StripDecoder:
    """The strip's side of the frame, as a stream decoder: what a strip (or its simulated twin)
    would show. A frame with a wrong checksum is dropped and decoding resumes after its STX."""

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self._spec = FrameSpec(options)
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[tuple[int, str]]:
        spec, buf = self._spec, self._buffer
        buf += data
        found: list[tuple[int, str]] = []
        tail = 0 if spec.checksum == "none" else 1
        start = 0
        while True:
            at = buf.find(spec.stx, start)
            if at < 0:
                start = len(buf)
                break
            end = buf.find(spec.etx, at + 2)  # the address byte may equal ETX: skip it
            if end < 0 or end + tail >= len(buf):
                if end < 0 and len(buf) - at > MAX_TEXT_BYTES + 2:
                    start = at + 1  # an STX with no ETX for too long: noise
                    continue
                start = at  # the frame is not complete yet
                break
            body = bytes(buf[at + 1 : end])
            if bytes(buf[end + 1 : end + 1 + tail]) != spec.check(body):
                start = at + 1
                continue
            found.append((body[0], body[1:].decode(spec.encoding, errors="replace")))
            start = end + 1 + tail
        del buf[:start]
        return found


def decode_strip(data: bytes, options: Mapping[str, Any] | None = None) -> list[tuple[int, str]]:
    """The (address, text) of every valid whole frame in ``data``."""
    return StripDecoder(options).feed(data)


def strip_text(number: str | None, state: str) -> str:
    """What a window's strip shows, short enough for a 16-character strip: the ticket number
    while it is called or served (``A012``), ``暂停服务`` when the window is paused, ``欢迎``
    when it is open with nobody at it, nothing when it is closed. ``state`` is the window's
    state (``WindowState``) or the current ticket's (``TicketState``)."""
    if state == WindowState.CLOSED:
        return ""
    if state == WindowState.PAUSED:
        return PAUSED_TEXT
    if state in SHOWING_NUMBER:
        return number or IDLE_TEXT
    if state in set(TicketState):  # done with (completed, no_show ...): the window is free
        return IDLE_TEXT
    raise Refused(f"未知的窗口状态 {state!r}", f"unknown window state {state!r}")


class StripWriter:
    """Keeps one strip showing a window's state, writing only when the text changes, or when
    the link was reopened since (a strip plugged back has lost its text). Options: the frame's
    (see the module) and ``address``, the strip's address (0)."""

    def __init__(self, link: Writable, options: Mapping[str, Any] | None = None) -> None:
        self._link = link
        self._options = dict(options or {})
        self._address = int(self._options.get("address", 0))
        encode_strip("", address=self._address, options=self._options)  # check the options now
        self._shown: str | None = None
        self._connection: int | None = None

    @property
    def shown(self) -> str | None:
        """The text last written successfully (None before the first)."""
        return self._shown

    def show(self, number: str | None, state: str) -> bool:
        """Show the window's state; whether a frame was written. ``DeviceFault`` when the strip
        is gone: the text is then written again on the next call."""
        text = strip_text(number, state)
        connection = getattr(self._link, "connections", None)
        if text == self._shown and connection == self._connection:
            return False
        self._link.write(encode_strip(text, address=self._address, options=self._options))
        self._shown, self._connection = text, connection
        return True

    def forget(self) -> None:
        """Write on the next ``show`` whatever it shows (e.g. after the strip was reset)."""
        self._shown = None
