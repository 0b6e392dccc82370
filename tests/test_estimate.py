"""People ahead and the estimated wait on a new ticket."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from desk_app.domain.estimate import MIN_SAMPLES, estimate_wait_minutes, typical_service_seconds
from desk_app.services.hall import setup as hall
from desk_app.services.queue import operations as queue

T0 = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)


def test_formula():
    assert estimate_wait_minutes(0, 600, 1) == 0
    assert estimate_wait_minutes(3, 600, 1) == 30
    assert estimate_wait_minutes(3, 600, 2) == 15
    assert estimate_wait_minutes(1, 61, 1) == 2  # rounded up: "about 2 minutes", never 1
    assert estimate_wait_minutes(4, 600, 0) == 40  # no window open yet: as if one opens


def test_typical_service_time_uses_median_once_enough_samples():
    assert typical_service_seconds([60] * (MIN_SAMPLES - 1), 900) == 900
    assert typical_service_seconds([60, 60, 60, 60, 7200], 900) == 60  # one long case ignored


def test_ahead_and_eta_from_open_windows_and_recent_service_times(small_hall):
    db = small_hall  # retirement: windows 1 and 2 open; default service time 600 s
    now = T0
    tickets = [
        queue.issue_ticket(db, "retirement", now=now + timedelta(minutes=i)) for i in range(3)
    ]
    assert [t.ahead for t in tickets] == [0, 1, 2]
    assert [t.eta_minutes for t in tickets] == [0, 5, 10]  # 600 s / 2 windows per person
    prio = queue.issue_ticket(db, "retirement", "elderly", now=now + timedelta(minutes=4))
    assert prio.ahead == 0  # nobody of the priority class is ahead
    hall.pause_window(db, 1, now=now + timedelta(minutes=5))
    t = queue.issue_ticket(db, "retirement", now=now + timedelta(minutes=6))
    assert (t.ahead, t.eta_minutes) == (4, 40)  # one window left
    # Serve five tickets in 2 minutes each at window 2: the median replaces the default.
    clock = now + timedelta(minutes=10)
    for _ in range(5):
        queue.call_next(db, 2, now=clock)
        queue.start(db, 2, now=clock)
        clock += timedelta(minutes=2)
        queue.complete(db, 2, now=clock)
    queue.issue_ticket(db, "retirement", now=clock)
    t = queue.issue_ticket(db, "retirement", now=clock + timedelta(seconds=1))
    assert (t.ahead, t.eta_minutes) == (1, 2)  # one waiting, 120 s each, 1 window open
