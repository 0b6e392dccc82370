"""Tables of the supervisor's work: the follow-up of negative 好差评 ratings (with the appeal
against a rating, 申诉复核) and the acknowledgements of alerts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desk_app.store.base import Base
from desk_app.store.types import UTCDateTime


class FollowUp(Base):
    """What was done about one negative rating: the contact and its outcome (fixed or
    explained), and an appeal against the rating with the review's outcome."""

    __tablename__ = "evaluation_follow_ups"

    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id"), primary_key=True)
    contacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(16))  # fixed | explained
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    appeal_reason: Mapped[str | None] = mapped_column(Text)
    appealed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    appealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # upheld: the rating is set aside (not counted); rejected: it stands
    appeal_outcome: Mapped[str | None] = mapped_column(String(16))
    review_note: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AlertAck(Base):
    """A supervisor acknowledged an alert (by its stable key) with a note."""

    __tablename__ = "alert_acks"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    level: Mapped[int] = mapped_column(Integer, default=0)  # reserved: escalation step
