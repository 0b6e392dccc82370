"""The platform's e-ID code: issued for a person (``central-ref eid-issue``), resolved once by a
hall (``POST /api/v1/eid/resolve``), kept only as a digest with the person sealed at rest."""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest
import requests
from sqlalchemy import create_engine, text

from central_ref import eid
from central_ref.app import create_app
from central_ref.sealing import PREFIX
from tests.central_ref.conftest import AUDITOR, AUTH, ROOT
from tests.ids import mistyped, resident_id

pytest.importorskip("fastapi", reason="the reference backend needs the [central] extra")

RESOLVE = "/api/v1/eid/resolve"
NAME = "王芳"
ID = resident_id("37020219900101122")  # 17th digit even: 女
PC1 = {"Authorization": "Bearer t4"}  # hall-a/pc1
PC2 = {"Authorization": "Bearer t5"}  # hall-a/pc2, the same hall
OTHER_HALL = {"Authorization": "Bearer t2"}  # ws02
T0 = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


def _issue(client, **kw) -> str:
    person = {"name": NAME, "id_number": ID} | kw
    return eid.issue(client.app.state.store, **person)["code"]


def _raw(client, sql: str) -> list[tuple]:
    engine = create_engine(client.app.state.store.url)
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(text(sql))]
    engine.dispose()
    return rows


def _at(monkeypatch, moment: datetime) -> None:
    monkeypatch.setenv("DESK_APP_NOW", moment.isoformat())


def test_a_code_resolves_once_to_its_person(client):
    code = _issue(client, valid_to=datetime(2036, 5, 1).date())
    assert eid.CODE_RE.fullmatch(code) and len(code) == 38
    first = client.post(RESOLVE, json={"code": code}, headers=PC1)
    assert first.status_code == 200, first.text
    body = first.json()
    assert {k: body[k] for k in ("name", "id_number", "sex", "birth", "valid_to")} == {
        "name": NAME,
        "id_number": ID,
        "sex": "女",
        "birth": "1990-01-01",
        "valid_to": "2036-05-01",
    }
    assert body["expires_at"].endswith("Z") and first.headers["cache-control"] == "no-store"
    # One use, whoever asks again: the same PC, another PC of the hall, another hall.
    for headers in (PC1, PC2, OTHER_HALL):
        again = client.post(RESOLVE, json={"code": code}, headers=headers)
        assert again.status_code == 409
        assert again.json()["error"] == "used" and again.json()["detail"]
    ((used_at, used_by),) = _raw(client, "SELECT used_at, used_by FROM eid_codes")
    assert used_at is not None and used_by == "hall-a/pc1"


def test_a_long_term_card_has_no_validity_end(client):
    code = _issue(client)  # 长期 (or not given): null
    body = client.post(RESOLVE, json={"code": code}, headers=AUTH).json()
    assert body["valid_to"] is None and body["sex"] == "女"


def test_a_code_expires_after_its_ttl(client, monkeypatch):
    _at(monkeypatch, T0)
    late, in_time, short = _issue(client), _issue(client), _issue(client, ttl_s=1)
    _at(monkeypatch, T0 + timedelta(seconds=119))
    assert client.post(RESOLVE, json={"code": in_time}, headers=AUTH).status_code == 200
    expired = client.post(RESOLVE, json={"code": short}, headers=AUTH)
    assert expired.status_code == 410 and expired.json()["error"] == "expired"
    _at(monkeypatch, T0 + timedelta(seconds=120))  # expires_at itself is too late
    expired = client.post(RESOLVE, json={"code": late}, headers=AUTH)
    assert expired.status_code == 410 and expired.json()["error"] == "expired"
    # An expired code is not used by asking; a used one stays "used" after its time.
    assert _raw(client, "SELECT count(*) FROM eid_codes WHERE used_at IS NULL") == [(2,)]
    assert client.post(RESOLVE, json={"code": in_time}, headers=AUTH).status_code == 409


def test_an_unknown_code_is_not_found(client):
    _issue(client)
    unknown = eid.new_code()
    response = client.post(RESOLVE, json={"code": unknown}, headers=AUTH)
    assert response.status_code == 404 and response.json()["error"] == "not_found"


@pytest.mark.parametrize(
    "body",
    [
        {"code": "SDEID1" + "A" * 31},  # short
        {"code": "SDEID1" + "A" * 33},  # long
        {"code": "sdeid1" + "a" * 32},  # lower case
        {"code": "SDEID2" + "A" * 32},  # another prefix
        {"code": "SDEID1" + "A" * 31 + "1"},  # 0, 1, 8, 9 are not base32
        {"code": "SDEID1" + "A" * 32 + "\n"},
        {"code": 12345},
        {"kode": "SDEID1" + "A" * 32},
        [],
    ],
)
def test_a_malformed_code_is_an_invalid_request(sqlite_client, body):
    response = sqlite_client.post(RESOLVE, json=body, headers=AUTH)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"
    assert "AAAA" not in response.text and "aaaa" not in response.text  # nothing echoed


def test_only_a_workstation_token_resolves(sqlite_client):
    code = _issue(sqlite_client)
    no_token = sqlite_client.post(RESOLVE, json={"code": code})
    assert no_token.status_code == 401  # the gate's answer to every route without a token
    auditor = sqlite_client.post(RESOLVE, json={"code": code}, headers=AUDITOR)
    assert auditor.status_code == 403 and auditor.json()["error"] == "forbidden"
    # Neither used the code.
    assert sqlite_client.post(RESOLVE, json={"code": code}, headers=AUTH).status_code == 200


def test_twenty_concurrent_resolves_give_the_person_once(client):
    code = _issue(client)
    start = threading.Barrier(20)
    statuses: list[int] = []
    lock = threading.Lock()
    headers = [PC1, PC2, OTHER_HALL, AUTH]

    def ask(n: int) -> None:
        start.wait(timeout=10)
        status = client.post(RESOLVE, json={"code": code}, headers=headers[n % 4]).status_code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(statuses) == [200] + [409] * 19


def test_the_store_resolves_once_under_concurrency(client):
    """The check-and-mark itself, without the HTTP layer: 20 threads, one store."""
    store = client.app.state.store
    code = _issue(client)
    start = threading.Barrier(20)
    outcomes: list[str] = []

    def use(n: int) -> None:
        start.wait(timeout=10)
        outcomes.append(eid.resolve(store, code, f"ws{n}")[0])

    threads = [threading.Thread(target=use, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["resolved"] + ["used"] * 19


def test_only_the_digest_is_kept_and_the_person_is_sealed(client):
    code = _issue(client)
    ((sha, name, id_number, sex, birth),) = _raw(
        client, "SELECT code_sha256, name, id_number, sex, birth FROM eid_codes"
    )
    assert sha == hashlib.sha256(code.encode()).hexdigest()
    for sealed in (name, id_number):
        assert sealed.startswith(PREFIX) and NAME not in sealed and ID not in sealed
    everything = json.dumps(_raw(client, "SELECT * FROM eid_codes"), default=str)
    assert code not in everything and code[6:] not in everything
    assert ID not in everything and ID[:17] not in everything and NAME not in everything
    assert sex == "女" and str(birth).startswith("1990-01-01")
    # A sealed value is bound to its row: moved to another code, it does not open.
    other = _issue(client)
    engine = create_engine(client.app.state.store.url)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE eid_codes SET name = :n WHERE code_sha256 = :s"),
            {"n": name, "s": hashlib.sha256(other.encode()).hexdigest()},
        )
    engine.dispose()
    with pytest.raises(ValueError):
        eid.resolve(client.app.state.store, other, "ws")
    ((used,),) = _raw(client, "SELECT count(*) FROM eid_codes WHERE used_at IS NOT NULL")
    assert used == 0  # the failed read rolled the use back


def test_resolving_logs_neither_the_code_nor_the_person(sqlite_client, caplog):
    caplog.set_level(logging.DEBUG)
    code = _issue(sqlite_client)
    for _ in range(2):
        sqlite_client.post(RESOLVE, json={"code": code}, headers=PC1)
    sqlite_client.post(RESOLVE, json={"code": eid.new_code()}, headers=PC1)
    assert "resolved for hall-a/pc1" in caplog.text and "used for hall-a/pc1" in caplog.text
    for secret in (code, code[6:], NAME, ID):
        assert secret not in caplog.text


def test_injected_faults_apply_and_an_error_does_not_use_the_code(tmp_path):
    from starlette.testclient import TestClient

    url = f"sqlite:///{tmp_path / 'c.db'}"
    faulty = create_app(url, {"t1"}, fail_rate=1.0, fault_modes=["error"])
    code = eid.issue(faulty.state.store, name=NAME, id_number=ID)["code"]
    with TestClient(faulty) as client:
        response = client.post(RESOLVE, json={"code": code}, headers=AUTH)
        assert response.status_code == 503 and response.headers["retry-after"] == "1"
    faulty.state.store.dispose()
    healthy = create_app(url, {"t1"})
    with TestClient(healthy) as client:
        assert client.post(RESOLVE, json={"code": code}, headers=AUTH).status_code == 200
    healthy.state.store.dispose()


# -- the command ---------------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "central_ref", "eid-issue", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )  # fmt: skip


def test_eid_issue_prints_one_json_line(tmp_path, capsys, monkeypatch):
    from central_ref.cli import main

    _at(monkeypatch, T0)
    db = f"sqlite:///{tmp_path / 'c.db'}"
    args = ["eid-issue", "--db", db, "--name", NAME, "--id", ID.lower(), "--ttl", "300"]
    assert main([*args, "--valid-to", "长期", "--sex", "女", "--birth", "1990-01-01"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    issued = json.loads(out)
    assert set(issued) == {"code", "expires_at"}
    assert eid.CODE_RE.fullmatch(issued["code"])
    assert issued["expires_at"] == "2026-11-30T02:05:00Z"
    app = create_app(db, {"t1"})
    from starlette.testclient import TestClient

    with TestClient(app) as client:
        body = client.post(RESOLVE, json={"code": issued["code"]}, headers=AUTH).json()
    app.state.store.dispose()
    assert (body["id_number"], body["valid_to"]) == (ID, None)


@pytest.mark.parametrize(
    "bad",
    [
        ["--id", mistyped(ID)],  # the check character fails
        ["--id", ID[:17]],
        ["--id", ID + "1"],
        ["--id", "37020219901301123X"],  # no 13th month
        ["--name", " "],
        ["--sex", "男"],  # the ID says 女
        ["--sex", "M"],
        ["--birth", "1990-01-02"],
        ["--birth", "1990-1-1x"],
        ["--valid-to", "2036-02-30"],
        ["--valid-to", "永久"],
        ["--ttl", "0"],
        ["--ttl", "86401"],
        ["--ttl", "ten"],
    ],
)
def test_eid_issue_refuses_bad_input_in_one_line(tmp_path, bad):
    from central_ref.cli import main

    path = tmp_path / "c.db"
    args = {"--name": NAME, "--id": ID}
    for key, value in zip(bad[::2], bad[1::2], strict=True):
        args[key] = value
    argv = ["eid-issue", "--db", f"sqlite:///{path}", *[x for kv in args.items() for x in kv]]
    assert main(argv) == 2
    assert not path.exists()  # refused before the database


def test_eid_issue_as_a_command(tmp_path):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    done = _cli("--db", db, "--name", NAME, "--id", mistyped(ID))
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and ID not in done.stderr
    done = _cli("--db", db, "--name", NAME, "--id", ID, "--valid-to", "2030-01-01")
    assert done.returncode == 0, done.stderr
    assert eid.CODE_RE.fullmatch(json.loads(done.stdout)["code"])


# -- against a real server -----------------------------------------------------------------------


def test_issue_and_resolve_against_a_running_server(start_server, tmp_path):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    server = start_server("--log-level", "debug", db=db, token="hall-a/pc1=ws-secret-1")
    headers = {"Authorization": "Bearer ws-secret-1"}
    issued = _cli("--db", db, "--name", NAME, "--id", ID)
    assert issued.returncode == 0, issued.stderr
    code = json.loads(issued.stdout)["code"]
    url = f"{server.url}{RESOLVE}"
    first = requests.post(url, json={"code": code}, headers=headers, timeout=10)
    assert first.status_code == 200 and first.json()["id_number"] == ID
    again = requests.post(url, json={"code": code}, headers=headers, timeout=10)
    assert again.status_code == 409 and again.json()["error"] == "used"
    unknown = requests.post(url, json={"code": eid.new_code()}, headers=headers, timeout=10)
    assert unknown.status_code == 404

    # Twenty halls' requests at once: one person.
    code = json.loads(_cli("--db", db, "--name", NAME, "--id", ID).stdout)["code"]
    start = threading.Barrier(20)
    statuses: list[int] = []

    def ask() -> None:
        start.wait(timeout=10)
        statuses.append(
            requests.post(url, json={"code": code}, headers=headers, timeout=30).status_code
        )

    threads = [threading.Thread(target=ask) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(statuses) == [200] + [409] * 19
    log = server.log()
    assert "e-ID code resolved for hall-a/pc1" in log
    for secret in (code, code[6:], NAME, ID):
        assert secret not in log


def test_a_dropped_answer_has_used_the_code(start_server, tmp_path):
    """The answer is lost after the commit: the code is gone, and asking again is a 409 (the
    holder refreshes it); this is why a client does not retry a resolve."""
    db = f"sqlite:///{tmp_path / 'c.db'}"
    server = start_server("--fail-rate", "1.0", "--fault-modes", "drop", db=db)
    code = json.loads(_cli("--db", db, "--name", NAME, "--id", ID).stdout)["code"]
    with pytest.raises((requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        requests.post(f"{server.url}{RESOLVE}", json={"code": code}, headers=AUTH, timeout=10)
    server.process.terminate()
    server.process.wait(timeout=10)
    healthy = start_server(db=db)
    again = requests.post(f"{healthy.url}{RESOLVE}", json={"code": code}, headers=AUTH, timeout=10)
    assert again.status_code == 409
