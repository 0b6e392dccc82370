"""``stats reform``: per 一件事, the catalog's published before/after figures beside what the
hall's concluded cases show (definitions: docs/statistics.md "Reform figures").

Measured over the cases concluded in the period, each case counted from its own records:
trips = distinct hall days the applicant came (the case's visit events and its queue ticket),
steps = windows the case was handled at plus transfers of its ticket, days = working days from
opening to conclusion, materials = materials handed in on paper (original or copy; not those
verified from shared data, e-licences or an earlier item's result). Per 一件事 also the
materials fetched through data sharing (免证办) and the cases in which one fell back to paper.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.bundle import BeforeAfter
from desk_app.domain.statistics import day_bounds
from desk_app.paths import resources_dir
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.common.catalog import catalog, work_calendar
from desk_app.services.supervision.statistics import check_period
from desk_app.store import Database
from desk_app.store.case_models import Case, CaseEvent, CaseMaterial
from desk_app.store.models import Ticket, TicketEvent
from desk_app.store.share_models import CaseShare, ShareCall

FIGURES = ("trips", "steps", "days", "materials")
# Case events that mean the applicant (or their agent) was at the hall that day.
VISIT_ACTIONS = ("open", "receive", "accept", "defer", "notice", "reject", "deferral_met")
# Paper kept by the hall: a material scanned at the window (electronic) had its paper handed
# back, and one verified from shared data was never handed in.
HANDED_IN = ("original", "copy")


@dataclass
class CaseFacts:
    days_seen: set[date] = field(default_factory=set)
    windows: set[int] = field(default_factory=set)
    transfers: int = 0
    materials: int = 0
    workdays: int | None = None
    shared: int = 0  # materials fetched through data sharing (免证办): not handed in
    fell_back: bool = False  # a shared material came back with no record or failed: paper


@dataclass(frozen=True)
class BundleReform:
    code: str
    name: str
    cases: int
    claimed: dict[str, int | None]  # the published "after" figure
    claimed_before: dict[str, int | None]
    measured: dict[str, float | None]  # mean per concluded case
    cases_behind: dict[str, int]
    worse: list[str]  # figures where the cases show more than the claim
    shared: int = 0  # materials fetched through data sharing over these cases
    fell_back: int = 0  # cases in which a shared material fell back to paper

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "cases": self.cases,
            "claimed": self.claimed,
            "claimed_before": self.claimed_before,
            "measured": self.measured,
            "cases_behind": self.cases_behind,
            "worse": self.worse,
            "shared": {"fetched": self.shared, "fell_back_cases": self.fell_back},
        }


@dataclass(frozen=True)
class ReformReport:
    first: date | None
    last: date | None
    bundles: list[BundleReform]
    yardstick: dict[str, Any]  # the reform's published overall reductions
    # 免证办 over the period: calls to the sharing gateway, materials fetched (not handed in)
    share_calls: int = 0
    share_saved: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.first.isoformat() if self.first else None,
            "to": self.last.isoformat() if self.last else None,
            "bundles": [b.to_json() for b in self.bundles],
            "yardstick": self.yardstick,
            "sharing": {"calls": self.share_calls, "materials_saved": self.share_saved},
        }


@lru_cache(maxsize=1)
def yardstick() -> dict[str, Any]:
    """The reform's overall published reductions (resources/reform/claims.json)."""
    path = resources_dir() / "reform" / "claims.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _claims(code: str) -> tuple[dict[str, int | None], dict[str, int | None]]:
    try:
        figures = catalog().bundle(code).figures
    except KeyError:  # a bundle no longer in the catalog has no claim
        figures = None
    pairs: dict[str, BeforeAfter | None] = {
        "trips": figures.trips if figures else None,
        "steps": figures.steps if figures else None,
        "days": figures.time_limit_days if figures else None,
        "materials": figures.materials if figures else None,
    }
    after = {k: (v.after if v else None) for k, v in pairs.items()}
    before = {k: (v.before if v else None) for k, v in pairs.items()}
    return after, before


def _case_facts(s: Session, first: date | None, last: date | None) -> dict[Any, tuple]:
    """(bundle code, bundle name, CaseFacts) of every case concluded in the period."""
    concluded = select(Case.id).where(Case.state == "concluded")
    if first is not None and last is not None:
        start, end = day_bounds(first, last)
        concluded = concluded.where(Case.concluded_at >= start, Case.concluded_at < end)
    ids = concluded.subquery()
    cases: dict[Any, tuple] = {}
    cal = work_calendar()
    for cid, code, name, opened, done, tday in s.execute(
        select(
            Case.id,
            Case.bundle_code,
            Case.bundle_name,
            Case.opened_at,
            Case.concluded_at,
            Ticket.day,
        )
        .join(ids, ids.c.id == Case.id)
        .outerjoin(Ticket, Ticket.id == Case.ticket_id)
    ):
        f = CaseFacts()
        if tday is not None:
            f.days_seen.add(tday)
        assert done is not None  # only concluded cases are read
        f.workdays = cal.workdays_between(clock.hall_day(opened), clock.hall_day(done)).days
        cases[cid] = (code, name, f)
    for cid, action, wid, at in s.execute(
        select(CaseEvent.case_id, CaseEvent.action, CaseEvent.window_id, CaseEvent.at).join(
            ids, ids.c.id == CaseEvent.case_id
        )
    ):
        f = cases[cid][2]
        if action in VISIT_ACTIONS:
            f.days_seen.add(clock.hall_day(at))
        if wid is not None and action != "evaluate":
            f.windows.add(wid)
    for cid, action, wid in s.execute(
        select(Case.id, TicketEvent.action, TicketEvent.window_id)
        .join(ids, ids.c.id == Case.id)
        .join(TicketEvent, TicketEvent.ticket_id == Case.ticket_id)
        .where(TicketEvent.action.in_(["call", "transfer"]))
    ):
        f = cases[cid][2]
        if action == "transfer":
            f.transfers += 1
        elif wid is not None:
            f.windows.add(wid)
    for cid, n in s.execute(
        select(CaseMaterial.case_id, func.count())
        .join(ids, ids.c.id == CaseMaterial.case_id)
        .where(CaseMaterial.status.in_(HANDED_IN))
        .group_by(CaseMaterial.case_id)
    ):
        cases[cid][2].materials = int(n)
    for cid, state in s.execute(
        select(CaseShare.case_id, CaseShare.state).join(ids, ids.c.id == CaseShare.case_id)
    ):
        f = cases[cid][2]
        f.shared += state == "fetched"
        f.fell_back |= state in ("no_record", "failed")
    return cases


def _mean(values: list[int]) -> float | None:
    return None if not values else round(sum(values) / len(values), 2)


def compute_reform(s: Session, first: date | None, last: date | None) -> ReformReport:
    if first is not None and last is not None:
        check_period(first, last)
    by_bundle: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, str] = {}
    shared: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for code, name, f in _case_facts(s, first, last).values():
        names[code] = name
        shared[code][0] += f.shared
        shared[code][1] += f.fell_back
        b = by_bundle[code]
        b["trips"].append(max(1, len(f.days_seen)))
        b["steps"].append(max(1, len(f.windows)) + f.transfers)
        b["materials"].append(f.materials)
        if f.workdays is not None:
            b["days"].append(f.workdays)
    order = {b.code: i for i, b in enumerate(catalog().bundles)}
    codes = set(by_bundle) | {b.code for b in catalog().bundles if b.figures is not None}
    result = []
    for code in sorted(codes, key=lambda c: (order.get(c, 999), c)):
        claimed, before = _claims(code)
        values = by_bundle.get(code, {})
        measured = {k: _mean(values.get(k, [])) for k in FIGURES}
        worse = [
            k
            for k in FIGURES
            if (c := claimed[k]) is not None and (m := measured[k]) is not None and m > c
        ]
        name = names.get(code) or _bundle_name(code)
        result.append(
            BundleReform(
                code,
                name,
                len(values.get("trips", [])),
                claimed,
                before,
                measured,
                {k: len(values.get(k, [])) for k in FIGURES},
                worse,
                *shared.get(code, [0, 0]),
            )
        )
    calls, saved = _sharing(s, first, last)
    return ReformReport(first, last, result, yardstick(), calls, saved)


def _sharing(s: Session, first: date | None, last: date | None) -> tuple[int, int]:
    calls = select(func.count()).select_from(ShareCall)
    saved = select(func.count()).select_from(CaseShare).where(CaseShare.state == "fetched")
    if first is not None and last is not None:
        start, end = day_bounds(first, last)
        calls = calls.where(ShareCall.at >= start, ShareCall.at < end)
        saved = saved.where(CaseShare.fetched_at >= start, CaseShare.fetched_at < end)
    return int(s.scalar(calls) or 0), int(s.scalar(saved) or 0)


def _bundle_name(code: str) -> str:
    for b in catalog().bundles:
        if b.code == code:
            return b.name
    return code


def reform(db: Database, first: date | None = None, last: date | None = None) -> ReformReport:
    """Per bundle: the claim beside the measured figures of the cases concluded in the period
    (all time without one), with the number of cases behind each and where reality is worse."""
    require(db.actor, Operation.STATS_REFORM)
    with db.read() as s:
        return compute_reform(s, first, last)


@dataclass(frozen=True)
class Reduction:
    """The hall's measured reduction of one figure against the published "before", over the
    bundles that publish one (weighted by their cases)."""

    figure: str
    claimed_pct: int | None  # the reform's published overall reduction
    measured_pct: float | None
    bundles: int
    cases: int
    # Time limits only: every case behind it concluded the day it was accepted. That is said
    # as 当日办结, never as "-100 %" (a percentage only against a period to compare with).
    same_day: bool = False


def measured_reductions(report: ReformReport) -> list[Reduction]:
    """Per figure: 1 − measured / before, case-weighted over bundles with a published before."""
    claimed = report.yardstick.get("reductions_pct", {})
    result = []
    for k in FIGURES:
        weight = total = 0.0
        bundles = 0
        periods = False  # a measured time limit above zero days
        for b in report.bundles:
            before, got, n = b.claimed_before[k], b.measured[k], b.cases_behind[k]
            if before and got is not None and n:
                total += n * (before - got) / before
                weight += n
                bundles += 1
                periods = periods or got > 0
        same_day = k == "days" and bool(weight) and not periods
        pct = None if not weight or same_day else round(100 * total / weight, 1)
        result.append(Reduction(k, claimed.get(k), pct, bundles, int(weight), same_day))
    return result
