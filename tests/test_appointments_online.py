"""Online booking through the real reference backend (a server process on 127.0.0.1): the hall
publishes its online places, a citizen books, ``sync run`` pulls the booking once however often
it runs, and check-ins and no-shows go back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import requests

from desk_app.services.appointments import checkin as appointment_checkin
from desk_app.store import Database
from desk_app.store.schema import upgrade
from tests.appt_tools import at, calendar_hall, person
from tests.test_sync_faults import TOKEN, Server
from tests.tools import ADMIN

pytest.importorskip("fastapi", reason="the reference backend needs the [central] extra")
ROOT = Path(__file__).resolve().parent.parent
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def hall_db(db_url):
    db = Database(db_url).acting_as(ADMIN)
    upgrade(db)
    calendar_hall(db)
    yield db
    db.dispose()


@pytest.fixture
def central(tmp_path, monkeypatch):
    # The backend's clock too (it checks the 2-hour cancellation rule): the hall's Monday.
    monkeypatch.setenv("DESK_APP_NOW", "2026-11-30T10:00:00+08:00")
    server = Server(f"sqlite:///{tmp_path / 'central.db'}")
    yield server
    server.stop()


def hall_name() -> str:
    from central_ref.auth import parse_tokens

    return parse_tokens([TOKEN])[TOKEN]


def sync(db: Database, server: Server, now: str) -> dict:
    env = dict(
        os.environ,
        DESK_APP_DB=db.url,
        DESK_APP_CENTRAL_URL=server.url,
        DESK_APP_CENTRAL_TOKEN=TOKEN,
        DESK_APP_NOW=now,
    )
    out = subprocess.run(
        [sys.executable, "-m", "desk_app", "sync", "run", "--once", "--json"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def citizen(server: Server, path: str, **kw):  # type: ignore[no-untyped-def]
    base = f"{server.url}/public/v1/halls/{hall_name()}"
    if "json" in kw:
        return requests.post(base + path, timeout=10, **kw)
    return requests.get(base + path, timeout=10, **kw)


def central_bookings(server: Server) -> dict[str, str]:
    r = requests.get(f"{server.url}/api/v1/appointments/bookings", headers=AUTH, timeout=10)
    r.raise_for_status()
    return {b["code"]: b["state"] for b in r.json()["bookings"]}


def test_online_booking_round_trip(hall_db, central):
    monday = "2026-11-30T10:00:00+08:00"
    sync(hall_db, central, monday)  # publishes the online places
    slots = citizen(central, "/slots", params={"service": "newborn", "date": "2026-12-01"}).json()
    first = slots["slots"][0]
    assert first == {"start": "09:00", "end": "09:30", "capacity": 1, "booked": 0, "left": 1}

    book = {"service": "newborn", "date": "2026-12-01", "start": "09:00", "name": "王芳"}
    r = citizen(central, "/bookings", json=book | {"id_no": person(1), "phone": "13812345678"})
    assert r.status_code == 201, r.text
    code = r.json()["code"]
    assert citizen(central, "/bookings", json=book | {"id_no": person(2)}).status_code == 409
    later = book | {"start": "09:30"}
    assert citizen(central, "/bookings", json=later | {"id_no": person(1)}).status_code == 409
    assert (
        citizen(central, "/bookings", json=later | {"id_no": "370202199001011230"}).status_code
        == 422
    )
    r = citizen(central, "/bookings", json=later | {"id_no": person(3)})
    missed = r.json()["code"]

    for _ in range(2):  # pulled once, however often the sync runs
        sync(hall_db, central, monday)
    listed = {
        a.code: a
        for a in appointment_checkin.list_day(
            hall_db, date(2026, 12, 1), now=at("2026-11-30 10:00")
        )
    }
    assert set(listed) == {code, missed}
    assert listed[code].channel == "online" and "*" in listed[code].id_no
    # The platform keeps the citizen's name, ID number and phone sealed at rest.
    import sqlite3

    raw = sqlite3.connect(central.url_db).execute("SELECT name, id_no, phone FROM appt_bookings")
    for name, id_no, phone in raw.fetchall():
        assert all(str(v).startswith("sealed:v1:") for v in (name, id_no, phone) if v)
        assert "王芳" not in name and person(1) not in id_no
    # The online place is the online channel's: the hall's two places are untouched.
    from desk_app.services.appointments import booking as appointments

    slot = appointments.slots(hall_db, "newborn", date(2026, 12, 1))[0]
    assert (slot.booked, slot.online_booked, slot.left) == (0, 1, 2)

    appointment_checkin.checkin(
        hall_db, id_no=person(1), phone_last4="5678", now=at("2026-12-01 08:50")
    )
    appointment_checkin.sweep(hall_db, now=at("2026-12-01 09:50"))  # the 09:30 one: no-show
    sync(hall_db, central, "2026-12-01T09:50:00+08:00")
    assert central_bookings(central) == {code: "checked_in", missed: "no_show"}
    sync(hall_db, central, "2026-12-01T09:51:00+08:00")  # nothing is reported twice
    assert central_bookings(central) == {code: "checked_in", missed: "no_show"}


def test_a_booking_the_hall_must_refuse_goes_back_as_rejected(hall_db, central):
    from desk_app.services.appointments import booking as appointments

    monday = "2026-11-30T10:00:00+08:00"
    appointments.book(
        hall_db,
        "newborn",
        date(2026, 12, 1),
        "14:00",
        "王芳",
        person(1),
        now=at("2026-11-30 09:00"),
    )
    sync(hall_db, central, monday)
    r = citizen(
        central,
        "/bookings",
        json={
            "service": "newborn",
            "date": "2026-12-01",
            "start": "09:00",
            "name": "王芳",
            "id_no": person(1),
        },
    )
    code = r.json()["code"]
    sync(hall_db, central, monday)
    assert central_bookings(central) == {code: "rejected"}  # one booking per person per day
    slots = citizen(central, "/slots", params={"service": "newborn", "date": "2026-12-01"}).json()
    assert slots["slots"][0]["left"] == 1  # the place is free again


def test_a_citizen_cancels_online_and_the_hall_follows(hall_db, central):
    from desk_app.services.appointments import booking as appointments

    monday = "2026-11-30T10:00:00+08:00"
    sync(hall_db, central, monday)
    booking = {"service": "newborn", "date": "2026-12-02", "start": "10:00", "name": "王芳"}
    code = citizen(central, "/bookings", json=booking | {"id_no": person(1)}).json()["code"]
    sync(hall_db, central, monday)
    late = booking | {"date": "2026-11-30", "start": "11:00"}  # not bookable: closed by then
    assert citizen(central, "/bookings", json=late | {"id_no": person(3)}).status_code == 404
    wrong = citizen(central, f"/bookings/{code}/cancel", json={"id_no": person(2)})
    assert wrong.status_code == 404  # only with the booking's own ID number
    r = citizen(central, f"/bookings/{code}/cancel", json={"id_no": person(1)})
    assert r.status_code == 200 and r.json()["state"] == "cancelled"
    assert (
        citizen(central, f"/bookings/{code}/cancel", json={"id_no": person(1)}).status_code == 409
    )
    sync(hall_db, central, monday)
    (view,) = appointment_checkin.list_day(hall_db, date(2026, 12, 2), now=at("2026-11-30 10:00"))
    assert (view.code, view.state) == (code, "cancelled")
    slot = next(
        x for x in appointments.slots(hall_db, "newborn", date(2026, 12, 2)) if x.start == 600
    )
    assert slot.online_booked == 0
    slots = citizen(central, "/slots", params={"service": "newborn", "date": "2026-12-02"}).json()
    assert next(x for x in slots["slots"] if x["start"] == "10:00")["left"] == 1
    sync(hall_db, central, monday)  # the hall's own record of it goes back once, harmlessly
    assert central_bookings(central) == {code: "cancelled"}
