"""The read model of a case: what the counter screen, the command line and the documents see
(personal data masked). Also the case look-ups the case services share."""

from __future__ import annotations

import json
from typing import TypedDict, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.bundle import FORM_LABELS_ZH, Form, Source
from desk_app.domain.cases import ACCEPTED_STATES, RECEIVED, MaterialStatus
from desk_app.domain.evaluation import LEVEL_LABELS_ZH
from desk_app.domain.validators import (
    mask_credit_code,
    mask_id,
    mask_name,
    mask_phone,
)
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.cases.dto import CaseRef, CaseView, ItemLine, MaterialLine
from desk_app.services.common import audit
from desk_app.services.common.catalog import bundle, checklist_for, work_calendar
from desk_app.services.common.errors import NotFound
from desk_app.services.common.protection import cipher, lookup, unseal
from desk_app.store import Database
from desk_app.store.case_models import Case, CaseEvent, CaseMaterial, Evaluation
from desk_app.store.models import Staff, Window
from desk_app.store.share_models import CaseShare

# The personal columns of a case, sealed at rest, each with the context "cases.<column>".
PERSONAL_COLUMNS = (
    "applicant_name",
    "applicant_id_no",
    "applicant_phone",
    "agent_name",
    "agent_id_no",
)


class PersonalData(TypedDict):
    """A case's personal columns in clear; the applicant's name and number are never empty."""

    applicant_name: str
    applicant_id_no: str
    applicant_phone: str | None
    agent_name: str | None
    agent_id_no: str | None


def personal_data(case: Case) -> PersonalData:
    """The case's personal columns in clear (a purged, masked value stays as it is).

    HallKeyError without the hall key; DecryptionError for a value altered at rest."""
    clear = {col: unseal(getattr(case, col), f"cases.{col}") for col in PERSONAL_COLUMNS}
    return cast(PersonalData, clear)


def find_case(session: Session, case_no: str, *, lock: bool = True) -> Case:
    """The case numbered ``case_no`` (locked for the transaction unless ``lock`` is False)."""
    q = select(Case).where(Case.case_no == case_no.strip())
    if lock:
        q = q.with_for_update()
    case = session.scalar(q)
    if case is None:
        raise NotFound(f"没有办件 {case_no}", f"no case {case_no}")
    return case


def case_materials(session: Session, case: Case) -> dict[str, CaseMaterial]:
    """The case's materials by code."""
    return {
        m.material_code: m
        for m in session.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case.id))
    }


def show(db: Database, case_no: str) -> CaseView:
    """The case, personal data masked."""
    require(db.actor, Operation.CASE_SHOW)
    with db.read() as s:
        return case_view(s, find_case(s, case_no, lock=False))


def reveal(db: Database, case_no: str, reason: str) -> CaseView:
    """The case with its personal data in clear, for a supervisor with a stated reason.

    The reveal is audited in the same transaction as the read: the reason and a keyed
    pseudonym of the applicant's ID, never the ID or the name themselves."""
    actor = db.actor
    require(actor, Operation.CASE_REVEAL)
    reason = audit.reveal_reason(db, reason, "case.reveal", case_no)
    with db.begin() as s:
        case = find_case(s, case_no, lock=False)
        view = case_view(s, case, reveal=True)
        purpose = "resident_id" if case.applicant_kind == "person" else "credit_code"
        audit.record(
            s,
            actor,
            "case.reveal",
            case.case_no,
            {"reason": reason, "applicant": cipher().pseudonym(view.applicant_id, purpose=purpose)},
        )
    return view


def find_cases_by_id(db: Database, id_number: str) -> list[CaseRef]:
    """A returning applicant's cases, newest first, found by the keyed hash of the resident ID
    (or credit code): one indexed look-up, no row decrypted to search. Masked."""
    require(db.actor, Operation.CASE_SHOW)
    id_number = (id_number or "").strip()
    if not id_number:
        return []
    hashes = [lookup(id_number, purpose) for purpose in ("resident_id", "credit_code")]
    with db.read() as s:
        rows = s.scalars(
            select(Case)
            .where(Case.applicant_lookup.in_(hashes))
            .order_by(Case.opened_at.desc(), Case.case_no.desc())
        ).all()
        refs = []
        for case in rows:
            p = personal_data(case)
            person = case.applicant_kind == "person"
            refs.append(
                CaseRef(
                    case.case_no,
                    case.bundle_code,
                    case.bundle_name,
                    case.state,
                    mask_name(p["applicant_name"]) if person else p["applicant_name"],
                    mask_id(p["applicant_id_no"])
                    if person
                    else mask_credit_code(p["applicant_id_no"]),
                    case.opened_at,
                )
            )
        return refs


def view_after_changes(s: Session, case: Case) -> CaseView:
    """The view a use case returns from its own unit of work: its changes flushed and read
    back as stored (the same values a later ``show`` returns)."""
    s.flush()
    s.expire_all()
    return case_view(s, case)


def case_view(s: Session, case: Case, *, reveal: bool = False) -> CaseView:
    """The view of ``case`` as loaded in this session; personal data masked unless ``reveal``
    (only case_reveal.reveal asks for it, and audits it)."""
    p = personal_data(case)
    b = bundle(case.bundle_code)
    answers = json.loads(case.answers)
    cl = checklist_for(case.bundle_code, answers)
    results = json.loads(case.results) if case.results else {}
    cal = work_calendar()
    start = clock.hall_day(case.decided_at) if case.decided_at else None
    items = []
    for item in cl.items:
        deadline = (
            cal.add_workdays(start, item.time_limit_days).date
            if start and case.state in ACCEPTED_STATES
            else None
        )
        items.append(
            ItemLine(
                item.code,
                item.name,
                b.department(item.department).name,
                item.time_limit_days,
                deadline,
                results.get(item.code),
            )
        )
    entries = {e.code: e for e in (*cl.submit, *cl.obtained)}
    shares: dict[str, str] = {
        code: state
        for code, state in s.execute(
            select(CaseShare.material_code, CaseShare.state).where(CaseShare.case_id == case.id)
        )
    }
    lines = []
    for code, m in case_materials(s, case).items():
        e = entries.get(code)
        if e is None:  # catalog changed since the case opened: still show what was recorded
            lines.append(
                MaterialLine(code, m.name, m.required, m.key, m.status, "applicant", "", [], "")
            )
            continue
        # What was handed in: a material ticked as a copy is printed as one, whatever was asked.
        handed = Form.COPY if m.status == MaterialStatus.COPY else e.form
        # A shared material that fell back to paper is asked for like any other.
        paper = e.source is Source.APPLICANT or m.status != MaterialStatus.OBTAINED
        form = f"{FORM_LABELS_ZH[handed]}{e.count}份" if paper else ""
        if m.status == MaterialStatus.ELECTRONIC:  # scanned at the window, the paper given back
            form = "电子件 (原件已退还)"
        lines.append(
            MaterialLine(
                code,
                m.name,
                m.required,
                m.key,
                m.status,
                e.source.value,
                form,
                [b.item(c).name for c in e.needed_by],
                "；".join(r.text_zh() for r in e.reasons),
                m.missing_reason,
                shares.get(code),
            )
        )
    order = {e.code: i for i, e in enumerate((*cl.submit, *cl.obtained))}
    lines.sort(key=lambda m: order.get(m.code, 999))
    window = (
        s.scalar(select(Window.number).where(Window.id == case.window_id))
        if case.window_id
        else None
    )
    staff = s.get(Staff, case.staff_id) if case.staff_id else None
    person = case.applicant_kind == "person"
    return CaseView(
        id=str(case.id),
        case_no=case.case_no,
        bundle_code=case.bundle_code,
        bundle_name=case.bundle_name,
        state=case.state,
        applicant_kind=case.applicant_kind,
        applicant_name=(
            p["applicant_name"] if reveal or not person else mask_name(p["applicant_name"])
        ),
        applicant_id=(
            p["applicant_id_no"]
            if reveal
            else mask_id(p["applicant_id_no"])
            if person
            else mask_credit_code(p["applicant_id_no"])
        ),
        applicant_phone=(
            p["applicant_phone"]
            if reveal or not p["applicant_phone"]
            else mask_phone(p["applicant_phone"])
        ),
        agent=_agent(case, p, reveal),
        answers=answers,
        items=items,
        materials=lines,
        opened_at=case.opened_at,
        decided_at=case.decided_at,
        concluded_at=case.concluded_at,
        decision_reason=case.decision_reason,
        deadline=case.deadline,
        deferral_due=case.deferral_due,
        calendar_source=case.calendar_source,
        evaluation=_evaluation(s, case),
        window=window,
        staff_name=staff.name if staff else None,
        events=[
            {"action": e.action, "from": e.from_state, "to": e.to_state, "at": clock.iso(e.at)}
            for e in s.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
            )
        ],
        bad_credit=case.bad_credit,
        share_consent=case.share_consent_at is not None,
    )


def _agent(case: Case, p: PersonalData, reveal: bool) -> dict | None:
    name, id_no = p["agent_name"], p["agent_id_no"] or ""
    if not name:
        return None
    return {
        "name": name if reveal else mask_name(name),
        "id": id_no if reveal else mask_id(id_no),
        "scope": case.auth_scope,
        "valid_until": case.auth_valid_until.isoformat() if case.auth_valid_until else None,
    }


def _evaluation(s: Session, case: Case) -> dict | None:
    ev = s.scalar(select(Evaluation).where(Evaluation.case_id == case.id))
    if ev is None:
        return None
    return {
        "level": ev.level,
        "label": LEVEL_LABELS_ZH[ev.level],
        "dimensions": json.loads(ev.dimensions or "{}"),
        "comment": ev.comment,
        "negative": ev.negative,
        "follow_up_due": ev.follow_up_due.isoformat() if ev.follow_up_due else None,
    }


def received_codes(mats: dict[str, CaseMaterial]) -> list[str]:
    """Codes of the materials received (original, copy or verified)."""
    return [c for c, m in mats.items() if m.status in RECEIVED]
