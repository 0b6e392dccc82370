"""What the case services hand to the counter screens and the command line."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from desk_app.domain.cases import MaterialStatus
from desk_app.domain.clock import iso


@dataclass(frozen=True)
class AgentInfo:
    """代办: the agent acting for the applicant, with the authorization (委托书)."""

    name: str
    id_no: str
    scope: str
    valid_until: date
    principal: str | None = None  # defaults to the applicant


@dataclass(frozen=True)
class MaterialLine:
    code: str
    name: str
    required: bool
    key: bool
    status: str  # a MaterialStatus value
    source: str  # applicant | shared | e_licence | produced
    form: str  # e.g. 原件1份
    needed_by: list[str]  # item names
    reason: str  # why it is needed (which item, which answer)
    missing_reason: str | None = None  # why it is missing, as staff recorded it
    # 免证办: pending | fetched | no_record | failed for a material fetched through the
    # platform's sharing gateway (services/cases/sharing.py); None for the others.
    share: str | None = None


@dataclass(frozen=True)
class ItemLine:
    code: str
    name: str
    department: str
    time_limit_days: int
    deadline: date | None
    result: str | None


@dataclass(frozen=True)
class CaseRef:
    """One line of a returning applicant's cases (personal data masked)."""

    case_no: str
    bundle_code: str
    bundle_name: str
    state: str  # a CaseState value
    applicant_name: str
    applicant_id: str
    opened_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "case_no": self.case_no,
            "bundle": self.bundle_code,
            "bundle_name": self.bundle_name,
            "state": self.state,
            "applicant": {"name": self.applicant_name, "id": self.applicant_id},
            "opened_at": iso(self.opened_at),
        }


@dataclass(frozen=True)
class CaseView:
    """A case with personal data masked (as listed everywhere)."""

    id: str
    case_no: str
    bundle_code: str
    bundle_name: str
    state: str  # a CaseState value
    applicant_kind: str
    applicant_name: str
    applicant_id: str
    applicant_phone: str | None
    agent: dict[str, Any] | None
    answers: dict[str, str]
    items: list[ItemLine]
    materials: list[MaterialLine]
    opened_at: datetime
    decided_at: datetime | None
    concluded_at: datetime | None
    decision_reason: str | None
    deadline: date | None
    deferral_due: date | None
    calendar_source: str | None
    evaluation: dict[str, Any] | None
    window: int | None
    staff_name: str | None
    events: list[dict[str, Any]] = field(default_factory=list)
    bad_credit: bool = False  # 失信: rules out 容缺受理 (not listed in the JSON)
    share_consent: bool = False  # the applicant agreed to 免证办 (shared data fetched)

    @property
    def missing(self) -> list[MaterialLine]:
        return [m for m in self.materials if m.required and m.status == MaterialStatus.MISSING]

    @property
    def deferred(self) -> list[MaterialLine]:
        return [m for m in self.materials if m.status == MaterialStatus.DEFERRED]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "case_no": self.case_no,
            "bundle": self.bundle_code,
            "bundle_name": self.bundle_name,
            "state": self.state,
            "applicant": {
                "kind": self.applicant_kind,
                "name": self.applicant_name,
                "id": self.applicant_id,
                "phone": self.applicant_phone,
            },
            "agent": self.agent,
            "answers": self.answers,
            "items": [
                {
                    "code": i.code,
                    "name": i.name,
                    "department": i.department,
                    "time_limit_days": i.time_limit_days,
                    "deadline": i.deadline.isoformat() if i.deadline else None,
                    "result": i.result,
                }
                for i in self.items
            ],
            "materials": [
                {
                    "code": m.code,
                    "name": m.name,
                    "required": m.required,
                    "key": m.key,
                    "status": m.status,
                    "source": m.source,
                    "form": m.form,
                    "needed_by": m.needed_by,
                    "reason": m.reason,
                    "missing_reason": m.missing_reason,
                    "share": m.share,
                }
                for m in self.materials
            ],
            "missing": [m.code for m in self.missing],
            "opened_at": iso(self.opened_at),
            "decided_at": iso(self.decided_at),
            "concluded_at": iso(self.concluded_at),
            "decision_reason": self.decision_reason,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "deferral_due": self.deferral_due.isoformat() if self.deferral_due else None,
            "calendar_source": self.calendar_source,
            "evaluation": self.evaluation,
            "window": self.window,
            "events": self.events,
            "share_consent": self.share_consent,
        }
