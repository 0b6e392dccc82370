"""The opening calendar and appointments (预约): sessions, bookings, slot counters, blocks,
blackouts. Personal data of a booking is sealed like a case's (``appointments.<column>``)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from desk_app.store.base import Base
from desk_app.store.types import UTCDateTime


class CalendarSession(Base):
    """An opening session: regular hours, or an extended one (midday, evening, Saturday,
    special date). ``weekdays`` is a Monday=bit 0 mask; ``on_date`` a single date instead."""

    __tablename__ = "calendar_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    days: Mapped[str] = mapped_column(String(64))  # as given: mon-fri, sat, tue,thu, 2026-12-24
    weekdays: Mapped[int | None] = mapped_column(Integer)
    on_date: Mapped[date | None] = mapped_column(Date)
    start_min: Mapped[int] = mapped_column(Integer)  # minutes after local midnight
    end_min: Mapped[int] = mapped_column(Integer)
    services: Mapped[str] = mapped_column(Text, default="")  # comma-separated codes; "" = all
    windows: Mapped[str] = mapped_column(Text, default="")  # comma-separated numbers; "" = all
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SlotCount(Base):
    """Places taken in one slot, per channel: the counter row a booking increments in its own
    transaction (the last place cannot be sold twice, as ticket numbers cannot)."""

    __tablename__ = "appointment_slot_counts"

    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    start_min: Mapped[int] = mapped_column(Integer, primary_key=True)
    booked_hall: Mapped[int] = mapped_column(Integer, default=0)
    booked_online: Mapped[int] = mapped_column(Integer, default=0)


class Appointment(Base):
    __tablename__ = "appointments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    day: Mapped[date] = mapped_column(Date)
    start_min: Mapped[int] = mapped_column(Integer)
    end_min: Mapped[int] = mapped_column(Integer)
    slot_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the slot's start instant
    state: Mapped[str] = mapped_column(String(12))  # booked|checked_in|cancelled|no_show
    channel: Mapped[str] = mapped_column(String(8))  # hall | online
    name: Mapped[str] = mapped_column(Text)  # sealed
    id_no: Mapped[str] = mapped_column(Text)  # sealed
    phone: Mapped[str | None] = mapped_column(Text)  # sealed
    person_lookup: Mapped[str] = mapped_column(String(64))  # keyed hash of the ID number
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(String(32))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    no_show_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The central backend's booking id (online bookings): pulling twice inserts once.
    online_ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Check-in / no-show reported back to the central backend (online bookings).
    outcome_sent: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        # One booking per person per day, enforced by the database (two desks racing lose one).
        Index(
            "uq_appointments_person_day",
            "person_lookup",
            "day",
            unique=True,
            info={"where": "state IN ('booked', 'checked_in')"},  # partial (see models.py)
        ),
        Index("ix_appointments_day_service", "day", "service_id"),
        Index("ix_appointments_state_slot", "state", "slot_at"),
        Index("ix_appointments_person", "person_lookup"),
    )


class AppointmentBlock(Base):
    """No new bookings for a person (repeated no-shows) until ``blocked_until`` or lifted."""

    __tablename__ = "appointment_blocks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_lookup: Mapped[str] = mapped_column(String(64), index=True)
    blocked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    blocked_until: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lifted_by: Mapped[str | None] = mapped_column(String(32))
    lift_reason: Mapped[str | None] = mapped_column(Text)


class Blackout(Base):
    """A period without new bookings (a system outage, a staff meeting); existing bookings in it
    stay and are listed for phone calls."""

    __tablename__ = "appointment_blackouts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    from_at: Mapped[datetime] = mapped_column(UTCDateTime)
    to_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(String(32))
