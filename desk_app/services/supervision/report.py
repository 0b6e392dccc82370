"""``stats report --month YYYY-MM --pdf FILE``: the month's figures gathered in one read and
printed by printing.stats_report (charts drawn with reportlab; the CJK font embedded). Audited
like every export."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path

from desk_app.domain import clock
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.common import audit
from desk_app.services.common.errors import Refused
from desk_app.services.common.lookups import get_setting
from desk_app.services.evaluation.stats import compute_evaluations
from desk_app.services.hall.mode import display_name
from desk_app.services.supervision import online_stats, rollup, rollup_read
from desk_app.services.supervision.reform import compute_reform, measured_reductions
from desk_app.services.supervision.statistics import compute_summary
from desk_app.store import Database
from desk_app.store.identity_models import AuditHead


def month_bounds(text: str) -> tuple[date, date]:
    """The first and last day of a ``YYYY-MM`` month."""
    if not re.fullmatch(r"\d{4}-\d{2}", text or ""):
        raise Refused(f"月份应为 YYYY-MM: {text!r}", f"month must be YYYY-MM: {text!r}")
    try:
        first = date.fromisoformat(text + "-01")
    except ValueError:
        raise Refused(f"月份应为 YYYY-MM: {text!r}", f"month must be YYYY-MM: {text!r}") from None
    if not 2000 <= first.year <= 2100:  # the dates' window everywhere; 9999-12 would overflow
        raise Refused(
            f"月份须在 2000-01 至 2100-12 之间: {text!r}",
            f"month must be 2000-01..2100-12: {text!r}",
        )
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


def monthly_report(db: Database, first: date, last: date, path: Path) -> int:
    """Write the report of ``first``..``last`` (a month) to ``path``; returns its page count."""
    require(db.actor, Operation.STATS_REPORT)
    from printing.stats_report import MonthlyFigures, render_monthly_report

    now = clock.now()
    rollup.catch_up(db, first, last, now=now)
    with db.read() as s:
        by_service = compute_summary(s, first, last, "service", now=now)
        daily = compute_summary(s, first, last, "day", now=now)
        hourly = rollup_read.hourly(s, first, last, now=now)
        evaluations = compute_evaluations(s, first, last).payload
        reform = compute_reform(s, first, last)
        online = online_stats.compute(s, first, last, now).to_json()
        hall_name = display_name(s, get_setting(s, "hall_name"))
        head = s.get(AuditHead, 1)
    figures = MonthlyFigures(
        hall_name=hall_name,
        month=first.strftime("%Y-%m"),
        total=by_service.total,
        by_service=by_service.rows,
        daily=_every_day(daily.rows, first, last),
        hourly=hourly,
        evaluations=evaluations,
        reform=[b.to_json() for b in reform.bundles],
        reductions=[asdict(r) for r in measured_reductions(reform)],
        sla_minutes=by_service.sla_target_s // 60,
        audit_head=(head.seq, head.hash) if head is not None else None,
        online=online,
        sharing={"calls": reform.share_calls, "materials_saved": reform.share_saved},
    )
    render_monthly_report(path, figures)
    with db.begin() as s:
        audit.record(s, db.actor, "stats.report", first.strftime("%Y-%m"), {})
    data = path.read_bytes()
    return data.count(b"/Type /Page") - data.count(b"/Type /Pages")


def _every_day(rows: list[dict], first: date, last: date) -> list[dict]:
    """One row per day of the period (a day without tickets has empty figures), so the daily
    charts' axis is the calendar."""
    have = {r["key"]: r for r in rows}
    out = []
    day = first
    empty = {"wait_p50_s": None, "wait_p90_s": None, "wait_p95_s": None, "no_show_rate": None}
    while day <= last:
        out.append(have.get(day.isoformat(), {"key": day.isoformat(), **empty}))
        day += timedelta(days=1)
    return out
