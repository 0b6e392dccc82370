"""Tables of 一件事 cases: the case, its materials, its events, its evaluation, and the sync
outbox row written in the same transaction that concludes it."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from desk_app.store.base import Base, EventId
from desk_app.store.types import UTCDateTime


class CaseCounter(Base):
    """Per-day counter for case numbers (YJS-20261127-0001), like the ticket counters."""

    __tablename__ = "case_counters"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class Case(Base):
    """One 一件事 application. ``id`` is generated here and is the key the central backend
    deduplicates on."""

    __tablename__ = "cases"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    case_no: Mapped[str] = mapped_column(String(32), unique=True)
    bundle_code: Mapped[str] = mapped_column(String(64))
    bundle_name: Mapped[str] = mapped_column(String(200))
    catalog_version: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), index=True)
    applicant_kind: Mapped[str] = mapped_column(String(8))  # person | company
    # Personal data, encrypted at rest (AES-GCM tokens under the hall key, desk_app.security):
    # full values travel only to the central backend; purged after retention.
    applicant_name: Mapped[str] = mapped_column(Text)
    applicant_id_no: Mapped[str] = mapped_column(Text)
    applicant_phone: Mapped[str | None] = mapped_column(Text)
    agent_name: Mapped[str | None] = mapped_column(Text)
    agent_id_no: Mapped[str | None] = mapped_column(Text)
    # Keyed hash of the ID number (or credit code): find a returning applicant's cases without
    # decrypting every row.
    applicant_lookup: Mapped[str | None] = mapped_column(String(64), index=True)
    auth_scope: Mapped[str | None] = mapped_column(Text)
    auth_valid_until: Mapped[date | None] = mapped_column(Date)
    bad_credit: Mapped[bool] = mapped_column(Boolean, default=False)
    answers: Mapped[str] = mapped_column(Text)  # JSON {question key: choice value}
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tickets.id"))
    window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[date | None] = mapped_column(Date)  # 办结期限 of the whole case
    deferral_due: Mapped[date | None] = mapped_column(Date)  # 容缺 materials due by
    calendar_source: Mapped[str | None] = mapped_column(String(16))
    concluded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    results: Mapped[str | None] = mapped_column(Text)  # JSON {item code: result}
    # 免证办: when the applicant agreed that the materials shared data replaces are fetched
    # for this case (None: not asked or refused; then they are handed in on paper).
    share_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # 网办件: an application the citizen made online and the hall pulled from the platform
    # ("online"; None: at the hall, walk-in or by appointment as its ticket says).
    channel: Mapped[str | None] = mapped_column(String(12))
    online_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, index=True, unique=True
    )  # the platform's id
    online_mode: Mapped[str | None] = mapped_column(String(8))  # online (全程网办) | pickup
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # by the platform


class CaseMaterial(Base):
    """A material of the case's checklist and what happened to it at the window."""

    __tablename__ = "case_materials"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    material_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    required: Mapped[bool] = mapped_column(Boolean)
    key: Mapped[bool] = mapped_column(Boolean)
    # missing | original | copy | verified (from shared data) | deferred
    status: Mapped[str] = mapped_column(String(12))
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why it is missing, as staff recorded it at a 容缺 or 一次性告知 decision (free text).
    missing_reason: Mapped[str | None] = mapped_column(Text)


class CaseEvent(Base):
    """Append-only: every change of a case."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(EventId, primary_key=True, autoincrement=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    detail: Mapped[str | None] = mapped_column(Text)


class Evaluation(Base):
    """好差评: one per on-site visit (a unique case id)."""

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), unique=True)
    level: Mapped[int] = mapped_column(Integer)  # 5 非常满意 ... 1 非常不满意
    dimensions: Mapped[str | None] = mapped_column(Text)  # JSON of the four offline dimensions
    comment: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(16))  # window | qr
    evaluator: Mapped[str | None] = mapped_column(String(100))  # None: anonymous
    window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    negative: Mapped[bool] = mapped_column(Boolean)
    follow_up_due: Mapped[date | None] = mapped_column(Date)
    followed_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SyncOutbox(Base):
    """A concluded case waiting for (or acknowledged by) the central backend."""

    __tablename__ = "sync_outbox"

    id: Mapped[int] = mapped_column(EventId, primary_key=True, autoincrement=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), unique=True)
    payload: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(8))  # pending | sent | dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_sync_outbox_state_next", "state", "next_attempt_at"),)


class CaseFile(Base):
    """A material scanned or photographed into the case (one PDF per attach), sealed at rest;
    sent to the platform after the case (``delivered_at``) and purged with its personal data."""

    __tablename__ = "case_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    material_code: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)  # bytes of the PDF (before sealing)
    sha256: Mapped[str] = mapped_column(String(64))  # of the PDF: the platform checks it
    source: Mapped[str] = mapped_column(String(12))  # camera | scanner | file
    content: Mapped[bytes | None] = mapped_column(LargeBinary)  # None once purged
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Delivery (desk_app.sync.files_sync): failed runs in a row and when to try next (backoff
    # kept across restarts), the platform's refusals in a row, the last reason, the dead letter
    # (refused for good: a person settles it), the last check of the platform's copy.
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    refusals: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    dead_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
