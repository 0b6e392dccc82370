"""On the day: check-in (签到) turns a booking into an appointment ticket; no-shows (爽约) and
blocking; the day's list for reception and the counters.

Check-in is accepted from ``checkin_early_min`` before to ``checkin_late_min`` after the slot
start; too early says from when, too late offers a walk-in ticket. A booking not checked in by
then is a no-show: the app sweeps by itself whenever a booking, check-in or list runs (and
``appt sweep`` does it on demand); ``no_show_limit`` no-shows within ``no_show_window_days``
block new bookings for ``block_days`` (a warning after the first); a supervisor unblocks with a
reason, recorded in the audit trail.
"""

from __future__ import annotations

import hmac
import uuid
from datetime import date, datetime

from sqlalchemy import select

from desk_app.domain import clock
from desk_app.domain.appointments import AppointmentState, checkin_window
from desk_app.domain.tickets import Priority
from desk_app.domain.validators import ValidationError, checked_text, validate_resident_id
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.appointments.booking import appointment_view, find
from desk_app.services.appointments.dto import AppointmentView, CheckedIn
from desk_app.services.appointments.no_shows import sweep_due
from desk_app.services.common import audit, protection
from desk_app.services.common.errors import NotFound, Refused
from desk_app.services.hall.calendar import policy
from desk_app.store import Database
from desk_app.store.appointment_models import Appointment, AppointmentBlock
from desk_app.store.models import Service

A = AppointmentState


def _hm(at: datetime) -> str:
    return clock.local(at).strftime("%H:%M")


def _phone_ends_with(sealed: str | None, digits: str) -> bool:
    """Whether the booking's phone (sealed) ends in ``digits``; False without a phone."""
    phone = protection.unseal(sealed, "appointments.phone") if sealed else None
    if not phone:
        return False
    return hmac.compare_digest(phone[-4:].encode(), digits.encode())


def checkin(
    db: Database,
    *,
    code: str | None = None,
    id_no: str | None = None,
    phone_last4: str | None = None,
    card: bool = False,
    now: datetime | None = None,
) -> CheckedIn:
    """``appt checkin``: by the slip's code (typed or scanned), or by the resident ID together
    with the last four digits of the phone given at booking; the booking becomes an appointment
    ticket (its own calling class, see domain.calling).

    An ID number alone would tell anyone holding it whether that person is booked today and
    when (the kiosk is public): with the phone digits as a second factor, "no booking" and "not
    these digits" get the same answer."""
    require(db.actor, Operation.APPT_CHECKIN)
    if (code is None) == (id_no is None):
        raise Refused("请给出预约码或身份证号 (二选一)", "give exactly one of --code, --id")
    digits = (phone_last4 or "").strip()
    # The card itself on the kiosk's reader is the second factor (``card``: the number comes
    # from the reader, never typed): the phone digits are then not asked.
    if id_no is not None and not card and not (len(digits) == 4 and digits.isdigit()):
        raise Refused(
            "凭身份证号签到, 还须输入预约时所留手机号的后四位",
            "checking in by ID needs the last four digits of the booking's phone too",
        )
    now = now or clock.now()
    today = clock.hall_day(now)
    lookup = None
    if id_no is not None:
        try:
            lookup = protection.lookup(validate_resident_id(id_no, field="id", today=today))
        except ValidationError as exc:
            raise Refused(exc.message_zh, exc.message_en) from None
    with db.begin() as s:
        sweep_due(s, now)
        if lookup is not None:
            a = s.scalar(
                select(Appointment)
                .where(Appointment.person_lookup == lookup, Appointment.day == today)
                .order_by(Appointment.state != A.BOOKED, Appointment.slot_at)
                .limit(1)
                .with_for_update()
            )
            if a is None and card:
                raise NotFound("今天没有该身份证持有人的预约", "no appointment today for this card")
            if a is None or (not card and not _phone_ends_with(a.phone, digits)):
                raise NotFound(
                    "今天没有与该身份证号及手机号后四位相符的预约",
                    "no appointment today matches this ID and phone digits",
                )
        else:
            assert code is not None
            a = find(s, code)
        if a.state == A.CHECKED_IN:
            raise Refused(f"预约 {a.code} 已签到", "already checked in")
        late = "已超过签到时间, 预约已失效; 请取普通号办理 / too late: take a walk-in ticket"
        if a.state == A.NO_SHOW:
            raise Refused(late.split(" / ")[0], late.split(" / ")[1])
        if a.state != A.BOOKED:
            raise Refused(f"预约 {a.code} 已取消", "appointment cancelled")
        if a.day != today:
            raise Refused(f"该预约在 {a.day}, 不是今天", f"the appointment is on {a.day}")
        window = checkin_window(a.slot_at, policy(s))
        if now < window.opens:
            raise Refused(
                f"签到过早, 请于 {_hm(window.opens)} 起签到",
                f"too early: check in from {_hm(window.opens)}",
            )
        if now > window.closes:
            raise Refused(late.split(" / ")[0], late.split(" / ")[1])
        from desk_app.services.queue.operations import add_ticket

        svc = s.get(Service, a.service_id)
        assert svc is not None
        issued = add_ticket(
            s, db, svc, Priority.APPOINTMENT.value, now, appointment_id=a.id, slot_at=a.slot_at
        )
        a.state, a.checked_in_at = A.CHECKED_IN, now
        a.ticket_id = uuid.UUID(issued.id)
        return CheckedIn(issued, a.code)


def sweep(db: Database, *, now: datetime | None = None) -> int:
    """``appt sweep``: the no-show sweep on demand."""
    require(db.actor, Operation.APPT_SWEEP)
    with db.begin() as s:
        return sweep_due(s, now or clock.now())


def unblock(db: Database, id_no: str, reason: str, *, now: datetime | None = None) -> int:
    """``appt unblock``: a supervisor lifts a person's block, with a reason (audited with a
    pseudonym of the ID). Refused when the person is not blocked."""
    require(db.actor, Operation.APPT_UNBLOCK)
    now = now or clock.now()
    text = checked_text(reason, "reason", "原因", free=True)
    if not text:
        raise Refused("解除须说明理由 (--reason)", "an unblock needs a --reason")
    try:
        number = validate_resident_id(id_no, field="id", today=clock.hall_day(now))
    except ValidationError as exc:
        raise Refused(exc.message_zh, exc.message_en) from None
    lookup = protection.lookup(number)
    with db.begin() as s:
        blocks = s.scalars(
            select(AppointmentBlock)
            .where(
                AppointmentBlock.person_lookup == lookup,
                AppointmentBlock.lifted_at.is_(None),
                AppointmentBlock.blocked_until > now,
            )
            .with_for_update()
        ).all()
        if not blocks:
            raise Refused("该身份证号未被暂停预约", "this person is not blocked")
        for b in blocks:
            b.lifted_at, b.lifted_by, b.lift_reason = now, db.actor.code if db.actor else None, text
        audit.record(
            s,
            db.actor,
            "appt.unblock",
            None,
            {
                "reason": text,
                "person": protection.cipher().pseudonym(number, purpose="resident_id"),
            },
            at=now,
        )
        return len(blocks)


def list_day(
    db: Database,
    day: date,
    *,
    services: list[str] | None = None,
    now: datetime | None = None,
) -> list[AppointmentView]:
    """``appt list``: the bookings of a day by slot (personal data masked)."""
    require(db.actor, Operation.APPT_LIST)
    now = now or clock.now()
    with db.begin() as s:
        sweep_due(s, now)
        q = select(Appointment).where(Appointment.day == day)
        if services:
            q = q.join(Service, Service.id == Appointment.service_id).where(
                Service.code.in_(services)
            )
        rows = s.scalars(q.order_by(Appointment.slot_at, Appointment.code)).all()
        return [appointment_view(s, a) for a in rows]
