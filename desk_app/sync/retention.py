"""Retention: mask the personal data of every case past the retention period, whatever its state.

"Past the period" depends on whether the hall still owes the case to the central backend:

* acknowledged by the backend (outbox ``sent``): acknowledged more than the period ago;
* settled by hand (outbox ``resolved``): settled more than the period ago (``sent_at`` is
  stamped at settlement; a row settled before that was recorded counts from its creation);
* waiting for delivery (outbox ``pending`` or ``dead``): never. The backend must still receive
  the full case; a dead letter can be retried once its cause is fixed. Resolving it by hand
  starts its period;
* never delivered because it never will be (``rejected``, ``terminated``) or because it was left
  (``open``, ``notice``: the applicant did not come back): its last activity is older than the
  period;
* in progress (``accepted``, ``deferred``: the hall owes a result): its last activity is older
  than the period *and* its own deadline (办结期限, or the 容缺 due date) passed more than the
  period ago. Such a case is abandoned; a case still inside its time limit is not.

A case's last activity is the latest of its opening, decision, conclusion, any of its events and
any material received. Masked values are kept in clear (``370202********1234``) in place of the sealed ones, so lists
and statistics stay readable without the key; the look-up hash of the ID is cleared; the outbox
payload of a purged case is reduced to its identifiers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from desk_app.domain import clock
from desk_app.domain.errors import Refused
from desk_app.domain.validators import mask_credit_code, mask_id, mask_name, mask_phone
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.assist.retention import purge_sessions
from desk_app.services.cases.views import personal_data
from desk_app.store import Database
from desk_app.store.case_models import (
    Case,
    CaseEvent,
    CaseFile,
    CaseMaterial,
    Evaluation,
    SyncOutbox,
)
from desk_app.store.online_models import WorkOrder
from desk_app.store.share_models import CaseShare

MIN_DAYS, MAX_DAYS = 1, 36500

# Outbox states and case states this module decides on (the case lifecycle documents them).
_ACKNOWLEDGED = ("sent", "resolved")
_UNDELIVERED = ("pending", "dead")
_IN_PROGRESS = ("accepted", "deferred")


@dataclass(frozen=True)
class PurgeReport:
    purged: int

    def to_json(self) -> dict[str, int]:
        return {"purged": self.purged}


def check_days(days: int) -> int:
    """The retention period in days: at least one (zero or less would purge open work)."""
    if not isinstance(days, int) or isinstance(days, bool) or not MIN_DAYS <= days <= MAX_DAYS:
        raise Refused(
            f"保留天数须为 {MIN_DAYS} 到 {MAX_DAYS} 之间的整数: {days!r}",
            f"retention days must be an integer from {MIN_DAYS} to {MAX_DAYS}: {days!r}",
        )
    return days


def _latest(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _day_end(d: date | None) -> datetime | None:
    return clock.day_start(d) + timedelta(days=1) if d is not None else None


def _past_period(
    case: Case,
    box: SyncOutbox | None,
    last_event: datetime | None,
    last_received: datetime | None,
    cutoff: datetime,
) -> bool:
    if box is not None:
        if box.state in _UNDELIVERED:
            return False
        if box.state in _ACKNOWLEDGED:
            settled = box.sent_at or box.created_at
            return settled is not None and settled <= cutoff
        return False  # an outbox state this release does not know: keep the data
    last = _latest(case.opened_at, case.decided_at, case.concluded_at, last_event, last_received)
    if last is None or last > cutoff:
        return False
    if case.state in _IN_PROGRESS:
        due = _latest(_day_end(case.deadline), _day_end(case.deferral_due))
        return due is None or due <= cutoff
    return True


def _mask_case(case: Case) -> None:
    """Sealed values become masked plain values; the look-up hash goes (nobody is found by
    ID any more). A company's name is public and stays as stored (sealed)."""
    p = personal_data(case)
    if case.applicant_kind == "person":
        case.applicant_name = mask_name(p["applicant_name"])
        case.applicant_id_no = mask_id(p["applicant_id_no"])
    else:
        case.applicant_id_no = mask_credit_code(p["applicant_id_no"])
    phone = p["applicant_phone"]
    case.applicant_phone = mask_phone(phone) if phone else None
    if p["agent_name"]:
        case.agent_name = mask_name(p["agent_name"])
    if p["agent_id_no"]:
        case.agent_id_no = mask_id(p["agent_id_no"])
    case.applicant_lookup = None


def purge_personal_data(
    db: Database, retention_days: int, *, now: datetime | None = None
) -> PurgeReport:
    """Mask the personal fields of every case past the retention period (see the module's
    rule) and reduce its outbox payload to identifiers; events and statistics stay."""
    require(db.actor, Operation.SYNC_PURGE)
    check_days(retention_days)
    now = now or clock.now()
    cutoff = now - timedelta(days=retention_days)
    last_event = (
        select(func.max(CaseEvent.at)).where(CaseEvent.case_id == Case.id).scalar_subquery()
    )
    last_received = (
        select(func.max(CaseMaterial.received_at))
        .where(CaseMaterial.case_id == Case.id)
        .scalar_subquery()
    )
    n = 0
    with db.begin() as s:
        rows = s.execute(
            select(Case, SyncOutbox, last_event, last_received)
            .outerjoin(SyncOutbox, SyncOutbox.case_id == Case.id)
            .where(
                Case.opened_at <= cutoff,  # nothing opened within the period can be past it
                ~Case.applicant_id_no.contains("*"),  # not purged yet
            )
            .order_by(Case.opened_at)
            .with_for_update(of=Case)
        ).all()
        for case, box, ev_at, rec_at in rows:
            if not _past_period(case, box, ev_at, rec_at, cutoff):
                continue
            _mask_case(case)
            evaluation = s.scalar(select(Evaluation).where(Evaluation.case_id == case.id))
            if evaluation is not None and evaluation.evaluator:
                evaluation.evaluator = mask_name(evaluation.evaluator)
            if box is not None:
                box.payload = json.dumps(
                    {"uuid": str(case.id), "case_no": case.case_no, "purged_at": clock.iso(now)}
                )
            # The scanned materials go with the rest of the personal data: their row (what,
            # how many pages, when delivered) stays for the figures, the content does not.
            for f in s.scalars(
                select(CaseFile).where(CaseFile.case_id == case.id, CaseFile.purged_at.is_(None))
            ):
                f.content, f.purged_at = None, now
            # So does what the sharing gateway returned (免证办): the call records stay.
            for sh in s.scalars(
                select(CaseShare).where(CaseShare.case_id == case.id, CaseShare.purged_at.is_(None))
            ):
                sh.data, sh.licence, sh.purged_at = None, None, now
            n += 1
        purge_sessions(s, cutoff)  # 帮办代办 visitors and authorizations, by the same period
        # 12345 work orders the hall finished with: the citizen's words and contact and the
        # reply, by the same period after the reply or return (number, kind, times stay).
        for o in s.scalars(
            select(WorkOrder).where(
                WorkOrder.purged_at.is_(None),
                func.coalesce(WorkOrder.replied_at, WorkOrder.returned_at) < cutoff,
            )
        ):
            o.text, o.citizen_name, o.citizen_phone, o.reply = "", None, None, None
            o.purged_at = now
    return PurgeReport(n)
