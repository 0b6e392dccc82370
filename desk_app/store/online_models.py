"""Tables of 线上线下融合: the state reports of online applications (网办件) owed to the
platform, and the 12345 work orders (工单) with what the hall did about them."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from desk_app.store.base import Base, EventId
from desk_app.store.types import UTCDateTime


class OnlineReport(Base):
    """One state of an online case to report to the platform (``seq`` per case, from 1): written
    in the transaction that changed the case, sent once (the platform keeps the first report of
    a seq), ``sent_at`` set when it answered."""

    __tablename__ = "online_reports"

    id: Mapped[int] = mapped_column(EventId, primary_key=True, autoincrement=True)
    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    # received | accepted | notice | rejected | deferred | concluded | pickup_booked
    state: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    detail: Mapped[str | None] = mapped_column(Text)  # JSON {"reason", "missing", "pickup"}
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("case_id", "seq"),
        Index("ix_online_reports_unsent", "sent_at", "id"),
    )


class WorkOrder(Base):
    """A 12345 work order the platform dispatched to the hall. The citizen's text and contact
    and the hall's reply are personal data: sealed, purged after the retention period."""

    __tablename__ = "work_orders"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)  # the platform's id
    number: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(12))  # consult | complaint | suggestion
    bundle: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)  # sealed
    citizen_name: Mapped[str | None] = mapped_column(Text)  # sealed
    citizen_phone: Mapped[str | None] = mapped_column(Text)  # sealed
    deadline: Mapped[date] = mapped_column(Date)  # reply by the end of this day
    dispatched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    sign_due: Mapped[datetime] = mapped_column(UTCDateTime)  # 2 working hours after arrival
    state: Mapped[str] = mapped_column(String(12), index=True)  # received|signed|replied|returned
    assigned_to: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reply: Mapped[str | None] = mapped_column(Text)  # sealed
    return_reason: Mapped[str | None] = mapped_column(Text)
    kb_entry: Mapped[str | None] = mapped_column(String(64))  # the answer the reply used/made
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WorkOrderEvent(Base):
    """sign / reply / return of a work order, owed to the platform until ``sent_at``."""

    __tablename__ = "work_order_events"

    id: Mapped[int] = mapped_column(EventId, primary_key=True, autoincrement=True)
    order_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("work_orders.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(8))  # sign | reply | return
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("order_id", "seq"),
        Index("ix_work_order_events_unsent", "sent_at", "id"),
    )
