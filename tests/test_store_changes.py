"""The change watch screens use to react at once: it says "changed" after another connection
commits, and (on SQLite, where the check is the database's own) not while nothing happens, so
the screen does not query for nothing. On PostgreSQL the check is the server's snapshot, which
other databases' writes change too (the other tests' here), so there the tests prove the
property the watch rests on instead: a commit between two looks always changes the snapshot."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from desk_app.services.queue import operations as queue
from desk_app.store import Database, changes
from desk_app.store.changes import PG_LOOK_S
from tests.tools import kill_backend


def wait_for_change(watch, seconds: float = 5.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if watch.changed():
            return True
        time.sleep(0.02)
    return False


def settle(watch) -> None:
    """Consume the first look (always "changed") and anything pending."""
    watch.changed()
    time.sleep(0.3)
    watch.changed()


def test_a_call_from_another_connection_is_seen(small_hall, db_url):
    queue.issue_ticket(small_hall, "newborn")
    watcher_db = Database(db_url)  # the display's own engine, as on another PC
    watch = watcher_db.change_watch()
    try:
        assert watch.changed() is True  # the first look always queries
        settle(watch)
        queue.call_next(small_hall, 1)
        assert watch.changed() is True  # committed before this look: never missed
    finally:
        watch.close()
        watcher_db.dispose()


def test_quiet_is_quiet_on_sqlite(small_hall, sqlite_url):
    if small_hall.is_postgres:
        pytest.skip("on PostgreSQL other databases' writes change the snapshot too")
    queue.issue_ticket(small_hall, "newborn")
    watch = Database(sqlite_url).change_watch()
    try:
        settle(watch)
        assert watch.changed() is False
        time.sleep(0.3)
        assert watch.changed() is False  # nothing committed: no reason to query
        queue.call_next(small_hall, 1)
        assert wait_for_change(watch)
        settle(watch)
        assert watch.changed() is False
    finally:
        watch.close()


@pytest.mark.pg
def test_a_commit_between_two_looks_always_changes_the_servers_snapshot(pg_url):
    """What ``_PostgresWatch`` compares: a transaction that writes and commits between two
    looks is running (or not yet begun) in the first look's snapshot and finished in the
    second's, so the two differ, whatever else the server does meanwhile. Rolled back, it is
    finished all the same: a needless query, never a missed one."""
    db = Database(pg_url)
    try:
        with db.engine.connect() as writer, db.engine.connect() as looker:
            writer.execute(text("CREATE TABLE t (n int)"))
            writer.commit()
            for end in (writer.commit, writer.rollback):
                look = "SELECT pg_current_snapshot()"
                before = looker.execute(text(look)).scalar()
                looker.commit()
                writer.execute(text("INSERT INTO t VALUES (1)"))
                xid = writer.execute(text("SELECT pg_current_xact_id()")).scalar()
                during = looker.execute(text(look)).scalar()
                looker.commit()
                end()
                after = looker.execute(text(look)).scalar()
                looker.commit()
                finished = "SELECT pg_visible_in_snapshot(:x, :s)"  # ended before the look
                for snapshot, ended in ((before, False), (during, False), (after, True)):
                    assert (
                        looker.execute(text(finished), {"x": xid, "s": snapshot}).scalar() is ended
                    )
                    looker.commit()
                assert after != during and after != before  # what the watch compares
    finally:
        db.dispose()


def _watch_pid(db: Database, other_than: int | None = None) -> int | None:
    with db.engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND pid IS DISTINCT FROM :other"
                " AND query LIKE 'SELECT pg_current_snapshot%'"
            ),
            {"other": other_than},
        ).scalar()


@pytest.mark.pg
def test_a_lost_postgresql_watch_polls_then_connects_again(pg_url, monkeypatch):
    monkeypatch.setattr(changes, "PG_RECONNECT_S", 0.5)
    db = Database(pg_url)
    watch = db.change_watch()
    try:
        assert 0 < PG_LOOK_S <= 0.05  # the wall's call-to-paint budget allows a look this often
        assert watch.changed() is True  # the first look
        pid = _watch_pid(db)
        assert pid is not None
        kill_backend(pg_url, pid)
        assert watch.changed() is True  # lost: the screen queries at its own pace meanwhile
        started = time.monotonic()
        assert watch.wait(0.2) is True
        assert time.monotonic() - started >= 0.15  # slept the screen's pace, did not spin
        assert watch.changed() is True
        assert _watch_pid(db, other_than=pid) is None  # not yet: at most every PG_RECONNECT_S
        time.sleep(0.5)
        assert watch.changed() is True  # connected again: its first look says "changed"
        assert _watch_pid(db, other_than=pid) is not None
    finally:
        watch.close()
        db.dispose()


def test_an_in_memory_database_has_no_watch_and_always_queries():
    db = Database("sqlite://")
    watch = db.change_watch()
    assert watch.changed() and watch.changed()
    watch.close()


def test_a_waiting_screen_wakes_at_a_commit(small_hall, db_url):
    """``wait()``, as the call display's follower thread uses it; on SQLite also not before."""
    queue.issue_ticket(small_hall, "newborn")
    watcher_db = Database(db_url)
    watch = watcher_db.change_watch()
    call = None
    try:
        assert watch.wait(0.5) is True  # the first look always queries
        if not small_hall.is_postgres:
            for _ in range(10):  # anything pending from setting up the hall
                if not watch.wait(0.3):
                    break
            started = time.monotonic()
            assert watch.wait(0.3) is False
            assert time.monotonic() - started >= 0.25  # it waited, it did not spin out at once
        call = threading.Timer(0.3, queue.call_next, (small_hall, 1))
        call.start()
        started = time.monotonic()
        assert watch.wait(10) is True
        assert time.monotonic() - started < 5  # woken by the call, not by the timeout
        if not small_hall.is_postgres:
            assert time.monotonic() - started >= 0.2  # and not before it
    finally:
        if call is not None:  # on PostgreSQL another database's write may have woken it first
            call.join()
        watch.close()
        watcher_db.dispose()
