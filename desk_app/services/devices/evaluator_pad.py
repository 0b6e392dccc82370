"""The evaluation pad's hardware keys (评价器): 非常满意 … 非常不满意 as levels 5 … 1.

Two frames, chosen by ``format`` in the device's options:

``"ascii"`` (the default)
    one character per button; ``keys`` maps a character to a level, by default the digits
    ``"5"`` … ``"1"`` to 5 … 1. Anything else (CR, LF, noise) is ignored.
``"hex"``
    the call-pad's binary frame (``header``, address, key, ``checksum``; see ``callpad``) with
    the key byte as the level; a level outside 1-5 is ignored. The address is not used: one
    pad per port, the window it belongs to is in the device's configuration.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desk_app.services.common.errors import Refused
from desk_app.services.devices.callpad import HEX, HexFramer, option_format

LEVELS = (5, 4, 3, 2, 1)
DEFAULT_KEYS: dict[str, int] = {str(level): level for level in LEVELS}


def level_keys(options: Mapping[str, Any] | None) -> dict[str, int]:
    """The character → level map: ``options["keys"]`` (replacing the default) or the digits."""
    keys = (options or {}).get("keys")
    if keys is None:
        return dict(DEFAULT_KEYS)
    if not isinstance(keys, Mapping) or not all(
        isinstance(k, str) and len(k) == 1 and not isinstance(v, bool) and v in LEVELS
        for k, v in keys.items()
    ):
        raise Refused(
            '评价器按键表应为 {单个字符: 1-5}，如 {"A": 5}',
            'the evaluation pad\'s key map must be {one character: 1-5}, such as {"A": 5}',
        )
    return dict(keys)


class EvaluatorPadParser:
    """Turns the pad's bytes into levels (5 = 非常满意 … 1 = 非常不满意), in order."""

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self.format = option_format(options)
        self._hex = HexFramer(options) if self.format == HEX else None
        self._keys = {ord(k): v for k, v in level_keys(options).items() if ord(k) < 0x100}

    def feed(self, data: bytes) -> list[int]:
        if self._hex is not None:
            return [key for _address, key in self._hex.feed(data) if key in LEVELS]
        return [self._keys[b] for b in data if b in self._keys]


def encode_level(
    level: int, options: Mapping[str, Any] | None = None, *, address: int = 1
) -> bytes:
    """The bytes a pad sends for ``level`` (the simulator's side)."""
    if level not in LEVELS:
        raise Refused(f"评价等级 {level} 应为 1-5", f"evaluation level {level} must be 1-5")
    if option_format(options) == HEX:
        return HexFramer(options).encode(address, level)
    key = next((k for k, v in level_keys(options).items() if v == level), None)
    if key is None or ord(key) >= 0x100:
        raise Refused(
            f"评价器按键表中没有等级 {level} 的按键",
            f"the evaluation pad's key map has no key for level {level}",
        )
    return key.encode("latin-1")
