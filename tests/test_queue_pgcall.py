"""The queue's hot path on PostgreSQL as server-side functions (migration 0019): each press is a
statement in a transaction of its own, the displays are woken after a call or a recall and after
nothing else, and the ticket table keeps its own autovacuum thresholds. That the functions leave
the same tickets, events and calling cycles as the ORM version is tests/test_queue_engine.py."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from desk_app.services.queue import engine as queue_engine
from desk_app.services.queue import operations as queue
from desk_app.store import Database
from desk_app.store.pipeline import CommittedThenFailed, one_statement
from tests.test_store_changes import settle, wait_for_change

pytestmark = pytest.mark.pg


@pytest.fixture
def pg_hall(small_hall):  # type: ignore[no-untyped-def]
    if not small_hall.is_postgres:
        pytest.skip("the functions are PostgreSQL's")
    return small_hall


def test_a_call_and_a_recall_wake_the_displays_and_nothing_else_does(pg_hall, monkeypatch):
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
        return wait_for_change(watch, 0.5)

    try:
        assert woken(queue.call_next)
        assert not woken(queue.call_next)  # the repeated press: nothing new to show
        assert woken(queue.recall)
        assert not woken(queue.start)
        assert woken(queue.call_next)  # completes the first, calls the second
        assert not woken(queue.no_show)
        assert not woken(queue.call_next)  # nobody waits: the screens have nothing new
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


@pytest.mark.parametrize("then", [None, ("SELECT 1", ())], ids=["alone", "then"])
def test_a_failing_call_raises_sqlalchemys_error_and_leaves_the_connection_usable(pg_hall, then):
    with pytest.raises(DBAPIError, match="division by zero"), pg_hall.engine.connect() as conn:
        one_statement(conn, "SELECT 1 / %s::int", (0,), then=then)
    with pg_hall.engine.connect() as conn:
        assert one_statement(conn, "SELECT 2 / %s::int", (1,)) == (2,)
        assert conn.connection.driver_connection.autocommit is False


def test_the_second_statement_is_a_transaction_of_its_own(pg_hall):
    """A wake-up that fails does not undo the call before it: that one has committed."""
    with pg_hall.engine.connect() as conn:
        raw = conn.connection.driver_connection
        raw.autocommit = True
        raw.execute("CREATE TEMP TABLE seen (n int)")
        raw.autocommit = False
        with pytest.raises(CommittedThenFailed, match="division by zero"):
            one_statement(
                conn, "INSERT INTO seen VALUES (1) RETURNING n", (), then=("SELECT 1 / 0", ())
            )
        row = one_statement(
            conn, "INSERT INTO seen VALUES (2) RETURNING n", (), then=("SELECT 1", ())
        )
        assert row == (2,)
        assert one_statement(conn, "SELECT array_agg(n ORDER BY n) FROM seen", ()) == ([1, 2],)


def test_a_failed_wake_up_still_answers_the_press_that_was_made(pg_hall, monkeypatch, caplog):
    """The call and the recall commit before the wake-up: when only the wake-up fails, the
    window gets its ticket (not an error), and the recall is not made a second time."""
    first = queue.issue_ticket(pg_hall, "newborn")
    monkeypatch.setattr(queue_engine, "WAKE", ("SELECT 1 / %s::int", (0,)))
    called = queue.call_next(pg_hall, 1)
    assert called is not None and called.number == first.number and called.state == "called"
    recalled = queue.recall(pg_hall, 1)
    assert recalled.number == first.number and recalled.recall_count == 1
    with pg_hall.engine.connect() as conn:  # once in the table, once in the events
        raw = conn.connection.driver_connection
        assert raw.execute(
            "SELECT t.recall_count, count(e.*) FROM tickets t JOIN ticket_events e"
            " ON e.ticket_id = t.id AND e.action = 'recall' WHERE t.number = %s"
            " GROUP BY t.recall_count",
            (first.number,),
        ).fetchall() == [(1, 1)]
        raw.rollback()
    assert "displays were not woken" in caplog.text


def test_the_ticket_table_keeps_its_own_autovacuum_thresholds(pg_hall):
    with pg_hall.engine.connect() as conn:
        options = conn.execute(
            text("SELECT reloptions FROM pg_class WHERE relname = 'tickets'")
        ).scalar()
    assert "autovacuum_analyze_scale_factor=0" in options
    assert "autovacuum_analyze_threshold=1000" in options


def test_the_wake_up_alone_commits_without_waiting_for_the_disk(pg_hall):
    """Migration 0021: the wake-up's transaction only notifies, so it commits asynchronously;
    the setting is its own, not the session's: the next call commits as usual."""
    with pg_hall.engine.connect() as conn:
        setting = "SELECT current_setting('synchronous_commit')"
        conn.execute(text("SELECT set_config('desk_app.wake', '1', false)"))
        conn.execute(text("SELECT queue_wake('desk_app_test')"))
        assert conn.execute(text(setting)).scalar() == "off"  # inside the wake-up's transaction
        conn.commit()
        assert conn.execute(text(setting)).scalar() == "on"
        conn.commit()
        conn.execute(text("SELECT queue_wake('desk_app_test')"))  # nothing to wake: left as is
        assert conn.execute(text(setting)).scalar() == "on"
        conn.rollback()
    queue.issue_ticket(pg_hall, "newborn")
    assert queue.call_next(pg_hall, 1) is not None
    with pg_hall.engine.connect() as conn:  # the pooled connection the press used
        assert conn.execute(text("SHOW synchronous_commit")).scalar() == "on"


def _plans_of(db: Database, press) -> list[str]:  # type: ignore[no-untyped-def]
    """The plan of every statement ``press(handle)`` runs, nested ones included (auto_explain's
    log sent to the client as notices), on a handle of its own that explains everything."""
    from sqlalchemy import event

    plans: list[str] = []
    explained = Database(db.url).acting_as(db.actor)

    @event.listens_for(explained.engine, "connect")
    def _explain(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        for sql in (
            "LOAD 'auto_explain'",
            "SET auto_explain.log_min_duration = 0",
            "SET auto_explain.log_nested_statements = on",
            "SET auto_explain.log_level = 'notice'",
        ):
            dbapi_conn.execute(sql)
        dbapi_conn.commit()
        dbapi_conn.add_notice_handler(lambda d: plans.append(d.message_primary or ""))

    try:
        press(explained)
    finally:
        explained.dispose()
    return plans


def test_call_next_reads_the_waiting_queue_by_its_own_indexes_on_stale_statistics(pg_hall):
    """Migration 0022: the statistics were taken when nobody waited (at night; ANALYZE runs
    after a thousand changed rows), then the morning's queue came. Every statement of "call
    next" that looks for waiting tickets still goes through the waiting queue's partial indexes,
    the class probes once per service of the window, never through the by-state index (which
    then read the whole queue, four times a call) or the whole table, and the claim reads its
    class in calling order instead of sorting the window's part of the queue."""
    with pg_hall.engine.begin() as conn:
        conn.execute(text("ALTER TABLE tickets SET (autovacuum_enabled = false)"))
        sid = conn.execute(text("SELECT id FROM services WHERE code = 'newborn'")).scalar()
        history = (
            "INSERT INTO tickets (id, service_id, issued_service_id, day, seq, number,"
            " is_priority, state, issued_at, arrival_at, completed_at, recall_count)"
            " SELECT gen_random_uuid(), :sid, :sid, current_date - 1 - i / 500, i % 500 + 1,"
            " 'H' || i, false, :state, now() - interval '1 day', now() - interval '1 day',"
            " now() - interval '1 day', 0 FROM generate_series(1, :n) i"
        )
        conn.execute(text(history), {"sid": sid, "state": "completed", "n": 20000})
    with pg_hall.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE tickets"))  # nobody waits
    for i in range(300):
        queue.issue_ticket(pg_hall, "newborn", "elderly" if i % 5 == 0 else None)

    plans = _plans_of(pg_hall, lambda db: queue.call_next(db, 1))
    assert any("queue_call_next" in p for p in plans)  # the function ran, explained
    waiting = [p for p in plans if "q.state = 'waiting'" in p.split("Query Text:", 1)[-1][:400]]
    assert len(waiting) >= 4, plans  # transferred, priority, appointment, walk-in, the claim
    for plan in waiting:
        assert "ix_tickets_state_window" not in plan, plan
        assert "Seq Scan on tickets" not in plan, plan
        if "LATERAL" in plan:  # a class probe: one index probe per service, nothing hashed
            assert "Hash" not in plan and "Materialize" not in plan, plan
            assert "_order" not in plan, plan  # not a walk of a class in calling order
    claims = [p for p in waiting if "SET state = 'called'" in p]
    assert claims, plans
    for plan in claims:  # the class in calling order: the first that fits, no sort
        assert "_order on tickets" in plan and "Sort" not in plan, plan

    # Waiting tickets asked for with other states (call by number, rollover, clearing the
    # queue): each state through its index, not the whole table.
    from sqlalchemy import select

    from desk_app.domain.tickets import TicketState as S
    from desk_app.store.models import Ticket

    for states in ([S.WAITING, S.HELD], [S.WAITING, S.CALLED, S.HELD]):
        query = select(Ticket.id).where(Ticket.number == "A001", queue_engine.in_states(states))
        sql = str(query.compile(pg_hall.engine, compile_kwargs={"literal_binds": True}))
        with pg_hall.engine.connect() as conn:
            plan = "\n".join(r[0] for r in conn.execute(text(f"EXPLAIN {sql}")))
        assert "Seq Scan" not in plan and "ix_tickets_waiting" in plan, plan
