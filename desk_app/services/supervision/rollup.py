"""The statistics rollup (docs/statistics.md, "The rollup"): what a closed hall day's tickets
and window sittings add to every figure and grouping, stored per day and per month, quarter and
year (store/stats_models.py; each the union of the level below, written when it is whole and
its parts are rolled), so a summary merges rows instead of reading the tickets. A rewritten
month drops the spans of its quarter and year, which the catch-up writes again.

Maintained by an idempotent catch-up rather than inside the queue's transactions: a day is
rolled once it has been closed for ``GRACE`` (a ticket finished just after midnight is in it), by
``stats rebuild`` or lazily before a summary; a later change to one of its tickets (every change
writes a ticket event) marks it dirty through a trigger (migration 0015) and the next catch-up
rolls it again. Days not rolled (today, a dirty day) are counted from the tickets at read time,
with the same code, so a summary never depends on the catch-up having run.

The trigger marks only days that have a span row, so a day is claimed before it is counted: its
span and a dirty mark are committed first (readers keep counting it from the tickets), then a
second transaction clears the mark, counts the tickets and writes the rows. A change committed
while the day is being counted finds the span and marks the day dirty again; without the claim,
one committed between the count and the commit of the first span was never seen.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, text
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain import histogram as hist
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.common.errors import Refused
from desk_app.services.hall.calendar import sessions_or_default
from desk_app.services.supervision.counting import Tally, tally
from desk_app.store import Database
from desk_app.store.stats_models import StatsDirty, StatsRollup, StatsSpan

GRACE = timedelta(hours=1)  # a day is rolled up once it has been over this long
DAY, MONTH, QUARTER, YEAR = "d", "m", "q", "y"
_LOCK = 7_150_015  # PostgreSQL advisory lock: one catch-up at a time


def calendar_mark(s: Session) -> str:
    """A digest of the opening calendar: the session grouping was rolled against it."""
    return hashlib.sha1(repr(sessions_or_default(s)).encode()).hexdigest()[:16]


def closed_through(now: datetime) -> date:
    """The last hall day that may be rolled up at ``now``."""
    return clock.hall_day(now - GRACE) - timedelta(days=1)


def runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) runs."""
    out: list[tuple[date, date]] = []
    for d in sorted(days):
        if out and out[-1][1] + timedelta(days=1) == d:
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def _days(first: date, last: date) -> Iterable[date]:
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


@dataclass(frozen=True)
class State:
    """Which spans of a period are rolled up and usable against the current calendar."""

    mark: str
    days: frozenset[date]  # rolled, not dirty
    months: frozenset[date]  # first days of months rolled whole, none of their days dirty
    quarters: frozenset[date] = frozenset()  # first days of quarters, as months
    years: frozenset[date] = frozenset()  # 1 January of years, as months

    def has(self, level: str, start: date) -> bool:
        return start in {DAY: self.days, MONTH: self.months, QUARTER: self.quarters,
                         YEAR: self.years}[level]  # fmt: skip


def quarter_start(d: date) -> date:
    return date(d.year, (d.month - 1) // 3 * 3 + 1, 1)


def span_end(level: str, start: date) -> date:
    """The last day of the span of ``level`` that begins on ``start``."""
    if level == DAY:
        return start
    if level == MONTH:
        return month_end(start)
    if level == QUARTER:
        return month_end(date(start.year, start.month + 2, 1))
    return date(start.year, 12, 31)


def state(s: Session, first: date, last: date) -> State:
    mark = calendar_mark(s)
    month_from = first.replace(day=1)
    spans = s.execute(
        select(StatsSpan.level, StatsSpan.day).where(
            StatsSpan.day.between(month_from, last), StatsSpan.calendar == mark
        )
    ).all()
    dirty = set(s.scalars(select(StatsDirty.day).where(StatsDirty.day.between(month_from, last))))
    days = frozenset(d for lv, d in spans if lv == DAY and d not in dirty)
    stale = {
        MONTH: {d.replace(day=1) for d in dirty},
        QUARTER: {quarter_start(d) for d in dirty},
        YEAR: {date(d.year, 1, 1) for d in dirty},
    }
    whole = {
        level: frozenset(d for lv, d in spans if lv == level and d not in stale[level])
        for level in stale
    }
    return State(mark, days, whole[MONTH], whole[QUARTER], whole[YEAR])


def month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _lock(s: Session) -> None:
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK})


def _claim(s: Session, days: list[date], mark: str, now: datetime) -> None:
    """Give ``days`` a span and a dirty mark (committed before they are counted): from then on
    the trigger marks them dirty on any change, and readers count them from the tickets."""
    s.execute(delete(StatsSpan).where(StatsSpan.level == DAY, StatsSpan.day.in_(days)))
    s.execute(delete(StatsDirty).where(StatsDirty.day.in_(days)))
    s.execute(
        insert(StatsSpan),
        [{"level": DAY, "day": d, "calendar": mark, "rolled_at": now} for d in days],
    )
    s.execute(insert(StatsDirty), [{"day": d} for d in days])


def _write_days(s: Session, first: date, last: date, mark: str, now: datetime) -> int:
    """Count the claimed days ``first``..``last`` from the tickets and store their rows. The
    dirty marks go before the count: a change committed after the count marks the day again."""
    days = list(_days(first, last))
    s.execute(delete(StatsDirty).where(StatsDirty.day.in_(days)))
    s.flush()
    tallies = tally(s, first, last, now=now)
    s.execute(delete(StatsRollup).where(StatsRollup.level == DAY, StatsRollup.day.in_(days)))
    s.execute(delete(StatsSpan).where(StatsSpan.level == DAY, StatsSpan.day.in_(days)))
    s.execute(
        insert(StatsSpan),
        [{"level": DAY, "day": d, "calendar": mark, "rolled_at": now} for d in days],
    )
    rows = [
        t.row(DAY, day, dim, key) for day in days for (dim, key), t in tallies.get(day, {}).items()
    ]
    if rows:
        s.execute(insert(StatsRollup), rows)
    return len(rows)


# Each span above a day is the union of the spans of the level below it.
BELOW = {MONTH: DAY, QUARTER: MONTH, YEAR: QUARTER}


def _write_span(s: Session, level: str, first: date, mark: str, now: datetime) -> int:
    """The rows of the month, quarter or year starting on ``first`` from the rows of the level
    below (the span is whole and those are rolled)."""
    last = span_end(level, first)
    s.execute(delete(StatsRollup).where(StatsRollup.level == level, StatsRollup.day == first))
    s.execute(delete(StatsSpan).where(StatsSpan.level == level, StatsSpan.day == first))
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for r in s.execute(
        select(StatsRollup).where(
            StatsRollup.level == BELOW[level],
            StatsRollup.day.between(first, last),
            StatsRollup.dim != "day",
        )
    ).scalars():
        m = merged.get((r.dim, r.key))
        if m is None:
            m = merged[(r.dim, r.key)] = {"t": Tally(), "w": [], "s": []}
        t = m["t"]
        for name in SUMMED:
            setattr(t, name, getattr(t, name) + getattr(r, name))
        m["w"].append(r.wait_hist)
        m["s"].append(r.service_hist)
    rows = []
    for (dim, key), m in merged.items():
        row = m["t"].row(level, first, dim, key)
        row["wait_hist"], row["service_hist"] = hist.merge(m["w"]), hist.merge(m["s"])
        rows.append(row)
    if rows:
        s.execute(insert(StatsRollup), rows)
    s.add(StatsSpan(level=level, day=first, calendar=mark, rolled_at=now))
    up = _up(level, first)
    while up is not None:  # the quarter and year holding it are stale now: rolled again later
        s.execute(delete(StatsSpan).where(StatsSpan.level == up[0], StatsSpan.day == up[1]))
        up = _up(*up)
    return len(rows)


def _parts(level: str, first: date) -> list[date]:
    """The starts of the spans one level below that make up the span."""
    below, out, d = BELOW[level], [], first
    while d <= span_end(level, first):
        out.append(d)
        d = span_end(below, d) + timedelta(days=1)
    return out


def _up(level: str, start: date) -> tuple[str, date] | None:
    """The quarter of a month, the year of a quarter."""
    if level == MONTH:
        return QUARTER, quarter_start(start)
    if level == QUARTER:
        return YEAR, date(start.year, 1, 1)
    return None


def _write_above(s: Session, month: date, mark: str, now: datetime) -> int:
    """After a month's rows: the quarter and then the year it completes, when they are not
    rolled and every part of them is (read again: this transaction may have written some)."""
    rows = 0
    for level in (QUARTER, YEAR):
        start = quarter_start(month) if level == QUARTER else date(month.year, 1, 1)
        if span_end(level, start) != month_end(month):
            break
        s.flush()
        st = state(s, start, span_end(level, start))
        if st.has(level, start):
            continue
        if not all(st.has(BELOW[level], p) for p in _parts(level, start)):
            break
        rows += _write_span(s, level, start, mark, now)
    return rows


SUMMED = (
    "arrivals",
    "called",
    "served",
    "no_shows",
    "sittings",
    "session_s",
    "serving_s",
    "paused_s",
    "idle_s",
)


def catch_up(
    db: Database,
    first: date | None = None,
    last: date | None = None,
    *,
    now: datetime | None = None,
) -> tuple[int, int]:
    """Roll up the closed days of ``first``..``last`` (default: from the first ticket's day to the
    last closed day) not rolled yet, rolled against another calendar, or dirty, a month per
    transaction, and the months they complete. Idempotent; returns (days, rows) written."""
    now = now or clock.now()
    hi = closed_through(now) if last is None else min(last, closed_through(now))
    if first is None:
        from sqlalchemy import func

        from desk_app.store.models import Ticket

        with db.read() as s:
            first = s.scalar(select(func.min(Ticket.day)))
        if first is None:
            return 0, 0
    if hi < first:
        return 0, 0
    with db.read() as s:
        st = state(s, first, hi)
    if all(d in st.days for d in _days(first, hi)) and all(
        st.has(level, start)
        for level in (MONTH, QUARTER, YEAR)
        for start in _whole(level, first, hi)
    ):
        return 0, 0
    days = rows = 0
    month = first.replace(day=1)
    while month <= hi:
        a, b = max(first, month), min(hi, month_end(month))
        with db.begin() as s:  # claim the month's stale days (module docstring)
            _lock(s)
            st = state(s, month, month_end(month))  # again: another catch-up may have run
            stale = [d for d in _days(a, b) if d not in st.days]
            if stale:
                _claim(s, stale, st.mark, now)
        with db.begin() as s:
            _lock(s)
            st = state(s, month, month_end(month))
            stale = [d for d in _days(a, b) if d not in st.days]  # the claimed, or dirty again
            for r1, r2 in runs(stale):
                rows += _write_days(s, r1, r2, st.mark, now)
            days += len(stale)
            whole = month_end(month) <= closed_through(now)
            have = st.days | set(stale)
            if (
                whole
                and (stale or month not in st.months)
                and all(d in have for d in _days(month, month_end(month)))
            ):
                s.flush()
                rows += _write_span(s, MONTH, month, st.mark, now)
            if whole:
                rows += _write_above(s, month, st.mark, now)
        month = month_end(month) + timedelta(days=1)
    return days, rows


def rebuild(
    db: Database,
    first: date | None = None,
    last: date | None = None,
    *,
    now: datetime | None = None,
) -> dict[str, int]:
    """``stats rebuild``: with a period, roll its closed days (and their months) up again from
    the tickets; without, catch up every closed day. Returns {"days", "rows"} written."""
    require(db.actor, Operation.STATS_REBUILD)
    if first is not None and last is not None:
        if last < first:
            raise Refused("结束日期早于开始日期", "--to is before --from")
        with db.begin() as s:
            _lock(s)
            s.execute(
                delete(StatsSpan).where(
                    (StatsSpan.level == DAY) & StatsSpan.day.between(first, last)
                    | (StatsSpan.level == MONTH) & StatsSpan.day.between(first.replace(day=1), last)
                    | (StatsSpan.level == QUARTER)
                    & StatsSpan.day.between(quarter_start(first), last)
                    | (StatsSpan.level == YEAR)
                    & StatsSpan.day.between(date(first.year, 1, 1), last)
                )
            )
    days, rows = catch_up(db, first, last, now=now)
    return {"days": days, "rows": rows}


def _whole(level: str, first: date, last: date) -> Iterable[date]:
    """The starts of the months, quarters or years wholly inside ``first``..``last``."""
    d = first.replace(day=1)
    if level == QUARTER:
        d = quarter_start(d)
    elif level == YEAR:
        d = date(d.year, 1, 1)
    while span_end(level, d) <= last:
        if d >= first:
            yield d
        d = span_end(level, d) + timedelta(days=1)
