"""An inter-process writer lock for the embedded SQLite database, and owner-only files.

SQLite serialises writers, but a writer that finds the database locked polls with growing sleeps
(up to 100 ms each), so under contention from many processes most time is spent asleep. Taking
an OS file lock first makes writers queue for it and take it the moment it is free; BEGIN
IMMEDIATE then rarely waits. PostgreSQL needs none of this.

The lock file and the database are created readable and writable by their owner only (0600), so
another local user can neither read the hall's data nor take the lock and freeze its writes;
and the lock is waited for at most ``timeout`` seconds, then refused with a message naming the
process (and its user) that holds it where the system tells (Linux's /proc/locks).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from desk_app.paths import restrict_to_owner, windows_acl_open_to_others

OWNER_ONLY = 0o600


class LockTimeout(TimeoutError):
    """The writer lock was held by someone else for longer than the timeout."""


def create_owner_only(path: str) -> None:
    """Create ``path`` empty and owner-only unless it exists (SQLite then keeps the mode, and
    gives its -wal and -shm files the database file's mode; on Windows, where the mode bits
    mean nothing, the new file gets an ACL of its owner alone)."""
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, OWNER_ONLY))
    except FileExistsError:
        return
    restrict_to_owner(path)


def readable_by_others(path: str) -> bool:
    """Whether users other than the owner may read ``path``: POSIX mode bits, or on Windows an
    ACL entry for Everyone, Users or Authenticated Users."""
    if sys.platform == "win32":
        import subprocess

        try:
            done = subprocess.run(  # noqa: S603 - a fixed program, the path as one argument
                ["icacls", path], capture_output=True, text=True, check=False
            )
        except OSError:
            return False
        return done.returncode == 0 and windows_acl_open_to_others(done.stdout)
    try:
        return bool(os.stat(path).st_mode & 0o044)
    except OSError:
        return False


def holder(path: str) -> str | None:
    """Who holds a lock on ``path``: "process PID (user NAME)", where /proc/locks tells."""
    try:
        inode = os.stat(path).st_ino
        with open("/proc/locks", encoding="ascii", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    for line in lines:
        parts = line.split()
        # "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF" (a blocked waiter has "->" first)
        if len(parts) >= 6 and parts[1] != "->" and parts[5].rsplit(":", 1)[-1] == str(inode):
            pid = parts[4]
            return f"进程 {pid} ({_user_of(pid)}) / process {pid} ({_user_of(pid)})"
    return None


def _user_of(pid: str) -> str:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            uid = next(int(x.split()[1]) for x in f if x.startswith("Uid:"))
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (OSError, StopIteration, KeyError, ValueError, ImportError):
        return "?"


@contextmanager
def exclusive(
    path: str, timeout: float = 30.0, error: type[Exception] = LockTimeout
) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created owner-only if missing) for the block; wait at
    most ``timeout`` seconds for it, then raise ``error`` naming the holder where it can."""
    if sys.platform == "win32" and not os.path.exists(path):
        create_owner_only(path)  # the ACL before the first use (mode bits mean nothing there)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, OWNER_ONLY)
    try:
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows halls
            import msvcrt

            deadline = time.monotonic() + timeout
            while True:
                try:
                    msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise error(_timed_out(path, timeout)) from None
                    time.sleep(0.005)
            try:
                yield
            finally:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            _lock_posix(fcntl, fd, path, timeout, error)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _lock_posix(  # type: ignore[no-untyped-def]
    fcntl, fd: int, path: str, timeout: float, error: type[Exception]
) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    # Busy: try again with short sleeps (a few ms: writers hold it for milliseconds) until the
    # deadline, instead of blocking without end on a lock another user may hold on purpose.
    deadline = time.monotonic() + timeout
    pause = 0.0005
    while True:
        time.sleep(pause)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise error(_timed_out(path, timeout)) from None
            pause = min(pause * 2, 0.001)


def _timed_out(path: str, timeout: float) -> str:
    who = holder(path)
    by_zh, by_en = (
        (f", 持有者 {who.split(' / ')[0]}", f", by {who.split(' / ')[1]}") if who else ("", "")
    )
    return (
        f"数据库写锁 {path} 被占用超过 {timeout:g} 秒{by_zh} / "
        f"the database's write lock {path} was held for over {timeout:g} s{by_en}"
    )
