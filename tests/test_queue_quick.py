"""The quick commands (``services/queue_quick``, the SQLite file through the standard library)
and the full versions leave the same hall: the random morning of ``test_queue_engine`` run once
with the quick versions tried first and once without, on twin databases. And the three quick
commands, run as a call-pad runs them, load no SQLAlchemy."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import delete

from desk_app.cli import main
from desk_app.services import queue, queue_quick
from desk_app.services.errors import Refused
from desk_app.store import lite
from desk_app.store.appointment_models import CalendarSession
from tests import queue_twins
from tests.appt_tools import at, calendar_hall
from tests.queue_twins import hall_state, morning_script, run_script


def _open(db) -> sqlite3.Connection:  # type: ignore[no-untyped-def]
    conn = lite.connect(db.url)
    assert conn is not None, "a migrated SQLite file is one for the quick path"
    return conn


def _without_calendar(original):  # type: ignore[no-untyped-def]
    """The engine test's hall, its opening calendar removed once the appointments are in (a
    hall without a calendar issues at any time, and reads no calendar to issue)."""

    def hall(db) -> None:  # type: ignore[no-untyped-def]
        original(db)
        with db.begin() as s:
            s.execute(delete(CalendarSession))

    return hall


@pytest.mark.parametrize("calendar", [True, False], ids=["calendar", "no-calendar"])
def test_the_quick_and_the_full_versions_leave_the_same_hall(db, twin, monkeypatch, calendar):
    if db.is_postgres:
        pytest.skip("the quick commands are for the SQLite file; PostgreSQL runs the full ones")
    if not calendar:
        monkeypatch.setattr(queue_twins, "hall", _without_calendar(queue_twins.hall))
    real_call, real_issue = queue.call_next, queue.issue_ticket
    taken = {"call": 0, "issue": 0, "fallback": 0}

    def tally(kind, result):  # type: ignore[no-untyped-def]
        taken["fallback" if result is queue_quick.FALLBACK else kind] += 1
        return result

    def call_next(db, window, *, now):  # type: ignore[no-untyped-def]
        conn = _open(db)
        try:
            got = tally("call", queue_quick.call_next(conn, db.actor, window, now))
        finally:
            conn.close()
        return real_call(db, window, now=now) if got is queue_quick.FALLBACK else got

    def issue_ticket(db, code, priority=None, *, now):  # type: ignore[no-untyped-def]
        conn = _open(db)
        try:
            got = tally("issue", queue_quick.issue(conn, code, priority, now))
        finally:
            conn.close()
        return real_issue(db, code, priority, now=now) if got is queue_quick.FALLBACK else got

    steps = morning_script(seed=11, n=220)
    monkeypatch.setattr(queue, "call_next", call_next)
    monkeypatch.setattr(queue, "issue_ticket", issue_ticket)
    quick = run_script(db, steps)
    quick_state = hall_state(db)
    monkeypatch.setattr(queue, "call_next", real_call)
    monkeypatch.setattr(queue, "issue_ticket", real_issue)
    full = run_script(twin, steps)
    assert quick == full
    assert quick_state == hall_state(twin)
    # The quick versions did most of the calls and every issue; the rest (the repeated press,
    # a paused or closed window, a ticket transferred to the window) went to the full ones.
    assert taken["call"] >= 30 and taken["issue"] >= 40 and taken["fallback"] >= 10, taken
    called = [r for op, _w, r in quick if op == "call" and isinstance(r, dict)]
    assert {r["priority"] for r in called} >= {None, "elderly", "appointment"}
    # And the queue at a glance reads the same.
    later = at("2026-12-01 12:00")
    conn = _open(db)
    try:
        assert queue_quick.queue_status(conn, later) == queue.queue_status(db, now=later)
    finally:
        conn.close()


def test_a_closed_hall_or_a_service_not_served_now_is_the_full_versions_refusal(db):
    if db.is_postgres:
        pytest.skip("SQLite only")
    calendar_hall(db)  # the midday session serves newborn only; none on Sunday
    conn = _open(db)
    try:
        for when, code in (("2026-12-01 12:30", "retirement"), ("2026-12-06 10:00", "newborn")):
            assert queue_quick.issue(conn, code, None, at(when)) is queue_quick.FALLBACK
            with pytest.raises(Refused):
                queue.issue_ticket(db, code, now=at(when))
        midday = queue_quick.issue(conn, "newborn", "elderly", at("2026-12-01 12:30"))
        assert midday.number == "A001" and midday.priority == "elderly"
        # Five minutes before the evening session ends, the kiosk stops (appt_kiosk_stop_min).
        late = at("2026-12-01 18:58")
        assert queue_quick.issue(conn, "newborn", None, late) is queue_quick.FALLBACK
    finally:
        conn.close()
    with pytest.raises(Refused):
        queue.issue_ticket(db, "newborn", now=late)


def test_what_the_quick_versions_do_not_handle_goes_to_the_full_ones(db, small_hall):
    if db.is_postgres:
        pytest.skip("SQLite only")
    now = at("2026-12-01 10:00")
    conn = _open(db)
    try:
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
    again, probe = run("call", "next", "--window", "1", "--json")
    assert (
        probe == {"rc": 0, "sqlalchemy": True} and again["repeated"] and again["id"] == called["id"]
    )
