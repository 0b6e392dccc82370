"""The supervisor's figures, defined once (docs/statistics.md): nearest-rank percentiles, the
per-ticket facts they are computed from, and the grouping keys (hour, weekday, session kind,
channel). Pure: the services fetch the rows, this module counts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from desk_app.domain import clock

DEFAULT_SLA_TARGET_S = 20 * 60  # 20 minutes: a called ticket waiting longer misses the target

DIMENSIONS = ("service", "window", "staff", "hour", "weekday", "session", "channel", "day")

MIDDAY_FROM, MIDDAY_TO = time(12, 0), time(14, 0)
EVENING_FROM = time(17, 30)


# -- channel and session kind: ONE place each, to be answered by the opening calendar and the
# appointments once the hall has them ----------------------------------------------------------


def channel_of(ticket: Any) -> str:
    """How the visitor came: "appointment" for a ticket from an appointment check-in (it carries
    the booking; tickets issued with the older ``--priority appointment`` count too), otherwise
    "walk-in"."""
    booked = getattr(ticket, "appointment", False) or getattr(ticket, "appointment_id", None)
    if booked or getattr(ticket, "priority", None) == "appointment":
        return "appointment"
    return "walk-in"


def session_kind_of(instant: datetime) -> str:
    """The opening session an instant falls in when the hall's calendar is not at hand (a fact
    built without one), by the hall's local time: Saturday → "saturday"; 12:00-14:00 →
    "midday"; from 17:30 → "evening"; otherwise "regular". The statistics service classifies
    with the hall's own opening calendar instead (``TicketFact.session``)."""
    at = clock.local(instant)
    if at.weekday() == 5:
        return "saturday"
    t = at.time()
    if MIDDAY_FROM <= t < MIDDAY_TO:
        return "midday"
    if t >= EVENING_FROM:
        return "evening"
    return "regular"


# -- percentiles ----------------------------------------------------------------------------------


def nearest_rank(sorted_values: Sequence[int], p: float) -> int | None:
    """The nearest-rank p-th percentile of values sorted ascending: the value at rank
    ceil(p/100 × n) (1-based); None for no values."""
    n = len(sorted_values)
    if n == 0:
        return None
    rank = max(1, math.ceil(p / 100 * n))
    return sorted_values[min(rank, n) - 1]


# -- per ticket -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketFact:
    """What the figures need of one ticket (instants are aware UTC)."""

    service: str  # service code (the service it was last queued for)
    window: int | None  # the window that last called it (None: never called)
    staff: str | None  # who made that call
    priority: str | None
    state: str
    issued_at: datetime  # arrival
    first_called_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    appointment: bool = False  # checked in for a booking (channel "appointment")
    session: str | None = None  # the opening calendar's session kind at arrival, when known

    @property
    def wait_s(self) -> int | None:
        """First call − arrival (a recall does not restart it), for a called ticket."""
        if self.first_called_at is None:
            return None
        return max(0, int((self.first_called_at - self.issued_at).total_seconds()))

    @property
    def service_s(self) -> int | None:
        """Complete − start, for a served ticket."""
        if self.completed_at is None or self.started_at is None:
            return None
        return max(0, int((self.completed_at - self.started_at).total_seconds()))

    def key(self, dimension: str) -> Any:
        """The group this ticket falls in for ``dimension`` (arrival time decides the time keys)."""
        if dimension == "service":
            return self.service
        if dimension == "window":
            return self.window
        if dimension == "staff":
            return self.staff
        local = clock.local(self.issued_at)
        if dimension == "hour":
            return local.hour
        if dimension == "weekday":
            return local.isoweekday()  # 1 Monday ... 7 Sunday
        if dimension == "day":
            return local.date().isoformat()
        if dimension == "session":
            return self.session or session_kind_of(self.issued_at)
        if dimension == "channel":
            return channel_of(self)
        raise ValueError(dimension)


@dataclass
class Figures:
    """The figures of one group of tickets."""

    key: Any
    arrivals: int = 0
    called: int = 0
    served: int = 0
    no_shows: int = 0
    waits: list[int] = field(default_factory=list)
    services: list[int] = field(default_factory=list)
    within_target: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, t: TicketFact, sla_target_s: int) -> None:
        self.arrivals += 1
        wait = t.wait_s
        if wait is not None:
            self.called += 1
            self.waits.append(wait)
            if wait <= sla_target_s:
                self.within_target += 1
        if t.state == "no_show":
            self.no_shows += 1
        if t.state == "completed" and t.completed_at is not None:
            self.served += 1
            secs = t.service_s
            if secs is not None:
                self.services.append(secs)

    @classmethod
    def merged(cls, key: Any, parts: Iterable[Figures]) -> Figures:
        """The figures of the union of disjoint groups (the period's total from its groups)."""
        total = cls(key)
        for p in parts:
            total.arrivals += p.arrivals
            total.called += p.called
            total.served += p.served
            total.no_shows += p.no_shows
            total.within_target += p.within_target
            total.waits += p.waits
            total.services += p.services
        return total

    def to_json(self) -> dict[str, Any]:
        waits, services = sorted(self.waits), sorted(self.services)
        return {
            "key": self.key,
            "arrivals": self.arrivals,
            "called": self.called,
            "served": self.served,
            "no_shows": self.no_shows,
            "no_show_rate": ratio(self.no_shows, self.called, 4),
            "wait_p50_s": nearest_rank(waits, 50),
            "wait_p90_s": nearest_rank(waits, 90),
            "wait_p95_s": nearest_rank(waits, 95),
            "service_p50_s": nearest_rank(services, 50),
            "service_p90_s": nearest_rank(services, 90),
            "sla_pct": None
            if not self.called
            else round(100 * self.within_target / self.called, 1),
            **self.extra,
        }


def ratio(part: int, whole: int, digits: int) -> float | None:
    return None if not whole else round(part / whole, digits)


def key_order(key: Any) -> tuple[int, Any]:
    """How groups are sorted: by key, the tickets without one (never called) last."""
    return (1, "") if key is None else (0, key)


def group(
    facts: Iterable[TicketFact],
    dimension: str,
    *,
    sla_target_s: int = DEFAULT_SLA_TARGET_S,
    key_of: Callable[[TicketFact], Any] | None = None,
) -> list[Figures]:
    """The figures per key of ``dimension`` (or for everything, ``dimension`` "all"), sorted by
    key with the tickets without one (never called, for window and staff) last."""
    groups: dict[Any, Figures] = {}
    for t in facts:
        k = "all" if dimension == "all" else (key_of(t) if key_of else t.key(dimension))
        fig = groups.get(k)
        if fig is None:
            fig = groups[k] = Figures(k)
        fig.add(t, sla_target_s)
    return [groups[k] for k in sorted(groups, key=key_order)]


# -- window sessions: idle time -------------------------------------------------------------------


@dataclass(frozen=True)
class SessionFact:
    """One sitting at a window: logged in from ``opened_at`` to ``closed_at`` (or the end of the
    period looked at), with its serving intervals and pauses."""

    window: int
    staff: str
    opened_at: datetime
    closed_at: datetime
    serving: tuple[tuple[datetime, datetime], ...] = ()
    paused: tuple[tuple[datetime, datetime], ...] = ()

    @property
    def session_s(self) -> int:
        return max(0, int((self.closed_at - self.opened_at).total_seconds()))

    def _inside(self, spans: Iterable[tuple[datetime, datetime]]) -> int:
        total = 0
        for a, b in spans:
            a, b = max(a, self.opened_at), min(b, self.closed_at)
            if b > a:
                total += int((b - a).total_seconds())
        return total

    @property
    def serving_s(self) -> int:
        return self._inside(self.serving)

    @property
    def paused_s(self) -> int:
        return self._inside(self.paused)

    @property
    def idle_s(self) -> int:
        """Session − serving (Qmatic's idle time; paused time is part of it and shown apart)."""
        return max(0, self.session_s - self.serving_s)


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """The instants a period of hall days starts and ends (UTC)."""
    from datetime import timedelta

    return clock.day_start(first), clock.day_start(last + timedelta(days=1))


def hourly_flow(facts: Iterable[TicketFact]) -> dict[int, tuple[int, int]]:
    """Per local hour: (arrivals by hour of issue, served by hour of completion)."""
    arrivals: dict[int, int] = {}
    served: dict[int, int] = {}
    for t in facts:
        h = clock.local(t.issued_at).hour
        arrivals[h] = arrivals.get(h, 0) + 1
        if t.state == "completed" and t.completed_at is not None:
            c = clock.local(t.completed_at).hour
            served[c] = served.get(c, 0) + 1
    return {h: (arrivals.get(h, 0), served.get(h, 0)) for h in sorted(set(arrivals) | set(served))}
