"""Personal data at rest (README "Identity, audit and personal data"): names, ID numbers and
phones of cases and of the sync outbox are sealed under the hall key; a missing key is an
error, never plaintext; a reveal is a supervisor's audited act; a returning applicant is found
by the keyed hash of the ID."""

from __future__ import annotations

import json
import sqlite3
import stat
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from desk_app.cli import main
from desk_app.security.authz import Forbidden
from desk_app.security.crypto import is_encrypted
from desk_app.security.keys import HallKeyError, create_key_file
from desk_app.security.roles import Actor, Role
from desk_app.services.accounts.key_rotation import SEALED
from desk_app.services.cases import actions as cases
from desk_app.services.cases.dto import AgentInfo
from desk_app.services.common import audit, protection
from desk_app.services.common.errors import Refused
from desk_app.services.hall import setup as hall
from desk_app.store.case_models import Case, CaseCounter, CaseEvent, SyncOutbox
from desk_app.sync.retention import purge_personal_data
from tests.ids import credit_code, resident_id

NAME = "张三丰"
ID_NO = resident_id()
PHONE = "13912345678"
AGENT_NAME = "欧阳娜娜"
AGENT_ID = resident_id("11010519850505123")
OTHER_ID = resident_id("44030419771231002")
SUBMIT = ["application_form", "parents_id_cards", "household_register", "marriage_certificate"]
SECRETS = (ID_NO, PHONE, NAME, AGENT_NAME, AGENT_ID)
T = datetime(2026, 9, 24, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _forget_the_key():
    """Each test loads the key its environment names, and leaves no key cached behind."""
    protection.reset()
    yield
    protection.reset()


@pytest.fixture
def office(db):
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    return db.acting_as(Actor(None, "setup", Role.ADMIN))


@pytest.fixture
def key_file(tmp_path, monkeypatch) -> Path:
    """A hall key file of this test's own, and no DESK_APP_KEY."""
    path = tmp_path / "keys" / "hall.key"
    create_key_file(path)
    monkeypatch.delenv("DESK_APP_KEY", raising=False)
    monkeypatch.setenv("DESK_APP_KEY_FILE", str(path))
    protection.reset()
    return path


def _open(db, id_no=ID_NO, *, agent=False, now=None):
    return cases.open_case(
        db,
        "newborn",
        NAME,
        applicant_id=id_no,
        phone=PHONE,
        agent=AgentInfo(AGENT_NAME, AGENT_ID, "代办出生登记", T.date() + timedelta(days=900))
        if agent
        else None,
        now=now,
    )


def _concluded(db, **kw):
    ref = _open(db, **kw)
    cases.receive(db, ref.case_no, SUBMIT)
    cases.decide(db, ref.case_no, "accept")
    cases.conclude(db, ref.case_no)
    return ref


def _all_tokens(db) -> list[str]:
    """Every sealed value in the tables key rotation covers."""
    found = []
    with db.read() as s:
        for model, _pk, columns in SEALED:
            for row in s.execute(select(*(getattr(model, c) for c in columns))).all():
                found += [v for v in row if v is not None]
    return found


def _raw_sqlite(db) -> bytes:
    path = Path(db.engine.url.database)
    db.dispose()
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    data = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def _raw_postgres(db) -> bytes:
    tables = ("cases", "sync_outbox", "audit_log", "case_events")
    with db.read() as s:
        rows = [
            r
            for table in tables
            for r in s.execute(text(f"SELECT CAST(t AS text) FROM {table} AS t")).scalars()
        ]
    return "\n".join(rows).encode("utf-8")


def test_no_name_id_or_phone_in_the_stored_data(office):
    _open(office, agent=True)
    ref = _concluded(office, agent=True)
    cases.reveal(office, ref.case_no, "申请人电话核实")  # the audit trail must hold none either
    with office.read() as s:
        assert s.scalar(select(func.count()).select_from(SyncOutbox)) == 1
        case = s.scalar(select(Case).where(Case.case_no == ref.case_no))
        for col in ("applicant_name", "applicant_id_no", "applicant_phone", "agent_name"):
            assert is_encrypted(getattr(case, col)), col
        assert is_encrypted(s.scalar(select(SyncOutbox.payload)))
    raw = _raw_postgres(office) if office.is_postgres else _raw_sqlite(office)
    # What is stored is really read: the case number and the bundle name (UTF-8) are there.
    assert ref.case_no.encode() in raw and "新生儿出生一件事".encode() in raw
    for secret in SECRETS:
        assert secret.encode("utf-8") not in raw, secret


def test_masked_everywhere_but_the_platform_gets_the_full_record(office):
    ref = _concluded(office, agent=True)
    view = cases.show(office, ref.case_no)
    assert (view.applicant_name, view.applicant_phone) == ("张*丰", "139****5678")
    assert view.applicant_id == ID_NO[:6] + "********" + ID_NO[-4:]
    assert view.agent["name"] == "欧**娜" and AGENT_ID not in json.dumps(view.to_json())
    with office.read() as s:
        stored = s.scalar(select(SyncOutbox.payload))
    sent = protection.unseal_json(stored, "sync_outbox.payload")["payload"]
    assert sent["applicant"] == {"kind": "person", "name": NAME, "id_no": ID_NO, "phone": PHONE}
    assert sent["agent"]["id_no"] == AGENT_ID
    with pytest.raises(ValueError):  # bound to its column: not readable as another one
        protection.unseal(stored, "cases.applicant_name")


def test_without_the_key_reading_is_an_error_and_writing_writes_nothing(
    office, db_url, tmp_path, monkeypatch, capsys
):
    ref = _open(office)
    monkeypatch.delenv("DESK_APP_KEY")
    missing = tmp_path / "gone" / "hall.key"
    monkeypatch.setenv("DESK_APP_KEY_FILE", str(missing))
    protection.reset()
    with pytest.raises(HallKeyError):
        cases.show(office, ref.case_no)
    with pytest.raises(HallKeyError):
        _open(office, OTHER_ID)
    with office.read() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 1
        assert s.scalar(select(CaseCounter.last_number)) == 1
    capsys.readouterr()
    assert main(["--db", db_url, "case", "show", ref.case_no, "--json"]) == 1
    err = capsys.readouterr().err.strip()
    assert str(missing) in err.splitlines()[-1] and "Traceback" not in err
    assert len([line for line in err.splitlines() if "setup" not in line.lower()]) == 1
    assert not missing.exists()  # a hall with cases never gets a new key in place of its own


def test_a_new_hall_gets_an_owner_only_key_file(db_url, tmp_path, monkeypatch):
    path = tmp_path / "data" / "hall.key"
    monkeypatch.delenv("DESK_APP_KEY")
    monkeypatch.setenv("DESK_APP_KEY_FILE", str(path))
    assert main(["--db", db_url, "staff", "list", "--json"]) == 0
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    first = path.read_bytes()
    assert main(["--db", db_url, "staff", "list", "--json"]) == 0
    assert path.read_bytes() == first  # made once, never replaced


def test_key_rotate_moves_every_token_and_the_cases_still_read(office, db_url, key_file):
    ref = _concluded(office, agent=True)
    _open(office, OTHER_ID)
    before = _all_tokens(office)
    assert before and {protection.cipher().key_id_of(v) for v in before} == {"k1"}
    assert main(["--db", db_url, "key", "rotate", "--json"]) == 0
    protection.reset()
    after = _all_tokens(office)
    assert len(after) == len(before) and not set(after) & set(before)
    assert {protection.cipher().key_id_of(v) for v in after} == {"k2"}
    assert cases.show(office, ref.case_no).applicant_name == "张*丰"
    assert cases.reveal(office, ref.case_no, "核对").applicant_id == ID_NO
    assert [r.case_no for r in cases.find_cases_by_id(office, ID_NO)] == [ref.case_no]
    assert main(["--db", db_url, "case", "show", ref.case_no, "--json"]) == 0


def test_reveal_needs_a_reason_and_a_supervisor_and_is_audited(office, db_url, capsys):
    ref = _open(office, agent=True)
    for reason in ("", "   "):
        with pytest.raises(Refused):
            cases.reveal(office, ref.case_no, reason)
    counter = office.acting_as(Actor(None, "c01", Role.COUNTER))
    with pytest.raises(Forbidden):
        cases.reveal(counter, ref.case_no, "想看看")
    assert audit.entries(office, action="case.reveal") == []
    view = cases.reveal(office, ref.case_no, "申请人来电核实身份")
    assert (view.applicant_name, view.applicant_id, view.applicant_phone) == (NAME, ID_NO, PHONE)
    assert view.agent["id"] == AGENT_ID
    assert cases.show(office, ref.case_no).applicant_name == "张*丰"  # the view stays masked
    (entry,) = audit.entries(office, action="case.reveal")
    assert entry.target == ref.case_no and entry.actor == "setup"
    assert entry.detail == {
        "reason": "申请人来电核实身份",
        "applicant": protection.cipher().pseudonym(ID_NO, purpose="resident_id"),
    }
    assert not any(secret in json.dumps(entry.detail, ensure_ascii=False) for secret in SECRETS)

    capsys.readouterr()
    show = ["--db", db_url, "case", "show", ref.case_no, "--json"]
    assert main([*show, "--reveal"]) == 2
    assert main([*show, "--reveal", "--reason", " "]) == 2
    assert main([*show, "--reason", "x"]) == 2
    assert len(audit.entries(office, action="case.reveal")) == 1  # refusals reveal nothing
    refused = audit.entries(office, action="case.reveal.refused")
    assert len(refused) == 2 and all(e.target == ref.case_no for e in refused)
    capsys.readouterr()
    assert main([*show, "--reveal", "--reason", "窗口复核"]) == 0
    shown = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert shown["applicant"]["id"] == ID_NO and shown["applicant"]["name"] == NAME
    assert main(show) == 0
    masked = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert masked["applicant"]["id"] != ID_NO and masked["applicant"]["phone"] == "139****5678"
    assert len(audit.entries(office, action="case.reveal")) == 2


def test_a_returning_applicant_is_found_by_the_id_hash(office):
    first = _open(office, now=T)
    second = _open(office, now=T + timedelta(days=1))
    other = _open(office, OTHER_ID, now=T + timedelta(days=2))
    refs = cases.find_cases_by_id(office, f" {ID_NO.lower()} ")
    assert [r.case_no for r in refs] == [second.case_no, first.case_no]  # newest first
    assert refs[0].applicant_name == "张*丰" and ID_NO not in json.dumps(refs[0].to_json())
    assert [r.case_no for r in cases.find_cases_by_id(office, OTHER_ID)] == [other.case_no]
    assert cases.find_cases_by_id(office, credit_code()) == []
    assert cases.find_cases_by_id(office, "") == []
    with office.read() as s:
        hashes = set(s.scalars(select(Case.applicant_lookup)))
    assert len(hashes) == 2 and all(len(h) == 64 and ID_NO not in h for h in hashes)


def test_purge_masks_in_clear_and_forgets_the_lookup_hash(office):
    ref = _open(office, agent=True, now=T)
    cases.decide(office, ref.case_no, "reject", reason="不属于本中心受理范围", now=T)
    kept = _open(office, now=T + timedelta(days=59))
    assert purge_personal_data(office, 30, now=T + timedelta(days=60)).purged == 1
    with office.read() as s:
        case = s.get(Case, uuid.UUID(ref.id))
        assert case.applicant_lookup is None
        assert case.applicant_id_no == ID_NO[:6] + "********" + ID_NO[-4:]
        assert (case.applicant_name, case.applicant_phone) == ("张*丰", "139****5678")
        assert (case.agent_name, case.agent_id_no) == (
            "欧**娜",
            AGENT_ID[:6] + "********" + AGENT_ID[-4:],
        )
    assert [r.case_no for r in cases.find_cases_by_id(office, ID_NO)] == [kept.case_no]
    assert cases.show(office, ref.case_no).applicant_name == "张*丰"


def test_a_pc_with_another_key_is_refused_before_it_seals_anything(db_url, tmp_path, monkeypatch):
    """Two PCs of one PostgreSQL hall: the second made a key of its own (or got another hall's
    key file). The database knows its key's check value, so that PC is refused at start, in
    one line, instead of sealing data the other PCs cannot read."""
    from desk_app.store import Database

    base = Database(db_url)
    monkeypatch.delenv("DESK_APP_KEY")
    monkeypatch.setenv("DESK_APP_KEY_FILE", str(tmp_path / "pc1.key"))
    protection.reset()
    assert main(["--db", db_url, "staff", "list", "--json"]) == 0  # PC 1: key made, check kept
    assert (tmp_path / "pc1.key").exists()
    monkeypatch.setenv("DESK_APP_KEY_FILE", str(tmp_path / "pc2.key"))
    create_key_file(tmp_path / "pc2.key")  # PC 2's own, different key
    protection.reset()
    with pytest.raises(HallKeyError, match="does not match"):
        protection.ensure_hall_key(base)
    assert main(["--db", db_url, "staff", "list", "--json"]) == 1
    monkeypatch.setenv("DESK_APP_KEY_FILE", str(tmp_path / "pc1.key"))  # the hall's key copied
    protection.reset()
    assert protection.ensure_hall_key(base) is False
    protection.reset()
    base.dispose()


def test_a_purged_case_cannot_go_on(office):
    """An open case past the retention period is purged; taking it up again would send masked
    data to the platform as the applicant's: refused, nothing written."""
    ref = _open(office, now=T)
    assert purge_personal_data(office, 30, now=T + timedelta(days=60)).purged == 1
    with office.read() as s:
        events = s.scalar(select(func.count()).select_from(CaseEvent))
    for attempt in (
        lambda: cases.receive(office, ref.case_no, ["application_form"]),
        lambda: cases.decide(office, ref.case_no, "notice"),
        lambda: cases.conclude(office, ref.case_no),
    ):
        with pytest.raises(Refused, match="purged"):
            attempt()
    with office.read() as s:
        assert s.scalar(select(func.count()).select_from(CaseEvent)) == events
