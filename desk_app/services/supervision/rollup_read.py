"""A period's figures from the rollup (services/supervision/rollup.py): the rows of the largest
rolled spans that fit (years, quarters, months), the other rolled days' rows, and the days not rolled (today, a dirty day) tallied from their
tickets; merged per grouping key into the figures of docs/statistics.md."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from sqlalchemy import and_, null, or_, select
from sqlalchemy.orm import Session

from desk_app.domain import histogram as hist
from desk_app.domain.statistics import key_order, ratio
from desk_app.services.supervision.counting import tally
from desk_app.services.supervision.rollup import (
    DAY,
    MONTH,
    QUARTER,
    SUMMED,
    YEAR,
    State,
    runs,
    span_end,
    state,
)
from desk_app.store.models import Service, Staff, Window
from desk_app.store.pipeline import binary_rows
from desk_app.store.stats_models import StatsRollup as R

SESSION_COLUMNS = ("session_s", "serving_s", "paused_s", "idle_s")
# A row as read: (dim, key, wait_hist, service_hist, *SUMMED), stored or tallied.
_READ = (R.dim, R.key, R.wait_hist, R.service_hist, *(getattr(R, c) for c in SUMMED))
_FIRST_SUM = 4


@dataclass
class Group:
    """One key's rows, merged."""

    key: Any
    rows: list[Any] = field(default_factory=list)

    def add(self, row: Any) -> None:
        self.rows.append(row)

    @cached_property
    def sums(self) -> dict[str, int]:
        columns = zip(*(r[_FIRST_SUM:] for r in self.rows), strict=True)
        return {name: sum(col) for name, col in zip(SUMMED, columns, strict=True)}

    def figures(self, sla_target_s: int) -> dict[str, Any]:
        """The columns of Figures.to_json (domain/statistics.py), from the histograms."""
        n = self.sums
        w = hist.read([r[2] for r in self.rows], (50, 90, 95), at_most=sla_target_s)
        sv = hist.read([r[3] for r in self.rows], (50, 90))
        return {
            "key": self.key,
            "arrivals": n["arrivals"],
            "called": n["called"],
            "served": n["served"],
            "no_shows": n["no_shows"],
            "no_show_rate": ratio(n["no_shows"], n["called"], 4),
            "wait_p50_s": w.percentiles[50],
            "wait_p90_s": w.percentiles[90],
            "wait_p95_s": w.percentiles[95],
            "service_p50_s": sv.percentiles[50],
            "service_p90_s": sv.percentiles[90],
            "sla_pct": None if not n["called"] else round(100 * w.at_most / n["called"], 1),
        }


def period_rows(
    s: Session,
    first: date,
    last: date,
    dims: tuple[str, ...],
    *,
    now: datetime,
    histograms: bool = True,
) -> list[Any]:
    """The rows of ``dims`` covering hall days ``first``..``last`` once each; without
    ``histograms`` (counts only) their histograms are None. The "day" grouping is read from
    the day rows; the others (the total beside it) from the largest spans, so a summary by day
    merges one row per day, not two; the days not rolled are counted once for all groupings."""
    st = state(s, first, last)
    parts = [("day",), tuple(d for d in dims if d != "day")] if "day" in dims else [dims]
    read = _READ if histograms else (R.dim, R.key, null(), null(), *_READ[_FIRST_SUM:])
    out: list[Any] = []
    raw: list[date] = []
    for part in (p for p in parts if p):
        spans, raw = _spans(st, first, last, part)
        for i in range(0, len(spans), 200):  # plain rows: no ORM objects for thousands of them
            query = select(*read).where(R.dim.in_(part), or_(*spans[i : i + 200]))
            out += binary_rows(s.connection(), query)
    # Not rolled (today, a dirty day): the same days whatever the grouping, since a span is
    # used only when all its days are rolled.
    for a, b in runs(raw):
        for groups in tally(s, a, b, now=now, dims=dims, histograms=histograms).values():
            for (dim, key), t in groups.items():
                if dim in dims:
                    sums = (getattr(t, c) for c in SUMMED)
                    out.append((dim, key, t.wait_hist, t.service_hist, *sums))
    return out


def _spans(
    st: State, first: date, last: date, dims: tuple[str, ...]
) -> tuple[list[Any], list[date]]:
    """The rolled spans covering ``first``..``last`` for ``dims`` (as conditions on the rows)
    and the days not rolled."""
    whole: dict[str, list[date]] = {}  # level -> starts of the years, quarters, months taken
    day_rows: list[date] = []
    raw: list[date] = []
    d = first
    while d <= last:
        level = _largest(st, d, last, dims)
        if level is not None:
            whole.setdefault(level, []).append(d)
            d = span_end(level, d) + timedelta(days=1)
            continue
        (day_rows if d in st.days else raw).append(d)
        d += timedelta(days=1)
    spans = [and_(R.level == level, R.day.in_(starts)) for level, starts in whole.items()]
    spans += [and_(R.level == DAY, R.day.between(a, b)) for a, b in runs(day_rows)]
    return spans, raw


def _largest(st: State, d: date, last: date, dims: tuple[str, ...]) -> str | None:
    """The largest rolled span (year, quarter, month) that starts on ``d`` and ends by
    ``last``. Their rows have no "day" grouping (it would be their days' rows again)."""
    if d.day != 1 or "day" in dims:
        return None
    for level in (YEAR, QUARTER, MONTH):
        if level == YEAR and d.month != 1 or level == QUARTER and d.month % 3 != 1:
            continue
        if span_end(level, d) <= last and st.has(level, d):
            return level
    return None


def _namer(s: Session, dim: str) -> Any:
    if dim == "service":
        codes = dict(s.execute(select(Service.id, Service.code)).all())
        return lambda k: codes[int(k)]
    if dim == "window":
        numbers = dict(s.execute(select(Window.id, Window.number)).all())
        return lambda k: numbers.get(int(k)) if k else None
    if dim == "staff":
        codes = dict(s.execute(select(Staff.id, Staff.code)).all())
        return lambda k: codes[int(k)] if k else None
    if dim in ("hour", "weekday", "chour"):
        return int
    if dim == "all":
        return lambda _k: "all"
    return lambda k: k


def groups(s: Session, rows: Iterable[Any], dim: str) -> dict[Any, Group]:
    name = _namer(s, dim)
    out: dict[Any, Group] = {}
    for r in rows:
        if r[0] != dim:
            continue
        k = name(r[1])
        g = out.get(k)
        if g is None:
            g = out[k] = Group(k)
        g.add(r)
    return out


def figure_rows(
    s: Session, rows: list[Any], by: str, sla_target_s: int
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The summary's rows (tickets' keys in key order, then for window and staff the keys of
    sittings without tickets) and its total (None without tickets)."""
    found = groups(s, rows, by)
    ticketed = sorted((k for k, g in found.items() if g.sums["arrivals"]), key=key_order)
    out = []
    for k in ticketed:
        r = found[k].figures(sla_target_s)
        if by in ("window", "staff"):
            r.update({c: found[k].sums[c] for c in SESSION_COLUMNS})
        out.append(r)
    if by in ("window", "staff"):
        for k in sorted((k for k, g in found.items() if not g.sums["arrivals"]), key=str):
            if found[k].sums["sittings"]:
                r = found[k].figures(sla_target_s)
                out.append({**r, **{c: found[k].sums[c] for c in SESSION_COLUMNS}})
    total = groups(s, rows, "all").get("all")
    return out, (total.figures(sla_target_s) if total and total.sums["arrivals"] else None)


def hourly(s: Session, first: date, last: date, *, now: datetime) -> dict[int, tuple[int, int]]:
    """Arrivals by hour of arrival and tickets served by hour of completion."""
    rows = period_rows(s, first, last, ("hour", "chour"), now=now, histograms=False)
    arrivals = {k: g.sums["arrivals"] for k, g in groups(s, rows, "hour").items()}
    served = {k: g.sums["served"] for k, g in groups(s, rows, "chour").items()}
    return {h: (arrivals.get(h, 0), served.get(h, 0)) for h in sorted(set(arrivals) | set(served))}
