"""The queue's hot path on PostgreSQL keeps one connection of the pool, in autocommit
(``store/kept.py``): each press goes straight to it, a lost one is replaced, a press on another
thread while it is busy takes a pooled connection, and disposing of the database gives it back."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy.exc import DBAPIError

from desk_app.store import Database
from desk_app.store import database as database_module
from desk_app.store.database import DatabaseUnavailable
from tests.tools import kill_backend

pytestmark = pytest.mark.pg

PID = ("SELECT pg_backend_pid(), current_setting('transaction_isolation')", ())


def test_every_press_goes_to_the_same_kept_connection_in_autocommit(pg_url):
    db = Database(pg_url)
    first = db.one_statement(*PID)
    assert db.one_statement(*PID) == first
    assert db.one_statement("SELECT 1 / %s::int", (1,)) == (1,)
    assert db.one_statement(*PID) == first
    assert db.engine.pool.checkedout() == 1  # kept out of the pool, not handed back each time
    assert db.acting_as(None).one_statement(*PID) == first  # a handle for a person shares it
    db.dispose()
    assert db.engine.pool.checkedout() == 0  # given back


def test_a_failing_press_leaves_the_kept_connection_usable(pg_url):
    db = Database(pg_url)
    first = db.one_statement(*PID)
    with pytest.raises(DBAPIError, match="division by zero"):
        db.one_statement("SELECT 1 / %s::int", (0,))
    assert db.one_statement(*PID) == first  # idle again, same connection
    db.dispose()


def test_a_lost_kept_connection_fails_that_press_and_the_next_gets_a_new_one(pg_url, monkeypatch):
    monkeypatch.setattr(database_module, "PING_AFTER_IDLE_S", 3600.0)
    db = Database(pg_url)
    pid = db.one_statement(*PID)[0]
    kill_backend(pg_url, pid)
    with pytest.raises(DatabaseUnavailable) as lost:  # not sent again: it may have committed
        db.one_statement(*PID)
    assert isinstance(lost.value.__cause__, DBAPIError)
    assert lost.value.__cause__.connection_invalidated
    assert db.one_statement(*PID)[0] != pid
    db.dispose()


def test_an_idle_kept_connection_is_checked_and_replaced_before_the_press(pg_url, monkeypatch):
    monkeypatch.setattr(database_module, "PING_AFTER_IDLE_S", 0.0)
    db = Database(pg_url)
    pid = db.one_statement(*PID)[0]
    kill_backend(pg_url, pid)
    assert db.one_statement(*PID)[0] != pid  # found gone before anything was sent: no error
    db.dispose()


def test_a_press_while_another_thread_is_on_the_kept_connection_takes_a_pooled_one(pg_url):
    db = Database(pg_url)
    kept_pid = db.one_statement(*PID)[0]
    inside, leave = threading.Event(), threading.Event()
    seen: list[int] = []

    def slow_press() -> None:
        with db._kept._use() as raw:  # another thread's press, holding it
            seen.append(raw.execute("SELECT pg_backend_pid()").fetchone()[0])
            inside.set()
            leave.wait(10)

    t = threading.Thread(target=slow_press)
    t.start()
    assert inside.wait(10)
    try:
        pid, isolation = db.one_statement(*PID)
        assert pid != kept_pid and isolation == "read committed"
    finally:
        leave.set()
        t.join()
    assert seen == [kept_pid]
    assert db.one_statement(*PID)[0] == kept_pid  # free again
    with db.engine.connect() as conn:  # the pooled one went back as it was
        assert conn.connection.driver_connection.autocommit is False
    db.dispose()
