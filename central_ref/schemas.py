"""The API's request and response models (pydantic): what ``openapi.json`` documents."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

DESCRIPTION = """\
Reference implementation of the central (city/province) platform's case-sync API for the
高效办成一件事 service-hall desk application. See docs/central-api.md for the rules in prose.

* **Auth**: `Authorization: Bearer TOKEN`, one token per workstation. Missing or wrong token:
  401 with a JSON error body. Only `GET /api/v1/health` works without a token.
* **Scopes**: a workstation token reads (cases, digests) only the cases that workstation sent
  itself; another workstation's case is answered as if it did not exist. An auditor token
  reads every case and uploads nothing (403). No token can replace a stored case.
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


def openapi_ref(model: type[BaseModel]) -> WithJsonSchema:
    # Items are received as arbitrary JSON (so one bad item cannot 422 the whole batch) but
    # documented as the model; the model itself is added to components in _openapi().
    return WithJsonSchema({"$ref": f"#/components/schemas/{model.__name__}"})


class BatchIn(BaseModel):
    """A batch of at most 500 cases (413 beyond)."""

    cases: list[Annotated[Any, openapi_ref(CaseIn)]] = Field(description="1 to 500 cases.")


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
