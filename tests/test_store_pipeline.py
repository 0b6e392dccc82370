"""Reads sent together (store/pipeline.py): the same rows as one statement at a time, the
transaction and its row locks taken, and a driver error raised as SQLAlchemy's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, literal_column, select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from desk_app.services.queue import operations as queue
from desk_app.store import Database
from desk_app.store.models import Ticket, Window
from desk_app.store.pipeline import first_rows

T, W = Ticket.__table__, Window.__table__
NUMBER = select(W).where(W.c.number == bindparam("number"))
BY_SERVICE = (
    select(T)
    .where(T.c.is_priority == bindparam("yes", False), T.c.state == literal_column("'waiting'"))
    .order_by(T.c.arrival_at, T.c.seq)
)
MISSING = select(T).where(T.c.number == bindparam("n"))


def test_rows_as_one_statement_at_a_time_gives_them(db, small_hall):
    first = queue.issue_ticket(db, "newborn")
    queue.issue_ticket(db, "retirement")
    queries = [(NUMBER, {"number": 2}), (BY_SERVICE, {}), (MISSING, {"n": "Z999"})]
    with db.begin_core() as conn:
        together = first_rows(conn, queries)
    with db.engine.connect() as conn:
        apart = [conn.execute(stmt, params).first() for stmt, params in queries]
    assert together[2] is None and apart[2] is None
    assert tuple(together[0]) == tuple(apart[0])
    assert tuple(together[1]) == tuple(apart[1])
    ticket = together[1]
    assert str(ticket.id) == first.id and ticket.number == first.number
    assert ticket.arrival_at.tzinfo is UTC  # converted by the column's type, as SQLAlchemy does
    assert ticket.arrival_at <= datetime.now(UTC)


def test_the_transaction_and_its_locks_begin_with_the_reads(db, small_hall):
    if not db.is_postgres:
        pytest.skip("PostgreSQL's pipeline and row locks; SQLite runs the reads in turn")
    locked = NUMBER.with_for_update()
    other = Database(db.url)
    with db.begin_core() as conn:
        raw = conn.connection.driver_connection
        assert raw.info.transaction_status == 0  # idle: the driver has sent nothing yet
        (row,) = first_rows(conn, [(locked, {"number": 1})])
        assert row.number == 1
        assert raw.info.transaction_status == 2  # in a transaction, opened by the pipeline
        with other.engine.connect() as c2, pytest.raises(OperationalError, match="lock"):
            c2.execute(text("SELECT id FROM windows WHERE number = 1 FOR UPDATE NOWAIT"))
    with other.engine.connect() as c2:  # committed: the lock is gone
        assert c2.execute(text("SELECT number FROM windows WHERE number = 1 FOR UPDATE NOWAIT"))
    other.dispose()


def test_a_failing_statement_raises_sqlalchemys_error_and_rolls_back(db, small_hall):
    broken = select(T.c.id).where(T.c.seq == bindparam("n")).where(text("no_such_column = 1"))
    with pytest.raises(DBAPIError), db.begin_core() as conn:
        first_rows(conn, [(NUMBER, {"number": 1}), (broken, {"n": 1})])
    with db.begin_core() as conn:  # the connection is usable again
        assert first_rows(conn, [(NUMBER, {"number": 1})])[0].number == 1


@pytest.mark.pg
def test_a_list_parameter_is_refused(pg_url):
    db = Database(pg_url)
    listed = select(T.c.id).where(T.c.service_id.in_(bindparam("ids", expanding=True)))
    with pytest.raises(ValueError, match="list"), db.begin_core() as conn:
        first_rows(conn, [(listed, {"ids": [1]})])
    db.dispose()


def test_binary_rows_are_the_rows_of_the_statement(db, small_hall):
    # The statistics' read of stored histograms: bytes, a list parameter, dates and times.
    from desk_app.store.pipeline import binary_rows
    from desk_app.store.stats_models import StatsRollup as R

    blob = bytes(range(256)) * 40  # every byte value, past the size PostgreSQL compresses
    with db.begin() as s:
        s.add_all(
            [R(level="d", day=datetime(2026, 12, d).date(), dim="all", key="", arrivals=d,
               wait_hist=blob[d:], service_hist=None) for d in (1, 2, 3)]
        )  # fmt: skip
    first = queue.issue_ticket(db, "newborn")
    rollup = select(R.day, R.dim, R.arrivals, R.wait_hist, R.service_hist).where(
        R.day.in_([datetime(2026, 12, d).date() for d in (1, 3)])
    )
    tickets = select(T.c.id, T.c.number, T.c.arrival_at).where(T.c.number.in_([first.number]))
    with db.read() as s:
        for stmt in (rollup, tickets):
            got = binary_rows(s.connection(), stmt)
            assert sorted(got) == sorted(tuple(r) for r in s.execute(stmt))
        got = sorted(binary_rows(s.connection(), rollup))
    assert [(r[2], r[3], r[4]) for r in got] == [(1, blob[1:], None), (3, blob[3:], None)]
    assert isinstance(got[0][3], bytes)
    with db.read() as s:
        (ticket,) = binary_rows(s.connection(), tickets)
    assert str(ticket[0]) == first.id and ticket[2].tzinfo is UTC  # the column's type applied
    broken = select(T.c.id).where(text("no_such_column = 1"))
    with pytest.raises(DBAPIError), db.read() as s:
        binary_rows(s.connection(), broken)


def test_driver_rows_give_the_drivers_values_and_epoch_us_the_exact_microseconds(db, small_hall):
    # The statistics' count of today's tickets: no column type applied, instants as numbers.
    from datetime import timedelta

    from sqlalchemy import update

    from desk_app.store.pipeline import driver_rows
    from desk_app.store.types import epoch_us

    made = [queue.issue_ticket(db, "newborn") for _ in range(3)]
    instants = [
        datetime(2026, 12, 1, 1, 2, 3, 999_999, tzinfo=UTC),
        datetime(2026, 12, 1, 1, 2, 4, tzinfo=UTC),  # no fraction
        datetime(1999, 12, 31, 23, 59, 59, 1, tzinfo=UTC),
    ]
    with db.begin() as s:
        for ticket, at in zip(made, instants, strict=True):
            s.execute(update(Ticket).where(Ticket.number == ticket.number).values(issued_at=at))
    numbers = [t.number for t in made]
    with db.read() as s:
        day = s.scalar(select(T.c.day).where(T.c.number == numbers[0]))
    stmt = (
        select(T.c.number, epoch_us(T.c.issued_at), epoch_us(T.c.completed_at), T.c.issued_at)
        .where(T.c.number.in_(numbers), T.c.day.between(day, day))
        .order_by(T.c.number)
    )
    with db.read() as s:
        got = [tuple(r) for r in driver_rows(s.connection(), stmt)]
        typed = [tuple(r) for r in s.execute(stmt)]
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    want = [(at - epoch) // timedelta(microseconds=1) for at in instants]
    assert [r[0] for r in got] == numbers
    assert [r[1] for r in got] == want == [r[1] for r in typed]
    assert [r[2] for r in got] == [None] * 3
    for (_n, _us, _none, raw), at in zip(got, instants, strict=True):
        if db.engine.dialect.name == "sqlite":
            assert isinstance(raw, str) and datetime.fromisoformat(raw) == at.replace(tzinfo=None)
        else:
            assert raw == at.replace(tzinfo=None) and raw.tzinfo is None  # the driver's own
    assert [r[3] for r in typed] == instants  # the column's type applies only through execute
    # Parameters are converted by their types: an aware time compared as the naive UTC stored,
    # whatever the PostgreSQL session's time zone.
    since = select(T.c.number).where(T.c.number.in_(numbers), T.c.issued_at >= instants[1])
    with db.read() as s:
        if db.engine.dialect.name == "postgresql":
            s.connection().exec_driver_sql("SET LOCAL TIME ZONE 'Asia/Shanghai'")
        assert sorted(r[0] for r in driver_rows(s.connection(), since)) == [numbers[1]]
        assert sorted(r[0] for r in s.execute(since)) == [numbers[1]]
        assert [r[1] for r in driver_rows(s.connection(), stmt)] == want  # zone-independent
    broken = select(T.c.id).where(text("no_such_column = 1"))
    with pytest.raises(DBAPIError), db.read() as s:
        driver_rows(s.connection(), broken)
