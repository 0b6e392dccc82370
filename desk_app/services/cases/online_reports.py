"""The states of online cases (网办件) owed to the platform: one numbered ``online_reports`` row
per state the citizen must see, written in the transaction that changed the case (the case
lifecycle and the opening call these; desk_app/sync/online_sync.py sends them)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_app.domain.cases import CaseAction, MaterialStatus
from desk_app.store.case_models import Case, CaseMaterial
from desk_app.store.online_models import OnlineReport

# What each case action tells the citizen (terminate: the deferred materials never came).
STATE_OF = {
    CaseAction.ACCEPT: "accepted",
    CaseAction.DEFER: "deferred",
    CaseAction.NOTICE: "notice",
    CaseAction.REJECT: "rejected",
    CaseAction.CONCLUDE: "concluded",
    CaseAction.TERMINATE: "rejected",
}


def report(s: Session, case: Case, state: str, at: datetime, **detail: Any) -> None:
    """One state owed to the platform, numbered after the case's last (in the caller's unit)."""
    last = s.scalar(select(func.max(OnlineReport.seq)).where(OnlineReport.case_id == case.id))
    clean = {k: v for k, v in detail.items() if v}
    s.add(
        OnlineReport(
            case_id=case.id,
            seq=int(last or 0) + 1,
            state=state,
            at=at,
            detail=json.dumps(clean, ensure_ascii=False) if clean else None,
        )
    )


def on_event(s: Session, case: Case, action: CaseAction, at: datetime) -> None:
    """The case lifecycle's hook: an online case's decision or conclusion is reported (with
    the materials still owed, for a 告知 or a 容缺)."""
    if case.channel != "online" or action not in STATE_OF:
        return
    state = STATE_OF[action]
    missing = list(
        s.scalars(
            select(CaseMaterial.name)
            .where(
                CaseMaterial.case_id == case.id,
                CaseMaterial.required.is_(True),
                CaseMaterial.status.in_([MaterialStatus.MISSING, MaterialStatus.DEFERRED]),
            )
            .order_by(CaseMaterial.material_code)
        )
    )
    report(
        s,
        case,
        state,
        at,
        reason=case.decision_reason if state in ("rejected", "notice") else None,
        missing=missing if state in ("notice", "deferred") else None,
    )
