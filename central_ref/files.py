"""The scanned materials of a case (电子件): each a PDF the hall uploads in chunks after the case.

- ``PUT /api/v1/cases/{case_uuid}/files/{file_id}?offset=&total=&sha256=&material=&pages=``
  (workstation token), body: one chunk of the PDF (1 byte to ``MAX_CHUNK_BYTES``). A chunk at
  ``offset == received`` is appended (a chunk that starts below ``received`` and reaches past it
  adds only its new tail); a chunk wholly below ``received`` is acknowledged without change (a
  retry after a lost answer); a gap (``offset > received``) is 409 ``gap`` with ``received``.
  When ``received`` reaches ``total`` the SHA-256 of the whole is checked: a match completes the
  file (200 ``{"complete": true, "received": total}``), a mismatch is 422 ``checksum_mismatch``
  and the partial data is discarded (``received`` back to 0). A complete file PUT again, any
  chunk, is 200 ``complete`` with no change: exactly once in effect. ``total``, ``sha256``,
  ``material`` and ``pages`` stay those of the first chunk (409 ``conflict`` otherwise) until
  the file is discarded or none of it is held. The case must have been delivered by the same
  hall first (404 ``not_found``); over ``MAX_FILE_BYTES`` or ``MAX_CHUNK_BYTES`` is 413.
- ``GET`` the same path: ``{"received": N, "complete": bool}``, 404 when the file is unknown:
  a client resumes from ``received`` after a crash. With ``?with_sha256=true`` a complete file
  also gives ``sha256``, the one the whole was checked against: a hall's reconcile compares it
  with its own.

Scoped like cases (auth.py): files belong to the uploader's hall, so another hall's same
(case uuid, file id) is its own file and learns nothing of this one; auditor tokens read
(``GET``, the first stored of that id) and never upload (403). Each chunk is sealed at rest
(sealing.py) with its hall, case, file and position as context. Writes lock the file's row
(``SELECT ... FOR UPDATE``; SQLite's writers are serial), so a retry overtaking a slow original
never stores a byte twice. Logs name the workstation, the file id and the outcome only.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request, Security
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer
from pydantic import BaseModel
from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    UniqueConstraint,
    delete,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from central_ref.auth import PRINCIPAL_KEY, Principal
from central_ref.clock import now
from central_ref.models import BIG_ID, NAMING_CONVENTION, ReceivedCase, UtcDateTime
from central_ref.rules import InvalidCase, normalize_uuid
from central_ref.schemas import ErrorOut
from central_ref.store import Store

log = logging.getLogger("central_ref.files")

FILE_PATH = "/api/v1/cases/{case_uuid}/files/{file_id}"
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_CHUNK_BYTES = 1024 * 1024
MAX_FILE_ID = 2**62
_Id = BIG_ID


class _Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ReceivedFile(_Base):
    """One file of a case as announced by its first chunk, and how much of it is held."""

    __tablename__ = "received_files"

    id: Mapped[int] = mapped_column(_Id, primary_key=True, autoincrement=True)
    owner: Mapped[str] = mapped_column(String(64))  # the hall (Principal.scope)
    case_uuid: Mapped[str] = mapped_column(String(36))
    file_id: Mapped[int] = mapped_column(BigInteger)  # the hall's own id of the file
    material: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)  # bytes of the PDF
    sha256: Mapped[str] = mapped_column(String(64))
    received: Mapped[int] = mapped_column(Integer)  # bytes held, from 0 without a gap
    first_received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    workstation: Mapped[str] = mapped_column(String(64))  # the last sender
    discarded: Mapped[int] = mapped_column(Integer, default=0)  # checksum mismatches

    __table_args__ = (UniqueConstraint("owner", "case_uuid", "file_id", name="uq_received_file"),)


class FileChunk(_Base):
    """Bytes ``[start, start + size)`` of a file, sealed."""

    __tablename__ = "received_file_chunks"

    id: Mapped[int] = mapped_column(_Id, primary_key=True, autoincrement=True)
    file: Mapped[int] = mapped_column(ForeignKey("received_files.id"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = (UniqueConstraint("file", "start", name="uq_file_chunk"),)


@dataclass(frozen=True)
class FileMeta:
    """What every chunk of a file says about the whole."""

    total: int
    sha256: str
    material: str
    pages: int


class FileStatusOut(BaseModel):
    received: int
    complete: bool
    sha256: str | None = None  # asked for (``with_sha256``): of the complete file, as checked


class FileErrorOut(ErrorOut):
    received: int | None = None


Answer = tuple[int, dict[str, Any]]


def _context(row: ReceivedFile, start: int) -> str:
    return f"file:{row.owner}:{row.case_uuid}:{row.file_id}:{start}"


def _status(row: ReceivedFile, with_sha256: bool = False) -> dict[str, Any]:
    done = row.completed_at is not None
    found: dict[str, Any] = {"received": row.received, "complete": done}
    if with_sha256 and done:  # what the whole was checked against: a hall's reconcile compares
        found["sha256"] = row.sha256
    return found


def _refuse(status: int, code: str, detail: str, received: int | None = None) -> Answer:
    body: dict[str, Any] = {"error": code, "detail": detail}
    if received is not None:
        body["received"] = received
    return status, body


def _whole_sha256(store: Store, s: Session, row: ReceivedFile) -> str:
    digest = hashlib.sha256()
    for start, data in s.execute(
        select(FileChunk.start, FileChunk.data)
        .where(FileChunk.file == row.id)
        .order_by(FileChunk.start)
    ):
        digest.update(store.sealer.open_bytes(data, _context(row, start)))
    return digest.hexdigest()


def put_chunk(
    store: Store,
    owner: str,
    workstation: str,
    case_uuid: str,
    file_id: int,
    meta: FileMeta,
    offset: int,
    data: bytes,
) -> Answer:
    """Store one chunk (see the module's text): ``(HTTP status, body)``."""
    if len(data) > MAX_CHUNK_BYTES:
        return _refuse(413, "too_large", f"a chunk is at most {MAX_CHUNK_BYTES} bytes")
    if meta.total > MAX_FILE_BYTES:
        return _refuse(413, "too_large", f"a file is at most {MAX_FILE_BYTES} bytes")
    if not data:
        return _refuse(422, "invalid_request", "body: an empty chunk")
    if offset + len(data) > meta.total:
        return _refuse(422, "invalid_request", "the chunk ends past total")
    at = now()
    insert = postgresql.insert if store.dialect == "postgresql" else sqlite.insert
    key = (
        ReceivedFile.owner == owner,
        ReceivedFile.case_uuid == case_uuid,
        ReceivedFile.file_id == file_id,
    )

    def work(s: Session) -> Answer:
        case = s.scalar(
            select(ReceivedCase.id).where(
                ReceivedCase.workstation == owner, ReceivedCase.uuid == case_uuid
            )
        )
        if case is None:
            return _refuse(404, "not_found", "no case with this uuid: deliver the case first")
        s.execute(
            insert(ReceivedFile)
            .values(
                owner=owner,
                case_uuid=case_uuid,
                file_id=file_id,
                material=meta.material,
                pages=meta.pages,
                total=meta.total,
                sha256=meta.sha256,
                received=0,
                first_received_at=at,
                last_received_at=at,
                workstation=workstation,
                discarded=0,
            )
            .on_conflict_do_nothing(index_elements=["owner", "case_uuid", "file_id"])
        )
        row = s.scalars(select(ReceivedFile).where(*key).with_for_update()).one()
        announced = FileMeta(row.total, row.sha256, row.material, row.pages)
        if announced != meta:
            if row.received or row.completed_at is not None:
                return _refuse(
                    409,
                    "conflict",
                    "total, sha256, material and pages differ from the file's first chunk",
                    row.received,
                )
            row.total, row.sha256, row.material, row.pages = (
                meta.total,
                meta.sha256,
                meta.material,
                meta.pages,
            )
        if row.completed_at is not None:
            return 200, _status(row)
        if offset > row.received:
            return _refuse(409, "gap", f"send from byte {row.received}", row.received)
        row.last_received_at, row.workstation = at, workstation
        if offset + len(data) <= row.received:  # a retry of what is held: nothing new
            return 200, _status(row)
        new = data[row.received - offset :]
        s.add(
            FileChunk(
                file=row.id,
                start=row.received,
                size=len(new),
                data=store.sealer.seal_bytes(new, _context(row, row.received)),
            )
        )
        row.received += len(new)
        if row.received < row.total:
            return 200, _status(row)
        s.flush()
        if _whole_sha256(store, s, row) == row.sha256:
            row.completed_at = at
            log.info("file %s from %s complete (%d bytes)", file_id, workstation, row.total)
            return 200, _status(row)
        s.execute(delete(FileChunk).where(FileChunk.file == row.id))
        row.received, row.discarded = 0, row.discarded + 1
        log.warning("file %s from %s: checksum mismatch, discarded", file_id, workstation)
        return _refuse(
            422, "checksum_mismatch", "the bytes do not match sha256: send the file again", 0
        )

    return store.write(work)


def file_status(
    store: Store, scope: str | None, case_uuid: str, file_id: int, with_sha256: bool = False
) -> dict[str, Any] | None:
    """``{"received", "complete"}`` of a file ``scope`` may read (None: any hall's, the first
    stored), or None when there is none."""
    where = [ReceivedFile.case_uuid == case_uuid, ReceivedFile.file_id == file_id]
    if scope is not None:
        where.append(ReceivedFile.owner == scope)
    with store.read() as s:
        row = s.scalars(select(ReceivedFile).where(*where).order_by(ReceivedFile.id)).first()
        return None if row is None else _status(row, with_sha256)


def file_bytes(store: Store, owner: str, case_uuid: str, file_id: int) -> bytes | None:
    """The held bytes of a hall's file, opened (checks and the platform's own use)."""
    with store.read() as s:
        row = s.scalars(
            select(ReceivedFile).where(
                ReceivedFile.owner == owner,
                ReceivedFile.case_uuid == case_uuid,
                ReceivedFile.file_id == file_id,
            )
        ).first()
        if row is None:
            return None
        chunks = s.execute(
            select(FileChunk.start, FileChunk.data)
            .where(FileChunk.file == row.id)
            .order_by(FileChunk.start)
        ).all()
        return b"".join(store.sealer.open_bytes(d, _context(row, start)) for start, d in chunks)


def file_stats(store: Store) -> dict[str, int]:
    """Counts for checks: files, complete ones, chunks, their bytes, chunks reaching past their
    file's total, and the bytes of complete files (equal to ``chunk_bytes`` when nothing but
    whole files is held)."""
    _Base.metadata.create_all(store.engine)
    with store.read() as s:
        files, complete, complete_bytes = s.execute(
            select(
                func.count(),
                func.count(ReceivedFile.completed_at),
                func.coalesce(
                    func.sum(ReceivedFile.total).filter(ReceivedFile.completed_at.is_not(None)), 0
                ),
            )
        ).one()
        chunks, chunk_bytes = s.execute(
            select(func.count(), func.coalesce(func.sum(FileChunk.size), 0))
        ).one()
        beyond = s.scalar(
            select(func.count())
            .select_from(FileChunk)
            .join(ReceivedFile, ReceivedFile.id == FileChunk.file)
            .where(FileChunk.start + FileChunk.size > ReceivedFile.total)
        )
    return {
        "files": int(files),
        "complete": int(complete),
        "complete_bytes": int(complete_bytes),
        "chunks": int(chunks),
        "chunk_bytes": int(chunk_bytes),
        "beyond_total": int(beyond or 0),
    }


async def _chunk(request: Request) -> bytes:
    return await request.body()  # read (and bounded) by the gate already


def _principal(request: Request) -> Principal | None:
    principal = request.scope.get(PRINCIPAL_KEY)
    return principal if isinstance(principal, Principal) else None


def _json(answer: Answer) -> JSONResponse:
    return JSONResponse(answer[1], answer[0])


_ERR: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "Missing or wrong bearer token."},
    503: {"model": ErrorOut, "description": "Temporarily unavailable (send the chunk again)."},
}
CaseUuid = Annotated[str, Path(description="The case's UUID (the case is delivered first).")]
FileId = Annotated[int, Path(ge=1, le=MAX_FILE_ID, description="The hall's id of the file.")]


def add_file_routes(api: FastAPI, store: Store) -> None:
    """Create the tables (if missing) and add ``PUT``/``GET`` ``FILE_PATH`` to ``api``."""
    _Base.metadata.create_all(store.engine)
    router = APIRouter(tags=["case files"])
    bearer = HTTPBearer(
        auto_error=False, scheme_name="WorkstationToken", description="One token per workstation."
    )
    auth = [Security(bearer)]  # documents the scheme; the gate enforces it

    @router.put(
        FILE_PATH,
        response_model=FileStatusOut,
        responses={
            **_ERR,
            403: {"model": ErrorOut, "description": "An auditor token: only halls upload."},
            404: {"model": ErrorOut, "description": "The hall has not delivered this case."},
            409: {"model": FileErrorOut, "description": "`gap` or `conflict`, with `received`."},
            413: {"model": ErrorOut, "description": "A chunk over 1 MiB or a file over 20 MiB."},
            422: {"model": FileErrorOut, "description": "`checksum_mismatch` or malformed."},
        },
        dependencies=auth,
        summary="Upload a chunk of a case's file (resumable, idempotent)",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            }
        },
    )
    def put_file_chunk(
        request: Request,
        case_uuid: CaseUuid,
        file_id: FileId,
        offset: Annotated[int, Query(ge=0, le=MAX_FILE_BYTES)],
        total: Annotated[int, Query(ge=1, le=2**31 - 1, description="Bytes of the PDF.")],
        sha256: Annotated[str, Query(pattern=r"^[0-9a-fA-F]{64}$")],
        material: Annotated[str, Query(min_length=1, max_length=64, description="Its code.")],
        pages: Annotated[int, Query(ge=1, le=10_000)],
        chunk: Annotated[bytes, Depends(_chunk)],
    ) -> Any:
        """Append the chunk at ``offset``; 200 ``{"received", "complete"}``."""
        principal = _principal(request)
        if principal is None or principal.auditor:
            return JSONResponse(
                {"error": "forbidden", "detail": "an auditor token reads files; it cannot upload"},
                403,
            )
        try:
            key = normalize_uuid(case_uuid)
        except InvalidCase as exc:
            return JSONResponse({"error": "invalid_request", "detail": str(exc)}, 422)
        meta = FileMeta(total, sha256.lower(), material, pages)
        hall = principal.scope or principal.name
        return _json(put_chunk(store, hall, principal.name, key, file_id, meta, offset, chunk))

    @router.get(
        FILE_PATH,
        response_model=FileStatusOut,
        response_model_exclude_none=True,
        responses={**_ERR, 404: {"model": ErrorOut, "description": "No such file (yet)."}},
        dependencies=auth,
        summary="How much of a case's file the platform holds",
    )
    def get_file_status(
        request: Request,
        case_uuid: CaseUuid,
        file_id: FileId,
        with_sha256: Annotated[
            bool, Query(description="Also the SHA-256 of a complete file (a reconcile).")
        ] = False,
    ) -> Any:
        """``received`` bytes held, ``complete`` once checked: resume from ``received``."""
        principal = _principal(request)
        if principal is None:
            return JSONResponse({"error": "forbidden", "detail": "a token is needed"}, 403)
        try:
            key = normalize_uuid(case_uuid)
        except InvalidCase as exc:
            return JSONResponse({"error": "invalid_request", "detail": str(exc)}, 422)
        found = file_status(store, principal.scope, key, file_id, with_sha256)
        if found is None:
            return JSONResponse({"error": "not_found", "detail": "no such file"}, 404)
        return found

    api.include_router(router)
