"""Getting a workstation ready: the database schema current before the first screen."""

from __future__ import annotations

from desk_app.store import Database
from desk_app.store.schema import ensure_current


def prepare_database(db: Database) -> None:
    """Create an empty database's schema or migrate an older one; refuse a newer one
    (``SchemaTooNew``). One query when the schema is already current."""
    ensure_current(db)
