"""A press on PostgreSQL goes, on the connection kept for it, as a statement prepared once with
its values apart (``store/pipeline.prepared_statement``), elsewhere as one simple query with its
values written in as literals (``simple_query``), never through psycopg's cursor: the values
must come back exactly as sent, whatever they hold, a value of another type still goes through
psycopg, and a prepared statement the server no longer takes is prepared again."""

from __future__ import annotations

from datetime import UTC, date, datetime

import psycopg
import pytest
from sqlalchemy.exc import DBAPIError

from desk_app.store import Database
from desk_app.store.pipeline import (
    autocommit_statement,
    one_statement,
    prepared_statement,
    simple_query,
)

pytestmark = pytest.mark.pg

VALUES = (
    "O'Brien \\ 张三 %s $$ \"; DROP TABLE tickets; --",
    -7,
    2**40,
    False,
    True,
    datetime(2026, 12, 6, 8, 1, 2, 345678),
    date(2026, 12, 6),
    None,
)
SQL = "SELECT %s::text, %s::int, %s::bigint, %s::boolean, %s::boolean, %s::timestamp, %s::date, %s::int"


@pytest.fixture
def no_cursor(monkeypatch):  # type: ignore[no-untyped-def]
    """psycopg's cursor path made to fail: what passes did not take it."""

    def refused(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("sent through psycopg's cursor")

    monkeypatch.setattr(psycopg.Connection, "execute", refused)
    monkeypatch.setattr(psycopg.ClientCursor, "execute", refused)


def test_every_value_comes_back_as_it_was_sent_without_a_cursor(pg_url, no_cursor):
    db = Database(pg_url)
    try:
        assert db.one_statement(SQL, VALUES) == VALUES
        assert db.one_statement("SELECT 7 %% %s::int", (3,)) == (1,)  # a percent sign
        assert db.one_statement("SELECT '%%s', %s::text", ("x",)) == ("%s", "x")  # not a mark
        assert db.one_statement("SELECT 1 WHERE %s", (False,)) is None  # no row
        assert db.one_statement("SELECT 1-%s", (-7,)) == (8,)  # not "1--7", a comment
    finally:
        db.dispose()


def test_text_is_quoted_in_the_connections_own_encoding(pg_url):
    db = Database(pg_url)
    raw = psycopg.connect(pg_url.replace("+psycopg", ""), autocommit=True)
    try:
        raw.execute("SET client_encoding TO 'GBK'")
        assert raw.info.encoding == "gbk"
        row = autocommit_statement(
            raw, db.engine.dialect, "SELECT %s::text, length(%s::text)", ("张三", "张三"),
            gone=lambda exc: None,
        )  # fmt: skip
        assert row == ("张三", 2)
        row = prepared_statement(
            raw, db.engine.dialect, "SELECT %s::text, length(%s::text)", ("张三", "张三"),
            prepared={}, gone=lambda exc: None,
        )  # fmt: skip
        assert row == ("张三", 2)
    finally:
        raw.close()
        db.dispose()


def test_a_value_of_another_type_goes_through_psycopg(pg_url):
    db = Database(pg_url)
    aware = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
    try:
        with db.engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert simple_query(raw, "SELECT %s", (1.5,)) is None
            assert simple_query(raw, "SELECT %s", (aware,)) is None
            assert simple_query(raw, "SELECT %s", (1,)) == b"SELECT 1"
        assert db.one_statement("SELECT %s::float8", (1.5,)) == (1.5,)
        (back,) = db.one_statement("SELECT %s::timestamptz", (aware,)) or (None,)
        assert back == aware
    finally:
        db.dispose()


def test_only_positional_placeholders_are_written(pg_url):
    db = Database(pg_url)
    try:
        with db.engine.connect() as conn:
            raw = conn.connection.driver_connection
            with pytest.raises(ValueError, match="placeholders"):
                simple_query(raw, "SELECT %(a)s", (1,))
            with pytest.raises(ValueError, match="placeholders"):
                simple_query(raw, "SELECT 1 % 2", ())
    finally:
        db.dispose()


PREPARED = "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'desk%%'"


def test_the_kept_connection_prepares_each_statement_once(pg_url, no_cursor):
    db = Database(pg_url)
    try:
        for n in range(3):
            assert db.one_statement(SQL, VALUES) == VALUES
            assert db.one_statement("SELECT %s::int + 1", (n,)) == (n + 1,)
        assert db.one_statement(PREPARED, ()) == (3,)  # the two above and this one
    finally:
        db.dispose()


def test_a_statement_whose_answer_changed_shape_is_prepared_again(pg_url):
    """A function replaced under a running program (another row type): the press that meets it
    fails, the statements are dropped, and the next press prepares them again."""
    db = Database(pg_url)
    make = "CREATE FUNCTION f(p int) RETURNS TABLE ({}) AS $$ SELECT {} $$ LANGUAGE sql"
    try:
        with db.engine.begin() as conn:
            conn.exec_driver_sql(make.format("a int", "p"))
        assert db.one_statement("SELECT * FROM f(%s::int)", (1,)) == (1,)
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP FUNCTION f(int)")
            conn.exec_driver_sql(make.format("a int, b text", "p, 'x'"))
        with pytest.raises(DBAPIError, match="result type"):
            db.one_statement("SELECT * FROM f(%s::int)", (2,))
        assert db.one_statement("SELECT * FROM f(%s::int)", (3,)) == (3, "x")
        assert db.one_statement(PREPARED, ()) == (2,)
    finally:
        db.dispose()


def test_a_text_with_a_nul_is_refused_not_cut_short(pg_url):
    """libpq ends a text value (and a quoted literal) at a NUL: such a value goes to psycopg,
    which refuses it, on the kept connection and on a pooled one alike."""
    db = Database(pg_url)
    try:
        with pytest.raises(DBAPIError, match="NUL"):
            db.one_statement("SELECT %s::text", ("a\x00b",))
        with db.engine.connect() as conn, pytest.raises(DBAPIError, match="NUL"):
            one_statement(conn, "SELECT %s::text", ("a\x00b",))
        assert db.one_statement("SELECT %s::text", ("ab",)) == ("ab",)
    finally:
        db.dispose()


def test_a_connection_that_already_has_the_statement_prepared_uses_it(pg_url):
    """The kept connection given back to the pool and taken again by a new keeper: its
    statements are still on the server under the same names."""
    db = Database(pg_url)
    raw = psycopg.connect(pg_url.replace("+psycopg", ""), autocommit=True)
    try:
        for keeper in ({}, {}):  # two keepers of the same connection, each starting empty
            row = prepared_statement(
                raw, db.engine.dialect, "SELECT %s::int * 2", (21,),
                prepared=keeper, gone=lambda exc: None,
            )  # fmt: skip
            assert row == (42,)
        assert raw.execute(PREPARED).fetchone() == (1,)
    finally:
        raw.close()
        db.dispose()
