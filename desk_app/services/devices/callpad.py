"""The call-pad receiver (呼叫器): wireless pads at each window, one receiver on a serial port.

The receiver reports each key press as (window address, key). Vendors differ, so the frame is
chosen by the device's options:

``format: "ascii"`` (the default)
    one press per line, ``W03K1`` or ``3,1`` (window, key), ended by CR and/or LF. A line that
    is not a press (noise, a receiver's banner) is skipped; noise before a press on its line is
    tolerated.
``format: "hex"``
    ``header`` (default ``AA 55``), address byte, key byte, then a checksum byte: ``checksum``
    ``"xor"`` (address XOR key, the default), ``"sum"`` (address + key, mod 256) or ``"none"``
    (no checksum byte). A frame whose checksum is wrong is dropped and the parser looks for the
    next header from the byte after the bad one's start, so one corrupt byte costs one press.
    The key byte is reported as its decimal text (0x01 is key ``"1"``).

``keys`` maps a key to an action (``DEFAULT_KEYMAP`` when absent); ``action_of`` looks a press
up. The actions are the ones a window's keyboard has; what they do is the queue's business.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desk_app.services.common.errors import Refused

ASCII = "ascii"
HEX = "hex"
FORMATS = (ASCII, HEX)
CHECKSUMS = ("xor", "sum", "none")
DEFAULT_HEADER = b"\xaa\x55"
DEFAULT_KEYMAP: dict[str, str] = {
    "1": "call_next",
    "2": "recall",
    "3": "no_show",
    "4": "pause",
    "5": "evaluate",
}
MAX_LINE = 256  # a "line" longer than this without an end is noise: keep only its tail
MAX_WINDOW = 999  # three digits on the pads' displays; the hex frame carries 0-255

# The press at the end of a line: "W03K1" (letters in either case) or "3,1"; a digit just
# before the window number would make it a different number, so it may not be noise.
_PRESS = re.compile(
    rb"(?:[Ww](?P<w1>\d{1,3})[Kk](?P<k1>[0-9A-Za-z*#]{1,2})"
    rb"|(?<!\d)(?P<w2>\d{1,3})\s*,\s*(?P<k2>[0-9A-Za-z*#]{1,2}))\s*$"
)


@dataclass(frozen=True)
class KeyPress:
    """One key pressed on the pad of window ``window``."""

    window: int
    key: str


def option_format(options: Mapping[str, Any] | None) -> str:
    fmt = str((options or {}).get("format", ASCII)).lower()
    if fmt not in FORMATS:
        raise Refused(
            f"帧格式 {fmt!r} 无效，可选 ascii、hex",
            f"frame format {fmt!r} is neither ascii nor hex",
        )
    return fmt


def header_bytes(value: object) -> bytes:
    """A frame header from the options: bytes, a list of byte values, or hex text such as
    ``"AA 55"``, ``"aa55"`` or ``"0xAA,0x55"``."""
    if value is None:
        return DEFAULT_HEADER
    try:
        if isinstance(value, bytes | bytearray):
            header = bytes(value)
        elif isinstance(value, list | tuple):
            header = bytes(int(v) for v in value)
        else:
            text = re.sub(r"0[xX]|[\s,:;-]", "", str(value))
            header = bytes.fromhex(text)
    except (ValueError, TypeError):
        header = b""
    if not 1 <= len(header) <= 8:
        raise Refused(
            f"帧头 {value!r} 无效，应为 1-8 个十六进制字节，如 AA 55",
            f"frame header {value!r} is not 1-8 hex bytes such as AA 55",
        )
    return header


def checksum_of(options: Mapping[str, Any] | None) -> str:
    kind = str((options or {}).get("checksum", "xor")).lower()
    if kind not in CHECKSUMS:
        raise Refused(
            f"校验方式 {kind!r} 无效，可选 xor、sum、none",
            f"checksum {kind!r} is not one of xor, sum, none",
        )
    return kind


def keymap_of(options: Mapping[str, Any] | None) -> dict[str, str]:
    """The key → action map: ``options["keys"]`` replaces the default whole (a vendor's pad
    has its own keys); keys are compared in upper case."""
    keys = (options or {}).get("keys")
    if keys is None:
        return dict(DEFAULT_KEYMAP)
    if not isinstance(keys, Mapping) or not all(
        isinstance(k, str | int) and isinstance(v, str) and v for k, v in keys.items()
    ):
        raise Refused(
            '按键表应为 {按键: 动作}，如 {"1": "call_next"}',
            'the key map must be {key: action}, such as {"1": "call_next"}',
        )
    return {str(k).upper(): v for k, v in keys.items()}


def action_of(press: KeyPress, keymap: Mapping[str, str] | None = None) -> str | None:
    """What the press asks for (``call_next``, ``recall`` ...); None for a key with no action."""
    return (DEFAULT_KEYMAP if keymap is None else keymap).get(press.key.upper())


class HexFramer:
    """The binary frame, header + address + key [+ checksum], as a resynchronising stream
    decoder and an encoder; the evaluation pad's hex option uses it too."""

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        options = options or {}
        self.header = header_bytes(options.get("header"))
        self.checksum = checksum_of(options)
        self.size = len(self.header) + (2 if self.checksum == "none" else 3)
        self._buffer = bytearray()

    def check(self, address: int, key: int) -> int:
        return (address ^ key) if self.checksum == "xor" else (address + key) & 0xFF

    def encode(self, address: int, key: int) -> bytes:
        for name, value in (("address", address), ("key", key)):
            if not 0 <= value <= 0xFF:
                raise Refused(
                    f"{'地址' if name == 'address' else '按键'} {value} 超出 0-255",
                    f"{name} {value} is outside 0-255",
                )
        tail = b"" if self.checksum == "none" else bytes([self.check(address, key)])
        return self.header + bytes([address, key]) + tail

    def feed(self, data: bytes) -> list[tuple[int, int]]:
        """The (address, key) of every whole, valid frame so far; a partial one is kept."""
        buf = self._buffer
        buf += data
        found: list[tuple[int, int]] = []
        start = 0
        while True:
            at = buf.find(self.header, start)
            if at < 0:
                # keep only what could still be the start of a header
                keep = len(self.header) - 1
                start = max(start, len(buf) - keep) if keep else len(buf)
                break
            if len(buf) - at < self.size:
                start = at  # wait for the rest of this frame
                break
            body = at + len(self.header)
            address, key = buf[body], buf[body + 1]
            if self.checksum != "none" and buf[body + 2] != self.check(address, key):
                start = at + 1  # resynchronise: the next header may begin inside this frame
                continue
            found.append((address, key))
            start = at + self.size
        del buf[:start]
        return found


class CallpadParser:
    """Turns the receiver's bytes into ``KeyPress``es; feed it whatever the port delivers
    (frames may arrive split or several at once)."""

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self.format = option_format(options)
        self._hex = HexFramer(options) if self.format == HEX else None
        self._line = bytearray()

    def feed(self, data: bytes) -> list[KeyPress]:
        if self._hex is not None:
            return [KeyPress(address, str(key)) for address, key in self._hex.feed(data)]
        presses: list[KeyPress] = []
        self._line += data
        *lines, rest = re.split(rb"[\r\n]", bytes(self._line))
        for line in lines:
            press = parse_line(line)
            if press is not None:
                presses.append(press)
        self._line = bytearray(rest[-MAX_LINE:])
        return presses


def parse_line(line: bytes) -> KeyPress | None:
    """The press an ASCII line ends with, or None."""
    match = _PRESS.search(line)
    if match is None:
        return None
    window = int(match["w1"] or match["w2"])
    key = (match["k1"] or match["k2"]).decode("ascii").upper()
    return KeyPress(window, key) if window <= MAX_WINDOW else None


def encode_press(window: int, key: str, options: Mapping[str, Any] | None = None) -> bytes:
    """The bytes a receiver sends for a press (the simulator's side): ``W03K1\\r\\n`` in the
    ASCII format; header, address, key and checksum in the hex one (the key as a number)."""
    if option_format(options) == HEX:
        try:
            code = int(key)
        except ValueError:
            raise Refused(
                f"十六进制帧的按键须为 0-255 的数字，收到 {key!r}",
                f"a hex frame's key must be a number 0-255, not {key!r}",
            ) from None
        return HexFramer(options).encode(window, code)
    if not 0 <= window <= MAX_WINDOW or not re.fullmatch(r"[0-9A-Za-z*#]{1,2}", key):
        raise Refused(
            f"窗口 {window} 或按键 {key!r} 无法编码（窗口 0-999，按键 1-2 个字母数字）",
            f"cannot encode window {window} or key {key!r} (window 0-999, key 1-2 letters/digits)",
        )
    return f"W{window:02d}K{key.upper()}\r\n".encode("ascii")
