"""Checkpoints of the embedded SQLite database's write-ahead log, off the queue's hot path.

By default SQLite copies the WAL back into the database (a checkpoint, with an fsync) inside
whichever commit finds the log past 1,000 pages: every sixtieth call or so at a window took
5-10 ms instead of half a millisecond (``bench/queue_bench.py``, p99). A long-running program
(the screens, ``sync run``) starts a ``Checkpointer``: a thread with its own connection that
runs a PASSIVE checkpoint twice a second (it never blocks a writer or a reader), and that
program's own connections stop checkpointing in their commits. Short commands keep SQLite's
default, so the log cannot grow without bound when no screen is running.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

log = logging.getLogger(__name__)

INTERVAL_S = 0.5


class Checkpointer:
    """A daemon thread checkpointing one SQLite file until ``stop()``."""

    def __init__(self, path: str, *, interval_s: float = INTERVAL_S) -> None:
        self.path = path
        self.interval_s = interval_s
        self.checkpoints = 0  # checkpoints that copied pages (for tests and diagnostics)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        conn = None
        try:
            conn = sqlite3.connect(self.path, timeout=5, check_same_thread=False)
            while not self._stop.wait(self.interval_s):
                try:
                    _busy, log_frames, done = conn.execute(
                        "PRAGMA wal_checkpoint(PASSIVE)"
                    ).fetchone()
                    if done > 0:
                        self.checkpoints += 1
                except sqlite3.Error as exc:  # locked for a moment, a disk hiccup: next time
                    log.warning("WAL checkpoint failed: %s", exc)
        except sqlite3.Error as exc:
            log.warning("WAL checkpointer could not open %s: %s", self.path, exc)
        finally:
            if conn is not None:
                conn.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()
