"""No-shows (爽约): bookings past their check-in window marked as such, and the block a person
earns after too many of them within the policy's window."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_app.domain.appointments import AppointmentPolicy, AppointmentState
from desk_app.services.hall.calendar import policy
from desk_app.store.appointment_models import Appointment, AppointmentBlock

A = AppointmentState


def active_block(s: Session, lookup: str, now: datetime) -> AppointmentBlock | None:
    return s.scalar(
        select(AppointmentBlock)
        .where(
            AppointmentBlock.person_lookup == lookup,
            AppointmentBlock.lifted_at.is_(None),
            AppointmentBlock.blocked_until > now,
        )
        .limit(1)
    )


def recent_no_shows(s: Session, lookup: str, now: datetime, pol: AppointmentPolicy) -> int:
    """No-shows of a person within the policy's window, since a supervisor last unblocked."""
    since = now - timedelta(days=pol.no_show_window_days)
    lifted = s.scalar(
        select(func.max(AppointmentBlock.lifted_at)).where(AppointmentBlock.person_lookup == lookup)
    )
    if lifted is not None and lifted > since:
        since = lifted
    return int(
        s.scalar(
            select(func.count()).where(
                Appointment.person_lookup == lookup,
                Appointment.state == A.NO_SHOW,
                Appointment.no_show_at > since,
            )
        )
        or 0
    )


def sweep_due(s: Session, now: datetime, pol: AppointmentPolicy | None = None) -> int:
    """Mark bookings past their check-in window as no-shows and block people who reached the
    limit, inside the caller's transaction. Returns how many became no-shows."""
    pol = pol or policy(s)
    due = s.scalars(
        select(Appointment)
        .where(
            Appointment.state == A.BOOKED,
            Appointment.slot_at < now - timedelta(minutes=pol.checkin_late_min),
        )
        .with_for_update(skip_locked=True)
    ).all()
    for a in due:
        a.state, a.no_show_at = A.NO_SHOW, now
    s.flush()
    for lookup in {a.person_lookup for a in due}:
        if active_block(s, lookup, now) is None and recent_no_shows(s, lookup, now, pol) >= (
            pol.no_show_limit
        ):
            s.add(
                AppointmentBlock(
                    person_lookup=lookup,
                    blocked_at=now,
                    blocked_until=now + timedelta(days=pol.block_days),
                    reason=f"{pol.no_show_limit} no-shows within {pol.no_show_window_days} days",
                )
            )
    return len(due)
