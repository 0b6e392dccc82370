"""Sync under real faults: real processes, a real server on 127.0.0.1, SIGKILL at random.

The reference backend fails 30% of uploads (503, a hang past the client's timeout, or the
connection dropped after it committed), goes down for a while and comes back; the sync
process is killed with SIGKILL 20 times at random moments. At the end every concluded case is
on the server exactly once in effect, received_count shows the retries, and nothing is pending
or lost locally.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from desk_app.services.cases import actions as cases
from desk_app.services.common import protection
from desk_app.services.hall import setup as hall
from desk_app.store import Database
from desk_app.store.schema import upgrade
from desk_app.sync import outbox
from tests.ids import resident_id
from tests.tools import ADMIN

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "ws-01"
SUBMIT = ["application_form", "parents_id_cards", "household_register", "marriage_certificate"]

pytest.importorskip("fastapi", reason="the reference backend needs the [central] extra")


class Server:
    def __init__(self, db_url: str, *args: str, port: int = 0) -> None:
        self.url_db = db_url.removeprefix("sqlite:///")  # the file, for checks of what is stored
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "central_ref",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--db",
                db_url,
                "--token",
                TOKEN,
                "--no-access-log",
                *args,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=ROOT,
        )
        line = self.proc.stdout.readline()  # {"url": ..., "pid": ...} once listening
        assert line, "central-ref did not start"
        self.url = json.loads(line)["url"]
        self.port = int(self.url.rsplit(":", 1)[1])

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)

    def cases(self) -> list[dict]:
        out, after = [], None
        for _ in range(1000):
            params = {"limit": 1000} | ({"after": after} if after else {})
            r = requests.get(
                f"{self.url}/api/v1/cases",
                params=params,
                timeout=10,
                headers={"Authorization": f"Bearer {TOKEN}"},
            )
            r.raise_for_status()
            body = r.json()
            out += body["cases"]
            after = body["next"]
            if not after:
                return out
        raise AssertionError("paging did not end")


@pytest.fixture
def client_hall(tmp_path):
    url = f"sqlite:///{tmp_path / 'hall.db'}"
    db = Database(url).acting_as(ADMIN)
    upgrade(db)
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    return db


def conclude(db: Database, n: int) -> list[str]:
    ids = []
    for _ in range(n):
        ref = cases.open_case(db, "newborn", "张三丰", applicant_id=resident_id())
        cases.receive(db, ref.case_no, SUBMIT)
        cases.decide(db, ref.case_no, "accept")
        cases.conclude(db, ref.case_no, evaluation=5)
        ids.append(ref.id)
    return ids


def sync_env(db: Database, server: Server) -> dict[str, str]:
    return dict(
        os.environ,
        DESK_APP_DB=db.url,
        DESK_APP_CENTRAL_URL=server.url,
        DESK_APP_CENTRAL_TOKEN=TOKEN,
        DESK_APP_SYNC_BACKOFF="0.05,0.5",
        DESK_APP_SYNC_TIMEOUT="1.5",
        DESK_APP_SYNC_BATCH="7",
    )


def sync_once(env: dict[str, str]) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "desk_app", "sync", "run", "--once", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.mark.slow
def test_sigkill_faulty_server_and_outage_lose_and_double_nothing(client_hall, tmp_path):
    db = client_hall
    rng = random.Random(20261127)
    ids = conclude(db, 60)
    server_db = f"sqlite:///{tmp_path / 'central.db'}"
    faults = [
        "--fail-rate",
        "0.3",
        "--fault-modes",
        "drop,error,timeout",
        "--hang-seconds",
        "3",
        "--seed",
        "7",
    ]
    server = Server(server_db, *faults)
    env = sync_env(db, server)
    kills = 0
    more: list[str] = []
    try:
        for round_ in range(20):
            if round_ == 8:  # the backend goes away for a while ...
                server.stop()
            if round_ == 11:  # ... and comes back on the same address
                server = Server(server_db, *faults, port=server.port)
            if round_ % 5 == 2:  # the hall keeps concluding cases meanwhile
                more += conclude(db, 3)
            proc = subprocess.Popen(
                [sys.executable, "-m", "desk_app", "sync", "run", "--interval", "0.05"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=ROOT,
            )
            time.sleep(rng.uniform(0.3, 2.0))
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            kills += 1
        server.stop()
        server = Server(server_db, port=server.port)  # healthy again: let it drain
        # Rows leased by a killed run become due again when the lease ends (about 18 s here).
        deadline = time.monotonic() + 120
        while sync_once(env)["pending"] and time.monotonic() < deadline:
            time.sleep(0.5)
        received = server.cases()
    finally:
        server.stop()
    assert kills == 20
    every = set(ids + more)
    uuids = [c["uuid"] for c in received]
    assert len(uuids) == len(set(uuids)), "a case is on the server twice"
    assert set(uuids) == every, "a case was lost or invented"
    assert sum(c["received_count"] for c in received) > len(every), "no retry was ever needed"
    st = outbox.status(db)
    assert (st.pending, st.sent, st.dead) == (0, len(every), 0)


@pytest.mark.slow
def test_restored_server_is_healed_by_reconcile(client_hall, tmp_path):
    db = client_hall
    ids = conclude(db, 12)
    server_db = f"sqlite:///{tmp_path / 'central.db'}"
    server = Server(server_db)
    try:
        env = sync_env(db, server)
        assert sync_once(env)["sent"] == 12
        forgot = subprocess.run(
            [
                sys.executable,
                "-m",
                "central_ref",
                "forget",
                "--db",
                server_db,
                "--last",
                "4",
                "--json",
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
        assert json.loads(forgot.stdout)
        assert len(server.cases()) == 8
        since = time.strftime("%Y-%m-%d", time.localtime(time.time() - 86400 * 2))
        out = subprocess.run(
            [sys.executable, "-m", "desk_app", "sync", "reconcile", "--since", since, "--json"],
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
        assert out.returncode == 0, out.stderr
        result = json.loads(out.stdout)
        assert (result["missing"], result["sent"], result["pending"]) == (4, 4, 0)
        assert {c["uuid"] for c in server.cases()} == set(ids)
    finally:
        server.stop()


@pytest.mark.slow
def test_poison_case_is_a_dead_letter_and_the_others_arrive(client_hall, tmp_path):
    from sqlalchemy import select

    from desk_app.store.case_models import SyncOutbox

    db = client_hall
    ids = conclude(db, 5)
    with db.begin() as s:  # corrupt one payload the way a buggy older release might have
        row = s.scalars(select(SyncOutbox).order_by(SyncOutbox.id)).all()[2]
        bad = protection.unseal_json(row.payload, "sync_outbox.payload")
        bad["payload"] = "not an object"
        row.payload = protection.seal_json(bad, "sync_outbox.payload")
    server = Server(f"sqlite:///{tmp_path / 'central.db'}")
    try:
        result = sync_once(sync_env(db, server))
        assert (result["sent"], result["dead"], result["pending"]) == (4, 1, 0)
        assert {c["uuid"] for c in server.cases()} == set(ids) - {bad["uuid"]}
        dead = outbox.dead_letters(db)
        assert len(dead) == 1 and "invalid" in dead[0].reason
    finally:
        server.stop()


def test_wrong_token_stops_with_a_clear_message(client_hall, tmp_path):
    conclude(client_hall, 1)
    server = Server(f"sqlite:///{tmp_path / 'central.db'}")
    try:
        env = sync_env(client_hall, server) | {"DESK_APP_CENTRAL_TOKEN": "stolen"}
        out = subprocess.run(
            [sys.executable, "-m", "desk_app", "sync", "run", "--once"],
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
        assert out.returncode == 2 and "401" in out.stderr
        assert outbox.status(client_hall).pending == 1
    finally:
        server.stop()


@pytest.mark.slow
@pytest.mark.parametrize("concluded_at", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_unrepresentable_concluded_at_is_one_dead_letter(client_hall, tmp_path, concluded_at):
    """The server answers such a case invalid inside its batch (it used to fail the whole
    batch with a 500, so nothing was delivered and the case was retried for ever)."""
    from sqlalchemy import select

    from desk_app.store.case_models import SyncOutbox

    db = client_hall
    ids = conclude(db, 5)
    with db.begin() as s:  # a hall PC whose clock or an import produced an absurd time
        row = s.scalars(select(SyncOutbox).order_by(SyncOutbox.id)).all()[1]
        bad = protection.unseal_json(row.payload, "sync_outbox.payload")
        bad["concluded_at"] = concluded_at
        row.payload = protection.seal_json(bad, "sync_outbox.payload")
    server = Server(f"sqlite:///{tmp_path / 'central.db'}")
    try:
        env = sync_env(db, server) | {"DESK_APP_SYNC_BATCH": "50"}
        result = sync_once(env)
        assert (result["sent"], result["dead"], result["pending"]) == (4, 1, 0)
        assert {c["uuid"] for c in server.cases()} == set(ids) - {bad["uuid"]}
        (dead,) = outbox.dead_letters(db)
        assert "invalid" in dead.reason and "concluded_at" in dead.reason
    finally:
        server.stop()
