"""The opening calendar: sessions set by the admin, what a day looks like, and whether the
kiosk may issue now (``calendar show|session add|list|remove``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session as DbSession

from desk_app.domain import clock
from desk_app.domain.appointments import AppointmentPolicy
from desk_app.domain.calendar import (
    DEFAULT_REGULAR,
    KIND_LABELS_ZH,
    CalendarError,
    DayPlan,
    Opening,
    Session,
    SessionKind,
    hhmm,
    opening_at,
    parse_days,
    parse_hhmm,
    plan_for,
    session_at,
    session_from_row,
)
from desk_app.domain.calendar import session_kind_at as kind_of
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.common.errors import NotFound, Refused
from desk_app.services.common.lookups import DEFAULT_SETTINGS, service_by_code, window_by_number
from desk_app.store import Database
from desk_app.store.appointment_models import CalendarSession
from desk_app.store.models import Service, Setting

# What the calendar reads from: an ORM session, or the hot path's bare connection.
Reader = DbSession | Connection


def work_calendar() -> Any:
    """Holidays and 调休 (chinesecalendar, the catalog's overrides), loaded when a day is asked
    about: a hall without an opening calendar issues tickets without loading them."""
    from desk_app.services.common.catalog import work_calendar as loaded

    return loaded()


def configured_sessions(s: Reader) -> list[Session]:
    """The sessions the admin set ([] for a hall without a calendar)."""
    # Columns, not entities: the queue's hot path asks this on a bare connection.
    table = CalendarSession.__table__
    return [session_from_row(r) for r in s.execute(select(table).order_by(table.c.id))]


def sessions_or_default(s: Reader) -> list[Session]:
    """The hall's sessions, or the default regular hours when none is set."""
    return configured_sessions(s) or list(DEFAULT_REGULAR)


def policy(s: Reader) -> AppointmentPolicy:
    values = {
        k: v
        for k, v in s.execute(select(Setting.key, Setting.value).where(Setting.key.like("appt_%")))
    }
    return AppointmentPolicy.from_settings({**DEFAULT_SETTINGS, **values})


def day_plan(s: DbSession, day: date) -> DayPlan:
    return plan_for(day, sessions_or_default(s), work_calendar())


def session_kind_at(s: DbSession, at: datetime) -> str:
    """The kind of session (``regular|midday|evening|saturday|special``) running at an instant,
    by the hall's calendar; ``regular`` outside every session and in a hall without a calendar.
    For statistics by session: one query per call, see :class:`SessionClassifier` for many."""
    return SessionClassifier(sessions_or_default(s)).kind_at(at)


class SessionClassifier:
    """Session kinds of many instants against one reading of the calendar (statistics)."""

    def __init__(self, sessions: list[Session]) -> None:
        self._sessions = sessions
        self._plans: dict[date, DayPlan] = {}

    @classmethod
    def of(cls, db: Database) -> SessionClassifier:
        with db.read() as s:
            return cls(sessions_or_default(s))

    def kind_at(self, at: datetime) -> str:
        day = clock.hall_day(at)
        plan = self._plans.get(day)
        if plan is None:
            plan = self._plans[day] = plan_for(day, self._sessions, work_calendar())
        return kind_of(session_at(plan, at), at)


# -- calendar show --------------------------------------------------------------------------


@dataclass(frozen=True)
class DayView:
    day: date
    workday: bool
    open: bool
    source: str
    sessions: list[dict[str, Any]] = field(default_factory=list)
    configured: bool = True
    warning: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "workday": self.workday,
            "open": self.open,
            "source": self.source,
            "sessions": self.sessions,
            "configured": self.configured,
            "warning": self.warning,
        }


def data_source(day: date) -> str:
    """Where the day's holidays come from: ``official`` (chinesecalendar), ``override`` (a file
    in resources/holidays) or ``weekends-only`` (no data for the year)."""
    data = work_calendar().year_data(day.year)
    if data is None:
        return "weekends-only"
    return "override" if data.origin.startswith("override") else "official"


def missing_next_year(today: date) -> str | None:
    """From 1 December: a warning when next year's holiday data is missing."""
    if today.month != 12 or work_calendar().has_data(today.year + 1):
        return None
    return (
        f"缺少 {today.year + 1} 年节假日数据, 请更新 chinesecalendar 或放入 "
        f"resources/holidays/{today.year + 1}.json / no holiday data for {today.year + 1}"
    )


def _session_json(s: DbSession, sess: Session) -> dict[str, Any]:
    codes = list(sess.services) or list(s.scalars(select(Service.code).order_by(Service.id)))
    return {
        "id": sess.id,
        "kind": str(sess.kind),
        "label": KIND_LABELS_ZH[sess.kind],
        "from": hhmm(sess.start_min),
        "to": hhmm(sess.end_min),
        "services": codes,
        "windows": list(sess.windows),
        "days": sess.days,
    }


def show(db: Database, day: date, *, now: datetime | None = None) -> DayView:
    """``calendar show DATE``: workday, open, the data source and the sessions of a day."""
    require(db.actor, Operation.CALENDAR_SHOW)
    now = now or clock.now()
    with db.read() as s:
        configured = bool(configured_sessions(s))
        plan = day_plan(s, day)
        return DayView(
            day,
            plan.workday,
            plan.open,
            data_source(day),
            [_session_json(s, x) for x in plan.sessions],
            configured,
            missing_next_year(clock.hall_day(now)),
        )


# -- sessions -------------------------------------------------------------------------------


def _calendar_refused(exc: CalendarError) -> Refused:
    return Refused(exc.message_zh, exc.message_en)


def add_session(
    db: Database,
    kind: str,
    days: str,
    start: str,
    end: str,
    *,
    services: list[str] | None = None,
    windows: list[int] | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """``calendar session add``: a regular or extended session (admin; audited)."""
    require(db.actor, Operation.CALENDAR_SESSION_ADD)
    now = now or clock.now()
    try:
        k = SessionKind(kind)
    except ValueError:
        kinds = "|".join(x.value for x in SessionKind)
        raise Refused(f"未知的时段类型 {kind}", f"unknown session kind (use {kinds})") from None
    try:
        mask, on_date = parse_days(days)
        a, b = parse_hhmm(start), parse_hhmm(end)
    except CalendarError as exc:
        raise _calendar_refused(exc) from None
    if b <= a:
        raise Refused("结束时间须晚于开始时间", "--to must be after --from")
    with db.begin() as s:
        codes = [service_by_code(s, c).code for c in services or []]
        numbers = [window_by_number(s, n).number for n in windows or []]
        row = CalendarSession(
            kind=k.value,
            days=days.strip().lower(),
            weekdays=mask or None,
            on_date=on_date,
            start_min=a,
            end_min=b,
            services=",".join(codes),
            windows=",".join(str(n) for n in numbers),
            created_at=now,
        )
        s.add(row)
        s.flush()
        from desk_app.services.common import audit  # the hall key's code, for changes only

        audit.record(s, db.actor, "calendar.session.add", str(row.id), {"kind": k.value})
        return _session_json(s, session_from_row(row))


def list_sessions(db: Database) -> list[dict[str, Any]]:
    require(db.actor, Operation.CALENDAR_SESSION_LIST)
    with db.read() as s:
        return [_session_json(s, x) for x in configured_sessions(s)]


def remove_session(db: Database, session_id: int) -> None:
    require(db.actor, Operation.CALENDAR_SESSION_REMOVE)
    with db.begin() as s:
        row = s.get(CalendarSession, session_id)
        if row is None:
            raise NotFound(f"没有时段 {session_id}", f"no session {session_id}")
        s.delete(row)
        from desk_app.services.common import audit

        audit.record(s, db.actor, "calendar.session.remove", str(session_id), {"kind": row.kind})


# -- the kiosk ------------------------------------------------------------------------------


def opening_in(s: Reader, now: datetime) -> Opening:
    sessions = configured_sessions(s)
    if not sessions:
        return Opening(True)
    return opening_at(sessions, now, work_calendar(), lambda: policy(s).kiosk_stop_min)


def opening(db: Database, *, now: datetime | None = None) -> Opening:
    """Whether the kiosk issues now, the running session, or the next opening."""
    with db.read() as s:
        return opening_in(s, now or clock.now())


def check_issuing(s: Reader, service_code: str, now: datetime) -> None:
    """Refused outside an open session, in its last minutes, or for a service the running
    sessions do not serve (a hall without a calendar issues at any time)."""
    o = opening_in(s, now)
    if not o.issuing:
        when = ""
        if o.next_at is not None:
            when = clock.local(o.next_at).strftime("%m-%d %H:%M")
        raise Refused(
            f"当前不在办理时间, 暂停取号; 下次开放 {when}".rstrip(),
            f"the hall is not issuing tickets now; next opening {when or 'not set'}",
        )
    if o.services and service_code not in o.services:
        raise Refused(
            f"{o.label}不办理此业务, 请在正常办公时间取号",
            f"service {service_code} is not served in this session",
        )
