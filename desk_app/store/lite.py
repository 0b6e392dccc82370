"""The hall's SQLite file through the standard library alone, for the quick commands.

A call-pad or a kiosk script starts ``desk-app`` once per press. Importing SQLAlchemy alone
costs about ten times a bare ``python -c pass`` here (``bench/cold_bench.py``), so the three
commands such a device runs (``queue status``, ``ticket issue``, ``call next``) first try
``services/queue/quick.py`` on a connection from here. This module opens only what is surely
the application's own database at the code's schema: a plain ``sqlite:///FILE`` URL whose file
exists, at revision ``SCHEMA_HEAD``. Anything else (PostgreSQL, a new or older database, a URL
with options) gets ``None`` and the command runs its full version, which creates, migrates or
refuses as always.

Values are stored as SQLAlchemy stores them (``store/types.py``): times as naive UTC text,
ids as 32 hex digits, booleans as 0/1; the converters below are the only place that knows it.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

# The schema revision this code expects (Alembic's head; tests/test_schema.py keeps it so).
SCHEMA_HEAD = "0023"
SQLITE_BUSY_TIMEOUT_MS = 30_000
_PREFIX = "sqlite:///"


def database_url() -> str:
    """What ``Database()`` would open: ``DESK_APP_DB``, else the user's data folder's file."""
    env = os.environ.get("DESK_APP_DB")
    if env:
        return env
    from desk_app.paths import user_data_dir

    return f"{_PREFIX}{user_data_dir() / 'hall.db'}"


def sqlite_path(url: str) -> str | None:
    """The file of a plain ``sqlite:///FILE`` URL, else None (another database, options, memory,
    or an escaped character that SQLAlchemy would decode: the full path reads those)."""
    if not url.startswith(_PREFIX) or any(c in url for c in "?%#@"):
        return None
    path = url[len(_PREFIX) :]
    return path if path and path != ":memory:" else None


def display_url(url: str) -> str:
    """``Database.display_url`` of a plain SQLite URL (the login session file's key for it)."""
    from urllib.parse import quote

    path = sqlite_path(url)
    return url if path is None else _PREFIX + quote(path, safe=" +/")


def connect(url: str) -> sqlite3.Connection | None:
    """A connection set up as ``Database`` sets its own, or None when the full path must run
    (not a plain SQLite file, no such file yet, or a schema other than this code's)."""
    path = sqlite_path(url)
    if path is None or not os.path.isfile(path):
        return None
    conn = sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        configure(conn)
        row = conn.execute(
            "SELECT version_num FROM alembic_version"
            " WHERE EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'alembic_version')"
        ).fetchone()
    except sqlite3.Error:
        row = None  # not a database of ours, locked beyond the timeout: the full path says why
    if row is None or row[0] != SCHEMA_HEAD:
        conn.close()
        return None
    return conn


def hall_mode(conn: sqlite3.Connection) -> str:
    """The hall's mode (services/hall/mode.py): ``live`` unless made a training or demo hall."""
    row = conn.execute("SELECT value FROM settings WHERE key = 'hall_mode'").fetchone()
    return str(row[0]) if row else "live"


def configure(conn: sqlite3.Connection, *, checkpointer: bool = False) -> None:
    """Every connection to the hall's file, ``Database``'s pool and the quick commands' alike:
    wait for the writer's lock, write-ahead log, foreign keys; with a ``Checkpointer`` thread
    in the program (``store/wal.py``), no checkpoints inside this connection's commits."""
    conn.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    if checkpointer:
        conn.execute("PRAGMA wal_autocheckpoint = 0")


# -- values as SQLAlchemy stores them on SQLite ------------------------------------------------


def db_time(at: datetime) -> str:
    """An aware datetime as ``UTCDateTime`` stores it (naive UTC, SQLAlchemy's text format)."""
    if at.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    return at.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def py_time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=UTC)


def db_day(day: date) -> str:
    return day.isoformat()


def db_id(value: uuid.UUID) -> str:
    return value.hex


def py_id(text: str | None) -> uuid.UUID | None:
    return None if text is None else uuid.UUID(text)


def marks(values: Iterable[Any]) -> str:
    """``?, ?, ?`` for an ``IN (...)`` of these values."""
    return ", ".join("?" for _ in values)
