"""The sync loop beside the GUI: the same :class:`~desk_app.sync.loop.SyncLoop` as
``desk-app sync run``, on a daemon thread so the UI never waits for the network."""

from __future__ import annotations

import logging
import threading

from desk_app.sync.loop import LoopResult, SyncLoop

log = logging.getLogger(__name__)


class SyncThread(threading.Thread):
    """Runs one :class:`SyncLoop` until :meth:`stop` or a 401 (then the outbox status carries
    the alert the indicator shows, and the thread ends)."""

    def __init__(self, loop: SyncLoop) -> None:
        super().__init__(name="desk-app-sync", daemon=True)
        self.loop = loop
        self.result: LoopResult | None = None

    def run(self) -> None:
        try:
            self.result = self.loop.run()
            if self.result.stopped_by == "auth":
                log.error("sync stopped: %s", self.result.auth_error)
        except Exception:  # noqa: BLE001 - e.g. the database gone at exit: log, end quietly
            log.exception("sync loop ended")

    def stop(self, timeout: float = 10.0) -> None:
        self.loop.stop_now()
        self.join(timeout)
