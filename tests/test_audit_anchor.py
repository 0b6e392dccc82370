"""The audit head leaves the building: a sync pass anchors it at the platform, which never lets
it go backwards, and ``audit verify --against-central`` catches a tail cut together with the
head row (which the local check alone cannot see)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from sqlalchemy import text

from desk_app.security.roles import Role
from desk_app.services.accounts import staff as accounts
from desk_app.services.common import audit, protection
from desk_app.store import Database
from desk_app.store.schema import upgrade
from tests.test_sync_faults import TOKEN, Server
from tests.tools import ADMIN

pytest.importorskip("fastapi", reason="the reference backend needs the [central] extra")
ROOT = Path(__file__).resolve().parent.parent
PW = "Hall-2026x"


@pytest.fixture
def central(tmp_path):
    server = Server(f"sqlite:///{tmp_path / 'central.db'}")
    yield server
    server.stop()


def admin_cli(db: Database, server: Server, *args: str) -> tuple[int, dict, str]:
    """A desk-app command in a child process as the hall's admin (adm), against ``server``."""
    env = dict(
        os.environ,
        DESK_APP_DB=db.url,
        DESK_APP_CENTRAL_URL=server.url,
        DESK_APP_CENTRAL_TOKEN=TOKEN,
        DESK_APP_USER="adm",
        DESK_APP_PASSWORD=PW,
    )
    done = subprocess.run(
        [sys.executable, "-m", "desk_app", *args, "--json"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    lines = done.stdout.strip().splitlines()
    return done.returncode, json.loads(lines[-1]) if lines else {}, done.stderr


def _head(server: Server) -> dict:
    r = requests.get(
        f"{server.url}/api/v1/audit/head", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10
    )
    return {"status": r.status_code, **r.json()}


def test_a_tail_cut_with_its_head_shows_against_the_platform(db_url, central):
    db = Database(db_url).acting_as(ADMIN)
    upgrade(db)
    protection.ensure_hall_key(db)
    accounts.create_account(db, "adm", "管理员", Role.ADMIN, PW)
    with db.begin() as s:
        for i in range(5):
            audit.record(s, "adm", f"probe.{i}")
    assert _head(central)["status"] == 404
    rc, out, err = admin_cli(db, central, "audit", "verify", "--against-central")
    assert rc == 0 and out["central"] == "unknown", err

    rc, _, err = admin_cli(db, central, "sync", "run", "--once")
    assert rc == 0, err
    with db.read() as s:
        last_seq, last_hash = s.execute(text("SELECT seq, hash FROM audit_head")).one()
    anchored = _head(central)
    assert (anchored["seq"], anchored["hash"]) == (last_seq, last_hash)
    rc, out, _ = admin_cli(db, central, "audit", "verify", "--against-central")
    assert rc == 0 and out["central"] in ("match", "ahead") and out["bad"] == []

    # The probe's cut: delete the newest two entries and set the head row back.
    with db.begin() as s:
        s.execute(text("DELETE FROM audit_log WHERE seq > :n"), {"n": last_seq - 2})
        keep = s.execute(text("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")).one()
        s.execute(text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": keep[0], "h": keep[1]})
    rc, out, err = admin_cli(db, central, "audit", "verify")
    assert rc == 0 and out["ok"] is True  # locally the shortened chain is whole ...
    rc, out, err = admin_cli(db, central, "audit", "verify", "--against-central")
    assert rc == 2 and out["central"] == "behind" and out["ok"] is False  # ... not at the platform
    # (the local verify just now wrote new entries over the cut seqs: the anchored one differs)
    assert any(a <= last_seq <= b for a, b in out["bad"]) and "altered" in err

    # Syncing again does not launder it: the trail no longer holds the anchored head, so the
    # hall does not send a new one, and the platform would refuse one that does not extend it.
    rc, out, err = admin_cli(db, central, "sync", "run", "--once")
    assert rc == 0 and out["audit_head"] in ("behind", "fork"), err
    assert (_head(central)["seq"], _head(central)["hash"]) == (last_seq, last_hash)
    db.dispose()


def test_the_platform_refuses_a_head_that_goes_backwards_or_forks(central):
    url, auth = f"{central.url}/api/v1/audit/head", {"Authorization": f"Bearer {TOKEN}"}

    def put(seq: int, digest: str, prev: tuple[int, str] | None = None) -> requests.Response:
        body = {"seq": seq, "hash": digest, "signature": "ab" * 32}
        if prev:
            body |= {"prev_seq": prev[0], "prev_hash": prev[1]}
        return requests.put(url, json=body, headers=auth, timeout=10)

    assert put(5, "a" * 64).json()["status"] == "stored"
    assert put(5, "a" * 64).json()["status"] == "same"
    assert put(4, "b" * 64).status_code == 409 and put(4, "b" * 64).json()["error"] == "behind"
    assert put(5, "c" * 64).status_code == 409 and put(5, "c" * 64).json()["error"] == "fork"
    assert put(9, "d" * 64).json()["error"] == "fork"  # does not say it extends (5, a...)
    assert put(9, "d" * 64, (5, "e" * 64)).json()["error"] == "fork"  # extends another
    assert put(9, "d" * 64, (5, "a" * 64)).json()["status"] == "stored"
    assert put(12, "d" * 64 + "0").status_code == 422  # not a digest
    assert requests.get(url, timeout=10).status_code == 401  # no token, no head
