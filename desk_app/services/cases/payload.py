"""What the central backend receives for a concluded case: the full record, unmasked (the
platform is the data owner). Built in the transaction that concludes the case."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.services.cases.views import personal_data
from desk_app.store.case_models import Case, CaseMaterial, Evaluation
from desk_app.store.models import Staff, Window

PAYLOAD_CONTEXT = "sync_outbox.payload"  # the outbox row's payload is sealed at rest


def case_payload(session: Session, case: Case) -> dict[str, Any]:
    """The outbox payload of ``case`` (call after its last change is flushed)."""
    p = personal_data(case)  # in clear for the platform; the outbox row seals it again
    mats = session.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case.id)).all()
    ev = session.scalar(select(Evaluation).where(Evaluation.case_id == case.id))
    staff = session.get(Staff, case.staff_id) if case.staff_id else None
    window = (
        session.scalar(select(Window.number).where(Window.id == case.window_id))
        if case.window_id
        else None
    )
    return {
        "uuid": str(case.id),
        "case_no": case.case_no,
        "concluded_at": clock.iso(case.concluded_at),
        "payload": {
            "bundle": case.bundle_code,
            "bundle_name": case.bundle_name,
            "catalog_version": case.catalog_version,
            "applicant": {
                "kind": case.applicant_kind,
                "name": p["applicant_name"],
                "id_no": p["applicant_id_no"],
                "phone": p["applicant_phone"],
            },
            "agent": None
            if not p["agent_name"]
            else {
                "name": p["agent_name"],
                "id_no": p["agent_id_no"],
                "scope": case.auth_scope,
                "valid_until": case.auth_valid_until.isoformat() if case.auth_valid_until else None,
            },
            "answers": json.loads(case.answers),
            "results": json.loads(case.results or "{}"),
            "materials": {m.material_code: m.status for m in sorted(mats, key=_code)},
            "opened_at": clock.iso(case.opened_at),
            "decided_at": clock.iso(case.decided_at),
            "deadline": case.deadline.isoformat() if case.deadline else None,
            "deferral_due": case.deferral_due.isoformat() if case.deferral_due else None,
            "window": window,
            "staff": staff.code if staff else None,
            "evaluation": None
            if ev is None
            else {
                "level": ev.level,
                "dimensions": json.loads(ev.dimensions or "{}"),
                "comment": ev.comment,
                "channel": ev.channel,
            },
        },
    }


def _code(m: CaseMaterial) -> str:
    return m.material_code
