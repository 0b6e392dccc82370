"""The scanned materials of delivered cases reach a real ``central-ref serve``, exactly once in
effect: through kills of the client (mid-file, and after the platform completed a file but before
the hall marked it), injected faults, a checksum refused by the platform, and a second hall
using the same ids; the retention purge never takes a file its case still owes."""

from __future__ import annotations

import hashlib
import logging
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import requests
from sqlalchemy import select, update

from desk_app.services.cases import actions as cases
from desk_app.services.cases import files as case_files
from desk_app.services.hall import setup as hall_setup
from desk_app.store import Database
from desk_app.store.case_models import CaseFile, SyncOutbox
from desk_app.store.schema import upgrade
from desk_app.sync import files_sync, outbox
from desk_app.sync.client import CentralClient
from desk_app.sync.config import SyncConfig
from desk_app.sync.retention import purge_personal_data
from tests.ids import resident_id
from tests.test_sync_faults import ROOT, SUBMIT, TOKEN, Server, sync_env, sync_once
from tests.tools import ADMIN

pytest.importorskip("fastapi", reason="the reference backend needs the [central] extra")

from central_ref import files as central_files  # noqa: E402
from central_ref.store import Store  # noqa: E402

SCANNED = SUBMIT[1:]  # three materials scanned, the application form on paper
OWNER = "tok-" + hashlib.sha256(TOKEN.encode()).hexdigest()[:12]  # the bare token's hall
NAME = "张三丰"


class Killed(BaseException):
    """The client process dying: nothing after it runs (not an Exception: no handler stops it)."""


class Session(requests.Session):
    """Counts PUTs and their bytes; can die after the Nth PUT (its answer lost) or corrupt one."""

    def __init__(self, *, kill_after: int | None = None, corrupt: int | None = None) -> None:
        super().__init__()
        self.kill_after, self.corrupt = kill_after, corrupt
        self.puts: list[tuple[str, int, int]] = []  # (path, offset, bytes)

    def request(self, method, url, *args, **kw):  # type: ignore[no-untyped-def]
        if method == "PUT":
            if len(self.puts) + 1 == self.corrupt:
                kw["data"] = bytes([kw["data"][0] ^ 1]) + kw["data"][1:]
            self.puts.append((url.split("/api/")[1], kw["params"]["offset"], len(kw["data"])))
        resp = super().request(method, url, *args, **kw)
        if method == "PUT" and len(self.puts) == self.kill_after:
            raise Killed
        return resp


def client_for(server: Server, session: requests.Session | None = None, token: str = TOKEN):
    config = SyncConfig(url=server.url, token=token, read_timeout_s=1.5, backoff_max_s=0.5)
    return CentralClient(config, session)


@pytest.fixture
def hall(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'hall.db'}").acting_as(ADMIN)
    upgrade(db)
    hall_setup.add_service(db, "newborn", "新生儿出生一件事", "A")
    yield db
    db.dispose()


def pdf(rng: random.Random, size: int) -> bytes:
    return b"%PDF-1.4\n" + rng.randbytes(size - 16) + b"\n%%EOF\n"


def case_with_files(db: Database, tmp_path, rng: random.Random, sizes=(20_000, 60_000)) -> str:
    """A concluded case with three scanned PDFs; its case number."""
    ref = cases.open_case(db, "newborn", NAME, applicant_id=resident_id())
    for material in SCANNED:
        path = tmp_path / f"{ref.case_no}-{material}.pdf"
        path.write_bytes(pdf(rng, rng.randint(*sizes)))
        case_files.attach(db, ref.case_no, material, [path])
    cases.receive(db, ref.case_no, [m for m in SUBMIT if m not in SCANNED])
    cases.decide(db, ref.case_no, "accept")
    cases.conclude(db, ref.case_no, evaluation=5)
    return ref.case_no


def local_files(db: Database) -> list[CaseFile]:
    with db.read() as s:
        return list(s.scalars(select(CaseFile).order_by(CaseFile.id)))


def server_store(server: Server) -> Store:
    return Store(f"sqlite:///{server.url_db}")  # the key: CENTRAL_REF_DATA_KEY, inherited


def assert_on_server_once(server: Server, db: Database, owner: str = OWNER) -> None:
    """Every local file complete on the server with its SHA-256, nothing else, no extra byte."""
    store = server_store(server)
    rows = local_files(db)
    try:
        for row in rows:
            held = central_files.file_bytes(store, owner, str(row.case_id), row.id)
            assert held is not None and hashlib.sha256(held).hexdigest() == row.sha256
        stats = central_files.file_stats(store)
    finally:
        store.dispose()
    assert stats["complete"] == stats["files"] >= len(rows)
    assert stats["chunk_bytes"] == stats["complete_bytes"] and stats["beyond_total"] == 0
    assert all(r.delivered_at is not None for r in rows)


def test_three_files_of_a_case_are_delivered_once_after_the_case(hall, tmp_path, caplog):
    case_with_files(hall, tmp_path, random.Random(1))
    server = Server(f"sqlite:///{tmp_path / 'central.db'}")
    try:
        session = Session()
        client = client_for(server, session)
        # Not before the platform holds the case.
        assert files_sync.deliver_files(hall, client) == files_sync.FilesReport(0, 0, 0)
        assert outbox.drain(hall, client).sent == 1
        with caplog.at_level(logging.DEBUG):
            report = files_sync.deliver_files(hall, client)
        sizes = sum(r.size for r in local_files(hall))
        assert report == files_sync.FilesReport(3, sizes, 0)
        assert files_sync.deliver_files(hall, client).sent == 0  # nothing is sent again
        assert len(session.puts) == 3  # one chunk each (under 256 KiB)
        assert_on_server_once(server, hall)
        assert central_files.file_stats(server_store(server))["files"] == 3
        assert NAME not in caplog.text and "%PDF" not in caplog.text
    finally:
        server.stop()


@pytest.mark.parametrize("kill_after", [2, 3, 5, 9])
def test_a_client_killed_mid_file_resumes_from_the_server_and_resends_nothing(
    hall, tmp_path, kill_after
):
    # Three 16 KiB chunks a file: killed after PUT 3 or 9, a file was whole on the platform.
    case_with_files(hall, tmp_path, random.Random(kill_after), sizes=(48_000, 48_000))
    server = Server(f"sqlite:///{tmp_path / 'central.db'}")
    try:
        assert outbox.drain(hall, client_for(server)).sent == 1
        with pytest.raises(Killed):
            files_sync.deliver_files(hall, client_for(server, Session(kill_after=kill_after)),
                                     chunk=16 * 1024)  # fmt: skip
        rows = local_files(hall)
        held = {}
        for row in rows:
            got = requests.get(f"{server.url}/api/v1/cases/{row.case_id}/files/{row.id}",
                               headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5)  # fmt: skip
            held[row.id] = 0 if got.status_code == 404 else got.json()["received"]
        if kill_after % 3 == 0:  # the platform completed a file; the hall never heard of it
            unmarked = rows[kill_after // 3 - 1]
            assert held[unmarked.id] == unmarked.size and unmarked.delivered_at is None
        else:  # killed in the middle of a file
            assert any(0 < held[r.id] < r.size for r in rows)
        session = Session()
        report = files_sync.deliver_files(hall, client_for(server, session), chunk=16 * 1024)
        sent_before = [r for r in rows if r.delivered_at is not None]
        assert report.sent == 3 - len(sent_before)
        # Only what the server lacked went again; a file it completed before the kill was only
        # marked; no PUT for a file delivered before the kill.
        assert report.bytes == sum(r.size - held[r.id] for r in rows)
        assert sum(n for _p, _o, n in session.puts) == report.bytes
        done = {f"cases/{r.case_id}/files/{r.id}" for r in sent_before}
        assert not any(path in done for path, _o, _n in session.puts)
        assert_on_server_once(server, hall)
    finally:
        server.stop()


def test_a_checksum_refused_by_the_platform_is_sent_again_from_zero(hall, tmp_path, caplog):
    case_with_files(hall, tmp_path, random.Random(3), sizes=(40_000, 50_000))
    server = Server(f"sqlite:///{tmp_path / 'central.db'}")
    try:
        assert outbox.drain(hall, client_for(server)).sent == 1
        session = Session(corrupt=2)  # the second chunk of the first file, altered on the way
        with caplog.at_level(logging.INFO):
            first = files_sync.deliver_files(hall, client_for(server, session), chunk=32 * 1024)
        assert (first.sent, first.failed) == (2, 1)
        assert "checksum_mismatch" in caplog.text and NAME not in caplog.text
        again = Session()
        second = files_sync.deliver_files(hall, client_for(server, again), chunk=32 * 1024)
        assert (second.sent, second.failed) == (1, 0)
        assert again.puts[0][1] == 0  # from the start
        assert_on_server_once(server, hall)
    finally:
        server.stop()


def test_thirty_percent_failures_and_several_runs_deliver_every_file_once(hall, tmp_path):
    rng = random.Random(30)
    for _ in range(4):
        case_with_files(hall, tmp_path, rng)
    faults = ["--fail-rate", "0.3", "--fault-modes", "drop,error,timeout", "--hang-seconds", "2"]
    server = Server(f"sqlite:///{tmp_path / 'central.db'}", *faults, "--seed", "5")
    try:
        runs = 0
        while runs < 40 and any(r.delivered_at is None for r in local_files(hall)):
            client = client_for(server)
            outbox.run_once(hall, client, now=outbox.clock.now() + timedelta(hours=runs))
            files_sync.deliver_files(hall, client, chunk=16 * 1024)
            runs += 1
        assert outbox.status(hall).sent == 4
        assert_on_server_once(server, hall)
        assert central_files.file_stats(server_store(server))["complete"] == 12
    finally:
        server.stop()


def test_sync_run_json_reports_files(hall, tmp_path):
    case_with_files(hall, tmp_path, random.Random(4))
    server = Server(f"sqlite:///{tmp_path / 'central.db'}")
    try:
        result = sync_once(sync_env(hall, server))
        assert (result["sent"], result["pending"], result["failed"], result["dead"]) == (1, 0, 0, 0)
        size = sum(r.size for r in local_files(hall))
        assert result["files"] == {"sent": 3, "bytes": size, "failed": 0}
        assert sync_once(sync_env(hall, server))["files"] == {"sent": 0, "bytes": 0, "failed": 0}
        assert_on_server_once(server, hall)
    finally:
        server.stop()


@pytest.mark.slow
def test_sync_run_killed_at_random_on_a_slow_faulty_server_delivers_every_file_once(hall, tmp_path):
    rng = random.Random(8)
    for _ in range(2):  # files of 300-700 KB: two or three 256 KiB chunks each
        case_with_files(hall, tmp_path, rng, sizes=(300_000, 700_000))
    server_db = f"sqlite:///{tmp_path / 'central.db'}"
    faults = ["--fail-rate", "0.3", "--hang-seconds", "2", "--latency-ms", "150", "--seed", "9"]
    server = Server(server_db, *faults)
    env = sync_env(hall, server)
    try:
        for _ in range(6):
            proc = subprocess.Popen(
                [sys.executable, "-m", "desk_app", "sync", "run", "--interval", "0.05"],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
            )  # fmt: skip
            time.sleep(rng.uniform(0.5, 2.5))
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
        server.stop()
        server = Server(server_db, port=server.port)  # healthy again
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            result = sync_once(env)
            if not result["pending"] and all(r.delivered_at for r in local_files(hall)):
                break
            time.sleep(0.5)
        assert_on_server_once(server, hall)
        assert central_files.file_stats(server_store(server))["complete"] == 6
    finally:
        server.stop()


def test_another_hall_with_the_same_ids_delivers_its_own_files(hall, tmp_path):
    case_with_files(hall, tmp_path, random.Random(6))
    other = tmp_path / "other.db"  # a second hall whose database began as a copy of this one's
    with sqlite3.connect(tmp_path / "hall.db") as src, sqlite3.connect(other) as dst:
        src.backup(dst)  # (the WAL's pages too)
    server = Server(f"sqlite:///{tmp_path / 'central.db'}", "--token", "hall-b=tok-b")
    second = Database(f"sqlite:///{other}").acting_as(ADMIN)
    try:
        assert outbox.drain(hall, client_for(server)).sent == 1
        assert files_sync.deliver_files(hall, client_for(server)).sent == 3
        theirs = client_for(server, token="tok-b")
        assert outbox.drain(second, theirs).sent == 1  # its own case, created
        row = local_files(second)[0]
        # It learns nothing of the first hall's file, and uploads its own from 0.
        assert theirs.call("GET", f"/api/v1/cases/{row.case_id}/files/{row.id}").status_code == 404
        session = Session()
        report = files_sync.deliver_files(second, client_for(server, session, token="tok-b"))
        assert report.sent == 3 and all(offset == 0 for _p, offset, _n in session.puts)
        assert_on_server_once(server, hall)
        assert_on_server_once(server, second, owner="hall-b")
        assert central_files.file_stats(server_store(server))["complete"] == 6
    finally:
        second.dispose()
        server.stop()


def test_the_purge_takes_an_undelivered_file_only_with_its_case(hall, tmp_path):
    case_with_files(hall, tmp_path, random.Random(7))
    t0 = outbox.clock.now()
    with hall.begin() as s:  # acknowledged by the platform; its files not delivered yet
        s.execute(update(SyncOutbox).values(state="sent", sent_at=t0))
    assert purge_personal_data(hall, 30, now=t0 + timedelta(days=29)).purged == 0
    assert all(r.content is not None for r in local_files(hall))
    assert files_sync.pending_files(hall) == [r.id for r in local_files(hall)]
    with hall.begin() as s:  # still owed to the platform: never purged, however old
        s.execute(update(SyncOutbox).values(state="pending", sent_at=None))
    assert purge_personal_data(hall, 30, now=t0 + timedelta(days=400)).purged == 0
    assert files_sync.pending_files(hall) == []  # and not sent before its case
    with hall.begin() as s:
        s.execute(update(SyncOutbox).values(state="sent", sent_at=t0))
    assert purge_personal_data(hall, 30, now=t0 + timedelta(days=31)).purged == 1
    rows = local_files(hall)
    assert all(r.content is None and r.purged_at and r.delivered_at is None for r in rows)
    assert files_sync.pending_files(hall) == []


def test_a_pdf_altered_at_rest_is_not_sent(hall, tmp_path, caplog):
    case_with_files(hall, tmp_path, random.Random(2))
    with hall.begin() as s:
        s.execute(update(SyncOutbox).values(state="sent"))
        s.execute(update(CaseFile).values(sha256="0" * 64))

    class Unreachable:
        config = SyncConfig(url="http://127.0.0.1:9", token="t")

        def call(self, *_a, **_k):  # type: ignore[no-untyped-def]
            raise AssertionError("nothing may be sent")

    with caplog.at_level(logging.ERROR):
        report = files_sync.deliver_files(hall, Unreachable(), chunk=1024)  # type: ignore[arg-type]
    assert report == files_sync.FilesReport(0, 0, 3) and "does not match" in caplog.text
