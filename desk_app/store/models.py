"""The hall's tables (SQLAlchemy 2 typed models). Schema changes go through Alembic migrations."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk_app.store.base import NAMING as NAMING
from desk_app.store.base import Base as Base
from desk_app.store.base import EventId as EventId
from desk_app.store.types import UTCDateTime


class Service(Base):
    """A service the hall queues for (usually one 一件事 bundle), with its ticket prefix."""

    __tablename__ = "services"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(4), unique=True)
    daily_cap: Mapped[int | None] = mapped_column(Integer)
    # Used for the waiting estimate until enough tickets of the service have been served.
    default_service_s: Mapped[int] = mapped_column(Integer, default=600)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Appointment slots: length in minutes and places per slot (None: the hall's defaults).
    slot_minutes: Mapped[int | None] = mapped_column(Integer)
    slot_capacity: Mapped[int | None] = mapped_column(Integer)


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16), default="counter")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # argon2 hash; None until a password is set (such an account cannot log in).
    password_hash: Mapped[str | None] = mapped_column(Text)
    # A temporary password (made by an admin) must be changed at the first login.
    must_change: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)  # by an admin, until unlocked
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)  # after failed log-ins
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Window(Base):
    """A counter window; serves its services in order under a calling rule."""

    __tablename__ = "windows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str | None] = mapped_column(String(100))
    calling_rule: Mapped[str] = mapped_column(String(32), default="arrival:2/1")

    services: Mapped[list[WindowService]] = relationship(
        order_by="WindowService.position", cascade="all, delete-orphan"
    )


class WindowService(Base):
    __tablename__ = "window_services"

    window_id: Mapped[int] = mapped_column(ForeignKey("windows.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class WindowSession(Base):
    """A staff member's sitting at a window. At most one open session per window (unique index)."""

    __tablename__ = "window_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("windows.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Position in the priority/normal cycle of the window's calling rule.
    cycle_pos: Mapped[int] = mapped_column(Integer, default=0)
    # Position in the appointment/walk-in cycle (the rule's appointment ratio).
    appt_cycle_pos: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (
        Index(
            "uq_window_sessions_open",
            "window_id",
            unique=True,
            info={"where": "closed_at IS NULL"},
        ),
        # One staff member sits at one window at a time: a constraint, not a SELECT, so two
        # log-ins racing on PostgreSQL cannot both win.
        Index(
            "uq_window_sessions_staff_open",
            "staff_id",
            unique=True,
            info={"where": "closed_at IS NULL"},
        ),
        # The statistics read the window sittings of a period by time: those still open and
        # those closed after the period began (migration 0020).
        Index("ix_window_sessions_opened_at", "opened_at"),
        Index("ix_window_sessions_closed_at", "closed_at"),
    )


class TicketCounter(Base):
    """Per-(service, day) ticket counter: numbers come from here, never from max()+1 or count()."""

    __tablename__ = "ticket_counters"

    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class Ticket(Base):
    __tablename__ = "tickets"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    # The service the number was issued under; a transfer changes service_id, never the number.
    issued_service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    day: Mapped[date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(12))
    priority: Mapped[str | None] = mapped_column(String(16))
    is_priority: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(12))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Queue position key: issue time, kept on transfer; reset when a no-show re-queues.
    arrival_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    service_seconds: Mapped[int | None] = mapped_column(Integer)
    # The window that has the ticket (called/serving/held), or that it was transferred to.
    window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"))
    # Set by a transfer to a window: only that window may call the ticket.
    target_window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"))
    recall_count: Mapped[int] = mapped_column(Integer, default=0)
    # A checked-in appointment (预约签到): its own calling class, ordered by the slot's start.
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    slot_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("issued_service_id", "day", "seq", name="uq_tickets_service_day_seq"),
        # The live queue is tiny next to the history; partial indexes keep calls fast at
        # millions of tickets.
        Index(
            "ix_tickets_waiting",
            "service_id",
            "is_priority",
            "arrival_at",
            info={"where": "state = 'waiting'"},
        ),
        # The calling classes "call next" probes for (migration 0009): checked-in appointments
        # by slot, and tickets transferred to a window.
        Index(
            "ix_tickets_waiting_appt",
            "service_id",
            "slot_at",
            "arrival_at",
            info={"where": "state = 'waiting' AND appointment_id IS NOT NULL"},
        ),
        Index(
            "ix_tickets_waiting_target",
            "target_window_id",
            "arrival_at",
            info={"where": "state = 'waiting' AND target_window_id IS NOT NULL"},
        ),
        # State first: "who is at window 5", "what is held", "what is being served" all seek
        # into the few live rows. On PostgreSQL it leaves the waiting tickets to the partial
        # indexes above, so a query for them can't be planned through this one when the
        # statistics are older than the morning's queue (migration 0022); SQLite can't use a
        # partial index unless the query repeats its WHERE exactly, so there it is plain.
        Index(
            "ix_tickets_state_window",
            "state",
            "window_id",
            info={"where_postgresql": "state <> 'waiting'"},
        ),
        # Walk-ins and priority tickets in calling order, for the claim of "call next": the
        # first of the window's services, no sort of the queue (migration 0022). "seq IS NOT
        # NULL" is always true; only the claims say it, so nothing else is planned here.
        Index(
            "ix_tickets_walkin_order",
            "arrival_at",
            "seq",
            info={
                "where_postgresql": "state = 'waiting' AND target_window_id IS NULL"
                " AND NOT is_priority AND appointment_id IS NULL AND seq IS NOT NULL",
                "where_sqlite": "state = 'waiting' AND target_window_id IS NULL"
                " AND is_priority = 0 AND appointment_id IS NULL AND seq IS NOT NULL",
            },
        ),
        Index(
            "ix_tickets_priority_order",
            "arrival_at",
            "seq",
            info={
                "where_postgresql": "state = 'waiting' AND target_window_id IS NULL"
                " AND is_priority AND seq IS NOT NULL",
                "where_sqlite": "state = 'waiting' AND target_window_id IS NULL"
                " AND is_priority = 1 AND seq IS NOT NULL",
            },
        ),
        Index("ix_tickets_service_completed", "service_id", "completed_at"),
        Index("ix_tickets_day", "day"),
    )


class TicketEvent(Base):
    """Append-only: every ticket transition (statistics and displays read these, by id)."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(EventId, primary_key=True, autoincrement=True)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tickets.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str | None] = mapped_column(String(12))
    to_state: Mapped[str] = mapped_column(String(12))
    window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    detail: Mapped[str | None] = mapped_column(Text)


class WindowEvent(Base):
    """Append-only: window open, pause, resume, close."""

    __tablename__ = "window_events"

    id: Mapped[int] = mapped_column(EventId, primary_key=True, autoincrement=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("windows.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    action: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class Setting(Base):
    """Hall-wide settings shared by every workstation (hall name, recall limit, ...)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# The case tables live in their own module; importing it here registers them on Base.metadata
# for Alembic and for anyone who imports the models.
from desk_app.store import (  # noqa: E402, F401
    appointment_models,
    assist_models,
    case_models,
    catalog_models,
    device_models,
    identity_models,
    kb_models,
    online_models,
    share_models,
    stats_models,
    supervision_models,
)
