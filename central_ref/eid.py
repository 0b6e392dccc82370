"""The platform's e-ID code (电子身份证码, the 一码通城 code): the visitor shows a code in the
province's app, the hall's counter or kiosk scans it (a keyboard-wedge scanner types it) and asks
the platform whose it is.

- ``central-ref eid-issue --db URL --name NAME --id ID ...`` stands for the citizen's app: it
  issues a code for a person and prints ``{"code", "expires_at"}`` (demos and tests).
- ``POST /api/v1/eid/resolve`` (workstation token) with ``{"code"}``: 200 with the person and
  the code is used; 409 ``used`` (one time only, whoever asks again), 410 ``expired``, 404
  ``not_found``; a malformed code is a 422 like any malformed request; auditor tokens 403.

A code is ``SDEID1`` and 32 upper-case base32 characters (160 random bits), ``CODE_PATTERN``:
only ``[A-Z0-9]``, which any scanner types and a counter recognises among other input. It lives
``DEFAULT_TTL_S`` (120 s) unless issued with another TTL. The platform keeps only its SHA-256
(like the tokens, auth.py); the name and the ID number are sealed at rest with the row's digest
as context (sealing.py). The check-and-mark is one ``UPDATE ... WHERE used_at IS NULL AND
expires_at > now`` whose row count decides, so of any number of concurrent resolves (one hall
or several, SQLite or PostgreSQL) exactly one gets the person. Nothing here logs a code, a name
or an ID number: a resolve is logged by the workstation's name and its outcome only.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
from datetime import date, datetime, timedelta
from typing import Any, Literal, cast

from fastapi import APIRouter, FastAPI, Request, Security
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer
from pydantic import BaseModel, Field
from sqlalchemy import CursorResult, Date, Integer, MetaData, String, Text, select, update
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from central_ref.auth import PRINCIPAL_KEY, Principal
from central_ref.clock import now
from central_ref.models import NAMING_CONVENTION, UtcDateTime
from central_ref.rules import format_utc
from central_ref.schemas import ErrorOut
from central_ref.store import Store

log = logging.getLogger("central_ref.eid")

PREFIX = "SDEID1"
CODE_PATTERN = r"^SDEID1[A-Z2-7]{32}$"
CODE_RE = re.compile(CODE_PATTERN)
DEFAULT_TTL_S = 120
MAX_TTL_S = 86_400
MAX_NAME = 100
RESOLVE_PATH = "/api/v1/eid/resolve"
Outcome = Literal["resolved", "not_found", "used", "expired"]


class _Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class EidCode(_Base):
    """One issued code: its digest, the person (name and ID sealed) and its one use."""

    __tablename__ = "eid_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    # Sealed at rest with "eid:" + code_sha256 as context (central_ref.sealing).
    name: Mapped[str] = mapped_column(Text)
    id_number: Mapped[str] = mapped_column(Text)
    sex: Mapped[str] = mapped_column(String(1))  # 男 | 女
    birth: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)  # the ID card's; None: 长期 or not given
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    used_by: Mapped[str | None] = mapped_column(String(64))  # the workstation's name


# -- issuing (the citizen's app) ----------------------------------------------------------------


def new_code() -> str:
    """A fresh code: the prefix and 160 random bits in base32 (32 characters, no padding)."""
    return PREFIX + base64.b32encode(os.urandom(20)).decode("ascii")


def code_digest(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def _context(sha: str) -> str:
    return f"eid:{sha}"


def check_ttl(ttl_s: int) -> int:
    """``ttl_s`` if a code may live that long (1 s to a day); else ValueError."""
    if not 1 <= ttl_s <= MAX_TTL_S:
        raise ValueError(f"--ttl: 1 to {MAX_TTL_S} seconds")
    return ttl_s


def check_person(
    name: str, id_number: str, sex: str | None, birth: date | None
) -> tuple[str, str, str, date]:
    """(name, ID, sex, birth) checked and completed from the ID; ValueError says what is wrong.

    The ID must be a valid 18-character resident ID (GB 11643, its check character and birth
    date); sex and birth default to what it encodes and must agree with it when given.
    """
    name = name.strip()
    if not name or len(name) > MAX_NAME or not name.isprintable():
        raise ValueError(f"--name: 1 to {MAX_NAME} printable characters")
    try:
        id_number = ric.validate(id_number.strip().upper())
    except StdnumError:
        raise ValueError(
            "--id: not a valid resident ID number (18 characters, the last its check character)"
        ) from None
    encoded_sex = "男" if int(id_number[16]) % 2 else "女"
    encoded_birth = ric.get_birth_date(id_number)
    if sex is not None and sex != encoded_sex:
        raise ValueError("--sex: does not agree with the ID number (its 17th digit)")
    if birth is not None and birth != encoded_birth:
        raise ValueError("--birth: does not agree with the ID number")
    return name, id_number, encoded_sex, encoded_birth


def issue(
    store: Store,
    *,
    name: str,
    id_number: str,
    sex: str | None = None,
    birth: date | None = None,
    valid_to: date | None = None,
    ttl_s: int = DEFAULT_TTL_S,
) -> dict[str, str]:
    """Issue a code for a person: ``{"code", "expires_at"}``. ``valid_to`` None is 长期.

    ValueError for a bad person or TTL, or a data key that cannot be found (sealing.py)."""
    check_ttl(ttl_s)
    name, id_number, sex, birth = check_person(name, id_number, sex, birth)
    sealer = store.sealer
    _Base.metadata.create_all(store.engine)
    code = new_code()
    sha = code_digest(code)
    issued = now()
    expires = issued + timedelta(seconds=ttl_s)

    def work(s: Session) -> None:
        s.add(
            EidCode(
                code_sha256=sha,
                name=sealer.seal_text(name, _context(sha)),
                id_number=sealer.seal_text(id_number, _context(sha)),
                sex=sex,
                birth=birth,
                valid_to=valid_to,
                issued_at=issued,
                expires_at=expires,
            )
        )

    store.write(work)
    return {"code": code, "expires_at": format_utc(expires)}


# -- resolving (the hall) -----------------------------------------------------------------------


def resolve(store: Store, code: str, by: str) -> tuple[Outcome, dict[str, Any] | None]:
    """Use the code for workstation ``by``: ``("resolved", person)`` once; else the reason.

    One conditional UPDATE marks it used; only the request whose UPDATE hit the row reads the
    person, inside the same transaction (a value that does not open rolls the use back)."""
    sha = code_digest(code)
    at = now()

    def work(s: Session) -> tuple[Outcome, dict[str, Any] | None]:
        marked = cast(
            CursorResult[Any],
            s.execute(
                update(EidCode)
                .where(
                    EidCode.code_sha256 == sha,
                    EidCode.used_at.is_(None),
                    EidCode.expires_at > at,
                )
                .values(used_at=at, used_by=by)
                .execution_options(synchronize_session=False)
            ),
        )
        row = s.scalars(select(EidCode).where(EidCode.code_sha256 == sha)).first()
        if row is None:
            return "not_found", None
        if marked.rowcount != 1:
            return ("used" if row.used_at is not None else "expired"), None
        return "resolved", {
            "name": store.sealer.open_text(row.name, _context(sha)),
            "id_number": store.sealer.open_text(row.id_number, _context(sha)),
            "sex": row.sex,
            "birth": row.birth.isoformat(),
            "valid_to": row.valid_to.isoformat() if row.valid_to else None,
            "expires_at": format_utc(row.expires_at),
        }

    return store.write(work)


class EidResolveIn(BaseModel):
    code: str = Field(
        pattern=CODE_PATTERN, description="The scanned code: `SDEID1` and 32 of [A-Z2-7]."
    )


class EidPersonOut(BaseModel):
    """Whose the code was (sealed at rest; answered once)."""

    name: str
    id_number: str = Field(description="18 characters (GB 11643).")
    sex: Literal["男", "女"]
    birth: date
    valid_to: date | None = Field(description="The ID card's validity end; null for 长期.")
    expires_at: str = Field(description="When the code would have expired (UTC, ISO-8601).")


_REFUSED: dict[str, tuple[int, str]] = {
    "not_found": (404, "no such e-ID code: the holder shows the code again"),
    "used": (409, "this e-ID code was already used: the holder refreshes it in the app"),
    "expired": (410, "this e-ID code has expired: the holder refreshes it in the app"),
}


def add_eid_routes(api: FastAPI, store: Store) -> None:
    """Create the table (if missing) and add ``POST /api/v1/eid/resolve`` to ``api``."""
    _Base.metadata.create_all(store.engine)
    router = APIRouter(tags=["e-ID codes"])
    bearer = HTTPBearer(
        auto_error=False, scheme_name="WorkstationToken", description="One token per workstation."
    )

    @router.post(
        RESOLVE_PATH,
        response_model=EidPersonOut,
        responses={
            401: {"model": ErrorOut, "description": "Missing or wrong bearer token."},
            403: {"model": ErrorOut, "description": "An auditor token: only halls resolve."},
            404: {"model": ErrorOut, "description": "`not_found`: no such code."},
            409: {"model": ErrorOut, "description": "`used`: resolved before (one use)."},
            410: {"model": ErrorOut, "description": "`expired`: past its `expires_at`."},
            422: {"model": ErrorOut, "description": "`invalid_request`: not a code."},
            503: {"model": ErrorOut, "description": "Temporarily unavailable."},
        },
        dependencies=[Security(bearer)],  # documents the scheme; the gate enforces it
        summary="Whose e-ID code this is (one use)",
    )
    def resolve_code(request: Request, body: EidResolveIn) -> Any:
        """The person behind a scanned code, once: the code is used by this answer."""
        principal = request.scope.get(PRINCIPAL_KEY)
        if not isinstance(principal, Principal) or principal.auditor:
            return JSONResponse(
                {"error": "forbidden", "detail": "a hall workstation token is needed"}, 403
            )
        outcome, person = resolve(store, body.code, principal.name)
        log.info("e-ID code %s for %s", outcome, principal.name)
        if person is None:
            status, detail = _REFUSED[outcome]
            return JSONResponse({"error": outcome, "detail": detail}, status)
        return JSONResponse(person, headers={"Cache-Control": "no-store"})

    api.include_router(router)
