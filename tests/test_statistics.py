"""Every figure of docs/statistics.md for a small hall built by hand, with the expected values
worked out by hand in the comments (on SQLite and PostgreSQL).

The hall (Asia/Shanghai local times; 2026-11-27 is a Friday, 11-28 a Saturday):

  ticket  service     priority     issued          first call (window, staff)  start  end          outcome
  T1 A001 newborn     -            Fri 09:00       09:05 (1, s01)  wait  300   09:06  09:16 done   service  600
  T2 A002 newborn     appointment  Fri 09:10       09:20 (1, s01)  wait  600   09:21  09:41 done   service 1200
  T3 B001 retirement  -            Fri 12:30       13:00 (2, s02)  wait 1800   -      13:02 no-show
  T4 B002 retirement  elderly      Fri 17:40       17:45 (2, s02)  wait  300   17:46  18:16 done   service 1800
  T5 A003 newborn     -            Sat 10:00       never called                               expired
  T6 B003 retirement  -            Fri 10:00       10:25 (1, s01)  wait 1500   10:26, transferred to window 2 at
                                                   10:30; called 10:35 (2, s02), start 10:36, done 10:56: service 1200

Window sittings: window 1, s01, Fri 09:00-12:00, paused 11:00-11:30; window 2, s02, Fri
10:30-18:30.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest

from desk_app.domain import clock
from desk_app.domain.statistics import channel_of, nearest_rank, session_kind_of
from desk_app.services.hall import setup as hall
from desk_app.services.supervision import statistics
from desk_app.store.models import Service, Staff, Ticket, TicketEvent, Window, WindowEvent
from desk_app.store.models import WindowSession as WS
from tests.tools import add_staff

FRI, SAT = date(2026, 11, 27), date(2026, 11, 28)
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=clock.HALL_TZ)


def at(day: date, hhmm: str) -> datetime:
    h, m = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, h, m, tzinfo=clock.HALL_TZ)


def build_hall(db) -> dict[str, uuid.UUID]:
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall.add_service(db, "retirement", "退休一件事", "B")
    hall.add_window(db, 1, ["newborn", "retirement"])
    hall.add_window(db, 2, ["retirement"])
    add_staff(db, "s01", "王芳")
    add_staff(db, "s02", "李强")
    with db.read() as s:
        svc = {
            c: i
            for i, c in s.execute(
                Service.__table__.select().with_only_columns(Service.id, Service.code)
            )
        }
        win = dict(
            s.execute(Window.__table__.select().with_only_columns(Window.number, Window.id)).all()
        )
        staff = dict(
            s.execute(Staff.__table__.select().with_only_columns(Staff.code, Staff.id)).all()
        )
    ids: dict[str, uuid.UUID] = {}
    tickets, events = [], []

    def ticket(
        name,
        service,
        seq,
        prefix,
        prio,
        day,
        issued,
        state,
        called=None,
        window=None,
        started=None,
        done=None,
    ):
        tid = ids[name] = uuid.uuid4()
        tickets.append(
            Ticket(
                id=tid,
                service_id=svc[service],
                issued_service_id=svc[service],
                day=day,
                seq=seq,
                number=f"{prefix}{seq:03d}",
                priority=prio,
                is_priority=prio is not None,
                state=state,
                issued_at=at(day, issued),
                arrival_at=at(day, issued),
                first_called_at=called and at(day, called),
                last_called_at=called and at(day, called),
                started_at=started and at(day, started),
                completed_at=done and at(day, done),
                window_id=window and win[window],
                recall_count=0,
            )
        )
        return tid

    def event(tid, action, when, window=None, who=None, day=FRI):
        events.append(
            TicketEvent(
                ticket_id=tid,
                action=action,
                from_state=None,
                to_state="x",
                window_id=window and win[window],
                staff_id=who and staff[who],
                at=at(day, when),
            )
        )

    t1 = ticket(
        "T1", "newborn", 1, "A", None, FRI, "09:00", "completed", "09:05", 1, "09:06", "09:16"
    )
    event(t1, "call", "09:05", 1, "s01"), event(t1, "start", "09:06", 1, "s01")
    event(t1, "complete", "09:16", 1, "s01")
    t2 = ticket(
        "T2",
        "newborn",
        2,
        "A",
        "appointment",
        FRI,
        "09:10",
        "completed",
        "09:20",
        1,
        "09:21",
        "09:41",
    )
    event(t2, "call", "09:20", 1, "s01"), event(t2, "start", "09:21", 1, "s01")
    event(t2, "complete", "09:41", 1, "s01")
    t3 = ticket("T3", "retirement", 1, "B", None, FRI, "12:30", "no_show", "13:00", 2)
    event(t3, "call", "13:00", 2, "s02"), event(t3, "no_show", "13:02", 2, "s02")
    t4 = ticket(
        "T4",
        "retirement",
        2,
        "B",
        "elderly",
        FRI,
        "17:40",
        "completed",
        "17:45",
        2,
        "17:46",
        "18:16",
    )
    event(t4, "call", "17:45", 2, "s02"), event(t4, "start", "17:46", 2, "s02")
    event(t4, "complete", "18:16", 2, "s02")
    ticket("T5", "newborn", 1, "A", None, SAT, "10:00", "expired")
    t6 = ticket(
        "T6", "retirement", 3, "B", None, FRI, "10:00", "completed", "10:25", 2, "10:36", "10:56"
    )
    event(t6, "call", "10:25", 1, "s01"), event(t6, "start", "10:26", 1, "s01")
    event(t6, "transfer", "10:30", 1, "s01"), event(t6, "call", "10:35", 2, "s02")
    event(t6, "start", "10:36", 2, "s02"), event(t6, "complete", "10:56", 2, "s02")
    with db.begin() as s:
        s.add_all(tickets)
        s.flush()
        s.add_all(events)
        s.add(
            WS(
                window_id=win[1],
                staff_id=staff["s01"],
                opened_at=at(FRI, "09:00"),
                closed_at=at(FRI, "12:00"),
            )
        )
        s.add(
            WS(
                window_id=win[2],
                staff_id=staff["s02"],
                opened_at=at(FRI, "10:30"),
                closed_at=at(FRI, "18:30"),
            )
        )
        s.add(
            WindowEvent(
                window_id=win[1], staff_id=staff["s01"], action="pause", at=at(FRI, "11:00")
            )
        )
        s.add(
            WindowEvent(
                window_id=win[1], staff_id=staff["s01"], action="resume", at=at(FRI, "11:30")
            )
        )
    return ids


def rows_by_key(summary):
    return {r["key"]: r for r in summary.rows}


def figures(row, *keys):
    return tuple(row[k] for k in keys)


F = ("arrivals", "called", "served", "no_shows", "no_show_rate")
W = ("wait_p50_s", "wait_p90_s", "wait_p95_s", "service_p50_s", "service_p90_s", "sla_pct")


def test_nearest_rank_by_hand():
    # [60, 120, 300, 900]: p50 = rank ceil(2) = 2 -> 120; p90 = rank ceil(3.6) = 4 -> 900;
    # p25 = rank 1 -> 60; one value is every percentile; none is None.
    assert nearest_rank([60, 120, 300, 900], 50) == 120
    assert nearest_rank([60, 120, 300, 900], 90) == 900
    assert nearest_rank([60, 120, 300, 900], 25) == 60
    assert nearest_rank([42], 95) == 42
    assert nearest_rank([], 50) is None


def test_session_kind_and_channel_by_hand():
    assert session_kind_of(at(SAT, "12:30")) == "saturday"  # Saturday wins over midday
    assert session_kind_of(at(FRI, "11:59")) == "regular"
    assert session_kind_of(at(FRI, "12:00")) == "midday"
    assert session_kind_of(at(FRI, "13:59")) == "midday"
    assert session_kind_of(at(FRI, "14:00")) == "regular"
    assert session_kind_of(at(FRI, "17:29")) == "regular"
    assert session_kind_of(at(FRI, "17:30")) == "evening"

    class T:
        priority = "appointment"

    assert channel_of(T()) == "appointment"
    T.priority = "elderly"
    assert channel_of(T()) == "walk-in"


def test_totals_by_hand(db):
    build_hall(db)
    summary = statistics.summary(db, FRI, SAT, by="service", now=NOW)
    total = summary.total
    # 6 issued; T5 never called -> 5 called; T1 T2 T4 T6 completed -> 4 served; T3 no-show;
    # rate 1/5 = 0.2.
    assert figures(total, *F) == (6, 5, 4, 1, 0.2)
    # waits sorted [300, 300, 600, 1500, 1800]: p50 rank ceil(2.5)=3 -> 600, p90 rank
    # ceil(4.5)=5 -> 1800, p95 rank ceil(4.75)=5 -> 1800. Service sorted [600, 1200, 1200,
    # 1800] (T6 from its second start): p50 rank 2 -> 1200, p90 rank ceil(3.6)=4 -> 1800.
    # SLA (20 min = 1200 s): 300, 300, 600 within -> 3/5 = 60.0 %.
    assert figures(total, *W) == (600, 1800, 1800, 1200, 1800, 60.0)
    assert summary.sla_target_s == 1200


def test_by_service_by_hand(db):
    build_hall(db)
    rows = rows_by_key(statistics.summary(db, FRI, SAT, by="service", now=NOW))
    # newborn T1 T2 T5: waits [300, 600] -> p50 rank 1 = 300, p90 rank ceil(1.8)=2 = 600;
    # service [600, 1200] -> p50 600, p90 1200; SLA 2/2.
    assert figures(rows["newborn"], *F) == (3, 2, 2, 0, 0.0)
    assert figures(rows["newborn"], *W) == (300, 600, 600, 600, 1200, 100.0)
    # retirement T3 T4 T6: waits [300, 1500, 1800] -> p50 rank 2 = 1500, p90 rank 3 = 1800;
    # service [1200, 1800] -> p50 1200, p90 1800; no-shows 1/3 = 0.3333; SLA 1/3 = 33.3.
    assert figures(rows["retirement"], *F) == (3, 3, 2, 1, 0.3333)
    assert figures(rows["retirement"], *W) == (1500, 1800, 1800, 1200, 1800, 33.3)


def test_by_window_and_staff_by_hand(db):
    build_hall(db)
    for by, one, two in (("window", 1, 2), ("staff", "s01", "s02")):
        rows = rows_by_key(statistics.summary(db, FRI, SAT, by=by, now=NOW))
        # The last call decides: T6 belongs to window 2 / s02. T5, never called: key None.
        assert figures(rows[one], *F) == (2, 2, 2, 0, 0.0)
        assert figures(rows[two], *F) == (3, 3, 2, 1, 0.3333)
        assert figures(rows[None], *F) == (1, 0, 0, 0, None)
        assert rows[None]["wait_p50_s"] is None
        # Window 1: sitting 09:00-12:00 = 10800 s; serving T1 600 + T2 1200 + T6 10:26-10:30
        # 240 = 2040; idle 10800 - 2040 = 8760; paused 11:00-11:30 = 1800.
        assert figures(rows[one], "session_s", "serving_s", "idle_s", "paused_s") == (
            10800,
            2040,
            8760,
            1800,
        )
        # Window 2: 10:30-18:30 = 28800; serving T6 10:36-10:56 1200 + T4 1800 = 3000 (T3 never
        # started); idle 25800; no pause.
        assert figures(rows[two], "session_s", "serving_s", "idle_s", "paused_s") == (
            28800,
            3000,
            25800,
            0,
        )


def test_time_groupings_by_hand(db):
    build_hall(db)
    hours = rows_by_key(statistics.summary(db, FRI, SAT, by="hour", now=NOW))
    # 9: T1 T2; 10: T6 (Fri) and T5 (Sat); 12: T3; 17: T4.
    assert {k: r["arrivals"] for k, r in hours.items()} == {9: 2, 10: 2, 12: 1, 17: 1}
    assert figures(hours[10], "called", "served", "wait_p50_s") == (1, 1, 1500)
    days = rows_by_key(statistics.summary(db, FRI, SAT, by="weekday", now=NOW))
    assert {k: r["arrivals"] for k, r in days.items()} == {5: 5, 6: 1}  # Friday 5, Saturday 1
    # The session kinds are the hall's opening calendar's (set after the tickets were issued).
    from desk_app.services.hall import calendar

    calendar.add_session(db, "regular", "mon-fri", "09:00", "12:00")
    calendar.add_session(db, "midday", "mon-fri", "12:00", "14:00")
    calendar.add_session(db, "regular", "mon-fri", "14:00", "17:30")
    calendar.add_session(db, "evening", "mon-fri", "17:30", "20:00")
    calendar.add_session(db, "saturday", "sat", "09:00", "12:00")
    sessions = rows_by_key(statistics.summary(db, FRI, SAT, by="session", now=NOW))
    # regular T1 T2 T6; midday T3 (12:30); evening T4 (17:40); saturday T5.
    assert {k: r["arrivals"] for k, r in sessions.items()} == {
        "regular": 3,
        "midday": 1,
        "evening": 1,
        "saturday": 1,
    }
    assert figures(sessions["midday"], "no_shows", "no_show_rate", "sla_pct") == (1, 1.0, 0.0)
    channels = rows_by_key(statistics.summary(db, FRI, SAT, by="channel", now=NOW))
    # Only T2 came by appointment; an elderly priority ticket (T4) is a walk-in.
    assert figures(channels["appointment"], *F) == (1, 1, 1, 0, 0.0)
    assert figures(channels["walk-in"], *F) == (5, 4, 3, 1, 0.25)
    per_day = rows_by_key(statistics.summary(db, FRI, SAT, by="day", now=NOW))
    assert {k: r["arrivals"] for k, r in per_day.items()} == {"2026-11-27": 5, "2026-11-28": 1}


def test_hourly_flow_by_hand(db):
    build_hall(db)
    # Arrivals by hour of issue {9: 2, 10: 2, 12: 1, 17: 1}; served by hour of completion
    # T1 09:16, T2 09:41 -> 9; T6 10:56 -> 10; T4 18:16 -> 18.
    assert statistics.hourly(db, FRI, SAT) == {
        9: (2, 2),
        10: (2, 1),
        12: (1, 0),
        17: (1, 0),
        18: (0, 1),
    }


def test_a_period_only_counts_its_own_days(db):
    build_hall(db)
    sat = statistics.summary(db, SAT, SAT, by="service", now=NOW)
    assert figures(sat.total, *F) == (1, 0, 0, 0, None)  # only T5
    with pytest.raises(statistics.Refused):
        statistics.summary(db, SAT, FRI, now=NOW)
    with pytest.raises(statistics.Refused):
        statistics.summary(db, FRI, FRI + timedelta(days=statistics.MAX_PERIOD_DAYS), now=NOW)
