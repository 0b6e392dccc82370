"""The HTTP contract, in process (TestClient), on SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import json

import pytest

from tests.central_ref.conftest import AUDITOR, AUTH, make_case

BATCH = "/api/v1/cases/batch"


def post(client, *cases, headers=AUTH):
    response = client.post(BATCH, json={"cases": list(cases)}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["results"]


def listed(client, headers=AUTH) -> dict[str, dict]:
    cases, after = {}, None
    for _ in range(100):  # bounded paging
        params = {"limit": 1000, **({"after": after} if after else {})}
        page = client.get("/api/v1/cases", params=params, headers=headers).json()
        cases.update({c["uuid"]: c for c in page["cases"]})
        after = page["next"]
        if after is None:
            return cases
    raise AssertionError("paging did not end")


# -- auth --------------------------------------------------------------------------------------

FIXED = "0f8fad5b-d9cb-469f-a165-70867728950e"  # fixed: test ids must be stable (xdist)
PROTECTED = [
    ("post", BATCH, {"json": {"cases": [make_case(uuid=FIXED)]}}),
    ("put", f"/api/v1/cases/{FIXED}", {"json": make_case(uuid=FIXED)}),
    ("get", "/api/v1/cases", {}),
    ("get", f"/api/v1/cases/{FIXED}", {}),
    ("get", "/api/v1/digest?from=2025-03-01&to=2025-03-01", {}),
    ("get", "/api/v1/digest/days?from=2025-03-01&to=2025-03-01", {}),
    ("get", "/api/v1/no-such-thing", {}),
]


@pytest.mark.parametrize(("method", "path", "kwargs"), PROTECTED)
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "Basic dDE6"},
        {"Authorization": "Bearer "},
    ],
)
def test_every_endpoint_but_health_needs_a_valid_token(
    sqlite_client, method, path, kwargs, headers
):
    response = getattr(sqlite_client, method)(path, headers=headers, **kwargs)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_nothing_is_stored_without_a_token(client):
    client.post(BATCH, json={"cases": [make_case()]}, headers={"Authorization": "Bearer t3"})
    assert listed(client) == {}


def test_malformed_body_without_token_is_still_401(sqlite_client):
    response = sqlite_client.post(BATCH, content=b"{", headers={"content-type": "application/json"})
    assert response.status_code == 401


def test_health_needs_no_token(sqlite_client):
    response = sqlite_client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["ok"] is True


def test_each_token_is_a_workstation(client):
    first, second = make_case(), make_case()
    post(client, first)
    post(client, second, headers={"Authorization": "Bearer t2"})
    cases = listed(client, AUDITOR)
    assert cases[second["uuid"]]["workstation"] == "ws02"
    assert cases[first["uuid"]]["workstation"].startswith("tok-")
    assert "t1" not in cases[first["uuid"]]["workstation"]


# -- idempotency -------------------------------------------------------------------------------


def test_created_then_replayed_then_conflict(client):
    case = make_case()
    (created,) = post(client, case)
    assert created == {
        "index": 0,
        "uuid": case["uuid"],
        "status": "created",
        "received_count": 1,
        "error": None,
    }
    (replayed,) = post(client, case)
    assert (replayed["status"], replayed["received_count"]) == ("replayed", 2)
    (conflict,) = post(client, {**case, "payload": {"bundle": "retirement"}})
    assert (conflict["status"], conflict["received_count"]) == ("conflict", 3)
    assert "review" in conflict["error"]
    # The stored version is the first one; the conflicting one is kept for review.
    detail = client.get(f"/api/v1/cases/{case['uuid']}", headers=AUTH).json()
    assert detail["payload"] == case["payload"]
    assert detail["received_count"] == 3
    assert [c["payload"] for c in detail["conflicts"]] == [{"bundle": "retirement"}]


def test_replay_in_another_spelling_is_not_a_conflict(client):
    case = make_case()
    post(client, case)
    respelled = {
        "payload": dict(reversed(list(case["payload"].items()))),
        "concluded_at": "2025-03-01T01:30:00Z",
        "case_no": case["case_no"],
        "uuid": case["uuid"].upper(),
    }
    (result,) = post(client, respelled)
    assert result["status"] == "replayed"
    assert result["uuid"] == case["uuid"]


def test_repeated_conflicting_version_is_kept_once_with_a_count(client):
    case = make_case()
    other = {**case, "case_no": "OTHER-1"}
    post(client, case)
    post(client, other)
    post(client, other)
    detail = client.get(f"/api/v1/cases/{case['uuid']}", headers=AUTH).json()
    assert detail["received_count"] == 3
    assert len(detail["conflicts"]) == 1
    assert detail["conflicts"][0]["received_count"] == 2
    assert detail["conflicts"][0]["case_no"] == "OTHER-1"


def test_same_uuid_twice_in_one_batch(client):
    case = make_case()
    results = post(client, case, case, {**case, "payload": {}})
    assert [(r["status"], r["received_count"]) for r in results] == [
        ("created", 1),
        ("replayed", 2),
        ("conflict", 3),
    ]
    assert listed(client)[case["uuid"]]["received_count"] == 3


def test_poison_items_do_not_fail_the_batch(client):
    good, other = make_case(), make_case()
    results = post(
        client,
        good,
        {"uuid": "nope", "case_no": "x", "concluded_at": "2025-03-01T00:00:00Z", "payload": {}},
        make_case(payload="not an object"),
        make_case(case_no=""),
        make_case(concluded_at="2025-03-01 09:30"),
        make_case(payload={"bad": "a\u0000b"}),
        7,
        other,
    )
    statuses = [r["status"] for r in results]
    assert statuses == ["created"] + ["invalid"] * 6 + ["created"]
    assert [r["index"] for r in results] == list(range(8))
    assert all(r["error"] for r in results[1:7])
    assert all(r["received_count"] is None for r in results[1:7])
    assert results[1]["uuid"] == "nope" and results[6]["uuid"] is None
    assert set(listed(client)) == {good["uuid"], other["uuid"]}


def test_nan_in_a_payload_is_invalid_not_a_server_error(client):
    case = make_case()
    text = json.dumps({"cases": [make_case(), case]}).replace(
        '"bundle": "newborn"', '"bundle": NaN', 1
    )
    response = client.post(
        BATCH, content=text, headers={**AUTH, "content-type": "application/json"}
    )
    assert response.status_code == 200
    assert [r["status"] for r in response.json()["results"]] == ["invalid", "created"]


@pytest.mark.parametrize(
    "body",
    [b"{", b"[]", b'{"cases": 5}', b'{"other": []}', b'{"cases": []}', b"null"],
)
def test_malformed_batch_is_422(sqlite_client, body):
    response = sqlite_client.post(
        BATCH, content=body, headers={**AUTH, "content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"


def test_batch_limit(client):
    at_limit = [make_case() for _ in range(500)]
    results = post(client, *at_limit)
    assert {r["status"] for r in results} == {"created"}
    over = client.post(BATCH, json={"cases": [make_case() for _ in range(501)]}, headers=AUTH)
    assert over.status_code == 413
    assert over.json()["error"] == "too_large"
    assert len(listed(client)) == 500


def test_body_size_limit(tmp_path):
    from starlette.testclient import TestClient

    from central_ref.app import create_app

    app = create_app(f"sqlite:///{tmp_path / 'c.db'}", {"t1"}, max_body_bytes=2000)
    with TestClient(app) as client:
        big = make_case(payload={"x": "y" * 3000})
        response = client.post(BATCH, json={"cases": [big]}, headers=AUTH)
        assert response.status_code == 413
        assert post(client, make_case())[0]["status"] == "created"


# -- single upload -----------------------------------------------------------------------------


def test_put_status_codes(client):
    case = make_case()
    path = f"/api/v1/cases/{case['uuid']}"
    body = {k: v for k, v in case.items() if k != "uuid"}
    first = client.put(path, json=body, headers=AUTH)
    assert first.status_code == 201
    assert first.json()["status"] == "created"
    again = client.put(path, json=case, headers=AUTH)
    assert again.status_code == 200
    assert (again.json()["status"], again.json()["received_count"]) == ("replayed", 2)
    changed = client.put(path, json={**body, "payload": {"v": 2}}, headers=AUTH)
    assert changed.status_code == 409
    assert (changed.json()["status"], changed.json()["received_count"]) == ("conflict", 3)
    wrong = client.put(path, json={**body, "uuid": make_case()["uuid"]}, headers=AUTH)
    assert wrong.status_code == 422
    assert wrong.json()["status"] == "invalid"
    bad_path = client.put("/api/v1/cases/nope", json=body, headers=AUTH)
    assert bad_path.status_code == 422
    no_payload = client.put(
        f"/api/v1/cases/{make_case()['uuid']}", json={"case_no": "x"}, headers=AUTH
    )
    assert no_payload.status_code == 422
    assert listed(client)[case["uuid"]]["received_count"] == 3


def test_put_and_batch_share_one_store(client):
    case = make_case()
    client.put(f"/api/v1/cases/{case['uuid']}", json=case, headers=AUTH)
    (result,) = post(client, case)
    assert (result["status"], result["received_count"]) == ("replayed", 2)


def test_get_unknown_case_is_404(client):
    response = client.get(f"/api/v1/cases/{make_case()['uuid']}", headers=AUTH)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


# -- listing -----------------------------------------------------------------------------------


def test_cursor_paging_in_order_of_first_arrival(client):
    cases = [make_case(case_no=f"C{i}") for i in range(5)]
    for case in cases:  # one by one: the order of first arrival is the request order
        post(client, case)
    post(client, cases[0])  # a replay does not move a case
    seen, after, pages = [], None, 0
    for _ in range(10):
        params = {"limit": 2, **({"after": after} if after else {})}
        page = client.get("/api/v1/cases", params=params, headers=AUTH).json()
        pages += 1
        seen += page["cases"]
        after = page["next"]
        if after is None:
            break
    assert pages == 3
    assert [c["case_no"] for c in seen] == [f"C{i}" for i in range(5)]
    assert [c["received_count"] for c in seen] == [2, 1, 1, 1, 1]
    first = seen[0]
    assert set(first) >= {"uuid", "case_no", "received_count", "received_at", "concluded_at"}
    assert first["concluded_at"] == "2025-03-01T01:30:00Z"
    assert first["received_at"].endswith("Z")


def test_listing_empty_and_bad_parameters(sqlite_client):
    assert sqlite_client.get("/api/v1/cases", headers=AUTH).json() == {"cases": [], "next": None}
    for params in ({"after": "abc"}, {"after": "-1"}, {"limit": 0}, {"limit": 1001}):
        response = sqlite_client.get("/api/v1/cases", params=params, headers=AUTH)
        assert response.status_code == 422, params


def test_exact_page_size_ends_with_null_next(client):
    post(client, make_case(), make_case())
    page = client.get("/api/v1/cases", params={"limit": 2}, headers=AUTH).json()
    assert len(page["cases"]) == 2 and page["next"] is None


# -- digest ------------------------------------------------------------------------------------


def test_digest_by_local_date_with_midnight_edge(client):
    before_midnight = make_case(concluded_at="2025-03-01T23:59:59.999999+08:00")
    at_midnight = make_case(concluded_at="2025-03-01T16:00:00Z")  # 2025-03-02 00:00 in Beijing
    early_utc = make_case(concluded_at="2025-03-01T00:30:00+08:00")  # still Feb 28 in UTC
    post(client, before_midnight, at_midnight, early_utc)

    def digest(first, last):
        response = client.get("/api/v1/digest", params={"from": first, "to": last}, headers=AUTH)
        assert response.status_code == 200, response.text
        return response.json()

    march_1 = digest("2025-03-01", "2025-03-01")
    expected = sorted([before_midnight["uuid"], early_utc["uuid"]])
    assert march_1["uuids"] == expected
    assert march_1["count"] == 2
    assert march_1["sha256"] == hashlib.sha256("\n".join(expected).encode()).hexdigest()
    assert (march_1["from"], march_1["to"]) == ("2025-03-01", "2025-03-01")
    assert digest("2025-03-02", "2025-03-02")["uuids"] == [at_midnight["uuid"]]
    assert digest("2025-02-28", "2025-02-28")["count"] == 0
    assert digest("2025-02-28", "2025-02-28")["sha256"] == hashlib.sha256(b"").hexdigest()
    assert digest("2025-02-01", "2025-03-31")["count"] == 3


def test_digest_without_list_and_per_day(client):
    cases = [make_case(), make_case(concluded_at="2025-03-02T10:00:00+08:00")]
    post(client, *cases)
    params = {"from": "2025-03-01", "to": "2025-03-02"}
    short = client.get("/api/v1/digest", params={**params, "uuids": "false"}, headers=AUTH).json()
    assert short["uuids"] is None and short["count"] == 2
    days = client.get("/api/v1/digest/days", params=params, headers=AUTH).json()
    assert [(d["date"], d["count"]) for d in days["days"]] == [("2025-03-01", 1), ("2025-03-02", 1)]
    assert days["days"][0]["sha256"] == hashlib.sha256(cases[0]["uuid"].encode()).hexdigest()


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2025-03-02", "to": "2025-03-01"},
        {"from": "2024-01-01", "to": "2025-03-01"},
        {"from": "2025-02-30", "to": "2025-03-01"},
        {"to": "2025-03-01"},
    ],
)
def test_digest_bad_ranges_are_422(sqlite_client, params):
    response = sqlite_client.get("/api/v1/digest", params=params, headers=AUTH)
    assert response.status_code == 422


def test_conflicts_and_replays_do_not_add_to_the_digest(client):
    case = make_case()
    post(client, case, case, {**case, "case_no": "changed"})
    digest = client.get(
        "/api/v1/digest", params={"from": "2025-03-01", "to": "2025-03-01"}, headers=AUTH
    ).json()
    assert digest["uuids"] == [case["uuid"]]


def test_token_parsing():
    from central_ref.app import parse_tokens

    tokens = parse_tokens(["a1", "ws02=b2, ws03=c3", "ws04=x=="])
    assert tokens["b2"] == "ws02" and tokens["c3"] == "ws03" and tokens["x=="] == "ws04"
    assert tokens["a1"].startswith("tok-") and len(tokens["a1"]) == 16
    assert parse_tokens(["", " , "]) == {}
    for bad in ("=secret", "name=", "n" * 65 + "=x"):
        with pytest.raises(ValueError):
            parse_tokens([bad])
