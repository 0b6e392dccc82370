"""The calls of 免证办: each shared material of a case is asked of the platform's sharing gateway
(``POST /api/v1/share/{resource}``, docs/central-api.md) and the answer recorded by
desk_app/services/cases/sharing.py.

What an answer means for the material:

- 200: fetched (the fields, and the e-licence PDF for a licence resource);
- 404 ``no_record``: the department has nothing for the applicant: to hand in;
- 503 and other server errors, 408/429, a 404 for an unknown resource, 403, 422: the interface
  failed or refused: to hand in, and the clerk may retry;
- no answer at all (refused connection, timeout, a dropped response, no platform configured):
  offline; the material stays pending and is fetched later, by the next open of the case or by
  the background sync (:func:`fetch_pending`).

The calls of one case go out together on a few threads (the time from opening to everything
shown is one round trip, not one per material); the answers are recorded on the calling
thread, one small transaction each. The subject's ID travels only in the POST body over the
configured (TLS) connection; nothing here logs it, a name or a field.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from desk_app.services.cases import sharing
from desk_app.services.cases.sharing import ShareJob, ShareOutcome
from desk_app.store import Database
from desk_app.sync.client import (
    CentralAuthError,
    CentralClient,
    CentralError,
    CentralServerError,
)

log = logging.getLogger(__name__)

PATH = "/api/v1/share/{resource}"
WORKERS = 4
SHARE_TIMEOUT_S = 10.0
MAX_PENDING = 200  # per background pass


@dataclass
class FetchReport:
    fetched: int = 0
    no_record: int = 0
    failed: int = 0
    offline: int = 0
    states: dict[str, str] = field(default_factory=dict)  # "CASE/material" -> share state

    def to_json(self) -> dict[str, int]:
        return {
            "fetched": self.fetched,
            "no_record": self.no_record,
            "failed": self.failed,
            "offline": self.offline,
        }


def client_maker() -> Callable[[], CentralClient]:
    """Makes this PC's platform client (one per calling thread) from the environment; with no
    platform configured the maker raises CentralError and every material stays pending."""
    from desk_app.sync.config import SyncConfig, SyncConfigError

    def make() -> CentralClient:
        try:
            config = SyncConfig.from_env()
            # A department that hangs keeps a material "to fetch" for this long at most.
            timeout = min(config.read_timeout_s, SHARE_TIMEOUT_S)
            return CentralClient(dataclasses.replace(config, read_timeout_s=timeout))
        except SyncConfigError as exc:
            raise CentralError(str(exc)) from None

    return make


def ask(client: CentralClient, job: ShareJob) -> ShareOutcome:
    """One call for ``job`` and what it means (never raises for the platform's answers)."""
    body = {
        "subject": {"kind": job.subject_kind, "id": job.subject_id},
        "case": str(job.case_id),
        "purpose": job.purpose,
        "material": job.material,
    }
    t0 = time.perf_counter()

    def took() -> int:
        return int((time.perf_counter() - t0) * 1000)

    try:
        resp = client.call("POST", PATH.format(resource=job.resource), json=body)
    except CentralAuthError:
        return ShareOutcome("failed", took(), 401, "refused")
    except CentralServerError as exc:
        return ShareOutcome("failed", took(), exc.status, "unavailable")
    except CentralError:  # not reached: stays pending (the text is scrubbed, names no one)
        return ShareOutcome("offline", took())
    status = resp.status_code
    if status == 200:
        try:
            return _fetched(resp.json(), took())
        except (ValueError, KeyError, TypeError):
            log.warning("sharing: unusable answer for %s", job.resource)
            return ShareOutcome("failed", took(), status, "unavailable")
    error = ""
    with contextlib.suppress(ValueError, AttributeError):
        error = str(resp.json().get("error") or "")
    if status == 404 and error == "no_record":
        return ShareOutcome("no_record", took(), status, "no_record")
    log.warning("sharing: %s refused (HTTP %d %s)", job.resource, status, error or "-")
    return ShareOutcome("failed", took(), status, "refused")


def _fetched(body: dict[str, Any], ms: int) -> ShareOutcome:
    fields = [
        {"key": str(f["key"]), "label": str(f.get("label") or f["key"]), "value": f.get("value")}
        for f in body["fields"]
    ]
    licence = body.get("licence")
    pdf = None
    if licence:
        pdf = base64.b64decode(licence.get("pdf_base64") or "", validate=True) or None
        if pdf is not None and not pdf.startswith(b"%PDF"):
            raise ValueError("the e-licence is not a PDF")
        licence = {k: licence.get(k) for k in ("number", "verification_code", "issued")}
    return ShareOutcome("ok", ms, 200, None, fields, licence, pdf)


def fetch(
    db: Database,
    jobs: list[ShareJob],
    make_client: Callable[[], CentralClient],
    *,
    workers: int = WORKERS,
) -> FetchReport:
    """Ask for every job (``workers`` at a time, one client each) and record each answer."""
    report = FetchReport()
    if not jobs:
        return report
    pool_size = max(1, min(workers, len(jobs)))
    try:
        clients = [make_client() for _ in range(pool_size)]
    except CentralError:  # no platform configured here: nothing asked, everything pending
        report.offline = len(jobs)
        for job in jobs:
            report.states[f"{job.case_no}/{job.material}"] = "pending"
        return report
    with ThreadPoolExecutor(pool_size, thread_name_prefix="share") as pool:
        futures = [
            (job, pool.submit(ask, clients[i % pool_size], job)) for i, job in enumerate(jobs)
        ]
        for job, fut in futures:
            outcome = fut.result()
            if outcome.outcome == "offline":  # no answer: nothing to record, still pending
                report.offline += 1
                report.states[f"{job.case_no}/{job.material}"] = "pending"
                continue
            state = sharing.record(db, job, outcome)
            report.states[f"{job.case_no}/{job.material}"] = state
            kind = {"ok": "fetched"}.get(outcome.outcome, outcome.outcome)
            setattr(report, kind, getattr(report, kind) + 1)
    log.info("sharing: %s", report.to_json())
    return report


def fetch_case(
    db: Database, make_client: Callable[[], CentralClient], case_no: str, *, retry: bool = False
) -> FetchReport:
    """``case share CASE [--retry]`` and the case dialog: the case's pending shared materials
    (and with ``retry`` those that had no record or failed)."""
    return fetch(db, sharing.jobs(db, case_no, retry=retry), make_client)


def fetch_pending(db: Database, client: CentralClient) -> FetchReport:
    """The background catch-up (the sync loop, ``sync run``): what stayed pending while the
    platform was out of reach, one call at a time on the loop's own client; it stops at the
    first call that gets no answer (the platform is still away: the next pass tries again)."""
    report = FetchReport()
    for job in sharing.jobs(db, limit=MAX_PENDING):
        outcome = ask(client, job)
        if outcome.outcome == "offline":
            report.offline += 1
            break
        state = sharing.record(db, job, outcome)
        report.states[f"{job.case_no}/{job.material}"] = state
        kind = {"ok": "fetched"}.get(outcome.outcome, outcome.outcome)
        setattr(report, kind, getattr(report, kind) + 1)
    return report
