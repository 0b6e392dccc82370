"""The reference backend keeps personal data sealed at rest: case payloads, conflicting
versions and online bookings' name, ID number and phone; the API still answers in clear."""

from __future__ import annotations

import base64
import os
import stat

import pytest
from sqlalchemy import create_engine, text

from central_ref.sealing import PREFIX, Sealer, SealError, key_file, sealer_for
from tests.central_ref.conftest import AUDITOR, AUTH, make_case

pytest.importorskip("fastapi", reason="the reference backend needs the [central] extra")


def _raw(client, sql: str) -> list[str]:
    engine = create_engine(client.app.state.store.url)
    with engine.connect() as conn:
        rows = [str(r[0]) for r in conn.execute(text(sql))]
    engine.dispose()
    return rows


def test_payloads_are_sealed_at_rest_and_read_in_clear(client):
    case = make_case(payload={"applicant": "王芳", "id_no": "370202199001011234"})
    assert client.put(f"/api/v1/cases/{case['uuid']}", json=case, headers=AUTH).status_code == 201
    forged = {**case, "payload": {"applicant": "李雷", "id_no": "370202199001011234"}}
    assert client.put(f"/api/v1/cases/{case['uuid']}", json=forged, headers=AUTH).status_code == 409
    stored = _raw(client, "SELECT payload FROM received_cases") + _raw(
        client, "SELECT payload FROM conflicting_versions"
    )
    assert len(stored) == 2
    for value in stored:
        assert PREFIX in value and "王芳" not in value and "李雷" not in value
        assert "370202199001011234" not in value
    got = client.get(f"/api/v1/cases/{case['uuid']}", headers=AUDITOR).json()
    assert got["payload"] == case["payload"]
    assert [c["payload"] for c in got["conflicts"]] == [forged["payload"]]


def test_a_sealed_value_opens_only_with_its_key_and_its_row():
    a, b = Sealer(os.urandom(32)), Sealer(os.urandom(32))
    sealed = a.seal_text("370202199001011234", "hall-a:uuid-1")
    assert a.open_text(sealed, "hall-a:uuid-1") == "370202199001011234"
    with pytest.raises(SealError):
        b.open_text(sealed, "hall-a:uuid-1")
    with pytest.raises(SealError):
        a.open_text(sealed, "hall-a:uuid-2")  # moved to another row
    assert a.open_text("stored before sealing", "x") == "stored before sealing"


def test_the_key_file_is_made_owner_only_once(tmp_path, monkeypatch):
    monkeypatch.delenv("CENTRAL_REF_DATA_KEY", raising=False)
    monkeypatch.delenv("CENTRAL_REF_DATA_KEY_FILE", raising=False)
    db = tmp_path / "central.db"
    first = sealer_for(f"sqlite:///{db}")
    keyfile = tmp_path / "central.db.key"
    assert stat.S_IMODE(keyfile.stat().st_mode) == 0o600
    sealed = first.seal_text("王芳", "c")
    assert sealer_for(f"sqlite:///{db}").open_text(sealed, "c") == "王芳"  # the same key again
    assert len(base64.b64decode(keyfile.read_text())) == 32
    keyfile.write_text("not a key\n")
    with pytest.raises(SealError, match="base64|32 bytes"):
        key_file(keyfile)
    with pytest.raises(SealError, match="data key is needed"):
        sealer_for("postgresql+psycopg://root@127.0.0.1:5432/x")


def test_a_new_sqlite_file_is_owner_only(tmp_path):
    from central_ref.store import Store

    store = Store(f"sqlite:///{tmp_path / 'central.db'}")
    store.create_schema()
    store.dispose()
    assert stat.S_IMODE((tmp_path / "central.db").stat().st_mode) == 0o600
