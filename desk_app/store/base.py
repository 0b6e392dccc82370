"""The declarative base every table of the hall derives from, with stable constraint names."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so migrations can refer to them on both dialects.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Partial indexes carry their condition as ``info={"where": ...}``, not as the dialects'
# ``sqlite_where``/``postgresql_where`` arguments: those make SQLAlchemy import the PostgreSQL
# dialect (with asyncpg, pg8000, ...) in every SQLite command, a large share of a cold start.
# The migrations create them with the dialects' arguments; tests/test_schema.py checks every
# index with a "where" is partial, with that condition, in a migrated database;
# ``where_postgresql`` / ``where_sqlite`` is the condition on that database (an index with only
# one of them is plain on the other).

# SQLite only autoincrements INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
EventId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
