"""Twin hall databases for comparing two versions of the queue (tests/test_queue_engine.py:
the hot path and the ORM version; tests/test_queue_quick.py: the quick commands and the full
ones): one random morning, run on each, and what it leaves."""

from __future__ import annotations

import dataclasses
import random
import shutil
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select, update

from desk_app.services.appointments import booking as appointments
from desk_app.services.appointments import checkin as appointment_checkin
from desk_app.services.common.errors import Refused
from desk_app.services.hall import setup as hall_service
from desk_app.services.queue import operations as queue
from desk_app.store import Database
from desk_app.store.models import Service, Staff, Ticket, TicketEvent, Window, WindowSession
from tests.appt_tools import at, calendar_hall, person
from tests.conftest import TEST_ADMIN
from tests.tools import add_staff

TUE = date(2026, 12, 1)


@pytest.fixture
def twin(db, request, tmp_path):
    """A second, empty hall database of the same dialect as ``db``."""
    if not db.is_postgres:
        path = tmp_path / "twin.db"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite_template"), path)
        other = Database(f"sqlite:///{path}")
        yield other.acting_as(TEST_ADMIN)
        other.dispose()
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    template = request.getfixturevalue("migrated_pg_template")
    admin = create_engine(db.url, isolation_level="AUTOCOMMIT")
    name = f"desk_twin_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    other = Database(make_url(db.url).set(database=name).render_as_string(hide_password=False))
    try:
        yield other.acting_as(TEST_ADMIN)
    finally:
        other.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def hall(db) -> None:  # type: ignore[no-untyped-def]
    calendar_hall(db, windows=3)
    hall_service.add_window(db, 4, ["newborn", "retirement"], calling_rule="arrival:1/2,appt:2/1")
    for n, w in enumerate((1, 2, 4, 9), 1):
        add_staff(db, f"s0{n}", f"员工{n}")
        hall_service.open_window(db, w, f"s0{n}")
    with db.begin() as s:  # ten-minute slots, so slot order and arrival order can differ
        s.execute(update(Service).where(Service.code == "newborn").values(slot_minutes=10))
    slots = ("09:00", "09:10", "09:20", "09:30")
    codes = [
        appointments.book(
            db, "newborn", TUE, t, f"预约{i}", person(i), now=at("2026-11-30 10:00")
        ).code
        for i, t in enumerate(slots, 1)
    ]
    # The 09:00 booking checks in last (09:14): by slot it still goes before the 09:10 one.
    for code, when in zip(codes, ("09:14", "09:00", "09:05", "09:10"), strict=True):
        appointment_checkin.checkin(db, code=code, now=at(f"2026-12-01 {when}"))


OPS = ["call", "start", "recall", "no_show", "hold", "complete", "issue", "transfer"]


def hall_without_calendar(db) -> None:  # type: ignore[no-untyped-def]
    """``hall``, its opening calendar removed once the appointments are in (a hall without a
    calendar issues at any time, and reads no calendar to issue)."""
    from desk_app.store.appointment_models import CalendarSession

    hall(db)
    with db.begin() as s:
        s.execute(delete(CalendarSession))


def morning_script(seed: int, n: int) -> list[tuple[str, int, str | None]]:
    """(operation, window, extra): a random morning at windows 1, 2, 4 and 9, with tickets
    issued as it goes (extra = service and priority), a pause, presses at closed window 3,
    recalls past the limit, and tickets transferred to a window."""
    rng = random.Random(seed)
    out: list[tuple[str, int, str | None]] = []
    for i in range(n):
        op = rng.choices(OPS, weights=[40, 14, 8, 8, 4, 6, 18, 2])[0]
        extra = None
        if op == "issue":
            extra = rng.choice(["newborn", "retirement"]) + rng.choice(["", "", "", ":elderly"])
        elif op == "transfer":
            extra = rng.choice(["1", "4", "newborn", "retirement"])
        out.append((op, rng.choice([1, 2, 4, 9]), extra))
        if i in (40, 100, 160):  # a ticket transferred to a window, called there
            out += [("call", 9, None), ("transfer", 9, "4"), ("no_show", 4, None)]
            out += [("call", 4, None)]
        if i == 60:  # past the recall limit
            out += [("call", 2, None)] + [("recall", 2, None)] * 4
        if i in (30, 90):
            out += [
                ("pause", 2, None),
                ("call", 2, None),
                ("issue", 2, "newborn"),
                ("resume", 2, None),
                ("call", 3, None),
            ]
    return out


def run_script(db, steps, *, calendar: bool = True) -> list:  # type: ignore[no-untyped-def]
    (hall if calendar else hall_without_calendar)(db)
    for i in range(12):  # the morning's first visitors, every third one priority
        queue.issue_ticket(
            db,
            ("newborn", "retirement")[i % 2],
            "elderly" if i % 3 == 2 else None,
            now=at("2026-12-01 09:00") + timedelta(minutes=i),
        )
    out = []
    for i, (op, w, extra) in enumerate(steps):
        now = at("2026-12-01 09:20") + timedelta(seconds=20 * i)
        try:
            if op == "call":
                r = queue.call_next(db, w, now=now)
            elif op == "issue":
                code, _, prio = (extra or "").partition(":")
                r = queue.issue_ticket(db, code, prio or None, now=now)
            elif op == "transfer":
                target = {"to_window": int(extra)} if extra.isdigit() else {"to_service": extra}
                r = queue.transfer(db, w, now=now, **target)
            elif op in ("pause", "resume"):
                r = getattr(hall_service, f"{op}_window")(db, w, now=now)
            else:
                r = getattr(queue, op)(db, w, now=now)
            out.append((op, w, None if r is None else plain(dataclasses.asdict(r))))
        except Refused as exc:
            out.append((op, w, f"refused: {exc}"))
    return out


def plain(d: dict) -> dict:
    return {k: v for k, v in d.items() if k != "id"}


def hall_state(db) -> dict:  # type: ignore[no-untyped-def]
    with db.read() as s:
        win = dict(s.execute(select(Window.id, Window.number)).all())
        staff = dict(s.execute(select(Staff.id, Staff.code)).all())
        number = dict(s.execute(select(Ticket.id, Ticket.number)).all())
        cols = [c for c in Ticket.__table__.c if c.name not in ("id", "appointment_id")]
        tickets = sorted(
            tuple(
                win.get(v, v) if c.name.endswith("window_id") else v
                for c, v in zip(cols, r, strict=True)
            )
            for r in s.execute(select(*cols))
        )
        events = sorted(
            (number[e.ticket_id], e.at, e.action, e.from_state, e.to_state,
             win.get(e.window_id), staff.get(e.staff_id), e.detail)
            for e in s.scalars(select(TicketEvent))
        )  # fmt: skip
        cycles = sorted(
            (win[w.window_id], w.cycle_pos, w.appt_cycle_pos)
            for w in s.scalars(select(WindowSession))
        )
    return {"tickets": tickets, "events": events, "cycles": cycles}


def raw_state(db) -> dict:  # type: ignore[no-untyped-def]
    """On SQLite, what ``hall_state`` compares, as stored (text times, hex ids, 0/1): SQLite
    compares and sorts these columns as text, so a version that stored another format would
    differ here even where SQLAlchemy reads both back alike. Random ids are left out."""
    import sqlite3

    from desk_app.store import lite

    path = lite.sqlite_path(db.url)
    assert path is not None
    conn = sqlite3.connect(path)
    try:
        cols = [
            r[1]
            for r in conn.execute("PRAGMA table_info(tickets)")
            if r[1] not in ("id", "appointment_id")
        ]
        return {
            "tickets": sorted(conn.execute(f"SELECT {', '.join(cols)} FROM tickets").fetchall()),
            "events": conn.execute(
                "SELECT t.number, e.action, e.from_state, e.to_state, e.window_id, e.staff_id,"
                " e.at, e.detail FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id"
                " ORDER BY e.id"
            ).fetchall(),
            "cycles": conn.execute(
                "SELECT window_id, cycle_pos, appt_cycle_pos, closed_at FROM window_sessions"
                " ORDER BY id"
            ).fetchall(),
            "counters": conn.execute("SELECT * FROM ticket_counters ORDER BY 1, 2").fetchall(),
        }
    finally:
        conn.close()
