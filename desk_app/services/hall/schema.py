"""Getting a workstation ready: the database schema current before the first screen."""

from __future__ import annotations

from desk_app.services.common.protection import ensure_hall_key
from desk_app.services.hall.mode import check_clock
from desk_app.store import Database
from desk_app.store.schema import ensure_current


def prepare_database(db: Database) -> None:
    """Create an empty database's schema or migrate an older one; refuse a newer one
    (``SchemaTooNew``), make a new hall's key file (protection.ensure_hall_key), and refuse
    ``DESK_APP_NOW`` on a live hall (services/hall/mode.py). A few queries when the schema is
    current and the key present."""
    ensure_current(db)
    ensure_hall_key(db)
    check_clock(db)
