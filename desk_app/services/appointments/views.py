"""Read-only views of appointments for the screens: the booking dialog's day grid and a
counter's list of today's bookings for its services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from desk_app.domain import clock
from desk_app.domain.appointments import bookable_days
from desk_app.domain.calendar import plan_for
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.appointments.booking import appointment_view, slot_places
from desk_app.services.appointments.dto import AppointmentView, SlotView
from desk_app.services.appointments.no_shows import sweep_due
from desk_app.services.common.catalog import work_calendar
from desk_app.services.common.lookups import service_by_code, window_by_number
from desk_app.services.hall.calendar import policy, sessions_or_default
from desk_app.store import Database
from desk_app.store.appointment_models import Appointment, SlotCount
from desk_app.store.models import Service, Window, WindowService


@dataclass(frozen=True)
class BookingGrid:
    """The bookable days of a service and each day's slots (a closed day has none)."""

    service: str
    service_name: str
    days: list[tuple[date, list[SlotView]]]


def booking_grid(db: Database, service_code: str, *, now: datetime | None = None) -> BookingGrid:
    """Every bookable day (next day to the horizon) with its slots and places left."""
    return booking_grids(db, [service_code], now=now)[0]


def booking_grids(
    db: Database, service_codes: list[str] | None = None, *, now: datetime | None = None
) -> list[BookingGrid]:
    """:func:`booking_grid` of several services (default: every active one) in one read: the
    calendar, the settings, the windows and the slot counters are each read once."""
    require(db.actor, Operation.APPT_SLOTS)
    now = now or clock.now()
    with db.read() as s:
        if service_codes is None:
            svcs = list(s.scalars(select(Service).where(Service.active).order_by(Service.prefix)))
        else:
            svcs = [service_by_code(s, c) for c in service_codes]
        pol = policy(s)
        work = work_calendar()
        days = bookable_days(clock.hall_day(now), work, pol.horizon_days)
        sessions = sessions_or_default(s)
        plans = {d: plan_for(d, sessions, work) for d in days}
        serving: dict[int, set[int]] = {}
        for sid, number in s.execute(
            select(WindowService.service_id, Window.number).join(
                Window, Window.id == WindowService.window_id
            )
        ):
            serving.setdefault(sid, set()).add(number)
        counts: dict[tuple[int, date, int], tuple[int, int]] = {}
        if days:
            for r in s.scalars(
                select(SlotCount).where(SlotCount.day >= days[0], SlotCount.day <= days[-1])
            ):
                counts[(r.service_id, r.day, r.start_min)] = (r.booked_hall, r.booked_online)
        grids = []
        for svc in svcs:
            per_day = []
            for d in days:
                slots = []
                places = slot_places(s, svc, plans[d], pol, serving.get(svc.id, set()))
                for a, b, hall, online in places:
                    taken = counts.get((svc.id, d, a), (0, 0))
                    slots.append(SlotView(a, b, hall, taken[0], online, taken[1]))
                per_day.append((d, slots))
            grids.append(BookingGrid(svc.code, svc.name, per_day))
        return grids


def services_for_booking(db: Database) -> list[tuple[str, str]]:
    """(code, name) of the active services, for the dialog's choice."""
    require(db.actor, Operation.APPT_SLOTS)
    with db.read() as s:
        return [
            (c, n)
            for c, n in s.execute(
                select(Service.code, Service.name).where(Service.active).order_by(Service.prefix)
            )
        ]


def today_for_window(
    db: Database, window: int, *, now: datetime | None = None
) -> list[AppointmentView]:
    """Today's bookings of the services of ``window``, by slot (personal data masked). Marks
    the no-shows that are due first: the counters re-read this list all day, so the hall
    sweeps by itself."""
    require(db.actor, Operation.APPT_LIST)
    now = now or clock.now()
    today = clock.hall_day(now)
    with db.begin() as s:
        sweep_due(s, now)
        win = window_by_number(s, window)
        service_ids = list(
            s.scalars(select(WindowService.service_id).where(WindowService.window_id == win.id))
        )
        rows = s.scalars(
            select(Appointment)
            .where(Appointment.day == today, Appointment.service_id.in_(service_ids))
            .order_by(Appointment.slot_at, Appointment.code)
        ).all()
        return [appointment_view(s, a) for a in rows]
