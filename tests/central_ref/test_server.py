"""The real server process: ``python -m central_ref serve``, spoken to with ``requests``."""

from __future__ import annotations

import time

import pytest
import requests

from tests.central_ref.conftest import AUTH, free_port, make_case

BATCH = "/api/v1/cases/batch"


def get_case(server, case_uuid: str) -> dict | None:
    response = requests.get(f"{server.url}/api/v1/cases/{case_uuid}", headers=AUTH, timeout=5)
    if response.status_code == 404:
        return None
    response.raise_for_status()
    return response.json()


def get_case_as(server, case_uuid, headers):
    return requests.get(f"{server.url}/api/v1/cases/{case_uuid}", headers=headers, timeout=5).json()


def test_drop_after_commit_loses_the_answer_but_keeps_the_case(start_server):
    server = start_server("--fail-rate", "1.0", "--fault-modes", "drop")
    case = make_case()
    with pytest.raises((requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        requests.post(f"{server.url}{BATCH}", json={"cases": [case]}, headers=AUTH, timeout=5)
    # GETs are never faulted: the case is there, received once.
    listing = requests.get(f"{server.url}/api/v1/cases", headers=AUTH, timeout=5).json()
    assert [(c["uuid"], c["received_count"]) for c in listing["cases"]] == [(case["uuid"], 1)]
    # The client's retry (same uuid) is recognised; its answer is lost again.
    with pytest.raises((requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        requests.post(f"{server.url}{BATCH}", json={"cases": [case]}, headers=AUTH, timeout=5)
    assert get_case(server, case["uuid"])["received_count"] == 2
    assert "injected fault drop" in server.log()
    assert "returned without completing response" not in server.log()


def test_replay_after_a_dropped_answer_is_replayed(start_server, tmp_path):
    db = f"sqlite:///{tmp_path / 'shared.db'}"
    faulty = start_server("--fail-rate", "1.0", "--fault-modes", "drop", db=db)
    case = make_case()
    with pytest.raises((requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        requests.post(f"{faulty.url}{BATCH}", json={"cases": [case]}, headers=AUTH, timeout=5)
    faulty.process.kill()  # the server goes down; it comes back healthy on the same store
    faulty.process.wait(timeout=5)
    healthy = start_server(db=db)
    response = requests.post(
        f"{healthy.url}{BATCH}", json={"cases": [case]}, headers=AUTH, timeout=5
    )
    assert response.status_code == 200
    (result,) = response.json()["results"]
    assert (result["status"], result["received_count"]) == ("replayed", 2)


def test_latency(start_server):
    server = start_server("--latency-ms", "200")
    start = time.monotonic()
    response = requests.post(
        f"{server.url}{BATCH}", json={"cases": [make_case()]}, headers=AUTH, timeout=5
    )
    assert response.status_code == 200
    assert time.monotonic() - start >= 0.2


def test_timeout_mode_processes_late(start_server):
    server = start_server("--fail-rate", "1.0", "--fault-modes", "timeout", "--hang-seconds", "1.5")
    case = make_case()
    with pytest.raises(requests.Timeout):
        requests.post(f"{server.url}{BATCH}", json={"cases": [case]}, headers=AUTH, timeout=0.3)
    assert get_case(server, case["uuid"]) is None  # not yet: the server is "slow"
    deadline = time.monotonic() + 4
    found = None
    while found is None and time.monotonic() < deadline:  # bounded wait for the late commit
        time.sleep(0.1)
        found = get_case(server, case["uuid"])
    assert found is not None and found["received_count"] == 1


def test_error_mode_and_wrong_token(start_server):
    server = start_server("--fail-rate", "1.0", "--fault-modes", "error")
    case = make_case()
    response = requests.post(
        f"{server.url}{BATCH}", json={"cases": [case]}, headers=AUTH, timeout=5
    )
    assert response.status_code == 503
    wrong = requests.post(
        f"{server.url}{BATCH}",
        json={"cases": [case]},
        headers={"Authorization": "Bearer nope"},
        timeout=5,
    )
    assert wrong.status_code == 401
    assert get_case(server, case["uuid"]) is None


def test_explicit_port_and_restart_keeps_the_data(start_server, tmp_path):
    port = free_port()
    db = f"sqlite:///{tmp_path / 'restart.db'}"
    first = start_server(db=db, port=port)
    assert first.url == f"http://127.0.0.1:{port}"
    case = make_case()
    put = requests.put(
        f"{first.url}/api/v1/cases/{case['uuid']}", json=case, headers=AUTH, timeout=5
    )
    assert put.status_code == 201
    first.process.kill()  # SIGKILL: no graceful shutdown
    first.process.wait(timeout=5)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{first.url}/api/v1/health", timeout=1)
    second = start_server(db=db, port=port)
    assert get_case(second, case["uuid"])["received_count"] == 1


def test_several_tokens(start_server):
    server = start_server(token="ws01=alpha,ws02=beta")
    for token, name in (("alpha", "ws01"), ("beta", "ws02")):
        case = make_case()
        headers = {"Authorization": f"Bearer {token}"}
        response = requests.post(
            f"{server.url}{BATCH}", json={"cases": [case]}, headers=headers, timeout=5
        )
        assert response.status_code == 200
        assert get_case_as(server, case["uuid"], headers)["workstation"] == name


@pytest.mark.pg
def test_server_on_postgresql(start_server, pg_url):
    server = start_server("--fail-rate", "1.0", "--fault-modes", "drop", db=pg_url)
    cases = [make_case() for _ in range(3)]
    with pytest.raises((requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        requests.post(f"{server.url}{BATCH}", json={"cases": cases}, headers=AUTH, timeout=5)
    digest = requests.get(
        f"{server.url}/api/v1/digest",
        params={"from": "2025-03-01", "to": "2025-03-01"},
        headers=AUTH,
        timeout=5,
    ).json()
    assert digest["uuids"] == sorted(c["uuid"] for c in cases)


def test_stdout_is_only_the_ready_line(start_server, tmp_path):
    server = start_server()
    requests.get(f"{server.url}/api/v1/cases", headers=AUTH, timeout=5)
    out = (tmp_path / "server0.out").read_text(encoding="utf-8")
    assert out.count("\n") == 1 and out.startswith('{"url": "http://127.0.0.1:')


def test_auditor_token_from_the_command_line_and_tokens_never_logged(start_server):
    secret_ws, secret_other, secret_audit = "ws-secret-4d1f", "ws-secret-9e2a", "audit-secret-77c0"
    server = start_server(
        "--auditor-token",
        f"ops={secret_audit}",
        "--log-level",
        "debug",
        token=f"ws01={secret_ws},ws02={secret_other}",
    )
    mine, theirs = make_case(), make_case()
    for token, case in ((secret_ws, mine), (secret_other, theirs)):
        response = requests.post(
            f"{server.url}{BATCH}",
            json={"cases": [case, make_case(concluded_at="0001-01-01T00:00:00+14:00")]},
            headers={"Authorization": f"Bearer {token}"},
            timeout=5,
        )
        assert [r["status"] for r in response.json()["results"]] == ["created", "invalid"]
    ws01 = {"Authorization": f"Bearer {secret_ws}"}
    audit = {"Authorization": f"Bearer {secret_audit}"}
    assert get_case_as(server, theirs["uuid"], ws01)["error"] == "not_found"
    assert get_case_as(server, theirs["uuid"], audit)["workstation"] == "ws02"
    for wrong in (secret_ws[:-1], secret_audit + "x", "Bearer"):
        response = requests.get(
            f"{server.url}/api/v1/cases", headers={"Authorization": f"Bearer {wrong}"}, timeout=5
        )
        assert response.status_code == 401
    log = server.log()
    assert "invalid case" in log  # the log does record what happened ...
    for secret in (secret_ws, secret_other, secret_audit, secret_ws[:-1]):
        assert secret not in log  # ... but never a token, right or wrong


def test_auditor_token_that_is_also_a_workstation_token_is_refused(tmp_path):
    from central_ref.cli import main

    db = f"sqlite:///{tmp_path / 'c.db'}"
    args = ["serve", "--db", db, "--token", "ws01=same", "--auditor-token", "same"]
    assert main(args) == 2
