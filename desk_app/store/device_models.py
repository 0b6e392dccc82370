"""The hall's devices (per PC) and the visitor's evaluation requests (the pad at a window).

A device row is what an admin configured (``device add``) and the state its runner last saw:
a fault shows on the supervisor's alerts whichever PC it happened on. An evaluation request is
the counter inviting the visitor to rate a concluded case on the pad facing them: the pad
shows it while it is pending, and only a pending request can be rated (once).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from desk_app.store.base import Base
from desk_app.store.types import UTCDateTime


class Device(Base):
    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(200))
    window: Mapped[int | None] = mapped_column(Integer)  # window number, for pads and strips
    pc: Mapped[str] = mapped_column(String(64))  # the host the device hangs on
    options: Mapped[str] = mapped_column(Text, default="{}")  # JSON object
    state: Mapped[str] = mapped_column(String(16), default="unknown")  # unknown | ok | fault
    detail: Mapped[str] = mapped_column(Text, default="")
    state_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class EvaluationRequest(Base):
    __tablename__ = "evaluation_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("windows.id"), index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # pending -> rated | expired | withdrawn (a newer request at the same window replaces it)
    state: Mapped[str] = mapped_column(String(12), default="pending")


class DeviceToken(Base):
    """A device's credential (security/device_tokens.py): only its SHA-256 is kept."""

    __tablename__ = "device_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # window | kiosk | display
    window: Mapped[int | None] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(32))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
