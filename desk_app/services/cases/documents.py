"""The case documents as PDFs: 一次性告知单, 受理回执, 容缺受理承诺书 (data from the case,
personal data masked, layout in printing/)."""

from __future__ import annotations

import os
from typing import BinaryIO

from desk_app.domain import clock
from desk_app.domain.cases import ACCEPTED_STATES, RECEIVED, CaseState
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.cases import actions as cases
from desk_app.services.cases.dto import CaseView, MaterialLine
from desk_app.services.common import audit
from desk_app.services.common.errors import Refused
from desk_app.services.hall import setup as hall
from desk_app.store import Database
from printing.case_doc_data import CaseDocData, DocAgent, DocItem, DocMaterial
from printing.case_documents import render_commitment_pdf, render_notice_pdf, render_receipt_pdf
from printing.progress import progress_url

KINDS = ("notice", "receipt", "commitment")


def _material(m: MaterialLine) -> DocMaterial:
    # Why it is missing as staff recorded it; what it is for only when no reason was given.
    return DocMaterial(
        name=m.name,
        form=m.form or "—",
        needed_by=m.needed_by,
        reason=m.missing_reason or m.reason or None,
        key=m.key,
    )


def document_data(db: Database, view: CaseView) -> CaseDocData:
    """What every document prints about the case."""
    settings = hall.read_settings(db)
    agent = None
    if view.agent:
        agent = DocAgent(
            name=view.agent["name"],
            id_masked=view.agent["id"],
            scope=view.agent["scope"] or "",
            validity=f"至 {view.agent['valid_until']}",
        )
    note = None
    if view.calendar_source == "weekends-only":
        note = "所涉年份节假日数据未发布，期限仅按周末推算，如遇调整以实际为准"
    return CaseDocData(
        hall_name=settings["hall_name"],
        case_no=view.case_no,
        bundle_name=view.bundle_name,
        applicant_name=view.applicant_name,
        applicant_id_masked=view.applicant_id,
        applicant_phone_masked=view.applicant_phone,
        agent=agent,
        items=[DocItem(i.name, i.department, i.time_limit_days, i.deadline) for i in view.items],
        window=view.window,
        staff_name=view.staff_name or "",
        accepted_at=view.decided_at or view.opened_at or clock.now(),
        progress_url=progress_url(settings["progress_base_url"], view.id),
        calendar_note=note,
        applicant_id_label="统一社会信用代码" if view.applicant_kind == "company" else "证件号码",
        share_consent=view.share_consent,
        shared=[m.name for m in view.materials if m.share == "fetched"],
    )


def print_case_document(
    db: Database, case_no: str, kind: str, target: str | os.PathLike[str] | BinaryIO
) -> None:
    """Write the ``kind`` document of a case; refused when the case's state has no such paper
    (a notice needs missing materials, a commitment a deferral, a receipt an acceptance)."""
    require(db.actor, Operation.CASE_PRINT)
    if kind not in KINDS:
        raise Refused(f"未知的文书 {kind}", f"document must be one of {', '.join(KINDS)}")
    view = cases.show(db, case_no)
    data = document_data(db, view)
    if kind == "notice":
        outstanding = view.missing + view.deferred  # a 容缺 case still owes its deferred ones
        if not outstanding:
            raise Refused("本办件没有缺少的材料, 无需一次性告知", "nothing is missing")
        render_notice_pdf(data, [_material(m) for m in outstanding], target)
    elif kind == "receipt":
        if view.state not in ACCEPTED_STATES:
            raise Refused("办件尚未受理, 不能出具受理回执", "the case is not accepted")
        received = [_material(m) for m in view.materials if m.status in RECEIVED]
        deferred = [_material(m) for m in view.deferred]
        render_receipt_pdf(data, received, deferred, target, due_date=view.deferral_due)
    else:
        if view.state != CaseState.DEFERRED or view.deferral_due is None:
            raise Refused("只有容缺受理的办件需要承诺书", "only a deferred case has a commitment")
        render_commitment_pdf(
            data, [_material(m) for m in view.deferred], view.deferral_due, target
        )
    # The applicant's name and ID leave the system on this paper: who printed it is kept.
    with db.begin() as s:
        audit.record(s, db.actor, "case.print", case_no, {"document": kind})
