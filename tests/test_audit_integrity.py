"""The audit trail cannot be bent: nothing is signed with a key the hall does not recognise,
``audit verify`` reports every bad stretch (a later edit cannot hide behind an earlier one),
and ``audit list`` shows the newest entries."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import json
import os
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from desk_app.cli import main
from desk_app.security.audit_chain import AuditRecord, next_record, verify_chain
from desk_app.security.keys import HallKeyError
from desk_app.security.roles import Role
from desk_app.services.accounts import staff as accounts
from desk_app.services.common import audit, protection
from desk_app.store.identity_models import AuditEntry

PW = "Hall-2026x"
KEY = hashlib.sha256(b"audit integrity tests").digest()
T0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _forget_the_key():
    """Tests here load other keys: none stays cached for the tests after them."""
    protection.reset()
    yield
    protection.reset()


def _chain(n: int) -> list[AuditRecord]:
    records: list[AuditRecord] = []
    for i in range(n):
        prev = records[-1] if records else None
        at = T0 + timedelta(minutes=i)
        records.append(next_record(prev, at, "s01", "login.ok", "s01", {"i": i}, key=KEY))
    return records


# -- every bad stretch -------------------------------------------------------------------------


def test_every_edited_entry_is_reported_not_only_the_first():
    records = _chain(10)
    records[2] = dataclasses.replace(records[2], actor="someone")  # seq 3
    records[6] = dataclasses.replace(records[6], detail={"i": 99})  # seq 7
    result = verify_chain(records, key=KEY)
    assert (result.ok, result.first_bad, result.bad) == (False, 3, ((3, 3), (7, 7)))


def test_a_deleted_stretch_is_reported_as_the_missing_seqs_and_the_rest_checks_on():
    records = _chain(10)
    del records[4:6]  # seq 5 and 6 gone
    records[-1] = dataclasses.replace(records[-1], action="case.reveal")  # seq 10 edited
    result = verify_chain(records, key=KEY)
    assert result.bad == ((5, 6), (10, 10)) and result.entries == 8


def test_a_cut_tail_is_reported_against_the_head_kept_elsewhere():
    records = _chain(10)
    head = (records[-1].seq, records[-1].hash)
    result = verify_chain(records[:7], key=KEY, expected_head=head)
    assert result.bad == ((8, 10),)
    assert verify_chain(records, key=KEY, expected_head=head).ok


def test_a_repeated_entry_is_bad_and_adjacent_stretches_merge():
    records = _chain(6)
    records.insert(3, records[2])  # seq 3 twice
    records[4] = dataclasses.replace(records[4], target="x")  # seq 4 edited
    assert verify_chain(records, key=KEY).bad == ((3, 4),)


# -- the hall's key, and no other, signs -------------------------------------------------------


@pytest.fixture
def cli(db_url, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("DESK_APP_USER", raising=False)
    monkeypatch.delenv("DESK_APP_PASSWORD", raising=False)

    def run(*args: str, stdin: str | None = None) -> tuple[int, dict, str]:
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        rc = main(["--db", db_url, *args])
        out, err = capsys.readouterr()
        lines = out.strip().splitlines()
        return rc, json.loads(lines[-1]) if "--json" in args and lines else {}, err

    return run


def _other_key(monkeypatch) -> None:
    monkeypatch.setenv("DESK_APP_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())
    protection.reset()


def test_a_wrong_key_signs_nothing_and_the_trail_stays_whole(cli, db_url, monkeypatch):
    """The probe's repro: a counter's credentials and a key of its own on a queue command."""
    hall_key = os.environ["DESK_APP_KEY"]
    assert cli("staff", "add", "adm", "--name", "管理员", "--role", "admin", "--password-stdin",
               stdin=PW + "\n")[0] == 0  # fmt: skip
    monkeypatch.setenv("DESK_APP_USER", "adm")
    monkeypatch.setenv("DESK_APP_PASSWORD", PW)
    assert cli("service", "add", "newborn", "--name", "新生儿出生一件事", "--prefix", "A")[0] == 0
    assert cli("window", "add", "3", "--services", "newborn")[0] == 0
    assert cli("staff", "add", "s03", "--name", "王芳", "--role", "counter", "--password-stdin",
               stdin=PW + "\n")[0] == 0  # fmt: skip
    monkeypatch.setenv("DESK_APP_USER", "s03")
    assert cli("window", "open", "3", "--staff", "s03")[0] == 0
    assert cli("ticket", "issue", "--service", "newborn")[0] == 0

    from desk_app.store import Database

    db = Database(db_url)
    with db.read() as s:
        before = s.scalar(select(func.count()).select_from(AuditEntry))
    _other_key(monkeypatch)
    rc, _, err = cli("call", "next", "--window", "3", "--json")
    assert rc == 1 and "不是本厅数据库的密钥" in err and err.count("\n") == 1
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == before
        called = s.execute(text("SELECT count(*) FROM tickets WHERE state = 'called'")).scalar()
        assert called == 0  # nothing of the refused command was written
    db.dispose()

    monkeypatch.setenv("DESK_APP_KEY", hall_key)
    protection.reset()
    monkeypatch.setenv("DESK_APP_USER", "adm")
    rc, out, _ = cli("audit", "verify", "--json")
    assert rc == 0 and out["ok"] is True and out["bad"] == []


def test_the_key_check_is_read_once_per_database_and_key(db, monkeypatch):
    protection.ensure_hall_key(db)
    reads = []
    real = protection.key_check

    def counted() -> str:
        reads.append(1)
        return real()

    accounts.create_account(db, "s01", "王芳", Role.COUNTER, PW)
    monkeypatch.setattr(protection, "key_check", counted)
    protection._recognised.clear()
    with db.begin() as s:
        audit.record(s, "s01", "probe.one")
        audit.record(s, "s01", "probe.two")
    assert len(reads) == 2  # the check itself (cheap, cached cipher); the settings read: once
    _other_key(monkeypatch)
    with pytest.raises(HallKeyError), db.begin() as s:
        audit.record(s, "s01", "probe.three")
    with db.read() as s:
        actions = s.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)).all()
    assert "probe.three" not in actions and actions[-2:] == ["probe.one", "probe.two"]


# -- the newest entries ------------------------------------------------------------------------


def test_audit_list_shows_the_newest_entries(db):
    protection.ensure_hall_key(db)
    admin = accounts.create_account(db, "adm", "管理员", Role.ADMIN, PW)
    assert admin is not None
    actor = accounts.authenticate(db, "adm", PW).actor
    with db.begin() as s:
        for i in range(30):
            audit.record(s, "adm", f"probe.{i:02d}")
    lines = audit.entries(db.acting_as(actor), limit=5)
    assert [line.action for line in lines] == [f"probe.{i:02d}" for i in range(25, 30)]
    assert [line.seq for line in lines] == sorted(line.seq for line in lines)


# -- reveals need a reason, and a new password ends the old sessions ---------------------------


def test_a_reveal_needs_a_real_reason_and_a_refusal_is_audited(db):
    from desk_app.domain.errors import Refused
    from desk_app.security.roles import Actor
    from desk_app.services.cases import actions as cases
    from desk_app.services.hall import setup as hall
    from tests.ids import resident_id

    protection.ensure_hall_key(db)
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    clerk = db.acting_as(Actor(None, "s01", Role.COUNTER))
    ref = cases.open_case(clerk, "newborn", "张三丰", applicant_id=resident_id())
    office = db.acting_as(Actor(None, "sup01", Role.SUPERVISOR))
    for reason in (".", "-", "x", " . "):
        with pytest.raises(Refused):
            cases.reveal(office, ref.case_no, reason)
    admin = db.acting_as(Actor(None, "adm", Role.ADMIN))
    refused = audit.entries(admin, action="case.reveal.refused")
    assert [e.actor for e in refused] == ["sup01"] * 4
    assert {e.target for e in refused} == {ref.case_no}
    assert audit.entries(admin, action="case.reveal") == []
    assert cases.reveal(office, ref.case_no, "核实").applicant_name == "张三丰"


def test_a_new_password_ends_the_accounts_command_line_sessions(db):
    protection.ensure_hall_key(db)
    accounts.create_account(db, "s01", "王芳", Role.COUNTER, PW)
    actor = accounts.authenticate(db, "s01", PW).actor
    token = accounts.open_cli_session(db, actor, "clerk")
    other = accounts.open_cli_session(db, actor, "clerk")
    assert accounts.cli_session_actor(db, token, "clerk") is not None
    accounts.change_password(db, "s01", PW, "Hall-2027y")
    assert accounts.cli_session_actor(db, token, "clerk") is None
    assert accounts.cli_session_actor(db, other, "clerk") is None
    fresh = accounts.open_cli_session(db, actor, "clerk")
    admin = db.acting_as(accounts.Actor(None, "adm", Role.ADMIN))
    accounts.reset_password(admin, "s01")
    assert accounts.cli_session_actor(db, fresh, "clerk") is None
    (changed, reset) = audit.entries(admin, action="staff.passwd")
    assert changed.detail == {"own": True, "sessions_ended": 2}
    assert reset.detail == {"own": False, "sessions_ended": 1}


# -- DESK_APP_NOW turns no security clock ------------------------------------------------------


def test_moving_the_clock_does_not_escape_the_lockout(db, monkeypatch):
    protection.ensure_hall_key(db)
    accounts.create_account(db, "s01", "王芳", Role.COUNTER, PW)
    start = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    for i in range(30):  # the probe: 20 minutes on the hall clock between tries
        monkeypatch.setenv("DESK_APP_NOW", (start + timedelta(minutes=20 * i)).isoformat())
        with pytest.raises(accounts.LoginRefused):
            accounts.authenticate(db, "s01", "wrong-" + str(i))
    monkeypatch.delenv("DESK_APP_NOW")
    with pytest.raises(accounts.LoginRefused) as exc:
        accounts.authenticate(db, "s01", PW)  # the right password, but locked
    assert "locked" in str(exc.value)


def test_an_expired_session_stays_expired_whatever_the_hall_clock_says(db, monkeypatch):
    protection.ensure_hall_key(db)
    accounts.create_account(db, "s01", "王芳", Role.COUNTER, PW)
    actor = accounts.authenticate(db, "s01", PW).actor
    from desk_app.domain import clock

    token = accounts.open_cli_session(
        db, actor, "clerk", now=clock.real_now() - timedelta(hours=13)
    )
    assert accounts.cli_session_actor(db, token, "clerk") is None
    monkeypatch.setenv("DESK_APP_NOW", "2020-01-01T09:00:00+08:00")
    assert accounts.cli_session_actor(db, token, "clerk") is None
    fresh = accounts.open_cli_session(db, actor, "clerk")  # made "in 2020" by the hall clock?
    monkeypatch.delenv("DESK_APP_NOW")
    assert accounts.cli_session_actor(db, fresh, "clerk") is not None  # no: on the real clock


def test_the_audit_keeps_the_real_time_and_the_hall_time_beside_it(db, monkeypatch):
    from desk_app.domain import clock
    from desk_app.security.roles import Actor

    protection.ensure_hall_key(db)
    before = clock.real_now() - timedelta(seconds=5)
    monkeypatch.setenv("DESK_APP_NOW", "2020-01-01T09:00:00+08:00")
    with db.begin() as s:
        audit.record(s, "sup01", "case.reveal", "YJS-1", {"reason": "核实"})
    monkeypatch.delenv("DESK_APP_NOW")
    admin = db.acting_as(Actor(None, "adm", Role.ADMIN))
    (entry,) = audit.entries(admin, since=before, action="case.reveal")
    assert entry.at >= before and entry.detail == {
        "reason": "核实",
        "hall_at": "2020-01-01T09:00:00+08:00",
    }
    with db.begin() as s:  # on time: nothing beside it
        audit.record(s, "sup01", "case.reveal", "YJS-2", {"reason": "核实"})
    assert audit.entries(admin, action="case.reveal")[-1].detail == {"reason": "核实"}
