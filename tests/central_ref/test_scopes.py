"""Who may read what: a workstation reads only the cases it sent; an auditor reads all.

The cases carry full personal data (names, ID numbers, phone numbers), so one hall PC's token
must not be a key to every hall's cases. Writes cannot reach another workstation's case
either: the stored version is never replaced, and a different version sent under another
token is kept for review without being shown to the owner's workstation.
"""

from __future__ import annotations

import pytest

from tests.central_ref.conftest import AUDITOR, AUTH, make_case

BATCH = "/api/v1/cases/batch"
WS2 = {"Authorization": "Bearer t2"}
DAY = {"from": "2025-03-01", "to": "2025-03-01"}


def send(client, headers, *cases):
    response = client.post(BATCH, json={"cases": list(cases)}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["results"]


def listed(client, headers) -> set[str]:
    page = client.get("/api/v1/cases", params={"limit": 1000}, headers=headers)
    assert page.status_code == 200, page.text
    return {c["uuid"] for c in page.json()["cases"]}


def test_a_workstation_lists_only_its_own_cases(client):
    mine, theirs = make_case(), make_case()
    send(client, AUTH, mine)
    send(client, WS2, theirs)
    assert listed(client, AUTH) == {mine["uuid"]}
    assert listed(client, WS2) == {theirs["uuid"]}
    assert listed(client, AUDITOR) == {mine["uuid"], theirs["uuid"]}


def test_a_workstation_cannot_read_another_ones_case_by_uuid(client):
    theirs = make_case()
    send(client, WS2, theirs)
    path = f"/api/v1/cases/{theirs['uuid']}"
    refused = client.get(path, headers=AUTH)
    # The same answer as for a uuid never received: not even its existence is confirmed.
    assert refused.status_code == 404
    assert refused.json() == client.get(f"/api/v1/cases/{make_case()['uuid']}", headers=AUTH).json()
    assert "王芳" not in refused.text
    owner = client.get(path, headers=WS2)
    assert owner.status_code == 200 and owner.json()["payload"] == theirs["payload"]
    audited = client.get(path, headers=AUDITOR)
    assert audited.status_code == 200 and audited.json()["payload"] == theirs["payload"]


def test_paging_a_scoped_listing_ends_and_skips_nothing(client):
    mine = [make_case(case_no=f"M{i}") for i in range(5)]
    for i, case in enumerate(mine):
        send(client, AUTH, case)
        send(client, WS2, make_case(case_no=f"T{i}"))
    seen, after = [], None
    for _ in range(10):
        params = {"limit": 2, **({"after": after} if after else {})}
        page = client.get("/api/v1/cases", params=params, headers=AUTH).json()
        seen += [c["case_no"] for c in page["cases"]]
        after = page["next"]
        if after is None:
            break
    assert seen == [f"M{i}" for i in range(5)]


def test_digests_are_scoped_to_the_workstation(client):
    mine, theirs = make_case(), make_case()
    send(client, AUTH, mine)
    send(client, WS2, theirs)

    def digest(headers):
        response = client.get("/api/v1/digest", params=DAY, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()

    assert digest(AUTH)["uuids"] == [mine["uuid"]]
    assert digest(WS2)["uuids"] == [theirs["uuid"]]
    assert digest(AUDITOR)["uuids"] == sorted([mine["uuid"], theirs["uuid"]])
    days = client.get("/api/v1/digest/days", params=DAY, headers=AUTH).json()["days"]
    assert [d["count"] for d in days] == [1]
    audited = client.get("/api/v1/digest/days", params=DAY, headers=AUDITOR).json()["days"]
    assert [d["count"] for d in audited] == [2]


def test_another_hall_can_neither_overwrite_a_case_nor_tell_it_exists(client):
    theirs = make_case()
    send(client, WS2, theirs)
    forged = {**theirs, "payload": {"applicant": "冒名"}}
    # The same answer as for a uuid nobody used: the other hall learns nothing.
    fresh = {**make_case(), "payload": {"applicant": "冒名"}}
    (result,) = send(client, AUTH, forged)
    (control,) = send(client, AUTH, fresh)
    assert result["status"] == control["status"] == "created"
    put = client.put(f"/api/v1/cases/{theirs['uuid']}", json=forged, headers=AUTH)
    assert put.status_code == 200  # its own case, replayed: no 409 telling the id is taken
    owner = client.get(f"/api/v1/cases/{theirs['uuid']}", headers=WS2).json()
    assert owner["payload"] == theirs["payload"] and owner["conflicts"] == []
    mine = client.get(f"/api/v1/cases/{theirs['uuid']}", headers=AUTH).json()
    assert mine["payload"] == forged["payload"]  # each hall reads its own


def test_a_redelivery_by_another_pc_of_the_hall_is_a_replay(client):
    """Several PCs of a hall share one outbox: a case may be re-sent by another PC (after a
    lost answer). PCs named HALL/PC are one hall: the same content is a replay, and that PC
    may read what its hall sent."""
    pc1, pc2 = {"Authorization": "Bearer t4"}, {"Authorization": "Bearer t5"}
    case = make_case()
    send(client, pc1, case)
    (result,) = send(client, pc2, case)
    assert result["status"] == "replayed"
    assert listed(client, pc2) == {case["uuid"]}
    digest = client.get("/api/v1/digest", params=DAY, headers=pc2).json()
    assert digest["uuids"] == [case["uuid"]]
    forged = {**case, "payload": {"applicant": "改过"}}
    (conflict,) = send(client, pc2, forged)
    assert conflict["status"] == "conflict"  # within a hall a changed version is a conflict
    assert listed(client, WS2) == set() and listed(client, AUTH) == set()


def test_the_auditor_reads_but_does_not_upload(sqlite_client):
    case = make_case()
    batch = sqlite_client.post(BATCH, json={"cases": [case]}, headers=AUDITOR)
    assert batch.status_code == 403
    assert batch.json()["error"] == "forbidden"
    put = sqlite_client.put(f"/api/v1/cases/{case['uuid']}", json=case, headers=AUDITOR)
    assert put.status_code == 403
    assert listed(sqlite_client, AUDITOR) == set()


def test_auditor_and_workstation_tokens_must_differ(tmp_path):
    from central_ref.app import create_app

    with pytest.raises(ValueError, match="both"):
        create_app(f"sqlite:///{tmp_path / 'c.db'}", ["ws01=same"], auditor_tokens=["same"])


def test_tokens_are_compared_as_fixed_length_digests():
    """Every configured token is compared, each as a SHA-256 digest, so neither the position
    of a mismatch nor a token's length shows in the time a wrong guess takes."""
    from central_ref.auth import TokenTable

    table = TokenTable({"short": "ws01", "a-much-longer-token-value": "ws02"}, {"aud": "auditor"})
    assert table.lookup(b"short").name == "ws01"
    assert table.lookup(b"aud").auditor
    assert table.lookup(b"shor") is None and table.lookup(b"") is None
    assert all(len(digest) == 32 for digest, _ in table.entries)
    assert "short" not in repr(table) and "longer" not in repr(table)
