"""Figures of 帮办代办: sessions per helper, mode, channel and bundle, the time per session, pain
points by category and state; and what the walkthroughs (走流程) measured per bundle beside the
catalog's claims (trips, steps, time, materials), which the reform figures read."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import mean, median
from typing import Any

from sqlalchemy import select

from desk_app.domain import clock
from desk_app.domain.assist import AssistMode, SessionState, is_overdue
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.assist.views import bundle_name
from desk_app.services.common.catalog import catalog, work_calendar
from desk_app.services.common.errors import Refused
from desk_app.store import Database
from desk_app.store.assist_models import AssistSession, AssistStep, PainPoint
from desk_app.store.models import Staff


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 1)


@dataclass(frozen=True)
class _Work:
    """One session's measured work."""

    session: AssistSession
    steps: int
    minutes: int
    trips: int
    materials: int


def _work(db: Database, start: date, end: date, mode: str | None = None) -> list[_Work]:
    with db.read() as s:
        q = select(AssistSession).where(AssistSession.day >= start, AssistSession.day <= end)
        if mode:
            q = q.where(AssistSession.mode == mode)
        sessions = list(s.scalars(q))
        ids = [x.id for x in sessions]
        per: dict[int, list[AssistStep]] = defaultdict(list)
        if ids:
            for step in s.scalars(select(AssistStep).where(AssistStep.session_id.in_(ids))):
                per[step.session_id].append(step)
        s.expunge_all()
    out = []
    for x in sessions:
        steps = per[x.id]
        handed = {m for st in steps for m in json.loads(st.materials or "[]")}
        out.append(
            _Work(
                x,
                len(steps),
                sum(st.minutes for st in steps),
                sum(st.trip for st in steps),
                len(handed),
            )
        )
    return out


def _group(rows: list[_Work], key) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    groups: dict[str, list[_Work]] = defaultdict(list)
    for w in rows:
        groups[key(w) or "-"].append(w)
    return [
        {
            "key": k,
            "sessions": len(ws),
            "concluded": sum(w.session.state == SessionState.CONCLUDED for w in ws),
            "minutes": sum(w.minutes for w in ws),
            "minutes_mean": _round(mean(w.minutes for w in ws)),
        }
        for k, ws in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]


def _range(start: date | None, end: date | None) -> tuple[date, date]:
    end = end or clock.today()
    start = start or end.replace(day=1)
    if start > end:
        raise Refused("开始日期晚于结束日期", "--from is after --to")
    return start, end


def assist_statistics(
    db: Database, start: date | None = None, end: date | None = None
) -> dict[str, Any]:
    """Sessions started from ``start`` to ``end`` (hall days, default this month) by helper,
    mode, channel and bundle; the time per session (step minutes, and start to end for the
    closed ones); pain points found in the period by category and state, with the overdue."""
    require(db.actor, Operation.ASSIST_STATS)
    start, end = _range(start, end)
    rows = _work(db, start, end)
    with db.read() as s:
        codes = {st.id: st.code for st in s.scalars(select(Staff))}
        pains = list(
            s.scalars(
                select(PainPoint).where(
                    PainPoint.created_at >= clock.day_start(start),
                    PainPoint.created_at < clock.day_start(end + timedelta(days=1)),
                )
            )
        )
    minutes = [w.minutes for w in rows]
    elapsed = [
        (w.session.ended_at - w.session.started_at).total_seconds() / 60
        for w in rows
        if w.session.ended_at is not None
    ]
    today = clock.today()
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "sessions": len(rows),
        "by_helper": _group(rows, lambda w: codes.get(w.session.helper_id)),
        "by_mode": _group(rows, lambda w: w.session.mode),
        "by_channel": _group(rows, lambda w: w.session.channel),
        "by_bundle": _group(rows, lambda w: w.session.bundle_code),
        "time": {
            "step_minutes_mean": _round(mean(minutes)) if minutes else None,
            "step_minutes_p50": _round(median(minutes)) if minutes else None,
            "elapsed_minutes_mean": _round(mean(elapsed)) if elapsed else None,
            "elapsed_minutes_p50": _round(median(elapsed)) if elapsed else None,
        },
        "pain": {
            "total": len(pains),
            "by_category": dict(sorted(Counter(p.category for p in pains).items())),
            "by_state": dict(sorted(Counter(p.state for p in pains).items())),
            "overdue": sum(is_overdue(p.state, p.due, today) for p in pains),
        },
    }


def walkthrough_figures(
    db: Database, start: date | None = None, end: date | None = None
) -> list[dict[str, Any]]:
    """Per bundle, what concluded walkthroughs (走流程) measured beside the catalog's claims.

    ``{"code", "name", "sessions", "claimed": {"steps", "materials", "trips", "days"},
    "measured": {"trips", "steps", "minutes", "days", "materials"}, "worse": [...]}``:
    claimed = the catalog's figures after the reform (None where it publishes none); measured =
    the mean per walkthrough (trips = steps that took a trip of their own, the first included;
    days = working days from the first to the last day); ``worse`` names the measured figures
    above their claim. Dates default to everything up to today."""
    require(db.actor, Operation.ASSIST_STATS)
    end = end or clock.today()
    start = start or date(1970, 1, 1)
    rows = [
        w
        for w in _work(db, start, end, mode=AssistMode.WALKTHROUGH)
        if w.session.state == SessionState.CONCLUDED and w.session.bundle_code
    ]
    cal = work_calendar()
    by_bundle: dict[str, list[_Work]] = defaultdict(list)
    for w in rows:
        by_bundle[w.session.bundle_code or ""].append(w)
    out = []
    for code, ws in sorted(by_bundle.items()):
        b = next((x for x in catalog().bundles if x.code == code), None)
        f = b.figures if b else None

        def after(fig) -> int | None:  # type: ignore[no-untyped-def]
            return fig.after if fig is not None else None

        claimed = {
            "steps": after(f.steps) if f else None,
            "materials": after(f.materials) if f else None,
            "trips": after(f.trips) if f else None,
            "days": (after(f.time_limit_days) if f else None) or (b.time_limit_days if b else None),
        }
        days = [
            cal.workdays_between(w.session.day, clock.hall_day(w.session.ended_at)).days
            for w in ws
            if w.session.ended_at is not None
        ]
        measured = {
            "trips": _round(mean(w.trips for w in ws)),
            "steps": _round(mean(w.steps for w in ws)),
            "minutes": _round(mean(w.minutes for w in ws)),
            "days": _round(mean(days)) if days else None,
            "materials": _round(mean(w.materials for w in ws)),
        }
        worse = [
            k
            for k in ("trips", "steps", "days", "materials")
            if (c := claimed[k]) is not None and (m := measured[k]) is not None and m > c
        ]
        out.append(
            {
                "code": code,
                "name": bundle_name(code),
                "sessions": len(ws),
                "claimed": claimed,
                "measured": measured,
                "worse": worse,
            }
        )
    return out
