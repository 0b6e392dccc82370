"""Pure rules of the case-sync contract: validating an uploaded case and its canonical digest.

No web framework and no database here, so the rules are easy to test and to read. The same
function validates a batch item and a single ``PUT``, so both paths agree on what is "invalid".
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

# Cases are dated in the hall's local time: a case concluded at 00:30 Beijing time belongs to
# that day, although it is still the previous day in UTC. China has one zone and no DST.
LOCAL_TZ = ZoneInfo("Asia/Shanghai")

MAX_CASE_NO_LEN = 64
# The window a conclusion time must fall in. Far wider than any real case, and far enough from
# the ends of the calendar (year 1, year 9999) that no UTC offset, no conversion to the hall's
# date and no database time zone can push a stored time out of the representable range.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)  # exclusive
# Containers (objects, arrays) nested deeper than this are refused: a payload must also be
# serialisable again to be hashed, stored and read back, and recursion there has a limit.
MAX_DEPTH = 64
# How much of an offending value an error message may quote.
QUOTE_LEN = 40
# Only the canonical 8-4-4-4-12 form: braces, "urn:uuid:" or 32 bare hex digits are refused
# rather than normalised, so a client never sees its uuid echoed back in a different shape.
_UUID_RE = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_FIELDS = ("uuid", "case_no", "concluded_at", "payload")


class InvalidCase(ValueError):
    """An uploaded case that breaks the contract; the message says which rule, in one line."""


@dataclass(frozen=True, slots=True)
class ValidCase:
    """A validated case, normalised: lowercase uuid, concluded_at as an aware UTC datetime."""

    uuid: str
    case_no: str
    concluded_at: datetime
    payload: dict[str, Any]
    sha256: str

    @property
    def concluded_date(self) -> date:
        """The local (Asia/Shanghai) calendar date the case was concluded on."""
        return local_date(self.concluded_at)


def normalize_uuid(value: object) -> str:
    """The lowercase canonical form of a client UUID; ``InvalidCase`` for anything else."""
    if not isinstance(value, str) or not _UUID_RE.fullmatch(value):
        raise InvalidCase("uuid: must be a UUID string like 0f8fad5b-d9cb-469f-a165-70867728950e")
    return value.lower()


def printable(value: object, limit: int = QUOTE_LEN) -> str:
    """``value`` as text that is safe to quote in an answer: at most ``limit`` characters
    (and an ellipsis), and encodable as UTF-8 (a lone surrogate is shown as ``\\udXXX``)."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def parse_concluded_at(value: object) -> datetime:
    """An ISO-8601 timestamp *with* a UTC offset (or Z), as an aware UTC datetime between
    ``EARLIEST`` and ``LATEST``."""
    if not isinstance(value, str):
        raise InvalidCase("concluded_at: must be an ISO-8601 string with a UTC offset")
    shown = printable(repr(value[: QUOTE_LEN + 1]))
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidCase(f"concluded_at: not an ISO-8601 timestamp: {shown}") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        # A naive time is ambiguous (hall PC clock? UTC?) and would put the case on the wrong
        # day in the reconciliation digest, so it is refused instead of guessed.
        raise InvalidCase("concluded_at: needs a UTC offset, e.g. 2025-03-01T09:30:00+08:00")
    try:
        # 0001-01-01T00:00:00+14:00 is before year 1 in UTC, 9999-12-31T23:59:59-14:00
        # after year 9999: Python cannot represent either.
        moment = parsed.astimezone(UTC)
    except OverflowError:
        moment = None
    if moment is None or not EARLIEST <= moment < LATEST:
        raise InvalidCase(
            f"concluded_at: out of range: {shown} (must be from {format_utc(EARLIEST)} "
            f"to before {format_utc(LATEST)})"
        )
    return moment


def format_utc(moment: datetime) -> str:
    """ISO-8601 in UTC with a ``Z`` suffix: the one spelling the server hashes and returns."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def local_date(moment: datetime) -> date:
    """The Asia/Shanghai calendar date of an aware datetime."""
    return moment.astimezone(LOCAL_TZ).date()


def canonical_sha256(case_no: str, concluded_at: datetime, payload: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of ``{case_no, concluded_at, payload}``.

    Canonical: sorted keys, no whitespace, UTF-8, ``concluded_at`` normalised to UTC, so the
    same case re-serialised by a restarted client (another key order, +08:00 instead of Z)
    is recognised as an identical replay and not reported as a conflict.
    """
    document = {"case_no": case_no, "concluded_at": format_utc(concluded_at), "payload": payload}
    try:
        text = json.dumps(
            document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
        data = text.encode("utf-8")
    except ValueError as exc:  # NaN/Infinity (json) or a lone surrogate (UnicodeEncodeError)
        reason = printable(str(exc), 100)
        raise InvalidCase(f"case_no/payload: not representable as strict JSON ({reason})") from None
    return hashlib.sha256(data).hexdigest()


def _check_values(field: str, value: Any) -> None:
    """Refuse U+0000 anywhere (PostgreSQL cannot store it, and it would fail a whole batch)
    and containers nested deeper than ``MAX_DEPTH`` (they could be stored but not read back)."""
    stack = [(value, 0)]  # iterative: a deeply nested payload must not blow the recursion limit
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise InvalidCase(f"{field}: strings must not contain U+0000")
        elif isinstance(item, dict | list):
            if depth >= MAX_DEPTH:
                raise InvalidCase(f"{field}: nested deeper than {MAX_DEPTH} levels")
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


def validate_case(raw: object, *, path_uuid: str | None = None) -> ValidCase:
    """Validate one uploaded case (a decoded JSON value) or raise ``InvalidCase``.

    ``path_uuid`` is the UUID from ``PUT /cases/{uuid}``: the body may then omit ``uuid``,
    and when it gives one it must be the same.
    """
    if not isinstance(raw, dict):
        raise InvalidCase("case: must be a JSON object")
    unknown = sorted(str(key) for key in raw if key not in _FIELDS)
    if unknown:
        # Unknown top-level fields are refused, not silently dropped: anything extra belongs
        # in ``payload``, which is stored and hashed as a whole.
        names = ", ".join(printable(name) for name in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise InvalidCase(f"case: unknown field(s) {names}{more}; put them in payload")
    if path_uuid is not None:
        uuid = normalize_uuid(path_uuid)
        if "uuid" in raw and normalize_uuid(raw["uuid"]) != uuid:
            raise InvalidCase("uuid: the body's uuid differs from the one in the URL")
    else:
        if "uuid" not in raw:
            raise InvalidCase("uuid: missing")
        uuid = normalize_uuid(raw["uuid"])
    case_no = raw.get("case_no")
    if not isinstance(case_no, str) or not case_no.strip():
        raise InvalidCase("case_no: missing or empty")
    if len(case_no) > MAX_CASE_NO_LEN:
        raise InvalidCase(f"case_no: longer than {MAX_CASE_NO_LEN} characters")
    if "concluded_at" not in raw:
        raise InvalidCase("concluded_at: missing")
    concluded_at = parse_concluded_at(raw["concluded_at"])
    payload = raw.get("payload")
    if not isinstance(payload, dict):
        raise InvalidCase("payload: missing or not a JSON object")
    _check_values("case_no", case_no)
    _check_values("payload", payload)
    sha = canonical_sha256(case_no, concluded_at, payload)
    return ValidCase(uuid, case_no, concluded_at, payload, sha)


def uuid_digest(uuids: list[str]) -> str:
    """SHA-256 hex of the UUIDs sorted by code point and joined by ``\\n`` (empty list: of b"")."""
    return hashlib.sha256("\n".join(sorted(uuids)).encode("ascii")).hexdigest()
