"""Nothing an uploader sends makes the server fail: bad values are per-case rejections.

One case the server cannot represent (a timestamp outside the calendar once normalised to UTC
or to the hall's date, a payload too deep to store and read back, text that is not UTF-8) must
come back ``invalid`` while the rest of its batch is stored, and never as a 500.
"""

from __future__ import annotations

import json

import pytest

from tests.central_ref.conftest import AUTH, make_case

BATCH = "/api/v1/cases/batch"
FIXED = "0f8fad5b-d9cb-469f-a165-70867728950e"

UNREPRESENTABLE_TIMES = [
    "0001-01-01T00:00:00+14:00",  # underflows when normalised to UTC
    "9999-12-31T23:59:59-14:00",  # overflows when normalised to UTC
    "9999-12-31T20:00:00Z",  # representable in UTC, but its Beijing date is in year 10000
    "0001-01-01T00:00:00Z",  # representable, but no case was concluded then
    "2300-01-01T00:00:00+08:00",
    "1969-12-31T23:59:59Z",
]


def post_raw(client, text: str):
    return client.post(BATCH, content=text, headers={**AUTH, "content-type": "application/json"})


@pytest.mark.parametrize("concluded_at", UNREPRESENTABLE_TIMES)
def test_one_bad_concluded_at_is_rejected_and_the_rest_stored(client, concluded_at):
    good, bad, other = make_case(), make_case(concluded_at=concluded_at), make_case()
    response = client.post(BATCH, json={"cases": [good, bad, other]}, headers=AUTH)
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["created", "invalid", "created"]
    assert results[1]["uuid"] == bad["uuid"]
    assert "concluded_at" in results[1]["error"]
    for case in (good, other):
        assert client.get(f"/api/v1/cases/{case['uuid']}", headers=AUTH).status_code == 200
    assert client.get(f"/api/v1/cases/{bad['uuid']}", headers=AUTH).status_code == 404


@pytest.mark.parametrize("concluded_at", UNREPRESENTABLE_TIMES[:3])
def test_put_with_an_unrepresentable_concluded_at_is_422(sqlite_client, concluded_at):
    case = make_case(concluded_at=concluded_at)
    response = sqlite_client.put(f"/api/v1/cases/{case['uuid']}", json=case, headers=AUTH)
    assert response.status_code == 422
    assert response.json()["status"] == "invalid"


def test_extreme_but_valid_times_are_stored_and_read_back(client):
    early = make_case(concluded_at="1970-01-01T00:00:00Z")
    late = make_case(concluded_at="2199-12-31T23:59:59.999999+14:00")
    offset = make_case(concluded_at="2025-03-01T00:00:00+23:59")
    response = client.post(BATCH, json={"cases": [early, late, offset]}, headers=AUTH)
    assert [r["status"] for r in response.json()["results"]] == ["created"] * 3
    for case in (early, late, offset):
        got = client.get(f"/api/v1/cases/{case['uuid']}", headers=AUTH)
        assert got.status_code == 200, got.text
    assert client.get("/api/v1/cases", headers=AUTH).status_code == 200


def nested(depth: int) -> dict:
    return json.loads('{"a":' * (depth - 1) + "1" + "}" * (depth - 1))


def test_a_payload_too_deep_to_read_back_is_rejected(client):
    deep, fine, good = make_case(payload=nested(900)), make_case(payload=nested(64)), make_case()
    response = client.post(BATCH, json={"cases": [deep, fine, good]}, headers=AUTH)
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["invalid", "created", "created"]
    assert "deep" in results[0]["error"]
    got = client.get(f"/api/v1/cases/{fine['uuid']}", headers=AUTH)
    assert got.status_code == 200 and got.json()["payload"] == fine["payload"]


CASE_TAIL = '"case_no":"x","concluded_at":"2025-03-01T00:00:00Z","payload":{}'
POISON_ITEMS = [
    '{"uuid":"\\ud800",' + CASE_TAIL + "}",  # a lone surrogate echoed back as the uuid
    '{"\\ud800":1,"uuid":"' + FIXED + '",' + CASE_TAIL + "}",  # ... or as a field name
    '{"uuid":"' + FIXED + '","case_no":"\\ud800","concluded_at":"2025-03-01T00:00:00Z",'
    '"payload":{}}',
    '{"uuid":"' + FIXED + '","case_no":"x","concluded_at":"\\ud800\\u0000","payload":{}}',
    '{"uuid":"' + FIXED + '","case_no":"x","concluded_at":"2025-03-01T00:00:00Z",'
    '"payload":{"\\ud800":"\\udfff"}}',
    '{"uuid":"' + FIXED + '","case_no":"x\\u0000","concluded_at":"2025-03-01T00:00:00Z",'
    '"payload":{}}',
    '{"uuid":"' + FIXED + '","case_no":"x","concluded_at":"2025-03-01T00:00:00Z",'
    '"payload":{"n":1e400}}',
    '{"uuid":"' + FIXED + '","case_no":"x","concluded_at":"2025-03-01T00:00:00Z",'
    '"payload":[[[[[]]]]]}',
    '{"uuid":"' + FIXED + '","case_no":"x","concluded_at":["2025"],"payload":{}}',
    '{"uuid":"' + FIXED + '","case_no":{"a":1},"concluded_at":"2025-03-01T00:00:00Z","payload":{}}',
    '{"uuid":null,' + CASE_TAIL + "}",
    '{"uuid":"' + "x" * 100_000 + '",' + CASE_TAIL + "}",
    '{"uuid":"' + FIXED + '","case_no":"' + "号" * 100_000 + '",'
    '"concluded_at":"2025-03-01T00:00:00Z","payload":{}}',
    '{"uuid":"' + FIXED + '","case_no":"x","concluded_at":"' + "9" * 100_000 + '","payload":{}}',
    '{"' + "k" * 100_000 + '":1,"uuid":"' + FIXED + '",' + CASE_TAIL + "}",
    "[" * 500 + "]" * 500,
    '"\\u0000"',
    "1e400",
    "true",
]


@pytest.mark.parametrize("item", POISON_ITEMS, ids=range(len(POISON_ITEMS)))
def test_poison_items_are_invalid_never_a_server_error(client, item):
    good = make_case()
    response = post_raw(client, '{"cases":[' + item + "," + json.dumps(good) + "]}")
    assert response.status_code == 200, response.text[:300]
    first, second = response.json()["results"]
    assert first["status"] == "invalid" and first["error"]
    assert len(first["error"]) <= 300 and len(first["uuid"] or "") <= 64
    assert second["status"] == "created"
    assert client.get("/api/v1/cases", headers=AUTH).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        b'{"cases":[{"uuid":"\xff\xfe"}]}',  # not UTF-8
        b"\xff\xfe{\x00",
        b'{"cases":[' + b"[" * 5000 + b"]" * 5000 + b"]}",  # deeper than the parser goes
        b'{"cases":[{"payload":{"n":' + b"9" * 5000 + b"}}]}",  # an integer Python refuses
        b'{"cases":[1],"cases":{}}',
        b"\x00",
        b"",
    ],
)
def test_unparseable_bodies_are_422_not_500(sqlite_client, body):
    response = sqlite_client.post(
        BATCH, content=body, headers={**AUTH, "content-type": "application/json"}
    )
    assert response.status_code == 422, response.text[:300]
    assert response.json()["error"] == "invalid_request"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cases/%ED%A0%80",
        "/api/v1/cases/%00",
        "/api/v1/cases/" + "a" * 5000,
        "/api/v1/cases?after=999999999999999999",
        "/api/v1/cases?after=%00",
        "/api/v1/cases?after=" + "9" * 5000,
        "/api/v1/digest?from=0001-01-01&to=0001-01-01",
        "/api/v1/digest?from=9999-12-31&to=9999-12-31",
        "/api/v1/digest/days?from=0001-01-01&to=0001-12-31",
        "/api/v1/digest?from=%ED%A0%80&to=2025-01-01",
    ],
)
def test_odd_reads_are_answered_never_a_server_error(sqlite_client, path):
    response = sqlite_client.get(path, headers=AUTH)
    assert response.status_code < 500, response.text[:300]


@pytest.mark.parametrize("uuid", ["%ED%A0%80", "%00", "a" * 5000, FIXED.upper() + "%00"])
def test_odd_put_paths_are_422(sqlite_client, uuid):
    body = make_case(concluded_at="0001-01-01T00:00:00+14:00")
    del body["uuid"]
    response = sqlite_client.put(f"/api/v1/cases/{uuid}", json=body, headers=AUTH)
    assert response.status_code == 422, response.text[:300]
    assert len(response.json()["uuid"]) <= 64


def test_a_case_the_database_refuses_fails_alone(db_url):
    """Defence in depth: a case that passed validation but that the database refuses is
    reported invalid on its own, and the rest of its batch is stored."""
    from dataclasses import replace

    from central_ref.rules import validate_case
    from central_ref.store import Store

    store = Store(db_url)
    store.create_schema()
    try:
        good, other = validate_case(make_case()), validate_case(make_case())
        bad = validate_case(make_case())
        bad = replace(bad, concluded_at=bad.concluded_at.replace(tzinfo=None))  # unbindable
        outcomes = store.ingest([good, bad, other], "ws01")
        assert [o.status for o in outcomes] == ["created", "invalid", "created"]
        assert outcomes[1].uuid == bad.uuid and outcomes[1].received_count is None
        assert store.stats()["cases"] == 2
    finally:
        store.dispose()
