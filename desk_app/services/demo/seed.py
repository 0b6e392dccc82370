"""A believable demo hall: the 一件事 services, windows and staff, and days of queue history.

Deterministic for a seed (and the day it is run): visitors arrive by hour with the morning and
afternoon peaks of a service hall, a thinner midday (延时服务 keeps windows open then), Saturday
mornings only, no Sundays; each service has its own typical service time; a few visitors don't
come when called. History is simulated window by window so waits and service times agree.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, insert, select

from desk_app.domain import clock
from desk_app.domain.tickets import Action, Priority, TicketState, format_number
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.accounts import staff as accounts
from desk_app.services.common.errors import Refused
from desk_app.services.demo import calendar as demo_calendar
from desk_app.services.demo import history as demo_history
from desk_app.services.demo.assist import seed_assist
from desk_app.services.demo.online import seed_online
from desk_app.services.hall import mode as hall_mode
from desk_app.services.hall import setup as hall
from desk_app.store import Database
from desk_app.store.models import (
    Service,
    Staff,
    Ticket,
    TicketCounter,
    TicketEvent,
    Window,
)

# code (= the catalog's bundle code, so a ticket opens the right case), name, prefix,
# typical service minutes, share of visitors
DEMO_SERVICES: list[tuple[str, str, str, float, float]] = [
    ("newborn", "新生儿出生一件事", "A", 12, 0.16),
    ("retirement", "退休一件事", "B", 15, 0.12),
    ("company_change", "企业信息变更一件事", "C", 18, 0.10),
    ("restaurant_opening", "开办餐饮店一件事", "D", 25, 0.07),
    ("after_death", "公民身后一件事", "E", 20, 0.06),
    ("company_deregistration", "企业注销登记一件事", "F", 20, 0.06),
    ("school_enrolment", "教育入学一件事", "G", 10, 0.08),
    ("second_hand_housing", "二手房转移登记及水电气网联动过户一件事", "H", 25, 0.09),
    ("social_security_card", "社会保障卡居民服务“一卡通”一件事", "J", 8, 0.09),
    ("disability_services", "残疾人服务一件事", "K", 15, 0.04),
    ("hukou_migration", "户口迁移一件事", "L", 12, 0.07),
    ("medical_reimbursement", "就医费用报销一件事", "M", 10, 0.06),
]

STAFF_NAMES = [
    "王芳",
    "李强",
    "张静",
    "刘洋",
    "陈敏",
    "杨帆",
    "赵磊",
    "黄丽",
    "周杰",
    "吴婷",
    "徐明",
    "孙悦",
    "胡斌",
    "朱琳",
    "高翔",
    "林珊",
    "何涛",
    "郭颖",
    "马超",
    "罗佳",
    "梁宇",
    "宋雪",
    "郑凯",
    "谢娜",
    "韩冰",
    "唐昊",
    "冯晨",
    "于洁",
    "董鹏",
    "萧然",
    "程琳",
    "曹阳",
    "袁媛",
    "邓辉",
    "许诺",
    "傅岩",
]

# Relative arrivals per hour of the hall's day (08:30-17:30, midday sessions thinner).
HOURLY_WEIGHT = {
    8: 0.5,
    9: 1.2,
    10: 1.4,
    11: 1.0,
    12: 0.35,
    13: 0.55,
    14: 1.1,
    15: 1.2,
    16: 0.8,
    17: 0.25,
}
SATURDAY_HOURS = (9, 10, 11)
PRIORITY_SHARE = 0.08
NO_SHOW_SHARE = 0.04


@dataclass(frozen=True)
class DemoService:
    id: int
    prefix: str
    minutes: float
    share: float


def hall_is_empty(db: Database) -> bool:
    with db.read() as s:
        return not s.scalar(select(func.count()).select_from(Service))


# Every demo account's password (desk-app demo seed --password changes it). A demo hall only.
DEMO_PASSWORD = "Demo-1234"


def seed_demo(
    db: Database,
    *,
    days: int = 5,
    windows: int = 8,
    seed: int = 1,
    visitors_per_window_day: int = 24,
    password: str = DEMO_PASSWORD,
    now: datetime | None = None,
    calendar: bool = True,
) -> dict[str, object]:
    """Create the demo hall and ``days`` days of history before today; refuses a database that
    already has services (it never mixes demo data into a real hall)."""
    require(db.actor, Operation.DEMO_SEED)
    if days < 0 or not 1 <= windows <= 400:
        raise Refused("天数须 ≥ 0, 窗口数 1-400", "days must be >= 0 and windows 1-400")
    now = now or clock.now()
    rng = random.Random(seed)
    if not hall_is_empty(db):
        raise Refused(
            "数据库中已有大厅数据, 演示数据只能写入空库",
            "the database already has a hall; demo data goes into an empty one",
        )
    if hall_mode.mode_of(db) == hall_mode.LIVE:
        hall_mode.mark(db, hall_mode.DEMO)  # its clock may be set, like a training hall's
    for code, name, prefix, minutes, _share in DEMO_SERVICES:
        hall.add_service(db, code, name, prefix, default_service_s=int(minutes * 60))
    codes = [c for c, *_ in DEMO_SERVICES]
    for i in range(windows):
        if i < 2 or windows <= 2:
            served = codes  # 综窗: the integrated windows take every 一件事
        else:
            k = i - 2
            served = [codes[(k * 3 + j) % len(codes)] for j in range(4)]
        rule = "arrival:2/1" if i % 3 else "arrival:3/1"
        hall.add_window(db, i + 1, served, calling_rule=rule, name=f"{i + 1}号窗口")
    people = [("admin", "系统管理员", "admin"), ("sup01", "值班长 孙伟", "supervisor")]
    for i in range(windows):
        name = STAFF_NAMES[i % len(STAFF_NAMES)] + ("" if i < len(STAFF_NAMES) else str(i))
        people.append((f"s{i + 1:02d}", name, "counter"))
    people += [
        ("h01", "帮办员 陈晓", "helper"),
        ("h02", "帮办员 刘红", "helper"),
        ("r01", "导服 周敏", "reception"),
    ]
    for code, name, role in people:
        accounts.create_account(db, code, name, role, password)
    hall.set_setting(db, "hall_name", "青岛市民中心 · 高效办成一件事专区")
    if calendar:  # off for benchmarks that issue tickets at any hour
        demo_calendar.add_demo_calendar(db, windows)

    with db.read() as s:
        services = {
            r.code: DemoService(r.id, r.prefix, m, sh)
            for r in s.scalars(select(Service))
            for c, _n, _p, m, sh in DEMO_SERVICES
            if c == r.code
        }
        win_rows = s.scalars(select(Window).order_by(Window.number)).all()
        win_services = {w.id: [ws.service_id for ws in w.services] for w in win_rows}
        staff_by_code = dict(s.execute(select(Staff.code, Staff.id)).all())
    window_staff = {w.id: staff_by_code[f"s{w.number:02d}"] for w in win_rows}

    today = clock.hall_day(now)
    day_list = [today - timedelta(days=d) for d in range(days, 0, -1)]
    tickets = events = 0
    for day in day_list:
        t_rows, e_rows, counters = simulate_day(
            rng,
            day,
            list(services.values()),
            win_services,
            window_staff,
            visitors=visitors_per_window_day * windows,
        )
        if not t_rows:
            continue
        with db.begin() as s:
            s.execute(insert(Ticket), t_rows)
            s.execute(insert(TicketEvent), e_rows)
            s.execute(
                insert(TicketCounter),
                [{"service_id": sid, "day": day, "last_number": n} for sid, n in counters.items()],
            )
        tickets += len(t_rows)
        events += len(e_rows)
    demo_history.seed_case_history(db, seed=seed, days=day_list, now=now)
    seed_assist(db, now, windows)  # 帮办代办 sessions and 堵点 (services/demo/assist.py)
    seed_online(db, now)  # 网办件 in the inbox, 12345 work orders (services/demo/online.py)
    return {
        "seeded": True,
        "services": len(DEMO_SERVICES),
        "windows": windows,
        "staff": len(people),
        "accounts": [{"code": code, "role": role} for code, _n, role in people],
        "password": password,
        "days": days,
        "tickets": tickets,
        "events": events,
    }


def _arrivals(rng: random.Random, day: date, visitors: int) -> Iterator[datetime]:
    weekday = day.weekday()
    if weekday == 6:
        return
    hours = SATURDAY_HOURS if weekday == 5 else tuple(HOURLY_WEIGHT)
    scale = 0.4 if weekday == 5 else 1.0
    total_w = sum(HOURLY_WEIGHT[h] for h in HOURLY_WEIGHT)
    for h in hours:
        expected = visitors * scale * HOURLY_WEIGHT[h] / total_w
        n = max(0, int(rng.gauss(expected, math.sqrt(max(expected, 1)))))
        start_min = 30 if h == 8 else 0
        end_min = 30 if h == 17 else 60
        for _ in range(n):
            minute = rng.uniform(start_min, end_min)
            local = datetime.combine(day, time(h), tzinfo=clock.HALL_TZ) + timedelta(minutes=minute)
            yield local.astimezone(UTC)


def simulate_day(
    rng: random.Random,
    day: date,
    services: list[DemoService],
    win_services: dict[int, list[int]],
    window_staff: dict[int, int],
    *,
    visitors: int,
) -> tuple[list[dict], list[dict], dict[int, int]]:
    """Tickets and events of one day; each window serves its queue in arrival order."""
    arrivals = sorted(_arrivals(rng, day, visitors))
    weights = [s.share for s in services]
    counters: dict[int, int] = {}
    open_at = datetime.combine(day, time(8, 30), tzinfo=clock.HALL_TZ).astimezone(UTC)
    free_at = {wid: open_at for wid in win_services}
    tickets: list[dict] = []
    events: list[dict] = []
    for arrival in arrivals:
        svc = rng.choices(services, weights)[0]
        seq = counters.get(svc.id, 0) + 1
        counters[svc.id] = seq
        tid = uuid.UUID(int=rng.getrandbits(128), version=4)
        priority = rng.choice(list(Priority)[:4]).value if rng.random() < PRIORITY_SHARE else None
        candidates = [w for w, sv in win_services.items() if svc.id in sv]
        wid = min(candidates, key=lambda w: free_at[w])
        staff = window_staff[wid]
        called = max(arrival, free_at[wid]) + timedelta(seconds=rng.uniform(5, 40))
        row = {
            "id": tid,
            "service_id": svc.id,
            "issued_service_id": svc.id,
            "day": day,
            "seq": seq,
            "number": format_number(svc.prefix, seq),
            "priority": priority,
            "is_priority": priority is not None,
            "issued_at": arrival,
            "arrival_at": arrival,
            "first_called_at": called,
            "last_called_at": called,
            "window_id": wid,
            "target_window_id": None,
            "recall_count": 0,
            "started_at": None,
            "completed_at": None,
            "service_seconds": None,
        }

        def ev(
            action: Action,
            frm: str | None,
            to: str,
            at: datetime,
            w: int | None = wid,
            st: int | None = staff,
            _tid: uuid.UUID = tid,
        ) -> None:
            events.append(
                {
                    "ticket_id": _tid,
                    "action": action.value,
                    "from_state": frm,
                    "to_state": to,
                    "window_id": w,
                    "staff_id": st,
                    "at": at,
                    "detail": None,
                }
            )

        ev(Action.ISSUE, None, TicketState.WAITING, arrival, None, None)
        ev(Action.CALL, TicketState.WAITING, TicketState.CALLED, called)
        if rng.random() < NO_SHOW_SHARE:
            recalled = called + timedelta(seconds=60)
            gone = recalled + timedelta(seconds=60)
            ev(Action.RECALL, TicketState.CALLED, TicketState.CALLED, recalled)
            ev(Action.NO_SHOW, TicketState.CALLED, TicketState.NO_SHOW, gone)
            row.update(state=TicketState.NO_SHOW, recall_count=1, last_called_at=recalled)
            free_at[wid] = gone
        else:
            started = called + timedelta(seconds=rng.uniform(20, 90))
            secs = int(rng.lognormvariate(math.log(svc.minutes * 60), 0.45))
            done = started + timedelta(seconds=secs)
            ev(Action.START, TicketState.CALLED, TicketState.SERVING, started)
            ev(Action.COMPLETE, TicketState.SERVING, TicketState.COMPLETED, done)
            row.update(
                state=TicketState.COMPLETED,
                started_at=started,
                completed_at=done,
                service_seconds=secs,
            )
            free_at[wid] = done + timedelta(seconds=rng.uniform(10, 60))
        tickets.append(row)
    return tickets, events, counters
