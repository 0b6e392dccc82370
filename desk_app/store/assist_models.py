"""Tables of 帮办代办: the helper's sessions, their authorizations (授权委托书), the steps of the
timeline, the tickets and cases they are linked to, their events, and the pain points (堵点)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desk_app.store.base import Base, EventId
from desk_app.store.types import UTCDateTime


class AssistSession(Base):
    """One visitor helped by one helper (帮办, 代办 or 走流程), on site, at home or by video."""

    __tablename__ = "assist_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mode: Mapped[str] = mapped_column(String(16))  # accompany | proxy | walkthrough
    channel: Mapped[str] = mapped_column(String(8))  # site | home | video
    state: Mapped[str] = mapped_column(String(16), index=True)
    bundle_code: Mapped[str | None] = mapped_column(String(64))
    # Personal data, sealed like a case applicant's ("assist_sessions.<column>").
    visitor_name: Mapped[str] = mapped_column(Text)
    visitor_id_no: Mapped[str] = mapped_column(Text)
    visitor_lookup: Mapped[str | None] = mapped_column(String(64), index=True)
    helper_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tickets.id"))
    # The appointment the visitor booked, by its code (the appointment tables are not ours).
    appointment_code: Mapped[str | None] = mapped_column(String(32))
    day: Mapped[date] = mapped_column(Date, index=True)  # the hall's day it started
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(Text)


class AssistAuthorization(Base):
    """授权委托书 of a 代办 session: the principal, the agent, the items covered, valid until.
    The latest one of a session is the one in force."""

    __tablename__ = "assist_authorizations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("assist_sessions.id"), index=True)
    principal_name: Mapped[str] = mapped_column(Text)
    principal_id_no: Mapped[str] = mapped_column(Text)
    principal_lookup: Mapped[str | None] = mapped_column(String(64), index=True)
    agent_name: Mapped[str | None] = mapped_column(Text)  # None: the helper (staff) acts
    agent_id_no: Mapped[str | None] = mapped_column(Text)
    agent_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    items: Mapped[str] = mapped_column(Text)  # JSON list of the bundle's item codes
    valid_until: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AssistStep(Base):
    """One step of the timeline: where (a window or a department), what, when, what was handed
    over, how it ended; for 走流程 also whether it took a trip of its own (跑动)."""

    __tablename__ = "assist_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("assist_sessions.id"), index=True)
    window_number: Mapped[int | None] = mapped_column(Integer)
    department: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(Text)
    item_code: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime)
    minutes: Mapped[int] = mapped_column(Integer)
    materials: Mapped[str | None] = mapped_column(Text)  # JSON list of material names
    outcome: Mapped[str | None] = mapped_column(Text)
    trip: Mapped[bool] = mapped_column(Boolean, default=False)
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tickets.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class AssistLink(Base):
    """A ticket or a case the session produced or used (exactly one of the two is set)."""

    __tablename__ = "assist_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("assist_sessions.id"), index=True)
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tickets.id"))
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class AssistEvent(Base):
    """Append-only: every change of a session (who, when, from-state, to-state)."""

    __tablename__ = "assist_events"

    id: Mapped[int] = mapped_column(EventId, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("assist_sessions.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    detail: Mapped[str | None] = mapped_column(Text)


class PainPoint(Base):
    """堵点: a blockage met on the way, to be fixed by its owner department by a due date."""

    __tablename__ = "pain_points"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("assist_sessions.id"))
    category: Mapped[str] = mapped_column(String(16), index=True)
    bundle_code: Mapped[str] = mapped_column(String(64))
    item_code: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(200))  # the owner department
    state: Mapped[str] = mapped_column(String(16), index=True)
    due: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)  # how it was resolved, or the explanation


class PainEvent(Base):
    """Append-only: every change of a pain point."""

    __tablename__ = "pain_events"

    id: Mapped[int] = mapped_column(EventId, primary_key=True, autoincrement=True)
    pain_id: Mapped[int] = mapped_column(ForeignKey("pain_points.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    detail: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_pain_events_at", "at"),)
