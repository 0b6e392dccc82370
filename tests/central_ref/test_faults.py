"""Fault injection in process: which requests it hits and what an injected error looks like."""

from __future__ import annotations

import time

import pytest

from central_ref.app import create_app
from central_ref.faults import FaultInjector, parse_modes
from tests.central_ref.conftest import AUTH, make_case

BATCH = "/api/v1/cases/batch"


def _client(tmp_path, **faults):
    from starlette.testclient import TestClient

    app = create_app(f"sqlite:///{tmp_path / 'c.db'}", {"t1"}, **faults)
    return TestClient(app)


def test_error_mode_is_503_and_nothing_is_stored(tmp_path):
    with _client(tmp_path, fail_rate=1.0, fault_modes=["error"]) as client:
        case = make_case()
        response = client.post(BATCH, json={"cases": [case]}, headers=AUTH)
        assert response.status_code == 503
        assert response.headers["retry-after"] == "1"
        assert response.json()["error"] == "unavailable"
        put = client.put(f"/api/v1/cases/{case['uuid']}", json=case, headers=AUTH)
        assert put.status_code == 503
        # Reads are never failed: a harness can watch a misbehaving server.
        listing = client.get("/api/v1/cases", headers=AUTH)
        assert listing.status_code == 200 and listing.json()["cases"] == []
        assert client.get("/api/v1/health").status_code == 200


def test_auth_is_checked_before_faults(tmp_path):
    with _client(tmp_path, fail_rate=1.0, fault_modes=["error"]) as client:
        response = client.post(BATCH, json={"cases": [make_case()]})
        assert response.status_code == 401


def test_fail_rate_is_roughly_honoured_and_seeded(tmp_path):
    def run(seed: int) -> list[int]:
        with _client(tmp_path, fail_rate=0.3, fault_modes=["error"], seed=seed) as client:
            return [
                client.post(BATCH, json={"cases": [make_case()]}, headers=AUTH).status_code
                for _ in range(100)
            ]

    first = run(7)
    assert set(first) == {200, 503}
    assert 15 <= first.count(503) <= 45
    assert run(7) == first


def test_latency_applies_to_reads_too_but_not_health(tmp_path):
    with _client(tmp_path, latency_ms=150) as client:
        start = time.monotonic()
        client.get("/api/v1/cases", headers=AUTH)
        assert time.monotonic() - start >= 0.15
        start = time.monotonic()
        client.get("/api/v1/health")
        assert time.monotonic() - start < 0.15


def test_fault_mode_parsing():
    assert parse_modes("drop, error,drop") == ("drop", "error")
    for bad in ("", "explode", ","):
        with pytest.raises(ValueError):
            parse_modes(bad)
    with pytest.raises(ValueError):
        FaultInjector(lambda *a: None, fail_rate=1.5)
