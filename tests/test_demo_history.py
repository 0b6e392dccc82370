"""The demo hall's history gives every supervisor view data, the same for the same seed."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from desk_app.domain import clock
from desk_app.services.demo import seed as demo
from desk_app.services.evaluation import stats as evaluation_stats
from desk_app.services.supervision import reform, statistics
from desk_app.store.case_models import Case, Evaluation
from desk_app.store.models import WindowSession

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=clock.HALL_TZ)


def _fingerprint(db):
    with db.read() as s:
        states = dict(s.execute(select(Case.state, func.count()).group_by(Case.state)).all())
        levels = dict(
            s.execute(select(Evaluation.level, func.count()).group_by(Evaluation.level)).all()
        )
        return states, levels, s.scalar(select(func.count()).select_from(WindowSession))


def test_demo_history_has_cases_ratings_and_sittings(db, tmp_path):
    demo.seed_demo(db, days=12, windows=4, seed=3, now=NOW)
    states, levels, sittings = _fingerprint(db)
    # Most cases concluded, and some of every other outcome.
    assert states["concluded"] > sum(v for k, v in states.items() if k != "concluded")
    for state in ("deferred", "notice", "rejected"):
        assert states.get(state, 0) > 0, state
    assert sum(levels.values()) > 0 and levels.get(5, 0) > levels.get(1, 0)
    assert sittings > 0
    first, last = clock.hall_day(NOW) - timedelta(days=12), clock.hall_day(NOW)
    by_window = statistics.summary(db, first, last, by="window", now=NOW)
    assert all(r["idle_s"] > 0 for r in by_window.rows if r["key"] is not None)
    bundles = {b.code: b for b in reform.reform(db).bundles}
    assert bundles["newborn"].cases > 0 and bundles["newborn"].measured["materials"]
    p = evaluation_stats.evaluations(db, first, last, now=NOW).payload
    assert p["ratings"] > 0 and p["rating_rate"] < 1


def test_demo_history_is_deterministic_for_a_seed(tmp_path):
    from desk_app.store import Database
    from desk_app.store.schema import upgrade
    from tests.conftest import TEST_ADMIN

    prints = []
    for n in (1, 2):
        base = Database(f"sqlite:///{tmp_path / f'h{n}.db'}")
        upgrade(base)
        db = base.acting_as(TEST_ADMIN)
        demo.seed_demo(db, days=6, windows=3, seed=9, now=NOW)
        prints.append(_fingerprint(db))
        base.dispose()
    assert prints[0] == prints[1]
