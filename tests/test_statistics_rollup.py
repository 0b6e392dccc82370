"""The rollup gives the figures the tickets give: on random halls, every figure of every grouping
(and the hourly flow) from ``stats summary`` (rollup years, quarters, months and days, today from the tickets)
equals the direct computation from the tickets (the reference below, the computation the
summary made before the rollup), on SQLite and PostgreSQL; and stays equal after a late change
to a rolled-up day and after a change of the opening calendar."""

from __future__ import annotations

import random
import threading
import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select, update

from desk_app.domain import clock
from desk_app.domain.statistics import DIMENSIONS, Figures, group, hourly_flow
from desk_app.services.hall import calendar
from desk_app.services.hall import setup as hall
from desk_app.services.supervision import rollup, rollup_read, statistics
from desk_app.store.models import Service, Staff, Ticket, TicketEvent, Window, WindowEvent
from desk_app.store.models import WindowSession as WS
from desk_app.store.stats_models import StatsDirty, StatsSpan
from tests.tools import add_staff

FIRST, TODAY = date(2026, 9, 25), date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 15, 0, tzinfo=clock.HALL_TZ)
PERIODS = [
    (FIRST - timedelta(days=5), TODAY),  # everything: Sep days, October whole, Nov days, today
    (date(2026, 10, 1), date(2026, 10, 31)),  # one month row
    (date(2026, 10, 15), date(2026, 11, 10)),  # days of two months
    (date(2026, 10, 31), date(2026, 10, 31)),
    (date(2026, 11, 1), TODAY),  # today from the tickets
]


def local(day: date, minutes: float) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=clock.HALL_TZ) + timedelta(minutes=minutes)


def random_hall(db, seed: int, per_day: int = 30) -> None:
    """Tickets of every outcome (appointments, recalls at another window, no-shows, waits of
    hours, a finish after midnight) and window sittings with pauses, over FIRST..TODAY: up to
    ``per_day`` tickets a day."""
    rng = random.Random(seed)
    for code, prefix in (("newborn", "A"), ("retire", "B"), ("estate", "C")):
        hall.add_service(db, code, code, prefix)
    for w in (1, 2, 3, 4):
        hall.add_window(db, w, ["newborn", "retire", "estate"])
    for code in ("s01", "s02", "s03", "s04"):
        add_staff(db, code, code)
    with db.read() as s:
        services = list(s.scalars(select(Service.id)))
        windows = dict(s.execute(select(Window.number, Window.id)).all())
        staff = list(s.scalars(select(Staff.id)))
    tickets: list[dict] = []
    events: list[dict] = []
    sittings: list[dict] = []
    pauses: list[dict] = []
    day = FIRST
    while day <= TODAY:
        for w in (1, 2, 3, 4):  # window 4: open, never calls
            if rng.random() < 0.8:
                opened = local(day, rng.uniform(7 * 60, 9 * 60))
                closed = local(day, rng.uniform(16 * 60, 20 * 60))
                if day == TODAY and rng.random() < 0.7:
                    closed = None  # still open: counted until now
                sittings.append(
                    {
                        "window_id": windows[w],
                        "staff_id": staff[w - 1] if closed is None else rng.choice(staff),
                        "opened_at": opened,
                        "closed_at": closed,
                        "cycle_pos": 0,
                    }
                )
                if rng.random() < 0.5:
                    p = opened + timedelta(minutes=rng.uniform(10, 200))
                    pauses.append({"window_id": windows[w], "action": "pause", "at": p})
                    if rng.random() < 0.8:
                        r = p + timedelta(seconds=rng.uniform(1, 3000))
                        pauses.append({"window_id": windows[w], "action": "resume", "at": r})
        for seq in range(1, rng.randint(0, per_day) + 1):
            tickets.append(random_ticket(rng, day, seq, services, windows, staff, events))
        day += timedelta(days=1)
    with db.begin() as s:
        s.execute(insert(Ticket), tickets)
        s.execute(insert(TicketEvent), events)
        s.execute(insert(WS), sittings)
        s.execute(insert(WindowEvent), pauses)


def random_ticket(rng, day, seq, services, windows, staff, events) -> dict[str, Any]:
    tid = uuid.uuid4()
    issued = local(day, rng.uniform(7.5 * 60, 18.5 * 60) if day < TODAY else rng.uniform(480, 880))
    appointment = rng.random() < 0.2
    slot = issued + timedelta(minutes=rng.uniform(-30, 40)) if appointment else None
    arrival = max(issued, slot) if slot else issued
    row = {
        "id": tid,
        "service_id": rng.choice(services),
        "issued_service_id": services[0],
        "day": day,
        "seq": seq,
        "number": f"A{seq:03d}",
        "priority": rng.choice([None, None, "elderly", "appointment"]),
        "is_priority": False,
        "state": "waiting" if day == TODAY else "expired",
        "issued_at": issued,
        "arrival_at": issued,
        "recall_count": 0,
        "appointment_id": uuid.uuid4() if appointment else None,
        "slot_at": slot,
    }
    row["is_priority"] = row["priority"] is not None

    def event(action, at, window=None, who=None):
        events.append(
            {"ticket_id": tid, "action": action, "from_state": None, "to_state": "x",
             "window_id": window, "staff_id": who, "at": at}
        )  # fmt: skip

    events.append({"ticket_id": tid, "action": "issue", "from_state": None, "to_state": "waiting",
                   "window_id": None, "staff_id": None, "at": issued})  # fmt: skip
    if rng.random() < 0.15 or (day == TODAY and rng.random() < 0.5):
        return row  # never called
    wait = rng.choice([0, rng.randint(1, 59), rng.randint(60, 1500), rng.randint(1200, 1260),
                       rng.randint(1500, 4000), rng.randint(3 * 3600, 7 * 3600)])  # fmt: skip
    called = arrival + timedelta(seconds=wait, microseconds=rng.randint(0, 999_999))
    window = rng.choice([1, 2, 3])
    event("call", called, windows[window], rng.choice(staff))
    if rng.random() < 0.2:  # called again at another window, by someone else
        window = rng.choice([1, 2, 3])
        called2 = called + timedelta(seconds=rng.randint(30, 900))
        event("call", called2, windows[window], rng.choice(staff + [None]))
        called = called2
    row.update(first_called_at=arrival + timedelta(seconds=wait), last_called_at=called)
    row["window_id"] = windows[window]
    fate = rng.random()
    if fate < 0.15:
        row["state"] = "no_show"
        event("no_show", called + timedelta(minutes=2), windows[window])
    elif fate < 0.9 or day == TODAY:
        start = called + timedelta(seconds=rng.randint(0, 120))
        service = rng.choice(
            [0, rng.randint(1, 300), rng.randint(300, 2400), rng.randint(3600, 9000)]
        )
        done = start + timedelta(seconds=service, microseconds=rng.randint(0, 999_999))
        if day == TODAY and done > NOW:
            row.update(state="serving", started_at=start)
            event("start", start, windows[window])
            return row
        row.update(state="completed", started_at=start, completed_at=done)
        event("start", start, windows[window])
        event("complete", done, windows[window])
    return row


def reference(s, first: date, last: date, by: str) -> dict[str, Any]:
    """The summary computed from the tickets and sittings directly (per day for window time)."""
    target = statistics.sla_target_s(s)
    facts = statistics.ticket_facts(
        s, first, last, with_staff=by == "staff", with_session=by == "session"
    )
    groups = group(facts, by, sla_target_s=target)
    total = Figures.merged("all", groups).to_json() if groups else None
    if by in ("window", "staff"):
        cols = statistics.SESSION_COLUMNS
        totals: dict[Any, dict[str, int]] = defaultdict(lambda: dict.fromkeys(cols, 0))
        day = first
        while day <= last:
            for f in statistics.session_facts(s, day, day, now=NOW):
                t = totals[f.window if by == "window" else f.staff]
                for c in cols:
                    t[c] += getattr(f, c)
            day += timedelta(days=1)
        keys = {g.key for g in groups}
        for g in groups:
            g.extra.update(totals.get(g.key, dict.fromkeys(cols, 0)))
        for k in sorted(set(totals) - keys, key=str):
            groups.append(Figures(k, extra=dict(totals[k])))
    rows = [g.to_json() for g in groups]
    if by in statistics.NAMED:
        names = statistics._names(s, by)  # noqa: SLF001 - the reference reuses the names' query
        for r in rows:
            r["name"] = names.get(r["key"])
    return {"rows": rows, "total": total}


def check_all(db, periods=PERIODS) -> None:
    for first, last in periods:
        for by in DIMENSIONS:
            got = statistics.summary(db, first, last, by=by, now=NOW).to_json()
            with db.read() as s:
                want = reference(s, first, last, by)
            assert got["rows"] == want["rows"], (first, last, by)
            if want["total"] is not None:
                assert got["total"] == want["total"], (first, last, by)
            else:
                assert got["total"]["arrivals"] == 0
        with db.read() as s:
            want_flow = hourly_flow(statistics.ticket_facts(s, first, last, with_staff=False))
        assert statistics.hourly(db, first, last, now=NOW) == want_flow, (first, last)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_rollup_gives_every_figure_of_the_tickets(db, seed):
    random_hall(db, seed)
    days, rows = rollup.catch_up(db, now=NOW)
    assert days == (TODAY - FIRST).days and rows > 0  # every day but today
    assert rollup.catch_up(db, now=NOW) == (0, 0)  # idempotent
    with db.read() as s:
        months = s.scalars(select(StatsSpan.day).where(StatsSpan.level == "m")).all()
    assert months == [date(2026, 10, 1)]  # September starts on the 25th: days only
    check_all(db)


def late_change(db, day: date) -> None:
    """One ticket of ``day`` never called is found and finished late (as a correction would)."""
    with db.read() as s:
        tid, issued = s.execute(
            select(Ticket.id, Ticket.issued_at).where(
                Ticket.day == day, Ticket.first_called_at.is_(None)
            )
        ).first()
        win = s.scalar(select(Window.id).where(Window.number == 2))
        who = s.scalar(select(Staff.id))
    called, done = issued + timedelta(seconds=4321), issued + timedelta(seconds=9999)
    with db.begin() as s:
        s.execute(
            update(Ticket)
            .where(Ticket.id == tid)
            .values(state="completed", first_called_at=called, started_at=called,
                    completed_at=done, window_id=win)
        )  # fmt: skip
        for action, at in (("call", called), ("start", called), ("complete", done)):
            s.execute(
                insert(TicketEvent).values(ticket_id=tid, action=action, to_state="x",
                                           window_id=win, staff_id=who, at=at)
            )  # fmt: skip


def test_a_late_change_to_a_rolled_day_is_rolled_again(db):
    random_hall(db, 3)
    rollup.catch_up(db, now=NOW)
    late_change(db, date(2026, 10, 12))
    assert rollup.catch_up(db, now=NOW)[0] == 1  # that day only
    check_all(db, PERIODS[:3])


def test_a_change_committed_while_its_day_is_first_counted_is_not_missed(db, monkeypatch):
    """The day is counted in one transaction; a correction commits meanwhile, before the day's
    rows do. It must leave the day dirty (counted from the tickets until rolled again)."""
    if not db.is_postgres:
        pytest.skip("SQLite has one writer at a time: nothing commits while a day is counted")
    random_hall(db, 5)
    old = date(2026, 10, 12)
    counted = rollup.tally
    changes: list[threading.Thread] = []

    def tally_then_a_change(s, first, last, *, now):
        out = counted(s, first, last, now=now)
        if first <= old <= last and not changes:
            changes.append(threading.Thread(target=late_change, args=(db, old)))
            changes[0].start()
            # Committed before the day's rows are, unless the claim makes it wait for them.
            changes[0].join(timeout=2)
        return out

    monkeypatch.setattr(rollup, "tally", tally_then_a_change)
    rollup.catch_up(db, now=NOW)
    changes[0].join(timeout=30)
    assert not changes[0].is_alive()
    monkeypatch.setattr(rollup, "tally", counted)
    with db.read() as s:
        assert set(s.scalars(select(StatsDirty.day))) == {old}  # to be rolled again
    check_all(db, PERIODS[:3])  # the correction is in every figure (rolled again on the way)


def test_a_new_opening_calendar_regroups_by_session(db):
    random_hall(db, 4)
    period = (FIRST, TODAY)
    before = statistics.summary(db, *period, by="session", now=NOW).rows
    calendar.add_session(db, "evening", "mon-fri", "17:00", "19:00", now=NOW)
    after = statistics.summary(db, *period, by="session", now=NOW).rows
    assert {r["key"] for r in after} != {r["key"] for r in before}
    check_all(db, [period])


def test_quarters_and_years_roll_up_and_give_the_figures_of_their_tickets(db, monkeypatch):
    """A hall open since December 2024: 2025 gets a year row, its quarters and 2026's whole ones
    quarter rows; a summary takes the largest rolled span that fits, and a late change in May
    2025 rolls its day, month, quarter and year again."""
    monkeypatch.setitem(globals(), "FIRST", date(2024, 12, 20))
    random_hall(db, 6, per_day=5)
    rollup.catch_up(db, now=NOW)

    def spans(level):
        with db.read() as s:
            return s.scalars(
                select(StatsSpan.day).where(StatsSpan.level == level).order_by(StatsSpan.day)
            ).all()

    quarters = [date(2025, m, 1) for m in (1, 4, 7, 10)] + [date(2026, m, 1) for m in (1, 4, 7)]
    assert spans("y") == [date(2025, 1, 1)] and spans("q") == quarters
    with db.read() as s:  # a year is one row per key; Q2-Q4 2025, Jan and Feb 2026, 2 days
        assert len(rollup_read.period_rows(s, date(2025, 1, 1), date(2025, 12, 31), ("all",),
                                           now=NOW)) == 1  # fmt: skip
        assert len(rollup_read.period_rows(s, date(2025, 4, 1), date(2026, 3, 2), ("all",),
                                           now=NOW)) == 3 + 2 + 2  # fmt: skip
    year = (date(2025, 1, 1), date(2025, 12, 31))
    check_all(db, [year, (date(2025, 2, 15), date(2026, 2, 28))])  # days, March, Q2-Q4, 2 months
    with db.read() as s:  # a May day with a ticket never called
        may = s.scalar(
            select(Ticket.day)
            .where(Ticket.day >= date(2025, 5, 1), Ticket.first_called_at.is_(None))
            .order_by(Ticket.day)
        )
    assert may.month == 5
    late_change(db, may)
    assert rollup.catch_up(db, now=NOW)[0] == 1  # that day, then its month, quarter and year
    assert spans("y") == [date(2025, 1, 1)] and spans("q") == quarters
    check_all(db, [year])
