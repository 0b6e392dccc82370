"""Online appointments on the reference backend: the citizen books a hall's online places,
the hall publishes those places, pulls the new bookings and reports what became of them.

- ``PUT  /api/v1/appointments/quota`` (workstation token): the hall's online places per
  (service, date, start); the places already booked stay.
- ``GET  /api/v1/appointments/bookings?after=ID`` (workstation token): the hall's bookings with
  id > ``after``, oldest first, with the person's data (the hall seals it on arrival).
- ``POST /api/v1/appointments/outcomes`` (workstation token): checked_in / no_show /
  cancelled / rejected per booking code; ``rejected`` and ``cancelled`` free the place.
- ``GET  /api/v1/appointments/cancellations?after=ID`` (workstation token): bookings the
  citizens cancelled, oldest first.
- ``GET  /public/v1/halls/{hall}/slots?service=&date=``, ``POST
  /public/v1/halls/{hall}/bookings`` and ``POST .../bookings/{code}/cancel``: the citizen's
  side, without a token (real name: the resident ID is checked; one booking per person per day
  and hall; a full slot is a 409; the person cancels with the same ID number until
  ``CANCEL_HOURS`` before the slot).

A booking takes its place with one conditional UPDATE (``booked < capacity``), so two citizens
racing for the last place cannot both get it. Tables of their own on the store's engine.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Date, Integer, MetaData, String, Text, func, select, update
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from central_ref.auth import PRINCIPAL_KEY, Principal
from central_ref.clock import HALL_TZ
from central_ref.clock import now as _now
from central_ref.models import NAMING_CONVENTION, UtcDateTime
from central_ref.store import Store

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CANCEL_HOURS = 2
HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"
OUTCOMES = ("checked_in", "no_show", "cancelled", "rejected")


class _Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Quota(_Base):
    __tablename__ = "appt_quota"

    hall: Mapped[str] = mapped_column(String(64), primary_key=True)
    service: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    start: Mapped[str] = mapped_column(String(5), primary_key=True)
    end: Mapped[str] = mapped_column(String(5))
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, default=0)


class Booking(_Base):
    __tablename__ = "appt_bookings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    hall: Mapped[str] = mapped_column(String(64), index=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    service: Mapped[str] = mapped_column(String(32))
    day: Mapped[date] = mapped_column(Date)
    start: Mapped[str] = mapped_column(String(5))
    end: Mapped[str] = mapped_column(String(5))
    # Sealed at rest with the booking's code as context (central_ref.sealing).
    name: Mapped[str] = mapped_column(Text)
    id_no: Mapped[str] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)
    person: Mapped[str] = mapped_column(String(64), index=True)  # SHA-256 of the ID number
    state: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    outcome_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reason: Mapped[str | None] = mapped_column(String(300))


class Cancellation(_Base):
    """A citizen's cancellation, for the hall to pull (a change feed by increasing id)."""

    __tablename__ = "appt_cancellations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    hall: Mapped[str] = mapped_column(String(64), index=True)
    code: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime)


# -- request and response models --------------------------------------------------------------


class QuotaSlot(BaseModel):
    service: str = Field(min_length=1, max_length=32)
    date: date
    start: str = Field(pattern=HHMM)
    end: str = Field(pattern=HHMM)
    capacity: int = Field(ge=0, le=10_000)


class QuotaIn(BaseModel):
    slots: list[QuotaSlot] = Field(max_length=20_000)


class BookingIn(BaseModel):
    service: str = Field(min_length=1, max_length=32)
    date: date
    start: str = Field(pattern=HHMM)
    name: str = Field(min_length=1, max_length=200)
    id_no: str = Field(min_length=15, max_length=18)
    phone: str | None = Field(default=None, max_length=20)


class CancelIn(BaseModel):
    id_no: str = Field(min_length=15, max_length=18)


class OutcomeIn(BaseModel):
    code: str = Field(min_length=1, max_length=16)
    state: str = Field(pattern="^(checked_in|no_show|cancelled|rejected)$")
    reason: str | None = Field(default=None, max_length=300)


class OutcomesIn(BaseModel):
    outcomes: list[OutcomeIn] = Field(max_length=5_000)


def _error(status: int, code: str, detail: str) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail}, status)


def _hall(request: Request) -> str | JSONResponse:
    principal = request.scope.get(PRINCIPAL_KEY)
    if not isinstance(principal, Principal) or principal.auditor:
        return _error(403, "forbidden", "a hall workstation token is needed")
    return str(principal.scope)  # the hall (HALL/PC names: all PCs of the hall)


def _booking_json(b: Booking, sealer: Any) -> dict[str, Any]:
    context = f"booking:{b.code}"
    return {
        "id": b.id,
        "code": b.code,
        "service": b.service,
        "date": b.day.isoformat(),
        "start": b.start,
        "end": b.end,
        "name": sealer.open_text(b.name, context),
        "id_no": sealer.open_text(b.id_no, context),
        "phone": sealer.open_text(b.phone, context),
        "state": b.state,
        "created_at": b.created_at.astimezone(UTC).isoformat(),
    }


def add_appointment_routes(api: FastAPI, store: Store) -> None:
    """Create the tables (if missing) and add the routes above to ``api``."""
    _Base.metadata.create_all(store.engine)
    hall_api = APIRouter(prefix="/api/v1/appointments", tags=["appointments (hall)"])
    public = APIRouter(prefix="/public/v1/halls/{hall}", tags=["appointments (citizen)"])

    @hall_api.put("/quota", summary="Publish the hall's online places")
    def put_quota(request: Request, body: QuotaIn) -> Any:
        hall = _hall(request)
        if isinstance(hall, JSONResponse):
            return hall

        def work(s: Session) -> int:
            for q in body.slots:
                row = s.get(Quota, (hall, q.service, q.date, q.start))
                if row is None:
                    s.add(
                        Quota(
                            hall=hall,
                            service=q.service,
                            day=q.date,
                            start=q.start,
                            end=q.end,
                            capacity=q.capacity,
                            booked=0,
                        )
                    )
                else:
                    row.end, row.capacity = q.end, q.capacity
            return len(body.slots)

        return {"slots": store.write(work)}

    @hall_api.get("/bookings", summary="The hall's bookings after an id (oldest first)")
    def get_bookings(
        request: Request,
        after: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    ) -> Any:
        hall = _hall(request)
        if isinstance(hall, JSONResponse):
            return hall
        with store.read() as s:
            rows = s.scalars(
                select(Booking)
                .where(Booking.hall == hall, Booking.id > after)
                .order_by(Booking.id)
                .limit(limit)
            ).all()
            return {
                "bookings": [_booking_json(b, store.sealer) for b in rows],
                "next": rows[-1].id if len(rows) == limit else None,
            }

    @hall_api.post("/outcomes", summary="Check-ins, no-shows, cancellations, rejections")
    def post_outcomes(request: Request, body: OutcomesIn) -> Any:
        hall = _hall(request)
        if isinstance(hall, JSONResponse):
            return hall

        def work(s: Session) -> int:
            done = 0
            for o in body.outcomes:
                b = s.scalar(select(Booking).where(Booking.hall == hall, Booking.code == o.code))
                if b is None or b.state == o.state:
                    continue  # unknown, or reported before: idempotent
                if b.state == "booked" and o.state in ("cancelled", "rejected"):
                    s.execute(
                        update(Quota)
                        .where(
                            Quota.hall == hall,
                            Quota.service == b.service,
                            Quota.day == b.day,
                            Quota.start == b.start,
                            Quota.booked > 0,
                        )
                        .values(booked=Quota.booked - 1)
                    )
                b.state, b.outcome_at, b.reason = o.state, _now(), o.reason
                done += 1
            return done

        return {"updated": store.write(work)}

    @hall_api.get("/cancellations", summary="Bookings the citizens cancelled after an id")
    def get_cancellations(
        request: Request,
        after: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    ) -> Any:
        hall = _hall(request)
        if isinstance(hall, JSONResponse):
            return hall
        with store.read() as s:
            rows = s.scalars(
                select(Cancellation)
                .where(Cancellation.hall == hall, Cancellation.id > after)
                .order_by(Cancellation.id)
                .limit(limit)
            ).all()
            return {
                "cancellations": [{"id": c.id, "code": c.code} for c in rows],
                "next": rows[-1].id if len(rows) == limit else None,
            }

    @public.post("/bookings/{code}/cancel", summary="The person cancels (until 2 h before)")
    def public_cancel(
        hall: Annotated[str, Path(max_length=64)],
        code: Annotated[str, Path(max_length=16)],
        body: CancelIn,
    ) -> Any:
        person = hashlib.sha256(body.id_no.strip().upper().encode()).hexdigest()

        def work(s: Session) -> Any:
            b = s.scalar(
                select(Booking).where(
                    Booking.hall == hall, Booking.code == code.upper(), Booking.person == person
                )
            )
            if b is None:
                return _error(404, "not_found", "no such booking for this ID number")
            if b.state != "booked":
                return _error(409, "not_booked", f"the booking is {b.state}")
            h, m = (int(x) for x in b.start.split(":"))
            starts = datetime.combine(b.day, time(h, m), tzinfo=HALL_TZ)
            if _now() > starts - timedelta(hours=CANCEL_HOURS):
                return _error(409, "too_late", f"cancel at least {CANCEL_HOURS} h before")
            s.execute(
                update(Quota)
                .where(
                    Quota.hall == hall,
                    Quota.service == b.service,
                    Quota.day == b.day,
                    Quota.start == b.start,
                    Quota.booked > 0,
                )
                .values(booked=Quota.booked - 1)
            )
            b.state, b.outcome_at = "cancelled", _now()
            s.add(Cancellation(hall=hall, code=b.code, at=_now()))
            return {"code": b.code, "state": "cancelled"}

        return store.write(work)

    @public.get("/slots", summary="A hall's online places of a service on a day")
    def public_slots(
        hall: Annotated[str, Path(max_length=64)],
        service: Annotated[str, Query(max_length=32)],
        date_: Annotated[date, Query(alias="date")],
    ) -> Any:
        with store.read() as s:
            rows = s.scalars(
                select(Quota)
                .where(Quota.hall == hall, Quota.service == service, Quota.day == date_)
                .order_by(Quota.start)
            ).all()
            return {
                "slots": [
                    {
                        "start": q.start,
                        "end": q.end,
                        "capacity": q.capacity,
                        "booked": q.booked,
                        "left": max(0, q.capacity - q.booked),
                    }
                    for q in rows
                ]
            }

    @public.post("/bookings", status_code=201, summary="Book an online place (real name)")
    def public_book(hall: Annotated[str, Path(max_length=64)], body: BookingIn) -> Any:
        try:
            id_no = ric.validate(body.id_no.strip().upper())
        except StdnumError:
            return _error(422, "invalid_id", "the resident ID number is not valid")
        person = hashlib.sha256(id_no.encode()).hexdigest()

        def work(s: Session) -> Any:
            quota = s.get(Quota, (hall, body.service, body.date, body.start))
            if quota is None:
                return _error(404, "no_slot", "no online places in that slot")
            same_day = s.scalar(
                select(func.count()).where(
                    Booking.hall == hall,
                    Booking.person == person,
                    Booking.day == body.date,
                    Booking.state.in_(("booked", "checked_in")),
                )
            )
            if same_day:
                return _error(409, "one_per_day", "one booking per person per day")
            taken = s.execute(
                update(Quota)
                .where(
                    Quota.hall == hall,
                    Quota.service == body.service,
                    Quota.day == body.date,
                    Quota.start == body.start,
                    Quota.booked < Quota.capacity,
                )
                .values(booked=Quota.booked + 1)
            ).rowcount
            if not taken:
                return _error(409, "full", "the slot is full")
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
            sealed = store.sealer
            b = Booking(
                hall=hall,
                code=code,
                service=body.service,
                day=body.date,
                start=body.start,
                end=quota.end,
                name=sealed.seal_text(body.name.strip(), f"booking:{code}"),
                id_no=sealed.seal_text(id_no, f"booking:{code}"),
                phone=sealed.seal_text(body.phone, f"booking:{code}"),
                person=person,
                state="booked",
                created_at=_now(),
            )
            s.add(b)
            s.flush()
            answer = _booking_json(b, store.sealer)
            return {k: answer[k] for k in ("code", "service", "date", "start", "end", "state")}

        result = store.write(work)
        return result if isinstance(result, JSONResponse) else JSONResponse(result, 201)

    api.include_router(hall_api)
    api.include_router(public)
