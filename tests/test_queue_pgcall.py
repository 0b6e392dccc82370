"""The queue's hot path on PostgreSQL as server-side functions (migration 0019): each press is a
statement in a transaction of its own and nothing else (migration 0023), every press that
changes something is seen by the displays' change watch, and the ticket table keeps its own
autovacuum thresholds. That the functions leave
the same tickets, events and calling cycles as the ORM version is tests/test_queue_engine.py."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from desk_app.services.queue import engine as queue_engine
from desk_app.services.queue import operations as queue
from desk_app.store import Database
from desk_app.store.pipeline import one_statement
from tests.test_store_changes import settle, wait_for_change

pytestmark = pytest.mark.pg


@pytest.fixture
def pg_hall(small_hall):  # type: ignore[no-untyped-def]
    if not small_hall.is_postgres:
        pytest.skip("the functions are PostgreSQL's")
    return small_hall


def test_every_press_that_changes_something_is_seen_by_the_displays(pg_hall, monkeypatch):
    """The displays look at the server's snapshot (``store/changes.py``): a press that commits
    is never missed. (That nothing else wakes them can't be checked here: the snapshot is the
    whole server's, and other tests write to it meanwhile.)"""
    for _ in range(2):
        queue.issue_ticket(pg_hall, "newborn")
    hot = []  # which presses the functions answered (the others ran the ORM version)
    for name in ("call_next", "act_on_current"):
        real = getattr(queue_engine, name)

        def counted(*args, real=real):  # type: ignore[no-untyped-def]
            result = real(*args)
            hot.append(result is not queue_engine.FALLBACK)
            return result

        monkeypatch.setattr(queue_engine, name, counted)
    display = Database(pg_hall.url)  # the display's own engine, as on another PC
    watch = display.change_watch()

    def woken(fn) -> bool:  # type: ignore[no-untyped-def]
        settle(watch)
        fn(pg_hall, 1)
        return wait_for_change(watch, 2.0)

    try:
        assert woken(queue.call_next)
        queue.call_next(pg_hall, 1)  # the repeated press: nothing new to show
        assert woken(queue.recall)
        assert woken(queue.start)
        assert woken(queue.call_next)  # completes the first, calls the second
        assert woken(queue.no_show)
        queue.call_next(pg_hall, 1)  # nobody waits
    finally:
        watch.close()
        display.dispose()
    assert hot == [True, False, True, True, True, True, True]


def test_a_press_on_postgresql_is_one_transaction_that_is_committed_at_once(pg_hall):
    queue.issue_ticket(pg_hall, "newborn")
    other = Database(pg_hall.url)
    try:
        with pg_hall.engine.connect() as conn:
            raw = conn.connection.driver_connection
            sql = queue_engine.CALL_NEXT
            params = (1, *_call_params(pg_hall))
            row = one_statement(conn, sql, params)
            assert row is not None and row[0] == "done"
            assert raw.info.transaction_status == 0  # idle: nothing left open
            assert raw.autocommit is False  # the pooled connection as it was
            with other.engine.connect() as c2:  # committed, and no lock held
                state = c2.execute(
                    text("SELECT state FROM tickets WHERE id = :id FOR UPDATE NOWAIT"),
                    {"id": row[1]},
                ).scalar()
            assert state == "called"
    finally:
        other.dispose()


def _call_params(db: Database) -> tuple:
    from desk_app.domain import clock

    now = clock.now()
    queue.window_current(db, 1)  # nothing to roll over: the day was rolled by the issue
    return (
        queue_engine._utc(now),
        clock.hall_day(now).isoformat(),
        None,
        True,
        "completed",
    )


def test_a_failing_call_raises_sqlalchemys_error_and_leaves_the_connection_usable(pg_hall):
    with pytest.raises(DBAPIError, match="division by zero"), pg_hall.engine.connect() as conn:
        one_statement(conn, "SELECT 1 / %s::int", (0,))
    with pg_hall.engine.connect() as conn:
        assert one_statement(conn, "SELECT 2 / %s::int", (1,)) == (2,)
        assert conn.connection.driver_connection.autocommit is False


def test_a_press_is_its_statement_alone_and_commits_as_usual(pg_hall):
    """Migration 0023: nothing is sent after the press for the displays (they look at the
    server's snapshot), the functions set no wake flag, and the call commits durably."""
    queue.issue_ticket(pg_hall, "newborn")
    (pid,) = pg_hall.one_statement("SELECT pg_backend_pid()", ())  # the presses' connection

    def last_query() -> str:
        with pg_hall.engine.connect() as conn:
            return conn.execute(
                text("SELECT query FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
            ).scalar_one()

    assert queue.call_next(pg_hall, 1) is not None
    assert last_query().startswith("SELECT o_outcome") and ";" not in last_query()
    assert "queue_call_next(" in last_query()
    assert queue.recall(pg_hall, 1).recall_count == 1
    assert "queue_act(" in last_query() and ";" not in last_query()
    settings = pg_hall.one_statement(
        "SELECT current_setting('desk_app.wake', true), current_setting('synchronous_commit'),"
        " to_regproc('queue_wake')::text",
        (),
    )
    assert settings in ((None, "on", None), ("", "on", None))


def test_the_ticket_table_keeps_its_own_autovacuum_thresholds(pg_hall):
    with pg_hall.engine.connect() as conn:
        options = conn.execute(
            text("SELECT reloptions FROM pg_class WHERE relname = 'tickets'")
        ).scalar()
    assert "autovacuum_analyze_scale_factor=0" in options
    assert "autovacuum_analyze_threshold=1000" in options
