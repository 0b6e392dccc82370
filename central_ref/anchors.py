"""The halls' audit-chain heads, kept outside the halls.

A hall's audit trail is hash-chained, and its head row (last seq and hash) shows a deleted
entry; but the head sits in the same database, so someone who deletes the tail and sets the head
back leaves a chain that verifies. Each sync pass therefore sends the head here:

- ``PUT /api/v1/audit/head`` (workstation token) ``{"seq", "hash", "signature", "prev_seq",
  "prev_hash"}``: stored when it moves forward *from the stored one* (``prev_seq``/``prev_hash``
  name the stored head, which the hall found in its own chain: 200 ``stored``) or repeats it
  (200 ``same``); a head behind the stored one, another hash at the stored seq, or a new head
  that does not claim to extend the stored one is refused (409 ``behind`` / ``fork``) and the
  stored one is kept, so a cut or rewritten tail cannot be laundered by sending a new head.
- ``GET /api/v1/audit/head`` (workstation token): the head stored for the caller's hall
  (404 when none yet), which ``desk-app audit verify --against-central`` compares.

The hall is the workstation principal (as for appointments). ``signature`` is the hall's keyed
MAC of ``seq:hash``; the platform keeps it for the hall to check later, it cannot check it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from central_ref.auth import PRINCIPAL_KEY, Principal
from central_ref.models import UtcDateTime
from central_ref.store import Store


class _Base(DeclarativeBase):
    pass


class AuditAnchor(_Base):
    """The latest audit-chain head a hall sent."""

    __tablename__ = "audit_anchors"

    hall: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())


class HeadIn(BaseModel):
    seq: int = Field(ge=1, le=2**31 - 1)
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    signature: str = Field(pattern=r"^[0-9a-f]{16,128}$")
    prev_seq: int | None = Field(default=None, ge=1, le=2**31 - 1)  # the head it extends
    prev_hash: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


def _error(status: int, code: str, detail: str, **more: Any) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail, **more}, status)


def _hall(request: Request) -> str | JSONResponse:
    principal = request.scope.get(PRINCIPAL_KEY)
    if not isinstance(principal, Principal) or principal.auditor:
        return _error(403, "forbidden", "a hall workstation token is needed")
    return str(principal.scope)  # the hall (HALL/PC names: all PCs of the hall)


def add_anchor_routes(api: FastAPI, store: Store) -> None:
    """Create the table (if missing) and add the two routes above to ``api``."""
    _Base.metadata.create_all(store.engine)
    router = APIRouter(prefix="/api/v1/audit", tags=["audit anchoring"])

    @router.put("/head", summary="Anchor the hall's audit-chain head (never backwards)")
    def put_head(request: Request, body: HeadIn) -> Any:
        hall = _hall(request)
        if isinstance(hall, JSONResponse):
            return hall

        def work(s: Session) -> JSONResponse:
            row = s.get(AuditAnchor, hall, with_for_update=True)
            now = datetime.now(UTC)
            if row is None:
                s.add(AuditAnchor(hall=hall, seq=body.seq, hash=body.hash,
                                  signature=body.signature, received_at=now))  # fmt: skip
                return JSONResponse({"status": "stored", "seq": body.seq, "hash": body.hash})
            if body.seq < row.seq:
                return _error(409, "behind", "the hall's head is behind the one anchored here",
                              seq=row.seq, hash=row.hash)  # fmt: skip
            if body.seq == row.seq:
                if body.hash != row.hash:
                    return _error(409, "fork", "another hash at the anchored seq",
                                  seq=row.seq, hash=row.hash)  # fmt: skip
                return JSONResponse({"status": "same", "seq": row.seq, "hash": row.hash})
            if (body.prev_seq, body.prev_hash) != (row.seq, row.hash):
                return _error(409, "fork", "the new head does not extend the anchored one",
                              seq=row.seq, hash=row.hash)  # fmt: skip
            row.seq, row.hash, row.signature, row.received_at = (
                body.seq, body.hash, body.signature, now)  # fmt: skip
            return JSONResponse({"status": "stored", "seq": body.seq, "hash": body.hash})

        return store.write(work)

    @router.get("/head", summary="The audit-chain head anchored for the caller's hall")
    def get_head(request: Request) -> Any:
        hall = _hall(request)
        if isinstance(hall, JSONResponse):
            return hall
        with store.read() as s:
            row = s.get(AuditAnchor, hall)
            if row is None:
                return _error(404, "not_found", "no head anchored for this hall yet")
            return {
                "seq": row.seq,
                "hash": row.hash,
                "signature": row.signature,
                "received_at": row.received_at.astimezone(UTC).isoformat(),
            }

    api.include_router(router)
