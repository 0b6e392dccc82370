"""The scanned materials of a case on the platform: ``PUT``/``GET
/api/v1/cases/{case_uuid}/files/{file_id}``, resumable, idempotent, checked, scoped per hall,
sealed at rest."""

from __future__ import annotations

import hashlib
import os

import pytest
from sqlalchemy import create_engine, text

from central_ref import files
from tests.central_ref.conftest import AUDITOR, AUTH, make_case

pytest.importorskip("fastapi", reason="the reference backend needs the [central] extra")

PC1 = {"Authorization": "Bearer t4"}  # hall-a/pc1
PC2 = {"Authorization": "Bearer t5"}  # hall-a/pc2, the same hall
OTHER_HALL = {"Authorization": "Bearer t2"}  # ws02
PDF = b"%PDF-1.4\n" + os.urandom(70_000) + b"\n%%EOF\n"
SHA = hashlib.sha256(PDF).hexdigest()


def delivered_case(client, headers=AUTH) -> str:
    case = make_case()
    r = client.put(f"/api/v1/cases/{case['uuid']}", json=case, headers=headers)
    assert r.status_code == 201, r.text
    return case["uuid"]


def put(client, case_uuid, offset, chunk, *, headers=AUTH, file_id=1, **meta):
    params = {"offset": offset, "total": len(PDF), "sha256": SHA, "material": "birth", "pages": 2}
    params |= meta
    return client.put(
        f"/api/v1/cases/{case_uuid}/files/{file_id}",
        params=params,
        content=chunk,
        headers=headers | {"Content-Type": "application/octet-stream"},
    )


def status(client, case_uuid, *, headers=AUTH, file_id=1):
    return client.get(f"/api/v1/cases/{case_uuid}/files/{file_id}", headers=headers)


def send_whole(client, case_uuid, *, size=30_000, headers=AUTH, file_id=1):
    last = None
    for start in range(0, len(PDF), size):
        last = put(client, case_uuid, start, PDF[start : start + size], headers=headers,
                   file_id=file_id)  # fmt: skip
        assert last.status_code == 200, last.text
    return last


def test_chunks_make_a_complete_file_whose_bytes_are_kept_sealed(client):
    case = delivered_case(client)
    assert status(client, case).status_code == 404
    first = put(client, case, 0, PDF[:30_000])
    assert first.json() == {"received": 30_000, "complete": False}
    assert status(client, case).json() == {"received": 30_000, "complete": False}
    last = send_whole(client, case)
    assert last.json() == {"received": len(PDF), "complete": True}
    assert status(client, case).json() == {"received": len(PDF), "complete": True}
    store = client.app.state.store
    assert files.file_bytes(store, "tok-" + hashlib.sha256(b"t1").hexdigest()[:12], case, 1) == PDF
    with create_engine(store.url).connect() as conn:
        stored = b"".join(r[0] for r in conn.execute(text("SELECT data FROM received_file_chunks")))
    assert PDF[9:100] not in stored  # sealed at rest
    stats = files.file_stats(store)
    assert (stats["complete"], stats["chunk_bytes"], stats["beyond_total"]) == (1, len(PDF), 0)


def test_a_complete_file_sent_again_is_complete_with_no_change(client):
    case = delivered_case(client)
    send_whole(client, case)
    before = files.file_stats(client.app.state.store)
    for offset in (0, 30_000, 60_000):
        again = put(client, case, offset, PDF[offset : offset + 30_000])
        assert again.status_code == 200 and again.json() == {"received": len(PDF), "complete": True}
    assert files.file_stats(client.app.state.store) == before


def test_a_retried_chunk_is_acknowledged_and_an_overlap_adds_only_its_tail(client):
    case = delivered_case(client)
    put(client, case, 0, PDF[:30_000])
    again = put(client, case, 0, PDF[:30_000])  # its answer was lost
    assert again.status_code == 200 and again.json()["received"] == 30_000
    below = put(client, case, 10_000, PDF[10_000:20_000])
    assert below.json()["received"] == 30_000
    overlap = put(client, case, 20_000, PDF[20_000:50_000])
    assert overlap.json() == {"received": 50_000, "complete": False}
    assert put(client, case, 50_000, PDF[50_000:]).json()["complete"] is True
    assert files.file_stats(client.app.state.store)["chunk_bytes"] == len(PDF)


def test_a_gap_is_409_with_what_is_held(client):
    case = delivered_case(client)
    put(client, case, 0, PDF[:10_000])
    gap = put(client, case, 20_000, PDF[20_000:30_000])
    assert gap.status_code == 409
    assert gap.json()["error"] == "gap" and gap.json()["received"] == 10_000
    assert status(client, case).json()["received"] == 10_000


def test_a_bad_checksum_is_422_and_the_partial_data_is_discarded(client):
    case = delivered_case(client)
    put(client, case, 0, PDF[:40_000])
    bad = put(client, case, 40_000, b"x" * (len(PDF) - 40_000))
    assert bad.status_code == 422
    assert bad.json()["error"] == "checksum_mismatch" and bad.json()["received"] == 0
    assert status(client, case).json() == {"received": 0, "complete": False}
    assert files.file_stats(client.app.state.store)["chunks"] == 0
    assert send_whole(client, case).json()["complete"] is True  # sent again from 0


def test_metadata_must_stay_that_of_the_first_chunk(client):
    case = delivered_case(client)
    put(client, case, 0, PDF[:10_000])
    for change in ({"sha256": "0" * 64}, {"total": len(PDF) + 1}, {"material": "other"}):
        refused = put(client, case, 10_000, PDF[10_000:20_000], **change)
        assert refused.status_code == 409 and refused.json()["error"] == "conflict"
        assert refused.json()["received"] == 10_000


def test_limits_are_413(client):
    case = delivered_case(client)
    big = put(client, case, 0, b"x" * (files.MAX_CHUNK_BYTES + 1), total=files.MAX_CHUNK_BYTES * 2)
    assert big.status_code == 413 and big.json()["error"] == "too_large"
    huge = put(client, case, 0, PDF[:100], total=files.MAX_FILE_BYTES + 1)
    assert huge.status_code == 413
    assert status(client, case).status_code == 404


def test_malformed_requests_are_422(client):
    case = delivered_case(client)
    assert put(client, case, 0, b"").status_code == 422  # an empty chunk
    assert put(client, case, len(PDF) - 5, PDF[-10:] + b"12345").status_code == 422  # past total
    assert put(client, case, 0, PDF[:10], sha256="not-a-digest").status_code == 422
    assert put(client, case, -1, PDF[:10]).status_code == 422
    assert put(client, "not-a-uuid", 0, PDF[:10]).status_code == 422
    assert put(client, case, 0, PDF[:10], file_id=0).status_code == 422


def test_a_file_needs_its_case_delivered_by_the_same_hall(client):
    theirs = delivered_case(client, OTHER_HALL)
    refused = put(client, theirs, 0, PDF[:10])
    assert refused.status_code == 404 and refused.json()["error"] == "not_found"


def test_an_auditor_reads_and_never_uploads(client):
    case = delivered_case(client)
    assert put(client, case, 0, PDF[:10], headers=AUDITOR).status_code == 403
    assert status(client, case, headers=AUDITOR).status_code == 404
    put(client, case, 0, PDF[:10])
    assert status(client, case, headers=AUDITOR).json() == {"received": 10, "complete": False}


def test_unknown_file_and_no_token(client):
    case = delivered_case(client)
    assert status(client, case, file_id=99).status_code == 404
    assert client.get(f"/api/v1/cases/{case}/files/1").status_code == 401
    assert put(client, case, 0, PDF[:10], headers={}).status_code == 401


def test_another_halls_same_ids_are_its_own_file(client):
    case = make_case()
    for headers in (PC1, OTHER_HALL):
        assert client.put(f"/api/v1/cases/{case['uuid']}", json=case, headers=headers).is_success
    put(client, case["uuid"], 0, PDF[:30_000], headers=PC1)
    # The other hall learns nothing of hall-a's file and starts its own from 0.
    assert status(client, case["uuid"], headers=OTHER_HALL).status_code == 404
    gap = put(client, case["uuid"], 30_000, PDF[30_000:60_000], headers=OTHER_HALL)
    assert gap.status_code == 409 and gap.json()["received"] == 0
    assert send_whole(client, case["uuid"], headers=OTHER_HALL).json()["complete"] is True
    # hall-a's other PC resumes hall-a's file where pc1 left it.
    assert status(client, case["uuid"], headers=PC2).json() == {"received": 30_000,
                                                                "complete": False}  # fmt: skip
    assert put(client, case["uuid"], 30_000, PDF[30_000:], headers=PC2).json()["complete"]
    assert files.file_stats(client.app.state.store)["complete"] == 2
