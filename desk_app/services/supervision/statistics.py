"""``stats summary``: the queue's figures over a period of hall days, grouped by service, window,
staff, hour, weekday, session kind, channel or day (definitions: docs/statistics.md).

One read-only unit of work: the period's tickets are fetched as plain columns through the
tickets' day index and counted in Python (desk_app.domain.statistics), so SQLite and PostgreSQL
give the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.statistics import (
    DIMENSIONS,
)
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.common.errors import Refused
from desk_app.services.common.lookups import get_setting
from desk_app.services.supervision.facts import dated_facts as dated_facts
from desk_app.services.supervision.facts import session_facts as session_facts
from desk_app.services.supervision.facts import ticket_facts as ticket_facts
from desk_app.store import Database
from desk_app.store.models import Service, Staff, Window

# Ten years: periods are merged from the rollup's months and days (docs/statistics.md)
MAX_PERIOD_DAYS = 3653

COLUMNS = (
    "key",
    "arrivals",
    "called",
    "served",
    "no_shows",
    "no_show_rate",
    "wait_p50_s",
    "wait_p90_s",
    "wait_p95_s",
    "service_p50_s",
    "service_p90_s",
    "sla_pct",
)
SESSION_COLUMNS = ("session_s", "serving_s", "paused_s", "idle_s")
NAMED = ("service", "window", "staff")  # rows of these groupings carry a "name" too


@dataclass(frozen=True)
class Summary:
    first: date
    last: date
    by: str
    sla_target_s: int
    rows: list[dict[str, Any]]
    total: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "by": self.by,
            "sla_target_s": self.sla_target_s,
            "rows": self.rows,
            "total": self.total,
        }

    @property
    def columns(self) -> tuple[str, ...]:
        named = ("key", "name", *COLUMNS[1:]) if self.by in NAMED else COLUMNS
        return named + (SESSION_COLUMNS if self.by in ("window", "staff") else ())


def check_period(first: date, last: date) -> None:
    if last < first:
        raise Refused("结束日期早于开始日期", "--to is before --from")
    if (last - first).days >= MAX_PERIOD_DAYS:
        raise Refused(
            f"统计期间最长 {MAX_PERIOD_DAYS} 天", f"a period is at most {MAX_PERIOD_DAYS} days"
        )


def sla_target_s(s: Session) -> int:
    return int(get_setting(s, "sla_target_minutes")) * 60


def _names(s: Session, by: str) -> dict[Any, str | None]:
    if by == "service":
        return dict(s.execute(select(Service.code, Service.name)).all())
    if by == "window":
        return dict(s.execute(select(Window.number, Window.name)).all())
    return dict(s.execute(select(Staff.code, Staff.name)).all())


def compute_summary(
    s: Session, first: date, last: date, by: str, *, now: datetime | None = None
) -> Summary:
    """The figures inside the caller's read (the report and the screen reuse it): from the
    rollup where it covers the period, from the tickets for the days it does not."""
    from desk_app.services.supervision import rollup_read

    if by not in DIMENSIONS:
        raise Refused(f"未知的分组 {by}", f"unknown grouping {by}")
    check_period(first, last)
    target = sla_target_s(s)
    rows = rollup_read.period_rows(s, first, last, (by, "all"), now=now or clock.now())
    figures, total = rollup_read.figure_rows(s, rows, by, target)
    if by in NAMED:
        names = _names(s, by)
        for r in figures:
            r["name"] = names.get(r["key"])
    if total is None:
        total = {**dict.fromkeys(COLUMNS), "key": "all"}
        total.update(arrivals=0, called=0, served=0, no_shows=0)
    return Summary(first, last, by, target, figures, total)


def summary(
    db: Database, first: date, last: date, *, by: str = "service", now: datetime | None = None
) -> Summary:
    """The period's figures per ``by`` (service, window, staff, hour, weekday, session, channel,
    day) and for the whole period (``total``)."""
    from desk_app.services.supervision.rollup import catch_up

    require(db.actor, Operation.STATS_SUMMARY)
    if by not in DIMENSIONS:
        raise Refused(f"未知的分组 {by}", f"unknown grouping {by}")
    check_period(first, last)
    now = now or clock.now()
    catch_up(db, first, last, now=now)
    with db.read() as s:
        return compute_summary(s, first, last, by, now=now)


def hourly(
    db: Database, first: date, last: date, *, now: datetime | None = None
) -> dict[int, tuple[int, int]]:
    """Arrivals by hour of issue and tickets served by hour of completion (the chart)."""
    from desk_app.services.supervision import rollup, rollup_read

    require(db.actor, Operation.STATS_SUMMARY)
    check_period(first, last)
    now = now or clock.now()
    rollup.catch_up(db, first, last, now=now)
    with db.read() as s:
        return rollup_read.hourly(s, first, last, now=now)
