"""The outbox's delivery rules against a scripted backend (the real server has its own tests)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from desk_app.services.cases import actions as cases
from desk_app.services.hall import setup as hall
from desk_app.store.case_models import Case, SyncOutbox
from desk_app.sync import outbox
from desk_app.sync.client import CentralAuthError, CentralError, ItemResult
from desk_app.sync.config import SyncConfig
from desk_app.sync.retention import purge_personal_data
from tests.ids import resident_id

T = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
SUBMIT = ["application_form", "parents_id_cards", "household_register", "marriage_certificate"]


class FakeCentral:
    """Holds cases like the backend: keyed by uuid, counting arrivals."""

    def __init__(self) -> None:
        self.config = SyncConfig(
            url="https://central.example",
            token="t",
            batch_size=50,
            backoff_base_s=1,
            backoff_max_s=60,
        )
        self.store: dict[str, dict] = {}
        self.received: dict[str, int] = {}
        self.fail_next = 0
        self.auth_fail = False
        self.poison: set[str] = set()
        self.batches: list[int] = []

    def _arrive(self, case: dict) -> ItemResult:
        u = case["uuid"]
        self.received[u] = self.received.get(u, 0) + 1
        if u in self.poison:
            return ItemResult(u, "invalid", self.received[u], "payload rejected")
        if u in self.store:
            status = "replayed" if self.store[u] == case else "conflict"
            return ItemResult(u, status, self.received[u])
        self.store[u] = case
        return ItemResult(u, "created", self.received[u])

    def upload_batch(self, batch: list[dict]) -> list[ItemResult]:
        if self.auth_fail:
            raise CentralAuthError("401")
        self.batches.append(len(batch))
        if self.fail_next:
            self.fail_next -= 1
            raise CentralError("HTTP 503")
        return [self._arrive(c) for c in batch]

    def upload_one(self, case: dict) -> ItemResult:
        return self.upload_batch([case])[0]

    def digest(self, start, end) -> set[str]:
        return set(self.store)

    def call(self, method: str, path: str, **kw):  # type: ignore[no-untyped-def]
        """Any other endpoint (the audit head's): this backend has none, as an older one."""
        from types import SimpleNamespace

        if self.auth_fail:
            raise CentralAuthError("401")
        return SimpleNamespace(status_code=404, json=lambda: {"error": "not_found"})

    def scrub(self, text: str) -> str:
        return text


def purge(db, days: int, *, now: datetime) -> int:
    return purge_personal_data(db, days, now=now).purged


def conclude_cases(db, n: int) -> list[str]:
    nos = []
    for _ in range(n):
        ref = cases.open_case(db, "newborn", "张三丰", applicant_id=resident_id(), now=T)
        cases.receive(db, ref.case_no, SUBMIT, now=T)
        cases.decide(db, ref.case_no, "accept", now=T)
        cases.conclude(db, ref.case_no, now=T)
        nos.append(ref.id)
    return nos


@pytest.fixture
def hall_db(db):
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    return db


def test_batch_is_sent_and_marked_only_after_acknowledgement(hall_db):
    ids = conclude_cases(hall_db, 3)
    central = FakeCentral()
    report = outbox.run_once(hall_db, central)
    assert report.to_json() == {"sent": 3, "pending": 0, "failed": 0, "dead": 0}
    assert set(central.store) == set(ids)
    assert outbox.status(hall_db).last_success is not None
    assert outbox.run_once(hall_db, central).sent == 0  # nothing sent twice
    assert all(v == 1 for v in central.received.values())


def test_server_errors_back_off_then_deliver(hall_db):
    conclude_cases(hall_db, 2)
    central = FakeCentral()
    central.fail_next = 1
    r = outbox.run_once(hall_db, central)
    assert (r.sent, r.failed, r.pending) == (0, 2, 2)
    with hall_db.read() as s:
        rows = s.scalars(select(SyncOutbox)).all()
        assert all(x.attempts == 1 and x.next_attempt_at > datetime.now(UTC) for x in rows)
        assert "503" in rows[0].last_error
    assert outbox.run_once(hall_db, central).sent == 0  # not due yet: backoff respected
    later = datetime.now(UTC) + timedelta(minutes=5)
    assert outbox.run_once(hall_db, central, now=later).sent == 2


def test_poison_case_goes_to_dead_letters_and_others_arrive(hall_db):
    ids = conclude_cases(hall_db, 4)
    central = FakeCentral()
    central.poison = {ids[1]}
    r = outbox.run_once(hall_db, central)
    assert (r.sent, r.dead, r.pending) == (3, 1, 0)
    dead = outbox.dead_letters(hall_db)
    assert len(dead) == 1 and "invalid" in dead[0].reason
    central.poison.clear()
    outbox.retry_dead(hall_db, dead[0].id)
    assert outbox.run_once(hall_db, central).sent == 1
    assert set(central.store) == set(ids)


def test_repeatedly_failing_batch_is_split_to_isolate_the_poison(hall_db):
    conclude_cases(hall_db, 3)
    central = FakeCentral()
    central.fail_next = outbox.ISOLATE_AFTER
    now = datetime.now(UTC)
    for i in range(outbox.ISOLATE_AFTER):
        outbox.run_once(hall_db, central, now=now + timedelta(hours=i + 1))
    central.batches.clear()
    r = outbox.run_once(hall_db, central, now=now + timedelta(hours=10))
    assert r.sent == 3 and central.batches == [1, 1, 1]


def test_401_stops_and_alerts_without_losing_anything(hall_db):
    conclude_cases(hall_db, 2)
    central = FakeCentral()
    central.auth_fail = True
    with pytest.raises(CentralAuthError):
        outbox.run_once(hall_db, central)
    st = outbox.status(hall_db)
    assert st.pending == 2 and st.auth_failed
    central.auth_fail = False
    assert outbox.run_once(hall_db, central).sent == 2  # released at once, not leased
    assert outbox.status(hall_db).auth_failed is None


def test_conflict_is_a_dead_letter_not_a_retry_loop(hall_db):
    (cid,) = conclude_cases(hall_db, 1)
    central = FakeCentral()
    central.store[cid] = {"uuid": cid, "different": True}
    r = outbox.run_once(hall_db, central)
    assert r.dead == 1 and "409" in outbox.dead_letters(hall_db)[0].reason


def test_reconcile_resends_what_a_restored_server_lost(hall_db):
    ids = conclude_cases(hall_db, 5)
    central = FakeCentral()
    outbox.run_once(hall_db, central)
    for lost in ids[-2:]:  # the backend was restored from an older backup
        del central.store[lost]
    result = outbox.reconcile(hall_db, central, T.date())
    assert result == {"checked": 5, "missing": 2, "sent": 2, "pending": 0}
    assert set(central.store) == set(ids)
    assert central.received[ids[-1]] == 2 and central.received[ids[0]] == 1


def test_purge_masks_personal_data_after_retention(hall_db):
    (cid,) = conclude_cases(hall_db, 1)
    outbox.run_once(hall_db, FakeCentral(), now=T)
    assert purge(hall_db, 30, now=T + timedelta(days=29)) == 0
    assert purge(hall_db, 30, now=T + timedelta(days=31)) == 1
    with hall_db.read() as s:
        case = s.scalar(select(Case))
        box = s.scalar(select(SyncOutbox))
        assert case.applicant_id_no.startswith("370202********")
        assert resident_id() not in box.payload and json.loads(box.payload)["purged_at"]
    assert purge(hall_db, 30, now=T + timedelta(days=40)) == 0


def test_sync_loop_keeps_sending_in_the_background(hall_db):
    import time

    from desk_app.sync.loop import SyncLoop
    from desk_app.sync.worker import SyncThread

    central = FakeCentral()
    loop = SyncThread(SyncLoop(hall_db, central, interval_s=0.05))
    loop.start()
    try:
        ids = conclude_cases(hall_db, 2)
        deadline = time.monotonic() + 10
        while set(central.store) != set(ids) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        loop.stop()
    assert set(central.store) == set(ids) and not loop.is_alive()


@pytest.mark.gui
def test_indicator_shows_backlog_and_auth_alert(qtbot, hall_db):
    from desk_app.ui.common.sync_status import SyncIndicator

    conclude_cases(hall_db, 2)
    ind = SyncIndicator(hall_db, interval_ms=100)
    qtbot.addWidget(ind)
    qtbot.waitUntil(lambda: "待发 2" in ind.text(), timeout=10000)
    central = FakeCentral()
    central.auth_fail = True
    with pytest.raises(CentralAuthError):
        outbox.run_once(hall_db, central)
    qtbot.waitUntil(lambda: "拒绝本机令牌" in ind.text(), timeout=10000)


@pytest.mark.gui
def test_dead_letter_view_retries_and_resolves(qtbot, hall_db):
    from desk_app.ui.common.dead_letters import DeadLetterDialog

    ids = conclude_cases(hall_db, 3)
    central = FakeCentral()
    central.poison = set(ids[:2])
    outbox.run_once(hall_db, central)
    dialog = DeadLetterDialog(hall_db)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=10000)
    assert "invalid" in dialog.table.item(0, 2).text()
    dialog.retry()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10000)
    assert outbox.status(hall_db).pending == 1
    dialog.resolve("已与平台核对, 线下补报")
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0, timeout=10000)
    assert outbox.status(hall_db).dead == 0
