"""A resident ID card's content (GA 490 机读信息): the ``IdCard`` record, its 256-byte text
record as the reader delivers it, the GB 3304 nation codes, the checks a card must pass, and
a card as JSON (the simulated reader's ``--card FILE``).

The text is UCS-2 little-endian in fixed, space-padded fields (``FIELDS``): name, sex code
(GB/T 2261.1: 1 男, 2 女), nation code (GB 3304), birth, address, ID number, issuer, valid
from, valid to (``YYYYMMDD`` or 长期), reserved. The photo is the card's WLT image, which only
a vendor's decoder turns into a picture: it is kept as bytes, never decoded.

Nothing of a card may reach a log: ``IdCard``'s repr shows the masked name and ID only, and
no error message here carries a field's value.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desk_app.domain import clock
from desk_app.domain.validators import ValidationError, mask_id, mask_name, validate_resident_id
from desk_app.services.common.errors import Refused
from desk_app.services.devices.serial_link import DeviceFault, first_line

TEXT_SIZE = 256
PHOTO_SIZE = 1024
# (field, bytes) in the 256-byte text record, in order (GA 490's 机读文字信息).
FIELDS = (
    ("name", 30),
    ("sex", 2),
    ("nation", 4),
    ("birth", 16),
    ("address", 70),
    ("id_number", 36),
    ("issuer", 30),
    ("valid_from", 16),
    ("valid_to", 16),
    ("reserved", 36),
)
LONG_TERM = "长期"
SEXES = {"1": "男", "2": "女"}

# GB 3304-1991 with the later names (46 德昂, formerly 崩龙; 36 毛南, formerly 毛难), as the card
# prints them (without 族); 97 and 98 are GB 3304's "other" and "of foreign origin".
NATION_NAMES = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 "
    "水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 "
    "乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
)
NATIONS: dict[str, str] = {
    f"{i:02d}": name for i, name in enumerate(NATION_NAMES.split(), start=1)
} | {"97": "其他", "98": "外国血统中国籍人士"}
NATION_CODES = {name: code for code, name in NATIONS.items()}


class FrameError(DeviceFault):
    """The reader's bytes are not a whole, valid frame or card record (bad checksum, cut short,
    garbled): one bilingual line, never a traceback, never the card's content."""


class NoCard(Refused):
    """No card was laid on the reader within the time allowed."""

    def __init__(self) -> None:
        super().__init__("请将身份证放在阅读器上", "no card on the reader: lay the ID card on it")


class CardUnreadable(Refused):
    """A card is there but could not be selected or read (moved, damaged, not an ID card)."""


def truncated() -> FrameError:
    """The error of an answer cut short."""
    return FrameError(
        "身份证阅读器应答不完整（帧被截断）", "the ID card reader's answer was cut short"
    )


@dataclass(frozen=True, repr=False)
class IdCard:
    """What a card holds (GA 490's text record and photo). ``valid_to`` is None for 长期; the
    photo is the card's WLT bytes, undecoded. Its repr shows only the masked name and ID."""

    name: str
    sex: str  # 男 / 女
    nation: str  # the name, as printed: 汉, 蒙古 ...
    birth: dt.date
    address: str
    id_number: str
    issuer: str
    valid_from: dt.date
    valid_to: dt.date | None
    photo: bytes = b""

    def __repr__(self) -> str:
        to = LONG_TERM if self.valid_to is None else self.valid_to.isoformat()
        return (
            f"IdCard(name={mask_name(self.name)!r}, id={mask_id(self.id_number)!r}, "
            f"valid_to={to!r})"
        )

    __str__ = __repr__


def expired(card: IdCard, today: dt.date | None = None) -> bool:
    """Whether the card's validity ended before ``today`` (the hall's date by default); a card
    is valid on its last day, and a 长期 card never expires."""
    return card.valid_to is not None and (today or clock.today()) > card.valid_to


def summary(card: IdCard, today: dt.date | None = None) -> dict[str, Any]:
    """``idcard read --json``: masked name and ID, sex, birth, valid_to (or 长期), expired."""
    return {
        "name_masked": mask_name(card.name),
        "id_masked": mask_id(card.id_number),
        "sex": card.sex,
        "birth": card.birth.isoformat(),
        "valid_to": LONG_TERM if card.valid_to is None else card.valid_to.isoformat(),
        "expired": expired(card, today),
    }


def nation_name(code: str) -> str:
    """The nation's name for its GB 3304 code; an unknown code is kept as it is."""
    return NATIONS.get(code.strip().zfill(2), code.strip())


def nation_code(name: str) -> str:
    """The GB 3304 code of a nation, given as a name (汉 or 汉族) or a code."""
    text = name.strip()
    if text.isdigit() and len(text) <= 2:
        return text.zfill(2)
    code = NATION_CODES.get(text) or NATION_CODES.get(text.removesuffix("族"))
    if code is None:
        raise Refused(f"未知的民族 {text!r}", f"unknown nation {text!r} (GB 3304)")
    return code


def card_date(text: str, what_zh: str, what_en: str) -> dt.date:
    """A card's ``YYYYMMDD`` date; ``FrameError`` naming what it is (never its value)."""
    try:
        if len(text) != 8 or not text.isdigit():
            raise ValueError(text)
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise FrameError(f"身份证{what_zh}无效", f"the card's {what_en} is not a date") from None


def parse_text(text: bytes, photo: bytes = b"") -> IdCard:
    """The card from its 256-byte text record (and photo bytes); ``FrameError`` if garbled."""
    if len(text) != TEXT_SIZE:
        raise FrameError(
            f"身份证文字信息应为 {TEXT_SIZE} 字节，收到 {len(text)}",
            f"the card's text must be {TEXT_SIZE} bytes, got {len(text)}",
        )
    raw: dict[str, str] = {}
    at = 0
    for name, size in FIELDS:
        raw[name] = text[at : at + size].decode("utf-16-le", errors="replace").strip(" \x00")
        at += size
    if raw["sex"] not in SEXES:
        raise FrameError("身份证性别代码无效", "the card's sex code is invalid")
    end = raw["valid_to"]
    return IdCard(
        name=raw["name"],
        sex=SEXES[raw["sex"]],
        nation=nation_name(raw["nation"]),
        birth=card_date(raw["birth"], "出生日期", "birth date"),
        address=raw["address"],
        id_number=raw["id_number"],
        issuer=raw["issuer"],
        valid_from=card_date(raw["valid_from"], "有效期起始日期", "validity start"),
        valid_to=None if end == LONG_TERM else card_date(end, "有效期截止日期", "validity end"),
        photo=bytes(photo),
    )


def card_text(card: IdCard) -> bytes:
    """The 256-byte text record of ``card`` (the inverse of ``parse_text``); ``Refused`` when a
    field does not fit its place."""
    sex_code = {v: k for k, v in SEXES.items()}.get(card.sex)
    if sex_code is None:
        raise Refused(f"性别应为 男 或 女，收到 {card.sex!r}", "sex must be 男 or 女")
    values = {
        "name": card.name,
        "sex": sex_code,
        "nation": nation_code(card.nation),
        "birth": f"{card.birth:%Y%m%d}",
        "address": card.address,
        "id_number": card.id_number,
        "issuer": card.issuer,
        "valid_from": f"{card.valid_from:%Y%m%d}",
        "valid_to": LONG_TERM if card.valid_to is None else f"{card.valid_to:%Y%m%d}",
        "reserved": "",
    }
    out = bytearray()
    for name, size in FIELDS:
        encoded = values[name].encode("utf-16-le")
        if len(encoded) > size:
            raise Refused(
                f"身份证字段 {name} 超长（最多 {size // 2} 字）",
                f"the card's {name} is longer than {size // 2} characters",
            )
        out += encoded + " ".encode("utf-16-le") * ((size - len(encoded)) // 2)
    return bytes(out)


def check_card(card: IdCard, today: dt.date | None = None) -> IdCard:
    """``card`` when its ID number is valid (GB 11643) and agrees with its birth date and sex;
    ``Refused`` otherwise (a card misread, or not a resident ID)."""
    try:
        number = validate_resident_id(card.id_number, today=today)
    except ValidationError as exc:
        raise Refused(
            f"身份证号码无效：{exc.message_zh}", f"invalid ID: {exc.message_en}"
        ) from None
    if number[6:14] != f"{card.birth:%Y%m%d}" or (int(number[16]) % 2 == 1) != (card.sex == "男"):
        raise Refused(
            "身份证号码与出生日期或性别不符，请重新读卡",
            "the ID number disagrees with the birth date or sex: read the card again",
        )
    return card


def card_from_dict(data: Mapping[str, Any]) -> IdCard:
    """A card from its fields as text: dates ``YYYY-MM-DD`` (or ``YYYYMMDD``), ``valid_to`` also
    ``长期`` or null, ``photo`` base64 (optional). The ID number is not checked here: a
    simulated reader may present an invalid card on purpose."""

    def day(key: str) -> dt.date:
        text = str(data.get(key, "")).replace("-", "")
        try:
            return card_date(text, key, key)
        except FrameError:
            raise Refused(
                f"{key} 应为日期 YYYY-MM-DD", f"{key} must be a date YYYY-MM-DD"
            ) from None

    missing = [k for k in ("name", "sex", "birth", "id_number", "valid_from") if not data.get(k)]
    if missing:
        raise Refused(f"身份证缺少字段：{', '.join(missing)}", f"card fields missing: {missing}")
    end = data.get("valid_to")
    try:
        photo = base64.b64decode(str(data.get("photo") or ""), validate=True)
    except ValueError:
        raise Refused("photo 应为 base64", "photo must be base64") from None
    card = IdCard(
        name=str(data["name"]),
        sex=str(data["sex"]),
        nation=nation_name(nation_code(str(data.get("nation") or "汉"))),
        birth=day("birth"),
        address=str(data.get("address", "")),
        id_number=str(data["id_number"]).upper(),
        issuer=str(data.get("issuer", "")),
        valid_from=day("valid_from"),
        valid_to=None if end in (None, "", LONG_TERM) else day("valid_to"),
        photo=photo,
    )
    card_text(card)  # refuse what would not fit on a card
    return card


def card_to_dict(card: IdCard) -> dict[str, Any]:
    """The inverse of ``card_from_dict`` (for a card file; never for a log)."""
    return {
        "name": card.name,
        "sex": card.sex,
        "nation": card.nation,
        "birth": card.birth.isoformat(),
        "address": card.address,
        "id_number": card.id_number,
        "issuer": card.issuer,
        "valid_from": card.valid_from.isoformat(),
        "valid_to": LONG_TERM if card.valid_to is None else card.valid_to.isoformat(),
        "photo": base64.b64encode(card.photo).decode("ascii"),
    }


def card_from_json(path: str | Path) -> IdCard:
    """A card from a JSON file of ``card_from_dict``'s fields (``device simulate idcard
    --card FILE``)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise Refused(
            f"无法读取身份证文件 {path}：{first_line(exc)}",
            f"cannot read card file {path}: {first_line(exc)}",
        ) from None
    if not isinstance(data, dict):
        raise Refused(f"{path} 应为 JSON 对象", f"{path} must hold a JSON object")
    return card_from_dict(data)
