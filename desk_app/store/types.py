"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC.

    SQLite has no time zones, so every timestamp is normalised to UTC on the way in; the hall's
    local time (for days, hours and display) is derived in one place, desk_app.domain.clock.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # raw SQL paths on SQLite
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class epoch_us(FunctionElement[int]):
    """A UTCDateTime expression as whole microseconds since 1970-01-01 UTC, computed by the
    database exactly: for a read of thousands of instants into arrays (the statistics' count of
    today's tickets), where a driver's datetime objects would cost more than the arithmetic."""

    type = BigInteger()
    inherit_cache = True
    name = "epoch_us"


@compiles(epoch_us, "postgresql")
def _epoch_us_pg(element: epoch_us, compiler: Any, **kw: Any) -> str:
    # EXTRACT of a timestamp without time zone is numeric (exact) and counts from 1970 as UTC.
    column = compiler.process(element.clauses, **kw)
    return f"CAST(EXTRACT(EPOCH FROM {column}) * 1000000 AS BIGINT)"


@compiles(epoch_us, "sqlite")
def _epoch_us_sqlite(element: epoch_us, compiler: Any, **kw: Any) -> str:
    # Stored as "YYYY-MM-DD HH:MM:SS.ffffff" (store/lite.py, SQLAlchemy's DATETIME): the whole
    # seconds from strftime of the first 19 characters (given the fraction, SQLite rounds it to
    # milliseconds: .999999 would make the next second), the fraction's six digits from their
    # place (none: 0).
    column = compiler.process(element.clauses, **kw)
    seconds = f"CAST(strftime('%s', substr({column}, 1, 19)) AS INTEGER)"
    return f"({seconds} * 1000000 + CAST(substr({column}, 21, 6) AS INTEGER))"
