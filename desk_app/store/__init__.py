"""Storage: SQLAlchemy 2 models, the engine for SQLite or PostgreSQL, Alembic migrations."""

from desk_app.store.database import Database, DatabaseUnavailable, default_url

__all__ = ["Database", "DatabaseUnavailable", "default_url"]
