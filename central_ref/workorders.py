"""12345 work orders (工单): the platform's 12345 desk dispatches a citizen's consultation,
complaint or suggestion about a 一件事 to a hall; the hall signs it, replies by the deadline or
returns one that is not its own, and the platform takes one answer.

- ``POST /api/v1/workorders`` (auditor token: the 12345 desk): dispatch to a hall; 201 ``{"id",
  "number", "dispatched_at"}``, the number ``12345-YYYYMMDD-NNNN`` counted per (Asia/Shanghai)
  day. ``central-ref workorder-dispatch`` does the same from the command line.
- ``GET /api/v1/workorders?after=SEQ&limit=N`` (workstation token): the hall's work orders with
  ``seq > after``, oldest first; ``next`` as in appointments.
- ``POST /api/v1/workorders/{id}/events`` (workstation token): ``sign``, ``reply`` (with text) or
  ``return`` (with a reason), one numbered report of the hall (online.py): recorded once per
  (work order, seq). Once replied or returned, another reply or return (a new seq) is 409
  ``conflict``: the platform takes one answer. Signing is always recorded.
- ``GET /api/v1/workorders/{id}`` (auditor token): the work order's state and every report.

The text, the citizen and the hall's texts are sealed at rest (sealing.py) with the work order's
id as context. Logs name the number, the kind, the hall and the action only.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, Path, Query, Request, Security
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer
from pydantic import AfterValidator, BaseModel, Field, ValidationError, model_validator
from sqlalchemy import JSON, Date, ForeignKey, Integer, MetaData, String, Text, select
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from central_ref.clock import HALL_TZ, now
from central_ref.models import BIG_ID, NAMING_CONVENTION, UtcDateTime
from central_ref.online import (
    CODE,
    ERRORS,
    HALL,
    MOBILE,
    RecordedOut,
    auditor_only,
    aware,
    error,
    hall_of,
    page,
    principal_of,
    printable,
)
from central_ref.rules import format_utc
from central_ref.store import Store

log = logging.getLogger("central_ref.workorders")

ANSWERS = ("replied", "returned")


class _Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Workorder(_Base):
    __tablename__ = "workorders"

    seq: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)  # the cursor
    id: Mapped[str] = mapped_column(String(36), unique=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    hall: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    bundle: Mapped[str | None] = mapped_column(String(64))
    # {"text", "citizen": {"name", "phone"}} sealed with "workorder:" + id as context.
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    deadline: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(12))  # dispatched | signed | replied | returned
    dispatched_at: Mapped[datetime] = mapped_column(UtcDateTime)


class WorkorderDay(_Base):
    """The day's counter of work order numbers."""

    __tablename__ = "workorder_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class WorkorderEvent(_Base):
    __tablename__ = "workorder_events"
    __table_args__ = (Unique("workorder", "seq"),)

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)
    workorder: Mapped[int] = mapped_column(ForeignKey("workorders.seq"))
    seq: Mapped[int] = mapped_column(BIG_ID)  # the hall's number of the report
    action: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    text: Mapped[str | None] = mapped_column(Text)  # sealed: event_context()
    reason: Mapped[str | None] = mapped_column(Text)  # sealed: event_context()
    workstation: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


def create_tables(store: Store) -> None:
    _Base.metadata.create_all(store.engine)


def content_context(wo_id: str) -> str:
    return f"workorder:{wo_id}"


def event_context(wo_id: str, seq: int) -> str:
    return f"workorder:{wo_id}:event:{seq}"


# -- request and response models --------------------------------------------------------------


class CitizenIn(BaseModel):
    name: Annotated[str, Field(max_length=100), AfterValidator(printable)] | None = None
    phone: str | None = Field(default=None, pattern=MOBILE)


class WorkorderIn(BaseModel):
    hall: str = Field(pattern=HALL, description="The hall (a workstation token's scope).")
    kind: Literal["consult", "complaint", "suggestion"]
    bundle: str | None = Field(default=None, pattern=CODE)
    text: Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(printable)]
    citizen: CitizenIn = Field(default_factory=CitizenIn)
    deadline: date = Field(description="The reply is due by the end of this (local) day.")


class DispatchedOut(BaseModel):
    id: str
    number: str = Field(description="`12345-YYYYMMDD-NNNN`, counted per day.")
    dispatched_at: str


class EventIn(BaseModel):
    seq: int = Field(ge=1, le=2**62, description="The hall's number of this report.")
    action: Literal["sign", "reply", "return"]
    at: datetime
    text: Annotated[str, Field(max_length=4000), AfterValidator(printable)] | None = None
    reason: Annotated[str, Field(max_length=500), AfterValidator(printable)] | None = None

    @model_validator(mode="after")
    def complete(self) -> EventIn:
        if self.action == "reply" and not self.text:
            raise ValueError("a reply needs its text")
        if self.action == "return" and not self.reason:
            raise ValueError("a return needs its reason")
        return self


class WorkorderOut(BaseModel):
    seq: int
    id: str
    number: str
    kind: str
    bundle: str | None
    text: str
    citizen: dict[str, str | None]
    deadline: date
    dispatched_at: str


class WorkordersOut(BaseModel):
    workorders: list[WorkorderOut]
    next: int | None


class WorkorderEventOut(BaseModel):
    seq: int
    action: str
    at: str
    text: str | None
    reason: str | None


class WorkorderStateOut(BaseModel):
    id: str
    number: str
    hall: str
    kind: str
    state: Literal["dispatched", "signed", "replied", "returned"]
    events: list[WorkorderEventOut]


# -- dispatching ------------------------------------------------------------------------------


def dispatch(store: Store, body: WorkorderIn) -> dict[str, str]:
    """Store a work order for its hall; the 201 answer's body."""
    wo_id, at = str(uuid.uuid4()), now()
    day = at.astimezone(HALL_TZ).date()
    content = {"text": body.text, "citizen": body.citizen.model_dump()}
    sealed = store.sealer.seal_json(content, content_context(wo_id))
    insert = postgresql.insert if store.dialect == "postgresql" else sqlite.insert

    def work(s: Session) -> str:
        counted = (
            insert(WorkorderDay)
            .values(day=day, last=1)
            .on_conflict_do_update(index_elements=["day"], set_={"last": WorkorderDay.last + 1})
            .returning(WorkorderDay.last)
        )
        number = f"12345-{day:%Y%m%d}-{s.execute(counted).scalar_one():04d}"
        s.add(
            Workorder(
                id=wo_id,
                number=number,
                hall=body.hall,
                kind=body.kind,
                bundle=body.bundle,
                content=sealed,
                deadline=body.deadline,
                state="dispatched",
                dispatched_at=at,
            )
        )
        return number

    number = store.write(work)
    log.info("work order %s (%s) dispatched to %s", number, body.kind, body.hall)
    return {"id": wo_id, "number": number, "dispatched_at": format_utc(at)}


def dispatch_fields(store: Store, fields: dict[str, Any]) -> dict[str, str]:
    """Check and dispatch (the command line): ValueError says where and what, not the input."""
    create_tables(store)
    try:
        body = WorkorderIn.model_validate(fields)
    except ValidationError as exc:
        raise ValueError("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                   for e in exc.errors())) from None  # fmt: skip
    return dispatch(store, body)


def _event_json(wo_id: str, e: WorkorderEvent, sealer: Any) -> dict[str, Any]:
    context = event_context(wo_id, e.seq)
    return {
        "seq": e.seq,
        "action": e.action,
        "at": format_utc(e.at),
        "text": sealer.open_text(e.text, context),
        "reason": sealer.open_text(e.reason, context),
    }


def _hall_json(w: Workorder, sealer: Any) -> dict[str, Any]:
    content = sealer.open_json(w.content, content_context(w.id))
    return {
        "seq": w.seq,
        "id": w.id,
        "number": w.number,
        "kind": w.kind,
        "bundle": w.bundle,
        "text": content["text"],
        "citizen": content["citizen"],
        "deadline": w.deadline.isoformat(),
        "dispatched_at": format_utc(w.dispatched_at),
    }


def add_workorder_routes(api: FastAPI, store: Store) -> None:
    """Create the tables (if missing) and add the routes above to ``api``."""
    create_tables(store)
    bearer = HTTPBearer(
        auto_error=False, scheme_name="WorkstationToken", description="One token per workstation."
    )
    router = APIRouter(
        prefix="/api/v1/workorders",
        tags=["12345 work orders"],
        dependencies=[Security(bearer)],
        responses=ERRORS,
    )

    @router.post("", status_code=201, response_model=DispatchedOut, summary="Dispatch (auditor)")
    def post_workorder(request: Request, body: WorkorderIn) -> Any:
        """The platform's 12345 desk dispatches a work order to a hall."""
        refused = auditor_only(request)
        if refused is not None:
            return refused
        return JSONResponse(dispatch(store, body), 201)

    @router.get("", response_model=WorkordersOut, summary="The hall's work orders after a seq")
    def list_workorders(
        request: Request,
        after: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> Any:
        """Oldest first; page with ``after=next`` until ``next`` is null."""
        hall = hall_of(request)
        if isinstance(hall, JSONResponse):
            return hall
        with store.read() as s:
            rows = s.scalars(
                select(Workorder)
                .where(Workorder.hall == hall, Workorder.seq > after)
                .order_by(Workorder.seq)
                .limit(limit)
            ).all()
            items = [_hall_json(w, store.sealer) for w in rows]
        return {"workorders": items, "next": page(list(rows), limit)}

    @router.get("/{wo_id}", response_model=WorkorderStateOut, summary="State and reports (auditor)")
    def get_workorder(request: Request, wo_id: Annotated[str, Path()]) -> Any:
        refused = auditor_only(request)
        if refused is not None:
            return refused
        with store.read() as s:
            w = s.scalars(select(Workorder).where(Workorder.id == wo_id)).first()
            if w is None:
                return error(404, "not_found", "no such work order")
            events = s.scalars(
                select(WorkorderEvent)
                .where(WorkorderEvent.workorder == w.seq)
                .order_by(WorkorderEvent.seq)
            ).all()
            return {
                "id": w.id,
                "number": w.number,
                "hall": w.hall,
                "kind": w.kind,
                "state": w.state,
                "events": [_event_json(w.id, e, store.sealer) for e in events],
            }

    @router.post(
        "/{wo_id}/events",
        response_model=RecordedOut,
        responses={409: {"description": "`conflict`: already replied or returned."}},
        summary="Sign, reply or return",
    )
    def post_event(request: Request, wo_id: Annotated[str, Path()], body: EventIn) -> Any:
        """Recorded once per (work order, seq): a repeat answers ``recorded: false``."""
        hall = hall_of(request)
        if isinstance(hall, JSONResponse):
            return hall
        workstation = principal_of(request).name

        def work(s: Session) -> Any:
            w = s.scalars(
                select(Workorder)
                .where(Workorder.id == wo_id, Workorder.hall == hall)
                .with_for_update()
            ).first()
            if w is None:
                return error(404, "not_found", "no such work order of this hall")
            seen = s.scalars(
                select(WorkorderEvent.id).where(
                    WorkorderEvent.workorder == w.seq, WorkorderEvent.seq == body.seq
                )
            ).first()
            if seen is not None:
                return {"recorded": False}
            if body.action != "sign" and w.state in ANSWERS:
                return error(409, "conflict", f"the work order was {w.state} before")
            context = event_context(w.id, body.seq)
            s.add(
                WorkorderEvent(
                    workorder=w.seq,
                    seq=body.seq,
                    action=body.action,
                    at=aware(body.at),
                    text=store.sealer.seal_text(body.text, context),
                    reason=store.sealer.seal_text(body.reason, context),
                    workstation=workstation,
                    recorded_at=now(),
                )
            )
            if body.action != "sign":
                w.state = "replied" if body.action == "reply" else "returned"
            elif w.state == "dispatched":
                w.state = "signed"
            return {"recorded": True}

        result = store.write(work)
        if result == {"recorded": True}:
            log.info("work order %s: %s by %s", wo_id, body.action, workstation)
        return result

    api.include_router(router)
