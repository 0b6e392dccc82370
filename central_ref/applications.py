"""Online applications (网办件): a citizen applies for a 一件事 bundle in the province's app, the
hall pulls the application, reviews it like a walk-in case and reports each step back, and the
citizen follows it with the application's query code.

- ``POST /public/v1/halls/{hall}/applications`` (no token: the citizen's app): the applicant,
  the situation answers and the materials, each a file (PDF, JPEG or PNG, base64) or a shared
  data resource's code; 201 ``{"id", "code", "received_at"}``. ``mode`` ``online`` is 全程网办
  (concluded without a visit), ``pickup`` 网上申请、窗口取件.
- ``GET /public/v1/applications/{id}?code=CODE`` (no token): its state and the hall's reports,
  no personal data; 404 unless the code is the application's.
- ``GET /api/v1/applications?after=SEQ&limit=N`` (workstation token): the hall's applications
  with ``seq > after``, oldest first, with the personal data; ``next`` as in appointments.
- ``GET /api/v1/applications/{id}/files/{index}`` (workstation token): a material's bytes.
- ``POST /api/v1/applications/{id}/states`` (workstation token): one numbered report of the
  hall (online.py): recorded once per (application, seq); the application's state is its
  highest recorded report's.

Another hall's application is a 404 to a workstation; auditor tokens get 403 here. Personal
data is sealed at rest (application_store.py). Logs name the hall, the application's id, the
bundle and the state: never a name, an ID, a phone, a file or a text.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, Path, Query, Request, Security
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPBearer
from pydantic import AfterValidator, BaseModel, Field, ValidationError, model_validator
from starlette.concurrency import run_in_threadpool

from central_ref.application_store import (
    CODE_LENGTH,
    citizen_view,
    create_tables,
    file_of,
    hall_page,
    record_state,
    store_application,
)
from central_ref.appointments import CODE_ALPHABET
from central_ref.online import (
    CODE,
    ERRORS,
    HHMM,
    MOBILE,
    RecordedOut,
    aware,
    error,
    hall_of,
    inline_schema,
    invalid,
    principal_of,
    printable,
)
from central_ref.share_resources import RESOURCES, check_subject
from central_ref.store import Store

log = logging.getLogger("central_ref.applications")

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TOTAL_BYTES = 40 * 1024 * 1024
MAX_BODY_BYTES = 60 * 1024 * 1024  # 40 MiB as base64 (53.4 MiB) and the rest of the body
MAX_MATERIALS = 30
MAX_ANSWERS = 50
MAGIC = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
Code = Annotated[str, Field(pattern=CODE)]
State = Literal[
    "received", "accepted", "notice", "rejected", "deferred", "concluded", "pickup_booked"
]


# -- request and response models --------------------------------------------------------------


class ApplicantIn(BaseModel):
    kind: Literal["person", "company"]
    name: Annotated[str, Field(min_length=1, max_length=100), AfterValidator(printable)]
    id: str = Field(min_length=18, max_length=18, description="Resident ID or credit code.")
    phone: str | None = Field(default=None, pattern=MOBILE)

    @model_validator(mode="after")
    def checked(self) -> ApplicantIn:
        self.id = check_subject(self.kind, self.id)  # its message never quotes the ID
        self.name = self.name.strip()
        return self


class FileIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=200), AfterValidator(printable)]
    content_base64: str = Field(min_length=4, max_length=4 * -(-MAX_FILE_BYTES // 3))


class MaterialIn(BaseModel):
    code: Code
    file: FileIn | None = None
    resource: str | None = Field(default=None, max_length=80, examples=["health.delivery_record"])

    @model_validator(mode="after")
    def one_source(self) -> MaterialIn:
        if (self.file is None) == (self.resource is None):
            raise ValueError("give either a file or a resource")
        if self.resource is not None and self.resource not in RESOURCES:
            raise ValueError("not a shared data resource's code")
        return self


class ApplicationIn(BaseModel):
    bundle: Code
    mode: Literal["online", "pickup"]
    applicant: ApplicantIn
    answers: dict[Code, Code] = Field(default_factory=dict, max_length=MAX_ANSWERS)
    materials: list[MaterialIn] = Field(default_factory=list, max_length=MAX_MATERIALS)


class SubmittedOut(BaseModel):
    id: str
    code: str = Field(description=f"The query code: {CODE_LENGTH} of `{CODE_ALPHABET}`.")
    received_at: str


class PickupIn(BaseModel):
    date: date
    start: str = Field(pattern=HHMM)


class StateIn(BaseModel):
    seq: int = Field(ge=1, le=2**62, description="The hall's number of this report.")
    state: State
    at: datetime
    reason: Annotated[str, Field(max_length=500), AfterValidator(printable)] | None = None
    missing: list[Annotated[str, Field(min_length=1, max_length=200)]] | None = Field(
        default=None, max_length=50
    )
    pickup: PickupIn | None = None


class ApplicationEventOut(BaseModel):
    state: str
    at: str
    reason: str | None
    missing: list[str] | None
    pickup: dict[str, str] | None


class CitizenViewOut(BaseModel):
    id: str
    bundle: str
    mode: str
    state: str
    received_at: str
    events: list[ApplicationEventOut]


class ApplicationOut(BaseModel):
    seq: int
    id: str
    bundle: str
    mode: str
    applicant: dict[str, str | None]
    answers: dict[str, str]
    materials: list[dict[str, Any]]
    received_at: str


class ApplicationsOut(BaseModel):
    applications: list[ApplicationOut]
    next: int | None


# -- submitting -------------------------------------------------------------------------------


def check(raw: Any) -> tuple[dict[str, Any], dict[int, tuple[bytes, str]]] | JSONResponse:
    """The application in ``raw`` (parsed JSON) without the files' content and the files
    decoded (index: bytes, content type), or the 422 answer."""
    try:
        body = ApplicationIn.model_validate(raw)
    except ValidationError as exc:
        return invalid(exc)
    files: dict[int, tuple[bytes, str]] = {}
    total = 0
    for index, material in enumerate(body.materials):
        if material.file is None:
            continue
        loc = ("materials", index, "file", "content_base64")
        try:
            data = base64.b64decode(material.file.content_base64, validate=True)
        except (binascii.Error, ValueError):
            return invalid(None, loc, "not base64")
        kind = next((t for magic, t in MAGIC.items() if data.startswith(magic)), None)
        if kind is None:
            return invalid(None, loc, "not a PDF, JPEG or PNG file")
        if len(data) > MAX_FILE_BYTES:
            return invalid(None, loc, f"over {MAX_FILE_BYTES} bytes")
        total += len(data)
        if total > MAX_TOTAL_BYTES:
            return invalid(None, ("materials",), f"files over {MAX_TOTAL_BYTES} bytes in all")
        files[index] = (data, kind)
    fields = body.model_dump(mode="json")
    for m in fields["materials"]:
        if m["file"]:
            del m["file"]["content_base64"]
    return fields, files


def submit_json(store: Store, hall: str, raw: Any) -> dict[str, str]:
    """Check and store an application (the command line): ValueError says where and what."""
    create_tables(store)
    checked = check(raw)
    if isinstance(checked, JSONResponse):
        problems = json.loads(bytes(checked.body))["detail"]
        raise ValueError("; ".join(f"{'.'.join(map(str, p['loc'][1:]))}: {p['msg']}"
                                   for p in problems))  # fmt: skip
    return submit(store, hall, *checked)


def submit(
    store: Store, hall: str, fields: dict[str, Any], files: dict[int, tuple[bytes, str]]
) -> dict[str, str]:
    """Store a checked application; the 201 answer's body."""
    answer = store_application(store, hall, fields, files)
    log.info("application %s for %s received (%s, %d file(s))", answer["id"], hall,
             fields["bundle"], len(files))  # fmt: skip
    return answer


def add_application_routes(api: FastAPI, store: Store) -> None:
    """Create the tables (if missing) and add the routes above to ``api``."""
    create_tables(store)
    bearer = HTTPBearer(
        auto_error=False, scheme_name="WorkstationToken", description="One token per workstation."
    )
    hall_api = APIRouter(
        prefix="/api/v1/applications",
        tags=["online applications (hall)"],
        dependencies=[Security(bearer)],
        responses=ERRORS,
    )
    public = APIRouter(prefix="/public/v1", tags=["online applications (citizen)"])

    def too_large() -> JSONResponse:
        return error(413, "too_large", f"request body over {MAX_BODY_BYTES} bytes")

    @public.post(
        "/halls/{hall}/applications",
        status_code=201,
        response_model=SubmittedOut,
        responses={413: {"description": "Body too large."}, 422: ERRORS[422]},
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": inline_schema(ApplicationIn)}},
            }
        },
        summary="Apply online for a bundle (the citizen's app)",
    )
    async def public_submit(hall: Annotated[str, Path(max_length=64)], request: Request) -> Any:
        """Files: PDF, JPEG or PNG (by their first bytes), each at most 10 MiB, 40 MiB in all."""
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            return too_large()
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                return too_large()
            chunks.append(chunk)
        try:
            raw = json.loads(b"".join(chunks))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            return error(422, "invalid_request", "body: not JSON this server can read")
        checked = await run_in_threadpool(check, raw)
        if isinstance(checked, JSONResponse):
            return checked
        return JSONResponse(await run_in_threadpool(submit, store, hall, *checked), 201)

    @public.get(
        "/applications/{app_id}",
        response_model=CitizenViewOut,
        responses={404: ERRORS[404]},
        summary="The citizen follows an application (by its query code)",
    )
    def public_view(
        app_id: Annotated[str, Path()],
        code: Annotated[str, Query(description="The query code of the 201 answer.")],
    ) -> Any:
        """404 unless ``code`` is the application's query code."""
        view = citizen_view(store, app_id, code)
        return view or error(404, "not_found", "no application with this id and code")

    @hall_api.get("", response_model=ApplicationsOut, summary="The hall's applications after a seq")
    def list_applications(
        request: Request,
        after: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> Any:
        """Oldest first; page with ``after=next`` until ``next`` is null."""
        hall = hall_of(request)
        return hall if isinstance(hall, JSONResponse) else hall_page(store, hall, after, limit)

    @hall_api.get(
        "/{app_id}/files/{index}",
        response_class=Response,
        responses={200: {"content": {t: {} for t in MAGIC.values()}}},
        summary="A material's file (PDF, JPEG or PNG)",
    )
    def get_file(
        request: Request,
        app_id: Annotated[str, Path()],
        index: Annotated[int, Path(description="The material's index.")],
    ) -> Any:
        hall = hall_of(request)
        if isinstance(hall, JSONResponse):
            return hall
        found = file_of(store, hall, app_id, index) if 0 <= index < MAX_MATERIALS else None
        if found is None:
            return error(404, "not_found", "no such file of an application of this hall")
        return Response(found[0], media_type=found[1])

    @hall_api.post("/{app_id}/states", response_model=RecordedOut, summary="Report a step")
    def post_state(request: Request, app_id: Annotated[str, Path()], body: StateIn) -> Any:
        """Recorded once per (application, seq): a repeat answers ``recorded: false`` and
        changes nothing. The application's state is its highest recorded seq's."""
        hall = hall_of(request)
        if isinstance(hall, JSONResponse):
            return hall
        workstation = principal_of(request).name
        report = body.model_dump() | {"at": aware(body.at)}
        if body.pickup is not None:
            report["pickup"] = body.pickup.model_dump(mode="json")
        recorded = record_state(store, hall, app_id, report, workstation)
        if recorded is None:
            return error(404, "not_found", "no such application of this hall")
        if recorded:
            log.info("application %s: %s reported by %s", app_id, body.state, workstation)
        return {"recorded": recorded}

    api.include_router(hall_api)
    api.include_router(public)
