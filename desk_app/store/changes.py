"""Cheap "did anyone commit?" checks, so screens react at once instead of polling their queries.

- SQLite: ``PRAGMA data_version`` on one connection of the watcher's own; its value changes when
  another connection commits. One pragma per look (microseconds, no table touched).
- PostgreSQL: the server's current snapshot (``pg_current_snapshot()``: the oldest transaction
  still running, the next transaction id, those running in between), looked at every
  ``PG_LOOK_S`` on a connection of the watcher's own. A transaction that writes has an id, so
  one that commits after a look is either running at that look or not yet begun; either way the
  next look's snapshot differs. Nothing is missed and the writers send nothing: a call costs
  the same with one display or ten (a ``NOTIFY`` per call was a fifth of a press's CPU and
  made every window's call wait for the others' at commit). A look is one round trip that reads
  no table. The snapshot is the whole server's, so a write in another database, or one rolled
  back, is a change too: the screen then queries once more than it needed to, at most once a
  look.

A watcher never replaces the screen's own query: it only says when to run it sooner. A screen
that follows on a thread of its own blocks in ``wait()`` instead of looking on a timer.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

LOOK_S = 0.01  # how often ``wait()`` looks on SQLite (a pragma in the process)
PG_LOOK_S = 0.02  # and on PostgreSQL (a round trip: 50 a second per watching screen)
PG_RECONNECT_S = 5.0  # a lost watch connection is opened again at most this often


class ChangeWatch:
    """``changed()`` is True when something was committed since the previous look."""

    look_s = LOOK_S  # how often ``wait()`` looks

    def changed(self) -> bool:
        raise NotImplementedError

    def wait(self, timeout: float) -> bool:
        """Block until something was committed (True) or ``timeout`` seconds passed (False)."""
        end = time.monotonic() + timeout
        while True:
            if self.changed():
                return True
            left = end - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(self.look_s, left))

    def close(self) -> None:
        """Release the connection (the screen is going)."""


class _Always(ChangeWatch):
    def changed(self) -> bool:
        return True

    def wait(self, timeout: float) -> bool:
        time.sleep(timeout)  # nothing to wait on: the screen queries at its own pace
        return True


class _SqliteWatch(ChangeWatch):
    def __init__(self, path: str) -> None:
        self._conn = sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, check_same_thread=False, isolation_level=None
        )
        self._lock = threading.Lock()
        self._version: int | None = None

    def changed(self) -> bool:
        with self._lock:
            try:
                (version,) = self._conn.execute("PRAGMA data_version").fetchone()
            except sqlite3.Error:
                return True  # let the screen's own query find out what is wrong
            seen, self._version = self._version, version
            return seen is None or seen != version

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class _PostgresWatch(ChangeWatch):
    """Lost, the connection is opened again at most every ``PG_RECONNECT_S`` (a display runs all
    day; the server may restart at noon); meanwhile every look says "changed", so the screen
    queries at its own pace and nothing is missed."""

    look_s = PG_LOOK_S

    def __init__(self, url: str) -> None:
        self._url = url
        self._lock = threading.Lock()
        self._snapshot: str | None = None
        self._lost_at: float | None = None
        self._conn: Any = self._connect()

    def _connect(self) -> Any:
        import psycopg

        return psycopg.connect(self._url, autocommit=True, connect_timeout=5)

    def changed(self) -> bool:
        with self._lock:
            if self._lost_at is not None and not self._reconnect():
                return True
            try:
                row = self._conn.execute("SELECT pg_current_snapshot()::text").fetchone()
            except Exception as exc:  # noqa: BLE001 - the connection went: the screen polls
                log.warning("change watch lost its connection, polling meanwhile: %s", exc)
                self._lost_at = time.monotonic()
                return True
            seen, self._snapshot = self._snapshot, row[0] if row else None
            return seen is None or seen != self._snapshot

    def _reconnect(self) -> bool:
        assert self._lost_at is not None
        if time.monotonic() - self._lost_at < PG_RECONNECT_S:
            return False
        with contextlib.suppress(Exception):
            self._conn.close()
        try:
            self._conn = self._connect()
        except Exception:  # noqa: BLE001 - still away: try again later
            self._lost_at = time.monotonic()
            return False
        log.info("change watch connected again")
        self._lost_at = None
        self._snapshot = None  # the first look after it says "changed"
        return True

    def wait(self, timeout: float) -> bool:
        if self._lost_at is not None and time.monotonic() - self._lost_at < PG_RECONNECT_S:
            time.sleep(timeout)  # as _Always: the screen's own pace
            return True
        return super().wait(timeout)

    def close(self) -> None:
        with self._lock, contextlib.suppress(Exception):  # closing a dead connection
            self._conn.close()


def watch(engine: Engine) -> ChangeWatch:
    """The cheapest change check the database of ``engine`` offers (falls back to "always
    changed")."""
    url = engine.url
    try:
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            return _SqliteWatch(str(url.database))
        if url.get_backend_name() == "postgresql":
            plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
            return _PostgresWatch(plain)
    except Exception as exc:  # noqa: BLE001 - a watcher is an optimisation, never a failure
        log.warning("no change watch (%s): the screen polls", exc)
    return _Always()
