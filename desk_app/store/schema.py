"""Schema revision checks and upgrades (Alembic), kept off the hot path of every command.

The revision the code expects is a constant (``store/lite.py``, which the quick commands use
without SQLAlchemy), so a command can check the database with one query and without importing
Alembic; a test keeps it equal to the migrations' head.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, text

from desk_app.store.database import Database
from desk_app.store.lite import SCHEMA_HEAD as SCHEMA_HEAD

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class SchemaTooNew(Exception):
    """The database was migrated by a newer version of the application."""


@dataclass(frozen=True)
class SchemaStatus:
    revision: str | None
    head: str
    known: bool  # the revision is one this version of the app has migrations for

    @property
    def ok(self) -> bool:
        return self.revision == self.head

    @property
    def newer(self) -> bool:
        return self.revision is not None and not self.known


def _alembic_config(connection=None):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}


def current_revision(db: Database) -> str | None:
    with db.read() as session:
        if not inspect(session.connection()).has_table("alembic_version"):
            return None
        return session.execute(text("SELECT version_num FROM alembic_version")).scalar()


def status(db: Database) -> SchemaStatus:
    rev = current_revision(db)
    known = rev is None or rev == SCHEMA_HEAD or rev in known_revisions()
    return SchemaStatus(rev, SCHEMA_HEAD, known)


def upgrade(db: Database) -> SchemaStatus:
    """Create or migrate the schema to head; idempotent. Refuses a newer database."""
    st = status(db)
    if st.newer:
        raise SchemaTooNew(
            f"数据库结构版本 {st.revision} 比本程序新 (本程序: {st.head}), 请升级程序 / "
            "the database schema is newer than this application; install the newer version"
        )
    if st.ok:
        return st
    from alembic import command

    with db.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")
    return status(db)


def ensure_current(db: Database) -> None:
    """Before normal work: create an empty database's schema, migrate an older one, and refuse a
    newer one. One query when the schema is already current."""
    rev = current_revision(db)
    if rev == SCHEMA_HEAD:
        return
    upgrade(db)


def table_names(db: Database) -> list[str]:
    return inspect(db.engine).get_table_names()
