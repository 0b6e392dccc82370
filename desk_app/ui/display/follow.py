"""The call display's follower: a thread of its own that waits for calls and reads them, so the
UI thread only paints.

The thread blocks in the database's change watch (``store/changes.py``: a look at the server's
snapshot every 20 ms on PostgreSQL, at ``PRAGMA data_version`` every 10 ms on SQLite), reads the new
calls (a plain read: it takes no lock and waits for no writer) and hands them to the UI thread
through a queued signal, each call once and oldest first (``boards.CallCursor``, owned by this
thread alone). Nothing it does waits on the UI thread, and the UI thread waits on nothing of
it: a busy screen (an announcement's flash, a hall of 32 windows calling) never delays a read,
and a slow read never delays a paint.

Without a watch the thread reads every ``poll_ms``; with one, it also reads every
``SAFETY_POLL_MS`` regardless, should a change be missed. A failed read is reported once
(``failed``) and retried every ``poll_ms``; the first read that works again comes with
``catching_up`` set.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from desk_app.services.queue import boards
from desk_app.services.queue.boards import CallEvent
from desk_app.store import Database

log = logging.getLogger(__name__)

SAFETY_POLL_MS = 2000  # with a working change watch the query runs this often regardless
SLICE_S = 0.1  # the longest the thread waits without looking whether it is told to stop


@dataclass(frozen=True)
class Calls:
    """New calls, oldest first; ``catching_up``: the first read after an outage."""

    calls: list[CallEvent]
    catching_up: bool


@dataclass(frozen=True)
class Failure:
    """A read failed (a wrapper: queued signals must not carry a bare exception or None)."""

    error: Exception


class CallFollower(QObject):
    """Follows the calls after ``cursor`` on a daemon thread until ``stop()``."""

    arrived = Signal(object)  # Calls, on the receiver's (the UI) thread
    failed = Signal(object)  # Failure

    def __init__(
        self, db: Database, cursor: boards.CallCursor, *, poll_ms: int, parent: QObject | None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self._cursor = cursor
        self._poll_s = poll_ms / 1000
        self._stop = threading.Event()
        self._poke = threading.Event()
        self._thread = threading.Thread(target=self._run, name="call-follower", daemon=True)
        # A screen deleted without being closed (its parent went) stops its follower all the same.
        self.destroyed.connect(self._stop.set)

    def start(self) -> None:
        self._thread.start()

    def poke(self) -> None:
        """Read now instead of at the next change or poll."""
        self._poke.set()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop and wait for the thread (a read under way finishes; its answer is dropped)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)

    def _run(self) -> None:
        watch = self._open_watch()
        try:
            self._follow(watch)
        finally:
            if watch is not None:
                watch.close()

    def _open_watch(self) -> Any:
        try:
            watch = self.db.change_watch()
        except Exception as exc:  # noqa: BLE001 - a watch is an optimisation, never a failure
            log.info(
                "call display polls every %.0f ms (no change watch: %s)", self._poll_s * 1e3, exc
            )
            return None
        return watch

    def _follow(self, watch: Any) -> None:
        offline = False
        while not self._stop.is_set():
            try:
                read = boards.calls_since(
                    self.db,
                    self._cursor.floor,
                    skip=set(self._cursor.seen),
                    limit=boards.CALL_PAGE,
                )
            except Exception as exc:  # noqa: BLE001 - shown as a discreet line, then retried
                if not offline:
                    log.warning("call display lost the database: %s", exc)
                    self._emit(self.failed, Failure(exc))
                offline = True
                self._pause(None, self._poll_s)
                continue
            new = self._cursor.take(read)
            if new or offline:
                self._emit(self.arrived, Calls(new, offline))
            offline = False
            if len(read) >= boards.CALL_PAGE:
                continue  # a full page: there may be more at once
            self._pause(watch, SAFETY_POLL_MS / 1000 if watch is not None else self._poll_s)

    def _pause(self, watch: Any, seconds: float) -> None:
        """Until a change, a poke, a stop or ``seconds`` pass."""
        end = time.monotonic() + seconds
        while not self._stop.is_set():
            if self._poke.is_set():
                self._poke.clear()
                return
            left = end - time.monotonic()
            if left <= 0:
                return
            if watch is not None:
                if watch.wait(min(SLICE_S, left)):
                    return
            elif self._stop.wait(min(SLICE_S, left)):
                return

    def _emit(self, signal: Any, value: object) -> None:
        if self._stop.is_set():  # a stopped follower's screen is going: tell it nothing
            return
        try:
            signal.emit(value)
        except RuntimeError:  # deleted meanwhile, between the look above and the emit
            self._stop.set()
