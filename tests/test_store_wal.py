"""A long-running program checkpoints the SQLite write-ahead log on a thread of its own, so
no commit at a window pays for a checkpoint; short commands keep SQLite's own checkpoints."""

from __future__ import annotations

import os
import sqlite3
import threading
import time

from sqlalchemy import text

from desk_app.services.hall import setup as hall
from desk_app.store import Database
from desk_app.store.schema import upgrade
from desk_app.store.wal import Checkpointer
from tests.conftest import TEST_ADMIN


def _autocheckpoint(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one())


def _wal_frames(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()[1])


def test_the_checkpointer_takes_the_checkpoints_off_the_commits(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'hall.db'}")
    upgrade(db)
    assert _autocheckpoint(db) == 1000  # a short command: SQLite's default
    db.start_checkpointer()
    assert _autocheckpoint(db) == 0  # this program's commits no longer checkpoint
    admin = db.acting_as(TEST_ADMIN)
    for n in range(1, 40):
        hall.add_service(admin, f"s{n}", f"业务{n}", "AB"[n // 26] + chr(65 + n % 26))
    checkpointer = db.checkpointer
    deadline = time.monotonic() + 10
    while checkpointer.checkpoints == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert checkpointer.checkpoints > 0
    with db.engine.connect() as conn:  # and the data is all there
        assert conn.execute(text("SELECT count(*) FROM services")).scalar_one() == 39
    db.dispose()
    assert not checkpointer.running


def test_a_postgresql_or_memory_database_has_no_checkpointer():
    db = Database("sqlite:///:memory:")
    db.start_checkpointer()
    assert db.checkpointer is None
    db.dispose()


# -- the log starts over under steady writing -------------------------------------------------


def _log_db(path) -> sqlite3.Connection:
    """A writer's connection as the program's (write-ahead log, no checkpoints in commits)."""
    conn = sqlite3.connect(path, timeout=5, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, b BLOB)")
    return conn


def _write(conn: sqlite3.Connection, n: int = 1) -> None:
    for _ in range(n):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (b) VALUES (randomblob(3000))")
        conn.execute("COMMIT")


def _log_frames(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1])


def _steady_morning(path, commits: int = 15_000) -> int:
    """A writer committing without pause while a reader reads between its commits (windows
    calling, screens looking); the log file's length afterwards, in frames."""
    writer, reader = _log_db(path), _log_db(path)
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            reader.execute("BEGIN")
            reader.execute("SELECT max(id) FROM t").fetchone()
            reader.execute("COMMIT")

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for _ in range(commits // 50):
            _write(writer, 50)
            time.sleep(0.001)  # the checkpointer's thread gets its turn of the interpreter
    finally:
        stop.set()
        thread.join()
        writer.close()
        reader.close()
    return os.path.getsize(f"{path}-wal") // (4096 + 24)


def test_under_steady_writing_the_log_starts_over_instead_of_growing(tmp_path):
    path = str(tmp_path / "hall.db")
    _log_db(path).close()
    checkpointer = Checkpointer(path, interval_s=0.02, restart_frames=200)
    try:
        frames = _steady_morning(path)
    finally:
        checkpointer.stop()
    # A log that never starts over keeps every commit's frames (about 45,000 here: a PASSIVE
    # checkpoint alone never lets it start over); restarted, it stays a few thousand long.
    assert frames < 20_000, frames
    assert checkpointer.restarts > 0


def test_a_reader_of_the_log_makes_the_restart_give_up_and_ask_less_and_less(tmp_path):
    path = str(tmp_path / "hall.db")
    writer, reader = _log_db(path), _log_db(path)
    _write(writer, 300)
    reader.execute("BEGIN")
    reader.execute("SELECT max(id) FROM t").fetchone()  # a snapshot in the log, held
    checkpointer = Checkpointer(path, interval_s=0.02, restart_frames=200)
    try:
        time.sleep(1.5)  # 75 intervals; asked after 1, 2, 4, 8, 16 and 32 of them
        assert 1 <= checkpointer.restarts_refused <= 8, checkpointer.restarts_refused
        assert checkpointer.restarts == 0
        t0 = time.monotonic()
        _write(writer)
        assert time.monotonic() - t0 < 0.5  # a restart waiting holds a writer off briefly
    finally:
        checkpointer.stop()
        reader.execute("COMMIT")
        writer.close()
        reader.close()


def test_a_reader_of_an_old_snapshot_is_not_waited_for(tmp_path):
    """A long report reads a snapshot the writers have long left behind: the log cannot be
    copied past it, so no restart is asked for (it would only hold the windows off)."""
    path = str(tmp_path / "hall.db")
    writer, reader = _log_db(path), _log_db(path)
    _write(writer, 300)
    reader.execute("BEGIN")
    reader.execute("SELECT max(id) FROM t").fetchone()
    checkpointer = Checkpointer(path, interval_s=0.02, restart_frames=200)
    try:
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            _write(writer, 20)
        assert checkpointer.checkpoints > 0
        assert checkpointer.restarts == checkpointer.restarts_refused == 0
    finally:
        checkpointer.stop()
        reader.execute("COMMIT")
        writer.close()
        reader.close()
