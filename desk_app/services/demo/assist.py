"""Demo 帮办代办 for ``demo seed``: today's sessions of the two demo helpers (a 代办 with its
authorization, a 帮办 on site, one suspended by video, a home visit concluded), two earlier
walkthroughs (走流程) with what they measured, and pain points in every state, one overdue."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from stdnum.cn import ric

from desk_app.domain import clock
from desk_app.security.roles import Actor, Role
from desk_app.services.assist import pain_points
from desk_app.services.assist import sessions as assist
from desk_app.store import Database
from desk_app.store.models import Staff


def _resident(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")  # it skips the last character


VISITORS = {
    "王秀英": _resident("37020219460312002"),
    "李建国": _resident("37021119520708101"),
    "张桂兰": _resident("37020319490223004"),
    "赵德明": _resident("37021219850916003"),
    "刘晓燕": _resident("37028119900105022"),
}


def _actor(db: Database, code: str, role: Role) -> Actor:
    with db.read() as s:
        return Actor(s.scalar(select(Staff.id).where(Staff.code == code)), code, role)


def _walkthrough(db: Database, day: date, bundle: str, steps: list[tuple]) -> int:  # type: ignore[type-arg]
    at = datetime.combine(day, datetime.min.time(), tzinfo=clock.HALL_TZ) + timedelta(hours=9)
    s = assist.start_session(
        db, "walkthrough", "刘晓燕", VISITORS["刘晓燕"], bundle_code=bundle, now=at
    )
    for where, action, minutes, materials, trip in steps:
        at += timedelta(minutes=minutes + 5)
        window = where if isinstance(where, int) else None
        assist.add_step(
            db,
            s.id,
            action,
            window=window,
            department=None if window else where,
            minutes=minutes,
            materials=materials,
            trip=trip,
            outcome="已办理",
            now=at,
        )
    assist.change_state(
        db, s.id, "conclude", "走流程结束, 已汇总堵点", now=at + timedelta(minutes=5)
    )
    return s.id


def seed_assist(db: Database, now: datetime, windows: int = 2) -> dict[str, int]:
    """The demo sessions and pain points (needs the demo accounts h01, h02, sup01); steps name
    windows 1 and 2, or window 1 only in a one-window hall."""
    h01 = db.acting_as(_actor(db, "h01", Role.HELPER))
    h02 = db.acting_as(_actor(db, "h02", Role.HELPER))
    sup = db.acting_as(_actor(db, "sup01", Role.SUPERVISOR))
    today = clock.hall_day(now)
    earlier = today - timedelta(days=7)
    w1 = _walkthrough(
        h01,
        earlier,
        "newborn",
        [
            ("市卫生健康委(助产机构、预防接种单位)", "领取出生医学证明", 20, ["住院病历"], True),
            (1, "一件事综窗递交联办申请", 25, ["申请表", "父母身份证", "户口簿", "结婚证"], True),
            ("市医保局", "医保参保信息核对", 10, [], False),
        ],
    )
    _walkthrough(
        h02,
        earlier + timedelta(days=1),
        "retirement",
        [
            (min(2, windows), "递交退休申请", 30, ["身份证", "档案"], True),
            ("市人力资源社会保障局", "档案审核", 40, ["人事档案"], True),
            ("市医保局", "医保待遇核定", 15, ["身份证"], True),
        ],
    )
    t = now - timedelta(hours=2)
    proxy = assist.start_session(
        h01, "proxy", "王秀英", VISITORS["王秀英"], bundle_code="newborn", now=t
    )
    assist.authorize(
        h01,
        proxy.id,
        "李建国",
        VISITORS["李建国"],
        ["hukou_birth_registration", "medical_insurance_enrolment", "social_security_card"],
        today + timedelta(days=30),
        now=t + timedelta(minutes=5),
    )
    assist.add_step(
        h01,
        proxy.id,
        "代为递交户口登记材料",
        window=1,
        item="hukou_birth_registration",
        materials=["出生医学证明", "户口簿"],
        outcome="已受理",
        now=t + timedelta(minutes=25),
    )
    assist.add_step(
        h01,
        proxy.id,
        "代办医保参保登记",
        department="市医保局",
        item="medical_insurance_enrolment",
        outcome="当场办结",
        now=t + timedelta(minutes=40),
    )
    walk_up = assist.start_session(
        h01,
        "accompany",
        "张桂兰",
        VISITORS["张桂兰"],
        bundle_code="retirement",
        now=t + timedelta(minutes=50),
    )
    assist.add_step(
        h01,
        walk_up.id,
        "陪同取号并讲解材料清单",
        window=min(2, windows),
        now=t + timedelta(minutes=60),
    )
    video = assist.start_session(
        h02,
        "accompany",
        "赵德明",
        VISITORS["赵德明"],
        channel="video",
        bundle_code="hukou_migration",
        now=t + timedelta(minutes=10),
    )
    assist.add_step(
        h02,
        video.id,
        "视频指导网上申报",
        department="市公安局(网上办)",
        minutes=20,
        now=t + timedelta(minutes=35),
    )
    assist.change_state(
        h02,
        video.id,
        "suspend",
        "迁入地证明尚未开具, 开具后再约视频",
        now=t + timedelta(minutes=36),
    )
    home = assist.start_session(
        h02,
        "accompany",
        "李建国",
        VISITORS["李建国"],
        channel="home",
        bundle_code="disability_services",
        now=t - timedelta(hours=1),
    )
    assist.add_step(
        h02,
        home.id,
        "上门采集材料并代为核对",
        department="街道便民服务中心",
        minutes=45,
        materials=["残疾人证", "身份证"],
        now=t - timedelta(minutes=10),
    )
    assist.change_state(h02, home.id, "conclude", now=t)

    old = now - timedelta(days=30)
    pain_points.add_pain(
        h01,
        "materials",
        "newborn",
        "户口登记仍要求提交纸质出生医学证明复印件, 电子证照未被认可",
        session_id=w1,
        item="hukou_birth_registration",
        owner="市公安局",
        now=old,
    )
    p2 = pain_points.add_pain(
        h01,
        "system",
        "newborn",
        "医保参保信息需在医保窗口二次录入, 系统未与综窗联通",
        session_id=w1,
        now=now - timedelta(days=6),
    )
    pain_points.assign(sup, p2.id, "市医保局")
    p3 = pain_points.add_pain(
        h02, "process", "retirement", "档案审核须本人另跑一次人社局", now=now - timedelta(days=5)
    )
    pain_points.assign(sup, p3.id, "市人力资源社会保障局")
    pain_points.resolve(sup, p3.id, "档案审核改为综窗内部流转, 不再要求本人前往")
    p4 = pain_points.add_pain(
        h02,
        "information",
        "hukou_migration",
        "网上办事指南未写明迁入地证明的样式",
        now=now - timedelta(hours=1),
    )
    pain_points.explain(h02, p4.id, "样式已在附件下载区, 已指导群众查找")
    return {"sessions": 7, "pain_points": 4}
