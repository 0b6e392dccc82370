"""Pure rules: what a valid case is and when two uploads are the same case."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime

import pytest

from central_ref.rules import (
    InvalidCase,
    canonical_sha256,
    local_date,
    normalize_uuid,
    uuid_digest,
    validate_case,
)
from tests.central_ref.conftest import make_case


def test_valid_case_is_normalised():
    raw = make_case(uuid="0F8FAD5B-D9CB-469F-A165-70867728950E")
    case = validate_case(raw)
    assert case.uuid == "0f8fad5b-d9cb-469f-a165-70867728950e"
    assert case.concluded_at == datetime(2025, 3, 1, 1, 30, tzinfo=UTC)
    assert case.concluded_date == date(2025, 3, 1)
    assert len(case.sha256) == 64


def test_same_content_in_another_spelling_has_the_same_digest():
    a = validate_case(make_case(uuid="0f8fad5b-d9cb-469f-a165-70867728950e"))
    b = validate_case(
        {
            "payload": {"applicant": "王芳", "items": ["birth", "hukou"], "bundle": "newborn"},
            "concluded_at": "2025-03-01T01:30:00Z",
            "case_no": "NB-20250301-0007",
            "uuid": "0f8fad5b-d9cb-469f-a165-70867728950e",
        }
    )
    assert a.sha256 == b.sha256
    changed = validate_case(make_case(payload={"bundle": "newborn"}))
    assert changed.sha256 != a.sha256


def test_canonical_digest_is_documented_form():
    moment = datetime(2025, 3, 1, 1, 30, tzinfo=UTC)
    text = '{"case_no":"X","concluded_at":"2025-03-01T01:30:00Z","payload":{"a":1,"b":"王"}}'
    expected = hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert canonical_sha256("X", moment, {"b": "王", "a": 1}) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "JSON object"),
        (make_case(uuid="not-a-uuid"), "uuid"),
        (make_case(uuid="{0f8fad5b-d9cb-469f-a165-70867728950e}"), "uuid"),
        (make_case(uuid=12), "uuid"),
        ({k: v for k, v in make_case().items() if k != "uuid"}, "uuid: missing"),
        (make_case(case_no=""), "case_no"),
        (make_case(case_no=None), "case_no"),
        (make_case(case_no="x" * 65), "case_no"),
        (make_case(concluded_at="2025-03-01T09:30:00"), "UTC offset"),
        (make_case(concluded_at="yesterday"), "concluded_at"),
        (make_case(concluded_at=1740792600), "concluded_at"),
        ({k: v for k, v in make_case().items() if k != "concluded_at"}, "concluded_at: missing"),
        (make_case(payload=[1, 2]), "payload"),
        (make_case(payload=None), "payload"),
        (make_case(payload={"x": float("nan")}), "strict JSON"),
        (make_case(payload={"x": "a\x00b"}), "U+0000"),
        (make_case(payload={"deep": [{"k\x00": 1}]}), "U+0000"),
        (make_case(payload={"x": "\ud800"}), "strict JSON"),
        (make_case(extra=1), "unknown field"),
    ],
)
def test_invalid_cases_are_refused_with_a_reason(raw, message):
    with pytest.raises(InvalidCase, match=re.escape(message)):
        validate_case(raw)


def test_path_uuid_rules():
    body = make_case()
    uuid = body.pop("uuid")
    assert validate_case(body, path_uuid=uuid).uuid == uuid
    assert validate_case({**body, "uuid": uuid.upper()}, path_uuid=uuid).uuid == uuid
    with pytest.raises(InvalidCase, match="differs"):
        validate_case({**body, "uuid": make_case()["uuid"]}, path_uuid=uuid)
    with pytest.raises(InvalidCase, match="uuid"):
        validate_case(body, path_uuid="nope")


def test_local_date_at_beijing_midnight():
    assert local_date(datetime(2025, 3, 1, 15, 59, 59, 999999, tzinfo=UTC)) == date(2025, 3, 1)
    assert local_date(datetime(2025, 3, 1, 16, 0, tzinfo=UTC)) == date(2025, 3, 2)


def test_uuid_digest():
    uuids = ["b" * 8, "a" * 8]
    assert uuid_digest(uuids) == hashlib.sha256(b"aaaaaaaa\nbbbbbbbb").hexdigest()
    assert uuid_digest([]) == hashlib.sha256(b"").hexdigest()
    assert normalize_uuid("0F8FAD5B-D9CB-469F-A165-70867728950E").islower()
