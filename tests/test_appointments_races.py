"""Booking's hot path (``services/appointments/quick.py``) against the full version, and desks
booking at the same moment as separate processes (SQLite and PostgreSQL): a slot's places are
never passed, a person gets one booking a day, a blackout committed after the hot path's
checks still refuses."""

from __future__ import annotations

import multiprocessing as mp
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from desk_app.services.appointments import booking as appointments
from desk_app.services.appointments import quick
from desk_app.services.common import protection
from desk_app.services.common.errors import Refused
from desk_app.store.appointment_models import Appointment, SlotCount
from tests.appt_tools import at, calendar_hall, person

TUE = date(2026, 12, 1)
MON_10 = at("2026-11-30 10:00")
BOOKERS = 6
TRIES = 4  # per booker, for the contested slot


def _full_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quick, "book", lambda *_a, **_k: quick.FALLBACK)


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The hot path's answers (None: it handed the booking to the full version)."""
    answers: list[Any] = []
    real = quick.book

    def book(*a: Any, **k: Any) -> Any:
        answers.append(real(*a, **k))
        return answers[-1]

    monkeypatch.setattr(quick, "book", book)
    return answers


def _row(db: Any, code: str) -> dict[str, Any]:
    with db.read() as s:
        a = s.scalar(select(Appointment).where(Appointment.code == code))
        assert a is not None
        return {
            "service_id": a.service_id,
            "day": a.day,
            "start_min": a.start_min,
            "end_min": a.end_min,
            "slot_at": a.slot_at,
            "state": a.state,
            "channel": a.channel,
            "name": protection.unseal(a.name, "appointments.name"),
            "id_no": protection.unseal(a.id_no, "appointments.id_no"),
            "phone": protection.unseal(a.phone, "appointments.phone"),
            "sealed": "预约人" not in a.name and "13812345678" not in (a.phone or ""),
            "lookup": a.person_lookup,
            "created_at": a.created_at,
            "created_by": a.created_by,
            "online_ref": a.online_ref,
            "outcome_sent": a.outcome_sent,
            "ticket_id": a.ticket_id,
        }


def test_the_hot_path_books_what_the_full_version_books(db, monkeypatch):
    calendar_hall(db)
    answers = _spy(monkeypatch)
    fast = appointments.book(db, "newborn", TUE, "14:00", "预约人", person(1), phone="13812345678", now=MON_10)  # fmt: skip
    assert answers and answers[0] is not None  # the hot path booked it
    fast_row = _row(db, fast.code)
    appointments.cancel(db, fast.code, now=MON_10)
    _full_only(monkeypatch)
    full = appointments.book(db, "newborn", TUE, "14:00", "预约人", person(1), phone="13812345678", now=MON_10)  # fmt: skip
    full_row = _row(db, full.code)
    assert fast_row == full_row
    assert fast_row["name"] == "预约人" and fast_row["id_no"] == person(1)
    assert {**fast.to_json(), "code": None} == {**full.to_json(), "code": None}
    assert "*" in fast.id_no  # masked unless revealed
    monkeypatch.undo()
    revealed = appointments.book(db, "newborn", TUE, "14:00", "某人", person(2), reveal=True, now=MON_10)  # fmt: skip
    assert revealed.id_no == person(2)
    # The hall's two places of the slot are taken: the hot path refuses as the full one does.
    with pytest.raises(Refused, match="已满"):
        appointments.book(db, "newborn", TUE, "14:00", "某人", person(3), now=MON_10)
    with db.read() as s:
        count = s.get(SlotCount, (fast_row["service_id"], TUE, fast_row["start_min"]))
        assert count is not None and count.booked_hall == 2


def test_the_no_show_warning_counts_from_a_supervisors_lifting_on_both_paths(db, monkeypatch):
    from desk_app.services.appointments import checkin

    calendar_hall(db)

    def book(day: str, now: str) -> Any:
        return appointments.book(db, "newborn", date.fromisoformat(day), "14:00", "预约人", person(1), now=at(now))  # fmt: skip

    answers = _spy(monkeypatch)
    book("2026-12-01", "2026-11-30 10:00")
    assert checkin.sweep(db, now=at("2026-12-01 14:16")) == 1
    warned = book("2026-12-02", "2026-12-01 15:00")
    assert warned.warning and "再次爽约" in warned.warning and answers[-1] is not None
    assert checkin.sweep(db, now=at("2026-12-02 14:16")) == 1  # the second: blocked
    assert checkin.unblock(db, person(1), "系统故障未能签到", now=at("2026-12-02 15:00")) == 1
    fast = book("2026-12-03", "2026-12-02 15:01")
    assert answers[-1] is not None and fast.warning is None  # both no-shows before the lifting
    appointments.cancel(db, fast.code, now=at("2026-12-02 15:02"))
    _full_only(monkeypatch)
    assert book("2026-12-03", "2026-12-02 15:03").warning is None


def test_a_blackout_committed_after_the_checks_still_refuses(db, monkeypatch):
    calendar_hall(db)
    reads: list[Any] = []

    def racing(steps_class: Any) -> None:
        real = steps_class.reads

        def reads_then_blackout(self: Any, *params: Any) -> Any:
            rows = real(self, *params)
            reads.append(rows)
            # Another desk pauses the morning between the hot path's checks and its write.
            appointments.add_blackout(
                db, at("2026-12-01 09:00"), at("2026-12-01 12:00"), "系统升级", now=MON_10
            )
            return rows

        monkeypatch.setattr(steps_class, "reads", reads_then_blackout)

    racing(quick._LiteSteps)
    racing(quick._PgSteps)
    with pytest.raises(Refused, match="暂停预约"):
        appointments.book(db, "newborn", TUE, "10:00", "预约人", person(1), now=MON_10)
    assert reads and reads[0][2][0][0] is None  # the hot path's own checks saw no blackout
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Appointment)) == 0
        assert not s.scalar(select(func.sum(SlotCount.booked_hall)))


def _booker(url: str, worker: int, full: bool, start: Any, out: Any) -> None:
    from desk_app.security.roles import Actor, Role
    from desk_app.store import Database

    if full:  # half the desks on the full version: the two must agree under contention
        quick.book = lambda *_a, **_k: quick.FALLBACK  # type: ignore[assignment]
    db = Database(url).acting_as(Actor(staff_id=None, code=f"desk{worker}", role=Role.ADMIN))
    booked, same_person = 0, 0
    start.wait()
    for i in range(TRIES):
        try:
            appointments.book(db, "newborn", TUE, "09:00", "预约人", person(100 + worker * TRIES + i), now=MON_10)  # fmt: skip
            booked += 1
        except Refused:
            pass
        # The same person at every desk, each in another slot of the same day.
        if i == 0:
            slot = f"{10 + worker % 7:02d}:30"
            try:
                appointments.book(db, "newborn", TUE, slot, "同一人", person(99), now=MON_10)
                same_person += 1
            except Refused:
                pass
    db.dispose()
    out.put((booked, same_person))


def test_desks_booking_at_once_never_pass_a_slots_places(db):
    calendar_hall(db, windows=3)  # 3 hall places per slot
    places = next(s for s in appointments.slots(db, "newborn", TUE) if s.start == 9 * 60)
    assert 0 < places.capacity < BOOKERS * TRIES
    ctx = mp.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(target=_booker, args=(db.url, w, w % 2 == 1, start, out))
        for w in range(BOOKERS)
    ]
    for p in procs:
        p.start()
    start.set()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert sum(b for b, _ in results) == places.capacity
    assert sum(s for _, s in results) == 1
    with db.read() as s:
        rows = s.scalar(
            select(func.count()).where(Appointment.day == TUE, Appointment.start_min == 9 * 60)
        )
        assert rows == places.capacity
        counters = {(c.start_min, c.booked_hall) for c in s.scalars(select(SlotCount))}
        booked = dict(
            s.execute(
                select(Appointment.start_min, func.count()).group_by(Appointment.start_min)
            ).all()
        )
        assert counters == set(booked.items())  # every counter agrees with its slot's rows
    assert next(s for s in appointments.slots(db, "newborn", TUE) if s.start == 540).left == 0
