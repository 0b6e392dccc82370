"""The platform's data-sharing gateway (数据共享交换, 免证办): a hall asks a department's data
resource about a person or a company instead of asking the visitor for the paper.

- ``POST /api/v1/share/{resource}`` (workstation token) with ``{"subject": {"kind", "id"},
  "case", "purpose", "material"?}``: 200 with the record's fields (and, for a ``licence``
  resource, the e-licence: number, verification code, issue date and a one-page PDF,
  share_licence); 404 ``no_record``; 404 ``unknown_resource``; 422 ``invalid_request`` (a
  malformed body, an ID failing its check character, a subject kind the resource does not
  take, a case, purpose or material quoting the subject's ID); 503 ``resource_unavailable``
  (``Retry-After``) when the department is down; auditor tokens 403.
- ``GET /api/v1/share/resources`` (any token): the registry (share_resources).
- ``GET /api/v1/share/calls?from=&to=`` (auditor token): calls counted by resource and outcome.
- ``POST /api/v1/share/_faults`` (auditor token): change the injected faults while running.

The subject's ID travels only in a POST body and is never logged or stored: records are found
by a keyed lookup and sealed (share_store). Every answered call about a known resource is
recorded in ``share_calls`` (outcome ``ok``, ``no_record``, ``refused``: an auditor token or a
department down, ``invalid``) in the transaction that looked the record up; an unknown resource
is not (its code may be anything). Logs name the workstation, the resource and the outcome.
"""

from __future__ import annotations

import base64
import logging
import time
from datetime import date
from typing import Annotated, Any, Literal, Unpack

from fastapi import APIRouter, Body, FastAPI, Path, Query, Request, Security
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, ValidationError, WithJsonSchema, field_validator

from central_ref.auth import PRINCIPAL_KEY, Principal
from central_ref.clock import now
from central_ref.rules import format_utc
from central_ref.schemas import ErrorOut
from central_ref.share_licence import render
from central_ref.share_resources import DEPARTMENTS, RESOURCES, Resource, check_subject, masked
from central_ref.share_store import (
    ShareFaults,
    ShareOptions,
    call_counts,
    create_tables,
    lookup_and_record,
    record_call,
)
from central_ref.store import Store

log = logging.getLogger("central_ref.sharing")

PREFIX = "/api/v1/share"
MAX_DAYS = 366
RETRY_AFTER_S = 30


def _text(value: str) -> str:
    if not value.strip() or not value.isprintable():
        raise ValueError("must be printable and not blank")
    return value


class ShareSubject(BaseModel):
    """Whom the call is about."""

    kind: Literal["person", "company"]
    id: str = Field(
        min_length=18,
        max_length=18,
        description="A resident ID (GB 11643) or a unified social credit code (GB 32100).",
    )


class ShareIn(BaseModel):
    """A hall's question to a data resource (the ID travels only here, never in the URL)."""

    subject: ShareSubject
    case: str = Field(min_length=1, max_length=64, description="The case's uuid or number.")
    purpose: str = Field(min_length=1, max_length=200, examples=["新生儿出生一件事:户口登记"])
    material: str | None = Field(
        default=None, min_length=1, max_length=64, description="The catalog material's code."
    )

    @field_validator("case", "purpose", "material")
    @classmethod
    def printable(cls, value: str | None) -> str | None:
        return value if value is None else _text(value)


def _body_schema() -> dict[str, Any]:
    """ShareIn's JSON schema with the subject inlined (the body is validated by hand)."""
    schema = ShareIn.model_json_schema()
    defs = schema.pop("$defs")
    schema["properties"]["subject"] = defs["ShareSubject"]
    return schema


class ShareFieldOut(BaseModel):
    key: str
    label: str
    value: str


class LicenceOut(BaseModel):
    number: str
    verification_code: str = Field(description="核验码: 16 of [A-Z2-7], also the PDF's QR code.")
    issued: date
    pdf_base64: str = Field(description="A one-page A4 PDF of the e-licence.")


class ShareOut(BaseModel):
    """The department's answer: the record's fields, and the e-licence for a licence resource."""

    resource: str
    department: str = Field(description="The department's code (see /share/resources).")
    name: str
    kind: Literal["data", "licence"]
    fields: list[ShareFieldOut]
    licence: LicenceOut | None
    fetched_at: str = Field(description="ISO-8601 UTC (`Z`).")


class ResourceOut(BaseModel):
    code: str
    department: str
    department_name: str
    name: str
    name_en: str
    kind: Literal["data", "licence"]
    subjects: list[Literal["person", "company"]]
    fields: list[dict[str, str]] = Field(description='`[{"key", "label"}]`')


class ResourcesOut(BaseModel):
    resources: list[ResourceOut]


class CallCountOut(BaseModel):
    resource: str
    outcome: Literal["ok", "no_record", "refused", "invalid"]
    count: int


class CallsOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: date = Field(alias="from")
    to: date
    total: int
    counts: list[CallCountOut]


class FaultsIn(BaseModel):
    """Each given setting replaces the current one; an omitted one stays."""

    down: list[str] | None = None
    no_record: list[str] | None = None
    latency_ms: int | None = Field(default=None, ge=0)


class FaultsOut(BaseModel):
    down: list[str]
    no_record: list[str]
    latency_ms: int


def _error(status: int, code: str, detail: Any, headers: dict[str, str] | None = None) -> Any:
    return JSONResponse({"error": code, "detail": detail}, status, headers)


def _invalid(exc: ValidationError | None, loc: list[str], msg: str) -> JSONResponse:
    """422 in the app's validation shape: where and what, never the input."""
    errors: list[dict[str, Any]]
    if exc is None:
        errors = [{"loc": ["body", *loc], "msg": msg, "type": "value_error"}]
    else:
        errors = [
            {"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]} for e in exc.errors()
        ]
    return _error(422, "invalid_request", errors)


def _describe(res: Resource) -> dict[str, Any]:
    return {
        "code": res.code,
        "department": res.department,
        "department_name": DEPARTMENTS[res.department].name,
        "name": res.name,
        "name_en": res.name_en,
        "kind": res.kind,
        "subjects": list(res.subjects),
        "fields": [{"key": f.key, "label": f.label} for f in res.fields],
    }


def _answer(res: Resource, id_number: str, found: dict[str, Any]) -> dict[str, Any]:
    values = found["values"]
    fields = [{"key": f.key, "label": f.label, "value": values.get(f.key, "")} for f in res.fields]
    licence = None
    if res.kind == "licence":
        pdf = render(
            title=res.name,
            department=DEPARTMENTS[res.department].name,
            holder=found["name"],
            holder_id=masked(id_number),
            fields=[(f["label"], f["value"]) for f in fields],
            number=found["licence_number"],
            verification_code=found["verification_code"],
            issued=found["issued"],
        )
        licence = {
            "number": found["licence_number"],
            "verification_code": found["verification_code"],
            "issued": found["issued"].isoformat(),
            "pdf_base64": base64.b64encode(pdf).decode("ascii"),
        }
    return {
        "resource": res.code,
        "department": res.department,
        "name": res.name,
        "kind": res.kind,
        "fields": fields,
        "licence": licence,
        "fetched_at": format_utc(now()),
    }


def add_share_routes(api: FastAPI, store: Store, **options: Unpack[ShareOptions]) -> None:
    """Create the tables (if missing) and add the gateway's routes to ``api``.

    ``options`` are ``ShareOptions``: ``share_down``, ``share_no_record`` (resource codes),
    ``share_latency_ms`` and ``share_synthetic``; ValueError for an unknown code. The faults
    are ``api.state.share_faults`` (a ``ShareFaults``)."""
    faults = ShareFaults(
        options.get("share_down", ()),
        options.get("share_no_record", ()),
        options.get("share_latency_ms", 0),
    )
    synthetic = bool(options.get("share_synthetic", False))
    create_tables(store)
    api.state.share_faults = faults
    router = APIRouter(tags=["shared data"])
    bearer = HTTPBearer(
        auto_error=False, scheme_name="WorkstationToken", description="One token per workstation."
    )
    auth = [Security(bearer)]  # documents the scheme; the gate enforces it
    errors: dict[int | str, dict[str, Any]] = {
        401: {"model": ErrorOut, "description": "Missing or wrong bearer token."},
        403: {"model": ErrorOut, "description": "Not this kind of token."},
        422: {"model": ErrorOut, "description": "`invalid_request`."},
    }

    def principal_of(request: Request) -> Principal:
        principal = request.scope.get(PRINCIPAL_KEY)
        if not isinstance(principal, Principal):  # the gate sets it on every /api/ route
            raise RuntimeError("request reached a route without passing the gate")
        return principal

    def auditor_only(request: Request) -> JSONResponse | None:
        if principal_of(request).auditor:
            return None
        return _error(403, "forbidden", "an auditor token is needed")

    @router.get(
        f"{PREFIX}/resources",
        response_model=ResourcesOut,
        responses=errors,
        dependencies=auth,
        summary="The departments' data resources",
    )
    def list_resources() -> Any:
        """Every resource: its code, department, names, kind, subject kinds and fields."""
        return {"resources": [_describe(r) for r in RESOURCES.values()]}

    @router.get(
        f"{PREFIX}/calls",
        response_model=CallsOut,
        responses=errors,
        dependencies=auth,
        summary="Share calls counted by resource and outcome (auditor)",
    )
    def calls(
        request: Request,
        from_: Annotated[date, Query(alias="from", description="First local date.")],
        to: Annotated[date, Query(description="Last local date, inclusive.")],
    ) -> Any:
        """Calls made on local (Asia/Shanghai) dates ``from``..``to``, for the platform's audit."""
        refused = auditor_only(request)
        if refused is not None:
            return refused
        if to < from_ or (to - from_).days >= MAX_DAYS:
            return _error(422, "invalid_request", f"from..to: in order, at most {MAX_DAYS} days")
        counts = call_counts(store, from_, to)
        total = sum(c["count"] for c in counts)
        return {"from": from_, "to": to, "total": total, "counts": counts}

    @router.post(
        f"{PREFIX}/_faults",
        response_model=FaultsOut,
        responses=errors,
        dependencies=auth,
        summary="Change the gateway's injected faults (auditor; test servers)",
    )
    def set_faults(request: Request, body: FaultsIn) -> Any:
        """Replace the given fault settings; answers all of them."""
        refused = auditor_only(request)
        if refused is not None:
            return refused
        try:
            faults.update(down=body.down, no_record=body.no_record, latency_ms=body.latency_ms)
        except ValueError as exc:
            return _error(422, "invalid_request", str(exc))
        log.info("share faults set by %s: %s", principal_of(request).name, faults.snapshot())
        return faults.snapshot()

    @router.post(
        f"{PREFIX}/{{resource}}",
        response_model=ShareOut,
        responses={
            **errors,
            403: {"model": ErrorOut, "description": "An auditor token: only halls ask."},
            404: {"model": ErrorOut, "description": "`no_record` or `unknown_resource`."},
            503: {"model": ErrorOut, "description": "`resource_unavailable`: retry later."},
        },
        dependencies=auth,
        openapi_extra={"requestBody": {"required": True}},
        summary="Ask a department's data resource about a subject",
    )
    def fetch(
        request: Request,
        resource: Annotated[
            str, Path(description="A resource code, e.g. `hrss.retirement_approval`.")
        ],
        body: Annotated[Any, Body(), WithJsonSchema(_body_schema())] = None,
    ) -> Any:
        """The subject's record in the resource; the call is recorded without personal data."""
        started = time.monotonic()
        principal = principal_of(request)
        res = RESOURCES.get(resource)
        if res is None:
            log.info("share call to an unknown resource by %s", principal.name)
            return _error(404, "unknown_resource", "no data resource with this code")
        call: dict[str, Any] = {"workstation": principal.name}

        def refuse(outcome: str, answer: JSONResponse) -> JSONResponse:
            store.write(lambda s: record_call(s, res.code, outcome, call, started))
            log.info("share %s %s for %s", res.code, outcome, principal.name)
            return answer

        if principal.auditor:
            return refuse("refused", _error(403, "forbidden", "a hall workstation token is needed"))
        try:
            asked = ShareIn.model_validate(body)
        except ValidationError as exc:
            return refuse("invalid", _invalid(exc, [], ""))
        kind = asked.subject.kind
        if kind not in res.subjects:
            msg = f"{res.code} takes {' or '.join(res.subjects)} subjects"
            return refuse("invalid", _invalid(None, ["subject", "kind"], msg))
        try:
            id_number = check_subject(kind, asked.subject.id)
        except ValueError as exc:
            return refuse("invalid", _invalid(None, ["subject", "id"], str(exc)))
        for key in ("case", "purpose", "material"):
            value = getattr(asked, key)
            if value and (id_number in value.upper() or id_number[:17] in value.upper()):
                msg = "must not quote the subject's ID"
                return refuse("invalid", _invalid(None, [key], msg))
        call.update(case_ref=asked.case, purpose=asked.purpose, material=asked.material)
        state = faults.snapshot()
        if state["latency_ms"]:
            time.sleep(state["latency_ms"] / 1000)
        if res.code in state["down"]:
            detail = (
                f"the department's interface is unavailable ({DEPARTMENTS[res.department].name})"
            )
            headers = {"Retry-After": str(RETRY_AFTER_S)}
            return refuse("refused", _error(503, "resource_unavailable", detail, headers))
        found = lookup_and_record(
            store,
            res,
            kind,
            id_number,
            call,
            synthetic=synthetic,
            no_record=res.code in state["no_record"],
            started=started,
        )
        log.info("share %s %s for %s", res.code, "ok" if found else "no_record", principal.name)
        if found is None:
            return _error(404, "no_record", "the department holds no record of this subject")
        try:
            answer = _answer(res, id_number, found)
        except FileNotFoundError:  # the e-licence font: a broken install, not the caller
            log.error("share %s: cannot render the e-licence (font missing)", res.code)
            return _error(
                503, "unavailable", "e-licence rendering unavailable", {"Retry-After": "60"}
            )
        return JSONResponse(answer, headers={"Cache-Control": "no-store"})

    api.include_router(router)
