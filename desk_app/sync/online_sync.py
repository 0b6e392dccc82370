"""线上线下融合 through the platform, one exchange per sync pass (docs/central-api.md):

1. online applications (网办件) received since the last one pulled: each becomes a case
   (services/cases/online.py; its files fetched and checked against their SHA-256 first);
   one the hall cannot take (an unknown 一件事, an ID it refuses) is reported ``rejected``
   with the reason. Pulling twice takes in once (the case carries the application's id);
2. the states owed to the citizens (``online_reports``), each sent once: the platform keeps
   the first report of a number, so a report sent again after a lost answer changes nothing;
3. the pick-ups of concluded 网上申请、窗口取件 cases booked and reported;
4. 12345 work orders dispatched since the last one pulled (services/workorders/orders.py), and the
   hall's sign / reply / return steps, each sent once the same way.

The cursors advance only after what they cover is stored, one item at a time: a kill anywhere
leaves either the item stored (and pulled again, taken in once) or not stored (pulled again).
No Qt. A 401 propagates as CentralAuthError; other errors as CentralError (the loop goes on).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from desk_app.domain import clock
from desk_app.services.cases import online
from desk_app.services.common.errors import Refused
from desk_app.services.workorders import orders as workorders
from desk_app.store import Database
from desk_app.store.case_models import Case
from desk_app.store.models import Setting
from desk_app.store.online_models import OnlineReport
from desk_app.sync.client import CentralAuthError, CentralClient, CentralError

log = logging.getLogger(__name__)
APP_CURSOR = "online_app_cursor"
ORDER_CURSOR = "workorder_cursor"
PAGE = 100


@dataclass
class OnlineExchange:
    applications: int = 0
    refused: int = 0
    reports: int = 0
    pickups: int = 0
    workorders: int = 0
    workorder_events: int = 0

    def to_json(self) -> dict[str, int]:
        return dict(self.__dict__)


def _cursor(db: Database, key: str) -> int:
    with db.read() as s:
        return int(s.scalar(select(Setting.value).where(Setting.key == key)) or 0)


def _save_cursor(db: Database, key: str, value: int) -> None:
    with db.begin() as s:
        row = s.get(Setting, key)
        if row is None:
            s.add(Setting(key=key, value=str(value)))
        else:
            row.value = str(max(int(row.value), value))


def _json(resp: Any, what: str, client: CentralClient) -> Any:
    if resp.status_code != 200:
        raise CentralError(client.scrub(f"{what}: HTTP {resp.status_code}"))
    return resp.json()


def _files(client: CentralClient, app: dict[str, Any]) -> dict[int, bytes]:
    out = {}
    for m in app.get("materials") or []:
        f = m.get("file")
        if not f:
            continue
        index = int(m["index"])
        resp = client.call("GET", f"/api/v1/applications/{app['id']}/files/{index}")
        if resp.status_code != 200:
            raise CentralError(f"application file: HTTP {resp.status_code}")
        data = resp.content
        if hashlib.sha256(data).hexdigest() != f.get("sha256"):
            raise CentralError("application file: checksum mismatch (retried next pass)")
        out[index] = data
    return out


def _pull(db: Database, client: CentralClient, path: str, key: str, cursor: str, take: Any) -> None:
    """Page through ``path`` after the stored cursor; ``take(item)`` stores one item, then the
    cursor moves past it (a kill in between: pulled again, stored once)."""
    after = _cursor(db, cursor)
    while True:
        page = _json(client.call("GET", path, params={"after": after, "limit": PAGE}), key, client)
        for item in page[key]:
            take(item)
            after = max(after, int(item["seq"]))
            _save_cursor(db, cursor, after)
        if not page.get("next"):
            return


def pull_applications(
    db: Database, client: CentralClient, report: OnlineExchange, now: datetime
) -> None:
    def take(app: dict[str, Any]) -> None:
        try:
            if online.take_in(db, app, _files(client, app), now=now) is not None:
                report.applications += 1
        except Refused as exc:  # the hall cannot take it: the citizen is told why
            _refuse(client, str(app["id"]), exc, now)
            report.refused += 1

    _pull(db, client, "/api/v1/applications", "applications", APP_CURSOR, take)


def _refuse(client: CentralClient, app_id: str, exc: Refused, now: datetime) -> None:
    body = {"seq": 1, "state": "rejected", "at": clock.iso(now), "reason": str(exc.zh)[:500]}
    resp = client.call("POST", f"/api/v1/applications/{app_id}/states", json=body)
    if resp.status_code != 200:
        raise CentralError(f"application refusal: HTTP {resp.status_code}")
    log.info("online application refused: %s", exc.en)


def push_reports(db: Database, client: CentralClient, report: OnlineExchange) -> None:
    """Each owed state on its own: one the platform does not answer now waits for the next
    pass, the others go (the platform orders them by their number, not by arrival)."""
    failed = 0
    for row_id, app_id, body in online.unsent(db):
        try:
            resp = client.call("POST", f"/api/v1/applications/{app_id}/states", json=body)
        except CentralAuthError:
            raise
        except CentralError:
            failed += 1
            continue
        if resp.status_code in (404, 422):  # the platform will never take it: not retried
            log.error("online state %s of an application refused: HTTP %d", body["state"],
                      resp.status_code)  # fmt: skip
        elif resp.status_code != 200:
            failed += 1
            continue
        online.mark_sent(db, row_id)
        report.reports += 1
    if failed:
        raise CentralError(f"{failed} online states not sent (next pass)")


def book_pickups(db: Database, report: OnlineExchange, now: datetime) -> None:
    with db.read() as s:
        booked = select(OnlineReport.case_id).where(OnlineReport.state == "pickup_booked")
        owed = list(
            s.scalars(
                select(Case.case_no).where(
                    Case.online_mode == "pickup",
                    Case.state == "concluded",
                    Case.id.not_in(booked),
                )
            )
        )
    for case_no in owed:
        if online.book_pickup(db, case_no, now=now) is not None:
            report.pickups += 1


def pull_workorders(
    db: Database, client: CentralClient, report: OnlineExchange, now: datetime
) -> None:
    def take(wo: dict[str, Any]) -> None:
        try:
            if workorders.take_in(db, wo, now=now):
                report.workorders += 1
        except (Refused, ValueError, KeyError) as exc:
            log.error("work order %s not taken in: %s", wo.get("number"), type(exc).__name__)

    _pull(db, client, "/api/v1/workorders", "workorders", ORDER_CURSOR, take)


def push_workorder_events(db: Database, client: CentralClient, report: OnlineExchange) -> None:
    """Each owed step on its own, in order per work order: after one that did not go, that
    work order's later steps wait (a reply never overtakes its signing)."""
    failed, held = 0, set()
    for row_id, order_id, body in workorders.unsent_events(db):
        if order_id in held:
            continue
        try:
            resp = client.call("POST", f"/api/v1/workorders/{order_id}/events", json=body)
        except CentralAuthError:
            raise
        except CentralError:
            failed += 1
            held.add(order_id)
            continue
        if resp.status_code in (404, 409, 422):  # refused for good (e.g. a second reply)
            log.error("work order %s not taken by the platform: HTTP %d", body["action"],
                      resp.status_code)  # fmt: skip
        elif resp.status_code != 200:
            failed += 1
            held.add(order_id)
            continue
        workorders.mark_sent(db, row_id)
        report.workorder_events += 1
    if failed:
        raise CentralError(f"{failed} work order steps not sent (next pass)")


def exchange(db: Database, client: CentralClient, *, now: datetime | None = None) -> OnlineExchange:
    """One pass: applications in, states out, pick-ups booked, work orders in, steps out. Each
    step is tried even when an earlier one met a platform error; the first such error is
    raised at the end (the loop logs it and tries again), a 401 at once."""
    now = now or clock.now()
    report = OnlineExchange()
    first: CentralError | None = None
    for step in (
        lambda: pull_applications(db, client, report, now),
        lambda: book_pickups(db, report, now),
        lambda: push_reports(db, client, report),
        lambda: pull_workorders(db, client, report, now),
        lambda: push_workorder_events(db, client, report),
    ):
        try:
            step()
        except CentralAuthError:
            raise
        except CentralError as exc:
            first = first or exc
    if first is not None:
        raise first
    return report
