"""The quick commands (``services/queue_quick``, the SQLite file through the standard library):
what they do not handle goes to the full versions, the queue at a glance reads the same, only
the application's own database at this code's schema is opened, and the three commands, run as
a call-pad runs them, load no SQLAlchemy. That calls, actions and issuing leave the same hall as
the ORM version is ``tests/test_queue_engine.py`` (the hot path on SQLite is this module)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import timedelta

import pytest

from desk_app.cli import main
from desk_app.services.queue import operations as queue
from desk_app.services.queue import quick as queue_quick
from desk_app.store import lite
from tests.appt_tools import at
from tests.queue_twins import morning_script, run_script


@pytest.fixture
def db(sqlite_url):  # type: ignore[no-untyped-def]
    """The hall database on SQLite only: the quick versions are for the SQLite file (on
    PostgreSQL the full ones run, which tests/test_queue_engine.py compares there)."""
    from desk_app.store import Database
    from desk_app.store.schema import upgrade
    from tests.conftest import TEST_ADMIN

    database = Database(sqlite_url)
    upgrade(database)
    yield database.acting_as(TEST_ADMIN)
    database.dispose()


def _open(db) -> sqlite3.Connection:  # type: ignore[no-untyped-def]
    conn = lite.connect(db.url)
    assert conn is not None, "a migrated SQLite file is one for the quick path"
    return conn


def test_the_queue_at_a_glance_reads_the_same_as_the_full_version(db):
    run_script(db, morning_script(seed=11, n=120))
    for when in ("2026-12-01 09:00", "2026-12-01 12:00"):
        conn = _open(db)
        try:
            quick = queue_quick.queue_status(conn, at(when))
        finally:
            conn.close()
        assert quick == queue.queue_status(db, now=at(when))
    assert any(s.waiting for s in quick.services)
    assert {w.state for w in quick.windows} >= {"open", "closed"}
    assert any(w.current for w in quick.windows)


def test_what_the_quick_versions_do_not_handle_goes_to_the_full_ones(db, small_hall):
    now = at("2026-12-01 10:00")
    conn = _open(db)
    try:
        # The day's first action rolls the queue over: the full version's work.
        assert queue_quick.issue(conn, "newborn", None, now) is queue_quick.FALLBACK
        from desk_app.services.queue.rollover import rollover

        rollover(db, now=now)
        assert queue_quick.issue(conn, "nosuch", None, now) is queue_quick.FALLBACK
        ticket = queue_quick.issue(conn, "newborn", None, now)
        assert ticket.number == "A001" and ticket.ahead == 0
        # Nobody logged in, a closed window: the full version refuses in its words.
        assert queue_quick.call_next(conn, None, 1, now) is queue_quick.FALLBACK
        me = db.actor
        assert queue_quick.call_next(conn, me, 3, now) is queue_quick.FALLBACK
        called = queue_quick.call_next(conn, me, 1, now + timedelta(minutes=1))
        assert called.number == "A001" and called.window == 1
        # The same press again: the repeated press is the full version's answer.
        assert queue_quick.call_next(conn, me, 1, now) is queue_quick.FALLBACK
        assert queue.call_next(db, 1, now=now).repeated
        assert queue_quick.session_actor(conn, "no-such-token", "me", now) is queue_quick.FALLBACK
    finally:
        conn.close()
    # Nothing half-done: the refused attempts wrote nothing.
    windows = queue.queue_status(db, now=now).windows
    assert [(w.number, w.current) for w in windows if w.current] == [(1, "A001")]


def test_only_a_plain_sqlite_file_at_this_codes_schema_is_opened(tmp_path):
    assert lite.connect("postgresql+psycopg://u@h/db") is None
    assert lite.connect(f"sqlite:///{tmp_path / 'missing.db'}") is None  # the full one creates
    assert lite.connect(f"sqlite:///{tmp_path / 'x.db'}?mode=ro") is None
    assert lite.connect(f"sqlite:///{tmp_path}/a%20b.db") is None  # SQLAlchemy would decode it
    assert lite.connect("sqlite:///:memory:") is None
    old = tmp_path / "old.db"
    sqlite3.connect(old).executescript(
        "CREATE TABLE alembic_version (version_num TEXT); INSERT INTO alembic_version VALUES ('0001');"
    )
    assert lite.connect(f"sqlite:///{old}") is None  # an older schema: the full one migrates
    assert lite.connect(f"sqlite:///{tmp_path}/plain.db") is None
    assert (
        lite.display_url("sqlite:////tmp/中文/hall.db")
        == "sqlite:////tmp/%E4%B8%AD%E6%96%87/hall.db"
    )


def test_a_call_pads_three_commands_load_no_sqlalchemy(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'h.db'}"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("DESK_APP_DB", url)
    monkeypatch.delenv("DESK_APP_USER", raising=False)
    assert main(["demo", "seed", "--days", "0", "--windows", "2", "--no-calendar"]) == 0
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("Demo-1234\n"))
    assert main(["login", "--user", "s01", "--password-stdin"]) == 0
    assert main(["window", "open", "1", "--staff", "s01"]) == 0
    env_code = (
        "import json, sys\n"
        "from desk_app.cli import main\n"
        "rc = main(sys.argv[1:])\n"
        "print(json.dumps({'rc': rc, 'sqlalchemy': 'sqlalchemy' in sys.modules}))\n"
    )

    def run(*argv: str) -> tuple[dict, dict]:
        done = subprocess.run(
            [sys.executable, "-c", env_code, *argv],
            capture_output=True,
            text=True,
            timeout=60,
            env={**__import__("os").environ},
        )
        assert done.returncode == 0, done.stderr
        answer, probe = done.stdout.strip().splitlines()[-2:]
        return json.loads(answer), json.loads(probe)

    status, probe = run("queue", "status", "--json")
    assert probe == {"rc": 0, "sqlalchemy": False}
    assert status["windows"][0] == {"number": 1, "state": "open", "current": None, "staff": "s01"}
    ticket, probe = run("ticket", "issue", "--service", "newborn", "--json")
    assert probe == {"rc": 0, "sqlalchemy": False} and ticket["number"] == "A001"
    called, probe = run("call", "next", "--window", "1", "--json")
    assert probe == {"rc": 0, "sqlalchemy": False}
    assert called["number"] == "A001" and called["window"] == 1 and not called["repeated"]
    # The repeated press is the full version's: it loads SQLAlchemy and answers the same ticket.
    # Neither version asks for the hall key: calling seals no personal data, so a PC whose key
    # is not the hall's still calls (what it may not do is seal data: test_personal_data).
    with sqlite3.connect(lite.sqlite_path(url)) as raw:
        raw.execute("UPDATE settings SET value = 'another hall' WHERE key = 'hall_key_check'")
        assert raw.total_changes == 1
    again, probe = run("call", "next", "--window", "1", "--json")
    assert (
        probe == {"rc": 0, "sqlalchemy": True} and again["repeated"] and again["id"] == called["id"]
    )


def test_a_write_lock_not_taken_in_time_is_the_full_versions_case(db, small_hall):
    conn, other = _open(db), _open(db)
    try:
        conn.execute("PRAGMA busy_timeout = 50")
        now = at("2026-12-01 10:00")
        from desk_app.services.queue.rollover import rollover

        rollover(db, now=now)  # the day's first action done: the quick version's turn
        other.execute("BEGIN IMMEDIATE")  # another program holds the writer's lock
        assert queue_quick.issue(conn, "newborn", None, now) is queue_quick.FALLBACK
        assert not conn.in_transaction
        other.execute("ROLLBACK")
        assert queue_quick.issue(conn, "newborn", None, now).number == "A001"  # nothing was used
    finally:
        conn.close()
        other.close()


# Each way a login session stops identifying its person (values as stored, UTC; now is
# 2026-12-01 10:00 in the hall, 02:00 UTC).
SESSION_CASES = {
    "live": [],
    "expired": ["UPDATE login_sessions SET expires_at = '2026-12-01 01:00:00.000000'"],
    "revoked": ["UPDATE login_sessions SET revoked_at = '2026-12-01 01:00:00.000000'"],
    "inactive": ["UPDATE staff SET active = 0 WHERE code = 'x1'"],
    "locked": ["UPDATE staff SET locked = 1 WHERE code = 'x1'"],
    "must change": ["UPDATE staff SET must_change = 1 WHERE code = 'x1'"],
    "locked a while": ["UPDATE staff SET locked_until = '2026-12-01 03:00:00.000000'"],
    "lock over": ["UPDATE staff SET locked_until = '2026-12-01 01:00:00.000000'"],
}


@pytest.mark.parametrize("case", list(SESSION_CASES))
@pytest.mark.parametrize("os_user", ["me", "someone else"])
def test_the_quick_and_the_full_version_accept_the_same_login_sessions(db, case, os_user):
    from sqlalchemy import text

    from desk_app.security.roles import Actor, Role
    from desk_app.services.accounts import staff as accounts
    from tests.tools import add_staff

    add_staff(db, "adm", "管理员", "admin")
    add_staff(db, "x1", "员工")
    with db.begin() as s:
        s.execute(text("UPDATE staff SET must_change = 0"))
        sid = s.execute(text("SELECT id FROM staff WHERE code = 'x1'")).scalar()
    me = Actor(sid, "x1", Role.COUNTER)
    token = accounts.open_cli_session(db, me, "me", now=at("2026-12-01 08:00"))
    with db.begin() as s:
        for statement in SESSION_CASES[case]:
            s.execute(text(statement))
    now = at("2026-12-01 10:00")
    full = accounts.cli_session_actor(db, token, os_user, now=now)
    conn = _open(db)
    try:
        quick = queue_quick.session_actor(conn, token, os_user, now)
    finally:
        conn.close()
    assert (None if quick is queue_quick.FALLBACK else quick) == full
    assert (full is not None) == (case in ("live", "lock over") and os_user == "me")
