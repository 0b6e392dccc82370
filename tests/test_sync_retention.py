"""Retention masks every case past the period, whatever its state, and never a case the
backend is still owed (README "Sync to the central backend")."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from desk_app.cli import main
from desk_app.domain.errors import Refused
from desk_app.services.cases import actions as cases
from desk_app.services.common.protection import unseal, unseal_json
from desk_app.services.hall import setup as hall
from desk_app.store.case_models import Case, SyncOutbox
from desk_app.sync import outbox
from desk_app.sync.retention import purge_personal_data
from tests.ids import resident_id
from tests.test_sync_outbox import FakeCentral

T = datetime(2026, 9, 24, 2, 0, tzinfo=UTC)  # when the old cases happened
NOW = T + timedelta(days=60)  # purge runs with a 30-day period: cutoff T + 30 days
SUBMIT = ["application_form", "parents_id_cards", "household_register", "marriage_certificate"]
MATERNITY = {"maternity_claim": "yes"}
MATERNITY_KEYS = sorted(set(SUBMIT) | {"maternity_invoices"})


@pytest.fixture
def counter(db):
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    return db


def _open(db, at, **kw):
    return cases.open_case(
        db, "newborn", "张三丰", applicant_id=resident_id(), phone="13812341234", now=at, **kw
    )


def rejected(db, at=T):
    ref = _open(db, at)
    cases.decide(db, ref.case_no, "reject", reason="不属于本中心受理范围", now=at)
    return ref


def terminated(db, at=T):
    ref = _open(db, at, answers=MATERNITY)
    cases.receive(db, ref.case_no, MATERNITY_KEYS, now=at)
    cases.decide(db, ref.case_no, "defer", now=at)
    cases.terminate(db, ref.case_no, "逾期未补齐容缺材料", now=at)
    return ref


def notice(db, at=T):
    ref = _open(db, at)
    cases.receive(db, ref.case_no, ["application_form"], now=at)
    cases.decide(db, ref.case_no, "notice", now=at)
    return ref


def accepted(db, at=T):
    ref = _open(db, at)
    cases.receive(db, ref.case_no, SUBMIT, now=at)
    cases.decide(db, ref.case_no, "accept", now=at)
    return ref


def concluded(db, at=T):
    ref = accepted(db, at)
    cases.conclude(db, ref.case_no, now=at)
    return ref


def _case(db, ref) -> tuple[Case, SyncOutbox | None]:
    with db.read() as s:
        case = s.get(Case, uuid.UUID(ref.id))
        box = s.scalar(select(SyncOutbox).where(SyncOutbox.case_id == case.id))
        s.expunge_all()
        return case, box


def masked(db, ref) -> bool:
    case, box = _case(db, ref)
    clear = "*" not in case.applicant_id_no
    assert clear == ("*" not in case.applicant_name), "name and ID purged together"
    if not clear:
        assert case.applicant_phone == "138****1234"
    return not clear


def test_every_final_or_abandoned_state_is_purged_after_the_period(counter):
    old = {
        "rejected": rejected(counter),
        "terminated": terminated(counter),
        "open": _open(counter, T),
        "notice": notice(counter),
    }
    recent = {
        "rejected": rejected(counter, NOW - timedelta(days=5)),
        "open": _open(counter, NOW - timedelta(days=29)),
    }
    report = purge_personal_data(counter, 30, now=NOW)
    assert report.purged == 4
    assert {k: masked(counter, r) for k, r in old.items()} == dict.fromkeys(old, True)
    assert not any(masked(counter, r) for r in recent.values())
    assert purge_personal_data(counter, 30, now=NOW).purged == 0  # idempotent


def test_recent_activity_keeps_an_old_case(counter):
    ref = _open(counter, T)
    cases.receive(counter, ref.case_no, ["application_form"], now=NOW - timedelta(days=3))
    assert purge_personal_data(counter, 30, now=NOW).purged == 0
    assert not masked(counter, ref)


def test_a_case_the_backend_is_still_owed_is_never_purged(counter):
    dead = concluded(counter)
    central = FakeCentral()
    central.poison = {dead.id}
    outbox.run_once(counter, central, now=T)
    unsent = concluded(counter)  # concluded long ago, never delivered (backend unreachable)
    assert purge_personal_data(counter, 30, now=NOW + timedelta(days=365)).purged == 0
    for ref in (unsent, dead):
        case, box = _case(counter, ref)
        assert unseal(case.applicant_id_no, "cases.applicant_id_no") == resident_id()
        assert unseal_json(box.payload, "sync_outbox.payload")["payload"]["applicant"] == {
            "kind": "person",
            "name": "张三丰",
            "id_no": resident_id(),
            "phone": "13812341234",
        }
    # Settling the dead letter by hand starts its period.
    (letter,) = outbox.dead_letters(counter)
    outbox.resolve_dead(counter, letter.id, "线下补报", now=NOW)
    assert purge_personal_data(counter, 30, now=NOW + timedelta(days=29)).purged == 0
    assert purge_personal_data(counter, 30, now=NOW + timedelta(days=31)).purged == 1
    assert masked(counter, dead) and not masked(counter, unsent)


def test_acknowledged_case_and_its_payload_are_purged(counter):
    ref = concluded(counter)
    id_no = resident_id()
    outbox.run_once(counter, FakeCentral(), now=T)
    assert purge_personal_data(counter, 30, now=NOW).purged == 1
    case, box = _case(counter, ref)
    assert masked(counter, ref)
    payload = json.loads(box.payload)
    assert set(payload) == {"uuid", "case_no", "purged_at"}
    assert id_no not in box.payload and "张三丰" not in box.payload and "1381234" not in box.payload


def test_in_progress_case_waits_for_its_own_deadline(counter):
    ref = accepted(counter)
    with counter.begin() as s:  # a long statutory time limit, not reached yet
        s.get(Case, uuid.UUID(ref.id)).deadline = (NOW + timedelta(days=10)).date()
    assert purge_personal_data(counter, 30, now=NOW).purged == 0
    assert purge_personal_data(counter, 30, now=NOW + timedelta(days=45)).purged == 1


def test_days_below_one_are_refused(counter):
    for days in (0, -5, -100000):
        with pytest.raises(Refused):
            purge_personal_data(counter, days, now=NOW)


@pytest.mark.parametrize("days", ["0", "-5"])
def test_cli_refuses_days_below_one_and_writes_nothing(counter, db_url, days, capsys, tmp_path):
    ref = rejected(counter)
    assert main(["--db", db_url, "sync", "purge", "--days", days, "--json"]) == 2
    err = capsys.readouterr()
    assert err.out == "" and len(err.err.strip().splitlines()) == 1 and days in err.err
    assert not masked(counter, ref)
    fresh = tmp_path / "never.db"
    assert main(["--db", f"sqlite:///{fresh}", "sync", "purge", "--days", days]) == 2
    assert not fresh.exists()


def test_cli_purge_reports_json(counter, db_url, capsys):
    rejected(counter)
    assert main(["--db", db_url, "sync", "purge", "--days", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"purged": 1}
