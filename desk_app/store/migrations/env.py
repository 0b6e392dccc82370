"""Alembic environment: runs on the connection desk_app.store.schema hands over."""

from __future__ import annotations

from alembic import context

from desk_app.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only `desk-app db upgrade` drives migrations
    raise RuntimeError("run migrations through `desk-app db upgrade`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite ALTER goes through batch mode
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
