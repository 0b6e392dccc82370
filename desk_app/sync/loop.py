"""The one sync loop: ``desk-app sync run`` runs it in the foreground, the counter's GUI on a
background thread (``desk_app.sync.worker``). No Qt.

Each pass masks personal data past retention when the purge is due (at start, then every
``purge_every_s``), drains the outbox, checks the platform's copies of delivered files on the
same schedule (``desk_app.sync.files_reconcile``) and delivers the scanned files of
acknowledged cases (``desk_app.sync.files_sync``). A 401 stops the loop: the token is wrong
or revoked and retrying with it cannot help; the outbox status keeps the alert for the
indicator and ``sync status``. Any other failure (the database away for a moment, a bug in one pass) is
logged and the loop carries on after ``interval_s``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from desk_app.domain import clock
from desk_app.store import Database
from desk_app.sync import outbox
from desk_app.sync.client import CentralAuthError, CentralClient, CentralError
from desk_app.sync.files_reconcile import reconcile_files
from desk_app.sync.files_sync import FilesReport, deliver_files
from desk_app.sync.retention import check_days, purge_personal_data

log = logging.getLogger(__name__)

PURGE_EVERY_S = 3600.0  # personal data past retention is masked about once an hour
_SLICE_S = 0.2  # how often a foreground wait looks at a stop asked for by a signal


@dataclass(frozen=True)
class LoopResult:
    """What a whole run did, in the ``sync run`` JSON keys plus how it ended."""

    sent: int
    pending: int
    failed: int
    dead: int
    purged: int
    passes: int
    stopped_by: str  # "stop" (asked to) | "auth" (401: the token was refused)
    auth_error: str | None = None
    # The scanned files, summed over the passes (logged; ``sync run --once`` prints its own).
    files: FilesReport = FilesReport(0, 0, 0)

    def to_json(self) -> dict[str, int]:
        return {
            "sent": self.sent,
            "pending": self.pending,
            "failed": self.failed,
            "dead": self.dead,
        }


class SyncLoop:
    """Purge when due, drain, wait; until :meth:`stop` or a 401.

    ``monotonic`` drives the purge schedule and ``now`` the hall's clock (both injectable for
    tests). :meth:`stop` may be called from another thread or from a signal handler.
    """

    def __init__(
        self,
        db: Database,
        client: CentralClient,
        *,
        interval_s: float = 5.0,
        purge_every_s: float = PURGE_EVERY_S,
        retention_days: int | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = clock.now,
    ) -> None:
        self.db, self.client = db, client
        self.interval_s = max(0.0, interval_s)
        self.purge_every_s = purge_every_s
        self.retention_days = check_days(
            retention_days if retention_days is not None else client.config.retention_days
        )
        self._monotonic, self._now = monotonic, now
        self._next_purge: float | None = None  # None: purge on the first pass
        self._next_reconcile: float | None = None  # None: check on the first pass
        self._stop_asked = False  # a plain flag: safe to set from a signal handler
        self._wake = threading.Event()  # wakes a waiting loop at once when stopped by a thread
        self.passes = self.sent = self.failed = self.purged = 0
        self.files = FilesReport(0, 0, 0)
        self.anchor = "not sent"  # the last answer about the audit head (desk_app.sync.anchor)
        self.catalog = "not pulled"  # the last catalog pull (desk_app.sync.catalog_sync)

    def stop(self) -> None:
        """Ask the loop to end after the current pass (it never stops mid-transaction)."""
        self._stop_asked = True

    def stop_now(self) -> None:
        """:meth:`stop`, and wake a waiting loop (not from a signal handler: takes a lock)."""
        self.stop()
        self._wake.set()

    @property
    def stopping(self) -> bool:
        return self._stop_asked

    def purge_if_due(self) -> int:
        t = self._monotonic()
        if self._next_purge is not None and t < self._next_purge:
            return 0
        self._next_purge = t + self.purge_every_s
        report = purge_personal_data(self.db, self.retention_days, now=self._now())
        if report.purged:
            log.info("sync: masked personal data of %d cases past retention", report.purged)
        self.purged += report.purged
        return report.purged

    def reconcile_if_due(self) -> None:
        """The delivered files' check, on the purge's schedule (about hourly)."""
        t = self._monotonic()
        if self._next_reconcile is not None and t < self._next_reconcile:
            return
        self._next_reconcile = t + self.purge_every_s
        try:
            found = reconcile_files(self.db, self.client, now=self._now())
        except CentralAuthError:
            raise
        except CentralError as exc:
            log.warning("files reconcile failed: %s", exc)
            return
        if found.missing or found.mismatched:
            log.warning("files reconcile: %s", found.to_json())

    def one_pass(self) -> float:
        """Purge if due and drain; returns how long to wait before the next pass. Raises
        CentralAuthError on a 401."""
        self.purge_if_due()
        report = outbox.drain(self.db, self.client)
        # The platform's copies of delivered files checked, when due (desk_app.sync.files_reconcile).
        self.reconcile_if_due()
        # The scanned materials of the cases just acknowledged (and of earlier ones still owed).
        files = deliver_files(self.db, self.client, now=self._now())
        self.files = FilesReport(
            self.files.sent + files.sent,
            self.files.bytes + files.bytes,
            self.files.failed + files.failed,
        )
        try:  # 免证办: shared materials that stayed pending while the platform was away
            from desk_app.security.roles import SYSTEM_ACTOR
            from desk_app.sync import share_fetch

            share_fetch.fetch_pending(self.db.acting_as(SYSTEM_ACTOR), self.client)
        except CentralAuthError:
            raise
        except CentralError as exc:
            log.warning("shared materials not fetched: %s", exc)
        try:  # online applications and 12345 work orders in, their states out
            from desk_app.security.roles import SYSTEM_ACTOR
            from desk_app.sync import online_sync

            online_sync.exchange(self.db.acting_as(SYSTEM_ACTOR), self.client, now=self._now())
        except CentralAuthError:
            raise
        except CentralError as exc:
            log.warning("online applications and work orders not exchanged: %s", exc)
        try:  # online bookings in, check-ins and no-shows out
            from desk_app.sync import appointments_sync  # imported on use: a quick start

            appointments_sync.exchange(self.db, self.client, now=self._now())
        except CentralAuthError:
            raise
        except CentralError as exc:  # the cases went; the bookings try again next pass
            log.warning("appointments exchange failed: %s", exc)
        try:  # the audit trail's head, anchored outside the hall (desk_app.sync.anchor)
            from desk_app.sync import anchor

            self.anchor = anchor.send_head(self.db, self.client)
        except CentralAuthError:
            raise
        except CentralError as exc:
            log.warning("audit head not anchored: %s", exc)
        try:  # the platform's newest catalog package (desk_app.sync.catalog_sync)
            from desk_app.sync import catalog_sync

            self.catalog = catalog_sync.pull(self.db, self.client)["status"]
        except CentralAuthError:
            raise
        except CentralError as exc:
            log.warning("catalog not pulled: %s", exc)
        self.passes += 1
        self.sent += report.sent
        self.failed += report.failed
        if report.sent:
            log.info("sync: sent %d, pending %d", report.sent, report.pending)
        # More is due and the backend answers: go on at once rather than after the interval.
        return 0.1 if report.pending and report.sent and not report.failed else self.interval_s

    def run(self) -> LoopResult:
        """Run until stopped (returns ``stopped_by="stop"``) or refused (``"auth"``)."""
        while not self._stop_asked:
            wait = self.interval_s
            try:
                wait = self.one_pass()
            except CentralAuthError as exc:  # the caller reports it (exit 2, or the GUI's log)
                return self._result("auth", str(exc))
            except Exception:  # noqa: BLE001 - the loop must outlive a bad moment
                log.exception("sync pass failed")
            self._wait(wait)
        return self._result("stop")

    def _wait(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self._stop_asked:
            left = end - time.monotonic()
            if left <= 0:
                return
            self._wake.wait(min(left, _SLICE_S))

    def _result(self, how: str, error: str | None = None) -> LoopResult:
        st = outbox.status(self.db)
        return LoopResult(
            self.sent,
            st.pending,
            self.failed,
            st.dead,
            self.purged,
            self.passes,
            how,
            error,
            self.files,
        )
