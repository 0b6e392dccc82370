"""免证办 at the window: the materials a case's checklist says shared data or an e-licence
replaces are fetched from the departments through the platform's sharing gateway, with the
applicant's consent, and recorded (this module keeps the records; desk_app/sync/share_fetch.py
makes the calls, in the background, so nothing at the counter waits on the network).

A shared material is one row of ``case_shares``:

- ``pending``: to fetch (just opened, or the platform could not be reached: fetched later);
- ``fetched``: "已通过共享获取"; its fields and its e-licence PDF are kept sealed, to be viewed
  (:func:`reveal`, audited) and purged with the case;
- ``no_record`` / ``failed``: the department has nothing for the applicant, or its interface
  failed: the material turns back into one to hand in (``case_materials`` status ``missing``
  with the reason, printed on the 告知单), until a retry fetches it.

Without consent nothing is fetched: those materials are handed in like any other, the reason
saying so. Every call is one ``share_calls`` row (who, case, material, resource, purpose,
outcome, time; no personal data) and one audit entry.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.bundle import Source
from desk_app.domain.cases import CaseState, MaterialStatus
from desk_app.domain.statistics import day_bounds
from desk_app.security.authz import require
from desk_app.security.crypto import decrypt_bytes, encrypt_bytes
from desk_app.security.roles import Operation
from desk_app.services.cases.views import find_case
from desk_app.services.common import audit, protection
from desk_app.services.common.catalog import catalog
from desk_app.services.common.errors import NotFound, Refused
from desk_app.store import Database
from desk_app.store.case_models import Case, CaseMaterial
from desk_app.store.share_models import CaseShare, ShareCall

STATES = ("pending", "fetched", "no_record", "failed")
OUTCOMES = ("ok", "no_record", "failed", "offline")
# Cases whose shared materials are still worth fetching (not decided against, not finished).
ACTIVE = (CaseState.OPEN, CaseState.NOTICE, CaseState.ACCEPTED, CaseState.DEFERRED)
DATA_CONTEXT = "case_shares.data"
LICENCE_CONTEXT = "case_shares.licence"
# Why a shared material is to be handed in after all: (告知单 text, English).
REASONS: dict[str, tuple[str, str]] = {
    "no_consent": (
        "申请人未同意通过数据共享获取, 请提交纸质材料",
        "the applicant did not agree to data sharing: hand in the paper",
    ),
    "no_record": (
        "共享数据中未查到申请人的记录, 请提交纸质材料",
        "the shared data has no record of the applicant: hand in the paper",
    ),
    "unavailable": (
        "部门共享接口暂不可用, 请提交纸质材料(或稍后重试)",
        "the department's interface is not available: hand in the paper (or retry later)",
    ),
    "refused": (
        "平台拒绝了本次共享查询, 请提交纸质材料",
        "the platform refused the request: hand in the paper",
    ),
    "no_interface": (
        "该材料尚未接入共享接口, 请提交纸质材料",
        "this material has no sharing interface yet: hand in the paper",
    ),
}
BY = ("resource", "department", "day")


@dataclass(frozen=True)
class ShareJob:
    """One material to fetch: everything the call needs, the subject's ID unsealed."""

    case_id: uuid.UUID
    case_no: str
    material: str
    resource: str
    subject_kind: str  # person | company
    subject_id: str
    purpose: str


@dataclass(frozen=True)
class ShareOutcome:
    """What one call gave: ``outcome`` one of OUTCOMES; for ``ok`` the fields and licence."""

    outcome: str
    ms: int
    http_status: int | None = None
    reason: str | None = None  # for no_record / failed: a key of REASONS
    fields: list[dict[str, Any]] = field(default_factory=list)
    licence: dict[str, Any] | None = None  # {"number", "verification_code", "issued"}
    licence_pdf: bytes | None = None


@dataclass(frozen=True)
class ShareLine:
    material: str
    name: str
    resource: str
    state: str
    reason: str | None
    licence: bool
    attempts: int
    fetched_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.material,
            "name": self.name,
            "resource": self.resource,
            "state": self.state,
            "reason": self.reason,
            "licence": self.licence,
            "attempts": self.attempts,
            "fetched_at": clock.iso(self.fetched_at) if self.fetched_at else None,
        }


def shared_entries(bundle_code: str, codes: list[str]) -> dict[str, str]:
    """Of the material ``codes``, those of ``bundle_code`` that shared data or an e-licence
    replaces, with the resource each is fetched from ("" when none is named)."""
    try:
        materials = {m.code: m for m in catalog().bundle(bundle_code).materials}
    except KeyError:
        return {}
    return {
        c: materials[c].resource
        for c in codes
        if c in materials and materials[c].source in (Source.SHARED, Source.E_LICENCE)
    }


def start(s: Session, case: Case, obtained: list[str], consent: bool, now: datetime) -> None:
    """At opening (in its unit of work): a pending row for each shared material when the
    applicant consented; without consent, or without an interface, the material is one to
    hand in with the reason."""
    mats = {
        m.material_code: m
        for m in s.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case.id))
    }
    for code, resource in shared_entries(case.bundle_code, obtained).items():
        if consent and resource:
            s.add(
                CaseShare(
                    case_id=case.id,
                    material_code=code,
                    resource=resource,
                    state="pending",
                    attempts=0,
                    updated_at=now,
                )
            )
        elif code in mats:
            m = mats[code]
            m.status = MaterialStatus.MISSING
            m.missing_reason = REASONS["no_interface" if consent else "no_consent"][0]
    if consent:
        case.share_consent_at = now


def jobs(
    db: Database, case_no: str | None = None, *, retry: bool = False, limit: int | None = None
) -> list[ShareJob]:
    """What to fetch: the pending shared materials of ``case_no`` (of every active consented
    case when None, the oldest ``limit`` of them), and with ``retry`` those that came back
    with no record or failed."""
    require(db.actor, Operation.CASE_SHARE)
    states = ("pending", "no_record", "failed") if retry else ("pending",)
    with db.read() as s:
        q = (
            select(CaseShare, Case)
            .join(Case, Case.id == CaseShare.case_id)
            .where(
                CaseShare.state.in_(states),
                CaseShare.purged_at.is_(None),
                Case.share_consent_at.is_not(None),
            )
            .order_by(Case.opened_at, CaseShare.material_code)
        )
        if case_no is not None:
            case = find_case(s, case_no, lock=False)
            q = q.where(Case.id == case.id)
        else:
            q = q.where(Case.state.in_([str(a) for a in ACTIVE]))
        if limit is not None:
            q = q.limit(limit)
        names = _names()
        out = []
        for sh, case in s.execute(q):
            subject = protection.unseal(case.applicant_id_no, "cases.applicant_id_no") or ""
            if not subject or "*" in subject:  # purged
                continue
            name = names.get((case.bundle_code, sh.material_code), sh.material_code)
            out.append(
                ShareJob(
                    case.id,
                    case.case_no,
                    sh.material_code,
                    sh.resource,
                    case.applicant_kind,
                    subject,
                    f"{case.bundle_name}:{name}"[:200],
                )
            )
        return out


def _names() -> dict[tuple[str, str], str]:
    return {(b.code, m.code): m.name for b in catalog().bundles for m in b.materials}


def record(db: Database, job: ShareJob, result: ShareOutcome, now: datetime | None = None) -> str:
    """Record one call's outcome and move the material accordingly; returns the share state.

    ``ok``: fetched, its data sealed; a material that had fallen back to paper and was not
    handed in meanwhile is 免提交 again. ``no_record`` / ``failed``: to hand in, with the
    reason. ``offline``: the call is recorded, the material stays pending."""
    if result.outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {result.outcome!r}")
    now = now or clock.now()
    data = licence = None
    if result.outcome == "ok":
        data = protection.seal_json(
            {"fields": result.fields, "licence": result.licence}, DATA_CONTEXT
        )
        if result.licence_pdf:
            licence = encrypt_bytes(
                protection.cipher(), result.licence_pdf, context=LICENCE_CONTEXT
            )
    with db.begin() as s:
        sh = s.get(CaseShare, (job.case_id, job.material), with_for_update=True)
        if sh is None:
            raise NotFound(f"办件无共享材料 {job.material}", f"no shared material {job.material}")
        s.add(
            ShareCall(
                case_id=job.case_id,
                material_code=job.material,
                resource=job.resource,
                purpose=job.purpose,
                outcome=result.outcome,
                http_status=result.http_status,
                ms=max(0, int(result.ms)),
                staff_id=db.actor.staff_id if db.actor else None,
                at=now,
            )
        )
        audit.record(
            s,
            db.actor,
            "share.fetch",
            job.case_no,
            {"material": job.material, "resource": job.resource, "outcome": result.outcome},
        )
        if result.outcome == "offline" or sh.purged_at is not None:
            return sh.state
        sh.attempts += 1
        sh.updated_at = now
        mat = s.get(CaseMaterial, (job.case_id, job.material))
        if result.outcome == "ok":
            sh.state, sh.reason, sh.data, sh.licence, sh.fetched_at = (
                "fetched",
                None,
                data,
                licence,
                now,
            )
            if mat is not None and mat.status == MaterialStatus.MISSING:
                mat.status, mat.missing_reason = MaterialStatus.OBTAINED, None
        else:
            reason = result.reason or (
                "no_record" if result.outcome == "no_record" else "unavailable"
            )
            sh.state, sh.reason = result.outcome, reason
            if mat is not None and mat.status == MaterialStatus.OBTAINED:
                mat.status = MaterialStatus.MISSING
                mat.missing_reason = REASONS.get(reason, REASONS["unavailable"])[0]
        return sh.state


def lines(db: Database, case_no: str) -> list[ShareLine]:
    """The case's shared materials and where each stands (no personal data)."""
    require(db.actor, Operation.CASE_SHOW)
    with db.read() as s:
        case = find_case(s, case_no, lock=False)
        names = _names()
        return [
            ShareLine(
                sh.material_code,
                names.get((case.bundle_code, sh.material_code), sh.material_code),
                sh.resource,
                sh.state,
                sh.reason,
                sh.licence is not None,
                sh.attempts,
                sh.fetched_at,
            )
            for sh in s.scalars(
                select(CaseShare)
                .where(CaseShare.case_id == case.id)
                .order_by(CaseShare.material_code)
            )
        ]


def reveal(
    db: Database, case_no: str, material: str
) -> tuple[list[dict[str, Any]], dict | None, bytes | None]:
    """What sharing returned for ``material``: its fields, the licence's number and
    verification code, and the e-licence PDF. Shown to the clerk handling the case to check
    it against the visitor; audited like any reveal of personal data."""
    require(db.actor, Operation.SHARE_VIEW)
    with db.begin() as s:
        case = find_case(s, case_no, lock=False)
        sh = s.get(CaseShare, (case.id, material))
        if sh is None or sh.state != "fetched" or sh.data is None:
            raise NotFound(
                f"材料 {material} 没有已获取的共享数据", f"nothing fetched for {material}"
            )
        audit.record(s, db.actor, "share.view", case.case_no, {"material": material})
        doc = protection.unseal_json(sh.data, DATA_CONTEXT)
        pdf = (
            decrypt_bytes(protection.cipher(), sh.licence, context=LICENCE_CONTEXT)
            if sh.licence is not None
            else None
        )
        return list(doc.get("fields") or []), doc.get("licence"), pdf


def calls(db: Database, case_no: str) -> list[dict[str, Any]]:
    """``share list CASE``: every call made for the case, oldest first."""
    require(db.actor, Operation.SHARE_LIST)
    with db.read() as s:
        case = find_case(s, case_no, lock=False)
        rows = s.scalars(
            select(ShareCall).where(ShareCall.case_id == case.id).order_by(ShareCall.id)
        )
        return [
            {
                "material": r.material_code,
                "resource": r.resource,
                "purpose": r.purpose,
                "outcome": r.outcome,
                "http_status": r.http_status,
                "ms": r.ms,
                "at": clock.iso(r.at),
            }
            for r in rows
        ]


def stats(
    db: Database, by: str = "resource", first: date | None = None, last: date | None = None
) -> list[dict[str, Any]]:
    """``share stats``: calls (ok / no record / failed; an unreachable platform counts as
    failed) and materials saved (shared materials fetched, so not handed in) per resource,
    department (the resource's prefix) or hall day, over the calls made in the period."""
    require(db.actor, Operation.SHARE_STATS)
    if by not in BY:
        raise Refused(f"未知的分组 {by}", f"--by must be one of {', '.join(BY)}")
    rows: dict[str, dict[str, Any]] = {}

    def key_of(resource: str, at: datetime) -> str:
        if by == "resource":
            return resource
        if by == "department":
            return resource.split(".", 1)[0]
        return clock.hall_day(at).isoformat()

    def row(key: str) -> dict[str, Any]:
        return rows.setdefault(
            key,
            {"key": key, "calls": 0, "ok": 0, "no_record": 0, "failed": 0, "materials_saved": 0},
        )

    with db.read() as s:
        q = select(ShareCall.resource, ShareCall.at, ShareCall.outcome)
        f = select(CaseShare.resource, CaseShare.fetched_at).where(CaseShare.state == "fetched")
        if first is not None and last is not None:
            start, end = day_bounds(first, last)
            q = q.where(ShareCall.at >= start, ShareCall.at < end)
            f = f.where(CaseShare.fetched_at >= start, CaseShare.fetched_at < end)
        for resource, at, outcome in s.execute(q):
            r = row(key_of(resource, at))
            r["calls"] += 1
            r["ok" if outcome == "ok" else outcome if outcome == "no_record" else "failed"] += 1
        for resource, fetched_at in s.execute(f):
            if fetched_at is not None:
                row(key_of(resource, fetched_at))["materials_saved"] += 1
    return [rows[k] for k in sorted(rows)]
