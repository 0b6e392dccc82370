"""Resident ID, credit code and mobile checks agree with python-stdnum; masks hide the middle."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.cn import ric, uscc

from desk_app.domain.validators import (
    ValidationError,
    mask_credit_code,
    mask_id,
    mask_name,
    mask_phone,
    validate_credit_code,
    validate_mobile,
    validate_resident_id,
)

# GB 11643 written out independently of both implementations under test (domain.md).
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def make_id(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def make_uscc(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return first17 + USCC_ALPHABET[(31 - total % 31) % 31]


# A number whose check character is X (about one in eleven are).
X_ID = next(n for n in (make_id(f"37020219900101{k:03d}") for k in range(100)) if n.endswith("X"))
# Region codes and birth years python-stdnum's place table accepts, so both must say "valid".
VALID_IDS = [
    X_ID,
    *(
        make_id(p)
        for p in [
            "37020219900101123",
            "37021120000229456",  # leap day
            "11010519600101001",
            "44030519851231002",
            "37028520240707003",
            "33011020170315048",
        ]
    ),
]


@pytest.mark.parametrize("number", VALID_IDS)
def test_valid_ids_agree_with_stdnum(number):
    assert ric.is_valid(number)
    assert validate_resident_id(number) == number


def _one_digit_changed(number: str) -> list[str]:
    out = []
    for pos in range(17):
        digit = number[pos]
        other = str((int(digit) + 3) % 10)
        out.append(number[:pos] + other + number[pos + 1 :])
    check = number[-1]
    out.append(number[:-1] + ("0" if check != "0" else "1"))
    return out


@pytest.mark.parametrize("number", [n for v in VALID_IDS[:3] for n in _one_digit_changed(v)])
def test_mistyped_ids_rejected_like_stdnum(number):
    assert not ric.is_valid(number)
    with pytest.raises(ValidationError) as info:
        validate_resident_id(number)
    assert info.value.field == "id_number"


@pytest.mark.parametrize("date", ["19900230", "19901301", "20230229", "19900001", "19000431"])
def test_impossible_birth_date_rejected_like_stdnum(date):
    number = make_id(f"370202{date}123")  # correct check character: only the date is wrong
    assert not ric.is_valid(number)
    with pytest.raises(ValidationError) as info:
        validate_resident_id(number)
    assert "出生日期" in info.value.message_zh and "date" in info.value.message_en


def test_future_birth_date_rejected():
    today = dt.date(2026, 11, 27)
    tomorrow = make_id("37020220261128123")
    with pytest.raises(ValidationError, match="future"):
        validate_resident_id(tomorrow, today=today)
    born_today = make_id("37020220261127123")
    assert validate_resident_id(born_today, today=today) == born_today


def test_old_region_codes_are_accepted_unlike_stdnum():
    # 市南区 370202 dates from 1983 in stdnum's table, but people born earlier got IDs with it
    # in the 1980s: a deliberate divergence (see validators.py).
    number = make_id("37020219500101123")
    assert not ric.is_valid(number)
    assert validate_resident_id(number) == number


def test_id_input_is_normalised():
    number = make_id("37020219900101123")
    spaced = f" {number[:6]} {number[6:14]}-{number[14:]} "
    assert validate_resident_id(spaced) == number
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in number)  # typed with a Chinese IME
    assert validate_resident_id(fullwidth) == number
    assert validate_resident_id(X_ID.lower()) == X_ID


@pytest.mark.parametrize(
    "bad", ["", "37020219900101123", "3702021990010112345", "37020219900101A23X"]
)
def test_malformed_ids_rejected(bad):
    with pytest.raises(ValidationError):
        validate_resident_id(bad)


def test_validation_error_names_the_field():
    with pytest.raises(ValidationError) as info:
        validate_resident_id("123", field="agent_id_number")
    error = info.value
    assert isinstance(error, ValueError)
    assert error.field == "agent_id_number" and error.message_zh and error.message_en
    assert str(error).startswith("agent_id_number: ")


# -- unified social credit code -------------------------------------------------------------------

VALID_USCC = ["91110000600037341L"] + [
    make_uscc(p) for p in ["91370202MA3C12345", "12370000004609730", "92370211MA3N0PQ8R"]
]


@pytest.mark.parametrize("code", VALID_USCC)
def test_valid_credit_codes_agree_with_stdnum(code):
    assert uscc.is_valid(code)
    assert validate_credit_code(code) == code
    assert validate_credit_code(code.lower()) == code


@pytest.mark.parametrize(
    "code",
    [
        c[:pos] + ("1" if c[pos] != "1" else "2") + c[pos + 1 :]
        for c in VALID_USCC
        for pos in (0, 9, 17)
    ],
)
def test_mistyped_credit_codes_rejected_like_stdnum(code):
    assert not uscc.is_valid(code)
    with pytest.raises(ValidationError) as info:
        validate_credit_code(code)
    assert info.value.field == "credit_code"


@pytest.mark.parametrize("code", ["91110000600037341", "9111000060003734IO", "A1110000600037341L"])
def test_malformed_credit_codes_rejected(code):
    assert not uscc.is_valid(code)
    with pytest.raises(ValidationError):
        validate_credit_code(code)


# -- mobile ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["13812341234", "+86 138 1234 1234", "+86-138-1234-1234", "008613812341234", " 138 1234 1234 "],
)
def test_mobile_is_normalised(typed):
    assert validate_mobile(typed) == "13812341234"


@pytest.mark.parametrize(
    "typed", ["", "12812341234", "1381234123", "138123412345", "23812341234", "+85213812341234"]
)
def test_bad_mobiles_rejected(typed):
    with pytest.raises(ValidationError) as info:
        validate_mobile(typed)
    assert info.value.field == "mobile"


# -- masking --------------------------------------------------------------------------------------


def test_masks_of_the_architecture():
    assert mask_id("370202199001011234") == "370202********1234"
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("+86 138-1234-1234") == "138****1234"
    assert mask_credit_code("91370202MA3C12345X") == "913702********345X"


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三丰", "张*丰"),
        ("张三", "张*"),
        ("欧阳娜娜", "欧**娜"),
        ("王", "*"),
        ("", ""),
        (" 李四 ", "李*"),
    ],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize("short", ["1234", "370202", "1381234"])
def test_too_short_values_are_masked_entirely(short):
    for mask in (mask_id, mask_phone, mask_credit_code):
        assert set(mask(short)) == {"*"}
