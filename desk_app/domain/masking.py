"""One rule for personal numbers in free text: resident ID numbers, mobile numbers (also written
in Chinese numerals or full-width digits) and bank card numbers are replaced by a label before
any free text is stored, shown, exported or logged.

Free text (a reason, a note, a helper's step, a question to the knowledge base) is not where
personal data belongs, but people type it there: "申请人身份证 370202199001011234 已核实",
"回电 一三八一二三四五六七八". Replacing it when the text is taken in means nothing of it is at
rest, on a screen, in an export or in the audit trail, and nothing is left to purge later.
"""

from __future__ import annotations

import re

ID_LABEL = "[身份证号]"
PHONE_LABEL = "[手机号]"
CARD_LABEL = "[银行卡号]"
NUMBER_LABEL = "[数字]"

# Chinese numerals and full-width digits read as the digits they are, one character for one, so
# a match in the translated text has the same span in the original.
_AS_DIGITS = str.maketrans(
    "〇零一二三四五六七八九幺两０１２３４５６７８９Ｘｘ",
    "00123456789120123456789Xx",
)
_SEP = r"[ \-\u3000]?"  # one space, hyphen or ideographic space between digit groups
_RESIDENT_ID = re.compile(
    r"(?<![0-9A-Za-z])\d{6}" + _SEP + r"\d{8}" + _SEP + r"\d{3}[\dXx](?![0-9A-Za-z])"
    r"|(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])"
)
_CARD = re.compile(r"(?<!\d)\d{4}(?:" + _SEP + r"\d{4}){3}(?:" + _SEP + r"?\d{1,3})?(?!\d)")
_MOBILE = re.compile(
    r"(?:\+?86" + _SEP + r")?(?<!\d)1[3-9]\d" + _SEP + r"\d{4}" + _SEP + r"\d{4}(?!\d)"
)
_LONG_NUMBER = re.compile(r"\d[\d \-]{5,}\d")


def mask_personal_numbers(text: str) -> str:
    """``text`` with every resident ID, bank card and mobile number replaced by its label."""
    digits = text.translate(_AS_DIGITS)
    spans: list[tuple[int, int, str]] = []
    for pattern, label in ((_RESIDENT_ID, ID_LABEL), (_CARD, CARD_LABEL), (_MOBILE, PHONE_LABEL)):
        for m in pattern.finditer(digits):
            if not any(a < m.end() and m.start() < b for a, b, _ in spans):
                spans.append((m.start(), m.end(), label))
    out = text
    for start, end, label in sorted(spans, reverse=True):
        out = out[:start] + label + out[end:]
    return out


def mask_numbers(text: str) -> str:
    """:func:`mask_personal_numbers`, then any other run of seven or more digits (landlines,
    numbers typed by hand), for text kept only to be counted (the knowledge base's question
    log)."""
    return _LONG_NUMBER.sub(NUMBER_LABEL, mask_personal_numbers(text))
