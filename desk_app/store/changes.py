"""Cheap "did anyone commit?" checks, so screens react to a call at once instead of polling.

- SQLite: ``PRAGMA data_version`` on one connection of the watcher's own; its value changes when
  another connection commits. One pragma per look (microseconds, no table touched).
- PostgreSQL: ``LISTEN desk_app_calls``; the services ``NOTIFY`` in the transaction that records
  a call (delivered at commit, dropped on rollback). A daemon thread waits on the socket; a look
  is reading a flag. If listening fails the watcher says "changed" every time, so the screen
  falls back to querying at its own pace and nothing is missed.

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

CALLS_CHANNEL = "desk_app_calls"
LOOK_S = 0.01  # how often ``wait()`` looks when the database cannot wake it (SQLite)


def notify_calls(session: Any) -> None:
    """Within a write transaction that records a call (an ORM session or a connection): tell
    listening screens at commit."""
    from sqlalchemy import text

    bind = session.get_bind() if hasattr(session, "get_bind") else session
    if bind.dialect.name == "postgresql":
        session.execute(text(f"NOTIFY {CALLS_CHANNEL}"))


class ChangeWatch:
    """``changed()`` is True when something was committed since the previous look."""

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
            time.sleep(min(LOOK_S, left))

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
    def __init__(self, url: str) -> None:
        import psycopg

        self._flag = threading.Event()
        self._flag.set()  # the first look always queries
        self._stop = threading.Event()
        self._conn = psycopg.connect(url, autocommit=True, connect_timeout=5)
        self._conn.execute(f"LISTEN {CALLS_CHANNEL}")
        self._failed = False
        self._thread: threading.Thread | None = None  # started by the first changed()

    def _listen(self) -> None:
        try:
            while not self._stop.is_set():
                for _ in self._conn.notifies(timeout=0.5, stop_after=1):
                    self._flag.set()
        except Exception as exc:  # noqa: BLE001 - the connection went: fall back to polling
            if not self._stop.is_set():
                log.warning("call listener stopped, polling instead: %s", exc)
                self._failed = True

    def changed(self) -> bool:
        """A look from a timer: a thread of the watch's own waits on the socket meanwhile."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._listen, name="call-listener", daemon=True)
            self._thread.start()
        if self._failed:
            return True
        if self._flag.is_set():
            self._flag.clear()
            return True
        return False

    def wait(self, timeout: float) -> bool:
        """Waits on the socket in the caller's thread (no listener thread to hand over from: on
        a loaded PC each thread woken on the way is a wait of its own). A watch is either
        waited on or looked at, not both."""
        if self._failed:
            time.sleep(timeout)  # as _Always: the screen's own pace
            return True
        if self._flag.is_set():
            self._flag.clear()
            return True
        if self._thread is not None:  # looked at before: the listener thread has the socket
            if not self._flag.wait(timeout):
                return False
            self._flag.clear()
            return True
        try:
            for _ in self._conn.notifies(timeout=timeout, stop_after=1):
                return True
        except Exception as exc:  # noqa: BLE001 - the connection went: fall back to polling
            log.warning("call listener stopped, polling instead: %s", exc)
            self._failed = True
            return True
        return False

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        with contextlib.suppress(Exception):  # closing a dead connection
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
