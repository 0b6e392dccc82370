"""The platform's copies of the delivered files checked against the hall's SHA-256:
``reconcile_files``, run by ``desk-app sync run --once`` before the delivery.

A file marked delivered here may still be missing on the platform (a platform restored from an
older backup) or held there under another SHA-256 (another file announced with this id). Each
run asks (``GET ...?with_sha256=true``) about at most ``LIMIT`` delivered files whose content
is still here, the least recently checked first, so a hall's whole retention period is
covered over the runs without one run asking about thousands. A file the platform lacks, holds
in part, or holds with another SHA-256 is marked undelivered and sent again by the delivery
that follows (from where the platform is; a different complete file answers 409 ``conflict``
and becomes a dead letter for a person to settle: desk_app.sync.files_sync).

Logs name the file's id and the finding only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from desk_app.domain import clock
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.store import Database
from desk_app.store.case_models import CaseFile
from desk_app.sync.client import CentralAuthError, CentralClient, CentralError
from desk_app.sync.files_sync import file_path

log = logging.getLogger(__name__)

LIMIT = 200  # files asked about in one run


@dataclass(frozen=True)
class ReconcileReport:
    """Files asked about, found missing or incomplete, found with another SHA-256."""

    checked: int
    missing: int
    mismatched: int

    def to_json(self) -> dict[str, int]:
        return {"checked": self.checked, "missing": self.missing, "mismatched": self.mismatched}


def _finding(client: CentralClient, row: CaseFile) -> str:
    """``ok``, ``missing`` (or incomplete) or ``mismatched``; CentralError when unanswered."""
    resp = client.call("GET", file_path(row), params={"with_sha256": "true"})
    if resp.status_code == 404:
        return "missing"
    try:
        body = resp.json()
    except ValueError:
        body = None
    if resp.status_code != 200 or not isinstance(body, dict):
        raise CentralError(f"HTTP {resp.status_code}: unexpected answer")
    if not body.get("complete"):
        return "missing"
    held = body.get("sha256")
    if isinstance(held, str) and held.lower() != row.sha256:
        return "mismatched"
    return "ok"


def reconcile_files(
    db: Database, client: CentralClient, *, limit: int = LIMIT, now: datetime | None = None
) -> ReconcileReport:
    """Check up to ``limit`` delivered files on the platform; re-queue those it lacks or holds
    differently. Stops at the first unanswered request (the rest wait for the next run);
    CentralAuthError on a 401."""
    require(db.actor, Operation.SYNC_RUN)
    at = now or clock.now()
    with db.read() as s:
        rows = list(
            s.scalars(
                select(CaseFile)
                .where(CaseFile.delivered_at.is_not(None), CaseFile.content.is_not(None))
                .order_by(CaseFile.checked_at.is_not(None), CaseFile.checked_at, CaseFile.id)
                .limit(limit)
            )
        )
        s.expunge_all()
    found: dict[int, str] = {}
    for row in rows:
        try:
            found[row.id] = _finding(client, row)
        except CentralAuthError:
            raise
        except CentralError as exc:
            log.info("files reconcile: stopped at file %d: %s", row.id, str(exc)[:200])
            break
    with db.begin() as s:
        for file_id, finding in found.items():
            held = s.get(CaseFile, file_id)
            if held is None or held.delivered_at is None:
                continue
            held.checked_at = at
            if finding != "ok":
                log.warning("file %d: the platform's copy is %s: sent again", file_id, finding)
                held.delivered_at, held.attempts, held.next_attempt_at = None, 0, None
    missing = sum(1 for f in found.values() if f == "missing")
    mismatched = sum(1 for f in found.values() if f == "mismatched")
    return ReconcileReport(len(found), missing, mismatched)
