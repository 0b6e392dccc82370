"""The counter workstation (窗口): the current ticket, the actions with their keys, the queue.

Every action is one service call on the window's worker thread; the board (current ticket,
waiting list, today's work) is re-read every second, so calls from other windows and tickets from
the kiosks appear within a second. The whole screen works from the keyboard (F1-F9 match the
buttons, which show their key; hardware call-pads send the same keys).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain import clock
from desk_app.domain.tickets import TicketState
from desk_app.domain.windows import WindowState
from desk_app.services.common.dto import TicketInfo
from desk_app.services.hall import setup as hall
from desk_app.services.queue import boards
from desk_app.services.queue import operations as queue
from desk_app.services.queue.boards import CounterBoard
from desk_app.store import Database
from desk_app.ui.common import theme
from desk_app.ui.common.i18n import QT_TRANSLATE_NOOP
from desk_app.ui.common.kb_panel import KbButton
from desk_app.ui.common.paper import install_printer_choice
from desk_app.ui.common.tasks import TaskRunner, user_message
from desk_app.ui.counter import appointments as counter_appointments
from desk_app.ui.counter.models import ServedModel, WaitingModel, minutes, priority_label
from desk_app.ui.counter.transfer_dialog import TransferDialog

# action key -> (label, shortcut)
ACTIONS: dict[str, tuple[str, str]] = {
    "next": (QT_TRANSLATE_NOOP("CounterWindow", "叫下一位"), "F1"),
    "recall": (QT_TRANSLATE_NOOP("CounterWindow", "重呼"), "F2"),
    "no_show": (QT_TRANSLATE_NOOP("CounterWindow", "过号"), "F3"),
    "start": (QT_TRANSLATE_NOOP("CounterWindow", "开始办理"), "F4"),
    "complete": (QT_TRANSLATE_NOOP("CounterWindow", "办结"), "F5"),
    "hold": (QT_TRANSLATE_NOOP("CounterWindow", "挂起"), "F6"),
    "call_held": (QT_TRANSLATE_NOOP("CounterWindow", "回呼挂起号"), "F7"),
    "transfer": (QT_TRANSLATE_NOOP("CounterWindow", "转移"), "F8"),
    "pause": (QT_TRANSLATE_NOOP("CounterWindow", "暂停窗口"), "F9"),
    "case": (QT_TRANSLATE_NOOP("CounterWindow", "一件事办件"), "F10"),
    "find": (QT_TRANSLATE_NOOP("CounterWindow", "查找办件"), "Shift+F10"),
}


class CounterWindow(QWidget):
    """One window's workstation. The window session is already open (see login)."""

    board_updated = Signal(object)  # CounterBoard, after each refresh
    action_failed = Signal(str)  # the message shown to staff

    def __init__(
        self,
        db: Database,
        window: int,
        *,
        refresh_ms: int = 1000,
        document_dir: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.document_dir = document_dir  # where case documents go without a printer
        self.case_dialog: QWidget | None = None
        self.window_number = window
        self.board: CounterBoard | None = None
        self.runner = TaskRunner(self)
        self._refreshing = False
        self._transfer_targets: tuple[list[tuple[str, str]], list[int]] = ([], [])
        self.setWindowTitle(self.tr("%1 号窗口 · 高效办成一件事").replace("%1", str(window)))
        self._build()
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()
        self.runner.submit(self._load_targets, self._set_targets, lambda _e: None)

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.setStyleSheet(f"CounterWindow {{ background: {theme.SURFACE}; }}")
        self.header = QLabel()
        self.header.setStyleSheet(f"font-size: 15pt; font-weight: bold; color: {theme.PRIMARY};")
        self.state_label = QLabel()
        self.clock_label = QLabel()
        self.clock_label.setStyleSheet(f"color: {theme.MUTED}; font-size: 13pt;")
        top = QHBoxLayout()
        top.addWidget(self.header)
        top.addSpacing(12)
        top.addWidget(self.state_label)
        top.addStretch()
        from desk_app.ui.common.sync_status import SyncIndicator

        self.sync_indicator = SyncIndicator(self.db)
        top.addWidget(self.sync_indicator)
        self.kb_button = KbButton(self)  # F11: 政策问答 for the bundle being served
        top.addWidget(self.kb_button)
        top.addSpacing(16)
        top.addWidget(self.clock_label)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self._banner_timer = QTimer(self)
        self._banner_timer.setSingleShot(True)
        self._banner_timer.timeout.connect(lambda: self.banner.setVisible(False))

        # The current ticket, readable from the visitor's side of the counter too.
        card = QFrame()
        card.setObjectName("card")
        card.setStyleSheet(
            "#card { background: white; border: 1px solid #d5dce5; border-radius: 10px; }"
        )
        self.caption = QLabel(self.tr("当前号"))
        self.caption.setStyleSheet(f"color: {theme.MUTED}; font-size: 13pt;")
        self.number_label = QLabel("—")
        self.number_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number_label.setStyleSheet(
            f"font-size: 84pt; font-weight: bold; color: {theme.PRIMARY};"
        )
        self.service_label = QLabel()
        self.service_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.service_label.setStyleSheet("font-size: 18pt;")
        self.status_label = QLabel(self.tr("空闲 · 按 F1 叫下一位"))
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status_label.setStyleSheet(f"font-size: 14pt; color: {theme.MUTED};")
        self.priority_label = QLabel()
        self.priority_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.priority_label.setStyleSheet(
            f"background: {theme.ACCENT}; color: white; border-radius: 6px; padding: 4px 12px;"
            "font-size: 13pt; font-weight: bold;"
        )
        self.priority_label.setVisible(False)
        card_lay = QVBoxLayout(card)
        card_lay.setContentsMargins(24, 16, 24, 20)
        card_lay.addWidget(self.caption)
        card_lay.addWidget(self.number_label)
        card_lay.addWidget(self.service_label)
        card_lay.addWidget(self.priority_label, alignment=Qt.AlignmentFlag.AlignCenter)
        card_lay.addWidget(self.status_label)

        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(10)
        for i, (key, (label, shortcut)) in enumerate(ACTIONS.items()):
            btn = QPushButton(f"{self.tr(label)}\n{shortcut}")
            btn.setMinimumHeight(68)
            btn.setStyleSheet("font-size: 14pt;")
            btn.setToolTip(f"{self.tr(label)} ({shortcut})")
            if key in ("next", "complete"):
                btn.setProperty("primary", True)
            btn.clicked.connect(partial(self.trigger, key))
            sc = QShortcut(QKeySequence(shortcut), self)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(partial(self.trigger, key))
            self.buttons[key] = btn
            grid.addWidget(btn, i // 3, i % 3)

        install_printer_choice(self)  # Ctrl+P: the PC's A4 printer for receipts and notices
        left = QVBoxLayout()
        left.addWidget(card, 3)
        left.addLayout(grid, 2)

        self.waiting_model = WaitingModel(self)
        self.waiting_view = self._table(self.waiting_model)
        self.waiting_title = QLabel(self.tr("等候队列"))
        self.held_model = WaitingModel(self)
        self.held_view = self._table(self.held_model)
        self.held_view.setMaximumHeight(130)
        self.held_title = QLabel(self.tr("本窗口挂起"))
        self.served_model = ServedModel(self)
        self.served_view = self._table(self.served_model, stretch_column=2)
        self.counts_label = QLabel()
        self.counts_label.setStyleSheet("font-size: 13pt;")
        right = QVBoxLayout()
        for title in (self.waiting_title, self.held_title):
            title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        right.addWidget(self.waiting_title)
        right.addWidget(self.waiting_view, 3)
        right.addWidget(self.held_title)
        right.addWidget(self.held_view, 1)
        served_title = QLabel(self.tr("今日已办"))
        served_title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        right.addWidget(served_title)
        right.addWidget(self.counts_label)
        right.addWidget(self.served_view, 2)
        self.appointments = counter_appointments.install(self, right)  # 今日预约, F12 booking

        body = QHBoxLayout()
        body.addLayout(left, 5)
        body.addSpacing(16)
        body.addLayout(right, 4)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 12, 18, 12)
        outer.addLayout(top)
        outer.addWidget(self.banner)
        outer.addLayout(body)
        self._apply_state()

    def _table(self, model: Any, stretch_column: int = 1) -> QTableView:
        """A read-only list; the service name column takes the spare width."""
        view = QTableView()
        view.setModel(model)
        view.verticalHeader().setVisible(False)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
        view.setAlternatingRowColors(True)
        view.setStyleSheet("font-size: 12pt;")
        return view

    # -- reading the board -------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the board in the background (skipped while a read is still running)."""
        self.clock_label.setText(clock.local(clock.now()).strftime("%Y-%m-%d %H:%M:%S"))
        if self._refreshing:
            return
        self._refreshing = True
        self.runner.submit(
            lambda: boards.counter_board(self.db, self.window_number),
            self._show_board,
            self._refresh_failed,
        )

    def _refresh_failed(self, exc: Exception) -> None:
        self._refreshing = False
        self.show_error(user_message(exc))

    def _show_board(self, board: CounterBoard) -> None:
        self._refreshing = False
        self.board = board
        staff = f"{board.staff_name}（{board.staff_code}）" if board.staff_code else ""
        self.header.setText(self.tr("%1 号窗口").replace("%1", str(board.window)) + f"  {staff}")
        state_text = {
            "open": QT_TRANSLATE_NOOP("CounterWindow", "● 服务中"),
            "paused": QT_TRANSLATE_NOOP("CounterWindow", "● 暂停服务"),
            "closed": QT_TRANSLATE_NOOP("CounterWindow", "● 未登录"),
        }
        color = {"open": theme.OK, "paused": theme.ACCENT, "closed": theme.DANGER}
        self.state_label.setText(self.tr(state_text[board.state]))
        self.state_label.setStyleSheet(f"color: {color[board.state]}; font-size: 13pt;")
        self._show_current(board.current)
        self.waiting_model.set_rows(board.waiting)
        self.held_model.set_rows(board.held)
        self.served_model.set_rows(board.served_today)
        self.waiting_title.setText(
            self.tr("等候队列（%1 人）").replace("%1", str(len(board.waiting)))
        )
        self.held_title.setText(self.tr("本窗口挂起（%1）").replace("%1", str(len(board.held))))
        avg = minutes(board.avg_service_s)
        self.counts_label.setText(
            self.tr("办结 %1 · 过号 %2 · 平均办理 %3")
            .replace("%1", str(board.completed_today))
            .replace("%2", str(board.no_show_today))
            .replace("%3", avg)
        )
        self.buttons["pause"].setText(
            (self.tr("恢复服务") if board.state == WindowState.PAUSED else self.tr("暂停窗口"))
            + "\nF9"
        )
        self._apply_state()
        self.board_updated.emit(board)

    def _show_current(self, t: TicketInfo | None) -> None:
        if t is None:
            self.number_label.setText("—")
            self.service_label.setText("")
            self.priority_label.setVisible(False)
            state = self.board.state if self.board else None
            if state == WindowState.PAUSED:  # F1 is off while paused: say what to press
                self.status_label.setText(self.tr("暂停服务中 · 按 F9 恢复"))
            elif state == WindowState.CLOSED:
                self.status_label.setText(self.tr("窗口未登录"))
            else:
                self.status_label.setText(self.tr("空闲 · 按 F1 叫下一位"))
            return
        self.number_label.setText(t.number)
        self.service_label.setText(t.service_name)
        if t.priority == "appointment":  # its own class, not the priority lane
            self.priority_label.setText(self.tr("预约签到"))
        elif t.priority:
            self.priority_label.setText(
                self.tr("绿色通道 · %1").replace("%1", priority_label(t.priority))
            )
        self.priority_label.setVisible(bool(t.priority))
        now = clock.now()
        if t.state == TicketState.SERVING and t.started_at:
            self.status_label.setText(
                self.tr("办理中 · 已用 %1").replace("%1", _mmss(now, t.started_at))
            )
        else:
            recalls = (
                self.tr(" · 已重呼 %1 次").replace("%1", str(t.recall_count))
                if t.recall_count
                else ""
            )
            since = _mmss(now, t.called_at) if t.called_at else ""
            self.status_label.setText(self.tr("已叫号，等待群众到窗口") + f" {since}{recalls}")

    def _apply_state(self) -> None:
        b = self.board
        cur = b.current if b else None
        is_open = b is not None and b.state == WindowState.OPEN
        paused = b is not None and b.state == WindowState.PAUSED
        enabled = {
            "next": is_open,
            "recall": cur is not None and cur.state == TicketState.CALLED,
            "no_show": cur is not None and cur.state == TicketState.CALLED,
            "start": cur is not None and cur.state == TicketState.CALLED,
            "complete": cur is not None and cur.state == TicketState.SERVING,
            "hold": cur is not None,
            "call_held": is_open and cur is None and bool(b and b.held),
            "transfer": cur is not None,
            "pause": is_open or paused,
            "case": is_open or cur is not None,
            "find": is_open or cur is not None,
        }
        for key, btn in self.buttons.items():
            btn.setEnabled(enabled[key])

    # -- actions -------------------------------------------------------------------------------

    def trigger(self, key: str) -> None:
        """Run an action (button or key). Disabled actions do nothing, as on the call-pad."""
        if not self.buttons[key].isEnabled():
            return
        w = self.window_number
        db = self.db
        fn: Callable[[], Any]
        if key == "next":
            fn = partial(queue.call_next, db, w)
        elif key == "recall":
            fn = partial(queue.recall, db, w)
        elif key == "no_show":
            fn = partial(queue.no_show, db, w)
        elif key == "start":
            fn = partial(queue.start, db, w)
        elif key == "complete":
            fn = partial(queue.complete, db, w)
        elif key == "hold":
            fn = partial(queue.hold, db, w)
        elif key == "call_held":
            number = self._selected_held()
            if number is None:
                return
            fn = partial(queue.call_ticket, db, w, number)
        elif key == "transfer":
            cur = self.board.current if self.board else None
            if cur is None:
                return
            services, windows = self._transfer_targets
            dialog = TransferDialog(
                cur.number, [s for s in services if s[0] != cur.service], windows, w, self
            )
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            fn = partial(queue.transfer, db, w, **dialog.choice())
        elif key == "case":
            self.open_case_dialog()
            return
        elif key == "find":
            self.open_find_dialog()
            return
        elif key == "pause":
            paused = self.board is not None and self.board.state == WindowState.PAUSED
            fn = partial(hall.resume_window if paused else hall.pause_window, db, w)
        else:  # pragma: no cover
            raise ValueError(key)
        self.runner.submit(fn, partial(self._action_done, key), self._action_failed)

    def open_case_dialog(self, case_no: str | None = None) -> None:
        """Open a 一件事 case for the visitor at the counter (or a walk-in without a ticket), or
        continue case ``case_no`` at its current step."""
        from desk_app.ui.cases.dialog import CaseDialog

        cur = self.board.current if self.board else None
        self.case_dialog = CaseDialog(
            self.db,
            self.window_number,
            ticket_id=cur.id if cur and not case_no else None,
            service_code=cur.service if cur else None,
            case_no=case_no,
            document_dir=self.document_dir,
            parent=self,
        )
        self.case_dialog.show()

    def open_find_dialog(self) -> None:
        """Shift+F10: find a returning applicant's case to continue it."""
        from desk_app.ui.cases.finder import FindCaseDialog

        self.find_dialog = FindCaseDialog(self.db, self)
        self.find_dialog.chosen.connect(self.open_case_dialog)
        self.find_dialog.open()

    def _selected_held(self) -> str | None:
        if not self.board or not self.board.held:
            return None
        rows = self.held_view.selectionModel().selectedRows()
        row = rows[0].row() if rows else 0
        return self.held_model.row(row).number

    def _action_done(self, key: str, result: Any) -> None:
        if self.board is not None and isinstance(result, TicketInfo):
            # The action's own answer is on screen at once; the board read below follows.
            live = key in ("next", "call_held", "recall", "start")
            self.board = replace(self.board, current=result if live else None)
            self._show_current(self.board.current)
            self._apply_state()
        if key == "next":
            if result is None:
                self.show_info(self.tr("当前没有等候的群众。"))
            elif getattr(result, "repeated", False):
                self.show_info(
                    self.tr("%1 已叫号尚未处理：请重呼、过号或开始办理。").replace(
                        "%1", result.number
                    )
                )
        self.refresh()

    def _action_failed(self, exc: Exception) -> None:
        self.show_error(user_message(exc))
        self.refresh()

    def show_error(self, text: str) -> None:
        self._banner(text, theme.DANGER)
        self.action_failed.emit(text)

    def show_info(self, text: str) -> None:
        self._banner(text, theme.PRIMARY)

    def _banner(self, text: str, color: str) -> None:
        self.banner.setText(text)
        self.banner.setStyleSheet(
            f"background: {color}; color: white; padding: 8px 12px; "
            "border-radius: 6px; font-size: 13pt;"
        )
        self.banner.setVisible(True)
        self._banner_timer.start(8000)

    def _load_targets(self) -> tuple[list[tuple[str, str]], list[int]]:
        services = [(s.code, s.name) for s in hall.list_services(self.db)]
        windows = [w.number for w in hall.list_windows(self.db)]
        return services, windows

    def _set_targets(self, targets: tuple[list[tuple[str, str]], list[int]]) -> None:
        self._transfer_targets = targets

    # -- leaving -------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Log the window out. Refused (and the window stays) while a ticket is current."""
        if self.board and self.board.current is not None:
            self.show_error(
                self.tr("请先办结、过号、挂起或转移当前号 %1，再退出。").replace(
                    "%1", self.board.current.number
                )
            )
            event.ignore()
            return
        self._timer.stop()
        self.appointments.stop()
        # Log out on the worker (after anything still queued) and wait for it before leaving.
        self.runner.submit(
            partial(hall.close_window, self.db, self.window_number), None, lambda _exc: None
        )
        self.runner.shutdown()
        event.accept()


def _mmss(now: datetime, since: datetime) -> str:
    secs = max(0, int((now - since).total_seconds()))
    return f"{secs // 60:02d}:{secs % 60:02d}"
