"""Tables of 免证办: what each case's shared materials are (fetched from the departments'
data through the platform's sharing gateway) and every call made for them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from desk_app.store.base import Base, EventId
from desk_app.store.types import UTCDateTime


class CaseShare(Base):
    """A material of a case that shared data or an e-licence replaces, and where it stands:
    ``pending`` (to fetch), ``fetched``, ``no_record`` or ``failed`` (then the material is one
    to hand in, ``case_materials.missing_reason`` says why). ``data`` (the fields, as sealed
    JSON) and ``licence`` (the e-licence PDF, sealed bytes) are the case's personal data:
    sealed with the hall key and purged with the case."""

    __tablename__ = "case_shares"

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"), primary_key=True)
    material_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    resource: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(12))  # pending | fetched | no_record | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str | None] = mapped_column(String(32))  # no_record | unavailable | ...
    data: Mapped[str | None] = mapped_column(Text)  # sealed JSON {"fields": [...], ...}
    licence: Mapped[bytes | None] = mapped_column(LargeBinary)  # sealed PDF
    fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_case_shares_state", "state"),)


class ShareCall(Base):
    """One call to the sharing gateway: who, for which case and material, which resource, the
    stated purpose, the outcome and how long it took. No personal data: kept for statistics
    and audit after the case's data is purged."""

    __tablename__ = "share_calls"

    id: Mapped[int] = mapped_column(EventId, primary_key=True, autoincrement=True)
    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"), index=True)
    material_code: Mapped[str] = mapped_column(String(64))
    resource: Mapped[str] = mapped_column(String(64), index=True)
    purpose: Mapped[str] = mapped_column(String(200))
    # ok | no_record | failed | offline (the platform not reached: the material stays pending)
    outcome: Mapped[str] = mapped_column(String(12))
    http_status: Mapped[int | None] = mapped_column(Integer)
    ms: Mapped[int] = mapped_column(Integer)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
