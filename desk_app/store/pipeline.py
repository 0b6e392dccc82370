"""Several reads in one network round trip on PostgreSQL (psycopg's pipeline mode), and a
statement that is a transaction of its own in one round trip (``one_statement``).

psycopg opens a transaction with a ``BEGIN`` that is a round trip of its own, before the first
statement. In pipeline mode the ``BEGIN`` and the statements go out together and their answers
come back together. The queue's hot path opens every action with two locked reads (the window's
desk row and its current ticket), so ``BEGIN`` and both reads cost one round trip instead of
three (``bench/queue_bench.py``). On SQLite, in the process, the statements simply run in turn.

Only self-contained ``SELECT`` statements without list parameters go through here: each is
compiled once per dialect, its parameters and rows are converted by their types as SQLAlchemy
would, and a driver error is raised as SQLAlchemy's, so callers (and
``Database``'s "unavailable" translation) see the same exceptions either way.
"""

from __future__ import annotations

import contextlib
import re
from collections import namedtuple
from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError

Query = tuple[Any, dict[str, Any]]  # (a Core select, its parameters)


class _Plan:
    """One statement compiled for a dialect, with what turns its driver rows into rows."""

    def __init__(self, stmt: Any, dialect: Dialect) -> None:
        compiled = stmt.compile(dialect=dialect)
        self.bind_processors: dict[str, Callable[[Any], Any]] = {}
        for name, bind in compiled.binds.items():
            if bind.expanding:  # rendered only at execution: not for a pipeline
                raise ValueError(f"parameter {name!r} is a list: not for a pipeline")
            processor = bind.type.bind_processor(dialect)
            if processor is not None:
                self.bind_processors[name] = processor
        self.sql: str = compiled.string
        self.defaults: dict[str, Any] = dict(compiled.params)
        columns = list(stmt.selected_columns)
        self.row_type = namedtuple("PipelinedRow", [c.key for c in columns])  # type: ignore[misc]
        self.processors: list[Callable[[Any], Any] | None] = [
            c.type.result_processor(dialect, None) for c in columns
        ]

    def params(self, given: dict[str, Any]) -> dict[str, Any]:
        params = {**self.defaults, **given}
        for name, processor in self.bind_processors.items():
            params[name] = processor(params[name])
        return params

    def row(self, values: Sequence[Any] | None) -> Any:
        if values is None:
            return None
        return self.row_type(
            *(v if p is None else p(v) for p, v in zip(self.processors, values, strict=True))
        )


_plans: dict[tuple[int, str], _Plan] = {}


def _plan(stmt: Any, dialect: Dialect) -> _Plan:
    # Keyed by the statement object: the callers build theirs once (lru_cache) and keep them.
    key = (id(stmt), dialect.name)
    plan = _plans.get(key)
    if plan is None:
        plan = _plans[key] = _Plan(stmt, dialect)
        plan.stmt = stmt  # type: ignore[attr-defined]  # keeps id(stmt) from being reused
    return plan


def first_rows(conn: Connection, queries: Sequence[Query]) -> list[Any]:
    """The first row (or None) of each query, in one round trip on PostgreSQL with psycopg;
    in turn elsewhere. A transaction not yet begun on the driver begins in the same trip."""
    dialect = conn.dialect
    if dialect.name != "postgresql" or dialect.driver != "psycopg":
        return [conn.execute(stmt, params).first() for stmt, params in queries]
    plans = [_plan(stmt, dialect) for stmt, _ in queries]
    raw = conn.connection.driver_connection
    assert raw is not None  # a pooled connection that is checked out has its driver connection
    statement, params = "", {}
    try:
        cursors = []
        with raw.pipeline():
            for plan, (_stmt, given) in zip(plans, queries, strict=True):
                statement, params = plan.sql, plan.params(given)
                cursor = raw.cursor()
                cursor.execute(statement, params)
                cursors.append(cursor)
        return [plan.row(c.fetchone()) for plan, c in zip(plans, cursors, strict=True)]
    except dialect.loaded_dbapi.Error as exc:
        raise _conn_error(conn, exc, statement, params) from exc


def one_statement(conn: Connection, sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
    """The first row of ``sql`` (driver SQL, ``%s`` parameters) run as a transaction of its own:
    on psycopg in autocommit, so the statement and its commit are one round trip, not the three
    of BEGIN, the statement and COMMIT. ``conn`` is a connection with no transaction begun
    (``engine.connect()``); it is left as it was. The row as the driver gives it."""
    raw = conn.connection.driver_connection
    assert raw is not None  # a pooled connection that is checked out has its driver connection
    raw.autocommit = True
    try:
        return autocommit_statement(raw, conn.dialect, sql, params, gone=conn.invalidate)
    finally:
        if not raw.closed:
            raw.autocommit = False


def autocommit_statement(
    raw: Any,
    dialect: Dialect,
    sql: str,
    params: Sequence[Any],
    *,
    gone: Callable[[BaseException], None],
) -> tuple[Any, ...] | None:
    """``one_statement`` on a psycopg connection already in autocommit (``store/kept.py``
    keeps one so), left in autocommit and idle; ``gone(error)`` is called when the error says
    the connection is lost. It goes as one simple query with its values written in
    (``simple_query``), or through psycopg's cursor when a value is of another type."""
    try:
        query = simple_query(raw, sql, params)
        if query is not None:
            return _first_row(raw, query)
        return raw.execute(sql, params).fetchone()  # type: ignore[no-any-return]
    except dialect.loaded_dbapi.Error as exc:
        raise _driver_error(dialect, raw, gone, exc, sql, params) from exc
    finally:
        if not raw.closed and raw.info.transaction_status != 0:
            raw.rollback()  # a statement that opened a transaction of its own is not kept open


def simple_query(raw: Any, sql: str, params: Sequence[Any]) -> bytes | None:
    """``sql`` with its parameters written into it as literals, as the bytes of one simple
    query; None when a parameter is of a type not written here (``autocommit_statement`` then
    lets psycopg quote it). The press's values are numbers, flags, times and short codes:
    written directly they cost a few microseconds, where psycopg's cursor, its query parser and
    its dumpers cost a tenth of a millisecond of the client's CPU per press
    (``bench/queue_cpu_bench.py``). Text goes through libpq's own quoting (``PQescapeLiteral``)
    in the connection's encoding."""
    from psycopg import pq

    encoding = raw.info.encoding
    escaping = pq.Escaping(raw.pgconn)
    literals = []
    for value in params:
        literal = _literal(value, escaping, encoding)
        if literal is None:
            return None
        literals.append(literal)
    return _template(sql, encoding) % tuple(literals)


def _literal(value: Any, escaping: Any, encoding: str) -> bytes | None:
    if value is None:
        return b"NULL"
    kind = type(value)
    if kind is bool:
        return b"true" if value else b"false"
    if kind is int:  # a negative one in brackets: after a minus sign "--" would be a comment
        return str(value).encode() if value >= 0 else b"(" + str(value).encode() + b")"
    if kind is str and "\x00" not in value:  # libpq's quoting ends a text at a NUL
        return escaping.escape_literal(value.encode(encoding))  # type: ignore[no-any-return]
    if kind is datetime and value.tzinfo is None:  # ISO, read alike whatever the DateStyle
        return b"'" + value.isoformat(" ").encode() + b"'"
    if kind is date:
        return b"'" + value.isoformat().encode() + b"'"
    return None


_PLACEHOLDERS = re.compile(r"(?:[^%]|%s|%%)*", re.DOTALL)


@lru_cache(maxsize=128)
def _template(sql: str, encoding: str) -> bytes:
    """``sql`` (psycopg's ``%s`` placeholders, ``%%`` for a percent sign) as a bytes template
    for ``%`` with bytes values."""
    if not _PLACEHOLDERS.fullmatch(sql):
        raise ValueError("only %s placeholders here")
    return re.sub(
        rb"%%|%s",
        lambda m: m.group() if m.group() == b"%%" else b"%b",
        sql.encode(encoding),
    )


def _first_row(raw: Any, text: bytes) -> tuple[Any, ...] | None:
    """The first row of the simple query ``text`` (one statement), sent on psycopg's connection
    ``raw`` without a cursor: its answers as libpq parses them, the row converted by psycopg's
    own loaders; an error raised as psycopg raises it."""
    from psycopg import generators

    with raw.lock:
        raw.pgconn.send_query(text)
        return _row(raw, raw.wait(generators.execute(raw.pgconn)))


def _row(
    raw: Any, results: Sequence[Any], loaders: dict[bytes, Any] | None = None, name: bytes = b""
) -> tuple[Any, ...] | None:
    """The first row of the first answer, converted by psycopg's loaders; with ``loaders``
    those of a prepared statement's answer are kept under its ``name`` (its columns do not
    change: looking them up again was a tenth of the client's CPU per press)."""
    from psycopg import errors, pq
    from psycopg.adapt import Transformer

    _check(raw, results)
    if not results:
        raise errors.ProgrammingError("the statement gave no answer")
    result = results[0]
    if result.status != pq.ExecStatus.TUPLES_OK or result.ntuples == 0:
        return None
    loader = None if loaders is None else loaders.get(name)
    if loader is None:
        loader = Transformer(raw)
        loader.set_pgresult(result)
        if loaders is not None:
            loaders[name] = loader
    else:
        loader.set_pgresult(result, set_loaders=False)
    return loader.load_row(0, tuple)  # type: ignore[no-any-return]


def _check(raw: Any, results: Sequence[Any]) -> None:
    from psycopg import errors, pq

    for result in results:
        if result.status == pq.ExecStatus.FATAL_ERROR:
            raise errors.error_from_result(result, encoding=raw.info.encoding)


def prepared_statement(
    raw: Any,
    dialect: Dialect,
    sql: str,
    params: Sequence[Any],
    *,
    prepared: dict[bytes, Any],
    gone: Callable[[BaseException], None],
) -> tuple[Any, ...] | None:
    """``autocommit_statement`` as a statement prepared on ``raw``: the server parses, checks
    and plans it once per connection instead of at every press, and the values travel apart
    from the text, as text, with nothing to quote. For the connection the program keeps for
    the queue's hot path (``store/kept.py``), which keeps in ``prepared`` the statements
    prepared on it (their names, and the loaders of their answers) and forgets them with the
    connection. A call next + no-show took 1.8 ms so against 2.3 ms as simple queries with the
    values written in (one window, one connection, interleaved loops; the server's parse and
    plan and the client's building of the text). A value of another type:
    ``autocommit_statement``."""
    from psycopg import errors, generators

    encoding = raw.info.encoding
    values = _values(params, encoding)
    if values is None:
        return autocommit_statement(raw, dialect, sql, params, gone=gone)
    name = _name(sql)
    try:
        with raw.lock:
            if name not in prepared:
                raw.pgconn.send_prepare(name, _numbered(sql, encoding))
                # Already there (a connection kept before, given back to the pool and taken
                # again): the name is the text's digest, so it is this statement.
                with contextlib.suppress(errors.DuplicatePreparedStatement):
                    _check(raw, raw.wait(generators.execute(raw.pgconn)))
                prepared[name] = None
            raw.pgconn.send_query_prepared(name, values)
            return _row(raw, raw.wait(generators.execute(raw.pgconn)), prepared, name)
    except dialect.loaded_dbapi.Error as exc:
        error = _driver_error(dialect, raw, gone, exc, sql, params)
        if not raw.closed:  # e.g. a function replaced with another row type: prepared again
            prepared.clear()
            with contextlib.suppress(dialect.loaded_dbapi.Error):
                raw.execute("DEALLOCATE ALL")
        raise error from exc
    finally:
        if not raw.closed and raw.info.transaction_status != 0:
            raw.rollback()  # a statement that opened a transaction of its own is not kept open


def _values(params: Sequence[Any], encoding: str) -> list[bytes | None] | None:
    """The parameters in PostgreSQL's text form; None when one is of a type not written here."""
    values: list[bytes | None] = []
    for value in params:
        kind = type(value)
        if value is None:
            values.append(None)
        elif kind is bool:
            values.append(b"t" if value else b"f")
        elif kind is int:
            values.append(str(value).encode())
        elif kind is str and "\x00" not in value:  # libpq ends a text value at a NUL
            values.append(value.encode(encoding))
        elif kind is datetime and value.tzinfo is None:  # ISO: read alike whatever the DateStyle
            values.append(value.isoformat(" ").encode())
        elif kind is date:
            values.append(value.isoformat().encode())
        else:
            return None
    return values


@lru_cache(maxsize=128)
def _name(sql: str) -> bytes:
    import hashlib

    return b"desk_" + hashlib.sha1(sql.encode()).hexdigest()[:24].encode()


@lru_cache(maxsize=128)
def _numbered(sql: str, encoding: str) -> bytes:
    """``sql`` (``%s`` placeholders, ``%%`` for a percent sign) with PostgreSQL's ``$1``, ``$2``
    ... instead."""
    if not _PLACEHOLDERS.fullmatch(sql):
        raise ValueError("only %s placeholders here")
    numbers = iter(range(1, len(sql) + 1))
    return re.sub(
        r"%%|%s", lambda m: "%" if m.group() == "%%" else f"${next(numbers)}", sql
    ).encode(encoding)


def _driver_error(
    dialect: Dialect,
    raw: Any,
    gone: Callable[[BaseException], None],
    exc: Any,
    statement: str,
    params: Any,
) -> Exception:
    """A driver error as SQLAlchemy raises it, ``gone`` told when the connection is lost."""
    lost = dialect.is_disconnect(exc, raw, None)
    if lost:
        gone(exc)
    return DBAPIError.instance(
        statement,
        params,
        exc,
        dialect.loaded_dbapi.Error,
        connection_invalidated=lost,
        dialect=dialect,
    )


def _conn_error(conn: Connection, exc: Any, statement: str, params: Any) -> Exception:
    raw = conn.connection.driver_connection
    return _driver_error(conn.dialect, raw, conn.invalidate, exc, statement, params)


def binary_rows(conn: Connection, stmt: Any) -> list[tuple[Any, ...]]:
    """All rows of a Core select. With psycopg the rows come in PostgreSQL's binary format: a
    ``bytea`` arrives as its bytes, not as hexadecimal text twice its size that the driver then
    decodes (the statistics rollup reads megabytes of histograms: half the time). Elsewhere, as
    ``conn.execute``. The columns' result types convert the values as SQLAlchemy would."""
    dialect = conn.dialect
    if dialect.name != "postgresql" or dialect.driver != "psycopg":
        return [tuple(r) for r in conn.execute(stmt)]
    rows = _psycopg_binary(conn, stmt)
    processors = [c.type.result_processor(dialect, None) for c in stmt.selected_columns]
    if not any(processors):
        return rows
    return [
        tuple(v if p is None else p(v) for p, v in zip(processors, row, strict=True))
        for row in rows
    ]


def driver_rows(conn: Connection, stmt: Any) -> Sequence[Any]:
    """All rows of a Core select as the driver gives them, no column type applied: for a read
    of thousands of rows that would otherwise convert every value in Python (the statistics'
    count of today's tickets). psycopg's values are its own Python types (binary format: a
    timestamp is a naive ``datetime``, a date a ``date``); SQLite's are what it stores (text
    for both). The parameters are converted by their types as usual."""
    dialect = conn.dialect
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        return _psycopg_binary(conn, stmt)
    compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    params = _bound(compiled, dialect)
    if dialect.positional:
        assert compiled.positiontup is not None
        args: Any = tuple(params[n] for n in compiled.positiontup)
    else:
        args = params
    raw = conn.connection.driver_connection
    assert raw is not None  # a pooled connection that is checked out has its driver connection
    cursor = raw.cursor()
    try:
        cursor.execute(compiled.string, args)
        return cursor.fetchall()  # type: ignore[no-any-return]
    except dialect.loaded_dbapi.Error as exc:
        raise _conn_error(conn, exc, compiled.string, args) from exc
    finally:
        cursor.close()


def _psycopg_binary(conn: Connection, stmt: Any) -> list[tuple[Any, ...]]:
    """A Core select's rows from psycopg in binary format, as the driver decodes them."""
    dialect = conn.dialect
    compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    raw = conn.connection.driver_connection
    assert raw is not None  # a pooled connection that is checked out has its driver connection
    sql, params = compiled.string, _bound(compiled, dialect)
    try:
        with raw.cursor(binary=True) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()  # type: ignore[no-any-return]
    except dialect.loaded_dbapi.Error as exc:
        raise _conn_error(conn, exc, sql, params) from exc


def _bound(compiled: Any, dialect: Dialect) -> dict[str, Any]:
    """A compiled statement's parameters converted by their types as SQLAlchemy would (an
    aware time to the naive UTC the columns store: sent as it is, PostgreSQL would compare it
    in the session's time zone)."""
    params: dict[str, Any] = {}
    for name, value in compiled.params.items():
        # A list parameter is rendered as one per item, named after it: "n_1" as "n_1_1", ...
        bind = compiled.binds.get(name)
        if bind is None:
            bind = compiled.binds[name.rsplit("_", 1)[0]]
        convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
        params[name] = value if convert is None else convert(value)
    return params
