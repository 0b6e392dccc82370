"""The queue's hot path on a SQLite file keeps one connection of the pool (``store/kept.py``,
``KeptDriver``): each press runs on it, a press while it is in use takes a pooled one, a use
that leaves a transaction open is rolled back, an error drops it, and the checkpointer's start
and disposing of the database give it back."""

from __future__ import annotations

import sqlite3

import pytest

from desk_app.store import Database
from desk_app.store.schema import upgrade


@pytest.fixture
def db(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'hall.db'}")
    upgrade(database)
    yield database
    database.dispose()


def _other_writer(db: Database) -> sqlite3.Connection:
    """Another program's connection that does not wait for the writer's lock."""
    return sqlite3.connect(db.engine.url.database, timeout=0, isolation_level=None)


def test_every_press_runs_on_the_same_kept_connection(db):
    with db.driver_connection() as first:
        pass
    with db.acting_as(None).driver_connection() as again:  # a handle for a person shares it
        assert again is first
    assert db.engine.pool.checkedout() == 1  # kept out of the pool, not handed back each time
    db.dispose()
    assert db.engine.pool.checkedout() == 0


def test_a_press_while_it_is_in_use_takes_a_pooled_connection(db):
    with db.driver_connection() as kept, db.driver_connection() as other:
        assert other is not kept
    with db.driver_connection() as again:
        assert again is kept


def test_a_transaction_left_open_is_rolled_back_and_holds_off_no_writer(db):
    with db.driver_connection() as raw:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("INSERT INTO settings (key, value) VALUES ('left', 'open')")
    other = _other_writer(db)
    other.execute("BEGIN IMMEDIATE")  # "database is locked" if the kept one still held it
    other.execute("COMMIT")
    assert other.execute("SELECT count(*) FROM settings WHERE key = 'left'").fetchone() == (0,)
    other.close()


def test_an_error_it_did_not_handle_drops_the_connection(db):
    with pytest.raises(RuntimeError), db.driver_connection() as broken:
        broken.execute("BEGIN IMMEDIATE")
        raise RuntimeError("a programming error in the middle of a press")
    with pytest.raises(sqlite3.ProgrammingError):
        broken.execute("SELECT 1")  # closed, its transaction with it
    with db.driver_connection() as fresh:
        assert fresh is not broken
    other = _other_writer(db)
    other.execute("BEGIN IMMEDIATE")
    other.execute("COMMIT")
    other.close()


def test_the_checkpointer_start_reopens_it_without_checkpoints_in_its_commits(db):
    with db.driver_connection() as before:
        assert before.execute("PRAGMA wal_autocheckpoint").fetchone() == (1000,)
    db.start_checkpointer()
    with db.driver_connection() as after:
        assert after is not before
        assert after.execute("PRAGMA wal_autocheckpoint").fetchone() == (0,)
