"""Plain results handed to the UI and the command line; never live ORM objects."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from desk_app.domain.clock import iso


@dataclass(frozen=True)
class ServiceInfo:
    code: str
    name: str
    prefix: str
    daily_cap: int | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class WindowInfo:
    number: int
    services: list[str]
    calling_rule: str
    state: str  # closed | open | paused
    staff: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class IssuedTicket:
    id: str
    number: str
    service: str
    service_name: str
    priority: str | None
    ahead: int
    eta_minutes: int
    issued_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "service": self.service,
            "priority": self.priority,
            "ahead": self.ahead,
            "eta_minutes": self.eta_minutes,
            "issued_at": iso(self.issued_at),
        }


@dataclass(frozen=True)
class TicketInfo:
    """A ticket as the counter sees it."""

    id: str
    number: str
    service: str
    service_name: str
    priority: str | None
    state: str
    window: int | None
    arrival_at: datetime
    recall_count: int = 0
    called_at: datetime | None = None
    started_at: datetime | None = None
    # True when "call next" found this ticket already called at the window and returned it.
    repeated: bool = False

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ("arrival_at", "called_at", "started_at"):
            d[key] = iso(d[key])
        return d


@dataclass(frozen=True)
class ServiceQueue:
    code: str
    name: str
    waiting: int
    longest_wait_s: int


@dataclass(frozen=True)
class WindowStatus:
    number: int
    state: str  # closed | open | paused
    current: str | None
    staff: str | None = None
    current_state: str | None = None


@dataclass(frozen=True)
class QueueStatus:
    services: list[ServiceQueue] = field(default_factory=list)
    windows: list[WindowStatus] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "services": [
                {
                    "code": s.code,
                    "name": s.name,
                    "waiting": s.waiting,
                    "longest_wait_s": s.longest_wait_s,
                }
                for s in self.services
            ],
            "windows": [
                {"number": w.number, "state": w.state, "current": w.current, "staff": w.staff}
                for w in self.windows
            ],
        }
