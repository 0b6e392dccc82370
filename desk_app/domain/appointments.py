"""Appointment rules (预约), pure: states, codes, places per slot, the booking horizon, the
check-in window, no-shows and blocking (domain.md "Opening hours and appointments").

Every figure is hall data with the defaults below (``AppointmentPolicy.from_settings``)."""

from __future__ import annotations

import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from enum import StrEnum

from desk_app.domain.workdays import WorkCalendar


class AppointmentState(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


ACTIVE_STATES = (AppointmentState.BOOKED.value, AppointmentState.CHECKED_IN.value)


class Channel(StrEnum):
    HALL = "hall"  # booked at reception or a counter
    ONLINE = "online"  # booked on the central platform, pulled by the sync


STATE_LABELS_ZH = {
    AppointmentState.BOOKED: "已预约",
    AppointmentState.CHECKED_IN: "已签到",
    AppointmentState.CANCELLED: "已取消",
    AppointmentState.NO_SHOW: "爽约",
}

# No 0/O, 1/I/L: a code is read off paper and typed on a touch screen.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


@dataclass(frozen=True)
class AppointmentPolicy:
    """The hall's appointment settings (``settings set appt_... VALUE``)."""

    slot_minutes: int = 30
    walkin_share: float = 0.5  # of a slot's places kept for walk-ins
    online_share: float = 0.5  # of the bookable places kept for the online channel
    horizon_days: int = 5  # bookable from the next working day to this many working days ahead
    checkin_early_min: int = 30
    checkin_late_min: int = 15  # also when an unchecked booking becomes a no-show
    cancel_hours: int = 2  # the person may cancel until this long before the slot
    no_show_limit: int = 2  # no-shows within the window that block
    no_show_window_days: int = 30
    block_days: int = 30
    kiosk_stop_min: int = 15  # the kiosk stops issuing this long before an opening ends

    @classmethod
    def from_settings(cls, values: Mapping[str, str]) -> AppointmentPolicy:
        kw: dict[str, object] = {}
        for f in fields(cls):
            raw = values.get(f"appt_{f.name}")
            if raw is not None:
                kw[f.name] = float(raw) if f.type == "float" else int(raw)
        return cls(**kw)  # type: ignore[arg-type]


SETTING_KEYS = tuple(f"appt_{f.name}" for f in fields(AppointmentPolicy))


def places_per_slot(
    windows: int, slot_minutes: int, service_s: int, walkin_share: float, fixed: int | None
) -> int:
    """Bookable places of one slot: what the windows serving it get through in a slot (or the
    service's fixed capacity), less the walk-in share; at least 1 when a window serves it."""
    if windows <= 0:
        return 0
    raw = fixed if fixed is not None else windows * slot_minutes * 60 // max(service_s, 60)
    return max(1, math.floor(raw * (1 - walkin_share)))


def online_places(capacity: int, online_share: float) -> int:
    return math.floor(capacity * online_share)


def bookable_days(today: date, work: WorkCalendar, horizon: int) -> list[date]:
    """Every day from tomorrow to the ``horizon``-th working day after today (Saturdays inside
    the span included: a Saturday session is bookable; the calendar says which days open)."""
    last = work.add_workdays(today, horizon).date
    return [today + timedelta(days=i) for i in range(1, (last - today).days + 1)]


def in_horizon(day: date, today: date, work: WorkCalendar, horizon: int) -> bool:
    """From the next day up to the ``horizon``-th working day after today (a Saturday session
    inside that span is bookable too)."""
    if day <= today:
        return False
    return work.workdays_between(today, day).days <= horizon


@dataclass(frozen=True)
class CheckinWindow:
    opens: datetime
    closes: datetime


def checkin_window(slot_at: datetime, policy: AppointmentPolicy) -> CheckinWindow:
    return CheckinWindow(
        slot_at - timedelta(minutes=policy.checkin_early_min),
        slot_at + timedelta(minutes=policy.checkin_late_min),
    )


def no_show_due(slot_at: datetime, now: datetime, policy: AppointmentPolicy) -> bool:
    """A booking not checked in by ``checkin_late_min`` after its start is a no-show."""
    return now >= slot_at + timedelta(minutes=policy.checkin_late_min)


def wait_start(checked_in_at: datetime, slot_at: datetime) -> datetime:
    """An appointment's wait counts from the later of check-in and the slot start."""
    return max(checked_in_at, slot_at)


def policy_defaults() -> dict[str, str]:
    """The settings of :class:`AppointmentPolicy` with their defaults, as hall settings."""
    p = AppointmentPolicy()
    return {f"appt_{f.name}": str(getattr(p, f.name)) for f in fields(AppointmentPolicy)}


def check_policy_value(key: str, value: str) -> str | None:
    """Why a value of an ``appt_`` setting is unusable, or None when it is fine."""
    name = key.removeprefix("appt_")
    kind = {f.name: f.type for f in fields(AppointmentPolicy)}.get(name)
    if kind is None:
        return f"unknown setting {key}"
    try:
        number = float(value) if kind == "float" else int(value)
    except ValueError:
        return f"{key} must be a number"
    if kind == "float" and not 0 <= number <= 1:
        return f"{key} must be between 0 and 1"
    if kind != "float" and not 0 <= number <= 10000:
        return f"{key} must be between 0 and 10000"
    if name in ("slot_minutes", "horizon_days", "no_show_limit") and number < 1:
        return f"{key} must be at least 1"
    return None
