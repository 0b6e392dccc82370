"""The reference central backend's HTTP API (FastAPI): ``create_app`` builds it.

Layers, outermost first:

1. ``_Gate`` (raw ASGI): bearer-token check for everything under ``/api/`` except the health
   check, and the request body read up front with a size limit. Auth runs before anything
   else so that a wrong token is a deterministic 401 even when faults are injected, and before
   body parsing so that nothing about a request is answered to a caller without a token.
2. ``faults.FaultInjector``: latency and injected failures (only when configured).
3. FastAPI: validation, the routes below, the store.

Endpoints are plain ``def`` functions: FastAPI runs them on its worker threads, which is what
the blocking SQLAlchemy calls need.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import Body, FastAPI, Path, Query, Request, Security
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from central_ref import API_VERSION
from central_ref.faults import ALL_MODES, FaultInjector, send_json
from central_ref.rules import InvalidCase, ValidCase, format_utc, normalize_uuid, uuid_digest
from central_ref.rules import validate_case as _validate
from central_ref.store import CaseRow, Outcome, Store

log = logging.getLogger("central_ref.app")

MAX_BATCH = 500
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
# A full batch of 500 cases with a few kilobytes of payload each is a few megabytes.
MAX_BODY_BYTES = 16 * 1024 * 1024
# Above this many UUIDs the digest refuses to list them (ask per day, or uuids=false).
MAX_DIGEST_UUIDS = 200_000
MAX_DIGEST_DAYS = 366
HEALTH_PATH = "/api/v1/health"
WORKSTATION_KEY = "central_ref.workstation"  # set in the ASGI scope by _Gate

_DESCRIPTION = """\
Reference implementation of the central (city/province) platform's case-sync API for the
高效办成一件事 service-hall desk application. See docs/central-api.md for the rules in prose.

* **Auth**: `Authorization: Bearer TOKEN`, one token per workstation. Missing or wrong token:
  401 with a JSON error body. Only `GET /api/v1/health` works without a token.
* **Idempotency**: each case is keyed by its client-generated UUID (unique). A new UUID is
  stored (`created`); the same UUID with the same canonical content is `replayed` (success);
  with different content it is a `conflict` (the other version is kept for review; do not
  retry). Every arrival increments `received_count`.
* **Canonical content**: SHA-256 of the JSON `{"case_no", "concluded_at", "payload"}` with
  sorted keys, no whitespace, UTF-8, `concluded_at` normalised to UTC (`...Z`).
* **Faults** (when the server is started with `--fail-rate`): a mutating request may get a 503,
  hang for a long time (and be processed late), or be processed and committed and then lose
  its response (connection closed). Retry all three with the same UUIDs.
"""


# -- schemas ---------------------------------------------------------------------------------


class CaseIn(BaseModel):
    """One completed case as uploaded. Validated per item: a bad item is reported ``invalid``
    in its result and never fails the rest of the batch."""

    model_config = ConfigDict(extra="forbid")

    uuid: str = Field(
        description="Client-generated UUID, canonical 8-4-4-4-12 form (any case; stored lowercase).",
        pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
        examples=["0f8fad5b-d9cb-469f-a165-70867728950e"],
    )
    case_no: str = Field(min_length=1, max_length=64, examples=["NB-20250301-0007"])
    concluded_at: datetime = Field(
        description="ISO-8601 with a UTC offset (naive times are invalid).",
        examples=["2025-03-01T09:30:00+08:00"],
    )
    payload: dict[str, Any] = Field(
        description="The case as a JSON object; stored and compared as a whole. "
        "No NaN/Infinity, no U+0000."
    )


class CasePut(BaseModel):
    """Body of ``PUT /api/v1/cases/{uuid}``: a case; ``uuid`` may be omitted (taken from the URL)."""

    model_config = ConfigDict(extra="forbid")

    uuid: str | None = Field(default=None, description="If given, must equal the URL's uuid.")
    case_no: str = Field(min_length=1, max_length=64)
    concluded_at: datetime = Field(description="ISO-8601 with a UTC offset.")
    payload: dict[str, Any]


def _ref(model: type[BaseModel]) -> WithJsonSchema:
    # Items are received as arbitrary JSON (so one bad item cannot 422 the whole batch) but
    # documented as the model; the model itself is added to components in _openapi().
    return WithJsonSchema({"$ref": f"#/components/schemas/{model.__name__}"})


class BatchIn(BaseModel):
    """A batch of at most 500 cases (413 beyond)."""

    cases: list[Annotated[Any, _ref(CaseIn)]] = Field(description="1 to 500 cases.")


class ItemResult(BaseModel):
    """What happened to one uploaded case."""

    index: int = Field(description="Position of the case in the request (0-based).")
    uuid: str | None = Field(
        description="Normalised uuid; for an invalid item the raw value if it was a string."
    )
    status: Literal["created", "replayed", "conflict", "invalid"]
    received_count: int | None = Field(
        description="Arrivals of this uuid so far, this one included; null for an invalid item."
    )
    error: str | None = Field(description="Why: for `conflict` and `invalid`; else null.")


class BatchOut(BaseModel):
    """One result per uploaded case, in the request's order."""

    results: list[ItemResult]


class CaseSummary(BaseModel):
    """A received case as listed."""

    uuid: str
    case_no: str
    received_count: int = Field(description="How many times this uuid arrived (retries included).")
    received_at: str = Field(description="First arrival, ISO-8601 UTC.")
    last_received_at: str = Field(description="Latest arrival, ISO-8601 UTC.")
    concluded_at: str = Field(description="As stored: ISO-8601 UTC (`Z`).")
    workstation: str = Field(description="Workstation (token identity) that first sent it.")


class CaseList(BaseModel):
    """A page of received cases in order of first arrival."""

    cases: list[CaseSummary]
    next: str | None = Field(
        description="Cursor for `after=` to get the next page; null at the end."
    )


class ConflictOut(BaseModel):
    """A conflicting version received for a stored uuid, kept for review."""

    payload_sha256: str
    case_no: str
    concluded_at: str
    payload: dict[str, Any]
    received_count: int
    first_received_at: str
    last_received_at: str
    workstation: str


class CaseOut(CaseSummary):
    """A received case with its stored payload and any conflicting versions."""

    payload: dict[str, Any]
    payload_sha256: str = Field(
        description="Canonical SHA-256 of {case_no, concluded_at, payload}."
    )
    conflicts: list[ConflictOut]


class DigestOut(BaseModel):
    """The UUIDs received for cases concluded in a local date range, for reconciliation."""

    model_config = ConfigDict(populate_by_name=True)

    from_: date = Field(alias="from")
    to: date
    count: int
    sha256: str = Field(description='SHA-256 hex of the sorted uuids joined by "\\n" (UTF-8).')
    uuids: list[str] | None = Field(description="Sorted by code point; null when uuids=false.")


class DayDigestOut(BaseModel):
    """Count and digest of one local date's uuids."""

    date: date
    count: int
    sha256: str


class DayDigestsOut(BaseModel):
    """Per-day digests: compare them to find the days worth fetching in full."""

    model_config = ConfigDict(populate_by_name=True)

    from_: date = Field(alias="from")
    to: date
    days: list[DayDigestOut] = Field(description="Only dates with at least one case.")


class ErrorOut(BaseModel):
    """Every error answer: a stable code and a human-readable detail."""

    error: str
    detail: Any = None


class HealthOut(BaseModel):
    """Liveness."""

    ok: bool
    version: str


# -- tokens ----------------------------------------------------------------------------------


def parse_tokens(values: Iterable[str]) -> dict[str, str]:
    """token -> workstation identity, from ``TOKEN`` or ``NAME=TOKEN`` entries.

    Each entry may hold several comma-separated ones. A bare token's identity is a fingerprint
    (``tok-`` and 12 hex digits of its SHA-256), so the secret itself is never stored or logged.
    A token that contains ``=`` must be given as ``NAME=TOKEN``; one with ``,`` is not possible.
    """
    tokens: dict[str, str] = {}
    for value in values:
        for part in (p.strip() for p in value.split(",")):
            if not part:
                continue
            name, sep, secret = part.partition("=")
            if not sep:
                name, secret = "tok-" + hashlib.sha256(part.encode()).hexdigest()[:12], part
            if not name or not secret:
                raise ValueError("a --token entry has an empty workstation name or token")
            if len(name) > 64:
                raise ValueError("workstation name longer than 64 characters")
            tokens[secret] = name
    return tokens


# -- the gate --------------------------------------------------------------------------------


class _Gate:
    """Bearer auth for /api/ (health excepted) and a bounded, replayable request body."""

    def __init__(self, app: ASGIApp, tokens: dict[str, str], max_body: int) -> None:
        self.app = app
        # Compared as bytes with hmac.compare_digest against every token: no early exit that
        # would tell an attacker how much of a guess was right.
        self.tokens = [(secret.encode(), name) for secret, name in tokens.items()]
        self.max_body = max_body

    def _workstation(self, scope: Scope) -> str | None:
        header = b""
        for key, value in scope["headers"]:
            if key == b"authorization":
                header = value
                break
        scheme, _, credential = header.partition(b" ")
        if scheme.lower() != b"bearer" or not credential.strip():
            return None
        credential = credential.strip()
        found = None
        for secret, name in self.tokens:
            if hmac.compare_digest(secret, credential):
                found = name
        return found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        if scope["path"] != HEALTH_PATH:
            workstation = self._workstation(scope)
            if workstation is None:
                await send_json(
                    send,
                    401,
                    {"error": "unauthorized", "detail": "missing or wrong bearer token"},
                    [(b"www-authenticate", b'Bearer realm="central-ref"')],
                )
                return
            scope[WORKSTATION_KEY] = workstation
        try:
            body = await self._read_body(scope, receive)
        except _ClientGone:
            return  # nobody to answer, and half a body is not a request to process
        if body is None:
            await send_json(
                send,
                413,
                {"error": "too_large", "detail": f"request body over {self.max_body} bytes"},
            )
            return
        await self.app(scope, _replay(body, receive), send)

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes | None:
        """The whole body, or None when it is over the limit.

        Read here, before faults and processing, so that a request held back by an injected
        "timeout" can still be processed after its client has given up, as a slow real
        server would.
        """
        for key, value in scope["headers"]:
            if key == b"content-length" and value.isdigit() and int(value) > self.max_body:
                return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _ClientGone
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


class _ClientGone(Exception):
    """The client disconnected before its request body was complete."""


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive() that hands out the buffered body once, then defers to the real one."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


# -- the app ---------------------------------------------------------------------------------


def _result(index: int, outcome: Outcome) -> ItemResult:
    return ItemResult(
        index=index,
        uuid=outcome.uuid,
        status=outcome.status,
        received_count=outcome.received_count,
        error=outcome.error,
    )


def _summary(row: CaseRow) -> dict[str, Any]:
    return {
        "uuid": row.uuid,
        "case_no": row.case_no,
        "received_count": row.received_count,
        "received_at": format_utc(row.received_at),
        "last_received_at": format_utc(row.last_received_at),
        "concluded_at": format_utc(row.concluded_at),
        "workstation": row.workstation,
    }


def _error(
    status: int, code: str, detail: Any, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": code, "detail": jsonable_encoder(detail)}, status, headers)


def _workstation(request: Request) -> str:
    return str(request.scope.get(WORKSTATION_KEY, "unknown"))


From = Annotated[date, Query(alias="from", description="First local (Asia/Shanghai) date.")]
To = Annotated[date, Query(description="Last local date, inclusive.")]
_PUT_STATUS = {"created": 201, "replayed": 200, "conflict": 409, "invalid": 422}
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "Missing or wrong bearer token."},
    413: {"model": ErrorOut, "description": "Body over 16 MiB, or (batch) over 500 cases."},
    422: {"model": ErrorOut, "description": "Malformed request (not the per-item `invalid`)."},
    503: {"model": ErrorOut, "description": "Temporarily unavailable (retry with the same UUIDs)."},
}


def create_app(
    db_url: str | Store,
    tokens: Iterable[str],
    fail_rate: float = 0.0,
    latency_ms: int = 0,
    seed: int | None = None,
    *,
    fault_modes: Iterable[str] = ALL_MODES,
    hang_seconds: float = 30.0,
    max_batch: int = MAX_BATCH,
    max_body_bytes: int = MAX_BODY_BYTES,
) -> CentralApp:
    """The ASGI application: the FastAPI app wrapped in the auth gate and fault injection.

    ``tokens`` are ``TOKEN`` or ``NAME=TOKEN`` strings (see ``parse_tokens``). The store's
    tables are created here if missing. The returned object has ``openapi()`` and
    ``state.store`` like the inner FastAPI app, so tests can use either.
    """
    store = db_url if isinstance(db_url, Store) else Store(db_url)
    store.create_schema()
    token_map = parse_tokens(tokens)

    api = FastAPI(
        title="central-ref: 高效办成一件事 case-sync API",
        version=API_VERSION,
        description=_DESCRIPTION,
    )
    api.state.store = store
    bearer = HTTPBearer(
        auto_error=False, scheme_name="WorkstationToken", description="One token per workstation."
    )
    auth = [Security(bearer)]  # documents the scheme; _Gate enforces it

    @api.exception_handler(RequestValidationError)
    async def _invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # Where and what only: echoing the offending input back could mean megabytes.
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
            for e in exc.errors()
        ]
        return _error(422, "invalid_request", errors)

    @api.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error(exc.status_code, code, exc.detail, getattr(exc, "headers", None))

    @api.get(HEALTH_PATH, response_model=HealthOut, tags=["health"], summary="Liveness (no auth)")
    def health() -> HealthOut:
        return HealthOut(ok=True, version=API_VERSION)

    @api.post(
        "/api/v1/cases/batch",
        response_model=BatchOut,
        responses=_ERRORS,
        dependencies=auth,
        tags=["cases"],
        summary="Upload a batch of cases (idempotent per uuid)",
    )
    def upload_batch(request: Request, batch: BatchIn) -> BatchOut | JSONResponse:
        """Per-item results: one bad or conflicting item never fails the batch.

        Retry the whole batch (same uuids) after a 5xx, a timeout or a dropped connection:
        items already stored come back ``replayed``.
        """
        if not batch.cases:
            return _error(422, "invalid_request", "cases: at least one case")
        if len(batch.cases) > max_batch:
            return _error(413, "too_large", f"cases: at most {max_batch} per batch")
        results: list[ItemResult | None] = [None] * len(batch.cases)
        valid: list[tuple[int, ValidCase]] = []
        for index, raw in enumerate(batch.cases):
            try:
                valid.append((index, _validate(raw)))
            except InvalidCase as exc:
                raw_uuid = raw.get("uuid") if isinstance(raw, dict) else None
                results[index] = ItemResult(
                    index=index,
                    uuid=raw_uuid[:64] if isinstance(raw_uuid, str) else None,
                    status="invalid",
                    received_count=None,
                    error=str(exc),
                )
        workstation = _workstation(request)
        outcomes = store.ingest([case for _, case in valid], workstation)
        for (index, _), outcome in zip(valid, outcomes, strict=True):
            results[index] = _result(index, outcome)
        invalid = sum(1 for r in results if r is not None and r.status == "invalid")
        if invalid:
            log.warning(
                "%s: %d invalid case(s) in a batch of %d", workstation, invalid, len(results)
            )
        return BatchOut(results=[r for r in results if r is not None])

    @api.put(
        "/api/v1/cases/{uuid}",
        response_model=ItemResult,
        status_code=201,
        responses={
            201: {"description": "Created: stored for the first time."},
            200: {"model": ItemResult, "description": "Replayed: already stored, same content."},
            409: {"model": ItemResult, "description": "Conflict: kept for review; do not retry."},
            422: {"model": ItemResult, "description": "Invalid case (or malformed request)."},
            401: _ERRORS[401],
            413: _ERRORS[413],
            503: _ERRORS[503],
        },
        dependencies=auth,
        tags=["cases"],
        summary="Upload one case (idempotent)",
    )
    def put_case(
        request: Request,
        uuid: Annotated[str, Path(description="The case's client-generated UUID.")],
        case: Annotated[Any, Body(), _ref(CasePut)],
    ) -> JSONResponse:
        """201 created, 200 replayed, 409 conflict (kept for review), 422 invalid."""
        try:
            valid = _validate(case, path_uuid=uuid)
        except InvalidCase as exc:
            item = ItemResult(
                index=0, uuid=uuid[:64], status="invalid", received_count=None, error=str(exc)
            )
        else:
            item = _result(0, store.ingest([valid], _workstation(request))[0])
        return JSONResponse(item.model_dump(), _PUT_STATUS[item.status])

    @api.get(
        "/api/v1/cases",
        response_model=CaseList,
        responses=_ERRORS,
        dependencies=auth,
        tags=["cases"],
        summary="List received cases in order of first arrival",
    )
    def list_cases(
        after: Annotated[
            str | None, Query(description="Cursor from a previous page's `next`.")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    ) -> CaseList | JSONResponse:
        """Page with ``after=next`` until ``next`` is null."""
        position = 0
        if after:
            if not after.isdigit() or len(after) > 18:
                return _error(422, "invalid_request", "after: not a cursor from this server")
            position = int(after)
        rows, next_cursor = store.list_cases(position, limit)
        return CaseList.model_validate({"cases": [_summary(r) for r in rows], "next": next_cursor})

    @api.get(
        "/api/v1/cases/{uuid}",
        response_model=CaseOut,
        responses={**_ERRORS, 404: {"model": ErrorOut, "description": "Not received."}},
        dependencies=auth,
        tags=["cases"],
        summary="One received case with its payload and conflicting versions",
    )
    def get_case(uuid: Annotated[str, Path()]) -> CaseOut | JSONResponse:
        """404 when the uuid was never stored."""
        try:
            key = normalize_uuid(uuid)
        except InvalidCase as exc:
            return _error(422, "invalid_request", str(exc))
        detail = store.get_case(key)
        if detail is None:
            return _error(404, "not_found", "no case with this uuid")
        conflicts = [
            {
                "payload_sha256": c.payload_sha256,
                "case_no": c.case_no,
                "concluded_at": format_utc(c.concluded_at),
                "payload": c.payload,
                "received_count": c.received_count,
                "first_received_at": format_utc(c.first_received_at),
                "last_received_at": format_utc(c.last_received_at),
                "workstation": c.workstation,
            }
            for c in detail.conflicts
        ]
        return CaseOut.model_validate(
            {
                **_summary(detail.row),
                "payload": detail.payload,
                "payload_sha256": detail.payload_sha256,
                "conflicts": conflicts,
            }
        )

    def _range(first: date, last: date) -> JSONResponse | None:
        if last < first:
            return _error(422, "invalid_request", "to: before from")
        if (last - first).days + 1 > MAX_DIGEST_DAYS:
            return _error(422, "invalid_request", f"at most {MAX_DIGEST_DAYS} days per request")
        return None

    @api.get(
        "/api/v1/digest",
        response_model=DigestOut,
        responses={**_ERRORS, 413: {"model": ErrorOut, "description": "Too many uuids to list."}},
        dependencies=auth,
        tags=["reconciliation"],
        summary="Digest of received uuids for a local date range",
    )
    def digest(
        from_: From,
        to: To,
        uuids: Annotated[bool, Query(description="Include the sorted uuid list.")] = True,
    ) -> DigestOut | JSONResponse:
        """By the case's ``concluded_at`` date in Asia/Shanghai, both ends inclusive.

        The client compares it with its own concluded cases and re-sends those missing.
        """
        bad = _range(from_, to)
        if bad is not None:
            return bad
        listed = sorted(u for day in store.uuids_between(from_, to).values() for u in day)
        if uuids and len(listed) > MAX_DIGEST_UUIDS:
            return _error(413, "too_large", "too many uuids: narrow the range or use /digest/days")
        return DigestOut.model_validate(
            {
                "from": from_,
                "to": to,
                "count": len(listed),
                "sha256": uuid_digest(listed),
                "uuids": listed if uuids else None,
            }
        )

    @api.get(
        "/api/v1/digest/days",
        response_model=DayDigestsOut,
        responses=_ERRORS,
        dependencies=auth,
        tags=["reconciliation"],
        summary="Per-day digests for a local date range",
    )
    def day_digests(from_: From, to: To) -> DayDigestsOut | JSONResponse:
        """Cheap first pass of a long-range reconciliation: fetch full lists only for the days
        whose count or digest differs from the client's."""
        bad = _range(from_, to)
        if bad is not None:
            return bad
        days = [
            {"date": d.day, "count": d.count, "sha256": d.sha256}
            for d in store.day_digests(from_, to)
        ]
        return DayDigestsOut.model_validate({"from": from_, "to": to, "days": days})

    def _openapi() -> dict[str, Any]:
        if api.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            schema = get_openapi(
                title=api.title,
                version=api.version,
                description=api.description,
                routes=api.routes,
            )
            components = schema.setdefault("components", {})
            schemas = components.setdefault("schemas", {})
            for model in (CaseIn, CasePut):
                schemas[model.__name__] = model.model_json_schema(
                    ref_template="#/components/schemas/{model}"
                )
            components["schemas"] = dict(sorted(schemas.items()))  # a stable, readable order
            api.openapi_schema = schema
        return api.openapi_schema

    api.openapi = _openapi  # type: ignore[method-assign]

    inner: ASGIApp = api
    if fail_rate > 0 or latency_ms > 0:
        inner = FaultInjector(
            api,
            fail_rate=fail_rate,
            latency_ms=latency_ms,
            modes=fault_modes,
            hang_seconds=hang_seconds,
            seed=seed,
            exempt_paths=(HEALTH_PATH,),
        )
    return CentralApp(_Gate(inner, token_map, max_body_bytes), api)


class CentralApp:
    """The gate-wrapped ASGI app that still exposes the FastAPI app's ``openapi`` and ``state``."""

    def __init__(self, app: ASGIApp, api: FastAPI) -> None:
        self._app = app
        self.api = api
        self.state = api.state

    def openapi(self) -> dict[str, Any]:
        """The OpenAPI document of the API (what ``openapi.json`` holds)."""
        return self.api.openapi()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._app(scope, receive, send)


def openapi_text(schema: dict[str, Any]) -> str:
    """The committed form of an OpenAPI document: indented, UTF-8, trailing newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
