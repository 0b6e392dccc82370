"""The scanned materials of delivered cases go to the platform: ``deliver_files``, run by
``desk-app sync run`` and the background loop right after the cases' upload.

A file (``case_files``, one sealed PDF per attach) waits until the platform has acknowledged its
case (the outbox row ``sent``), then goes in chunks to ``PUT /api/v1/cases/{uuid}/files/{id}``
(docs/central-api.md, "Case files"). The platform keeps what arrived and says how much
(``received``); the hall keeps nothing of an upload in progress. So:

- a run first asks (``GET``) how much the platform holds and sends only the rest: a run killed
  at any point, or one whose answers were lost, resumes where the platform is, and a file the
  platform completed before the kill is only marked;
- ``delivered_at`` is set, one transaction per file, only after the platform answered
  ``complete`` (it checked the SHA-256), so nothing is skipped; the platform acknowledges a chunk
  it holds and a complete file without change, so nothing is doubled in effect;
- a network failure, a 5xx, a 408 or a 429 is retried a few times in the run (asking where to go
  on), then the file waits; after several files in a row fail so, the platform is taken to be
  away and the run stops (the files not tried are not charged); a 401 stops everything
  (CentralAuthError), as for the cases;
- a file that failed waits before its next try: the first failure none (the next run), then
  exponential backoff with full jitter (the sync configuration's base and cap, as for the
  cases), kept in the file's row (``attempts``, ``next_attempt_at``) so a restarted process does
  not hammer the platform;
- a refusal (a 4xx: 422 ``checksum_mismatch``, the platform discarded the bytes and starts the
  file from 0; 404, the platform lacks the case; 413, 403...) counts in ``refusals``; after
  ``DEAD_AFTER`` refusals in a row the file is a dead letter (``dead_at``, ``last_error``):
  never tried again until ``sync retry --file ID``, shown by ``sync status`` and ``sync dead``
  and raising the supervisor's ``dead_letters`` alert. A 409 ``conflict`` (the platform holds a
  different file under this id: sending again cannot change it) and a PDF that no longer matches
  its own SHA-256 here (altered at rest: never sent) are dead at once.

Logs and ``last_error`` name the file's id, sizes and the platform's answer codes: never a name,
an ID number or the file's content.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, or_, select

from desk_app.domain import clock
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.cases.files import file_for_upload
from desk_app.services.common.errors import Refused
from desk_app.store import Database
from desk_app.store.case_models import Case, CaseFile, SyncOutbox
from desk_app.sync.client import CentralAuthError, CentralClient, CentralError
from desk_app.sync.outbox import backoff

log = logging.getLogger(__name__)

PATH = "/api/v1/cases/{case}/files/{file}"
CHUNK = 256 * 1024
MAX_CHUNK = 1024 * 1024  # the platform's limit per request
ACKNOWLEDGED = "sent"  # the outbox state of a case the platform holds (desk_app.sync.outbox)
TRIES_PER_FILE = 3  # network failures on one file in one run before it waits for the next
AWAY_AFTER = 5  # files in a row failing on the network: the platform is away, end the run
DEAD_AFTER = 5  # refusals in a row (a 4xx) before a file is a dead letter


@dataclass(frozen=True)
class FilesReport:
    """What a run did: files completed, bytes the platform took, files left for another run."""

    sent: int
    bytes: int
    failed: int

    def to_json(self) -> dict[str, int]:
        return {"sent": self.sent, "bytes": self.bytes, "failed": self.failed}


@dataclass(frozen=True)
class DeadFile:
    """A file the platform refused for good (or altered at rest): a person settles it."""

    id: int
    case_no: str
    material: str
    reason: str | None
    refusals: int
    dead_at: str | None  # ISO-8601

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.id,
            "case_no": self.case_no,
            "material": self.material,
            "reason": self.reason,
            "refusals": self.refusals,
            "dead_at": self.dead_at,
        }


class FileRefused(Exception):
    """The platform answered, and not with progress: the file waits for the next run."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__(f"HTTP {status} {code}")
        self.status, self.code = status, code

    @property
    def permanent(self) -> bool:
        """A refusal of the file itself (a 4xx), not an odd answer that may pass."""
        return 400 <= self.status < 500


def pending_files(db: Database, now: datetime | None = None) -> list[int]:
    """Ids of the files to deliver: not delivered, not purged, not dead, their case
    acknowledged, and (with ``now``) not waiting out a backoff."""
    acknowledged = exists().where(
        SyncOutbox.case_id == CaseFile.case_id, SyncOutbox.state == ACKNOWLEDGED
    )
    due = (
        [or_(CaseFile.next_attempt_at.is_(None), CaseFile.next_attempt_at <= now)]
        if now is not None
        else []
    )
    with db.read() as s:
        return list(
            s.scalars(
                select(CaseFile.id)
                .where(
                    CaseFile.delivered_at.is_(None),
                    CaseFile.purged_at.is_(None),
                    CaseFile.dead_at.is_(None),
                    CaseFile.content.is_not(None),
                    acknowledged,
                    *due,
                )
                .order_by(CaseFile.id)
            )
        )


def _body(resp: Any) -> dict[str, Any]:
    try:
        body = resp.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


class Upload:
    """One file's way to the platform in one run; ``sent`` counts the bytes it took."""

    def __init__(self, client: CentralClient, row: CaseFile, pdf: bytes, chunk: int) -> None:
        self.client, self.pdf, self.chunk = client, pdf, chunk
        self.path = file_path(row)
        self.meta = {
            "total": len(pdf),
            "sha256": row.sha256,
            "material": row.material_code,
            "pages": row.pages,
        }
        self.sent = 0

    def held(self) -> int | None:
        """Bytes the platform holds (0 when it has none), None when it has the whole file;
        a 409 ``conflict`` when the whole it holds has another SHA-256."""
        resp = self.client.call("GET", self.path, params={"with_sha256": "true"})
        if resp.status_code == 404:
            return 0
        body = _body(resp)
        if resp.status_code != 200 or not isinstance(body.get("received"), int):
            raise FileRefused(resp.status_code, str(body.get("error", "unexpected answer")))
        if not body.get("complete"):
            return int(body["received"])
        held = body.get("sha256")
        if isinstance(held, str) and held.lower() != self.meta["sha256"]:
            raise FileRefused(409, "conflict")
        return None

    def run(self) -> None:
        """Send from where the platform is to the end; FileRefused unless it completes,
        CentralError when the network or the platform fails."""
        offset = self.held()
        # Every answer either moves forward or says where from: a bound against a loop.
        for _ in range(len(self.pdf) // self.chunk + 8):
            if offset is None:
                return
            if not 0 <= offset < len(self.pdf):
                raise FileRefused(200, f"received {offset} of {len(self.pdf)}")
            piece = self.pdf[offset : offset + self.chunk]
            resp = self.client.call(
                "PUT",
                self.path,
                params=self.meta | {"offset": offset},
                data=piece,
                headers={"Content-Type": "application/octet-stream"},
            )
            body = _body(resp)
            if resp.status_code == 200 and isinstance(body.get("received"), int):
                self.sent += len(piece)
                offset = None if body.get("complete") else int(body["received"])
            elif resp.status_code == 409 and body.get("error") == "gap":
                offset = int(body.get("received") or 0)
            else:
                raise FileRefused(resp.status_code, str(body.get("error", "unexpected answer")))
        raise FileRefused(200, "no progress")


def file_path(row: CaseFile) -> str:
    """The file's path on the platform (its case's uuid, the hall's id of the file)."""
    return PATH.format(case=row.case_id, file=row.id)


def _mark_delivered(db: Database, file_id: int, at: datetime) -> None:
    with db.begin() as s:
        row = s.get(CaseFile, file_id)
        if row is not None and row.delivered_at is None:
            row.delivered_at, row.checked_at = at, at
            row.attempts = row.refusals = 0
            row.next_attempt_at = row.last_error = None


def _mark_failed(
    db: Database,
    file_id: int,
    at: datetime,
    reason: str,
    *,
    refused: bool,
    dead: bool,
    waits: tuple[float, float],
) -> bool:
    """Record a failed run of the file: its next try after a backoff, a refusal counted, the
    dead letter when due. True when the file is dead now."""
    with db.begin() as s:
        row = s.get(CaseFile, file_id)
        if row is None or row.delivered_at is not None:
            return False
        row.attempts += 1
        row.refusals = row.refusals + 1 if refused else 0
        row.last_error = reason[:300]
        # The first failure waits for the next run only; then exponentially longer, jittered.
        delay = 0.0 if row.attempts <= 1 else backoff(row.attempts - 1, *waits)
        row.next_attempt_at = at + timedelta(seconds=delay)
        if dead or row.refusals >= DEAD_AFTER:
            row.dead_at = at
        return row.dead_at is not None


def _deliver(db: Database, upload: Upload, file_id: int, at: datetime) -> tuple[str, str]:
    """(``sent`` | ``refused`` | ``conflict`` | ``odd`` | ``network``, the reason)."""
    reason = ""
    for attempt in range(1, TRIES_PER_FILE + 1):
        try:
            upload.run()
        except CentralAuthError:
            raise
        except FileRefused as exc:
            log.warning("file %d refused by the platform (%s)", file_id, exc)
            if exc.status == 409 and exc.code == "conflict":
                return "conflict", f"{exc}: 中心已有同编号的不同文件 / the platform holds another"
            return ("refused" if exc.permanent else "odd"), str(exc)
        except CentralError as exc:
            reason = str(exc)[:200]
            log.info("file %d: try %d failed: %s", file_id, attempt, reason)
            continue
        _mark_delivered(db, file_id, at)
        return "sent", ""
    return "network", reason


def deliver_files(
    db: Database, client: CentralClient, *, chunk: int = CHUNK, now: datetime | None = None
) -> FilesReport:
    """Deliver every pending file (see the module's text). Raises CentralAuthError on a 401."""
    require(db.actor, Operation.SYNC_RUN)
    if not 0 < chunk <= MAX_CHUNK:
        raise ValueError(f"chunk: 1 to {MAX_CHUNK} bytes")
    at = now or clock.now()
    waits = (client.config.backoff_base_s, client.config.backoff_max_s)
    sent = nbytes = failed = away = 0
    pending = pending_files(db, at)
    for n, file_id in enumerate(pending):
        loaded = file_for_upload(db, file_id)
        if loaded is None:  # purged meanwhile
            continue
        row, pdf = loaded
        if len(pdf) != row.size or hashlib.sha256(pdf).hexdigest() != row.sha256:
            log.error("file %d: its PDF does not match its recorded size and SHA-256", file_id)
            reason = "本机文件与其 SHA-256 不符 / the PDF here does not match its SHA-256"
            _mark_failed(db, file_id, at, reason, refused=True, dead=True, waits=waits)
            failed += 1
            continue
        upload = Upload(client, row, pdf, chunk)
        outcome, reason = _deliver(db, upload, file_id, at)
        nbytes += upload.sent
        if outcome == "sent":
            sent, away = sent + 1, 0
            continue
        failed += 1
        refused = outcome in ("refused", "conflict")
        if _mark_failed(
            db, file_id, at, reason, refused=refused, dead=outcome == "conflict", waits=waits
        ):
            log.error("file %d is a dead letter: %s", file_id, reason)
        away = away + 1 if outcome == "network" else 0
        if away >= AWAY_AFTER:
            log.warning("files: the platform is away; %d wait for the next run", len(pending) - n)
            failed += len(pending) - n - 1
            break
    if sent or failed:
        log.info("files: %d delivered (%d bytes), %d wait", sent, nbytes, failed)
    return FilesReport(sent, nbytes, failed)


def dead_files(db: Database) -> list[DeadFile]:
    """The files refused for good, oldest first (``sync dead``)."""
    require(db.actor, Operation.SYNC_DEAD)
    with db.read() as s:
        rows = s.execute(
            select(
                CaseFile.id,
                Case.case_no,
                CaseFile.material_code,
                CaseFile.last_error,
                CaseFile.refusals,
                CaseFile.dead_at,
            )
            .join(Case, Case.id == CaseFile.case_id)
            .where(CaseFile.dead_at.is_not(None), CaseFile.delivered_at.is_(None))
            .order_by(CaseFile.id)
        ).all()
    return [DeadFile(i, no, m, r, n, clock.iso(d)) for i, no, m, r, n, d in rows]


def retry_dead_file(db: Database, file_id: int, *, now: datetime | None = None) -> None:
    """Send a dead file again on the next run (after the cause was settled)."""
    require(db.actor, Operation.SYNC_RETRY)
    with db.begin() as s:
        row = s.get(CaseFile, file_id)
        if row is None or row.dead_at is None or row.delivered_at is not None:
            raise Refused(f"没有失败的文件 {file_id}", f"no dead file {file_id}")
        row.dead_at, row.attempts, row.refusals = None, 0, 0
        row.next_attempt_at = now or clock.now()
