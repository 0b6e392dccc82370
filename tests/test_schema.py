"""Migrations: idempotent upgrade, models equal to the migrations, a newer database refused."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from desk_app.store import Database, schema
from tests.tools import ADMIN


def test_schema_head_constant_matches_migrations():
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(schema._alembic_config()).get_heads()
    assert heads == [schema.SCHEMA_HEAD]


def test_upgrade_is_idempotent_and_models_match_migrations(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from desk_app.store.models import Base

    db = Database(db_url)
    assert schema.status(db).revision is None
    assert schema.upgrade(db).ok
    assert schema.upgrade(db).ok  # second run: nothing to do, no error
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"
    db.dispose()


def test_newer_database_is_refused(db_url):
    db = Database(db_url)
    schema.upgrade(db)
    with db.begin() as s:
        s.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    st = schema.status(db)
    assert st.newer and not st.ok
    with pytest.raises(schema.SchemaTooNew):
        schema.upgrade(db)
    with pytest.raises(schema.SchemaTooNew):
        schema.ensure_current(db)
    db.dispose()


def test_sqlite_pragmas(sqlite_url):
    db = Database(sqlite_url)
    schema.upgrade(db)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    db.dispose()


def test_default_url_is_in_user_data_dir(monkeypatch, tmp_path):
    from desk_app.store.database import default_url

    monkeypatch.delenv("DESK_APP_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    url = default_url()
    assert url.startswith("sqlite:///") and url.endswith("hall.db")
    assert str(tmp_path) in url
    monkeypatch.setenv("DESK_APP_DB", "sqlite:////x/y.db")
    assert default_url() == "sqlite:////x/y.db"


def test_a_hall_on_the_first_schema_keeps_its_data_through_the_upgrade(db_url):
    """A database last migrated by the queue-only release (0001) is upgraded in place."""
    from alembic import command

    from desk_app.services import hall, queue

    db = Database(db_url).acting_as(ADMIN)
    with db.engine.begin() as conn:
        command.upgrade(schema._alembic_config(conn), "0001")
    assert schema.status(db).revision == "0001"
    # Written with 0001's tables only (the services touch nothing newer).
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    number = queue.issue_ticket(db, "newborn").number
    assert schema.upgrade(db).ok
    with db.read() as s:
        assert s.execute(text("SELECT number FROM tickets")).scalar() == number
        assert s.execute(text("SELECT count(*) FROM cases")).scalar() == 0
    db.dispose()
