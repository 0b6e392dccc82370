"""Plain results of the appointment services (for the command line and the screens)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from desk_app.domain.calendar import hhmm
from desk_app.domain.clock import iso
from desk_app.services.common.dto import IssuedTicket


@dataclass(frozen=True)
class SlotView:
    start: int
    end: int
    capacity: int  # bookable places of the hall channel
    booked: int
    online_capacity: int
    online_booked: int

    @property
    def left(self) -> int:
        return max(0, self.capacity - self.booked)

    @property
    def online_left(self) -> int:
        return max(0, self.online_capacity - self.online_booked)

    def to_json(self) -> dict[str, Any]:
        return {
            "start": hhmm(self.start),
            "end": hhmm(self.end),
            "capacity": self.capacity,
            "booked": self.booked,
            "left": self.left,
            "online_capacity": self.online_capacity,
            "online_booked": self.online_booked,
            "online_left": self.online_left,
        }


@dataclass(frozen=True)
class AppointmentView:
    """A booking as listed: personal data masked unless the caller asked for the slip."""

    code: str
    service: str
    service_name: str
    day: date
    start: int
    end: int
    state: str
    channel: str
    name: str
    id_no: str
    phone: str | None
    slot_at: datetime
    ticket: str | None = None  # the ticket number after check-in
    warning: str | None = None  # e.g. a no-show already recorded in the last 30 days

    def to_json(self) -> dict[str, Any]:
        d = {
            "code": self.code,
            "service": self.service,
            "service_name": self.service_name,
            "date": self.day.isoformat(),
            "start": hhmm(self.start),
            "end": hhmm(self.end),
            "state": self.state,
            "channel": self.channel,
            "name": self.name,
            "id_no": self.id_no,
            "phone": self.phone,
            "slot_at": iso(self.slot_at),
            "ticket": self.ticket,
        }
        if self.warning:
            d["warning"] = self.warning
        return d


@dataclass(frozen=True)
class CheckedIn:
    ticket: IssuedTicket
    appointment: str

    def to_json(self) -> dict[str, Any]:
        return {**self.ticket.to_json(), "appointment": self.appointment}
