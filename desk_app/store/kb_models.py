"""Tables of the knowledge base's use: the questions asked and the entries that answered them.

The entries themselves are files under resources/kb (data, like the catalog). The question text
is stored with ID numbers, phones and other long digit runs masked (no personal data here).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desk_app.store.base import Base, EventId
from desk_app.store.types import UTCDateTime


class KbQuestion(Base):
    """One search: what was asked (masked), where, and the best entry found (none: unanswered)."""

    __tablename__ = "kb_questions"

    id: Mapped[int] = mapped_column(EventId, primary_key=True, autoincrement=True)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    text: Mapped[str] = mapped_column(Text)
    bundle: Mapped[str | None] = mapped_column(String(64))  # the bundle searched within
    channel: Mapped[str] = mapped_column(String(16))  # cli, counter, kiosk, helper
    actor: Mapped[str | None] = mapped_column(String(32))  # staff code; None for a kiosk
    hits: Mapped[int] = mapped_column(Integer)
    entry_id: Mapped[str | None] = mapped_column(String(64))
    score: Mapped[float | None] = mapped_column(Float)

    __table_args__ = (Index("ix_kb_questions_unanswered", "hits", "asked_at"),)


class KbAnswer(Base):
    """An entry a person opened as the answer to a question (append-only)."""

    __tablename__ = "kb_answers"

    id: Mapped[int] = mapped_column(EventId, primary_key=True, autoincrement=True)
    question_id: Mapped[int] = mapped_column(EventId, ForeignKey("kb_questions.id"), index=True)
    entry_id: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str | None] = mapped_column(String(32))
