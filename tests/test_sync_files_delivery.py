"""A file the platform keeps failing or refusing: backoff kept in the file's row (a restarted
process does not hammer), dead letters after refusals (status, ``sync dead``, the alert,
``sync retry --file``), and the reconcile that finds the platform's copy missing or different
and sends again."""

from __future__ import annotations

import json
import random
from datetime import timedelta

import pytest
import requests
from sqlalchemy import select, update

from desk_app.domain import clock
from desk_app.services.hall import setup as hall_setup
from desk_app.services.supervision import alerts
from desk_app.store import Database
from desk_app.store.case_models import CaseFile, SyncOutbox
from desk_app.store.schema import upgrade
from desk_app.sync import files_reconcile, files_sync, outbox
from desk_app.sync.client import CentralClient
from desk_app.sync.config import SyncConfig
from tests.test_cli import run
from tests.test_sync_faults import Server, sync_env, sync_once
from tests.test_sync_files import (
    OWNER,
    assert_on_server_once,
    case_with_files,
    client_for,
    local_files,
    server_store,
)
from tests.tools import ADMIN

pytest.importorskip("fastapi", reason="the reference backend needs the [central] extra")

from central_ref.files import ReceivedFile  # noqa: E402


@pytest.fixture
def hall(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'hall.db'}").acting_as(ADMIN)
    upgrade(db)
    hall_setup.add_service(db, "newborn", "新生儿出生一件事", "A")
    yield db
    db.dispose()


class Platform(requests.Session):
    """A platform that answers every request with ``status`` and ``body``; counts requests."""

    def __init__(self, status: int, body: dict) -> None:
        super().__init__()
        self.status, self.body, self.calls = status, body, 0

    def request(self, method, url, *args, **kw):  # type: ignore[no-untyped-def]
        self.calls += 1
        resp = requests.Response()
        resp.status_code = self.status
        resp._content = json.dumps(self.body).encode()
        return resp


def fake(status: int, body: dict, base: float = 2.0, most: float = 60.0):
    session = Platform(status, body)
    config = SyncConfig(url="http://127.0.0.1:9", token="t", backoff_base_s=base,
                        backoff_max_s=most)  # fmt: skip
    return CentralClient(config, session), session


def acknowledged(db, tmp_path, seed: int = 1) -> list[CaseFile]:
    case_with_files(db, tmp_path, random.Random(seed))
    with db.begin() as s:
        s.execute(update(SyncOutbox).values(state="sent"))
    return local_files(db)


def test_a_failing_platform_is_tried_later_and_later_and_the_wait_survives_a_restart(
    hall, tmp_path
):
    rows = acknowledged(hall, tmp_path)
    t0 = clock.now()
    client, platform = fake(503, {})
    first = files_sync.deliver_files(hall, client, now=t0)
    assert first.sent == 0 and first.failed == 3
    assert all(r.attempts == 1 and r.next_attempt_at == t0 for r in local_files(hall))
    # A restarted process (a new client) tries once more at once, then waits.
    client, platform = fake(503, {})
    files_sync.deliver_files(hall, client, now=t0)
    waits = [r.next_attempt_at - t0 for r in local_files(hall)]
    assert all(timedelta(seconds=1) <= w <= timedelta(seconds=2) for w in waits)
    client, platform = fake(503, {})
    assert files_sync.deliver_files(hall, client, now=t0) == files_sync.FilesReport(0, 0, 0)
    assert platform.calls == 0  # nothing asked while the files wait
    assert files_sync.pending_files(hall) == [r.id for r in rows]  # still owed
    # Later and later, never past the cap; never a dead letter for the network.
    at = t0
    for _ in range(12):
        at = max(r.next_attempt_at for r in local_files(hall))
        files_sync.deliver_files(hall, fake(503, {}, most=60.0)[0], now=at)
    last = local_files(hall)
    assert all(r.attempts == 14 and r.refusals == 0 and r.dead_at is None for r in last)
    assert all(timedelta(seconds=30) <= r.next_attempt_at - at <= timedelta(seconds=60)
               for r in last)  # fmt: skip
    assert outbox.status(hall).files_pending == 3 and outbox.status(hall).files_dead == 0


def test_too_many_requests_is_waited_out_not_a_refusal(hall, tmp_path):
    acknowledged(hall, tmp_path)
    at = clock.now()
    for _ in range(files_sync.DEAD_AFTER + 2):
        files_sync.deliver_files(hall, fake(429, {})[0], now=at)
        at = max(r.next_attempt_at for r in local_files(hall))
    assert all(r.dead_at is None and r.refusals == 0 for r in local_files(hall))


def test_refused_again_and_again_the_file_is_a_dead_letter_shown_and_alerted(
    hall, tmp_path, capsys
):
    rows = acknowledged(hall, tmp_path)
    at = clock.now()
    for n in range(1, files_sync.DEAD_AFTER + 1):
        assert files_sync.dead_files(hall) == []
        report = files_sync.deliver_files(hall, fake(403, {"error": "forbidden"})[0], now=at)
        assert report.failed == 3 and all(r.refusals == n for r in local_files(hall))
        at = max(r.next_attempt_at for r in local_files(hall))
    dead = files_sync.dead_files(hall)
    assert [d.id for d in dead] == [r.id for r in rows]
    assert all("403 forbidden" in (d.reason or "") for d in dead)
    client, platform = fake(200, {"received": 0, "complete": False})
    assert files_sync.deliver_files(hall, client, now=at + timedelta(days=1)).failed == 0
    assert platform.calls == 0  # a dead letter is not tried again
    st = outbox.status(hall)
    assert (st.files_pending, st.files_dead) == (0, 3)
    found = [a for a in alerts.list_alerts(hall) if a.id.startswith("dead_letters:file:")]
    assert len(found) == 1 and found[0].kind == "dead_letters" and found[0].value == 3
    listed = run(capsys, "--db", hall.url, "sync", "dead", "--json")[1]["dead_files"]
    assert [d["file"] for d in listed] == [r.id for r in rows]
    assert run(capsys, "--db", hall.url, "sync", "status", "--json")[1]["files_dead"] == 3
    assert run(capsys, "--db", hall.url, "sync", "retry", "--file", str(rows[0].id))[0] == 0
    assert files_sync.pending_files(hall) == [rows[0].id]
    assert outbox.status(hall).files_dead == 2


def test_a_conflict_is_dead_at_once(hall, tmp_path):
    acknowledged(hall, tmp_path)
    files_sync.deliver_files(hall, fake(409, {"error": "conflict", "received": 0})[0])
    assert len(files_sync.dead_files(hall)) == 3


def test_reconcile_sends_again_what_the_platform_lost_and_flags_a_different_copy(hall, tmp_path):
    case_with_files(hall, tmp_path, random.Random(11))
    server = Server(f"sqlite:///{tmp_path / 'central.db'}")
    store = server_store(server)
    try:
        client = client_for(server)
        outbox.drain(hall, client)
        assert files_sync.deliver_files(hall, client).sent == 3
        report = files_reconcile.reconcile_files(hall, client)
        assert report == files_reconcile.ReconcileReport(3, 0, 0)
        lost, other = local_files(hall)[:2]
        with store.engine.begin() as c:  # the platform restored from an older backup...
            from central_ref.files import FileChunk

            gone = c.execute(select(ReceivedFile.id).where(ReceivedFile.file_id == lost.id))
            gone_id = gone.scalar_one()
            c.execute(FileChunk.__table__.delete().where(FileChunk.file == gone_id))
            c.execute(ReceivedFile.__table__.delete().where(ReceivedFile.id == gone_id))
            # ...and another file announced under the second one's id
            c.execute(update(ReceivedFile).where(ReceivedFile.file_id == other.id)
                      .values(sha256="ab" * 32))  # fmt: skip
        report = files_reconcile.reconcile_files(hall, client)
        assert report == files_reconcile.ReconcileReport(3, 1, 1)
        # Only the one still marked delivered is asked about again.
        assert files_reconcile.reconcile_files(hall, client) == files_reconcile.ReconcileReport(
            1, 0, 0
        )
        again = files_sync.deliver_files(hall, client)
        assert again.sent == 1 and again.bytes == lost.size
        dead = files_sync.dead_files(hall)
        assert [d.id for d in dead] == [other.id] and "conflict" in (dead[0].reason or "")
        # The lost file is whole on the platform again, once.
        with store.read() as s:
            held = s.scalars(select(ReceivedFile).where(ReceivedFile.owner == OWNER)).all()
            assert sorted(r.file_id for r in held if r.completed_at) == sorted(
                r.id for r in local_files(hall)
            )
    finally:
        store.dispose()
        server.stop()


def test_sync_run_once_reports_the_reconcile(hall, tmp_path):
    case_with_files(hall, tmp_path, random.Random(12))
    server = Server(f"sqlite:///{tmp_path / 'central.db'}")
    try:
        env = sync_env(hall, server)
        first = sync_once(env)
        assert first["files"]["sent"] == 3
        second = sync_once(env)
        assert second["files_reconcile"] == {"checked": 3, "missing": 0, "mismatched": 0}
        assert_on_server_once(server, hall)
    finally:
        server.stop()
