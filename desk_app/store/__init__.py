"""Storage: SQLAlchemy 2 models, the engine for SQLite or PostgreSQL, Alembic migrations.

``Database`` and friends are loaded on first use (PEP 562), so ``desk_app.store.lite`` (the
quick commands' standard-library access to the SQLite file) does not pull in SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desk_app.store.database import Database, DatabaseUnavailable, default_url

__all__ = ["Database", "DatabaseUnavailable", "default_url"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from desk_app.store import database

        return getattr(database, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
