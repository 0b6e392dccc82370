"""Accounts: temporary passwords, lockout, locks, the audit trail and its verification."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, text, update

from desk_app.domain import clock
from desk_app.security.authz import Forbidden
from desk_app.security.roles import Actor, Role
from desk_app.services.accounts import staff as accounts
from desk_app.services.common import audit
from desk_app.services.common.errors import Refused
from desk_app.store.identity_models import AuditEntry
from tests.tools import ADMIN, add_staff

SETUP = Actor(staff_id=None, code="setup", role=Role.ADMIN)
PW = "Hall-2026x"


@pytest.fixture
def hall_accounts(db):
    accounts.create_account(db.acting_as(SETUP), "adm", "管理员", "admin", PW)
    accounts.create_account(db.acting_as(SETUP), "sup", "值班长", "supervisor", PW)
    new = accounts.create_account(db.acting_as(SETUP), "s01", "王芳", "counter")
    return db, new.temporary_password


def test_no_admin_means_setup_mode_until_one_exists(db):
    assert not accounts.has_admin(db)
    accounts.create_account(db.acting_as(SETUP), "adm", "管理员", "admin", PW)
    assert accounts.has_admin(db)


def test_a_temporary_password_works_once_and_must_be_changed(hall_accounts):
    db, temporary = hall_accounts
    assert temporary and len(temporary) >= 8
    first = accounts.authenticate(db, "s01", temporary)
    assert first.must_change
    with pytest.raises(Refused, match="字母和数字"):
        accounts.change_password(db, "s01", temporary, "onlyletters")
    accounts.change_password(db, "s01", temporary, "Counter-77")
    assert not accounts.authenticate(db, "s01", "Counter-77").must_change
    with pytest.raises(accounts.LoginRefused):
        accounts.authenticate(db, "s01", temporary)


def test_no_password_is_accepted_for_an_unknown_code_or_a_weak_new_account(hall_accounts):
    db, _ = hall_accounts
    with pytest.raises(accounts.LoginRefused, match="工号或密码错误"):
        accounts.authenticate(db, "nobody", PW)
    with pytest.raises(Refused, match="至少需要 8"):
        accounts.create_account(db.acting_as(SETUP), "s02", "李强", "counter", "a1")


def test_five_failures_in_fifteen_minutes_lock_for_fifteen_minutes(hall_accounts):
    db, _ = hall_accounts
    t0 = clock.now()
    for i in range(4):
        with pytest.raises(accounts.LoginRefused):
            accounts.authenticate(db, "sup", "wrong-1", now=t0 + timedelta(minutes=i))
    assert accounts.authenticate(db, "sup", PW, now=t0 + timedelta(minutes=4)).actor.code == "sup"
    # The success cleared the count: five more failures are needed, and then even the right
    # password is refused until the lock runs out.
    for i in range(5):
        with pytest.raises(accounts.LoginRefused):
            accounts.authenticate(db, "sup", "wrong-2", now=t0 + timedelta(minutes=5 + i))
    with pytest.raises(accounts.LoginRefused, match="锁定"):
        accounts.authenticate(db, "sup", PW, now=t0 + timedelta(minutes=20))
    ok = accounts.authenticate(db, "sup", PW, now=t0 + timedelta(minutes=25))
    assert ok.actor.role is Role.SUPERVISOR


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(hall_accounts):
    db, _ = hall_accounts
    t0 = clock.now()
    for i in range(5):
        with pytest.raises(accounts.LoginRefused):
            accounts.authenticate(db, "sup", "wrong", now=t0 + timedelta(minutes=4 * i))
    assert accounts.authenticate(db, "sup", PW, now=t0 + timedelta(minutes=17)).actor


def test_an_admin_locks_and_unlocks_with_a_reason_and_others_may_not(hall_accounts):
    db, _ = hall_accounts
    admin = accounts.authenticate(db, "adm", PW).actor
    sup = accounts.authenticate(db, "sup", PW).actor
    with pytest.raises(Forbidden):
        accounts.set_locked(db.acting_as(sup), "adm", True, "test")
    accounts.set_locked(db.acting_as(admin), "sup", True, "left the hall")
    with pytest.raises(accounts.LoginRefused, match="锁定"):
        accounts.authenticate(db, "sup", PW)
    with pytest.raises(Refused, match="原因"):
        accounts.set_locked(db.acting_as(admin), "sup", False, "")
    accounts.set_locked(db.acting_as(admin), "sup", False, "back from leave")
    assert accounts.authenticate(db, "sup", PW).actor.code == "sup"


def _actions(db, admin):
    return [e.action for e in audit.entries(db.acting_as(admin))]


def test_log_ins_and_account_changes_are_audited_and_the_chain_verifies(hall_accounts):
    db, _ = hall_accounts
    with pytest.raises(accounts.LoginRefused):
        accounts.authenticate(db, "sup", "wrong")
    admin = accounts.authenticate(db, "adm", PW).actor
    actions = _actions(db, admin)
    assert actions[:3] == ["staff.add", "staff.add", "staff.add"]
    assert "login.failed" in actions and actions[-1] == "login.ok"
    result = audit.verify(db.acting_as(admin))
    assert result.ok and result.entries == len(actions) and result.first_bad is None


def test_verify_finds_an_altered_entry(hall_accounts):
    db, _ = hall_accounts
    admin = accounts.authenticate(db, "adm", PW).actor
    with db.begin() as s:
        s.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(detail='{"role":"admin"}'))
    result = audit.verify(db.acting_as(admin))
    assert not result.ok and result.first_bad == 2


def test_verify_finds_a_deleted_entry_in_the_middle_and_at_the_end(hall_accounts):
    db, _ = hall_accounts
    admin = accounts.authenticate(db, "adm", PW).actor
    with db.begin() as s:
        s.execute(delete(AuditEntry).where(AuditEntry.seq == 3))
    assert audit.verify(db.acting_as(admin)).first_bad == 3
    # Put the chain back out of the way and cut its tail instead: the head row still knows.
    with db.begin() as s:
        s.execute(text("DELETE FROM audit_log"))
        s.execute(text("DELETE FROM audit_head"))
    for code in ("a", "b", "c"):
        accounts.create_account(db.acting_as(admin), f"x{code}", "某", "helper", PW)
    with db.begin() as s:
        last = s.execute(text("SELECT MAX(seq) FROM audit_log")).scalar()
        s.execute(delete(AuditEntry).where(AuditEntry.seq == last))
    result = audit.verify(db.acting_as(admin))
    assert not result.ok and result.first_bad == last


def test_an_unlock_is_audited_and_the_trail_holds_no_personal_name(hall_accounts):
    db, _ = hall_accounts
    admin = accounts.authenticate(db, "adm", PW).actor
    accounts.set_locked(db.acting_as(admin), "s01", True, "test")
    accounts.set_locked(db.acting_as(admin), "s01", False, "test done")
    lines = audit.entries(db.acting_as(admin), action="staff.unlock")
    assert [(e.actor, e.target, e.detail["reason"]) for e in lines] == [("adm", "s01", "test done")]
    assert all("王芳" not in str(e.to_json()) for e in audit.entries(db.acting_as(admin)))


def test_one_staff_member_wins_only_one_of_several_windows_in_a_race(db):
    """One staff member at one window is a constraint: 20 rounds of concurrent log-ins of one
    person at three windows let exactly one through each time, on both databases (the
    PostgreSQL runs are the ones that matter: there the old SELECT let 2-3 through)."""
    from desk_app.services.hall import setup as hall
    from desk_app.store import Database

    rounds = 20
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    for n in range(1, 3 * rounds + 1):
        hall.add_window(db, n, ["newborn"])
    handles = [Database(db.url).acting_as(ADMIN) for _ in range(3)]
    wins = []
    for r in range(rounds):
        code = f"s{r:02d}"
        add_staff(db, code, "王芳")
        barrier = threading.Barrier(3)
        outcomes: list[str] = []

        def login(i: int, window: int, code: str, barrier: threading.Barrier, seen: list) -> None:
            barrier.wait()
            try:
                hall.open_window(handles[i], window, code)
                seen.append("ok")
            except Refused:
                seen.append("refused")

        threads = [
            threading.Thread(target=login, args=(i, 3 * r + i + 1, code, barrier, outcomes))
            for i in range(3)
        ]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        wins.append(outcomes.count("ok"))
    for h in handles:
        h.dispose()
    assert wins == [1] * rounds
    open_staff = sorted(w.staff for w in hall.list_windows(db) if w.state == "open")
    assert open_staff == [f"s{r:02d}" for r in range(rounds)]


def test_the_same_person_rejoins_their_window_after_a_restart(db):
    """The counter's PC restarted (or the app crashed) with the window still open: its staff
    member logs in again and carries on; anyone else is still refused."""
    from desk_app.services.hall import setup as hall
    from desk_app.services.queue import operations as queue
    from desk_app.store.models import WindowEvent, WindowSession

    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall.add_window(db, 1, ["newborn"])
    add_staff(db, "s01", "王芳")
    add_staff(db, "s02", "李强")
    hall.open_window(db, 1, "s01")
    queue.issue_ticket(db, "newborn")
    called = queue.call_next(db, 1)
    again = hall.open_window(db, 1, "s01")
    assert again.state == "open" and again.staff == "s01"
    assert queue.window_current(db, 1).number == called.number  # the called ticket is kept
    with pytest.raises(Refused, match="王芳"):
        hall.open_window(db, 1, "s02")
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(WindowSession)) == 1
        actions = s.scalars(select(WindowEvent.action).order_by(WindowEvent.id)).all()
    assert actions == ["open", "rejoin"]


def test_a_refused_new_password_is_not_recorded_as_a_log_in(hall_accounts):
    db, temporary = hall_accounts
    before = [e.action for e in audit.entries(db)]
    with pytest.raises(Refused, match="至少需要 8"):
        accounts.change_password(db, "s01", temporary, "a1")
    assert [e.action for e in audit.entries(db)] == before
