"""The hall's devices as the registry knows them: their kinds, names and targets (contracts.md
"Devices"). Pure: what a valid device entry is; the adapters that talk to the devices are in
services/devices.

Targets by kind:

- ``printer``: an OS printer's name (Qt's ``QPrinterInfo``), e.g. ``HP LaserJet 1020``;
- ``escpos``: ``usb:VID:PID`` (hex), a serial port (``/dev/ttyUSB0``, ``COM3``),
  ``tcp:HOST[:PORT]`` (9100 by default) or ``file:PATH`` (the simulated twin);
- ``idcard``, ``evaluator``, ``strip``, ``callpad``: a serial port, or ``sdk:PATH`` for an ID
  card reader's vendor DLL; a strip and an evaluator belong to a window;
- ``camera``: a Qt camera id or ``folder:PATH`` (a scanner's drop folder).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from desk_app.domain.errors import Refused


class DeviceKind(StrEnum):
    PRINTER = "printer"
    ESCPOS = "escpos"
    IDCARD = "idcard"
    EVALUATOR = "evaluator"
    STRIP = "strip"
    CALLPAD = "callpad"
    CAMERA = "camera"


class DeviceState(StrEnum):
    UNKNOWN = "unknown"  # never started or tested on its PC
    OK = "ok"
    FAULT = "fault"  # the last attempt failed: the detail says why (shown to the supervisor)


# Devices mounted at one window: their window number is required.
AT_A_WINDOW = frozenset({DeviceKind.EVALUATOR, DeviceKind.STRIP})
NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
SERIAL_PORT = re.compile(r"(/dev/[A-Za-z0-9_./-]{1,60}|COM[1-9][0-9]{0,2}|\\\\\.\\COM[0-9]{1,3})")
OPTIONS_MAX = 2000  # characters of the options' JSON


@dataclass(frozen=True)
class DeviceSpec:
    name: str
    kind: DeviceKind
    target: str
    window: int | None
    options: dict[str, Any]


def check_spec(
    name: str, kind: str, target: str, window: int | None, options: str | dict[str, Any] | None
) -> DeviceSpec:
    """A device entry as the registry stores it, or a bilingual refusal saying what is wrong."""
    if not NAME.fullmatch(name or ""):
        raise Refused(
            f"设备名称须为 1-32 位小写字母、数字、- 或 _: {name!r}",
            f"a device name is 1-32 lowercase letters, digits, - or _: {name!r}",
        )
    try:
        k = DeviceKind(kind)
    except ValueError:
        kinds = "|".join(x.value for x in DeviceKind)
        raise Refused(
            f"未知的设备类型 {kind!r} ({kinds})", f"unknown kind {kind!r} ({kinds})"
        ) from None
    target = (target or "").strip()
    problem = target_problem(k, target)
    if problem:
        raise Refused(f"设备地址无效: {problem}", f"bad target: {problem}")
    if k in AT_A_WINDOW and window is None:
        raise Refused(f"{k.value} 须指定窗口 (--window N)", f"a {k.value} needs its --window N")
    if window is not None and not 1 <= window <= 999:
        raise Refused("窗口号须在 1-999 之间", "window must be 1..999")
    if isinstance(options, str):
        if len(options) > OPTIONS_MAX:
            raise Refused("设备参数过长", f"options longer than {OPTIONS_MAX} characters")
        try:
            parsed = json.loads(options or "{}")
        except ValueError:
            raise Refused("设备参数须为 JSON 对象", "options must be a JSON object") from None
    else:
        parsed = dict(options or {})
    if not isinstance(parsed, dict):
        raise Refused("设备参数须为 JSON 对象", "options must be a JSON object")
    return DeviceSpec(name, k, target, window, parsed)


def target_problem(kind: DeviceKind, target: str) -> str | None:
    """Why ``target`` cannot address a device of ``kind`` (None when it can)."""
    if not target or len(target) > 200 or any(ord(c) < 32 for c in target):
        return f"{target!r}: empty, too long or with control characters"
    if kind is DeviceKind.PRINTER:
        return None  # any name the OS gives a printer
    if kind is DeviceKind.CAMERA:
        return (
            None
            if target.startswith("folder:") or re.fullmatch(r"[\w .:/-]+", target)
            else (f"{target!r}: a camera id or folder:PATH")
        )
    if kind is DeviceKind.ESCPOS:
        if re.fullmatch(r"usb:[0-9a-fA-F]{4}:[0-9a-fA-F]{4}", target):
            return None
        if re.fullmatch(r"tcp:[A-Za-z0-9.-]{1,100}(:[0-9]{1,5})?", target):
            return None
        if target.startswith("file:") and len(target) > 5:
            return None
        if SERIAL_PORT.fullmatch(target):
            return None
        return f"{target!r}: usb:VID:PID, a serial port, tcp:HOST[:PORT] or file:PATH"
    if kind is DeviceKind.IDCARD and target.startswith("sdk:") and len(target) > 4:
        return None
    if SERIAL_PORT.fullmatch(target):
        return None
    return f"{target!r}: a serial port such as /dev/ttyUSB0 or COM3"
