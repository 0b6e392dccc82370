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
- a network failure or a 5xx is retried a few times in the run (asking where to go on), then the
  file waits for the next run; after several files in a row fail so, the platform is taken to be
  away and the run stops; a 401 stops everything (CentralAuthError), as for the cases;
- a refusal (422 ``checksum_mismatch``: the platform discarded the bytes and starts the file
  from 0; 404: the platform lacks the case; 409 ``conflict``) is logged and the file tried again
  on the next run.

A PDF that no longer matches its own SHA-256 here is not sent (logged). Logs name the file's id,
sizes and the platform's answer codes: never a name, an ID number or the file's content.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select

from desk_app.domain import clock
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.cases.files import file_for_upload
from desk_app.store import Database
from desk_app.store.case_models import CaseFile, SyncOutbox
from desk_app.sync.client import CentralAuthError, CentralClient, CentralError

log = logging.getLogger(__name__)

PATH = "/api/v1/cases/{case}/files/{file}"
CHUNK = 256 * 1024
MAX_CHUNK = 1024 * 1024  # the platform's limit per request
ACKNOWLEDGED = "sent"  # the outbox state of a case the platform holds (desk_app.sync.outbox)
TRIES_PER_FILE = 3  # network failures on one file in one run before it waits for the next
AWAY_AFTER = 5  # files in a row failing on the network: the platform is away, end the run


@dataclass(frozen=True)
class FilesReport:
    """What a run did: files completed, bytes the platform took, files left for another run."""

    sent: int
    bytes: int
    failed: int

    def to_json(self) -> dict[str, int]:
        return {"sent": self.sent, "bytes": self.bytes, "failed": self.failed}


class FileRefused(Exception):
    """The platform answered, and not with progress: the file waits for the next run."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__(f"HTTP {status} {code}")
        self.status, self.code = status, code


def pending_files(db: Database) -> list[int]:
    """Ids of the files to deliver: not delivered, not purged, their case acknowledged."""
    acknowledged = exists().where(
        SyncOutbox.case_id == CaseFile.case_id, SyncOutbox.state == ACKNOWLEDGED
    )
    with db.read() as s:
        return list(
            s.scalars(
                select(CaseFile.id)
                .where(
                    CaseFile.delivered_at.is_(None),
                    CaseFile.purged_at.is_(None),
                    CaseFile.content.is_not(None),
                    acknowledged,
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


class _Upload:
    """One file's way to the platform in one run; ``sent`` counts the bytes it took."""

    def __init__(self, client: CentralClient, row: CaseFile, pdf: bytes, chunk: int) -> None:
        self.client, self.pdf, self.chunk = client, pdf, chunk
        self.path = PATH.format(case=row.case_id, file=row.id)
        self.meta = {
            "total": len(pdf),
            "sha256": row.sha256,
            "material": row.material_code,
            "pages": row.pages,
        }
        self.sent = 0

    def held(self) -> int | None:
        """Bytes the platform holds (0 when it has none), None when it has the whole file."""
        resp = self.client.call("GET", self.path)
        if resp.status_code == 404:
            return 0
        body = _body(resp)
        if resp.status_code != 200 or not isinstance(body.get("received"), int):
            raise FileRefused(resp.status_code, str(body.get("error", "unexpected answer")))
        return None if body.get("complete") else int(body["received"])

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


def _mark_delivered(db: Database, file_id: int, at: datetime) -> None:
    with db.begin() as s:
        row = s.get(CaseFile, file_id)
        if row is not None and row.delivered_at is None:
            row.delivered_at = at


def _deliver(db: Database, upload: _Upload, file_id: int, at: datetime | None) -> str:
    """``sent``, ``refused`` or ``network`` (the tries of this run used up)."""
    for attempt in range(1, TRIES_PER_FILE + 1):
        try:
            upload.run()
        except CentralAuthError:
            raise
        except FileRefused as exc:
            log.warning("file %d refused by the platform (%s): tried again next run", file_id, exc)
            return "refused"
        except CentralError as exc:
            log.info("file %d: try %d failed: %s", file_id, attempt, str(exc)[:200])
            continue
        _mark_delivered(db, file_id, at or clock.now())
        return "sent"
    return "network"


def deliver_files(
    db: Database, client: CentralClient, *, chunk: int = CHUNK, now: datetime | None = None
) -> FilesReport:
    """Deliver every pending file (see the module's text). Raises CentralAuthError on a 401."""
    require(db.actor, Operation.SYNC_RUN)
    if not 0 < chunk <= MAX_CHUNK:
        raise ValueError(f"chunk: 1 to {MAX_CHUNK} bytes")
    sent = nbytes = failed = away = 0
    pending = pending_files(db)
    for n, file_id in enumerate(pending):
        loaded = file_for_upload(db, file_id)
        if loaded is None:  # purged meanwhile
            continue
        row, pdf = loaded
        if len(pdf) != row.size or hashlib.sha256(pdf).hexdigest() != row.sha256:
            log.error("file %d: its PDF does not match its recorded size and SHA-256", file_id)
            failed += 1
            continue
        upload = _Upload(client, row, pdf, chunk)
        outcome = _deliver(db, upload, file_id, now)
        nbytes += upload.sent
        if outcome == "sent":
            sent, away = sent + 1, 0
            continue
        failed += 1
        away = away + 1 if outcome == "network" else 0
        if away >= AWAY_AFTER:
            log.warning("files: the platform is away; %d wait for the next run", len(pending) - n)
            failed += len(pending) - n - 1
            break
    if sent or failed:
        log.info("files: %d delivered (%d bytes), %d wait", sent, nbytes, failed)
    return FilesReport(sent, nbytes, failed)
