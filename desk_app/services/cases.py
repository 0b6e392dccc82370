"""一件事 cases at the counter: open, tick off materials, decide, conclude, evaluate.

Case states::

    open --accept--> accepted --conclude--> concluded
    open --defer (容缺)--> deferred --(all deferred materials received)--> conclude
                                    --terminate (not supplied in time)--> terminated
    open --notice (一次性告知)--> notice --(materials brought later)--> accept / defer / ...
    open | notice --reject--> rejected

Case number: ``YJS-YYYYMMDD-NNNN`` (一件事, the hall's day, a per-day counter row like the
tickets'). Concluding writes the case's sync outbox row in the same transaction.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.bundle import FORM_LABELS_ZH, Audience, Bundle, Source
from desk_app.domain.catalog import Catalog, UnknownBundleError, load_catalog
from desk_app.domain.checklist import (
    AnswerError,
    Checklist,
    deferral_blockers,
    deferral_limit_days,
    missing,
    resolve,
)
from desk_app.domain.validators import (
    ValidationError,
    mask_credit_code,
    mask_id,
    mask_name,
    mask_phone,
    validate_credit_code,
    validate_mobile,
    validate_resident_id,
)
from desk_app.domain.workdays import WorkCalendar
from desk_app.services.case_dto import AgentInfo, CaseRef, CaseView, ItemLine, MaterialLine
from desk_app.services.errors import NotFound, Refused
from desk_app.services.hall import open_session, window_by_number
from desk_app.store import Database
from desk_app.store.case_models import (
    Case,
    CaseCounter,
    CaseEvent,
    CaseMaterial,
    Evaluation,
    SyncOutbox,
)
from desk_app.store.models import Staff, Ticket, Window

DEFAULT_DEFERRAL_DAYS = 5
NEGATIVE_FOLLOW_UP_DAYS = 15  # a bad rating is followed up within 15 working days
EVALUATION_LEVELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
EVALUATION_DIMENSIONS = ("overall", "efficiency", "competence", "attitude")
DIMENSION_LABELS_ZH = {
    "overall": "整体满意度",
    "efficiency": "服务效率",
    "competence": "服务水平",
    "attitude": "服务态度",
}
RECEIVED = ("original", "copy", "verified")


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    """The catalog shipped in resources/ (loaded and validated once per process)."""
    return load_catalog()


@lru_cache(maxsize=1)
def work_calendar() -> WorkCalendar:
    return WorkCalendar.load()


def bundle(code: str) -> Bundle:
    try:
        return catalog().bundle(code)
    except UnknownBundleError as exc:
        raise NotFound(f"未知的一件事 {code}", f"unknown bundle {code}") from exc


def checklist_for(code: str, answers: Mapping[str, str] | None) -> Checklist:
    """Resolve a bundle's checklist; a bad answer is refused with what was wrong."""
    b = bundle(code)
    try:
        return resolve(b, answers or {})
    except AnswerError as exc:
        raise Refused(exc.zh, exc.en) from exc


def _valid(fn, value: str, **kw) -> str:  # type: ignore[no-untyped-def]
    try:
        return fn(value, **kw)
    except ValidationError as exc:
        raise Refused(exc.message_zh, exc.message_en) from exc


# -- opening ------------------------------------------------------------------------------------


def _next_case_no(session: Session, db: Database, day: date) -> str:
    stmt = (
        db.upsert(CaseCounter)
        .values(day=day, last_number=1)
        .on_conflict_do_update(
            index_elements=[CaseCounter.day],
            set_={"last_number": CaseCounter.last_number + 1},
        )
        .returning(CaseCounter.last_number)
    )
    n = int(session.execute(stmt).scalar_one())
    return f"YJS-{day:%Y%m%d}-{n:04d}"


def _desk(session: Session, window: int | None) -> tuple[int | None, int | None]:
    if window is None:
        return None, None
    win = window_by_number(session, window)
    sess = open_session(session, win)
    if sess is None:
        raise Refused(f"窗口 {window} 未登录", f"window {window} is not open")
    return win.id, sess.staff_id


def _event(
    session: Session,
    case: Case,
    action: str,
    before: str | None,
    at: datetime,
    window_id: int | None,
    staff_id: int | None,
    detail: dict | None = None,
) -> None:
    session.add(
        CaseEvent(
            case_id=case.id,
            action=action,
            from_state=before,
            to_state=case.state,
            window_id=window_id,
            staff_id=staff_id,
            at=at,
            detail=json.dumps(detail, ensure_ascii=False) if detail else None,
        )
    )


def open_case(
    db: Database,
    bundle_code: str,
    applicant_name: str,
    *,
    applicant_id: str | None = None,
    credit_code: str | None = None,
    phone: str | None = None,
    ticket_id: str | None = None,
    answers: Mapping[str, str] | None = None,
    agent: AgentInfo | None = None,
    bad_credit: bool = False,
    window: int | None = None,
    now: datetime | None = None,
) -> CaseRef:
    """Open a case for a bundle: the applicant (person with resident ID, or company with unified
    social credit code), an optional agent with authorization, and the situation answers."""
    now = now or clock.now()
    today = clock.hall_day(now)
    b = bundle(bundle_code)
    cl = checklist_for(bundle_code, answers)
    name = applicant_name.strip()
    if not name:
        raise Refused("申请人姓名/名称不能为空", "applicant name is empty")
    if b.audience is Audience.COMPANY:
        if not credit_code:
            raise Refused(
                f"{b.name} 面向企业, 请提供统一社会信用代码",
                "this bundle is for companies: give --credit-code",
            )
        id_no = _valid(validate_credit_code, credit_code)
        kind = "company"
    else:
        if not applicant_id:
            raise Refused(
                f"{b.name} 面向个人, 请提供居民身份证号码",
                "this bundle is for persons: give --applicant-id",
            )
        id_no = _valid(validate_resident_id, applicant_id, today=today)
        kind = "person"
    phone_no = _valid(validate_mobile, phone) if phone else None
    if agent is not None:
        agent_id = _valid(validate_resident_id, agent.id_no, field="agent_id", today=today)
        if not agent.name.strip() or not agent.scope.strip():
            raise Refused("代办须填写代理人姓名和委托事项", "agent name and scope are required")
        if agent.valid_until < today:
            raise Refused("委托书已过有效期", "the authorization has expired")
    with db.begin() as s:
        window_id, staff_id = _desk(s, window)
        tid = None
        if ticket_id:
            try:
                tid = uuid.UUID(ticket_id)
            except ValueError as exc:
                raise NotFound(
                    f"号票编号无效 {ticket_id}", f"invalid ticket id {ticket_id}"
                ) from exc
            if s.get(Ticket, tid) is None:
                raise NotFound(f"没有号票 {ticket_id}", f"no ticket {ticket_id}")
        case = Case(
            id=uuid.uuid4(),
            case_no=_next_case_no(s, db, today),
            bundle_code=b.code,
            bundle_name=b.name,
            catalog_version=catalog().version,
            state="open",
            applicant_kind=kind,
            applicant_name=name,
            applicant_id_no=id_no,
            applicant_phone=phone_no,
            agent_name=agent.name.strip() if agent else None,
            agent_id_no=agent_id if agent else None,
            auth_scope=agent.scope if agent else None,
            auth_valid_until=agent.valid_until if agent else None,
            bad_credit=bad_credit,
            answers=json.dumps({a.key: a.value for a in cl.answers}, ensure_ascii=False),
            ticket_id=tid,
            window_id=window_id,
            staff_id=staff_id,
            opened_at=now,
        )
        s.add(case)
        s.flush()
        for e in cl.submit:
            s.add(
                CaseMaterial(
                    case_id=case.id,
                    material_code=e.code,
                    name=e.name,
                    required=e.required,
                    key=e.key,
                    status="missing",
                )
            )
        for e in cl.obtained:
            s.add(
                CaseMaterial(
                    case_id=case.id,
                    material_code=e.code,
                    name=e.name,
                    required=e.required,
                    key=e.key,
                    status="obtained",
                )
            )
        _event(
            s,
            case,
            "open",
            None,
            now,
            window_id,
            staff_id,
            {"bundle": b.code, "agent": agent is not None},
        )
        return CaseRef(str(case.id), case.case_no)


# -- at the window ------------------------------------------------------------------------------


def _case(session: Session, case_no: str, *, lock: bool = True) -> Case:
    q = select(Case).where(Case.case_no == case_no.strip())
    if lock:
        q = q.with_for_update()
    case = session.scalar(q)
    if case is None:
        raise NotFound(f"没有办件 {case_no}", f"no case {case_no}")
    return case


def _materials(session: Session, case: Case) -> dict[str, CaseMaterial]:
    return {
        m.material_code: m
        for m in session.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case.id))
    }


def receive(
    db: Database,
    case_no: str,
    codes: Iterable[str],
    *,
    form: str = "original",
    window: int | None = None,
    now: datetime | None = None,
) -> CaseView:
    """Tick off materials: received as original or copy, or verified from shared data."""
    if form not in RECEIVED:
        raise Refused(f"未知的收取方式 {form}", f"form must be one of {', '.join(RECEIVED)}")
    codes = [c.strip() for c in codes if c.strip()]
    if not codes:
        raise Refused("请指定材料代码", "give at least one material code")
    now = now or clock.now()
    with db.begin() as s:
        case = _case(s, case_no)
        if case.state not in ("open", "notice", "deferred"):
            raise Refused(
                f"办件 {case.case_no} 状态为 {STATE_LABELS_ZH[case.state]}, 不能再收材料",
                f"case is {case.state}: materials can't be received",
            )
        mats = _materials(s, case)
        unknown = [c for c in codes if c not in mats or mats[c].status == "obtained"]
        if unknown:
            raise Refused(
                f"材料 {', '.join(unknown)} 不在本办件的提交清单中",
                f"not on this case's list to submit: {', '.join(unknown)}",
            )
        window_id, staff_id = _desk(s, window)
        for c in codes:
            mats[c].status = form
            mats[c].received_at = now
        _event(
            s,
            case,
            "receive",
            case.state,
            now,
            window_id,
            staff_id,
            {"materials": codes, "form": form},
        )
        if case.state == "deferred" and not any(m.status == "deferred" for m in mats.values()):
            _event(s, case, "deferral_met", case.state, now, window_id, staff_id)
    return show(db, case_no)


def decide(
    db: Database,
    case_no: str,
    decision: str,
    *,
    reason: str | None = None,
    days: int | None = None,
    window: int | None = None,
    now: datetime | None = None,
) -> CaseView:
    """受理 (accept), 容缺受理 (defer), 一次性告知 (notice) or 不予受理 (reject)."""
    if decision not in ("accept", "defer", "notice", "reject"):
        raise Refused(f"未知的决定 {decision}", "decision must be accept, defer, notice or reject")
    now = now or clock.now()
    today = clock.hall_day(now)
    cal = work_calendar()
    with db.begin() as s:
        case = _case(s, case_no)
        if case.state not in ("open", "notice"):
            raise Refused(
                f"办件 {case.case_no} 已{STATE_LABELS_ZH[case.state]}, 不能再作受理决定",
                f"case is {case.state}: no decision allowed",
            )
        cl = checklist_for(case.bundle_code, json.loads(case.answers))
        mats = _materials(s, case)
        received = [c for c, m in mats.items() if m.status in RECEIVED]
        lacking = missing(cl, received)
        before = case.state
        window_id, staff_id = _desk(s, window)
        detail: dict = {}
        if decision == "accept":
            if lacking:
                names = "、".join(e.name for e in lacking)
                raise Refused(
                    f"尚缺必需材料: {names}。请选择容缺受理或出具一次性告知单",
                    f"required materials missing: {', '.join(e.code for e in lacking)}",
                )
            case.state = "accepted"
        elif decision == "defer":
            if not lacking:
                raise Refused("材料已齐全, 请直接受理", "nothing is missing: accept instead")
            blockers = deferral_blockers(cl, lacking, bad_credit=case.bad_credit)
            if blockers:
                raise Refused(
                    "不能容缺受理: " + "；".join(b.message_zh for b in blockers),
                    "deferral not allowed: " + ", ".join(b.reason.value for b in blockers),
                )
            limit = deferral_limit_days(cl, lacking) or DEFAULT_DEFERRAL_DAYS
            n = days if days is not None else min(DEFAULT_DEFERRAL_DAYS, limit)
            if n < 1 or n > limit:
                raise Refused(
                    f"补正期限须为 1-{limit} 个工作日 (不超过事项办结时限)",
                    f"deferral must be 1..{limit} working days",
                )
            due = cal.add_workdays(today, n)
            case.deferral_due = due.date
            case.calendar_source = due.source.value
            for e in lacking:
                mats[e.code].status = "deferred"
            case.state = "deferred"
            detail = {"deferred": [e.code for e in lacking], "due": due.date.isoformat(), "days": n}
        elif decision == "notice":
            if not lacking:
                raise Refused("材料已齐全, 无需一次性告知", "nothing is missing: accept instead")
            case.state = "notice"
            detail = {"missing": [e.code for e in lacking]}
        else:
            if not (reason and reason.strip()):
                raise Refused("不予受理须说明理由 (--reason)", "a rejection needs --reason")
            case.state = "rejected"
        if case.state in ("accepted", "deferred"):
            ends = [cal.add_workdays(today, item.time_limit_days) for item in cl.items]
            case.deadline = max(e.date for e in ends)
            sources = {e.source.value for e in ends} | (
                {case.calendar_source} if case.calendar_source else set()
            )
            case.calendar_source = "weekends-only" if "weekends-only" in sources else "official"
        case.decision_reason = reason.strip() if reason else None
        case.decided_at = now
        _event(s, case, decision, before, now, window_id, staff_id, detail or None)
    return show(db, case_no)


def conclude(
    db: Database,
    case_no: str,
    *,
    evaluation: int | None = None,
    results: Mapping[str, str] | None = None,
    window: int | None = None,
    now: datetime | None = None,
) -> CaseView:
    """办结: every applicable item gets a result (default 准予); the outbox row for the central
    backend is written in the same transaction, so a concluded case is never lost."""
    now = now or clock.now()
    with db.begin() as s:
        case = _case(s, case_no)
        mats = _materials(s, case)
        if case.state == "deferred":
            outstanding = [m.name for m in mats.values() if m.status == "deferred"]
            if outstanding:
                raise Refused(
                    f"容缺材料尚未补齐: {'、'.join(outstanding)}",
                    "deferred materials are still outstanding",
                )
        elif case.state != "accepted":
            raise Refused(
                f"办件 {case.case_no} 状态为{STATE_LABELS_ZH[case.state]}, 不能办结",
                f"case is {case.state}: only accepted cases conclude",
            )
        cl = checklist_for(case.bundle_code, json.loads(case.answers))
        item_results = {i.code: "approved" for i in cl.items}
        for code, result in (results or {}).items():
            if code not in item_results:
                raise Refused(f"事项 {code} 不属于本办件", f"item {code} is not in this case")
            if result not in ("approved", "refused"):
                raise Refused("办理结果须为 approved 或 refused", "result: approved|refused")
            item_results[code] = result
        window_id, staff_id = _desk(s, window)
        before = case.state
        case.state = "concluded"
        case.concluded_at = now
        case.results = json.dumps(item_results)
        _event(s, case, "conclude", before, now, window_id, staff_id)
        if evaluation is not None:
            _add_evaluation(
                s,
                case,
                evaluation,
                None,
                None,
                "window",
                window_id or case.window_id,
                staff_id or case.staff_id,
                now,
            )
        s.flush()
        s.add(
            SyncOutbox(
                case_id=case.id,
                payload=json.dumps(_sync_payload(s, case, mats), ensure_ascii=False),
                state="pending",
                attempts=0,
                created_at=now,
                next_attempt_at=now,
            )
        )
    return show(db, case_no)


def terminate(db: Database, case_no: str, reason: str, *, now: datetime | None = None) -> CaseView:
    """A deferred case whose materials did not arrive in time is terminated (终止办理)."""
    now = now or clock.now()
    with db.begin() as s:
        case = _case(s, case_no)
        if case.state != "deferred":
            raise Refused("只有容缺受理的办件可以终止", "only deferred cases can be terminated")
        if not reason.strip():
            raise Refused("终止须说明理由", "a termination needs a reason")
        before = case.state
        case.state = "terminated"
        case.decision_reason = reason.strip()
        _event(s, case, "terminate", before, now, case.window_id, case.staff_id)
    return show(db, case_no)


def _add_evaluation(
    s: Session,
    case: Case,
    level: int,
    dimensions: Mapping[str, int] | None,
    comment: str | None,
    channel: str,
    window_id: int | None,
    staff_id: int | None,
    now: datetime,
) -> None:
    if level not in EVALUATION_LEVELS:
        raise Refused("评价等级须为 1-5", "evaluation level must be 1..5")
    for k, v in (dimensions or {}).items():
        if k not in EVALUATION_DIMENSIONS or v not in EVALUATION_LEVELS:
            raise Refused(f"评价维度无效: {k}", f"invalid dimension {k}")
    if s.scalar(select(Evaluation.id).where(Evaluation.case_id == case.id)) is not None:
        raise Refused("本次办件已评价", "this case has already been evaluated")
    negative = level <= 2
    due = (
        work_calendar().add_workdays(clock.hall_day(now), NEGATIVE_FOLLOW_UP_DAYS).date
        if negative
        else None
    )
    s.add(
        Evaluation(
            case_id=case.id,
            level=level,
            dimensions=json.dumps(dict(dimensions or {})),
            comment=comment,
            channel=channel,
            evaluator=None,
            window_id=window_id,
            staff_id=staff_id,
            at=now,
            negative=negative,
            follow_up_due=due,
        )
    )
    _event(
        s,
        case,
        "evaluate",
        case.state,
        now,
        window_id,
        staff_id,
        {"level": level, "negative": negative},
    )


def evaluate(
    db: Database,
    case_no: str,
    level: int,
    *,
    dimensions: Mapping[str, int] | None = None,
    comment: str | None = None,
    channel: str = "window",
    now: datetime | None = None,
) -> CaseView:
    """好差评 after conclusion (one per visit). A rating of 2 or 1 is negative: it gets a
    follow-up deadline and shows on the supervisor's alerts at once."""
    now = now or clock.now()
    with db.begin() as s:
        case = _case(s, case_no)
        if case.state != "concluded":
            raise Refused("办结后才能评价", "evaluate after conclusion")
        _add_evaluation(
            s, case, level, dimensions, comment, channel, case.window_id, case.staff_id, now
        )
    return show(db, case_no)


def negative_evaluations(db: Database) -> list[dict]:
    """Negative ratings not yet followed up, newest first (the supervisor's alert list)."""
    with db.read() as s:
        rows = s.execute(
            select(Evaluation, Case.case_no, Case.bundle_name)
            .join(Case, Case.id == Evaluation.case_id)
            .where(Evaluation.negative, Evaluation.followed_up_at.is_(None))
            .order_by(Evaluation.at.desc())
        ).all()
        return [
            {
                "case_no": no,
                "bundle": name,
                "level": e.level,
                "comment": e.comment,
                "at": clock.iso(e.at),
                "follow_up_due": e.follow_up_due.isoformat() if e.follow_up_due else None,
            }
            for e, no, name in rows
        ]


# -- reading ------------------------------------------------------------------------------------

STATE_LABELS_ZH = {
    "open": "办理中",
    "accepted": "已受理",
    "deferred": "容缺受理",
    "notice": "已一次性告知",
    "rejected": "不予受理",
    "concluded": "已办结",
    "terminated": "已终止",
}
STATUS_LABELS_ZH = {
    "missing": "未收",
    "original": "已收原件",
    "copy": "已收复印件",
    "verified": "已核验",
    "deferred": "容缺待补",
    "obtained": "免提交",
}


def show(db: Database, case_no: str) -> CaseView:
    """The case, personal data masked."""
    with db.read() as s:
        case = _case(s, case_no, lock=False)
        return _view(s, case)


def _view(s: Session, case: Case) -> CaseView:
    b = bundle(case.bundle_code)
    answers = json.loads(case.answers)
    cl = checklist_for(case.bundle_code, answers)
    entries = {e.code: e for e in (*cl.submit, *cl.obtained)}
    mats = _materials(s, case)
    results = json.loads(case.results) if case.results else {}
    cal = work_calendar()
    start = clock.hall_day(case.decided_at) if case.decided_at else None
    items = []
    for item in cl.items:
        deadline = (
            cal.add_workdays(start, item.time_limit_days).date
            if start and case.state in ("accepted", "deferred", "concluded")
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
    lines = []
    for code, m in mats.items():
        e = entries.get(code)
        if e is None:  # catalog changed since the case opened: still show what was recorded
            lines.append(
                MaterialLine(code, m.name, m.required, m.key, m.status, "applicant", "", [], "")
            )
            continue
        form = f"{FORM_LABELS_ZH[e.form]}{e.count}份" if e.source is Source.APPLICANT else ""
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
            )
        )
    order = {e.code: i for i, e in enumerate((*cl.submit, *cl.obtained))}
    lines.sort(key=lambda m: order.get(m.code, 999))
    ev = s.scalar(select(Evaluation).where(Evaluation.case_id == case.id))
    evaluation = (
        None
        if ev is None
        else {
            "level": ev.level,
            "label": EVALUATION_LEVELS[ev.level],
            "dimensions": json.loads(ev.dimensions or "{}"),
            "comment": ev.comment,
            "negative": ev.negative,
            "follow_up_due": ev.follow_up_due.isoformat() if ev.follow_up_due else None,
        }
    )
    window = (
        s.scalar(select(Window.number).where(Window.id == case.window_id))
        if case.window_id
        else None
    )
    staff = s.get(Staff, case.staff_id) if case.staff_id else None
    masked_id = (
        mask_id(case.applicant_id_no)
        if case.applicant_kind == "person"
        else mask_credit_code(case.applicant_id_no)
    )
    name = (
        mask_name(case.applicant_name) if case.applicant_kind == "person" else case.applicant_name
    )
    agent = None
    if case.agent_name:
        agent = {
            "name": mask_name(case.agent_name),
            "id": mask_id(case.agent_id_no or ""),
            "scope": case.auth_scope,
            "valid_until": case.auth_valid_until.isoformat() if case.auth_valid_until else None,
        }
    events = [
        {"action": e.action, "from": e.from_state, "to": e.to_state, "at": clock.iso(e.at)}
        for e in s.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
        )
    ]
    return CaseView(
        id=str(case.id),
        case_no=case.case_no,
        bundle_code=case.bundle_code,
        bundle_name=case.bundle_name,
        state=case.state,
        applicant_kind=case.applicant_kind,
        applicant_name=name,
        applicant_id=masked_id,
        applicant_phone=mask_phone(case.applicant_phone) if case.applicant_phone else None,
        agent=agent,
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
        evaluation=evaluation,
        window=window,
        staff_name=staff.name if staff else None,
        events=events,
    )


def _sync_payload(s: Session, case: Case, mats: dict[str, CaseMaterial]) -> dict:
    """What the central backend receives: the full record (unmasked: it is the data owner)."""
    ev = s.scalar(select(Evaluation).where(Evaluation.case_id == case.id))
    staff = s.get(Staff, case.staff_id) if case.staff_id else None
    window = (
        s.scalar(select(Window.number).where(Window.id == case.window_id))
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
                "name": case.applicant_name,
                "id_no": case.applicant_id_no,
                "phone": case.applicant_phone,
            },
            "agent": None
            if not case.agent_name
            else {
                "name": case.agent_name,
                "id_no": case.agent_id_no,
                "scope": case.auth_scope,
                "valid_until": case.auth_valid_until.isoformat() if case.auth_valid_until else None,
            },
            "answers": json.loads(case.answers),
            "results": json.loads(case.results or "{}"),
            "materials": {c: m.status for c, m in sorted(mats.items())},
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
