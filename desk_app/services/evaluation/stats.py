"""``stats evaluations``: the 好差评 of a period: the distribution of levels by window, staff,
bundle and dimension, the rating rate (ratings / cases concluded), and the follow-up of the
negative ones (open, done, overdue, appeals). A rating set aside on appeal is not counted."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.evaluation import DIMENSIONS
from desk_app.domain.statistics import day_bounds, ratio
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.evaluation.follow_up import follow_up_state, list_rows
from desk_app.services.supervision.statistics import check_period
from desk_app.store import Database
from desk_app.store.case_models import Case, Evaluation
from desk_app.store.models import Staff, Window
from desk_app.store.supervision_models import FollowUp

LEVELS = (5, 4, 3, 2, 1)


def _levels(counter: Counter[int]) -> dict[str, int]:
    return {str(level): counter.get(level, 0) for level in LEVELS}


def _group_rows(groups: dict[Any, Counter[int]]) -> list[dict[str, Any]]:
    rows = []
    for key in sorted(groups, key=lambda k: (k is None, str(k) if k is not None else "")):
        c = groups[key]
        n = sum(c.values())
        rows.append(
            {
                "key": key,
                "ratings": n,
                "levels": _levels(c),
                "mean": round(sum(k * v for k, v in c.items()) / n, 2) if n else None,
                "negative": c.get(1, 0) + c.get(2, 0),
            }
        )
    return rows


@dataclass(frozen=True)
class EvaluationStats:
    first: date
    last: date
    payload: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat(), **self.payload}


def compute_evaluations(
    s: Session, first: date, last: date, *, now: datetime | None = None
) -> EvaluationStats:
    check_period(first, last)
    start, end = day_bounds(first, last)
    today = clock.hall_day(now or clock.now())
    rows = s.execute(
        select(
            Evaluation,
            Window.number,
            Staff.code,
            Case.bundle_code,
            FollowUp.appeal_outcome,
            FollowUp.appealed_at,
        )
        .join(Case, Case.id == Evaluation.case_id)
        .outerjoin(Window, Window.id == Evaluation.window_id)
        .outerjoin(Staff, Staff.id == Evaluation.staff_id)
        .outerjoin(FollowUp, FollowUp.evaluation_id == Evaluation.id)
        .where(Evaluation.at >= start, Evaluation.at < end)
    ).all()
    overall: Counter[int] = Counter()
    by: dict[str, dict[Any, Counter[int]]] = {
        k: defaultdict(Counter) for k in ("window", "staff", "bundle")
    }
    dims: dict[str, Counter[int]] = {d: Counter() for d in DIMENSIONS}
    follow: Counter[str] = Counter()
    appeals: Counter[str] = Counter()
    set_aside = 0
    for e, win, staff, bundle, appeal_outcome, appealed_at in rows:
        if appealed_at is not None:
            appeals[appeal_outcome or "pending"] += 1
        if appeal_outcome == "upheld":
            set_aside += 1
            continue
        overall[e.level] += 1
        by["window"][win][e.level] += 1
        by["staff"][staff][e.level] += 1
        by["bundle"][bundle][e.level] += 1
        for d, v in json.loads(e.dimensions or "{}").items():
            if d in dims:
                dims[d][int(v)] += 1
        if e.negative:
            follow[follow_up_state(e, today)] += 1
    concluded = int(
        s.scalar(
            select(func.count())
            .select_from(Case)
            .where(Case.concluded_at >= start, Case.concluded_at < end)
        )
        or 0
    )
    ratings = sum(overall.values())
    payload = {
        "ratings": ratings,
        "concluded": concluded,
        "rating_rate": ratio(ratings, concluded, 4),
        "levels": _levels(overall),
        "mean": round(sum(k * v for k, v in overall.items()) / ratings, 2) if ratings else None,
        "satisfied_pct": (
            None if not ratings else round(100 * (overall[5] + overall[4]) / ratings, 1)
        ),
        "by_window": _group_rows(by["window"]),
        "by_staff": _group_rows(by["staff"]),
        "by_bundle": _group_rows(by["bundle"]),
        "by_dimension": {d: _levels(c) for d, c in dims.items()},
        "set_aside": set_aside,
        "follow_ups": {
            "negative": overall[1] + overall[2],
            "open": follow["open"],
            "done": follow["done"],
            "overdue": follow["overdue"],
        },
        "appeals": {k: appeals.get(k, 0) for k in ("pending", "upheld", "rejected")},
        "overdue": [r.to_json() for r in list_rows(s, today=today, overdue_only=True)],
    }
    return EvaluationStats(first, last, payload)


def evaluations(
    db: Database, first: date, last: date, *, now: datetime | None = None
) -> EvaluationStats:
    """The period's 好差评 (ratings given on its days) and every overdue follow-up."""
    require(db.actor, Operation.STATS_EVALUATIONS)
    with db.read() as s:
        return compute_evaluations(s, first, last, now=now)
