"""A span's figures counted from its tickets and window sittings (docs/statistics.md): what the
rollup stores for a closed day (rollup.py) and what a summary adds for today or a day not rolled
(rollup_read.py). The figures are those of ``TicketFact`` (domain/statistics.py), to the second;
the tests hold the two to each other on random halls.

Today's count is the part of a summary that grows with the day's tickets, so the tickets are
counted as arrays, not a Python step per ticket and grouping: read as the driver gives them
(store/pipeline.driver_rows), their instants as microseconds (SQLite's stored text parsed by
NumPy, PostgreSQL's computed by the server, store/types.epoch_us), the wait and service seconds
as whole-second floor divisions of their differences, each grouping's counts by ``bincount``
and its histograms encoded straight from the sorted (group, seconds) pairs. The hall's local
hour, weekday and day are looked up once per distinct minute of arrival (a zone's offset is a
whole number of minutes).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain import histogram as hist
from desk_app.domain.statistics import day_bounds, session_kind_of
from desk_app.services.hall.calendar import SessionClassifier, sessions_or_default
from desk_app.services.supervision.facts import last_caller
from desk_app.store.models import Ticket, TicketEvent, Window, WindowEvent
from desk_app.store.models import WindowSession as WS
from desk_app.store.pipeline import driver_rows
from desk_app.store.types import epoch_us

ALL_DIMS = ("service", "window", "staff", "hour", "weekday", "day", "session", "channel", "all")
_US_PER_S = 1_000_000
_NAT = np.iinfo(np.int64).min  # NumPy's "not a time" as int64
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class Tally:
    """One group's figures over one span, as stored (histograms encoded, domain/histogram.py)."""

    arrivals: int = 0
    called: int = 0
    served: int = 0
    no_shows: int = 0
    wait_hist: bytes | None = None
    service_hist: bytes | None = None
    sittings: int = 0
    session_s: int = 0
    serving_s: int = 0
    paused_s: int = 0
    idle_s: int = 0

    def row(self, level: str, day: date, dim: str, key: str) -> dict[str, Any]:
        return {
            "level": level,
            "day": day,
            "dim": dim,
            "key": key,
            "arrivals": self.arrivals,
            "called": self.called,
            "served": self.served,
            "no_shows": self.no_shows,
            "wait_hist": self.wait_hist,
            "service_hist": self.service_hist,
            "sittings": self.sittings,
            "session_s": self.session_s,
            "serving_s": self.serving_s,
            "paused_s": self.paused_s,
            "idle_s": self.idle_s,
        }


Tallies = dict[date, dict[tuple[str, str], Tally]]


def _ticket_rows(s: Session, first: date, last: date, *, with_staff: bool) -> tuple[Any, bool]:
    """Per ticket issued on hall days ``first``..``last``, as the driver gives them: its day,
    service, window (the last caller's, None if never called), whether it is an appointment's,
    its priority and state, its instants: issued, slot, first called, started, completed; and
    with ``with_staff`` who made its last call. The instants are microseconds since 1970 on
    PostgreSQL (the second item: True) and the stored text on SQLite."""
    numeric = s.get_bind().dialect.name != "sqlite"
    instants = [
        Ticket.issued_at,
        Ticket.slot_at,
        Ticket.first_called_at,
        Ticket.started_at,
        Ticket.completed_at,
    ]
    columns: list[Any] = [
        Ticket.day,
        Ticket.service_id,
        Ticket.window_id,
        Ticket.appointment_id.is_not(None),
        Ticket.priority,
        Ticket.state,
        *(epoch_us(c) if numeric else c for c in instants),
    ]
    if with_staff:
        columns.append(last_caller())
    query = select(*columns).where(Ticket.day.between(first, last))
    return driver_rows(s.connection(), query), numeric


def _micros(column: tuple[Any, ...], numeric: bool) -> np.ndarray:
    """Instants as int64 microseconds since 1970 (``_NAT`` for none)."""
    if not numeric:  # SQLite's "YYYY-MM-DD HH:MM:SS.ffffff" (NumPy parses None ten times slower)
        return np.array([v or "NaT" for v in column], dtype="datetime64[us]").view(np.int64)
    as_float = np.array(column, dtype=np.float64)  # None as NaN; exact below 2**53 (year 2255)
    return np.where(np.isnan(as_float), _NAT, as_float).astype(np.int64)


def _index(keys: list[Any]) -> tuple[np.ndarray, list[Any]]:
    """Each item's position among the distinct ones, and the distinct ones in first-seen order."""
    seen: dict[Any, int] = {}
    at = [seen.setdefault(k, len(seen)) for k in keys]
    return np.array(at, dtype=np.int64), list(seen)


class _Tickets:
    """Tickets as columns, and what each grouping adds up."""

    def __init__(self, rows: Any, numeric: bool, *, counts_only: bool = False) -> None:
        self.counts_only = counts_only
        cols = list(zip(*rows, strict=True))
        self.n = len(rows)
        self.day_of, days = _index(list(cols[0]))
        self.days = [d if isinstance(d, date) else date.fromisoformat(d) for d in days]
        self.service, self.window, booked, self.priority, state = cols[1:6]
        self.booked = np.array(booked, dtype=bool)
        issued, slot, called, began, done = (_micros(c, numeric) for c in cols[6:11])
        self.staff = cols[11] if len(cols) > 11 else ()
        # An appointment's ticket arrives at the later of its check-in and its slot's start.
        self.arrival = np.where(self.booked & (slot != _NAT) & (slot > issued), slot, issued)
        # TicketFact.wait_s / service_s: whole seconds, never below zero.
        self.is_called = called != _NAT
        self.called = called
        waited = called[self.is_called] - self.arrival[self.is_called]  # no NaT in the sums
        self.waits = np.maximum(0, waited // _US_PER_S)
        states = np.array(state, dtype=object)
        self.no_show = states == "no_show"
        self.served = (states == "completed") & (done != _NAT)
        self.done = done
        self.has_service = self.served & (began != _NAT)
        took = done[self.has_service] - began[self.has_service]
        self.services = np.maximum(0, took // _US_PER_S)

    def add(self, out: Tallies, dim: str, keys: list[str]) -> None:
        """The figures of grouping ``dim`` whose key for each ticket is in ``keys`` (without
        histograms when ``self.counts_only``)."""
        key_of, labels = _index(keys)
        width = len(labels)
        group = self.day_of * width + key_of  # (day, key) as one number
        size = len(self.days) * width

        def count(mask: np.ndarray | None = None) -> list[int]:
            return np.bincount(group if mask is None else group[mask], minlength=size).tolist()

        arrivals, called = count(), count(self.is_called)
        no_shows, served = count(self.no_show), count(self.served)
        waits: dict[int, bytes | None] = {}
        services: dict[int, bytes | None] = {}
        if not self.counts_only:
            waits = _histograms(group[self.is_called], self.waits)
            services = _histograms(group[self.has_service], self.services)
        for g, n in enumerate(arrivals):
            if not n:
                continue
            day, key = self.days[g // width], labels[g % width]
            groups = out.setdefault(day, {})
            t = groups.get((dim, key))
            if t is None:
                t = groups[(dim, key)] = Tally()
            t.arrivals += n
            t.called += called[g]
            t.no_shows += no_shows[g]
            t.served += served[g]
            t.wait_hist, t.service_hist = waits.get(g), services.get(g)  # one add per key


def _histograms(group: np.ndarray, seconds: np.ndarray) -> dict[int, bytes | None]:
    """Per group: the encoded histogram of its seconds."""
    if not len(seconds):
        return {}
    span = int(seconds.max()) + 1
    pairs, counts = np.unique(group * span + seconds, return_counts=True)  # sorted by group
    groups, values = np.divmod(pairs, span)
    starts = np.flatnonzero(np.diff(groups, prepend=-1))
    ends = [*starts[1:].tolist(), len(pairs)]
    return {
        int(groups[a]): hist.encode_sorted(values[a:b], counts[a:b])
        for a, b in zip(starts.tolist(), ends, strict=True)
    }


def _local_keys(instants: np.ndarray) -> list[tuple[str, str, str]]:
    """The hall's local (hour, weekday, day) of each instant, as grouping keys, found once per
    distinct minute."""
    minutes, at = np.unique(instants // (60 * _US_PER_S), return_inverse=True)
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    keys = []
    for m in minutes.tolist():
        local = clock.local(epoch + timedelta(minutes=m))
        keys.append((str(local.hour), str(local.isoweekday()), local.date().isoformat()))
    return [keys[i] for i in at.ravel().tolist()]


def tally(
    s: Session,
    first: date,
    last: date,
    *,
    now: datetime,
    dims: tuple[str, ...] | None = None,
    histograms: bool = True,
) -> Tallies:
    """Per hall day of ``first``..``last`` and per (grouping, key): the figures' parts, from the
    tickets issued that day (by arrival for the time groupings, as TicketFact.key) and the window
    sittings cut to that day. ``dims``: only these groupings (and "chour"); all by default. Keys
    are row ids (named when read): service and staff as text, a window's as text or "" for none.
    Without ``histograms`` (counts only) every histogram is None."""
    want = set(ALL_DIMS if dims is None else dims)
    out: Tallies = {}
    rows, numeric = _ticket_rows(s, first, last, with_staff="staff" in want)
    if rows:
        tk = _Tickets(rows, numeric, counts_only=not histograms)
        if "service" in want:
            tk.add(out, "service", [str(v) for v in tk.service])
        if "window" in want:
            known = set(s.scalars(select(Window.id)))
            called = tk.is_called.tolist()
            tk.add(
                out,
                "window",
                [
                    str(w) if c and w is not None and w in known else ""
                    for w, c in zip(tk.window, called, strict=True)
                ],
            )
        if "staff" in want:
            tk.add(out, "staff", ["" if v is None else str(v) for v in tk.staff])
        if want & {"hour", "weekday", "day"}:
            local = _local_keys(tk.arrival)
            for i, dim in enumerate(("hour", "weekday", "day")):
                if dim in want:
                    tk.add(out, dim, [k[i] for k in local])
        if "session" in want:
            kind_at = SessionClassifier(sessions_or_default(s)).kind_at
            epoch = datetime(1970, 1, 1, tzinfo=UTC)
            aware = [epoch + timedelta(microseconds=us) for us in tk.arrival.tolist()]
            tk.add(out, "session", [kind_at(a) or session_kind_of(a) for a in aware])
        if "channel" in want:
            booked = tk.booked.tolist()
            tk.add(
                out,
                "channel",
                [
                    "appointment" if b or p == "appointment" else "walk-in"
                    for b, p in zip(booked, tk.priority, strict=True)
                ],
            )
        if "all" in want:
            tk.add(out, "all", [""] * tk.n)
        if (dims is None or "chour" in want) and tk.served.any():  # by hour of completion
            days = [tk.days[i] for i in tk.day_of[tk.served].tolist()]
            for (day, (hour, _w, _d)), n in Counter(
                zip(days, _local_keys(tk.done[tk.served]), strict=True)
            ).items():
                groups = out.setdefault(day, {})
                t = groups.get(("chour", hour))
                if t is None:
                    t = groups[("chour", hour)] = Tally()
                t.served += n
    day = first
    while day <= last and want & {"window", "staff"}:
        for window, staff, *seconds in _sittings(s, day, now):
            groups = out.setdefault(day, {})
            for k in (("window", str(window)), ("staff", str(staff))):
                if k[0] not in want:
                    continue
                t = groups.get(k)
                if t is None:
                    t = groups[k] = Tally()
                t.sittings += 1
                t.session_s += seconds[0]
                t.serving_s += seconds[1]
                t.paused_s += seconds[2]
                t.idle_s += seconds[3]
        day += timedelta(days=1)
    return out


_SERVING_ENDS = ["start", "complete", "transfer", "hold", "no_show"]


def _sittings(s: Session, day: date, now: datetime) -> list[tuple[Any, ...]]:
    """The figures of ``facts.session_facts`` for hall day ``day`` (its sittings, cut to the day
    and to ``now``, with their serving intervals and pauses), counted in whole microseconds:
    per sitting (window id, staff id, session_s, serving_s, paused_s, idle_s)."""
    start, end = day_bounds(day, day)
    end = min(end, now)
    lo, hi = _micros_of(start), _micros_of(end)
    conn = s.connection()
    numeric = s.get_bind().dialect.name != "sqlite"

    def at(column: Any) -> Any:
        return epoch_us(column) if numeric else column

    def read(query: Any) -> list[list[Any]]:
        rows = driver_rows(conn, query)
        if not rows:
            return []
        cols: list[Any] = [list(c) for c in zip(*rows, strict=True)]
        cols[-1] = _micros(tuple(cols[-1]), numeric).tolist()
        return [list(r) for r in zip(*cols, strict=True)]

    # Still open, or closed after the day began: two probes of their indexes.
    opened = (WS.window_id, WS.staff_id, at(WS.closed_at), at(WS.opened_at))
    sittings = [
        *read(select(*opened).where(WS.closed_at.is_(None), WS.opened_at < end)),
        *(r for r in read(select(*opened).where(WS.closed_at > start)) if r[3] < hi),
    ]
    if not sittings:
        return []
    closed = _micros(tuple(r[2] for r in sittings), numeric).tolist()
    serving: dict[Any, list[tuple[int, int]]] = {}
    open_start: dict[Any, tuple[Any, int]] = {}
    events = select(TicketEvent.ticket_id, TicketEvent.action, TicketEvent.window_id)
    events = events.add_columns(at(TicketEvent.at)).where(
        TicketEvent.at >= start, TicketEvent.at < end, TicketEvent.action.in_(_SERVING_ENDS)
    )
    for tid, action, wid, us in read(events.order_by(TicketEvent.id)):
        if action == "start" and wid is not None:
            open_start[tid] = (wid, us)
        elif tid in open_start:
            w, began = open_start.pop(tid)
            serving.setdefault(w, []).append((began, us))
    for w, began in open_start.values():
        serving.setdefault(w, []).append((began, hi))  # still serving at the day's end
    paused: dict[Any, list[tuple[int, int]]] = {}
    pause_from: dict[Any, int] = {}
    window_events = select(WindowEvent.window_id, WindowEvent.action, at(WindowEvent.at))
    window_events = window_events.where(WindowEvent.at >= start, WindowEvent.at < end)
    for wid, action, us in read(window_events.order_by(WindowEvent.id)):
        if action == "pause":
            pause_from[wid] = us
        elif action in ("resume", "close") and wid in pause_from:
            paused.setdefault(wid, []).append((pause_from.pop(wid), us))
    for wid, began in pause_from.items():
        paused.setdefault(wid, []).append((began, hi))
    out = []
    for (wid, stid, _c, opened_us), closed_us in zip(sittings, closed, strict=True):
        a, b = max(opened_us, lo), min(hi if closed_us == _NAT else closed_us, hi)
        if b <= a:
            continue
        session_s = (b - a) // _US_PER_S
        serving_s = _inside(serving.get(wid, ()), a, b)
        out.append((wid, stid, session_s, serving_s, _inside(paused.get(wid, ()), a, b),
                    max(0, session_s - serving_s)))  # fmt: skip
    return out


def _inside(spans: Any, a: int, b: int) -> int:
    """Whole seconds of each span inside ``a``..``b``, added up (SessionFact._inside)."""
    total = 0
    for x, y in spans:
        x, y = max(x, a), min(y, b)
        if y > x:
            total += (y - x) // _US_PER_S
    return total


def _micros_of(at: datetime) -> int:
    return (at - _EPOCH) // timedelta(microseconds=1)
