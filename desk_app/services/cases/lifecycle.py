"""一件事 cases at the counter after opening: receive materials, decide, conclude, terminate.

Each public function is one user action: one unit of work that returns the case's view read in
that same transaction. A decision or a conclusion takes the materials ticked with it
(``received``), so a refused decision leaves nothing behind, received materials included.

Concluding writes the case's sync outbox row in the same transaction. The states and what may
be decided when are in ``desk_app.domain.cases``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.cases import (
    ACCEPTED_STATES,
    RECEIVED,
    STATE_LABELS_ZH,
    CaseAction,
    CaseState,
    Decision,
    MaterialStatus,
    allowed,
    conclusion_refusal,
    decision_options,
    next_state,
)
from desk_app.domain.validators import checked_text
from desk_app.security.authz import require
from desk_app.security.crypto import is_encrypted
from desk_app.security.roles import Operation
from desk_app.services.cases import online_reports as online
from desk_app.services.cases.dto import CaseView
from desk_app.services.cases.payload import PAYLOAD_CONTEXT, case_payload
from desk_app.services.cases.views import (
    case_materials,
    find_case,
    received_codes,
    view_after_changes,
)
from desk_app.services.common import audit, protection
from desk_app.services.common.catalog import checklist_for, work_calendar
from desk_app.services.common.errors import Refused
from desk_app.services.common.lookups import acting_desk, add_event
from desk_app.services.evaluation.ratings import add_evaluation
from desk_app.store import Database
from desk_app.store.case_models import Case, CaseEvent, CaseMaterial, SyncOutbox

DEFAULT_DEFERRAL_DAYS = 5
ITEM_RESULTS = ("approved", "refused")
_FORM_ORDER = (
    MaterialStatus.ORIGINAL,
    MaterialStatus.COPY,
    MaterialStatus.VERIFIED,
    MaterialStatus.ELECTRONIC,
)


def _event(
    s: Session,
    case: Case,
    action: CaseAction,
    before: str | None,
    at: datetime,
    window_id: int | None,
    staff_id: int | None,
    detail: dict | None = None,
) -> None:
    add_event(
        s,
        CaseEvent,
        case_id=case.id,
        action=action,
        from_state=before,
        to_state=case.state,
        window_id=window_id,
        staff_id=staff_id,
        at=at,
        detail=detail,
    )
    online.on_event(s, case, action, at)  # an online application's citizen is told


def not_purged(case: Case) -> None:
    """A case whose personal data the retention purge masked cannot go on: concluding it would
    send masked data to the platform as if it were the applicant's. (Live values are always
    sealed, so a plain ID number means purged.)"""
    if not is_encrypted(case.applicant_id_no):
        raise Refused(
            f"办件 {case.case_no} 的个人信息已按保存期限清除, 不能继续办理, 请重新开件",
            f"case {case.case_no}: its personal data was purged after the retention period; "
            "open a new case",
        )


# -- at the window ------------------------------------------------------------------------------


def receive_materials(
    s: Session,
    case: Case,
    mats: dict[str, CaseMaterial],
    received: Mapping[str, str],
    window_id: int | None,
    staff_id: int | None,
    now: datetime,
) -> None:
    """Tick off ``received`` (material code -> form) in the caller's unit of work: one event
    per form, and ``deferral_met`` when the last deferred material of a deferred case is in."""
    if not allowed(CaseAction.RECEIVE, case.state):
        raise Refused(
            f"办件 {case.case_no} 状态为 {STATE_LABELS_ZH[CaseState(case.state)]}, 不能再收材料",
            f"case is {case.state}: materials can't be received",
        )
    for form in set(received.values()):
        _check_form(form)
    # Staff may name a material as the checklist prints it instead of by its code.
    by_name = {m.name: c for c, m in mats.items()}
    received = {(c if c in mats else by_name.get(c, c)): f for c, f in received.items()}
    unknown = [c for c in received if c not in mats or mats[c].status == MaterialStatus.OBTAINED]
    if unknown:
        raise Refused(
            f"材料 {', '.join(unknown)} 不在本办件的提交清单中",
            f"not on this case's list to submit: {', '.join(unknown)}",
        )
    for form in _FORM_ORDER:
        codes = [c for c, f in received.items() if f == form]
        if not codes:
            continue
        for c in codes:
            mats[c].status = form
            mats[c].received_at = now
        detail = {"materials": codes, "form": str(form)}
        _event(s, case, CaseAction.RECEIVE, case.state, now, window_id, staff_id, detail)
    if case.state == CaseState.DEFERRED and not any(
        m.status == MaterialStatus.DEFERRED for m in mats.values()
    ):
        _event(s, case, CaseAction.DEFERRAL_MET, case.state, now, window_id, staff_id)


def _check_form(form: str) -> None:
    if form not in RECEIVED:
        raise Refused(f"未知的收取方式 {form}", f"form must be one of {', '.join(_FORM_ORDER)}")


def _move(case: Case, action: CaseAction) -> str:
    """Apply ``action`` to the case's state by the domain's table; returns the state before."""
    before = case.state
    after = next_state(action, before)
    if after is None:  # the callers check first, with the user's words; this is the backstop
        raise Refused(
            f"办件当前状态为{STATE_LABELS_ZH[CaseState(before)]}, 不能执行此操作",
            f"cannot {action} a {before} case",
        )
    case.state = after
    return before


def _clean(received: Mapping[str, str] | None) -> dict[str, str]:
    return {c.strip(): f for c, f in (received or {}).items() if c.strip()}


def receive(
    db: Database,
    case_no: str,
    codes: Iterable[str],
    *,
    form: str = MaterialStatus.ORIGINAL,
    window: int | None = None,
    now: datetime | None = None,
) -> CaseView:
    """Tick off materials on their own: received as original or copy, or verified from shared
    data. (A decision or a conclusion takes the ticked materials itself.)"""
    require(db.actor, Operation.CASE_RECEIVE)
    _check_form(form)
    received = _clean(dict.fromkeys(codes, form))
    if not received:
        raise Refused("请指定材料代码", "give at least one material code")
    now = now or clock.now()
    with db.begin() as s:
        case = find_case(s, case_no)
        not_purged(case)
        mats = case_materials(s, case)
        window_id, staff_id = acting_desk(s, window, db.actor)
        receive_materials(s, case, mats, received, window_id, staff_id, now)
        return view_after_changes(s, case)


def decide(
    db: Database,
    case_no: str,
    decision: str,
    *,
    received: Mapping[str, str] | None = None,
    reason: str | None = None,
    days: int | None = None,
    window: int | None = None,
    missing_reasons: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> CaseView:
    """受理 (accept), 容缺受理 (defer), 一次性告知 (notice) or 不予受理 (reject), with the
    materials ticked at the window (``received``: code -> original | copy | verified). All or
    nothing: a refused decision records no material either. ``missing_reasons`` (material code
    or name -> why it is missing) are printed on the notice and the commitment."""
    require(db.actor, Operation.CASE_DECIDE)
    try:
        decision = Decision(decision)
    except ValueError as exc:
        raise Refused(
            f"未知的决定 {decision}", "decision must be accept, defer, notice or reject"
        ) from exc
    reason = checked_text(reason, "reason", "理由", free=True)
    why = {
        code.strip(): checked_text(text, "missing_reason", "暂缺原因", free=True) or None
        for code, text in (missing_reasons or {}).items()
    }
    now = now or clock.now()
    today = clock.hall_day(now)
    cal = work_calendar()
    with db.begin() as s:
        case = find_case(s, case_no)
        not_purged(case)
        mats = case_materials(s, case)
        window_id, staff_id = acting_desk(s, window, db.actor)
        if received:
            receive_materials(s, case, mats, _clean(received), window_id, staff_id, now)
        cl = checklist_for(case.bundle_code, json.loads(case.answers))
        options = decision_options(case.state, cl, received_codes(mats), bad_credit=case.bad_credit)
        option = options[decision]
        if not option.allowed:
            raise Refused(option.message_zh, option.message_en)
        detail: dict | None = None
        if decision is Decision.DEFER:
            limit = options.deferral_limit_days or DEFAULT_DEFERRAL_DAYS
            n = days if days is not None else min(DEFAULT_DEFERRAL_DAYS, limit)
            if n < 1 or n > limit:
                raise Refused(
                    f"补正期限须为 1-{limit} 个工作日 (不超过事项办结时限)",
                    f"deferral must be 1..{limit} working days",
                )
            due = cal.add_workdays(today, n)
            case.deferral_due = due.date
            case.calendar_source = due.source.value
            for e in options.lacking:
                mats[e.code].status = MaterialStatus.DEFERRED
            detail = {
                "deferred": [e.code for e in options.lacking],
                "due": due.date.isoformat(),
                "days": n,
            }
        elif decision is Decision.NOTICE:
            detail = {"missing": [e.code for e in options.lacking]}
        elif decision is Decision.REJECT and not (reason and reason.strip()):
            raise Refused("不予受理须说明理由 (--reason)", "a rejection needs --reason")
        if why:
            _record_missing_reasons(mats, options.lacking, why)
        action = CaseAction(decision.value)
        before = _move(case, action)
        if case.state in ACCEPTED_STATES:
            ends = [cal.add_workdays(today, item.time_limit_days) for item in cl.items]
            case.deadline = max(e.date for e in ends)
            sources = {e.source.value for e in ends} | (
                {case.calendar_source} if case.calendar_source else set()
            )
            case.calendar_source = "weekends-only" if "weekends-only" in sources else "official"
        case.decision_reason = reason.strip() if reason else None
        case.decided_at = now
        _event(s, case, action, before, now, window_id, staff_id, detail)
        audit.record(s, db.actor, f"case.{decision.value}", case.case_no, {"window": window})
        return view_after_changes(s, case)


def _record_missing_reasons(
    mats: dict[str, CaseMaterial], lacking: Iterable[Any], why: Mapping[str, str | None]
) -> None:
    """Store each reason with its material (named by code or name); only a material this
    decision finds missing may get one."""
    by_name = {m.name: c for c, m in mats.items()}
    lacking_codes = {e.code for e in lacking}
    for given, text in why.items():
        code = given if given in mats else by_name.get(given, given)
        if code not in lacking_codes:
            raise Refused(
                f"材料 {given} 不是本次缺少的材料, 不能填写暂缺原因",
                f"{given} is not missing: no reason to record",
            )
        mats[code].missing_reason = text


def conclude(
    db: Database,
    case_no: str,
    *,
    received: Mapping[str, str] | None = None,
    results: Mapping[str, str] | None = None,
    evaluation: int | None = None,
    window: int | None = None,
    now: datetime | None = None,
) -> CaseView:
    """办结, with the deferred materials brought now (``received``): every applicable item gets
    a result (default 准予); the outbox row for the central backend is written in the same
    transaction, so a concluded case is never lost."""
    require(db.actor, Operation.CASE_CONCLUDE)
    now = now or clock.now()
    with db.begin() as s:
        case = find_case(s, case_no)
        not_purged(case)
        mats = case_materials(s, case)
        window_id, staff_id = acting_desk(s, window, db.actor)
        if received:
            receive_materials(s, case, mats, _clean(received), window_id, staff_id, now)
        outstanding = [m.name for m in mats.values() if m.status == MaterialStatus.DEFERRED]
        refusal = conclusion_refusal(case.state, outstanding)
        if refusal is not None:
            raise Refused(*refusal)
        cl = checklist_for(case.bundle_code, json.loads(case.answers))
        item_results = {i.code: "approved" for i in cl.items}
        for code, result in (results or {}).items():
            if code not in item_results:
                raise Refused(f"事项 {code} 不属于本办件", f"item {code} is not in this case")
            if result not in ITEM_RESULTS:
                raise Refused("办理结果须为 approved 或 refused", "result: approved|refused")
            item_results[code] = result
        before = _move(case, CaseAction.CONCLUDE)
        case.concluded_at = now
        case.results = json.dumps(item_results)
        _event(s, case, CaseAction.CONCLUDE, before, now, window_id, staff_id)
        audit.record(s, db.actor, "case.conclude", case.case_no, {"window": window})
        if evaluation is not None:
            add_evaluation(
                s,
                case,
                evaluation,
                dimensions=None,
                comment=None,
                channel="window",
                window_id=window_id or case.window_id,
                staff_id=staff_id or case.staff_id,
                now=now,
            )
        s.flush()
        s.add(
            SyncOutbox(
                case_id=case.id,
                payload=protection.seal_json(case_payload(s, case), PAYLOAD_CONTEXT),
                state="pending",
                attempts=0,
                created_at=now,
                next_attempt_at=now,
            )
        )
        return view_after_changes(s, case)


def terminate(db: Database, case_no: str, reason: str, *, now: datetime | None = None) -> CaseView:
    """A deferred case whose materials did not arrive in time is terminated (终止办理)."""
    require(db.actor, Operation.CASE_TERMINATE)
    reason = checked_text(reason, "reason", "理由", free=True) or ""
    now = now or clock.now()
    with db.begin() as s:
        case = find_case(s, case_no)
        if not allowed(CaseAction.TERMINATE, case.state):
            raise Refused("只有容缺受理的办件可以终止", "only deferred cases can be terminated")
        if not reason.strip():
            raise Refused("终止须说明理由", "a termination needs a reason")
        before = _move(case, CaseAction.TERMINATE)
        case.decision_reason = reason.strip()
        _event(s, case, CaseAction.TERMINATE, before, now, case.window_id, case.staff_id)
        audit.record(s, db.actor, "case.terminate", case.case_no, {})
        return view_after_changes(s, case)
