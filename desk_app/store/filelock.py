"""An inter-process writer lock for the embedded SQLite database.

SQLite serialises writers, but a writer that finds the database locked polls with growing sleeps
(up to 100 ms each), so under contention from many processes most time is spent asleep. Taking
an OS file lock first makes writers queue in the kernel and wake the moment the lock is free;
BEGIN IMMEDIATE then rarely waits. PostgreSQL needs none of this.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def exclusive(path: str) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) for the duration of the block."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows halls
            import msvcrt

            while True:
                try:
                    msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # retries for ~10 s, then raises
                    break
                except OSError:
                    continue
            try:
                yield
            finally:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
