"""Read-only views of appointments for the screens: the booking dialog's day grid and a
counter's list of today's bookings for its services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from desk_app.domain import clock
from desk_app.domain.appointments import bookable_days
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.appointment_dto import AppointmentView, SlotView
from desk_app.services.appointments import appointment_view, day_slots
from desk_app.services.calendar import policy
from desk_app.services.catalog_access import work_calendar
from desk_app.services.common import service_by_code, window_by_number
from desk_app.store import Database
from desk_app.store.appointment_models import Appointment
from desk_app.store.models import Service, WindowService


@dataclass(frozen=True)
class BookingGrid:
    """The bookable days of a service and each day's slots (a closed day has none)."""

    service: str
    service_name: str
    days: list[tuple[date, list[SlotView]]]


def booking_grid(db: Database, service_code: str, *, now: datetime | None = None) -> BookingGrid:
    """Every bookable day (next day to the horizon) with its slots and places left."""
    require(db.actor, Operation.APPT_SLOTS)
    now = now or clock.now()
    with db.read() as s:
        svc = service_by_code(s, service_code)
        horizon = policy(s).horizon_days
        days = bookable_days(clock.hall_day(now), work_calendar(), horizon)
        return BookingGrid(svc.code, svc.name, [(d, day_slots(s, svc, d)) for d in days])


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
    """Today's bookings of the services of ``window``, by slot (personal data masked)."""
    require(db.actor, Operation.APPT_LIST)
    today = clock.hall_day(now or clock.now())
    with db.read() as s:
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
