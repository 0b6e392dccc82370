"""Finding a returning applicant's case at the counter from what they bring: the case number,
their resident ID (or credit code), or the QR code of a printed receipt or notice, which a
scanner types as the progress URL (``progress_base_url/<case id>``) followed by Enter."""

from __future__ import annotations

import uuid
from urllib.parse import unquote, urlsplit

from sqlalchemy import select

from desk_app.domain.validators import ValidationError, validate_credit_code, validate_resident_id
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.cases.dto import CaseRef
from desk_app.services.cases.views import find_cases_by_id, show
from desk_app.store import Database
from desk_app.store.case_models import Case


def search_key(text: str) -> str:
    """What was typed or scanned, reduced to the case number, case id or ID number it names.

    A URL (the QR of a receipt or notice) gives its last path segment, percent-decoded."""
    text = (text or "").strip()
    if "/" in text:
        path = urlsplit(text).path if "://" in text else text.split("?")[0].split("#")[0]
        segments = [p for p in path.split("/") if p]
        text = unquote(segments[-1]) if segments else ""
    return text.strip()


def find_cases(db: Database, text: str) -> list[CaseRef]:
    """The cases ``text`` names, newest first, personal data masked: every case of a resident ID
    or credit code, or the one case with that number or id (empty when there is none)."""
    require(db.actor, Operation.CASE_SHOW)
    key = search_key(text)
    if not key:
        return []
    for check in (validate_resident_id, validate_credit_code):
        try:
            number = check(key)
        except ValidationError:
            continue
        return find_cases_by_id(db, number)
    try:
        where = Case.id == uuid.UUID(key)
    except ValueError:
        where = Case.case_no == key.upper()
    with db.read() as s:
        case_no = s.scalar(select(Case.case_no).where(where))
    if case_no is None:
        return []
    v = show(db, case_no)
    return [
        CaseRef(
            v.case_no,
            v.bundle_code,
            v.bundle_name,
            v.state,
            v.applicant_name,
            v.applicant_id,
            v.opened_at,
        )
    ]
