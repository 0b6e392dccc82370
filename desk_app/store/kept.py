"""The queue's hot path on PostgreSQL on a connection of its own: one connection of the pool,
kept checked out and in autocommit for as long as the program runs.

Each press is one statement in autocommit, prepared on this connection the first time it is
sent (``store/pipeline.prepared_statement``: the server parses and plans it once, not at every
press). Taken from the pool every time, a press also paid for the checkout and the return,
SQLAlchemy's connection object and switching autocommit on and off: 0.44-0.46 ms of the
client's CPU per call next + no-show against 0.30-0.32 ms on a kept connection (200,000
tickets of history, one window), and at 32 windows on two cores the clients' CPU is part of
what the server has to share.

- One press at a time uses it; a press on another thread while it is in use takes a pooled
  connection as before (the screens run their work on worker threads), and goes there as a
  simple query (``store/pipeline.one_statement``).
- Idle longer than the pool's ``PING_AFTER_IDLE_S`` (``store/database.py``: the server may
  have restarted, a switch dropped it overnight), it is checked before the press, and replaced
  if it is gone: nothing was sent yet.
- An error that says the connection is lost drops it (the next press takes a new one); the
  press itself is not sent again, since it may have committed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine

from desk_app.store.pipeline import one_statement, prepared_statement


class KeptConnection:
    """``one_statement`` on one kept connection of ``engine``'s pool (PostgreSQL)."""

    def __init__(self, engine: Engine, ping_after_s: Callable[[], float]) -> None:
        self._engine = engine
        self._ping_after_s = ping_after_s  # idle this long, it is checked before a press
        self._lock = threading.Lock()
        self._fairy: Any = None  # the pool's proxy of the kept connection, checked out
        self._prepared: dict[bytes, Any] = {}  # the statements prepared on it
        self._used = 0.0

    def one_statement(self, sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
        """As ``store.pipeline.one_statement``."""
        with self._use() as raw:
            if raw is None:  # another thread's press is on it: a pooled connection
                with self._engine.connect() as conn:
                    return one_statement(conn, sql, params)
            dialect = self._engine.dialect
            return prepared_statement(
                raw, dialect, sql, params, prepared=self._prepared, gone=self._lost
            )

    @contextmanager
    def _use(self) -> Iterator[Any]:
        if not self._lock.acquire(blocking=False):
            yield None
            return
        try:
            yield self._connection()
        finally:
            self._used = time.monotonic()
            self._lock.release()

    def _connection(self) -> Any:
        """The kept driver connection, in autocommit: taken from the pool the first time, after
        it was lost, or when a check after a long idle finds it gone."""
        idle = time.monotonic() - self._used
        if self._fairy is not None and idle >= self._ping_after_s():
            try:
                self._engine.dialect.do_ping(self._fairy.driver_connection)
            except Exception as exc:  # gone while idle: a new one, nothing was sent
                self._lost(exc)
        if self._fairy is None:
            fairy = self._engine.raw_connection()
            try:
                raw = fairy.driver_connection
                assert raw is not None  # checked out: it has its driver connection
                raw.autocommit = True
            except BaseException:
                fairy.invalidate()
                raise
            self._fairy = fairy
            self._prepared = {}
        return self._fairy.driver_connection

    def _lost(self, exc: BaseException | None = None) -> None:
        fairy, self._fairy = self._fairy, None
        if fairy is not None:
            fairy.invalidate(exc)  # closed, not handed back to the pool

    def close(self) -> None:
        """Give the connection back (the program is ending or disposing of its engine)."""
        with self._lock:
            fairy, self._fairy = self._fairy, None
            if fairy is None:
                return
            try:
                raw = fairy.driver_connection
                if raw is not None and not raw.closed:
                    raw.autocommit = False
                fairy.close()
            except Exception as exc:  # a connection that can't be reset is not reused
                fairy.invalidate(exc)


class KeptDriver:
    """One pooled connection of a SQLite file's engine kept checked out, for the queue's hot
    path (``services/queue/quick.py``, which runs its own transactions on the driver's sqlite3
    connection). Taken from the pool at every press, a call next + no-show also paid for two
    checkouts and returns, SQLAlchemy's connection objects and the return's reset: 0.62 ms of
    CPU per loop against 0.49-0.53 ms on a kept connection (one window,
    ``bench/queue_bench.py``'s hall).

    As ``KeptConnection``: one press at a time uses it, and a press on another thread while it
    is in use takes a pooled connection. A use that leaves a transaction open is rolled back
    (as the pool resets a returned connection: an open write transaction would hold off every
    window); one that ends in an error the hot path did not handle drops the connection."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._fairy: Any = None

    @contextmanager
    def use(self) -> Iterator[Any]:
        """The kept sqlite3 connection (or a pooled one while another thread has it)."""
        if not self._lock.acquire(blocking=False):
            with self._engine.connect() as conn:
                yield conn.connection.driver_connection
            return
        try:
            if self._fairy is None:
                self._fairy = self._engine.raw_connection()
            raw = self._fairy.driver_connection
            try:
                yield raw
            except BaseException as exc:
                self._drop(exc)
                raise
            if raw.in_transaction:
                try:
                    raw.rollback()
                except BaseException as exc:  # a connection that can't be reset is not kept
                    self._drop(exc)
                    raise
        finally:
            self._lock.release()

    def _drop(self, exc: BaseException | None = None) -> None:
        fairy, self._fairy = self._fairy, None
        if fairy is not None:
            fairy.invalidate(exc)  # closed (its transaction with it), not handed back

    def close(self) -> None:
        """Give the connection back to the pool (the program is ending, disposing of its
        engine, or its connections are to reopen with other settings)."""
        with self._lock:
            fairy, self._fairy = self._fairy, None
            if fairy is not None:
                fairy.close()  # the pool's reset rolls back anything open
