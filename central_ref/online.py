"""What online applications (applications.py) and 12345 work orders (workorders.py) share: who
is calling, the error shapes, the patterns of codes and phones, and a hall's reports.

A hall reports what became of an application or a work order as numbered reports (``seq``, the
hall's number, per application or work order); a report is recorded once, and a repeat of its
number answers ``{"recorded": false}`` without a change (the first wins), so the hall may retry
a report after any failure. ``Report`` is the table's shape; each module has its own table.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError

from central_ref.auth import PRINCIPAL_KEY, Principal
from central_ref.clock import HALL_TZ
from central_ref.schemas import ErrorOut

CODE = r"^[a-z0-9_]{1,64}$"  # a catalog code: bundle, material, question, choice
MOBILE = r"^1[3-9]\d{9}$"  # an 11-digit mainland mobile number
HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"
HALL = r"^[^/\s][^/]{0,63}$"  # a hall: a token name's part before "/" (auth.Principal.scope)


class RecordedOut(BaseModel):
    """The answer to a hall's report."""

    recorded: bool = Field(description="false: this seq was recorded before (nothing changed)")


def error(status: int, code: str, detail: Any) -> JSONResponse:
    """The API's error answer (schemas.ErrorOut)."""
    return JSONResponse({"error": code, "detail": detail}, status)


def invalid(exc: ValidationError | None = None, loc: tuple[Any, ...] = (), msg: str = "") -> Any:
    """422 in the app's validation shape: where and what, never the input."""
    if exc is None:
        errors = [{"loc": ["body", *loc], "msg": msg, "type": "value_error"}]
    else:
        errors = [
            {"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]} for e in exc.errors()
        ]
    return error(422, "invalid_request", errors)


def printable(value: str | None) -> str | None:
    """A pydantic validator's body: text must be printable (or multi-line) and not blank."""
    if value is None:
        return None
    if not value.strip() or not value.replace("\n", "").replace("\r", "").isprintable():
        raise ValueError("must be printable text and not blank")
    return value


def principal_of(request: Request) -> Principal:
    principal = request.scope.get(PRINCIPAL_KEY)
    if not isinstance(principal, Principal):  # the gate sets it on every /api/ route
        raise RuntimeError("request reached a route without passing the gate")
    return principal


def hall_of(request: Request) -> str | JSONResponse:
    """The calling workstation's hall, or the 403 an auditor token gets."""
    principal = principal_of(request)
    if principal.auditor:
        return error(403, "forbidden", "a hall workstation token is needed")
    return str(principal.scope)


def auditor_only(request: Request) -> JSONResponse | None:
    """None for an auditor token (the platform's desks), else the 403 a workstation gets."""
    if principal_of(request).auditor:
        return None
    return error(403, "forbidden", "an auditor token is needed")


def aware(moment: datetime) -> datetime:
    """A reported time with its offset; one without is Asia/Shanghai time (like clock.now)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=HALL_TZ)


def page(rows: list[Any], limit: int) -> int | None:
    """The cursor of the next page: the last row's seq when the page was full, else None."""
    return int(rows[-1].seq) if len(rows) == limit else None


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "Missing or wrong bearer token."},
    403: {"model": ErrorOut, "description": "Not this kind of token."},
    404: {"model": ErrorOut, "description": "No such item (in the caller's hall)."},
    422: {"model": ErrorOut, "description": "`invalid_request`."},
}


def inline_schema(model: Any) -> dict[str, Any]:
    """A model's JSON schema with its definitions inlined (a body read by hand, documented)."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return walk(defs[node["$ref"].rsplit("/", 1)[1]])
            return {k: walk(v) for k, v in node.items()}
        return [walk(v) for v in node] if isinstance(node, list) else node

    return dict(walk(schema))
