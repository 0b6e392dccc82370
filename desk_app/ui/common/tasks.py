"""Run service calls off the UI thread and come back with a result or an error.

One worker thread per screen runs the units of work in order (like Anki's single database
thread): a double click queues a second call instead of racing the first, and the UI never
waits on the database. Results come back through queued signals onto the UI thread.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Outcome:
    """One finished job. Signals carry this wrapper, never a bare None: PySide6 on Python 3.11
    under-counts references of None sent through queued ``object`` signals and eventually
    aborts with "deallocating None"."""

    __slots__ = ("callback", "value", "generation")

    def __init__(self, callback: Callable | None, value: Any, generation: int) -> None:
        self.callback = callback
        self.value = value
        self.generation = generation


class _Relay(QObject):
    done = Signal(object)  # _Outcome with the result
    failed = Signal(object)  # _Outcome with the exception


class _Job(QRunnable):
    def __init__(
        self,
        fn: Callable[[], Any],
        relay: _Relay,
        ok: Callable | None,
        err: Callable | None,
        generation: int,
    ) -> None:
        super().__init__()
        self.fn, self.relay, self.ok, self.err = fn, relay, ok, err
        self.generation = generation

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # noqa: BLE001 - handed to the UI's error callback
            if not _is_expected(exc):
                log.error("background task failed:\n%s", traceback.format_exc())
            self.relay.failed.emit(_Outcome(self.err, exc, self.generation))
        else:
            self.relay.done.emit(_Outcome(self.ok, result, self.generation))


def _is_expected(exc: Exception) -> bool:
    from desk_app.services.common.errors import Refused
    from desk_app.store.database import DatabaseUnavailable

    return isinstance(exc, Refused | DatabaseUnavailable)


class TaskRunner(QObject):
    """Submit callables; ``ok(result)`` or ``err(exception)`` is called on the UI thread."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay()
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)
        self._pending = 0
        # Raised by shutdown(): answers of work sent before it are not delivered (the screen
        # that asked is closing; a late answer must not restart its timers or touch it).
        self._generation = 0

    def submit(
        self,
        fn: Callable[[], Any],
        ok: Callable[[Any], None] | None = None,
        err: Callable[[Exception], None] | None = None,
    ) -> None:
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._pool.start(_Job(fn, self._relay, ok, err, self._generation))

    @property
    def pending(self) -> int:
        return self._pending

    def _finish(self) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)

    @Slot(object)
    def _on_done(self, outcome: _Outcome) -> None:
        self._finish()
        if outcome.callback is not None and outcome.generation == self._generation:
            outcome.callback(outcome.value)

    @Slot(object)
    def _on_failed(self, outcome: _Outcome) -> None:
        self._finish()
        if outcome.generation != self._generation:
            return
        if outcome.callback is not None:
            outcome.callback(outcome.value)
        else:
            log.warning("unhandled background error: %s", outcome.value)

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Wait for queued work (a call already sent must reach the database); its answers are
        then dropped. Work submitted afterwards (a panel opened again) is answered as usual."""
        self._pool.waitForDone(timeout_ms)
        self._generation += 1


_OPTION = re.compile(
    r"\s*[(（](?:--[a-z][a-z0-9-]*(?:\s+[A-Z][A-Z0-9_.-]*)?|[a-z]+(?: [a-z-]+)+)[)）]"
    r"|\s*--[a-z][a-z0-9-]*(?:\s+[A-Z][A-Z0-9_.-]*)?(?=[\s,.;:，。；：]|$)"
)


def screen_text(text: str) -> str:
    """A service's words as a screen shows them: without the command line's options
    ("不予受理须说明理由 (--reason)" -> "不予受理须说明理由")."""
    return _OPTION.sub("", text).strip()


def user_message(exc: Exception) -> str:
    """What to show staff for an error, in the screen's language: the reason and what to do."""
    from desk_app.services.common.errors import Refused
    from desk_app.store.database import DatabaseUnavailable
    from desk_app.ui.common.i18n import is_english

    english = is_english()
    if isinstance(exc, Refused):
        return screen_text(exc.en if english and exc.en else exc.zh)
    if isinstance(exc, DatabaseUnavailable):
        parts = str(exc).split(" / ")
        if english:
            return (
                "Cannot reach the hall's database. Check the network and the database server "
                "and try again; if it persists, tell the supervisor.\n" + parts[-1]
            )
        return (
            "无法连接大厅数据库。请检查网络和数据库服务器, 稍后再试; 如持续出现请联系值班长。\n"
            + parts[0]
        )
    if english:
        return (
            f"The action failed: {type(exc).__name__}. Try again; if it persists, tell the "
            "system administrator."
        )
    return f"操作失败: {type(exc).__name__}。请重试; 如持续出现请联系系统管理员。"
