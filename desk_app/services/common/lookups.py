"""What the queue, hall and case services share: look-ups by the hall's own keys (service code,
window number, staff code, settings), the window with its open session, and the event writer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain.appointments import policy_defaults
from desk_app.domain.tickets import RECALL_LIMIT_DEFAULT
from desk_app.security.authz import Forbidden, may_act_for
from desk_app.security.roles import Actor
from desk_app.services.common.errors import NotFound, Refused
from desk_app.store.case_models import CaseEvent
from desk_app.store.models import Service, Setting, Staff, TicketEvent, Window, WindowSession

DEFAULT_SETTINGS = {
    "hall_name": "政务服务中心",
    "recall_limit": str(RECALL_LIMIT_DEFAULT),
    "progress_base_url": "https://hall.example.gov.cn/q",
    "idle_lock_minutes": "10",  # a counter screen left alone this long locks
    # The supervisor's statistics and alerts (docs/statistics.md), each a whole number:
    "sla_target_minutes": "20",  # a called ticket waited at most this long: within target
    "alert_waiting": "15",  # people waiting for one service
    "alert_wait_minutes": "20",  # the longest wait of a service
    "alert_service_factor": "3",  # a visitor served longer than this × the service's median
    "alert_pause_minutes": "15",  # a window paused this long
    # How long the evaluation pad waits for the visitor's rating before it goes back to idle.
    "evaluation_timeout_s": "90",
}
# Allowed ranges of the supervisor's whole-number settings above.
SUPERVISION_SETTING_RANGES = {
    "sla_target_minutes": (1, 240),
    "alert_waiting": (1, 9999),
    "alert_wait_minutes": (1, 600),
    "alert_service_factor": (2, 20),
    "alert_pause_minutes": (1, 600),
    "evaluation_timeout_s": (15, 900),
}
DEFAULT_SETTINGS.update(policy_defaults())  # appt_*: slots, check-in, no-shows, the kiosk


def service_by_code(session: Session, code: str) -> Service:
    svc = session.scalar(select(Service).where(Service.code == code))
    if svc is None:
        raise NotFound(f"未知的业务 {code}", f"unknown service {code}")
    return svc


def window_by_number(session: Session, number: int) -> Window:
    win = session.scalar(select(Window).where(Window.number == number))
    if win is None:
        raise NotFound(f"未知的窗口 {number}", f"unknown window {number}")
    return win


def staff_by_code(session: Session, code: str) -> Staff:
    staff = session.scalar(select(Staff).where(Staff.code == code))
    if staff is None:
        raise NotFound(f"未知的工作人员 {code}", f"unknown staff {code}")
    return staff


def open_session(session: Session, window: Window, *, lock: bool = False) -> WindowSession | None:
    """The window's login session, if someone is logged in."""
    q = select(WindowSession).where(
        WindowSession.window_id == window.id, WindowSession.closed_at.is_(None)
    )
    if lock:
        q = q.with_for_update()
    return session.scalar(q)


def get_setting(session: Session, key: str) -> str:
    value = session.scalar(select(Setting.value).where(Setting.key == key))
    return value if value is not None else DEFAULT_SETTINGS[key]


def example_progress_url(session: Session) -> str | None:
    """The progress URL while it is still the shipped example (its QR codes on tickets and
    receipts point nowhere): for the warnings of ``db check``, ``db upgrade`` and the
    supervisor's alerts page. None once the hall has set its own."""
    url = get_setting(session, "progress_base_url")
    host = url.split("/")[2:3]
    if ".example." in url or host == ["example.com"] or host[0:1] == ["example.org"]:
        return url
    return None


def person_at_window(session: Session, window: int) -> tuple[int, str] | None:
    """(staff id, code) of the active, unlocked person logged in at window ``window`` (a
    call-pad or a window token acts for them), or None."""
    row = session.execute(
        select(Staff.id, Staff.code)
        .join(WindowSession, WindowSession.staff_id == Staff.id)
        .join(Window, Window.id == WindowSession.window_id)
        .where(
            Window.number == window,
            WindowSession.closed_at.is_(None),
            Staff.active.is_(True),
            Staff.locked.is_(False),
        )
    ).first()
    return None if row is None else (int(row[0]), str(row[1]))


@dataclass
class Desk:
    """A window with its open session, and so the staff member acting there."""

    window: Window
    session_row: WindowSession

    @classmethod
    def at(cls, session: Session, number: int, *, actor: Actor | None, lock: bool = False) -> Desk:
        """Window ``number`` as ``actor`` works at it: refused when nobody is logged in there,
        and to anyone but the person logged in (an admin or supervisor may act at any window).
        ``lock`` holds the session row for the transaction (queue operations serialise on it)."""
        win = window_by_number(session, number)
        sess = open_session(session, win, lock=lock)
        if sess is None:
            raise Refused(f"窗口 {number} 未登录, 请先登录窗口", f"window {number} is not open")
        if not may_act_for(actor, sess.staff_id):
            raise Forbidden(
                f"窗口 {number} 由其他工作人员登录, 只能在自己登录的窗口操作",
                f"window {number} is another staff member's; act only at your own window",
            )
        return cls(win, sess)

    @property
    def staff_id(self) -> int:
        return self.session_row.staff_id

    @property
    def paused(self) -> bool:
        return self.session_row.paused_at is not None


def acting_desk(
    session: Session, number: int | None, actor: Actor | None
) -> tuple[int | None, int | None]:
    """(window id, staff id) of the window acting, or (None, None) when none is given (the
    command line may act without one)."""
    if number is None:
        return None, actor.staff_id if actor is not None else None
    desk = Desk.at(session, number, actor=actor)
    return desk.window.id, desk.staff_id


def add_event(
    session: Session,
    row_type: type[TicketEvent] | type[CaseEvent],
    *,
    action: str,
    from_state: str | None,
    to_state: str,
    window_id: int | None,
    staff_id: int | None,
    at: datetime,
    detail: dict[str, Any] | None = None,
    **owner: Any,
) -> None:
    """Append one row to an event table (who, where, when, from-state, to-state); ``owner``
    names the ticket or case (``ticket_id=...`` / ``case_id=...``)."""
    session.add(
        row_type(
            action=str(action),
            from_state=None if from_state is None else str(from_state),
            to_state=str(to_state),
            window_id=window_id,
            staff_id=staff_id,
            at=at,
            detail=json.dumps(detail, ensure_ascii=False) if detail else None,
            **owner,
        )
    )
