"""The vendor SDK route to an ID card reader (a device target ``sdk:PATH``), through ctypes:
for readers that come with a Windows DLL only, such as USB readers. Windows only; elsewhere
``Refused``. Ports: 1-16 are COM1-16, 1001-1016 the USB readers (1001 the first).

Two interfaces are common; both are ``__stdcall`` (``WinDLL``):

``sdtapi.dll`` (the SAM interface as functions)
    ``SDT_OpenPort(port)`` → 0x90; ``SDT_StartFindIDCard(port, iin, 0)`` → 0x9F (0x80: no
    card); ``SDT_SelectIDCard(port, sn, 0)`` → 0x90; ``SDT_ReadBaseMsg(port, text, &text_len,
    photo, &photo_len, 0)`` → 0x90 with the card's raw 256-byte text and 1024-byte photo;
    ``SDT_ClosePort(port)``. Used whenever the DLL has ``SDT_ReadBaseMsg``: the text is the
    card's own UCS-2 (no loss through GBK) and the photo's WLT bytes are kept.
``termb.dll`` (华视 CVR and compatibles)
    ``CVR_InitComm(port)`` → 1; ``CVR_Authenticate()`` → 1 once a card is found and selected;
    ``CVR_Read_Content(4)`` → 1; then ``GetPeopleName(buf, &len)``, ``GetPeopleSex`` ...
    ``GetEndDate``, each a GBK string (dates ``YYYYMMDD``, sex 男/女, nation a name);
    ``CVR_CloseComm()``. The photo stays with the SDK (it writes its own files): ``photo`` is
    empty.

Give the DLL's full path: its companions (``termb.dll`` loads ``sdtapi.dll``; ``WltRS.dll``
decodes photos) are then found in its folder. A 32-bit DLL needs a 32-bit Python.

Every function's argument types are declared before its first call, so that ctypes passes
what the DLL expects (an ``int`` port, buffers, pointers to the lengths) on 32- and 64-bit
Python alike; buffers are far larger than any field, so a DLL cannot write past them.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import os
import re
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from desk_app.services.common.errors import Refused
from desk_app.services.devices.idcard_card import (
    LONG_TERM,
    PHOTO_SIZE,
    TEXT_SIZE,
    CardUnreadable,
    FrameError,
    IdCard,
    NoCard,
    card_date,
    check_card,
    nation_code,
    nation_name,
    parse_text,
)
from desk_app.services.devices.serial_link import DeviceFault, first_line

DEFAULT_PORT = 1001
SDT_OK = 0x90
SDT_FOUND = 0x9F
CVR_OK = 1
CVR_READ_ALL = 4  # CVR_Read_Content's "active": text and photo
BUFFER = 4096  # every out-buffer: far more than any field (text 256, photo 1024)
FIND_INTERVAL_S = 0.1

SDTAPI: dict[str, Sequence[Any]] = {
    "SDT_OpenPort": [ctypes.c_int],
    "SDT_ClosePort": [ctypes.c_int],
    "SDT_StartFindIDCard": [ctypes.c_int, ctypes.c_char_p, ctypes.c_int],
    "SDT_SelectIDCard": [ctypes.c_int, ctypes.c_char_p, ctypes.c_int],
    "SDT_ReadBaseMsg": [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.POINTER(ctypes.c_uint),
        ctypes.c_char_p,
        ctypes.POINTER(ctypes.c_uint),
        ctypes.c_int,
    ],
}
TERMB_FIELDS = {  # IdCard field: termb getter
    "name": "GetPeopleName",
    "sex": "GetPeopleSex",
    "nation": "GetPeopleNation",
    "birth": "GetPeopleBirthday",
    "address": "GetPeopleAddress",
    "id_number": "GetPeopleIDCode",
    "issuer": "GetDepartment",
    "valid_from": "GetStartDate",
    "valid_to": "GetEndDate",
}
TERMB: dict[str, Sequence[Any]] = {
    "CVR_InitComm": [ctypes.c_int],
    "CVR_Authenticate": [],
    "CVR_Read_Content": [ctypes.c_int],
    "CVR_CloseComm": [],
    **{getter: [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)] for getter in TERMB_FIELDS.values()},
}


def load_sdk(dll_path: str) -> Any:
    """The vendor's DLL, loaded as ``__stdcall``; ``Refused`` off Windows, ``DeviceFault`` when
    it cannot be loaded (missing, or 32-bit under a 64-bit Python)."""
    if sys.platform != "win32":
        raise Refused(
            "身份证阅读器厂商 SDK 仅在 Windows 上可用，请改用串口阅读器",
            "the ID card reader's vendor SDK is Windows-only: use a serial reader",
        )
    try:  # an absolute path: Windows then finds the DLLs it needs in its own folder
        return ctypes.WinDLL(os.path.abspath(dll_path))
    except OSError as exc:
        raise DeviceFault(
            f"无法加载身份证阅读器 SDK {dll_path}（{first_line(exc)}），请检查文件及 32/64 位",
            f"cannot load the ID card reader SDK {dll_path} ({first_line(exc)}): "
            "check the file and that it matches Python's 32/64 bits",
        ) from None


def read_card_sdk(
    dll_path: str,
    port: int = DEFAULT_PORT,
    *,
    timeout: float = 3.0,
    today: dt.date | None = None,
) -> IdCard:
    """Read the card through the vendor's DLL at ``dll_path`` (see the module's docstring);
    the same errors as ``idcard.read_card``."""
    return read_with_sdk(load_sdk(dll_path), port, timeout=timeout, today=today)


def read_with_sdk(
    lib: Any, port: int = DEFAULT_PORT, *, timeout: float = 3.0, today: dt.date | None = None
) -> IdCard:
    """Read the card through a loaded SDK (or anything with its functions, in tests)."""
    read = _read_sdtapi if hasattr(lib, "SDT_ReadBaseMsg") else _read_termb
    return check_card(read(lib, port, timeout), today)


def declare(lib: Any, table: Mapping[str, Sequence[Any]]) -> None:
    """Give each function of ``table`` its argument types and an ``int`` result."""
    for name, argtypes in table.items():
        try:
            function = getattr(lib, name)
        except AttributeError:
            raise DeviceFault(
                f"身份证阅读器 SDK 缺少函数 {name}，请检查 sdk: 路径",
                f"the ID card reader SDK lacks {name}: check the sdk: path",
            ) from None
        function.argtypes = list(argtypes)
        function.restype = ctypes.c_int


def _read_sdtapi(lib: Any, port: int, timeout: float) -> IdCard:
    declare(lib, SDTAPI)
    if lib.SDT_OpenPort(port) != SDT_OK:
        raise _port_fault(port)
    try:
        scratch = ctypes.create_string_buffer(BUFFER)  # the card's IIN, then its serial number
        _wait_for_card(lambda: lib.SDT_StartFindIDCard(port, scratch, 0) == SDT_FOUND, timeout)
        status = lib.SDT_SelectIDCard(port, scratch, 0)
        if status != SDT_OK:
            raise _unreadable(f"{status:#04x}")
        text, photo = ctypes.create_string_buffer(BUFFER), ctypes.create_string_buffer(BUFFER)
        text_len, photo_len = ctypes.c_uint(0), ctypes.c_uint(0)
        status = lib.SDT_ReadBaseMsg(
            port, text, ctypes.pointer(text_len), photo, ctypes.pointer(photo_len), 0
        )
        if status != SDT_OK:
            raise _unreadable(f"{status:#04x}")
    finally:
        lib.SDT_ClosePort(port)
    size = photo_len.value if 0 < photo_len.value <= BUFFER else PHOTO_SIZE
    return parse_text(text.raw[:TEXT_SIZE], photo.raw[:size])


def _read_termb(lib: Any, port: int, timeout: float) -> IdCard:
    declare(lib, TERMB)
    if lib.CVR_InitComm(port) != CVR_OK:
        raise _port_fault(port)
    try:
        _wait_for_card(lambda: lib.CVR_Authenticate() == CVR_OK, timeout)
        status = lib.CVR_Read_Content(CVR_READ_ALL)
        if status != CVR_OK:
            raise _unreadable(str(status))
        got = {key: _text(getattr(lib, getter)) for key, getter in TERMB_FIELDS.items()}
    finally:
        lib.CVR_CloseComm()
    sex = {"1": "男", "2": "女"}.get(got["sex"], got["sex"])
    if sex not in ("男", "女"):
        raise FrameError("身份证性别无效", "the card's sex is invalid")
    try:
        nation = nation_name(nation_code(got["nation"]))
    except Refused:
        nation = got["nation"]  # a name the table does not know: as the SDK said it
    end = got["valid_to"]
    return IdCard(
        name=got["name"],
        sex=sex,
        nation=nation,
        birth=_day(got["birth"], "出生日期", "birth date"),
        address=got["address"],
        id_number=got["id_number"].upper(),
        issuer=got["issuer"],
        valid_from=_day(got["valid_from"], "有效期起始日期", "validity start"),
        valid_to=None if end == LONG_TERM else _day(end, "有效期截止日期", "validity end"),
    )


def _text(getter: Any) -> str:
    """One termb field: a GBK string written into a buffer, its length through a pointer."""
    buffer, length = ctypes.create_string_buffer(BUFFER), ctypes.c_int(BUFFER)
    getter(buffer, ctypes.pointer(length))
    return buffer.value.decode("gbk", errors="replace").strip()


def _day(text: str, what_zh: str, what_en: str) -> dt.date:
    return card_date(re.sub(r"\D", "", text), what_zh, what_en)  # 20240101 or 2024.01.01


def _wait_for_card(found: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not found():
        left = deadline - time.monotonic()
        if left <= 0:
            raise NoCard()
        time.sleep(min(FIND_INTERVAL_S, left))


def _port_fault(port: int) -> DeviceFault:
    return DeviceFault(
        f"身份证阅读器 SDK 无法打开端口 {port}，请检查连接和驱动（USB 为 1001 起）",
        f"the ID card reader SDK cannot open port {port}: check the cable and driver "
        "(USB ports start at 1001)",
    )


def _unreadable(status: str) -> CardUnreadable:
    return CardUnreadable(
        f"身份证读取失败（SDK 返回 {status}），请将身份证重新放好",
        f"the card could not be read (SDK returned {status}): lay it again",
    )
