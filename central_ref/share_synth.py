"""Plausible field values for the shared-data records of demos, tests and benchmarks.

``generate(resource, kind, id_number, name, today)`` makes one record's field values from a
random generator seeded by the resource and the subject's ID (SHA-256 of both), so the same
subject gets the same hospital, amounts and serial numbers every time; dates are counted back
(or forward) from ``today``. The seed never leaves this function and nothing here is stored.

A field's ``gen`` (share_resources) is one of:

``holder``            the subject's name (a person's or a company's)
``idm``               the subject's ID masked (3702**********1234)
``sex`` / ``birth``   what a resident ID encodes (a company's: empty)
``person``            a Chinese personal name (``person:m`` a man's, ``person:f`` a woman's)
``company``           a company name; ``addr`` an address; ``plate`` a licence plate
``pick:A|B|C``        one of the choices (repeat one to weight it)
``int:LO:HI``         an integer; ``money:LO:HI`` yuan with two decimals; ``dec:LO:HI`` one decimal
``date:LO:HI``        a date LO to HI days before ``today``; ``until:LO:HI`` LO to HI days after
``ym:LO:HI``          the year-month LO to HI months before ``today``
``serial:PREFIX:N``   the prefix and N digits
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta

from stdnum.cn import ric

from central_ref.share_resources import Resource, masked

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
GIVEN_MALE = "伟强磊军洋勇杰涛明超辉鹏华飞刚建国志宏浩宇博文"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞玲婷雪慧莹欣怡佳琳雨晨悦"
ROADS = (
    "香港中路",
    "东海西路",
    "延安三路",
    "辽阳西路",
    "长江中路",
    "正阳路",
    "黑龙江南路",
    "山东路",
)
DISTRICTS = ("市南区", "市北区", "李沧区", "崂山区", "城阳区", "黄岛区")
COMPANY_WORDS = ("海润", "恒信", "华辰", "鑫源", "东方", "蓝海", "正泰", "瑞丰", "中科", "汇通")
COMPANY_TRADES = ("科技", "建设工程", "商贸", "物流", "食品", "机械制造", "信息技术", "环保")


def rng_for(resource: str, id_number: str) -> random.Random:
    """The generator of one subject's record in one resource (deterministic, never stored)."""
    seed = hashlib.sha256(f"share-synth:{resource}:{id_number}".encode()).digest()
    return random.Random(int.from_bytes(seed[:16], "big"))


def person_name(rng: random.Random, female: bool | None = None) -> str:
    if female is None:
        female = rng.random() < 0.5
    given = GIVEN_FEMALE if female else GIVEN_MALE
    return rng.choice(SURNAMES) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2))))


def company_name(rng: random.Random) -> str:
    return f"青岛{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_TRADES)}有限公司"


def address(rng: random.Random) -> str:
    return (
        f"{rng.choice(DISTRICTS)}{rng.choice(ROADS)}{rng.randint(1, 300)}号"
        f"{rng.randint(1, 30)}号楼{rng.randint(1, 6)}单元{rng.randint(101, 2802)}户"
    )


def subject_name(kind: str, id_number: str) -> str:
    """A name for a subject that has none (synthetic mode): a person's matches the ID's sex."""
    rng = rng_for("name", id_number)
    if kind == "company":
        return company_name(rng)
    return person_name(rng, female=int(id_number[16]) % 2 == 0)


def _value(spec: str, rng: random.Random, kind: str, id_number: str, name: str, today: date) -> str:
    op, _, arg = spec.partition(":")
    person = kind == "person"
    if op == "holder":
        return name
    if op == "idm":
        return masked(id_number)
    if op == "sex":
        return ("男" if int(id_number[16]) % 2 else "女") if person else ""
    if op == "birth":
        return ric.get_birth_date(id_number).isoformat() if person else ""
    if op == "person":
        return person_name(rng, {"m": False, "f": True}.get(arg))
    if op == "company":
        return company_name(rng)
    if op == "addr":
        return address(rng)
    if op == "plate":
        letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
        return f"鲁B·{rng.choice(letters)}{rng.randint(1000, 9999)}"
    if op == "pick":
        return rng.choice(arg.split("|"))
    if op == "serial":
        prefix, _, digits = arg.rpartition(":")
        return prefix + "".join(str(rng.randint(0, 9)) for _ in range(int(digits)))
    low, high = (int(x) for x in arg.split(":"))
    if op == "int":
        return str(rng.randint(low, high))
    if op == "money":
        return f"{rng.randint(low * 100, high * 100) / 100:.2f}"
    if op == "dec":
        return f"{rng.randint(low * 10, high * 10) / 10:.1f}"
    if op == "date":
        return (today - timedelta(days=rng.randint(low, high))).isoformat()
    if op == "until":
        return (today + timedelta(days=rng.randint(low, high))).isoformat()
    if op == "ym":
        months = today.year * 12 + today.month - 1 - rng.randint(low, high)
        return f"{months // 12:04d}-{months % 12 + 1:02d}"
    raise ValueError(f"unknown field generator {spec!r}")


def generate(
    resource: Resource, kind: str, id_number: str, name: str, today: date
) -> dict[str, str]:
    """One record's field values (key -> text), in the resource's field order."""
    rng = rng_for(resource.code, id_number)
    return {f.key: _value(f.gen, rng, kind, id_number, name, today) for f in resource.fields}


def licence_number(resource: Resource, id_number: str) -> str:
    """A licence's number: the department's prefix letters and 14 digits (never the ID)."""
    rng = rng_for(f"{resource.code}:number", id_number)
    prefix = "".join(w[0] for w in resource.department.split("_")).upper()
    return prefix + "".join(str(rng.randint(0, 9)) for _ in range(14))


def issued_on(resource: Resource, values: dict[str, str], id_number: str, today: date) -> date:
    """When the licence was issued: on the record's latest past event (``date:`` fields), else
    some day in the last four years."""
    events = [
        date.fromisoformat(values[f.key]) for f in resource.fields if f.gen.startswith("date:")
    ]
    if events:
        return max(events)
    return today - timedelta(days=rng_for(f"{resource.code}:issued", id_number).randint(30, 1500))
