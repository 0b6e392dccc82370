"""The platform's e-ID code (电子身份证码, the 一码通城 code) at the counter and the kiosk: the
visitor shows it in the province's app, the scanner types it, and :func:`resolve_code` asks the
platform whose it is (``POST /api/v1/eid/resolve``, docs/central-api.md).

A code is ``SDEID1`` and 32 upper-case base32 characters (:data:`EID_PATTERN`), so the counter
can tell a scanned code from other input. It is good **once** and for about two minutes. Every
way this can fail is a :class:`Refused` with a one-line bilingual reason for the clerk: a used,
expired or unknown code (the visitor refreshes it in the app), or a platform that cannot be
reached (the clerk takes the ID card or types the data instead).

A resolve is never retried: the platform uses the code when it answers, so after a lost answer
the same code is ``used`` and only a fresh one helps. The code and the person are never logged.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from desk_app.services.common.errors import Refused
from desk_app.sync.client import CentralAuthError, CentralClient, CentralError

log = logging.getLogger(__name__)

# What the platform issues: the prefix and 32 characters of RFC 4648 base32 (A-Z, 2-7).
EID_PATTERN = re.compile(r"^SDEID1[A-Z2-7]{32}$")
PATH = "/api/v1/eid/resolve"
FIELDS = ("name", "id_number", "sex", "birth", "valid_to", "expires_at")

_UNREACHABLE = (
    "无法连接中心平台, 请改刷身份证或手工录入",
    "the platform cannot be reached: read the ID card or type the data instead",
)
_NO_ANSWER = (
    "中心平台应答异常, 请改刷身份证或手工录入",
    "the platform gave no usable answer: read the ID card or type the data instead",
)
_BY_STATUS: dict[int, tuple[str, str]] = {
    409: (
        "该电子身份证码已使用, 请在手机上刷新后重新出示",
        "this e-ID code was already used: refresh it in the app",
    ),
    410: (
        "该电子身份证码已过期, 请在手机上刷新后重新出示",
        "this e-ID code has expired: refresh it in the app",
    ),
    404: (
        "无效的电子身份证码, 请在手机上刷新后重新出示或改刷身份证",
        "unknown e-ID code: refresh it in the app, or read the ID card",
    ),
    403: (
        "本机令牌无权查询电子身份证码, 请联系管理员; 请改刷身份证或手工录入",
        "this workstation may not resolve e-ID codes (ask the administrator): read the ID "
        "card or type the data instead",
    ),
}


def normalize(text: str) -> str:
    """A scanned code as the platform spells it: without the scanner's Enter or Tab and
    spaces around it, upper case (a scanner typing with Caps Lock on gives lower case)."""
    return text.strip().upper()


def is_code(text: str) -> bool:
    """Whether ``text`` (as scanned or typed) is an e-ID code."""
    return EID_PATTERN.fullmatch(normalize(text)) is not None


def resolve_code(client: CentralClient, code: str) -> dict[str, Any]:
    """The person behind a scanned code: ``{"name", "id_number", "sex", "birth", "valid_to",
    "expires_at"}`` (``sex`` 男/女; dates ``YYYY-MM-DD``; ``valid_to`` None for 长期).

    The code is then used. :class:`Refused` for anything else: not a code (nothing is sent),
    used (409), expired (410), unknown (404), a platform that cannot be reached (connection,
    timeout, 5xx), a wrong token, or an answer that is none of these."""
    code = normalize(code)
    if EID_PATTERN.fullmatch(code) is None:
        raise Refused(
            "不是电子身份证码, 请重新扫码或改刷身份证",
            "not an e-ID code: scan it again, or read the ID card",
        )
    try:
        resp = client.call("POST", PATH, json={"code": code})
    except CentralAuthError as exc:  # a wrong or revoked token: the clerk cannot fix it here
        log.error("e-ID code not resolved: the platform rejected this workstation's token")
        raise Refused(
            "中心平台拒绝了本机令牌, 请联系管理员; 请改刷身份证或手工录入",
            "the platform rejected this workstation's token (ask the administrator): read "
            "the ID card or type the data instead",
        ) from exc
    except CentralError as exc:  # its text is scrubbed of the token and names no code
        log.warning("e-ID code not resolved: %s", exc)
        raise Refused(*_UNREACHABLE) from exc
    if resp.status_code in _BY_STATUS:
        log.info("e-ID code refused by the platform (HTTP %d)", resp.status_code)
        raise Refused(*_BY_STATUS[resp.status_code])
    if resp.status_code != 200:
        log.warning("e-ID code not resolved: HTTP %d", resp.status_code)
        raise Refused(*_NO_ANSWER)
    try:
        body = resp.json()
        person = {key: body[key] for key in FIELDS}
        if not all(isinstance(person[k], str) and person[k] for k in ("name", "id_number")):
            raise ValueError("name or id_number missing")
    except (ValueError, KeyError, TypeError):
        log.warning("e-ID code: unexpected answer from the platform")
        raise Refused(*_NO_ANSWER) from None
    log.info("e-ID code resolved")
    return person
