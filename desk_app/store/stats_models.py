"""The statistics rollup (docs/statistics.md, "The rollup"): per closed hall day, or per month,
quarter or year of such days, and per grouping key, the counts, the exact wait and service-time
histograms (desk_app/domain/histogram.py) and the window time, so a summary over years merges a
few dozen rows per key instead of reading millions of tickets."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from desk_app.store.base import Base
from desk_app.store.types import UTCDateTime


class StatsRollup(Base):
    """One group's figures over one span: ``level`` "d" (the hall day ``day``), "m", "q" or "y"
    (the month, quarter or year starting on ``day``). ``dim`` is a grouping (service, window, staff, hour, weekday, session,
    channel, day, "all", or "chour": tickets served by hour of completion) and ``key`` its key
    as text: ids for service, window and staff (named when read), "" for none."""

    __tablename__ = "stats_rollup"

    level: Mapped[str] = mapped_column(String(1), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    dim: Mapped[str] = mapped_column(String(8), primary_key=True)
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    arrivals: Mapped[int] = mapped_column(Integer, default=0)
    called: Mapped[int] = mapped_column(Integer, default=0)
    served: Mapped[int] = mapped_column(Integer, default=0)
    no_shows: Mapped[int] = mapped_column(Integer, default=0)
    wait_hist: Mapped[bytes | None] = mapped_column(LargeBinary)
    service_hist: Mapped[bytes | None] = mapped_column(LargeBinary)
    sittings: Mapped[int] = mapped_column(Integer, default=0)  # window sittings (window, staff)
    session_s: Mapped[int] = mapped_column(Integer, default=0)
    serving_s: Mapped[int] = mapped_column(Integer, default=0)
    paused_s: Mapped[int] = mapped_column(Integer, default=0)
    idle_s: Mapped[int] = mapped_column(Integer, default=0)


class StatsSpan(Base):
    """A span rolled up: the day or month (``level``, ``day``) whose rows are in stats_rollup,
    against the opening calendar read then (``calendar``, a digest: the session kinds)."""

    __tablename__ = "stats_spans"

    level: Mapped[str] = mapped_column(String(1), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    calendar: Mapped[str] = mapped_column(String(16))
    rolled_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StatsDirty(Base):
    """A rolled-up day whose tickets changed since (a ticket finished after midnight, ...):
    written by a trigger on ticket_events (migration 0015), cleared when the day is rolled
    again."""

    __tablename__ = "stats_dirty"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
