"""网办件: applications citizens made online (爱山东's 一件事 column), pulled from the platform by
the sync (desk_app/sync/online_sync.py) and reviewed at the counter with the same case lifecycle
and documents as a walk-in.

- :func:`take_in` turns one pulled application into a case (channel ``online``): the applicant
  sealed like any other, the situation answers, the files the citizen uploaded attached as
  电子件, the materials the citizen pointed at shared data fetched like 免证办 (the online
  application is the consent), everything else missing until the clerk decides. Pulling twice
  takes in once (``cases.online_id`` is unique).
- Every state the citizen must see is an ``online_reports`` row, numbered per case and written
  in the transaction that changed the case (online_reports.on_event, from the case lifecycle);
  the sync sends each once (the platform keeps the first report of a number).
- ``pickup`` (网上申请、窗口取件): once concluded, the hall books the pick-up at its counter
  (:func:`book_pickup`, an appointment of the bundle's service) and reports the date.
- :func:`inbox`: what waits for review, with its due time: the end of the next working day
  after the platform received it (``REVIEW_DAYS``).
"""

from __future__ import annotations

import json
import tempfile
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from desk_app.domain import clock
from desk_app.domain.cases import CaseState
from desk_app.domain.validators import mask_name
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.cases.online_reports import report
from desk_app.services.common import protection
from desk_app.services.common.catalog import catalog, work_calendar
from desk_app.services.common.errors import Refused
from desk_app.store import Database
from desk_app.store.case_models import Case, CaseMaterial
from desk_app.store.online_models import OnlineReport

REVIEW_DAYS = 1
MODES = ("online", "pickup")
INBOX_STATES = ("open", "notice", "accepted", "deferred", "concluded", "rejected", "all")


@dataclass(frozen=True)
class InboxRow:
    case_no: str
    bundle: str
    bundle_name: str
    mode: str
    state: str
    applicant: str  # masked
    received_at: datetime
    due: date
    overdue: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "case_no": self.case_no,
            "bundle": self.bundle,
            "bundle_name": self.bundle_name,
            "channel": "online",
            "mode": self.mode,
            "state": self.state,
            "applicant": self.applicant,
            "received_at": clock.iso(self.received_at),
            "due": self.due.isoformat(),
            "overdue": self.overdue,
        }


def due_of(received_at: datetime) -> date:
    """The review is due by the end of the next working day after the platform received it."""
    return work_calendar().add_workdays(clock.hall_day(received_at), REVIEW_DAYS).date


def take_in(
    db: Database,
    app: dict[str, Any],
    files: dict[int, bytes],
    *,
    now: datetime | None = None,
) -> str | None:
    """Open the case of a pulled application; its number, or None when it was taken in before.

    ``app`` is the platform's JSON (docs/central-api.md "Online applications"); ``files`` the
    uploaded files by their index. Refused (the application cannot be a case here: unknown
    bundle, invalid ID) propagates: the sync reports it rejected with the reason."""
    require(db.actor, Operation.CASE_OPEN)
    online_id = uuid.UUID(str(app["id"]))
    with db.read() as s:
        case_no = s.scalar(select(Case.case_no).where(Case.online_id == online_id))
    fresh = case_no is None
    if case_no is None:
        case_no = _open(db, app, online_id, now)
    _attach(db, case_no, app, files, now)  # again after a kill: only what is not there yet
    return case_no if fresh else None


def _open(db: Database, app: dict[str, Any], online_id: uuid.UUID, now: datetime | None) -> str:
    from desk_app.services.cases import opening

    mode = str(app.get("mode") or "online")
    if mode not in MODES:
        raise Refused(f"未知的办理方式 {mode}", f"unknown mode {mode}")
    applicant = app.get("applicant") or {}
    kind = applicant.get("kind") or "person"
    received = _instant(str(app["received_at"]))
    return opening.open_case(
        db,
        str(app["bundle"]),
        str(applicant.get("name") or ""),
        applicant_id=applicant.get("id") if kind == "person" else None,
        credit_code=applicant.get("id") if kind == "company" else None,
        phone=applicant.get("phone") or None,
        answers={str(k): str(v) for k, v in (app.get("answers") or {}).items()},
        share_consent=True,  # the citizen's app asked for it with the application
        online=(online_id, mode, received),
        now=now,
    ).case_no


def _attach(
    db: Database, case_no: str, app: dict[str, Any], files: dict[int, bytes], now: datetime | None
) -> None:
    """The uploaded files as 电子件, one attach per material (skipping those attached before)."""
    from desk_app.services.cases import files as case_files
    from desk_app.store.case_models import CaseFile

    with db.read() as s:
        case = s.scalar(select(Case).where(Case.case_no == case_no))
        assert case is not None
        known = {
            m.material_code: m.status
            for m in s.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case.id))
        }
        done: dict[str, int] = {}
        for code in s.scalars(
            select(CaseFile.material_code).where(
                CaseFile.case_id == case.id, CaseFile.source == "online"
            )
        ):
            done[code] = done.get(code, 0) + 1
    by_code: dict[str, list[tuple[int, str]]] = {}
    for m in app.get("materials") or []:
        index, code = m.get("index"), str(m.get("code") or "")
        if "file" in m and index in files and code in known:
            name = Path(str((m.get("file") or {}).get("name") or "file")).name
            by_code.setdefault(code, []).append((int(index), name))
    with tempfile.TemporaryDirectory(prefix="online-") as tmp:
        for code, items in by_code.items():
            # One attach per file, in order: after a kill, those attached are not again.
            for index, name in sorted(items)[done.get(code, 0) :]:
                path = Path(tmp) / f"{index}-{name}"[-100:]
                path.write_bytes(files[index])
                try:
                    case_files.attach(db, case_no, code, [path], source="online", now=now)
                except Refused:  # not readable as pages: the clerk asks for it (告知)
                    continue


def _instant(text: str) -> datetime:
    at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if at.tzinfo is None:
        raise Refused("平台时间缺少时区", "the platform's time has no zone")
    return at


def inbox(db: Database, state: str = "open", *, now: datetime | None = None) -> list[InboxRow]:
    """``case inbox``: online cases in ``state`` (``open``: waiting for review, the default;
    ``all``), the oldest due first."""
    require(db.actor, Operation.CASE_INBOX)
    if state not in INBOX_STATES:
        raise Refused(f"未知的状态 {state}", f"--state must be one of {', '.join(INBOX_STATES)}")
    now = now or clock.now()
    today = clock.hall_day(now)
    # Columns, not entities: a hall with 10 k applications waiting lists them in a blink.
    q = (
        select(
            Case.case_no,
            Case.bundle_code,
            Case.bundle_name,
            Case.online_mode,
            Case.state,
            Case.applicant_kind,
            Case.applicant_name,
            func.coalesce(Case.received_at, Case.opened_at),
        )
        .where(Case.channel == "online")
        .order_by(Case.received_at, Case.case_no)
    )
    if state != "all":
        q = q.where(Case.state == CaseState(state))
    names = {b.code: b.name for b in catalog().bundles}
    rows = []
    dues: dict[date, date] = {}  # one calendar reckoning per day received, not per case
    with db.read() as s:
        found = s.execute(q).all()
    for case_no, bundle, bundle_name, mode, st, kind, sealed, received in found:
        day = clock.hall_day(received)
        due = dues.get(day) or dues.setdefault(day, due_of(received))
        name = protection.unseal(sealed, "cases.applicant_name") or ""
        rows.append(
            InboxRow(
                case_no,
                bundle,
                names.get(bundle, bundle_name),
                mode or "online",
                st,
                mask_name(name) if kind == "person" else name,
                received,
                due,
                st == CaseState.OPEN and due < today,
            )
        )
    return sorted(rows, key=lambda r: (r.due, r.received_at))


def waiting(db: Database, *, now: datetime | None = None) -> tuple[int, int]:
    """(online cases waiting for review, of which late): the counter's line, read every 30 s
    with one grouped query and no personal data unsealed."""
    require(db.actor, Operation.CASE_INBOX)
    today = clock.hall_day(now or clock.now())
    with db.read() as s:
        rows = s.execute(
            select(Case.received_at, func.count())
            .where(Case.channel == "online", Case.state == CaseState.OPEN)
            .group_by(Case.received_at)
        ).all()
    n = late = 0
    dues: dict[date, date] = {}
    for received, count in rows:
        if received is None:
            continue
        day = clock.hall_day(received)
        due = dues.get(day) or dues.setdefault(day, due_of(received))
        n += count
        late += count if due < today else 0
    return n, late


def unsent(db: Database, limit: int = 200) -> list[tuple[int, str, dict[str, Any]]]:
    """Reports owed to the platform, oldest first: (row id, the application's id, body)."""
    with db.read() as s:
        rows = s.execute(
            select(OnlineReport, Case.online_id)
            .join(Case, Case.id == OnlineReport.case_id)
            .where(OnlineReport.sent_at.is_(None))
            .order_by(OnlineReport.id)
            .limit(limit)
        ).all()
        return [
            (
                r.id,
                str(online_id),
                {"seq": r.seq, "state": r.state, "at": clock.iso(r.at)}
                | (json.loads(r.detail) if r.detail else {}),
            )
            for r, online_id in rows
        ]


def mark_sent(db: Database, report_id: int, now: datetime | None = None) -> None:
    with db.begin() as s:
        row = s.get(OnlineReport, report_id)
        if row is not None and row.sent_at is None:
            row.sent_at = now or clock.now()


def book_pickup(db: Database, case_no: str, *, now: datetime | None = None) -> dict | None:
    """网上申请、窗口取件: the pick-up at the hall for a concluded pickup-mode case, on the first
    free place of the bundle's service from the next working day; reported to the platform.
    Idempotent (the appointment carries ``pickup:<application id>``). None when the hall has
    no such service or no free place in its horizon (the clerk phones the citizen)."""
    from desk_app.store.appointment_models import Appointment
    from desk_app.store.models import Service

    now = now or clock.now()
    with db.read() as s:
        case = s.scalar(select(Case).where(Case.case_no == case_no))
        if case is None or case.online_mode != "pickup" or case.state != CaseState.CONCLUDED:
            return None
        done = s.scalar(
            select(OnlineReport).where(
                OnlineReport.case_id == case.id, OnlineReport.state == "pickup_booked"
            )
        )
        if done is not None:
            return json.loads(done.detail or "{}").get("pickup")
        ref = f"pickup:{case.online_id}"
        existing = s.scalar(select(Appointment).where(Appointment.online_ref == ref))
        service = s.scalar(select(Service).where(Service.code == case.bundle_code))
        p = {k: protection.unseal(getattr(case, k), f"cases.{k}") for k in ("applicant_name",
             "applicant_id_no", "applicant_phone")}  # fmt: skip
    pickup: dict[str, str] | None
    if existing is not None:
        pickup = {"date": existing.day.isoformat(), "start": _hhmm(existing.start_min)}
    elif service is None or case.applicant_kind != "person":
        return None
    else:
        pickup = _book_first_free(db, service.code, p, ref, now)
        if pickup is None:
            return None
    with db.begin() as s:
        fresh = s.get(Case, case.id, with_for_update=True)
        assert fresh is not None
        report(s, fresh, "pickup_booked", now, pickup=pickup)
    return pickup


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _book_first_free(
    db: Database, service: str, p: dict[str, str | None], ref: str, now: datetime
) -> dict[str, str] | None:
    from desk_app.services.appointments import booking

    cal = work_calendar()
    day = clock.hall_day(now)
    for _ in range(10):
        day = cal.add_workdays(day, 1).date
        try:
            free = [sl for sl in booking.slots(db, service, day) if sl.left > 0]
        except Refused:
            continue
        for sl in free:
            try:
                booking.book(
                    db,
                    service,
                    day,
                    _hhmm(sl.start),
                    p["applicant_name"] or "",
                    p["applicant_id_no"] or "",
                    phone=p["applicant_phone"],
                    online_ref=ref,
                    now=now,
                )
            except Refused:
                continue
            return {"date": day.isoformat(), "start": _hhmm(sl.start)}
    return None
