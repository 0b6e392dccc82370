"""The reference central backend's HTTP API (FastAPI): ``create_app`` builds it.

Layers, outermost first:

1. ``auth.Gate`` (raw ASGI): bearer-token check for everything under ``/api/`` except the
   health check (it sets the caller's ``auth.Principal``: a workstation or an auditor), and
   the request body read up front with a size limit.
2. ``faults.FaultInjector``: latency and injected failures (only when configured).
3. FastAPI: validation, the routes below, the store. Request and response models are in
   ``schemas``; what a case must look like is in ``rules``.

Nothing a caller sends may end in a 500: a bad case is ``invalid`` in its own result, an
unreadable body a 422, and an answer never quotes more than a short, UTF-8-safe excerpt.
Endpoints are plain ``def`` functions: FastAPI runs them on worker threads (blocking SQLAlchemy).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any, Unpack

from fastapi import Body, FastAPI, Path, Query, Request, Security
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from central_ref import API_VERSION, applications, workorders
from central_ref.anchors import add_anchor_routes
from central_ref.appointments import add_appointment_routes
from central_ref.auth import (
    HEALTH_PATH,
    Gate,
    TokenTable,
    parse_auditor_tokens,
    parse_tokens,
)
from central_ref.catalogs import add_catalog_routes
from central_ref.eid import add_eid_routes
from central_ref.faults import ALL_MODES, FaultInjector
from central_ref.files import add_file_routes
from central_ref.online import principal_of as _principal
from central_ref.rules import (
    InvalidCase,
    ValidCase,
    format_utc,
    normalize_uuid,
    printable,
    uuid_digest,
)
from central_ref.rules import validate_case as _validate
from central_ref.schemas import (
    DESCRIPTION,
    BatchIn,
    BatchOut,
    CaseIn,
    CaseList,
    CaseOut,
    CasePut,
    DayDigestsOut,
    DigestOut,
    ErrorOut,
    HealthOut,
    ItemResult,
    openapi_ref,
)
from central_ref.sharing import ShareOptions, add_share_routes
from central_ref.store import CaseRow, Outcome, Store

__all__ = ["CentralApp", "create_app", "openapi_text", "parse_tokens"]

log = logging.getLogger("central_ref.app")

MAX_BATCH = 500
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
MAX_BODY_BYTES = 16 * 1024 * 1024  # a full batch of 500 cases of a few KB each: a few MB
MAX_DIGEST_UUIDS = 200_000  # the digest refuses to list more (ask per day, or uuids=false)
MAX_DIGEST_DAYS = 366
# How much of a rejected value (an invalid uuid, an error text) an answer quotes.
MAX_ECHO = 64
MAX_ERROR = 300


def _echo(value: object) -> str:
    """A rejected value quoted back: at most ``MAX_ECHO`` characters, always UTF-8-safe."""
    return printable(value if isinstance(value, str) else repr(value), MAX_ECHO)[:MAX_ECHO]


def _invalid(index: int, raw_uuid: object, exc: InvalidCase) -> ItemResult:
    return ItemResult(
        index=index,
        uuid=_echo(raw_uuid) if isinstance(raw_uuid, str) else None,
        status="invalid",
        received_count=None,
        error=printable(str(exc), MAX_ERROR),
    )


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


class _SafeJSON(JSONResponse):
    """JSON that never fails to encode: a lone surrogate becomes a ``\\udXXX`` escape."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.encode("utf-8", "backslashreplace")


def _error(
    status: int, code: str, detail: Any, headers: dict[str, str] | None = None
) -> JSONResponse:
    return _SafeJSON({"error": code, "detail": jsonable_encoder(detail)}, status, headers)


def _uploader(request: Request) -> str | JSONResponse:
    """The workstation uploading, or a 403 for an auditor (who reads and never uploads)."""
    principal = _principal(request)
    if principal.auditor:
        return _error(403, "forbidden", "an auditor token reads cases; it cannot upload them")
    return principal.name


From = Annotated[date, Query(alias="from", description="First local (Asia/Shanghai) date.")]
To = Annotated[date, Query(description="Last local date, inclusive.")]
_PUT_STATUS = {"created": 201, "replayed": 200, "conflict": 409, "invalid": 422}
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "Missing or wrong bearer token."},
    403: {"model": ErrorOut, "description": "An auditor token on an upload."},
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
    auditor_tokens: Iterable[str] = (),
    **share: Unpack[ShareOptions],
) -> CentralApp:
    """The ASGI application: the FastAPI app wrapped in the auth gate and fault injection.

    ``tokens`` (workstations) and ``auditor_tokens`` are ``TOKEN`` or ``NAME=TOKEN`` strings
    (see ``parse_tokens``); a bare auditor token is named ``auditor``; ``share`` configures the
    shared-data gateway (``sharing.ShareOptions``). Tables are created here if missing. The
    result has ``openapi()`` and ``state`` like the inner FastAPI app, so tests can use either.
    """
    token_table = TokenTable(parse_tokens(tokens), parse_auditor_tokens(auditor_tokens))
    store = db_url if isinstance(db_url, Store) else Store(db_url)
    store.create_schema()

    api = FastAPI(
        title="central-ref: 高效办成一件事 case-sync API",
        version=API_VERSION,
        description=DESCRIPTION,
    )
    api.state.store = store
    add_appointment_routes(api, store)  # online booking (central_ref.appointments)
    add_anchor_routes(api, store)  # audit-chain heads (central_ref.anchors)
    add_catalog_routes(api, store)  # catalog packages (central_ref.catalogs)
    add_eid_routes(api, store)  # e-ID codes (central_ref.eid)
    add_file_routes(api, store)  # the scanned materials of cases (central_ref.files)
    add_share_routes(api, store, **share)  # shared data, 免证办 (central_ref.sharing)
    applications.add_application_routes(api, store)  # online applications, 网办件
    workorders.add_workorder_routes(api, store)  # 12345 work orders, 工单
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
        if exc.status_code == 400:
            # FastAPI's "error parsing the body": not UTF-8, nested past the parser's limit,
            # an integer too long to convert. Malformed JSON like any other: 422.
            return _error(422, "invalid_request", "body: not JSON this server can read")
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error(exc.status_code, code, exc.detail, getattr(exc, "headers", None))

    @api.exception_handler(OperationalError)
    async def _unavailable(_request: Request, exc: OperationalError) -> JSONResponse:
        # The database is down or overloaded: the request was fine, retry it later.
        log.error("database unavailable: %s", type(exc.orig or exc).__name__)
        return _error(503, "unavailable", "database unavailable", {"Retry-After": "1"})

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
        workstation = _uploader(request)
        if isinstance(workstation, JSONResponse):
            return workstation
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
                results[index] = _invalid(index, raw_uuid, exc)
        outcomes = store.ingest(
            [case for _, case in valid], workstation, owner=_principal(request).scope
        )
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
            403: _ERRORS[403],
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
        case: Annotated[Any, Body(), openapi_ref(CasePut)],
    ) -> JSONResponse:
        """201 created, 200 replayed, 409 conflict (kept for review), 422 invalid."""
        workstation = _uploader(request)
        if isinstance(workstation, JSONResponse):
            return workstation
        try:
            valid = _validate(case, path_uuid=uuid)
        except InvalidCase as exc:
            item = _invalid(0, uuid, exc)
        else:
            item = _result(
                0, store.ingest([valid], workstation, owner=_principal(request).scope)[0]
            )
        return _SafeJSON(item.model_dump(), _PUT_STATUS[item.status])

    @api.get(
        "/api/v1/cases",
        response_model=CaseList,
        responses=_ERRORS,
        dependencies=auth,
        tags=["cases"],
        summary="List received cases in order of first arrival",
    )
    def list_cases(
        request: Request,
        after: Annotated[
            str | None, Query(description="Cursor from a previous page's `next`.")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    ) -> CaseList | JSONResponse:
        """Page with ``after=next`` until ``next`` is null. A workstation token lists the cases
        it sent; an auditor token lists all."""
        position = 0
        if after:
            if not after.isdigit() or len(after) > 18:
                return _error(422, "invalid_request", "after: not a cursor from this server")
            position = int(after)
        rows, next_cursor = store.list_cases(position, limit, scope=_principal(request).scope)
        return CaseList.model_validate({"cases": [_summary(r) for r in rows], "next": next_cursor})

    @api.get(
        "/api/v1/cases/{uuid}",
        response_model=CaseOut,
        responses={**_ERRORS, 404: {"model": ErrorOut, "description": "Not received."}},
        dependencies=auth,
        tags=["cases"],
        summary="One received case with its payload and conflicting versions",
    )
    def get_case(request: Request, uuid: Annotated[str, Path()]) -> CaseOut | JSONResponse:
        """404 when the uuid was never stored, or (workstation token) another workstation
        sent it. A workstation sees only the conflicting versions it sent itself."""
        try:
            key = normalize_uuid(uuid)
        except InvalidCase as exc:
            return _error(422, "invalid_request", str(exc))
        detail = store.get_case(key, scope=_principal(request).scope)
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
        request: Request,
        from_: From,
        to: To,
        uuids: Annotated[bool, Query(description="Include the sorted uuid list.")] = True,
    ) -> DigestOut | JSONResponse:
        """By the case's ``concluded_at`` date in Asia/Shanghai, both ends inclusive.

        The client compares it with its own concluded cases and re-sends those missing. A
        workstation token gets the cases it sent; an auditor token all of them.
        """
        bad = _range(from_, to)
        if bad is not None:
            return bad
        by_day = store.uuids_between(from_, to, scope=_principal(request).scope)
        listed = sorted(u for day in by_day.values() for u in day)
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
    def day_digests(request: Request, from_: From, to: To) -> DayDigestsOut | JSONResponse:
        """Cheap first pass of a long-range reconciliation: fetch full lists only for the days
        whose count or digest differs from the client's."""
        bad = _range(from_, to)
        if bad is not None:
            return bad
        days = [
            {"date": d.day, "count": d.count, "sha256": d.sha256}
            for d in store.day_digests(from_, to, scope=_principal(request).scope)
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
    return CentralApp(Gate(inner, token_table, max_body_bytes), api)


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
