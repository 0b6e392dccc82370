"""The reference backend's tables (SQLAlchemy 2 models) and the plain records the store returns.

Who may read a case is not a column: a workstation reads the cases it sent, i.e. those with a
``created`` or ``replayed`` receipt of its own (see ``Store``); the index on
``receipts (workstation, case_id)`` serves that lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

Status = Literal["created", "replayed", "conflict", "invalid"]
# Arrivals that mean "this workstation holds exactly the stored version": they let it read it.
DELIVERED = ("created", "replayed")


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on both dialects (SQLite has no time zones: stored naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# BIGINT ids on PostgreSQL (two million cases a year), INTEGER on SQLite so that the column
# is the rowid alias and autoincrements.
BIG_ID = BigInteger().with_variant(Integer(), "sqlite")
_Id = BIG_ID
# One naming of constraints and indexes for every table of the platform (the feature modules,
# eid, files, appointments, keep their own metadata with it).
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Own metadata: nothing here is shared with the desk application's schema."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ReceivedCase(Base):
    """One case as first stored, plus how often its UUID arrived."""

    __tablename__ = "received_cases"

    # The listing cursor: increasing in order of first arrival.
    id: Mapped[int] = mapped_column(_Id, primary_key=True, autoincrement=True)
    uuid: Mapped[str] = mapped_column(String(36))
    case_no: Mapped[str] = mapped_column(String(64))
    concluded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Asia/Shanghai date of concluded_at, stored so the reconciliation digest is an index scan.
    concluded_date: Mapped[date] = mapped_column(Date, index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    payload_sha256: Mapped[str] = mapped_column(String(64))
    received_count: Mapped[int] = mapped_column(Integer)
    first_received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Whose case it is: the principal that sent it. Case ids are scoped per principal (give a
    # hall's PCs one name, e.g. hall-a=TOKEN1,hall-a=TOKEN2, so that any of them may retry its
    # cases): another hall's PUT of the same uuid is its own case, and learns nothing of this one.
    workstation: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("workstation", "uuid", name="uq_received_cases_workstation_uuid"),
    )


class Receipt(Base):
    """Every arrival of a valid case (created, replayed or conflict): the retry history."""

    __tablename__ = "receipts"

    id: Mapped[int] = mapped_column(_Id, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(
        _Id, ForeignKey("received_cases.id", ondelete="CASCADE"), index=True
    )
    workstation: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    outcome: Mapped[str] = mapped_column(String(16))
    payload_sha256: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_receipts_workstation_case_id", "workstation", "case_id"),)


class ConflictingVersion(Base):
    """A different version of an already stored UUID, kept for a person to review.

    One row per distinct version (uuid, digest): a client re-sending the same conflicting
    version after a lost 409 bumps its count instead of adding rows.
    """

    __tablename__ = "conflicting_versions"
    __table_args__ = (UniqueConstraint("case_id", "payload_sha256"),)

    id: Mapped[int] = mapped_column(_Id, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(
        _Id, ForeignKey("received_cases.id", ondelete="CASCADE"), index=True
    )
    payload_sha256: Mapped[str] = mapped_column(String(64))
    case_no: Mapped[str] = mapped_column(String(64))
    concluded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_count: Mapped[int] = mapped_column(Integer)
    first_received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    workstation: Mapped[str] = mapped_column(String(64))


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result for one uploaded case, in the request's order."""

    uuid: str | None
    status: Status
    received_count: int | None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class CaseRow:
    """A stored case as listed (no payload)."""

    cursor: str
    uuid: str
    case_no: str
    concluded_at: datetime
    received_count: int
    received_at: datetime
    last_received_at: datetime
    workstation: str


@dataclass(frozen=True, slots=True)
class ConflictRow:
    """One conflicting version kept for review."""

    payload_sha256: str
    case_no: str
    concluded_at: datetime
    payload: dict[str, Any]
    received_count: int
    first_received_at: datetime
    last_received_at: datetime
    workstation: str


@dataclass(frozen=True, slots=True)
class CaseDetail:
    """A stored case with its payload and the conflicting versions received for it."""

    row: CaseRow
    payload: dict[str, Any]
    payload_sha256: str
    conflicts: list[ConflictRow]


@dataclass(frozen=True, slots=True)
class DayDigest:
    """Count and digest of the UUIDs of the cases concluded on one local date."""

    day: date
    count: int
    sha256: str


def case_row(row: ReceivedCase) -> CaseRow:
    return CaseRow(
        cursor=str(row.id),
        uuid=row.uuid,
        case_no=row.case_no,
        concluded_at=row.concluded_at,
        received_count=row.received_count,
        received_at=row.first_received_at,
        last_received_at=row.last_received_at,
        workstation=row.workstation,
    )
