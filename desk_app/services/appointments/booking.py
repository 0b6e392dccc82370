"""Appointments (预约): the slots of a day, booking, cancelling, rescheduling, blackouts.

Places: each slot's bookable places come from the windows serving the service in the sessions
that cover it (domain.appointments.places_per_slot), split into the hall's places and the online
channel's. A booking increments the slot's counter row in its own transaction and is refused
when that passes the channel's places, so two desks (or processes) racing for the last place
cannot both get it; one booking per person per day is a unique index over the ID's keyed hash.
A hall booking is first tried by the hot path (``quick.py``: the same rules in five statements,
two under the write lock), which hands anything but a booking or a full slot back to ``book``.

Check-in, no-shows and the lists are in ``appointment_checkin``.
"""

from __future__ import annotations

import uuid
from contextlib import suppress
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.appointments import (
    ACTIVE_STATES,
    AppointmentPolicy,
    AppointmentState,
    Channel,
    in_horizon,
    new_code,
    normal_code,
)
from desk_app.domain.calendar import CalendarError, DayPlan, at_minute, hhmm, parse_hhmm
from desk_app.domain.validators import (
    ValidationError,
    checked_text,
    date_window_message,
    mask_id,
    mask_name,
    mask_phone,
    sane_date,
    validate_mobile,
    validate_resident_id,
)
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.appointments import quick
from desk_app.services.appointments.dto import AppointmentView, SlotView
from desk_app.services.appointments.no_shows import active_block, recent_no_shows, sweep_due
from desk_app.services.common import audit, protection
from desk_app.services.common.catalog import work_calendar
from desk_app.services.common.errors import NotFound, Refused
from desk_app.services.common.lookups import service_by_code
from desk_app.services.hall.calendar import day_plan, policy
from desk_app.store import Database
from desk_app.store.appointment_models import Appointment, Blackout, SlotCount
from desk_app.store.models import Service, Window, WindowService

A = AppointmentState


def is_appointment_ticket(ticket: Any) -> bool:
    """Whether a ticket came from an appointment check-in (channel "appointment", else
    "walk-in"): a Ticket row, or a mapping/object with ``appointment_id``."""
    if isinstance(ticket, dict):
        return ticket.get("appointment_id") is not None
    return getattr(ticket, "appointment_id", None) is not None


def ticket_channel(ticket: Any) -> str:
    """``appointment`` or ``walk-in``, for statistics by channel."""
    return "appointment" if is_appointment_ticket(ticket) else "walk-in"


# -- places ----------------------------------------------------------------------------------


def _windows_of(s: Session, svc: Service) -> set[int]:
    return set(
        s.scalars(
            select(Window.number)
            .join(WindowService, WindowService.window_id == Window.id)
            .where(WindowService.service_id == svc.id)
        )
    )


def slot_places(
    s: Session,
    svc: Service,
    plan: DayPlan,
    pol: AppointmentPolicy,
    serving: set[int] | None = None,
) -> list[tuple[int, int, int, int]]:
    """(start, end, hall places, online places) of each slot of the service on the plan's day
    (``serving``: the window numbers serving it, when the caller has read them already)."""
    serving = _windows_of(s, svc) if serving is None else serving
    return quick.places(
        svc.code, svc.slot_minutes, svc.default_service_s, svc.slot_capacity, plan, pol, serving
    )


def _counts(s: Session, svc: Service, day: date) -> dict[int, tuple[int, int]]:
    return {
        r.start_min: (r.booked_hall, r.booked_online)
        for r in s.scalars(
            select(SlotCount).where(SlotCount.service_id == svc.id, SlotCount.day == day)
        )
    }


def day_slots(s: Session, svc: Service, day: date) -> list[SlotView]:
    counts = _counts(s, svc, day)
    return [
        SlotView(a, b, hall, counts.get(a, (0, 0))[0], online, counts.get(a, (0, 0))[1])
        for a, b, hall, online in slot_places(s, svc, day_plan(s, day), policy(s))
    ]


def slots(db: Database, service_code: str, day: date) -> list[SlotView]:
    """``appt slots``: every slot of a service on a day with its places (empty when closed)."""
    require(db.actor, Operation.APPT_SLOTS)
    with db.read() as s:
        return day_slots(s, service_by_code(s, service_code), day)


def _take_place(s: Session, db: Database, svc: Service, day: date, start: int, channel: str) -> int:
    column = "booked_online" if channel == Channel.ONLINE else "booked_hall"
    stmt = db.upsert(SlotCount).values(
        service_id=svc.id,
        day=day,
        start_min=start,
        booked_hall=int(column == "booked_hall"),
        booked_online=int(column == "booked_online"),
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[SlotCount.service_id, SlotCount.day, SlotCount.start_min],
        set_={column: getattr(SlotCount, column) + 1},
    ).returning(getattr(SlotCount, column))
    return int(s.execute(stmt).scalar_one())


def _release_place(s: Session, a: Appointment) -> None:
    row = s.get(SlotCount, (a.service_id, a.day, a.start_min), with_for_update=True)
    if row is not None:
        if a.channel == Channel.ONLINE:
            row.booked_online = max(0, row.booked_online - 1)
        else:
            row.booked_hall = max(0, row.booked_hall - 1)


# -- checks ----------------------------------------------------------------------------------


def _valid_person(
    name: str, id_no: str, phone: str | None, today: date
) -> tuple[str, str, str | None]:
    clean = checked_text(name, "name", "姓名") or ""
    if not clean:
        raise Refused("预约须填写姓名 (实名)", "a booking needs the person's name")
    try:
        number = validate_resident_id(id_no, field="id", today=today)
        mobile = validate_mobile(phone) if phone else None
    except ValidationError as exc:
        raise Refused(exc.message_zh, exc.message_en) from None
    return clean, number, mobile


def _slot_of(
    s: Session, svc: Service, day: date, time_text: str, pol: AppointmentPolicy | None = None
) -> tuple[int, int, int, int]:
    try:
        start = parse_hhmm(time_text)
    except CalendarError as exc:
        raise Refused(exc.message_zh, exc.message_en) from None
    places = slot_places(s, svc, day_plan(s, day), pol or policy(s))
    if not places:
        raise Refused(f"{day} 不开放 {svc.name} 预约 (闭厅或无此业务)", f"closed day: {day}")
    for slot in places:
        if slot[0] == start:
            return slot
    starts = ", ".join(hhmm(p[0]) for p in places)
    raise Refused(f"{day} 没有 {time_text} 的时段 (可选: {starts})", f"no slot at {time_text}")


def _check_bookable(
    s: Session,
    svc: Service,
    day: date,
    start: int,
    end: int,
    now: datetime,
    pol: AppointmentPolicy,
) -> None:
    if not in_horizon(day, clock.hall_day(now), work_calendar(), pol.horizon_days):
        raise Refused(
            f"只能预约次日起 {pol.horizon_days} 个工作日内的时段",
            f"outside the booking horizon (next day to {pol.horizon_days} working days ahead)",
        )
    slot_at, slot_end = at_minute(day, start), at_minute(day, end)
    if slot_at <= now:
        raise Refused("该时段已开始", "the slot has started")
    blackout = s.scalar(
        select(Blackout).where(Blackout.from_at < slot_end, Blackout.to_at > slot_at).limit(1)
    )
    if blackout is not None:
        raise Refused(f"该时段暂停预约: {blackout.reason}", f"bookings paused: {blackout.reason}")


def appointment_view(
    s: Session, a: Appointment, *, reveal: bool = False, warning: str | None = None
) -> AppointmentView:
    svc = s.get(Service, a.service_id)
    assert svc is not None
    name = protection.unseal(a.name, "appointments.name") or ""
    id_no = protection.unseal(a.id_no, "appointments.id_no") or ""
    phone = protection.unseal(a.phone, "appointments.phone")
    if not reveal:
        name, id_no = mask_name(name), mask_id(id_no)
        phone = mask_phone(phone) if phone else None
    ticket = None
    if a.ticket_id is not None:
        from desk_app.store.models import Ticket

        ticket = s.scalar(select(Ticket.number).where(Ticket.id == a.ticket_id))
    return AppointmentView(
        a.code,
        svc.code,
        svc.name,
        a.day,
        a.start_min,
        a.end_min,
        a.state,
        a.channel,
        name,
        id_no,
        phone,
        a.slot_at,
        ticket,
        warning,
    )


# -- booking ---------------------------------------------------------------------------------


def book(
    db: Database,
    service_code: str,
    day: date,
    time_text: str,
    name: str,
    id_no: str,
    *,
    phone: str | None = None,
    channel: str = Channel.HALL,
    online_ref: str | None = None,
    code: str | None = None,
    reveal: bool = False,
    now: datetime | None = None,
) -> AppointmentView:
    """``appt book``: a place in a slot, for a person with a valid resident ID (实名).

    Refused: closed day, no such slot, outside the horizon, a blackout, the slot full, a second
    booking of the person that day, a blocked person. ``reveal`` returns the person's data
    unmasked (for the slip printed in the same action)."""
    require(db.actor, Operation.APPT_BOOK)
    now = now or clock.now()
    clean, number, mobile = _valid_person(name, id_no, phone, clock.hall_day(now))
    sealed = {
        "name": protection.seal(clean, "appointments.name"),
        "id_no": protection.seal(number, "appointments.id_no"),
        "phone": protection.seal(mobile, "appointments.phone"),
    }
    lookup = protection.lookup(number)
    if channel == Channel.HALL and online_ref is None:
        with suppress(CalendarError):  # a bad time: the full version words it
            fast = quick.book(
                db,
                service_code,
                day,
                parse_hhmm(time_text),
                (clean, number, mobile),
                sealed,
                lookup,
                code=code,
                reveal=reveal,
                now=now,
            )
            if fast is not None:
                return fast
    with db.begin() as s:
        pol = policy(s)
        sweep_due(s, now, pol)
        svc = service_by_code(s, service_code)
        start, end, hall, _online = _slot_of(s, svc, day, time_text, pol)
        if channel == Channel.HALL:
            _check_bookable(s, svc, day, start, end, now, pol)
        if active_block(s, lookup, now) is not None:
            raise Refused(
                "该身份证号因多次预约未到, 暂停预约; 请到现场取号或联系值班长",
                "this person is blocked from booking after repeated no-shows",
            )
        if s.scalar(
            select(Appointment.code).where(
                Appointment.person_lookup == lookup,
                Appointment.day == day,
                Appointment.state.in_(ACTIVE_STATES),
            )
        ):
            raise Refused(f"同一人同一天只能预约一次 ({day})", "one booking per person per day")
        taken = _take_place(s, db, svc, day, start, channel)
        if channel == Channel.HALL and taken > hall:
            raise Refused(f"{day} {hhmm(start)} 的预约已满", "slot full")  # rolls the count back
        a = Appointment(
            id=uuid.uuid4(),
            code=normal_code(code) if code else new_code(),  # online: the platform's code
            service_id=svc.id,
            day=day,
            start_min=start,
            end_min=end,
            slot_at=at_minute(day, start),
            state=A.BOOKED,
            channel=str(channel),
            person_lookup=lookup,
            created_at=now,
            created_by=db.actor.code if db.actor else None,
            online_ref=online_ref,
            outcome_sent=False,
            **sealed,
        )
        s.add(a)
        try:
            s.flush()
        except IntegrityError:  # the other desk booked the same person that day first
            raise Refused(
                f"同一人同一天只能预约一次 ({day})", "one booking per person per day"
            ) from None
        warn = None
        if recent_no_shows(s, lookup, now, pol):
            warn = "提醒: 30 天内已有一次预约未到, 再次爽约将暂停预约 30 天"
        return appointment_view(s, a, reveal=reveal, warning=warn)


def find(s: Session, code: str, *, lock: bool = True) -> Appointment:
    q = select(Appointment).where(Appointment.code == normal_code(code))
    a = s.scalar(q.with_for_update() if lock else q)
    if a is None:
        raise NotFound(f"没有预约 {code}", f"no appointment {code}")
    return a


def cancel(
    db: Database,
    code: str,
    *,
    reason: str | None = None,
    by_person: bool = False,
    now: datetime | None = None,
) -> AppointmentView:
    """``appt cancel``: staff any time before the slot; the person (online) until the policy's
    hours before it. The place goes back to its channel."""
    require(db.actor, Operation.APPT_CANCEL)
    now = now or clock.now()
    reason = checked_text(reason, "reason", "取消原因", free=True)
    with db.begin() as s:
        a = find(s, code)
        if a.state != A.BOOKED:
            raise Refused(f"预约 {a.code} 状态为 {a.state}, 不能取消", f"appointment is {a.state}")
        hours = policy(s).cancel_hours
        if by_person and now > a.slot_at - timedelta(hours=hours):
            raise Refused(f"开始前 {hours} 小时内不能自行取消", f"too late to cancel ({hours} h)")
        _release_place(s, a)
        a.state, a.cancelled_at, a.cancel_reason = A.CANCELLED, now, reason
        return appointment_view(s, a)


def reschedule(
    db: Database, code: str, day: date, time_text: str, *, now: datetime | None = None
) -> AppointmentView:
    """``appt reschedule``: the new place is taken before the old one is released, in one
    transaction (a full new slot leaves the booking as it was)."""
    require(db.actor, Operation.APPT_RESCHEDULE)
    now = now or clock.now()
    with db.begin() as s:
        a = find(s, code)
        if a.state != A.BOOKED:
            raise Refused(f"预约 {a.code} 状态为 {a.state}, 不能改约", f"appointment is {a.state}")
        svc = s.get(Service, a.service_id)
        assert svc is not None
        pol = policy(s)
        start, end, hall, _online = _slot_of(s, svc, day, time_text, pol)
        if (day, start) == (a.day, a.start_min):
            raise Refused("新时段与原时段相同", "same slot")
        _check_bookable(s, svc, day, start, end, now, pol)
        if active_block(s, a.person_lookup, now) is not None:
            raise Refused("该身份证号暂停预约", "this person is blocked from booking")
        taken = _take_place(s, db, svc, day, start, Channel.HALL)
        if taken > hall:
            raise Refused(f"{day} {hhmm(start)} 的预约已满", "slot full")
        _release_place(s, a)
        a.channel = Channel.HALL.value  # the new place is one of the hall's
        a.day, a.start_min, a.end_min, a.slot_at = day, start, end, at_minute(day, start)
        try:
            s.flush()
        except IntegrityError:
            raise Refused(
                f"同一人同一天只能预约一次 ({day})", "one booking per person per day"
            ) from None
        return appointment_view(s, a)


def add_blackout(
    db: Database, start: datetime, end: datetime, reason: str, *, now: datetime | None = None
) -> list[str]:
    """``appt blackout add``: no new bookings in the period. Bookings already in it are kept and
    returned (codes), for staff to phone the people; nothing is cancelled silently."""
    require(db.actor, Operation.APPT_BLACKOUT_ADD)
    now = now or clock.now()
    text = checked_text(reason, "reason", "原因", free=True)
    if not text:
        raise Refused("须说明原因 (--reason)", "a blackout needs a --reason")
    if end <= start:
        raise Refused("结束须晚于开始", "--to must be after --from")
    for at in (start, end):
        if not sane_date(at.date()):
            raise Refused(*date_window_message("停约时段", "a blackout", at.isoformat()))
    with db.begin() as s:
        s.add(
            Blackout(
                from_at=start,
                to_at=end,
                reason=text,
                created_at=now,
                created_by=db.actor.code if db.actor else None,
            )
        )
        affected = list(
            s.scalars(
                select(Appointment.code)
                .where(
                    Appointment.state == A.BOOKED,
                    Appointment.slot_at >= start,
                    Appointment.slot_at < end,
                )
                .order_by(Appointment.slot_at, Appointment.code)
            )
        )
        audit.record(
            s, db.actor, "appt.blackout.add", None, {"reason": text, "affected": len(affected)}
        )
        return affected
