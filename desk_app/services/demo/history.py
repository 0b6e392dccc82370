"""The demo hall's case history, so every supervisor view has data: window sittings (with a
midday pause now and then), 一件事 cases opened from served tickets (most concluded, some
deferred (容缺), some sent home with a one-time notice and back another day, a few rejected),
their materials (paper, or obtained from shared data), 好差评 ratings, and the follow-up of
some negative ones. Deterministic for a seed; personal data sealed like real cases."""

from __future__ import annotations

import json
import random
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select

from desk_app.domain import clock
from desk_app.domain.bundle import Audience, Form
from desk_app.domain.evaluation import DIMENSIONS, NEGATIVE_FOLLOW_UP_DAYS
from desk_app.services.common import protection
from desk_app.services.common.catalog import catalog, checklist_for, work_calendar
from desk_app.store import Database
from desk_app.store.case_models import Case, CaseCounter, CaseEvent, CaseMaterial, Evaluation
from desk_app.store.models import Service, Staff, Ticket, Window, WindowEvent, WindowSession
from desk_app.store.supervision_models import FollowUp

CASE_SHARE = 0.6  # served tickets that opened a 一件事 case (others were enquiries)
LEVELS = (5, 4, 3, 2, 1)
LEVEL_WEIGHTS = (0.68, 0.18, 0.07, 0.04, 0.03)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
COMPANY = ("青岛海润", "青岛启航", "崂山百味", "市北鑫源", "黄岛远洋", "李沧安居")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_W = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _resident_id(rng: random.Random) -> str:
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 50))
    body = f"370202{born:%Y%m%d}{rng.randrange(1000):03d}"
    return (
        body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]
    )


def _credit_code(rng: random.Random) -> str:
    body = "91370200MA" + "".join(rng.choice(_USCC[:10]) for _ in range(7))
    total = sum(_USCC.index(c) * w for c, w in zip(body, _USCC_W, strict=True))
    return body + _USCC[(31 - total % 31) % 31]


def _at(day: date, h: int, m: int = 0) -> datetime:
    return datetime.combine(day, time(h, m), tzinfo=clock.HALL_TZ).astimezone(UTC)


def _sittings(rng: random.Random, days: list[date], windows: dict[int, int]) -> tuple[list, list]:
    sessions, events = [], []
    for day in days:
        if day.weekday() == 6:
            continue
        close = (12, 0) if day.weekday() == 5 else (17, 45)
        for wid, staff in windows.items():
            opened, closed = _at(day, 8, 25), _at(day, *close)
            sessions.append(
                {"window_id": wid, "staff_id": staff, "opened_at": opened, "closed_at": closed}
            )
            events.append({"window_id": wid, "staff_id": staff, "action": "open", "at": opened})
            if day.weekday() < 5 and rng.random() < 0.35:
                p = _at(day, 12, rng.randrange(0, 30))
                back = p + timedelta(minutes=rng.randrange(8, 40))
                events.append({"window_id": wid, "staff_id": staff, "action": "pause", "at": p})
                events.append({"window_id": wid, "staff_id": staff, "action": "resume", "at": back})
            events.append({"window_id": wid, "staff_id": staff, "action": "close", "at": closed})
    return sessions, events


def _later_workday(start: date, n: int) -> date:
    return work_calendar().add_workdays(start, max(0, n)).date


def seed_case_history(
    db: Database, *, seed: int, days: list[date], now: datetime
) -> dict[str, int]:
    """Add window sittings, cases, ratings and follow-ups to the demo hall's ticket history."""
    rng = random.Random(seed * 7919 + 11)
    today = clock.hall_day(now)
    with db.read() as s:
        codes = dict(s.execute(select(Service.id, Service.code)).all())
        served = s.execute(
            select(
                Ticket.id,
                Ticket.service_id,
                Ticket.window_id,
                Ticket.started_at,
                Ticket.completed_at,
                Ticket.day,
            )
            .where(Ticket.state == "completed", Ticket.day.in_(days))
            .order_by(Ticket.day, Ticket.started_at)
        ).all()
        staff_of = dict(s.execute(select(Staff.code, Staff.id)).all())
        numbers = dict(s.execute(select(Window.id, Window.number)).all())
    window_staff = {w: staff_of.get(f"s{numbers[w]:02d}", 0) for w in numbers}
    sessions, w_events = _sittings(rng, days, {w: s for w, s in window_staff.items() if s})
    bundles = {b.code: b for b in catalog().bundles}
    per_day: dict[date, int] = defaultdict(int)
    checklists: dict[str, Any] = {}
    window_ids = sorted(numbers)
    cases: list[dict[str, Any]] = []
    c_events: list[dict[str, Any]] = []
    materials: list[dict[str, Any]] = []
    ratings: list[dict[str, Any]] = []
    follow: list[dict[str, Any]] = []
    for tid, sid, wid, started, done, day in served:
        code = codes.get(sid)
        if code not in bundles or rng.random() > CASE_SHARE or started is None or done is None:
            continue
        b = bundles[code]
        cl = checklists.get(code) or checklists.setdefault(code, checklist_for(code, None))
        staff = window_staff.get(wid or 0) or None
        per_day[day] += 1
        cid = uuid.UUID(int=rng.getrandbits(128), version=4)
        company = b.audience is Audience.COMPANY
        id_no = _credit_code(rng) if company else _resident_id(rng)
        name = (
            rng.choice(COMPANY) + "有限公司"
            if company
            else rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        )
        opened = started + timedelta(seconds=30)

        def ev(
            action: str,
            frm: str | None,
            to: str,
            at: datetime,
            _cid: uuid.UUID = cid,
            _wid: int | None = wid,
            _staff: int | None = staff,
        ) -> None:
            c_events.append(
                {
                    "case_id": _cid,
                    "action": action,
                    "from_state": frm,
                    "to_state": to,
                    "window_id": _wid,
                    "staff_id": _staff,
                    "at": at,
                    "detail": None,
                }
            )

        roll = rng.random()
        decided = done - timedelta(seconds=60)
        state = "accepted"
        concluded: datetime | None = None
        deferral_due: date | None = None
        mat_status: dict[str, str] = {}
        paper = [e for e in cl.submit]
        for e in cl.obtained:
            # Now and then shared data was unreachable and a paper copy was taken instead.
            mat_status[e.code] = "copy" if rng.random() < 0.08 else "obtained"
        for e in paper:
            mat_status[e.code] = "original" if e.material.form is Form.ORIGINAL else "copy"
        ev("open", None, "open", opened)
        if rng.random() < 0.1 and len(window_ids) > 1:  # sent on to a second window first
            other = rng.choice([w for w in window_ids if w != wid])
            ev("receive", "open", "open", opened + timedelta(minutes=2), _wid=other)
        else:
            ev("receive", "open", "open", opened + timedelta(minutes=2))
        limit = max(1, b.time_limit_days or max(i.time_limit_days for i in b.items))
        if roll < 0.04:  # 不予受理
            ev("reject", "open", "rejected", decided)
            state = "rejected"
        elif roll < 0.13:  # 一次性告知, most come back 1-6 days later with the rest
            gone = [e for e in paper if not e.required or rng.random() < 0.5][:2] or paper[:1]
            for e in gone:
                mat_status[e.code] = "missing"
            ev("notice", "open", "notice", decided)
            back_day = _later_workday(day, rng.randrange(1, 6))
            if back_day < today and rng.random() < 0.8:
                back = _at(back_day, rng.randrange(9, 16), rng.randrange(60))
                for e in gone:
                    mat_status[e.code] = "original"
                ev("receive", "notice", "notice", back)
                ev("accept", "notice", "accepted", back + timedelta(minutes=5))
                state, decided = "accepted", back
            else:
                state = "notice"
        elif roll < 0.25:  # 容缺受理
            optional = [e for e in paper if not e.key][:1]
            for e in optional:
                mat_status[e.code] = "deferred"
            ev("defer", "open", "deferred", decided)
            deferral_due = _later_workday(day, min(5, limit))
            state = "deferred"
            if optional and _later_workday(day, 3) < today and rng.random() < 0.7:
                brought = _at(_later_workday(day, rng.randrange(1, 4)), 10, rng.randrange(60))
                for e in optional:
                    mat_status[e.code] = "copy"
                ev("receive", "deferred", "deferred", brought)
                ev("deferral_met", "deferred", "accepted", brought)
                state, decided = "accepted", brought
        else:
            ev("accept", "open", "accepted", decided)
        if state == "accepted":
            # Most finish within the promised limit; some take longer (the wall shows it).
            spent = rng.choice((0, 0, 1, 2, 3)) if rng.random() < 0.7 else rng.randrange(limit + 3)
            end_day = _later_workday(clock.hall_day(decided), spent)
            if end_day < today or (end_day == today and rng.random() < 0.3):
                concluded = max(_at(end_day, 16, rng.randrange(50)), decided + timedelta(minutes=5))
                ev("conclude", "accepted", "concluded", concluded)
                state = "concluded"
        no = per_day[day]
        cases.append(
            {
                "id": cid,
                "case_no": f"YJS-{day:%Y%m%d}-{no:04d}",
                "bundle_code": b.code,
                "bundle_name": b.name,
                "catalog_version": catalog().version,
                "state": state,
                "applicant_kind": "company" if company else "person",
                "applicant_name": protection.seal(name, "cases.applicant_name"),
                "applicant_id_no": protection.seal(id_no, "cases.applicant_id_no"),
                "applicant_phone": None,
                "agent_name": None,
                "agent_id_no": None,
                "applicant_lookup": protection.lookup(
                    id_no, purpose="credit_code" if company else "resident_id"
                ),
                "auth_scope": None,
                "auth_valid_until": None,
                "bad_credit": False,
                "answers": json.dumps(b.default_answers(), ensure_ascii=False),
                "ticket_id": tid,
                "window_id": wid,
                "staff_id": staff,
                "opened_at": opened,
                "decided_at": decided if state != "open" else None,
                "decision_reason": "材料不符合受理条件" if state == "rejected" else None,
                "deadline": _later_workday(day, limit) if state != "rejected" else None,
                "deferral_due": deferral_due,
                "calendar_source": "official",
                "concluded_at": concluded,
                "results": None,
            }
        )
        for e in list(cl.submit) + list(cl.obtained):
            st = mat_status[e.code]
            materials.append(
                {
                    "case_id": cid,
                    "material_code": e.code,
                    "name": e.name,
                    "required": e.required,
                    "key": e.key,
                    "status": st,
                    "received_at": opened if st in ("original", "copy") else None,
                    "missing_reason": "申请人未携带" if st in ("missing", "deferred") else None,
                }
            )
        if concluded is not None and rng.random() < 0.6:
            level = rng.choices(LEVELS, LEVEL_WEIGHTS)[0]
            rated = concluded + timedelta(minutes=2)
            dims = {d: max(1, min(5, level + rng.choice((0, 0, 0, 1, -1)))) for d in DIMENSIONS}
            negative = level <= 2
            due = (
                _later_workday(clock.hall_day(rated), NEGATIVE_FOLLOW_UP_DAYS) if negative else None
            )
            followed = negative and rng.random() < 0.6
            ratings.append(
                {
                    "case_id": cid,
                    "level": level,
                    "dimensions": json.dumps(dims),
                    "comment": rng.choice(("等候时间太长", "材料要求没讲清楚", "态度一般"))
                    if negative
                    else None,
                    "channel": "window",
                    "evaluator": None,
                    "window_id": wid,
                    "staff_id": staff,
                    "at": rated,
                    "negative": negative,
                    "follow_up_due": due,
                    "followed_up_at": rated + timedelta(days=2) if followed else None,
                }
            )
            ev("evaluate", "concluded", "concluded", rated)
            if followed:
                follow.append(
                    {
                        "case_id": cid,
                        "contacted_at": rated + timedelta(days=2),
                        "outcome": rng.choice(("fixed", "explained")),
                        "note": "电话回访, 已说明情况",
                        "recorded_at": rated + timedelta(days=2),
                    }
                )
    with db.begin() as s:
        if sessions:
            s.execute(insert(WindowSession), sessions)
            s.execute(insert(WindowEvent), w_events)
        if cases:
            s.execute(insert(Case), cases)
            s.execute(insert(CaseMaterial), materials)
            s.execute(insert(CaseEvent), c_events)
            s.execute(
                insert(CaseCounter), [{"day": d, "last_number": n} for d, n in per_day.items()]
            )
        if ratings:
            s.execute(insert(Evaluation), ratings)
        if follow:
            ids = dict(
                s.execute(
                    select(Evaluation.case_id, Evaluation.id).where(
                        Evaluation.case_id.in_([f["case_id"] for f in follow])
                    )
                ).all()
            )
            rows = [{**f, "evaluation_id": ids[f.pop("case_id")]} for f in follow]
            s.execute(insert(FollowUp), rows)
    return {"cases": len(cases), "evaluations": len(ratings), "sittings": len(sessions)}
