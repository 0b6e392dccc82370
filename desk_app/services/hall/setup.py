"""Setting up the hall: services, windows, staff, settings, and window sessions."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from desk_app.domain import clock
from desk_app.domain.appointments import check_policy_value
from desk_app.domain.calling import CallingRule
from desk_app.domain.tickets import TicketState
from desk_app.domain.validators import checked_text
from desk_app.domain.windows import WindowState, window_state
from desk_app.security.authz import Forbidden, require
from desk_app.security.roles import Operation
from desk_app.services.common import audit
from desk_app.services.common.dto import ServiceInfo, WindowInfo
from desk_app.services.common.errors import Refused
from desk_app.services.common.lookups import (
    DEFAULT_SETTINGS,
    SUPERVISION_SETTING_RANGES,
    get_setting,
    may_act_for,
    open_session,
    service_by_code,
    staff_by_code,
    window_by_number,
)
from desk_app.services.hall.mode import display_name
from desk_app.store import Database
from desk_app.store.models import (
    Service,
    Setting,
    Staff,
    Ticket,
    Window,
    WindowEvent,
    WindowService,
    WindowSession,
)

# -- set-up ------------------------------------------------------------------------------------


def add_service(
    db: Database,
    code: str,
    name: str,
    prefix: str,
    *,
    daily_cap: int | None = None,
    default_service_s: int = 600,
) -> ServiceInfo:
    """Add a service with its ticket prefix (one or two capital letters)."""
    require(db.actor, Operation.SERVICE_ADD)
    code, name, prefix = (
        code.strip(),
        checked_text(name, "name", "业务名称") or "",
        prefix.strip().upper(),
    )
    if not code or not re.fullmatch(r"[A-Za-z0-9_.-]{1,32}", code):
        raise Refused("业务代码只能使用字母、数字和 _.-", "service code: letters, digits, _.- only")
    if not name:
        raise Refused("业务名称不能为空", "service name is empty")
    if not re.fullmatch(r"[A-Z]{1,2}", prefix):
        raise Refused("号码前缀须为 1-2 个大写字母", "prefix must be 1-2 capital letters")
    if daily_cap is not None and daily_cap <= 0:
        raise Refused("每日取号上限须为正整数", "daily cap must be a positive integer")
    with db.begin() as s:
        if s.scalar(select(Service.id).where(Service.code == code)) is not None:
            raise Refused(f"业务代码 {code} 已存在", f"service {code} already exists")
        if s.scalar(select(Service.id).where(Service.prefix == prefix)) is not None:
            raise Refused(f"号码前缀 {prefix} 已被使用", f"prefix {prefix} is already used")
        s.add(
            Service(
                code=code,
                name=name,
                prefix=prefix,
                daily_cap=daily_cap,
                default_service_s=default_service_s,
                active=True,
            )
        )
    return ServiceInfo(code, name, prefix, daily_cap)


def add_window(
    db: Database,
    number: int,
    service_codes: list[str],
    *,
    calling_rule: str = "arrival:2/1",
    name: str | None = None,
) -> WindowInfo:
    """Add a window serving ``service_codes`` in that order under ``calling_rule``."""
    require(db.actor, Operation.WINDOW_ADD)
    if not 0 < number < 2**31:
        raise Refused("窗口号须为正整数", "window number must be a positive integer")
    name = checked_text(name, "name", "窗口名称")
    codes = [c.strip() for c in service_codes if c.strip()]
    if not codes:
        raise Refused("窗口至少要办理一项业务", "a window needs at least one service")
    if len(set(codes)) != len(codes):
        raise Refused("业务列表有重复", "a service is listed twice")
    try:
        rule = CallingRule.parse(calling_rule)
    except ValueError as exc:
        raise Refused(f"叫号规则无效: {calling_rule}", f"invalid calling rule: {exc}") from exc
    with db.begin() as s:
        if s.scalar(select(Window.id).where(Window.number == number)) is not None:
            raise Refused(f"窗口 {number} 已存在", f"window {number} already exists")
        services = [service_by_code(s, c) for c in codes]
        win = Window(number=number, name=name, calling_rule=str(rule))
        win.services = [
            WindowService(service_id=svc.id, position=i) for i, svc in enumerate(services)
        ]
        s.add(win)
    return WindowInfo(number, codes, str(rule), WindowState.CLOSED)


def _ascii_count(value: str, low: int, high: int) -> bool:
    # str.isdigit() also takes full-width and other scripts' digits: ASCII only here.
    return re.fullmatch(r"[0-9]{1,6}", value) is not None and low <= int(value) <= high


def _valid_setting(key: str, value: str) -> str:
    """A setting's value as stored, or Refused: counts in ASCII digits, the status URL an
    http(s) URL that a phone can open (https, except for this machine while trying things)."""
    value = checked_text(value, key, key) or ""
    if key == "recall_limit" and not _ascii_count(value, 0, 99):
        raise Refused("重呼上限须为 0-99 的整数", "recall_limit must be an integer 0-99")
    if key == "idle_lock_minutes" and not _ascii_count(value, 1, 240):
        raise Refused("锁屏时间须为 1-240 分钟", "idle_lock_minutes must be 1-240")
    low, high = SUPERVISION_SETTING_RANGES.get(key, (0, 0))
    if key in SUPERVISION_SETTING_RANGES and not _ascii_count(value, low, high):
        raise Refused(f"{key} 须为 {low}-{high} 的整数", f"{key} must be an integer {low}-{high}")
    if key == "hall_name" and not value:
        raise Refused("大厅名称不能为空", "hall_name is empty")
    if key == "progress_base_url":
        _check_progress_url(value)
    if key.startswith("appt_") and (why := check_policy_value(key, value)):
        raise Refused(f"预约设置无效: {why}", why)
    return value


def _check_progress_url(value: str) -> None:
    from ipaddress import ip_address
    from urllib.parse import urlsplit

    try:
        url = urlsplit(value)
        host = url.hostname or ""
        url.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        host, url = "", None
    if url is None or url.scheme not in ("http", "https") or not host or " " in value:
        raise Refused(
            "进度查询地址须为 http(s) 网址, 如 https://hall.example.gov.cn/q",
            "progress_base_url must be an http(s) URL",
        )
    if url.username or url.password or url.query or url.fragment:
        raise Refused(
            "进度查询地址不能含用户名、密码、查询参数或 #",
            "progress_base_url: no user, password, query or fragment",
        )
    if url.scheme == "http":
        try:
            loopback = ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            raise Refused(
                "进度查询地址须使用 https (仅本机地址可用 http)",
                "progress_base_url must be https (http only for this machine)",
            )


def set_setting(db: Database, key: str, value: str) -> None:
    require(db.actor, Operation.SETTINGS_SET)
    if key not in DEFAULT_SETTINGS:
        raise Refused(f"未知的设置项 {key}", f"unknown setting {key}")
    value = _valid_setting(key, value)
    with db.begin() as s:
        row = s.get(Setting, key)
        old = None if row is None else row.value
        if row is None:
            s.add(Setting(key=key, value=value))
        else:
            row.value = value
        audit.record(s, db.actor, "settings.set", key, {"old": old, "new": value})


def settings(db: Database) -> dict[str, str]:
    """``settings show``: every hall setting (supervisors and admins)."""
    require(db.actor, Operation.SETTINGS_SHOW)
    with db.read() as s:
        return {k: get_setting(s, k) for k in DEFAULT_SETTINGS}


def read_settings(db: Database) -> dict[str, str]:
    """The settings as the screens and printed documents need them (hall name, status URL,
    recall limit): for every workstation, with or without a log-in. Nothing in them is secret.
    A training or demo hall's name carries its mark (hall/mode.display_name)."""
    with db.read() as s:
        values = {k: get_setting(s, k) for k in DEFAULT_SETTINGS}
        values["hall_name"] = display_name(s, values["hall_name"])
        return values


def list_services(db: Database) -> list[ServiceInfo]:
    require(db.actor, Operation.SERVICE_LIST)
    with db.read() as s:
        rows = s.scalars(select(Service).where(Service.active).order_by(Service.prefix))
        return [ServiceInfo(r.code, r.name, r.prefix, r.daily_cap) for r in rows]


def list_windows(db: Database) -> list[WindowInfo]:
    require(db.actor, Operation.WINDOW_LIST)
    with db.read() as s:
        codes = dict(s.execute(select(Service.id, Service.code)).all())
        result = []
        for win in s.scalars(select(Window).order_by(Window.number)):
            sess = open_session(s, win)
            staff = s.get(Staff, sess.staff_id) if sess else None
            result.append(
                WindowInfo(
                    win.number,
                    [codes[ws.service_id] for ws in win.services],
                    win.calling_rule,
                    _window_state(sess),
                    staff.code if staff else None,
                )
            )
        return result


def _window_state(sess: WindowSession | None) -> WindowState:
    return window_state(sess is not None, sess is not None and sess.paused_at is not None)


# -- window sessions ---------------------------------------------------------------------------


def open_window(
    db: Database, number: int, staff_code: str, *, now: datetime | None = None
) -> WindowInfo:
    """Log ``staff_code`` in at window ``number``. One open session per window, and one window
    per staff member; a second login is refused."""
    require(db.actor, Operation.WINDOW_OPEN)
    now = now or clock.now()
    try:
        with db.begin() as s:
            from desk_app.services.queue.rollover import roll_over

            roll_over(s, now)  # the hall's morning: yesterday's queue closes as windows open
            win = window_by_number(s, number)
            staff = staff_by_code(s, staff_code)
            if not staff.active:
                raise Refused(f"工作人员 {staff_code} 已停用", f"staff {staff_code} is inactive")
            if not may_act_for(db.actor, staff.id):
                raise Forbidden(
                    f"只能以本人身份登录窗口 ({staff_code} 须用自己的密码)",
                    f"a window is opened by {staff_code} themself, with their own password",
                )
            current = open_session(s, win, lock=True)
            if current is not None and current.staff_id == staff.id:
                # The same person back at their window (the PC restarted, the app crashed):
                # they proved who they are; the session and its current ticket carry on.
                s.add(WindowEvent(window_id=win.id, staff_id=staff.id, action="rejoin", at=now))
                codes = dict(s.execute(select(Service.id, Service.code)).all())
                state = window_state(True, current.paused_at is not None)
                return WindowInfo(
                    number,
                    [codes[ws.service_id] for ws in win.services],
                    win.calling_rule,
                    state,
                    staff.code,
                )
            if current is not None:
                holder = s.get(Staff, current.staff_id)
                who = holder.name if holder else "?"
                raise Refused(
                    f"窗口 {number} 已由 {who} 登录, 请先在该电脑上退出",
                    f"window {number} is already open (staff {holder.code if holder else '?'})",
                )
            elsewhere = s.scalar(
                select(Window.number)
                .join(WindowSession, WindowSession.window_id == Window.id)
                .where(WindowSession.staff_id == staff.id, WindowSession.closed_at.is_(None))
            )
            if elsewhere is not None:
                raise Refused(
                    f"{staff.name} 已在窗口 {elsewhere} 登录",
                    f"staff {staff_code} is already logged in at window {elsewhere}",
                )
            s.add(WindowSession(window_id=win.id, staff_id=staff.id, opened_at=now, cycle_pos=0))
            s.add(WindowEvent(window_id=win.id, staff_id=staff.id, action="open", at=now))
            services = [ws.service_id for ws in win.services]
            codes = dict(s.execute(select(Service.id, Service.code)).all())
            return WindowInfo(
                number, [codes[i] for i in services], win.calling_rule, WindowState.OPEN, staff.code
            )
    except IntegrityError as exc:  # two logins raced past the checks; a unique index decides
        if "staff" in str(exc.orig):
            raise Refused(
                f"{staff_code} 已在其他窗口登录",
                f"staff {staff_code} is logged in at another window",
            ) from exc
        raise Refused(
            f"窗口 {number} 已被其他电脑登录", f"window {number} is already open"
        ) from exc


def _change_window(db: Database, number: int, action: str, now: datetime | None) -> WindowInfo:
    now = now or clock.now()
    with db.begin() as s:
        win = window_by_number(s, number)
        sess = open_session(s, win, lock=True)
        if sess is None:
            raise Refused(f"窗口 {number} 未登录", f"window {number} is not open")
        if not may_act_for(db.actor, sess.staff_id):
            raise Forbidden(
                f"窗口 {number} 由其他工作人员登录", f"window {number} is another staff member's"
            )
        if action == "pause":
            if sess.paused_at is not None:
                raise Refused(f"窗口 {number} 已暂停", f"window {number} is already paused")
            sess.paused_at = now
        elif action == "resume":
            if sess.paused_at is None:
                raise Refused(f"窗口 {number} 未暂停", f"window {number} is not paused")
            sess.paused_at = None
        elif action == "close":
            busy = s.scalar(
                select(Ticket.number).where(
                    Ticket.window_id == win.id,
                    Ticket.state.in_([TicketState.CALLED, TicketState.SERVING]),
                )
            )
            if busy is not None:
                raise Refused(
                    f"窗口 {number} 还有当前号 {busy}, 请先办结、过号、挂起或转移",
                    f"window {number} still has ticket {busy}; complete, no-show, hold or "
                    "transfer it first",
                )
            sess.closed_at = now
        s.add(WindowEvent(window_id=win.id, staff_id=sess.staff_id, action=action, at=now))
        staff = s.get(Staff, sess.staff_id)
        codes = dict(s.execute(select(Service.id, Service.code)).all())
        state = WindowState.CLOSED if action == "close" else _window_state(sess)
        return WindowInfo(
            number,
            [codes[ws.service_id] for ws in win.services],
            win.calling_rule,
            state,
            staff.code if staff else None,
        )


def pause_window(db: Database, number: int, *, now: datetime | None = None) -> WindowInfo:
    """Pause: the window keeps its login but calls no new ticket."""
    require(db.actor, Operation.WINDOW_PAUSE)
    return _change_window(db, number, "pause", now)


def resume_window(db: Database, number: int, *, now: datetime | None = None) -> WindowInfo:
    require(db.actor, Operation.WINDOW_RESUME)
    return _change_window(db, number, "resume", now)


def close_window(db: Database, number: int, *, now: datetime | None = None) -> WindowInfo:
    """Log out; refused while the window still has a called or serving ticket."""
    require(db.actor, Operation.WINDOW_CLOSE)
    return _change_window(db, number, "close", now)
