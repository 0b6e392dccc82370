"""The engine and units of work, for the embedded SQLite default and a hall's PostgreSQL."""

from __future__ import annotations

import copy
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from desk_app.store import lite

SQLITE_BUSY_TIMEOUT_MS = lite.SQLITE_BUSY_TIMEOUT_MS


class DatabaseUnavailable(Exception):
    """The database cannot be reached or opened; the message says what to check."""


def default_url() -> str:
    """``DESK_APP_DB``, else a SQLite file in the user's data directory."""
    return lite.database_url()


def _sqlite_setup(engine: Engine, options: dict[str, Any]) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take over transaction control from the sqlite3 module so BEGIN IMMEDIATE is ours.
        dbapi_conn.isolation_level = None
        lite.configure(dbapi_conn, checkpointer=bool(options.get("checkpointer")))

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the lock up front: two windows can't both read "A007 is next" and
        # then race to claim it. Read-only units of work use a deferred BEGIN.
        if conn.get_execution_options().get("read_only"):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


# A pooled PostgreSQL connection idle longer than this is checked before use (the server may
# have restarted, a switch dropped it overnight). SQLAlchemy's pool_pre_ping checks every time,
# a round trip as long as the whole "call next" claim; a connection used a moment ago is alive.
PING_AFTER_IDLE_S = 5.0


def _ping_when_idle(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_S:
            return  # new, or in use a moment ago
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:  # the pool drops it and checks out another (documented)
            raise DisconnectionError("pooled connection is gone") from exc


class Database:
    """One hall database. ``begin()`` is a write unit of work, ``read()`` a read-only one.

    A handle carries the acting person (``actor``, a desk_app.security.roles.Actor): every use
    case checks it before it reads or writes. ``Database(url)`` acts for nobody, which allows
    only the public operations; ``acting_as(actor)`` is a handle on the same engine for one
    person or device.
    """

    actor: Any = None

    @property
    def display_url(self) -> str:
        """The URL without its password, for screens, messages and logs."""
        return redact(self.url)

    def __init__(self, url: str | None = None, *, echo: bool = False) -> None:
        self.url = url or default_url()
        try:
            parsed = make_url(self.url)
        except ArgumentError as exc:
            raise ValueError(f"数据库地址无效 / invalid database URL: {self.url!r}") from exc
        self.dialect = parsed.get_backend_name()
        kwargs: dict[str, Any] = {"echo": echo}
        self._lock_path: str | None = None
        if self.dialect == "sqlite":
            db_path = parsed.database
            if db_path and db_path != ":memory:":
                self._lock_path = os.path.abspath(db_path) + ".writelock"
                folder = os.path.dirname(os.path.abspath(db_path))
                if not os.path.isdir(folder):
                    raise DatabaseUnavailable(
                        f"数据库文件夹不存在 / database folder does not exist: {folder}"
                    )
                from desk_app.store.filelock import create_owner_only

                try:  # owner-only from the start; SQLite gives -wal and -shm the same mode
                    create_owner_only(os.path.abspath(db_path))
                except OSError as exc:
                    raise DatabaseUnavailable(
                        f"无法创建数据库文件 / cannot create the database file {db_path}: "
                        f"{exc.strerror}"
                    ) from None
            # The UI runs units of work on a worker thread; sqlite3 is built thread-safe.
            kwargs["connect_args"] = {
                "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
                "check_same_thread": False,
            }
        elif self.dialect == "postgresql":
            kwargs["connect_args"] = {"connect_timeout": 5}
        try:
            self.engine = create_engine(parsed, **kwargs)
        except (NoSuchModuleError, ImportError) as exc:
            raise ValueError(
                f"不支持的数据库地址 / unsupported database URL {redact(self.url)}: "
                "use sqlite:///FILE or postgresql+psycopg://USER@HOST/DB"
            ) from exc
        self._sqlite_options: dict[str, Any] = {}
        self._checkpointer: Any = None
        if self.dialect == "sqlite":
            _sqlite_setup(self.engine, self._sqlite_options)
        elif self.dialect == "postgresql":
            _ping_when_idle(self.engine)
        self._write = sessionmaker(self.engine, expire_on_commit=False)
        self._read_core = self.engine.execution_options(read_only=True)
        self._read = sessionmaker(self._read_core, expire_on_commit=False)
        self._autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self._kept: Any = None
        self._kept_driver: Any = None
        if self._lock_path is not None:  # a SQLite file: its hot path's sqlite3 connection
            from desk_app.store.kept import KeptDriver

            self._kept_driver = KeptDriver(self.engine)
        if self.dialect == "postgresql":
            from desk_app.store.kept import KeptConnection

            # Shared by every acting_as() handle; checked after the pool's idle time.
            self._kept = KeptConnection(self.engine, lambda: PING_AFTER_IDLE_S)

    def acting_as(self, actor: Any) -> Database:
        """This database (same engine and pools) with ``actor`` as the acting person."""
        bound = copy.copy(self)
        bound.actor = actor
        return bound

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    def upsert(self, table: Any) -> Any:
        """The dialect's INSERT (with ``on_conflict_do_update``) for counter rows."""
        return dialect_insert(self.is_postgres, table)

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """A write unit of work: commits on success, rolls back on any exception."""
        if self._lock_path is None:
            with _translate_unavailable(self.url), self._write.begin() as session:
                yield session
            return
        from desk_app.store.filelock import exclusive

        with (
            exclusive(self._lock_path, SQLITE_BUSY_TIMEOUT_MS / 1000, DatabaseUnavailable),
            _translate_unavailable(self.url),
            self._write.begin() as session,
        ):
            yield session

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """The SQLite file's writer lock that ``begin()`` takes (nothing on PostgreSQL), for a
        hot path's own short write transaction: writers queue for it polling every millisecond
        at most, instead of in SQLite's busy handler, whose sleeps grow to 100 ms."""
        if self._lock_path is None:
            yield
            return
        from desk_app.store.filelock import exclusive

        with exclusive(self._lock_path, SQLITE_BUSY_TIMEOUT_MS / 1000, DatabaseUnavailable):
            yield

    @contextmanager
    def begin_core(self) -> Iterator[Connection]:
        """A short write unit of work on a bare connection (SQLAlchemy Core, no ORM session), for
        the queue's hot path: ``BEGIN IMMEDIATE`` on SQLite like ``begin()``, but without the
        writer file lock. That lock makes long ORM units queue in the kernel instead of in
        SQLite's sleeping busy handler; for units of a few hundred microseconds it costs more
        than it saves, since every release wakes all the waiting processes
        (``bench/queue_bench.py``: 32 windows, 251 calls/s with it, 386 without)."""
        with _translate_unavailable(self.url), self.engine.begin() as conn:
            yield conn

    def one_statement(self, sql: str, params: Any) -> tuple[Any, ...] | None:
        """``store/pipeline.one_statement`` on PostgreSQL, for the queue's hot path: on the
        connection the program keeps for it in autocommit (``store/kept.py``), or a pooled one
        while another thread's press is on that."""
        if self._kept is None:
            raise NotImplementedError("one_statement is PostgreSQL's (SQLite: quick.py)")
        with _translate_unavailable(self.url):
            return self._kept.one_statement(sql, params)  # type: ignore[no-any-return]

    @contextmanager
    def driver_connection(self) -> Iterator[Any]:
        """A driver connection (sqlite3 on SQLite) for the queue's hot path on SQLite
        (``services/queue/quick.py``), which runs its own transaction: on a SQLite file the
        one the program keeps for it (``store/kept.py``), else a pooled one."""
        if self._kept_driver is not None:
            with _translate_unavailable(self.url), self._kept_driver.use() as raw:
                yield raw
            return
        with _translate_unavailable(self.url), self.engine.connect() as conn:
            yield conn.connection.driver_connection

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (no write lock on SQLite)."""
        with _translate_unavailable(self.url), self._read.begin() as session:
            yield session

    @contextmanager
    def read_statement(self) -> Iterator[Connection]:
        """One read-only statement, for a screen's frequent look at a single query. On
        PostgreSQL it runs outside a transaction (autocommit: the statement is its own snapshot),
        one round trip to the server instead of three (BEGIN, the query, COMMIT); each is a
        wait for the server's process on a busy machine (``bench/wall_bench.py``). On SQLite
        it is a ``read()`` unit (a deferred BEGIN, no lock)."""
        if self.dialect == "postgresql":
            with _translate_unavailable(self.url), self._autocommit.connect() as conn:
                yield conn
            return
        with _translate_unavailable(self.url), self._read_core.begin() as conn:
            yield conn

    def change_watch(self) -> Any:
        """A cheap check whether another connection committed (``store/changes.py``): screens
        look often and query only when it says so."""
        from desk_app.store.changes import watch

        return watch(self.engine)

    def start_checkpointer(self) -> None:
        """For a long-running program on a SQLite file: checkpoint the write-ahead log on a
        thread of its own instead of inside this program's commits (``store/wal.py``)."""
        if self._lock_path is None or self._checkpointer is not None:
            return
        from desk_app.store.wal import Checkpointer

        self._sqlite_options["checkpointer"] = True
        if self._kept_driver is not None:
            self._kept_driver.close()
        self.engine.dispose()  # pooled connections reopen without their own checkpoints
        self._checkpointer = Checkpointer(make_url(self.url).database or "")

    @property
    def checkpointer(self) -> Any:
        """The running ``store.wal.Checkpointer``, if this program started one."""
        return self._checkpointer

    def dispose(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
            self._sqlite_options.pop("checkpointer", None)
        if self._kept is not None:
            self._kept.close()
        if self._kept_driver is not None:
            self._kept_driver.close()
        self.engine.dispose()


def dialect_insert(postgres: bool, table: Any) -> Any:
    """The dialect's INSERT (with ``on_conflict_do_update``). Imported on use: the PostgreSQL
    dialect costs a fifth of a second that a SQLite command saves."""
    if postgres:
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as lite_insert

    return lite_insert(table)


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid URL>"


@contextmanager
def _translate_unavailable(url: str) -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        if _is_connection_error(exc):
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise DatabaseUnavailable(
                f"无法连接数据库 {redact(url)}: {reason} / cannot reach the database; "
                "check --db or DESK_APP_DB and that the server is running"
            ) from exc
        raise


def _is_connection_error(exc: OperationalError) -> bool:
    text = str(exc.orig or exc).lower()
    markers = (
        "connection",
        "connect",
        "could not translate host",
        "unable to open database",
        "timeout expired",
        "password authentication",
        "does not exist",
    )
    return exc.connection_invalidated or any(m in text for m in markers)
