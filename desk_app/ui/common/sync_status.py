"""The sync indicator shown on every staff screen: backlog, last success, alerts, or that no
central backend is configured (then concluded cases stay on this PC and nothing is green)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from desk_app.store import Database
from desk_app.sync import outbox
from desk_app.sync.config import SyncConfig, SyncConfigError
from desk_app.sync.views import SyncStatus
from desk_app.ui.common import theme
from desk_app.ui.common.tasks import TaskRunner


class SyncIndicator(QLabel):
    """Reads the outbox status every few seconds on a worker thread. ``configured``: whether
    a central backend is set up (default: as the app's sync loop reads it, from the
    environment)."""

    def __init__(
        self,
        db: Database,
        *,
        interval_ms: int = 5000,
        configured: bool | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.configured = _backend_configured() if configured is None else configured
        self.status: SyncStatus | None = None
        self.runner = TaskRunner(self)
        self._busy = False
        self.setText(self.tr("同步：…"))
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(interval_ms)
        self.refresh()

    def mousePressEvent(self, event: Any) -> None:  # noqa: N802
        """A click opens the dead letters (the supervisor decides what to do with them)."""
        from desk_app.ui.common.dead_letters import DeadLetterDialog

        self.dialog = DeadLetterDialog(self.db, self)
        self.dialog.show()

    def refresh(self) -> None:
        if self._busy:
            return
        self._busy = True
        self.runner.submit(lambda: outbox.status(self.db), self._show, self._failed)

    def _failed(self, _exc: Exception) -> None:
        self._busy = False

    def _show(self, st: SyncStatus) -> None:
        self._busy = False
        self.status = st
        last = (st.last_success or "")[11:16] or self.tr("无")
        text = (
            self.tr("同步：待发 %1 · 上次成功 %2")
            .replace("%1", str(st.pending))
            .replace("%2", last)
        )
        color = theme.OK
        if not self.configured:
            text = self.tr("同步：未配置中心平台")
            if st.pending:
                text += self.tr(" · 本机待发 %1").replace("%1", str(st.pending))
            color = theme.MUTED
        if st.dead:
            text += self.tr(" · 失败 %1").replace("%1", str(st.dead))
            color = theme.ACCENT
        if st.auth_failed:
            text = self.tr("同步已停止：中心平台拒绝本机令牌，请联系管理员")
            color = theme.DANGER
        elif st.pending and st.last_error:
            color = theme.ACCENT
        self.setText(text)
        self.setToolTip(st.last_error or "")
        self.setStyleSheet(f"color: {color}; font-size: 11pt;")


def _backend_configured() -> bool:
    try:
        return SyncConfig.from_env().configured
    except SyncConfigError:
        return True  # configured, wrongly: the log says why nothing is sent
