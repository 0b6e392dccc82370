"""The supervisor's screen (值班长): the live hall refreshed every second, the alerts with their
acknowledgement, the statistics with charts and exports, 好差评 follow-up and the reform's figures.

The live view and alerts poll on their own worker thread, the statistics and actions on another,
so a year's figures being computed never holds up the live hall.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain import clock
from desk_app.domain.tickets import TicketState
from desk_app.domain.windows import WindowState
from desk_app.services.supervision import alerts as alert_service
from desk_app.services.supervision import live_hall
from desk_app.store import Database
from desk_app.ui.common import theme
from desk_app.ui.common.tasks import TaskRunner, user_message
from desk_app.ui.supervisor.catalog import CatalogPage
from desk_app.ui.supervisor.reviews import EvaluationsPage, ReformPage
from desk_app.ui.supervisor.stats import StatsPage
from desk_app.ui.supervisor.tables import duration, fill_row, table
from desk_app.ui.supervisor.workorders import WorkOrdersPage


class LivePage(QWidget):
    """Per service and per window, now."""

    def __init__(self) -> None:
        super().__init__()
        self.services = table(
            [self.tr("业务"), self.tr("等候人数"), self.tr("最长等候"), self.tr("今日办结"),
             self.tr("今日过号")], stretch=0,
        )  # fmt: skip
        self.windows = table(
            [self.tr("窗口"), self.tr("状态"), self.tr("工作人员"), self.tr("当前号"),
             self.tr("办理时长"), self.tr("暂停时长"), self.tr("今日办结")], stretch=2,
        )  # fmt: skip
        split = QSplitter(Qt.Orientation.Horizontal)
        for title, widget in (
            (self.tr("各业务"), self.services),
            (self.tr("各窗口"), self.windows),
        ):
            box = QWidget()
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            label = QLabel(title)
            label.setStyleSheet(f"font-weight: bold; color: {theme.PRIMARY}; font-size: 13pt;")
            lay.addWidget(label)
            lay.addWidget(widget)
            split.addWidget(box)
        split.setSizes([640, 760])
        lay = QVBoxLayout(self)
        lay.addWidget(split)

    def show_hall(self, hall: live_hall.LiveHall, wait_limit_s: int, factor: int) -> None:
        states = {"open": self.tr("办理中"), "paused": self.tr("暂停"), "closed": self.tr("未登录")}
        self.services.setRowCount(len(hall.services))
        for i, s in enumerate(hall.services):
            colour = theme.DANGER if s.longest_wait_s > wait_limit_s else None
            fill_row(
                self.services,
                i,
                [s.name, s.waiting, duration(s.longest_wait_s) if s.waiting else "",
                 s.served_today, s.no_shows_today],
                colour,
            )  # fmt: skip
        self.windows.setRowCount(len(hall.windows))
        for i, w in enumerate(hall.windows):
            colour = {"paused": theme.ACCENT, "closed": theme.MUTED}.get(w.state)
            slow = bool(
                w.current_state == TicketState.SERVING
                and w.median_service_s
                and (w.serving_s or 0) > factor * w.median_service_s
            )
            state = states[w.state]
            if w.state == WindowState.OPEN and w.current_state == TicketState.CALLED:
                state = self.tr("叫号中")
            fill_row(
                self.windows,
                i,
                [
                    w.number,
                    state,
                    w.staff_name or "",
                    w.current or "",
                    duration(w.serving_s),
                    duration(w.paused_s),
                    w.served_today,
                ],
                theme.DANGER if slow else colour,
            )


class AlertsPage(QWidget):
    """Alerts now, the unacknowledged first; acknowledge the selected one with a note."""

    acknowledge = Signal(str, str)  # alert id, note

    def __init__(self) -> None:
        super().__init__()
        self.alerts: list[alert_service.Alert] = []
        self.table = table(
            [self.tr("状态"), self.tr("告警"), self.tr("类型"), self.tr("处理说明")], stretch=1
        )
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("处理说明（必填），例如：已增开 3 号窗口"))
        self.ack_button = QPushButton(self.tr("确认告警 (Ctrl+K)"))
        self.ack_button.setProperty("primary", True)
        self.ack_button.clicked.connect(self._ack)
        self.status = QLabel()
        # A standing set-up fault above the alerts (not one to acknowledge): the QR codes
        # printed on tickets and receipts point at the example domain.
        self.setup_warning = QLabel()
        self.setup_warning.setWordWrap(True)
        self.setup_warning.setStyleSheet(
            f"color: {theme.DANGER}; border: 1px solid {theme.DANGER}; border-radius: 6px;"
            " padding: 6px; background: white;"
        )
        self.setup_warning.setVisible(False)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.ack_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.setup_warning)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        lay.addWidget(self.status)
        QShortcut(QKeySequence("Ctrl+K"), self, self._ack)

    def _kind(self, kind: str) -> str:
        """What sort of alert it is, in words (its id is an internal key, never shown)."""
        return {
            "waiting": self.tr("等候人数"),
            "long_wait": self.tr("等候时长"),
            "slow_service": self.tr("办理过慢"),
            "paused": self.tr("暂停过久"),
            "dead_letters": self.tr("同步失败"),
            "follow_up_overdue": self.tr("回访逾期"),
            "device": self.tr("设备故障"),
            "workorder_overdue": self.tr("工单逾期"),
        }.get(kind, kind)

    @property
    def open_count(self) -> int:
        return sum(1 for a in self.alerts if not a.acked)

    def show_alerts(self, found: list[alert_service.Alert]) -> None:
        selected = self.selected_id()
        self.alerts = found
        english = self.tr("告警") != "告警"  # the service words each alert in both languages
        self.table.setRowCount(len(found))
        for i, a in enumerate(found):
            fill_row(
                self.table,
                i,
                [self.tr("已确认") if a.acked else self.tr("待处理"),
                 a.message_en if english else a.message_zh, self._kind(a.kind),
                 a.ack_note or ""],
                theme.MUTED if a.acked else theme.DANGER,
            )  # fmt: skip
            if a.id == selected:
                self.table.selectRow(i)

    def show_setup(self, example_url: str | None) -> None:
        if example_url:
            self.setup_warning.setText(
                self.tr(
                    "进度查询地址仍是示例（%1）：号票和回执上的二维码无法打开。"
                    "请管理员在本厅设置中填写真实的进度查询地址。"
                ).replace("%1", example_url)
            )
        self.setup_warning.setVisible(bool(example_url))

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.alerts):
            return None
        return self.alerts[rows[0].row()].id

    def _ack(self) -> None:
        alert_id = self.selected_id()
        if alert_id is None:
            first_open = next((a for a in self.alerts if not a.acked), None)
            alert_id = first_open.id if first_open else None
        if alert_id is None:
            self.status.setText(self.tr("请先选择一条告警。"))
            return
        if not self.note.text().strip():
            self.status.setText(self.tr("请填写处理说明。"))
            self.note.setFocus()
            return
        self.acknowledge.emit(alert_id, self.note.text().strip())
        self.note.clear()


class SupervisorWindow(QMainWindow):
    """The supervisor's main window."""

    refreshed = Signal(object)  # LiveHall, after each refresh

    def __init__(self, db: Database, *, refresh_ms: int = 1000) -> None:
        super().__init__()
        self.db = db
        self.live_runner = TaskRunner(self)
        self.work_runner = TaskRunner(self)
        self._refreshing = False
        self._wait_limit_s = 20 * 60
        self._factor = 3
        self.setWindowTitle(self.tr("值班长 · 高效办成一件事"))
        who = db.actor.code if db.actor else ""
        self.title = QLabel(self.tr("值班长工作台"))
        self.title.setStyleSheet(f"font-size: 18pt; font-weight: bold; color: {theme.PRIMARY};")
        self.summary = QLabel()
        self.summary.setStyleSheet("font-size: 13pt;")
        self.clock = QLabel()
        self.clock.setStyleSheet(f"color: {theme.MUTED};")
        self.user = QLabel(self.tr("登录：") + who)
        self.user.setStyleSheet(f"color: {theme.MUTED};")
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addSpacing(24)
        head.addWidget(self.summary, 1)
        head.addWidget(self.user)
        head.addSpacing(12)
        head.addWidget(self.clock)
        self.live = LivePage()
        self.alerts = AlertsPage()
        self.alerts.acknowledge.connect(self._acknowledge)
        self.stats = StatsPage(db, self.work_runner)
        self.evaluations = EvaluationsPage(db, self.work_runner)
        self.reform = ReformPage(db, self.work_runner)
        self.catalog = CatalogPage(db, self.work_runner)
        self.workorders = WorkOrdersPage(db, self.work_runner)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.live, self.tr("大厅实况 (F1)"))
        self.tabs.addTab(self.alerts, self.tr("告警 (F2)"))
        self.tabs.addTab(self.stats, self.tr("统计 (F3)"))
        self.tabs.addTab(self.evaluations, self.tr("好差评 (F4)"))
        self.tabs.addTab(self.reform, self.tr("改革成效 (F5)"))
        self.tabs.addTab(self.catalog, self.tr("目录维护 (F6)"))
        self.tabs.addTab(self.workorders, self.tr("12345 工单 (F7)"))
        self.tabs.currentChanged.connect(self._tab_changed)
        for i in range(7):
            QShortcut(QKeySequence(f"F{i + 1}"), self, lambda i=i: self.tabs.setCurrentIndex(i))
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {theme.DANGER};")
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.addLayout(head)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.error)
        self.setCentralWidget(body)
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def refresh(self) -> None:
        """Fetch the live hall and its alerts off the UI thread; a refresh still running is not
        queued a second time."""
        self.clock.setText(clock.local(clock.now()).strftime("%Y-%m-%d %H:%M:%S"))
        if self._refreshing:
            return
        self._refreshing = True
        db = self.db
        self.live_runner.submit(lambda: alert_service.watch(db), self._show, self._failed)

    def _show(self, seen: alert_service.Watch) -> None:
        self._refreshing = False
        hall = seen.hall
        self._wait_limit_s, self._factor = seen.wait_limit_s, seen.service_factor
        self.error.clear()
        self.live.show_hall(hall, self._wait_limit_s, self._factor)
        self.alerts.show_alerts(seen.alerts)
        self.alerts.show_setup(seen.example_url)
        n = self.alerts.open_count
        self.tabs.setTabText(
            1, self.tr("告警 %1 (F2)").replace("%1", str(n)) if n else self.tr("告警 (F2)")
        )
        open_windows = sum(1 for w in hall.windows if w.state != WindowState.CLOSED)
        self.summary.setText(
            self.tr("等候 %1 人 · 今日办结 %2 · 开放窗口 %3/%4 · 待处理告警 %5")
            .replace("%1", str(hall.waiting))
            .replace("%2", str(hall.served_today))
            .replace("%3", str(open_windows))
            .replace("%4", str(len(hall.windows)))
            .replace("%5", str(n))
        )
        self.refreshed.emit(hall)

    def _failed(self, exc: Exception) -> None:
        self._refreshing = False
        self.error.setText(user_message(exc))

    def _acknowledge(self, alert_id: str, note: str) -> None:
        db = self.db
        self.work_runner.submit(
            lambda: alert_service.acknowledge(db, alert_id, note),
            lambda _a: self._acked(alert_id),
            lambda exc: self.alerts.status.setText(user_message(exc)),
        )

    def _acked(self, alert_id: str) -> None:
        self.alerts.status.setText(self.tr("已确认：") + alert_id)
        self.refresh()

    def _tab_changed(self, index: int) -> None:
        page = self.tabs.widget(index)
        if page is not None and hasattr(page, "load_once"):
            page.load_once()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self._timer.stop()
        self.live_runner.shutdown()
        self.work_runner.shutdown()
        super().closeEvent(event)
