"""线上线下融合 in figures (docs/statistics.md "Online and 12345"): per 一件事 the cases opened
in a period by channel (walk-in, appointment, online) and the online share; the review time
of online applications (received by the platform → decided at the hall, nearest-rank p50 /
p90); and the 12345 work orders that arrived in the period: signed within their 2 opening
hours, replied by their deadline, returned, still open and late."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from math import ceil
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.statistics import channel_of, day_bounds
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.common.catalog import catalog
from desk_app.store import Database
from desk_app.store.case_models import Case
from desk_app.store.models import Ticket
from desk_app.store.online_models import WorkOrder

CHANNELS = ("walk-in", "appointment", "online")


def nearest_rank(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, ceil(q * len(ordered)) - 1)]


@dataclass(frozen=True)
class OnlineFigures:
    first: date
    last: date
    by_bundle: dict[str, dict[str, int]]  # bundle -> channel -> cases opened
    review_minutes: list[float] = field(default_factory=list)
    orders: dict[str, int] = field(default_factory=dict)

    @property
    def review_p50(self) -> float | None:
        return nearest_rank(self.review_minutes, 0.5)

    @property
    def review_p90(self) -> float | None:
        return nearest_rank(self.review_minutes, 0.9)

    def share(self, bundle: str) -> float | None:
        row = self.by_bundle.get(bundle, {})
        total = sum(row.values())
        return None if not total else round(row.get("online", 0) / total, 4)

    def to_json(self) -> dict[str, Any]:
        names = {b.code: b.name for b in catalog().bundles}
        return {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "bundles": [
                {
                    "code": code,
                    "name": names.get(code, code),
                    **{c: row.get(c, 0) for c in CHANNELS},
                    "online_share": self.share(code),
                }
                for code, row in sorted(self.by_bundle.items())
            ],
            "review": {
                "decided": len(self.review_minutes),
                "p50_minutes": self.review_p50,
                "p90_minutes": self.review_p90,
            },
            "workorders": self.orders,
        }


def compute(s: Session, first: date, last: date, now: datetime) -> OnlineFigures:
    start, end = day_bounds(first, last)
    by_bundle: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(CHANNELS, 0))
    rows = s.execute(
        select(Case.bundle_code, Case.channel, Ticket)
        .outerjoin(Ticket, Ticket.id == Case.ticket_id)
        .where(Case.opened_at >= start, Case.opened_at < end)
    )
    for bundle, channel, ticket in rows:
        kind = "online" if channel == "online" else channel_of(ticket) if ticket else "walk-in"
        by_bundle[bundle][kind] += 1
    review = [
        (decided - received).total_seconds() / 60
        for received, decided in s.execute(
            select(Case.received_at, Case.decided_at).where(
                Case.channel == "online",
                Case.decided_at.is_not(None),
                Case.decided_at >= start,
                Case.decided_at < end,
            )
        )
        if received is not None and decided is not None
    ]
    orders = dict.fromkeys(
        ("received", "signed_on_time", "replied", "replied_on_time", "returned", "open_late"), 0
    )
    today = clock.hall_day(now)
    for o in s.scalars(
        select(WorkOrder).where(WorkOrder.received_at >= start, WorkOrder.received_at < end)
    ):
        orders["received"] += 1
        orders["signed_on_time"] += o.signed_at is not None and o.signed_at <= o.sign_due
        if o.replied_at is not None:
            orders["replied"] += 1
            orders["replied_on_time"] += clock.hall_day(o.replied_at) <= o.deadline
        orders["returned"] += o.returned_at is not None
        late = (o.state == "received" and now > o.sign_due) or today > o.deadline
        orders["open_late"] += o.state in ("received", "signed") and late
    return OnlineFigures(first, last, dict(by_bundle), review, orders)


def figures(db: Database, first: date, last: date, *, now: datetime | None = None) -> OnlineFigures:
    """The figures of ``[first, last]`` (hall days), for the supervisor and the report."""
    require(db.actor, Operation.STATS_SUMMARY)
    with db.read() as s:
        return compute(s, first, last, now or clock.now())
