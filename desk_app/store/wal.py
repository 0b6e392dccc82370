"""Checkpoints of the embedded SQLite database's write-ahead log, off the queue's hot path.

By default SQLite copies the WAL back into the database (a checkpoint, with an fsync) inside
whichever commit finds the log past 1,000 pages: every sixtieth call or so at a window took
5-10 ms instead of half a millisecond (``bench/queue_bench.py``, p99). A long-running program
(the screens, ``sync run``) starts a ``Checkpointer``: a thread with its own connection that
runs a PASSIVE checkpoint twice a second (it never blocks a writer or a reader), and that
program's own connections stop checkpointing in their commits. Short commands keep SQLite's
default, so the log cannot grow without bound when no screen is running.

A PASSIVE checkpoint copies the log into the database but never starts the log over: SQLite
does that only in a commit that begins while every frame is copied and nobody reads from the
log, which never happens while windows press without pause. The log then grows by every
commit's pages (48,000 frames in 3 s of 32 windows calling), and every page
a transaction reads is looked up through the whole log's index: a press's CPU doubled
(``bench/queue_bench.py`` at 32 windows). So once the log passes ``RESTART_FRAMES`` and the
PASSIVE checkpoint has copied nearly all of it (nobody holds an old snapshot, such as a long
report), the thread asks for a RESTART checkpoint: it holds off new writers until the current
readers leave the log, so the next commit writes from the log's start again. It waits at most
``RESTART_WAIT_MS`` for them (writers are held off that long at worst). Under heavy writing
it may not get its turn in that time; it then asks again after one interval, then two, four...
up to ``RESTART_BACKOFF_MAX_S``, so a reader that stays costs the windows almost nothing.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time

log = logging.getLogger(__name__)

INTERVAL_S = 0.5
BUSY_TIMEOUT_MS = 5000  # opening the file (a crashed writer's log to recover)
RESTART_FRAMES = 4096  # 16 MiB of log at 4 KiB pages
RESTART_COPIED = 0.9  # the share of the log a PASSIVE checkpoint must have copied
RESTART_WAIT_MS = 5  # the longest a RESTART holds off the windows' commits
RESTART_BACKOFF_MAX_S = 10.0


class Checkpointer:
    """A daemon thread checkpointing one SQLite file until ``stop()``."""

    def __init__(
        self,
        path: str,
        *,
        interval_s: float = INTERVAL_S,
        restart_frames: int = RESTART_FRAMES,
    ) -> None:
        self.path = path
        self.interval_s = interval_s
        self.restart_frames = restart_frames
        self.checkpoints = 0  # checkpoints that copied pages (for tests and diagnostics)
        self.restarts = 0  # RESTART checkpoints that succeeded
        self.restarts_refused = 0  # and those refused: readers or writers stayed, or another
        # program's checkpoint was running
        self._quiet_until = 0.0  # no RESTART asked before (monotonic time)
        self._refused_in_turn = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        conn = None
        try:
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
            while not self._stop.wait(self.interval_s):
                try:
                    _busy, log_frames, done = conn.execute(
                        "PRAGMA wal_checkpoint(PASSIVE)"
                    ).fetchone()
                    if done > 0:
                        self.checkpoints += 1
                    if self._restart_due(log_frames, done):
                        self._restart(conn)
                except sqlite3.Error as exc:  # locked for a moment, a disk hiccup: next time
                    log.warning("WAL checkpoint failed: %s", exc)
        except sqlite3.Error as exc:
            log.warning("WAL checkpointer could not open %s: %s", self.path, exc)
        finally:
            if conn is not None:
                conn.close()

    def _restart_due(self, log_frames: int, copied: int) -> bool:
        """Whether to ask for a RESTART after a PASSIVE checkpoint found ``log_frames`` in the
        log and had ``copied`` of them in the database."""
        long = log_frames >= self.restart_frames
        return (
            long and copied >= log_frames * RESTART_COPIED and time.monotonic() >= self._quiet_until
        )

    def _restart(self, conn: sqlite3.Connection) -> None:
        """A RESTART checkpoint waiting at most ``RESTART_WAIT_MS``, so the log starts over.
        Refused (readers stayed, writers kept the lock or another program's checkpoint was
        running), the next request waits twice as long as the last."""
        conn.execute(f"PRAGMA busy_timeout = {RESTART_WAIT_MS}")
        try:
            busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()
        finally:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if busy:
            self.restarts_refused += 1
            self._refused_in_turn += 1
            wait = self.interval_s * 2 ** min(self._refused_in_turn - 1, 16)
            self._quiet_until = time.monotonic() + min(RESTART_BACKOFF_MAX_S, wait)
            return
        self.restarts += 1
        self._refused_in_turn = 0

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()
