"""The change watch screens use to react at once: it says "changed" after another connection
commits a call, and not while nothing happens (so the screen does not query for nothing)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from desk_app.services.queue import operations as queue
from desk_app.store import Database
from desk_app.store.changes import CALLS_CHANNEL, notify_calls


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


def test_a_call_from_another_connection_is_seen_and_quiet_is_quiet(small_hall, db_url):
    queue.issue_ticket(small_hall, "newborn")
    watcher_db = Database(db_url)  # the display's own engine, as on another PC
    watch = watcher_db.change_watch()
    try:
        assert watch.changed() is True  # the first look always queries
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
        watcher_db.dispose()


@pytest.mark.pg
def test_a_rolled_back_call_wakes_nobody_on_postgresql(pg_url):
    db = Database(pg_url)
    watch = db.change_watch()
    try:
        settle(watch)
        with db.engine.connect() as conn:
            from sqlalchemy.orm import Session

            with Session(conn) as s:
                notify_calls(s)
                s.rollback()
        time.sleep(0.5)
        assert watch.changed() is False
        with db.engine.begin() as conn:
            conn.execute(text(f"NOTIFY {CALLS_CHANNEL}"))
        assert wait_for_change(watch)
    finally:
        watch.close()
        db.dispose()


def test_an_in_memory_database_has_no_watch_and_always_queries():
    db = Database("sqlite://")
    watch = db.change_watch()
    assert watch.changed() and watch.changed()
    watch.close()


def test_a_waiting_screen_wakes_at_a_commit_and_not_before(small_hall, db_url):
    """``wait()``, as the call display's follower thread uses it (PostgreSQL: on the socket in
    the waiting thread itself)."""
    queue.issue_ticket(small_hall, "newborn")
    watcher_db = Database(db_url)
    watch = watcher_db.change_watch()
    try:
        assert watch.wait(0.5) is True  # the first look always queries
        for _ in range(10):  # anything pending from setting up the hall
            if not watch.wait(0.3):
                break
        started = time.monotonic()
        assert watch.wait(0.3) is False
        assert time.monotonic() - started >= 0.25  # it waited, it did not spin out at once
        threading.Timer(0.3, queue.call_next, (small_hall, 1)).start()
        started = time.monotonic()
        assert watch.wait(10) is True
        assert 0.2 <= time.monotonic() - started < 5  # woken by the call, not by the timeout
    finally:
        watch.close()
        watcher_db.dispose()
