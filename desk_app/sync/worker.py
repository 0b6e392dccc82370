"""The sync loop that runs beside the GUI (or in ``desk-app sync run``): off the UI thread."""

from __future__ import annotations

import logging
import threading
import time

from desk_app.store import Database
from desk_app.sync import outbox
from desk_app.sync.client import CentralAuthError, CentralClient

log = logging.getLogger(__name__)


class SyncLoop(threading.Thread):
    """Drains the outbox every ``interval_s`` until stopped. A 401 pauses it for
    ``auth_pause_s`` (the status shows the alert) instead of hammering the backend."""

    PURGE_EVERY_S = 3600.0  # personal data past retention is masked about once an hour

    def __init__(
        self,
        db: Database,
        client: CentralClient,
        *,
        interval_s: float = 5.0,
        auth_pause_s: float = 300.0,
    ) -> None:
        super().__init__(name="desk-app-sync", daemon=True)
        self.db, self.client = db, client
        self.interval_s, self.auth_pause_s = interval_s, auth_pause_s
        self._halt = threading.Event()

    def run(self) -> None:
        next_purge = 0.0
        while not self._halt.is_set():
            wait = self.interval_s
            try:
                if time.monotonic() >= next_purge:
                    next_purge = time.monotonic() + self.PURGE_EVERY_S
                    purged = outbox.purge_personal_data(self.db, self.client.config.retention_days)
                    if purged:
                        log.info("sync: masked personal data of %d acknowledged cases", purged)
                report = outbox.drain(self.db, self.client)
                if report.sent:
                    log.info("sync: sent %d, pending %d", report.sent, report.pending)
            except CentralAuthError as exc:
                log.error("sync stopped: %s", exc)
                wait = self.auth_pause_s
            except Exception:  # noqa: BLE001 - the loop must outlive a bad moment
                log.exception("sync pass failed")
            self._halt.wait(wait)

    def stop(self, timeout: float = 10.0) -> None:
        self._halt.set()
        self.join(timeout)
