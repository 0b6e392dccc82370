"""A long-running program checkpoints the SQLite write-ahead log on a thread of its own, so
no commit at a window pays for a checkpoint; short commands keep SQLite's own checkpoints."""

from __future__ import annotations

import time

from sqlalchemy import text

from desk_app.services.hall import setup as hall
from desk_app.store import Database
from desk_app.store.schema import upgrade
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
