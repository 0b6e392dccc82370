"""Checks of identifiers the windows type in, and their masked display (domain.md "Validation").

Each ``validate_*`` returns the normalised value or raises ValidationError(field, message_zh,
message_en). Masks never reveal more than the architecture allows in lists
(``370202********1234``, ``138****1234``).

Resident ID: python-stdnum's ``cn.ric`` does the format, check character and birth date, but its
``validate`` also checks the first six digits against a table of counties *as of the birth year*.
That rejects real people: Qingdao's 市南区 code 370202 dates from 1983 in the table, so every
ID ``370202195x...`` issued in the 1980s to someone born before 1983 fails. GB 11643 and
domain.md do not ask for a place check, so we use stdnum's pieces without ``get_birth_place``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.util import isdigits

from desk_app.domain import clock

# Dates a hall works with: nothing before 2000 or after 2100 means anything here (a slip of the
# keyboard, or a probe: 0001-01-01 and 9999-12-31 overflow both databases' date arithmetic).
SANE_FIRST = dt.date(2000, 1, 1)
SANE_LAST = dt.date(2100, 12, 31)


def sane_date(day: dt.date) -> bool:
    """Whether ``day`` lies in the hall's window of dates, :data:`SANE_FIRST` .. :data:`SANE_LAST`."""
    return SANE_FIRST <= day <= SANE_LAST


def date_window_message(what_zh: str, what_en: str, text: str) -> tuple[str, str]:
    """The one-line refusal (Chinese, English) of a date outside the window."""
    return (
        f"{what_zh}应在 {SANE_FIRST} 至 {SANE_LAST} 之间: {text}",
        f"{what_en} must lie between {SANE_FIRST} and {SANE_LAST}: {text}",
    )


def _compact(value: str) -> str:
    """Full-width characters (typed with a Chinese IME) to ASCII; spaces and hyphens removed."""
    text = unicodedata.normalize("NFKC", value or "")
    return re.sub(r"[\s\-]", "", text).upper()


class ValidationError(ValueError):
    """A value the window typed is not valid; messages in Chinese and English."""

    def __init__(self, field: str, message_zh: str, message_en: str) -> None:
        super().__init__(f"{field}: {message_zh} / {message_en}")
        self.field = field
        self.message_zh = message_zh
        self.message_en = message_en


def validate_resident_id(
    value: str, *, field: str = "id_number", today: dt.date | None = None
) -> str:
    """The 18-character resident ID (GB 11643), upper-case X, or ValidationError.

    Checks length, digits, the check character, and that digits 7-14 are a real date not after
    ``today`` (default: the system date). The region code is not checked (see module doc).
    """
    number = _compact(value)
    if len(number) != 18:
        raise ValidationError(field, "身份证号码应为18位", "resident ID must have 18 characters")
    if not isdigits(number[:-1]) or not (number[-1].isdigit() or number[-1] == "X"):
        raise ValidationError(
            field, "身份证号码前17位应为数字,末位为数字或X", "resident ID: 17 digits then 0-9 or X"
        )
    if number[-1] != ric.calc_check_digit(number):
        raise ValidationError(
            field, "身份证号码校验位不正确,请核对", "resident ID check character is wrong"
        )
    try:
        born = ric.get_birth_date(number)
    except StdnumError:
        raise ValidationError(
            field, "身份证号码中的出生日期无效", "resident ID birth date is not a real date"
        ) from None
    if born > (today or clock.today()):
        raise ValidationError(
            field, "身份证号码中的出生日期晚于今天", "resident ID birth date is in the future"
        )
    return number


def validate_credit_code(value: str, *, field: str = "credit_code") -> str:
    """The 18-character unified social credit code (GB 32100), upper-case, or ValidationError."""
    try:
        return uscc.validate(_compact(value))
    except StdnumError as exc:
        kind = type(exc).__name__
        zh = {
            "InvalidLength": "统一社会信用代码应为18位",
            "InvalidChecksum": "统一社会信用代码校验位不正确,请核对",
        }.get(kind, "统一社会信用代码含有无效字符")
        raise ValidationError(field, zh, f"unified social credit code: {exc}") from None


_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def validate_mobile(value: str, *, field: str = "mobile") -> str:
    """An 11-digit mainland mobile number, after removing +86/0086, spaces and hyphens."""
    number = _compact(value)
    for prefix in ("+86", "0086"):
        if number.startswith(prefix):
            number = number[len(prefix) :]
            break
    if not _MOBILE_RE.match(number):
        raise ValidationError(
            field,
            "手机号码应为以1开头的11位数字(第二位3-9)",
            "mainland mobile: 11 digits starting 13-19",
        )
    return number


def _mask(value: str, keep_start: int, keep_end: int) -> str:
    """Keep the ends, star the middle; too short to keep both ends safely: star everything."""
    text = value.strip()
    if len(text) < keep_start + keep_end + 4:  # at least 4 hidden characters, or hide all
        return "*" * len(text)
    return text[:keep_start] + "*" * (len(text) - keep_start - keep_end) + text[-keep_end:]


def mask_id(value: str) -> str:
    """Region code and last four: ``370202199001011234`` -> ``370202********1234``."""
    return _mask(_compact(value), 6, 4)


def mask_phone(value: str) -> str:
    """First three and last four: ``13812341234`` -> ``138****1234`` (``+86`` etc. removed)."""
    try:
        number = validate_mobile(value)
    except ValidationError:
        number = _compact(value)  # a landline or a typo: still masked
    return _mask(number, 3, 4)


def mask_credit_code(value: str) -> str:
    """First six (registration authority, entity type, region) and last four.

    ``91370202MA3C12345X`` -> ``913702********345X``. Credit codes are public on the business
    licence; the mask only keeps lists consistent with IDs.
    """
    return _mask(_compact(value), 6, 4)


def mask_name(value: str) -> str:
    """First and last character: ``张三丰`` -> ``张*丰``, ``欧阳娜娜`` -> ``欧**娜``, ``张三`` -> ``张*``."""
    name = (value or "").strip()
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


# --- free text ---------------------------------------------------------------------------------

#: One rule for every text a person types, on SQLite and PostgreSQL alike: names (of applicants,
#: agents, staff, services, windows) at most NAME_MAX characters on one line; free text
#: (reasons, comments, notes, 委托事项) at most TEXT_MAX, where only a line break may appear
#: among the control characters. NUL would be refused by PostgreSQL and kept by SQLite.
NAME_MAX = 200
TEXT_MAX = 500


def validate_text(
    value: str, *, field: str, label_zh: str, limit: int = NAME_MAX, multiline: bool = False
) -> str:
    """``value`` with its ends stripped, or ValidationError when longer than ``limit`` or holding
    a control character (a line break only with ``multiline``), a lone surrogate or a
    non-character. Emptiness is the caller's rule (some texts are optional)."""
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationError(
            field,
            f"{label_zh}不能超过 {limit} 个字符",
            f"{field} is longer than {limit} characters",
        )
    for ch in text:
        if multiline and ch == "\n":
            continue
        if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") or ch in "\u2028\u2029":
            raise ValidationError(
                field,
                f"{label_zh}含有不允许的控制字符",
                f"{field} contains a control character {ch!r}",
            )
    return text


def checked_text(
    value: str | None, field: str, label_zh: str, *, limit: int | None = None, free: bool = False
) -> str | None:
    """The services' form of :func:`validate_text`: None stays None, a bad text is Refused
    (exit 2 at the command line) with the user's words. ``free`` selects the free-text rule,
    under which ID, phone and bank card numbers typed into it are replaced by their labels
    (desk_app.domain.masking) before the text goes anywhere."""
    from desk_app.domain.errors import Refused
    from desk_app.domain.masking import mask_personal_numbers

    if value is None:
        return None
    try:
        text = validate_text(
            value,
            field=field,
            label_zh=label_zh,
            limit=limit or (TEXT_MAX if free else NAME_MAX),
            multiline=free,
        )
    except ValidationError as exc:
        raise Refused(exc.message_zh, exc.message_en) from None
    return mask_personal_numbers(text) if free and text is not None else text
