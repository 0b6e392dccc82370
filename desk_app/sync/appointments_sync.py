"""Online appointments through the central backend, one exchange per sync pass:

1. publish the hall's online places for the booking horizon (``PUT .../quota``);
2. pull the bookings made online since the last one seen (``GET .../bookings?after=``) and book
   each in the hall under the platform's code, sealed like any booking; pulling twice inserts
   once (``appointments.online_ref`` is unique); one the hall must refuse (the person is
   blocked, or already booked that day at the hall) is reported back as ``rejected``;
3. push what became of online bookings (checked in, no-show, cancelled) once each.

No Qt. Errors of the backend propagate as CentralError (the loop carries on), a 401 as
CentralAuthError (the loop stops)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from desk_app.domain import clock
from desk_app.domain.appointments import Channel, bookable_days
from desk_app.domain.calendar import hhmm
from desk_app.services.appointments import booking as appointments
from desk_app.services.appointments.no_shows import sweep_due
from desk_app.services.common.catalog import work_calendar
from desk_app.services.common.errors import Refused
from desk_app.services.hall.calendar import configured_sessions, day_plan, policy
from desk_app.store import Database
from desk_app.store.appointment_models import Appointment
from desk_app.store.models import Service, Setting
from desk_app.sync.client import CentralClient, CentralError

log = logging.getLogger(__name__)
# The last booking / cancellation id pulled from the backend (bookkeeping, not user settings).
CURSOR = "appt_online_cursor"
CANCEL_CURSOR = "appt_online_cancel_cursor"


@dataclass(frozen=True)
class Exchange:
    published: int
    pulled: int
    rejected: int
    pushed: int


def _ok(resp: Any, what: str, client: CentralClient) -> Any:
    if resp.status_code != 200:
        raise CentralError(client.scrub(f"{what}: HTTP {resp.status_code}: {resp.text[:200]}"))
    return resp.json()


def publish_places(db: Database, client: CentralClient, *, now: datetime | None = None) -> int:
    """The online places of every service and bookable day."""
    now = now or clock.now()
    slots = []
    with db.read() as s:
        days = bookable_days(clock.hall_day(now), work_calendar(), policy(s).horizon_days)
        pol = policy(s)
        for svc in s.scalars(select(Service).where(Service.active)):
            for d in days:
                plan = day_plan(s, d)
                for start, end, _hall, online in appointments.slot_places(s, svc, plan, pol):
                    if online > 0:
                        slots.append(
                            {
                                "service": svc.code,
                                "date": d.isoformat(),
                                "start": hhmm(start),
                                "end": hhmm(end),
                                "capacity": online,
                            }
                        )
    if slots:
        _ok(
            client.call("PUT", "/api/v1/appointments/quota", json={"slots": slots}), "quota", client
        )
    return len(slots)


def _cursor(db: Database, key: str = CURSOR) -> int:
    with db.read() as s:
        return int(s.scalar(select(Setting.value).where(Setting.key == key)) or 0)


def _save_cursor(db: Database, value: int, key: str = CURSOR) -> None:
    with db.begin() as s:
        row = s.get(Setting, key)
        if row is None:
            s.add(Setting(key=key, value=str(value)))
        else:
            row.value = str(max(int(row.value), value))


def pull_bookings(
    db: Database, client: CentralClient, *, now: datetime | None = None
) -> tuple[int, list[dict[str, str]]]:
    """Book the new online bookings in the hall; (how many, the refusals to report)."""
    after, pulled, rejected = _cursor(db), 0, []
    while True:
        page = _ok(
            client.call("GET", "/api/v1/appointments/bookings", params={"after": after}),
            "bookings",
            client,
        )
        for b in page["bookings"]:
            after = max(after, int(b["id"]))
            if b["state"] != "booked" or _known(db, str(b["id"])):
                continue
            try:
                appointments.book(
                    db,
                    b["service"],
                    date.fromisoformat(b["date"]),
                    b["start"],
                    b["name"],
                    b["id_no"],
                    phone=b.get("phone"),
                    channel=Channel.ONLINE,
                    online_ref=str(b["id"]),
                    code=b["code"],
                    now=now,
                )
                pulled += 1
            except Refused as exc:
                rejected.append({"code": b["code"], "state": "rejected", "reason": exc.en[:300]})
        _save_cursor(db, after)
        if not page.get("next"):
            return pulled, rejected


def pull_cancellations(db: Database, client: CentralClient, *, now: datetime | None = None) -> int:
    """Cancel in the hall what the person cancelled online (the 2-hour rule applies again on the
    hall's clock; a booking already checked in or gone stays as it is)."""
    after, cancelled = _cursor(db, CANCEL_CURSOR), 0
    while True:
        page = _ok(
            client.call("GET", "/api/v1/appointments/cancellations", params={"after": after}),
            "cancellations",
            client,
        )
        for c in page["cancellations"]:
            after = max(after, int(c["id"]))
            try:
                appointments.cancel(db, c["code"], reason="online", by_person=True, now=now)
                cancelled += 1
            except Refused as exc:
                log.info("online cancellation of %s not applied: %s", c["code"], exc.en)
        _save_cursor(db, after, CANCEL_CURSOR)
        if not page.get("next"):
            return cancelled


def _known(db: Database, ref: str) -> bool:
    with db.read() as s:
        return s.scalar(select(Appointment.id).where(Appointment.online_ref == ref)) is not None


def push_outcomes(db: Database, client: CentralClient, extra: list[dict[str, str]]) -> int:
    """Report check-ins, no-shows and cancellations of online bookings (each once)."""
    with db.read() as s:
        rows = s.execute(
            select(Appointment.id, Appointment.code, Appointment.state).where(
                Appointment.channel == Channel.ONLINE,
                Appointment.outcome_sent.is_(False),
                Appointment.state.in_(("checked_in", "no_show", "cancelled")),
            )
        ).all()
    outcomes = [{"code": code, "state": state} for _id, code, state in rows] + extra
    if not outcomes:
        return 0
    _ok(
        client.call("POST", "/api/v1/appointments/outcomes", json={"outcomes": outcomes}),
        "outcomes",
        client,
    )
    with db.begin() as s:
        for row in s.scalars(select(Appointment).where(Appointment.id.in_([r[0] for r in rows]))):
            row.outcome_sent = True
    return len(outcomes)


def exchange(db: Database, client: CentralClient, *, now: datetime | None = None) -> Exchange:
    """One round: publish, pull, push (see the module docstring). Only for a hall that has set
    its opening calendar: the places it offers online come from it."""
    with db.read() as s:
        if not configured_sessions(s):
            return Exchange(0, 0, 0, 0)
    with db.begin() as s:  # no-shows due are marked before the outcomes go out
        sweep_due(s, now or clock.now())
    published = publish_places(db, client, now=now)
    pulled, rejected = pull_bookings(db, client, now=now)
    pull_cancellations(db, client, now=now)
    pushed = push_outcomes(db, client, rejected)
    if pulled or pushed:
        log.info("appointments: pulled %d online bookings, pushed %d outcomes", pulled, pushed)
    return Exchange(published, pulled, len(rejected), pushed)
