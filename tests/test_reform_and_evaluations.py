"""The reform's figures measured from cases, the 好差评 statistics, the follow-up of negative
ratings with appeals, and alerts, for the hand-built hall of test_statistics plus four cases
(expected values worked out in the comments; SQLite and PostgreSQL).

  case  bundle      ticket  events (window)                                  materials handed in   outcome
  C1    newborn     T1      Fri 11-27 open, receive, accept (1); Mon 11-30   3 original, 1 copy     concluded
                            conclude (1)                                     (+2 verified, 1 obtained)
  C2    retirement  T6      Fri open, notice (2); Tue 12-01 receive, accept  5 original             concluded
                            (2); Fri 12-04 conclude (2)
  C3    newborn     -       Mon 11-30 open, receive, accept, conclude (1)    6 original             concluded
  C4    newborn     -       Mon 11-30 open, reject (1)                       -                      rejected
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import select

from desk_app.domain import clock
from desk_app.security.authz import Forbidden
from desk_app.services.common.errors import NotFound, Refused
from desk_app.services.evaluation import follow_up
from desk_app.services.evaluation import ratings as evaluations
from desk_app.services.evaluation import stats as evaluation_stats
from desk_app.services.hall import setup as hall
from desk_app.services.supervision import alerts, reform
from desk_app.store.case_models import Case, CaseEvent, CaseMaterial, Evaluation
from desk_app.store.identity_models import AuditEntry
from desk_app.store.models import Window
from tests.test_statistics import FRI, at, build_hall

MON, TUE, FRI2 = date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 4)


def build_cases(db) -> dict[str, uuid.UUID]:
    ids = build_hall(db)
    with db.read() as s:
        win = dict(s.execute(select(Window.number, Window.id)).all())
    cases: dict[str, uuid.UUID] = {}
    rows, events, materials = [], [], []

    def case(name, bundle, bname, ticket, state, opened, concluded=None):
        cid = cases[name] = uuid.uuid4()
        rows.append(
            Case(
                id=cid,
                case_no=f"YJS-TEST-{name}",
                bundle_code=bundle,
                bundle_name=bname,
                catalog_version="t",
                state=state,
                applicant_kind="person",
                applicant_name="x",
                applicant_id_no="x",
                answers="{}",
                ticket_id=ticket,
                opened_at=opened,
                concluded_at=concluded,
                window_id=None,
                staff_id=None,
            )
        )
        return cid

    def ev(cid, action, when, window):
        events.append(
            CaseEvent(
                case_id=cid,
                action=action,
                from_state=None,
                to_state="x",
                window_id=win[window],
                at=when,
            )
        )

    def mats(cid, **counts):
        n = 0
        for status, k in counts.items():
            for _ in range(k):
                n += 1
                materials.append(
                    CaseMaterial(
                        case_id=cid,
                        material_code=f"m{n}",
                        name=f"m{n}",
                        required=True,
                        key=False,
                        status=status,
                    )
                )

    c1 = case(
        "C1",
        "newborn",
        "新生儿出生一件事",
        ids["T1"],
        "concluded",
        at(FRI, "09:06"),
        at(MON, "15:00"),
    )
    for a, t in (("open", "09:06"), ("receive", "09:08"), ("accept", "09:10")):
        ev(c1, a, at(FRI, t), 1)
    ev(c1, "conclude", at(MON, "15:00"), 1)
    mats(c1, original=3, copy=1, verified=2, obtained=1)
    c2 = case(
        "C2",
        "retirement",
        "退休一件事",
        ids["T6"],
        "concluded",
        at(FRI, "10:40"),
        at(FRI2, "16:00"),
    )
    ev(c2, "open", at(FRI, "10:40"), 2), ev(c2, "notice", at(FRI, "10:50"), 2)
    ev(c2, "receive", at(TUE, "09:30"), 2), ev(c2, "accept", at(TUE, "09:40"), 2)
    ev(c2, "conclude", at(FRI2, "16:00"), 2)
    mats(c2, original=5)
    c3 = case(
        "C3", "newborn", "新生儿出生一件事", None, "concluded", at(MON, "09:00"), at(MON, "11:00")
    )
    for a, t in (
        ("open", "09:00"),
        ("receive", "09:05"),
        ("accept", "09:10"),
        ("conclude", "11:00"),
    ):
        ev(c3, a, at(MON, t), 1)
    mats(c3, original=6)
    c4 = case("C4", "newborn", "新生儿出生一件事", None, "rejected", at(MON, "10:00"))
    ev(c4, "open", at(MON, "10:00"), 1), ev(c4, "reject", at(MON, "10:05"), 1)
    with db.begin() as s:
        s.add_all(rows)
        s.flush()
        s.add_all(events + materials)
    return cases


def test_reform_figures_by_hand(db):
    build_cases(db)
    report = {b.code: b for b in reform.reform(db).bundles}
    newborn = report["newborn"]
    # C1 and C3 (C4 was rejected, not concluded): trips 1 and 1 -> 1.0; steps (one window, no
    # transfer) 1 and 1 -> 1.0; days Fri -> Mon = 1 working day, Mon -> Mon = 0 -> 0.5;
    # materials 3 + 1 = 4 (verified and obtained not counted) and 6 -> 5.0.
    assert newborn.cases == 2
    assert newborn.measured == {"trips": 1.0, "steps": 1.0, "days": 0.5, "materials": 5.0}
    # The catalog claims 10 -> 1 steps and 19 -> 4 materials: 5.0 materials is worse.
    assert newborn.claimed["steps"] == 1 and newborn.claimed["materials"] == 4
    assert newborn.claimed_before["materials"] == 19
    assert newborn.worse == ["materials"]
    assert newborn.cases_behind == {"trips": 2, "steps": 2, "days": 2, "materials": 2}
    retirement = report["retirement"]
    # C2: trips Fri (ticket, open, notice) and Tue (receive, accept) = 2; steps windows {1, 2}
    # (its ticket was called at 1, then 2) + 1 transfer = 3; days Fri 11-27 -> Fri 12-04 = 5;
    # materials 5. Claims: 12 -> 4 steps, 20 -> 10 days: nothing worse.
    assert retirement.cases == 1
    assert retirement.measured == {"trips": 2.0, "steps": 3.0, "days": 5.0, "materials": 5.0}
    assert retirement.claimed["days"] == 10 and retirement.worse == []
    # A period sees only the cases concluded in it: 11-30 holds C1 and C3.
    only_mon = {b.code: b for b in reform.reform(db, MON, MON).bundles}
    assert only_mon["newborn"].cases == 2 and only_mon["retirement"].cases == 0
    assert only_mon["retirement"].measured["steps"] is None
    assert reform.reform(db).yardstick["reductions_pct"]["trips"] == 90


def _rate(db, case_no, level, when, **kw):
    return evaluations.evaluate(db, case_no, level, now=when, **kw)


def test_evaluation_statistics_follow_up_and_appeal(db):
    build_cases(db)
    with db.begin() as s:  # the counter that concluded them
        for no, w in (("YJS-TEST-C1", 1), ("YJS-TEST-C2", 2), ("YJS-TEST-C3", 1)):
            case = s.scalar(select(Case).where(Case.case_no == no))
            case.window_id = s.scalar(select(Window.id).where(Window.number == w))
    _rate(db, "YJS-TEST-C1", 5, at(MON, "15:05"), dimensions={"overall": 5, "attitude": 4})
    _rate(db, "YJS-TEST-C2", 2, at(FRI2, "16:05"), comment="等太久")
    first, last = date(2026, 11, 1), date(2026, 12, 31)
    p = evaluation_stats.evaluations(db, first, last, now=at(FRI2, "17:00")).payload
    # 2 ratings over 3 concluded cases (C1, C2, C3) -> 0.6667; levels 5 and 2; mean 3.5;
    # satisfied (4-5) 1 of 2 = 50.0 %.
    assert (p["ratings"], p["concluded"], p["rating_rate"]) == (2, 3, 0.6667)
    assert p["levels"] == {"5": 1, "4": 0, "3": 0, "2": 1, "1": 0}
    assert (p["mean"], p["satisfied_pct"]) == (3.5, 50.0)
    assert {r["key"]: r["levels"]["2"] for r in p["by_window"]} == {1: 0, 2: 1}
    assert {r["key"]: r["ratings"] for r in p["by_bundle"]} == {"newborn": 1, "retirement": 1}
    assert p["by_dimension"]["attitude"] == {"5": 0, "4": 1, "3": 0, "2": 0, "1": 0}
    assert p["follow_ups"] == {"negative": 1, "open": 1, "done": 0, "overdue": 0}
    # The rating of 2 on Fri 12-04 is due 15 working days later: Dec 7-11, 14-18, 21-25 ->
    # Fri 12-25. On 12-28 it is overdue, and an alert says so.
    with db.read() as s:
        e = s.scalar(select(Evaluation).where(Evaluation.level == 2))
    assert e.follow_up_due == date(2026, 12, 25)
    late = at(date(2026, 12, 28), "09:00")
    rows = follow_up.follow_ups(db, overdue_only=True, now=late)
    assert [(r.case_no, r.state, r.due) for r in rows] == [
        ("YJS-TEST-C2", "overdue", e.follow_up_due)
    ]
    key = f"follow_up_overdue:{e.id}"
    assert key in [a.id for a in alerts.list_alerts(db, now=late)]
    acked = alerts.acknowledge(db, key, "已安排科长回访", now=late)
    assert acked.acked and acked.ack_note == "已安排科长回访"
    with db.read() as s:
        assert s.scalar(select(AuditEntry.target).where(AuditEntry.action == "alerts.ack")) == key
    with pytest.raises(Refused):
        alerts.acknowledge(db, key, "again", now=late)
    with pytest.raises(NotFound):
        alerts.acknowledge(db, "waiting:nothing:2026-12-28", "x", now=late)
    # Record the follow-up: no longer overdue, no longer an alert.
    done = follow_up.record(db, e.id, "explained", "电话联系, 已解释排队原因", now=late)
    assert (done.state, done.outcome) == ("done", "explained")
    assert follow_up.follow_ups(db, overdue_only=True, now=late) == []
    assert key not in [a.id for a in alerts.list_alerts(db, now=late)]
    with pytest.raises(Refused):
        follow_up.record(db, e.id, "fixed", "again", now=late)
    with pytest.raises(Refused):  # only negative ratings are followed up
        follow_up.record(db, e.id - 1 if e.id > 1 else e.id + 1, "fixed", "x", now=late)
    # Appeal and review: upheld sets the rating aside (not counted any more).
    with pytest.raises(Refused):
        follow_up.review(db, e.id, "upheld", "no appeal yet", now=late)
    assert follow_up.appeal(db, e.id, "申请人误评", now=late).appeal == "pending"
    assert follow_up.review(db, e.id, "upheld", "核实为误评", now=late).appeal == "upheld"
    p = evaluation_stats.evaluations(db, first, last, now=late).payload
    assert (p["ratings"], p["set_aside"], p["levels"]["2"]) == (1, 1, 0)
    assert p["appeals"] == {"pending": 0, "upheld": 1, "rejected": 0}


def test_a_counter_appeals_only_ratings_of_their_own_service(db):
    from desk_app.store.models import Staff

    build_cases(db)
    with db.begin() as s:
        case = s.scalar(select(Case).where(Case.case_no == "YJS-TEST-C2"))
        case.staff_id = s.scalar(select(Staff.id).where(Staff.code == "s02"))
    _rate(db, "YJS-TEST-C2", 1, at(FRI2, "16:05"))
    with db.read() as s:
        eid = s.scalar(select(Evaluation.id))
    s01 = db.acting_as(_counter(db, "s01"))
    s02 = db.acting_as(_counter(db, "s02"))
    with pytest.raises(Forbidden):
        follow_up.appeal(s01, eid, "不是我办的", now=at(FRI2, "17:00"))
    assert follow_up.appeal(s02, eid, "申请人误评", now=at(FRI2, "17:00")).appeal == "pending"


def _counter(db, code):
    from desk_app.security.roles import Actor, Role
    from desk_app.store.models import Staff

    with db.read() as s:
        sid = s.scalar(select(Staff.id).where(Staff.code == code))
    return Actor(staff_id=sid, code=code, role=Role.COUNTER)


def test_live_alerts_against_the_thresholds(db):
    from desk_app.services.queue import operations as queue

    build_hall(db)
    hall.set_setting(db, "alert_waiting", "2")
    hall.set_setting(db, "alert_wait_minutes", "10")
    hall.set_setting(db, "alert_pause_minutes", "15")
    now = datetime(2026, 12, 1, 9, 0, tzinfo=clock.HALL_TZ)
    for _ in range(2):
        queue.issue_ticket(db, "newborn", now=now)
    hall.open_window(db, 1, "s01", now=now)
    hall.pause_window(db, 1, now=now)
    soon = datetime(2026, 12, 1, 9, 16, tzinfo=clock.HALL_TZ)
    found = {a.kind: a for a in alerts.list_alerts(db, now=soon)}
    # 2 waiting >= 2; waiting since 09:00 on 12-01, far over 10 minutes; paused 16 > 15 min.
    assert found["waiting"].value == 2
    assert found["long_wait"].id.startswith("long_wait:newborn:")
    # Alerts name the service, in English too (never its code).
    assert found["long_wait"].message_en.startswith("Newborn birth: longest wait")
    assert found["paused"].subject == "1"
    hall.set_setting(db, "alert_waiting", "3")
    assert "waiting" not in {a.kind for a in alerts.list_alerts(db, now=soon)}
    with pytest.raises(Refused):
        hall.set_setting(db, "alert_waiting", "0")


def _bundle(code: str, days: float, cases: int) -> reform.BundleReform:
    figures = {"trips": 1.0, "steps": 1.0, "days": days, "materials": 4.0}
    before = {"trips": 5, "steps": 10, "days": 20, "materials": 19}
    return reform.BundleReform(
        code, code, cases, {"trips": 1, "steps": 1, "days": 5, "materials": 4}, before,
        figures, dict.fromkeys(figures, cases), [],
    )  # fmt: skip


def test_same_day_cases_are_said_as_such_not_as_minus_100_percent():
    """Cases concluded the day they were accepted measure 0 working days: the reduction of the
    time limit is 当日办结, not "-100 %"; a period above zero keeps its percentage."""
    yard = {"reductions_pct": {"trips": 90, "steps": 70, "days": 50, "materials": 60}}
    same = reform.ReformReport(MON, MON, [_bundle("a", 0.0, 3), _bundle("b", 0.0, 1)], yard)
    days = {r.figure: r for r in reform.measured_reductions(same)}["days"]
    assert days.same_day and days.measured_pct is None and days.cases == 4
    mixed = reform.ReformReport(MON, MON, [_bundle("a", 0.0, 3), _bundle("b", 10.0, 1)], yard)
    days = {r.figure: r for r in reform.measured_reductions(mixed)}["days"]
    # (3 x (20-0)/20 + 1 x (20-10)/20) / 4 = 87.5 %
    assert not days.same_day and days.measured_pct == 87.5
    materials = {r.figure: r for r in reform.measured_reductions(same)}["materials"]
    assert not materials.same_day and materials.measured_pct == round(100 * 15 / 19, 1)
