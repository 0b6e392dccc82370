"""The self-service kiosk (自助取号机): choose the 一件事, take a number, take the paper ticket.

Two pages. *Start*: the hall's name, the priority lane (绿色通道) as big toggles, and one touch
button per service with the people waiting and the estimate, re-read every 2 s. *Result*: the
number, huge, with the service, people ahead and the estimate, while the ticket prints.

The ticket is issued first and printed after, as two units of work on the kiosk's worker: the
number is on the screen before the printer is even asked, so a jammed printer never loses a
ticket (the screen says to wait with the number shown, and offers a reprint). After
``idle_seconds`` without a touch the kiosk returns to the start page for the next visitor.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain import clock
from desk_app.services import boards, queue
from desk_app.services.boards import KioskBoard, KioskService
from desk_app.services.dto import IssuedTicket
from desk_app.services.errors import Refused
from desk_app.services.tickets_print import print_ticket_pdf
from desk_app.store import Database
from desk_app.ui import theme
from desk_app.ui.printer import PrintError, print_pdf_bytes, save_pdf
from desk_app.ui.tasks import TaskRunner
from desk_app.ui.widgets import HeavyLabel, two_lines

log = logging.getLogger(__name__)

REFRESH_MS = 2000
# Touches and keys that count as someone using the kiosk (they restart the idle timer).
_ACTIVITY = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


def _issue_and_render(
    db: Database, code: str, priority: str | None
) -> tuple[IssuedTicket, bytes | None]:
    """Worker: issue the ticket, then render its PDF. A rendering failure must not lose the
    issued number, so it is logged and the screen offers a reprint instead."""
    ticket = queue.issue_ticket(db, code, priority)
    try:
        return ticket, _render(db, ticket)
    except Exception:  # noqa: BLE001 - the ticket exists; printing is retried from the screen
        log.exception("ticket %s issued but its PDF could not be rendered", ticket.number)
        return ticket, None


def _render(db: Database, ticket: IssuedTicket) -> bytes:
    buffer = io.BytesIO()
    print_ticket_pdf(db, ticket, buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class _Printed:
    pdf: bytes | None
    error: str | None  # why the ticket did not come out (printer missing, offline, ...)


def _output(
    db: Database,
    ticket: IssuedTicket,
    pdf: bytes | None,
    printer_name: str | None,
    pdf_dir: str | None,
) -> _Printed:
    """Worker: send the ticket to the printer, or save it when no printer is configured. A
    printer problem is an expected outcome (paper runs out), returned rather than raised."""
    try:
        if pdf is None:
            pdf = _render(db, ticket)
        if printer_name:
            print_pdf_bytes(pdf, printer_name)
        else:
            from desk_app.paths import user_data_dir

            folder = Path(pdf_dir) if pdf_dir else user_data_dir() / "tickets"
            day = clock.local(ticket.issued_at).strftime("%Y%m%d")
            save_pdf(pdf, folder, f"{day}-{ticket.number}.pdf")
    except PrintError as exc:
        return _Printed(pdf, str(exc))
    return _Printed(pdf, None)


class _ServiceButton(QPushButton):
    """A service's touch button: prefix badge, the 一件事 name, and its queue or its state."""

    def __init__(self, service: KioskService, look: theme.KioskPalette) -> None:
        super().__init__()
        self.code = service.code
        self._look = look
        self.setObjectName("service")
        self.setMinimumHeight(round(120 * look.scale))
        self.setMaximumHeight(round(180 * look.scale))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.badge = QLabel(service.prefix)
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        side = round(54 * look.scale)
        self.badge.setFixedSize(side, side)
        self._name = service.name
        self.name_label = QLabel(service.name)
        self._status = ""
        self.status_label = QLabel()
        for label in (self.name_label, self.status_label):
            # Their width comes from the button, not from the text (wrapped by two_lines).
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        for label in (self.badge, self.name_label, self.status_label):
            # Touches go to the button, not its labels.
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        text = QVBoxLayout()
        text.setSpacing(4)
        text.addStretch()
        text.addWidget(self.name_label)
        text.addWidget(self.status_label)
        text.addStretch()
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 8, 16, 8)
        row.setSpacing(14)
        row.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addLayout(text, 1)
        self._state = ""
        self.update_service(service)

    def update_service(self, service: KioskService) -> None:
        if service.full:
            state = "full"
            status = self.tr("今日号源已满")
        elif service.open_windows == 0:
            state = "closed"
            status = self.tr("暂无窗口办理, 可取号等候")
        elif service.waiting == 0:
            state = "open"
            status = self.tr("当前无人等候")
        else:
            state = "open"
            status = (
                self.tr("等候 %1 人").replace("%1", str(service.waiting))
                + " · "
                + self.tr("约 %1 分钟").replace("%1", str(service.eta_minutes))
            )
        if service.name != self._name:
            self._name = service.name
            self._wrap_name()
        if status != self._status:
            self._status = status
            self._wrap_status()
        self.setEnabled(not service.full)
        if state != self._state:
            self._state = state
            self._restyle()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._wrap_name()
        self._wrap_status()

    def _wrap_name(self) -> None:
        self.name_label.setText(two_lines(self._name, self.name_label, "一件事"))

    def _wrap_status(self) -> None:
        self.status_label.setText(two_lines(self._status, self.status_label, ""))

    def state(self) -> str:
        """``open``, ``closed`` (no window serving it now) or ``full`` (daily cap reached)."""
        return self._state

    def _restyle(self) -> None:
        look, full = self._look, self._state == "full"
        status_color = {"open": look.muted, "closed": look.warn, "full": look.danger}[self._state]
        badge_bg = "#9aa4b1" if full and not look.high_contrast else look.accent
        name_color = "#6b7480" if full and not look.high_contrast else look.text
        self.badge.setStyleSheet(
            f"background: {badge_bg}; color: white; border-radius: {self.badge.width() // 2}px;"
            f"font-size: {look.pt(21)}pt; font-weight: bold;"
        )
        # Long names (二手房转移登记及水电气网联动过户一件事) get smaller type, not a third line.
        name_pt = look.pt(20 if len(self._name) <= 16 else 17)
        self.name_label.setStyleSheet(
            f"color: {name_color}; font-size: {name_pt}pt; font-weight: bold;"
            "background: transparent; border: none;"
        )
        self.status_label.setStyleSheet(
            f"color: {status_color}; font-size: {look.pt(15)}pt;"
            f"font-weight: {'bold' if self._state != 'open' else 'normal'};"
            "background: transparent; border: none;"
        )
        self._wrap_name()  # the type size changed
        self._wrap_status()


class KioskWindow(QWidget):
    """The self-service ticket kiosk (touch screen, receipt printer). The app shows it
    full screen; it needs only the hall database."""

    issued = Signal(object)  # IssuedTicket, as soon as the number exists (before printing)
    board_updated = Signal(object)  # KioskBoard, after each refresh

    PRIORITIES: tuple[str | None, ...] = (None, "elderly", "disabled", "pregnant", "military")

    def __init__(
        self,
        db: Database,
        *,
        large_text: bool = False,
        idle_seconds: int = 30,
        printer_name: str | None = None,
        pdf_dir: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.printer_name = printer_name or None
        self.pdf_dir = pdf_dir
        self.runner = TaskRunner(self)
        self._look = theme.KioskPalette(large_text)
        self._family = theme.load_bundled_font()
        self._buttons: dict[str, _ServiceButton] = {}
        self._codes: list[str] = []
        self._refreshing = False
        self._issuing = False
        self._ticket: IssuedTicket | None = None
        self._pdf: bytes | None = None
        self.setWindowTitle(self.tr("自助取号"))
        self._build()

        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(max(1, idle_seconds) * 1000)
        self._idle.timeout.connect(self.go_start)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._refresh_timer.start()
        self._tick = QTimer(self)  # the clock and the result page's countdown
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start()
        self._watch(self)
        self._on_tick()
        self.refresh()

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        look = self._look
        self.setObjectName("kiosk")
        self.setStyleSheet(theme.kiosk_qss(look, self._family))
        # Header: the hall's name, what this machine is, the time.
        header = QFrame()
        header.setObjectName("header")
        header.setStyleSheet(f"QFrame#header {{ background: {look.header_bg}; }}")
        self.hall_label = QLabel(self.tr("政务服务中心"))
        self.hall_label.setStyleSheet(
            f"color: {look.header_fg}; font-size: 24pt; font-weight: bold;"
        )
        subtitle = QLabel(self.tr("高效办成一件事 · 自助取号"))
        subtitle.setStyleSheet(f"color: {look.header_fg}; font-size: 15pt;")
        self.clock_label = QLabel()
        self.clock_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.clock_label.setStyleSheet(f"color: {look.header_fg}; font-size: 17pt;")
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.hall_label)
        titles.addWidget(subtitle)
        head = QHBoxLayout(header)
        head.setContentsMargins(32, 14, 32, 14)
        head.addLayout(titles, 1)
        head.addWidget(self.clock_label)

        self.pages = QStackedWidget()
        self.start_page = self._build_start()
        self.result_page = self._build_result()
        self.pages.addWidget(self.start_page)
        self.pages.addWidget(self.result_page)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(header)
        outer.addWidget(self.pages, 1)

    def _step_label(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setStyleSheet(
            f"font-size: {self._look.pt(18)}pt; font-weight: bold; color: {self._look.text};"
        )
        return label

    def _build_start(self) -> QWidget:
        look = self._look
        page = QWidget()
        page.setObjectName("page")

        self.priority_group = QButtonGroup(self)
        self.priority_group.setExclusive(True)
        self._priority_buttons: dict[str | None, QPushButton] = {}
        labels = (
            self.tr("普通"),
            self.tr("老年人"),
            self.tr("残疾人"),
            self.tr("孕妇"),
            self.tr("军人"),
        )
        priority_row = QHBoxLayout()
        priority_row.setSpacing(14)
        for kind, label in zip(self.PRIORITIES, labels, strict=True):
            btn = QPushButton(label)
            btn.setObjectName("priority")
            btn.setCheckable(True)
            btn.setProperty("normal", kind is None)
            btn.setMinimumHeight(round(62 * look.scale))
            btn.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            btn.setCursor(Qt.CursorShape.PointingHandCursor)
            self.priority_group.addButton(btn)
            self._priority_buttons[kind] = btn
            priority_row.addWidget(btn)
        self._priority_buttons[None].setChecked(True)

        # The services scroll when a hall has more than fit (large text, a small screen); a
        # finger drags them, a mouse click is still a click.
        grid_box = QWidget()
        grid_box.setObjectName("page")
        self.grid = QGridLayout(grid_box)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(12)
        scroll = QScrollArea()
        scroll.setWidget(grid_box)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(scroll.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        self.loading_label = QLabel(self.tr("正在读取可办理的事项…"))
        self.loading_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading_label.setStyleSheet(f"font-size: {look.pt(18)}pt; color: {look.muted};")
        self.grid.addWidget(self.loading_label, 0, 0)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setVisible(False)
        self._banner_timer = QTimer(self)
        self._banner_timer.setSingleShot(True)
        self._banner_timer.timeout.connect(self.banner.hide)

        lay = QVBoxLayout(page)
        lay.setContentsMargins(32, 10, 32, 12)
        lay.setSpacing(8)
        lay.addWidget(self._step_label(self.tr("① 优先人群请先选择 (绿色通道), 其他群众无需选择")))
        lay.addLayout(priority_row)
        lay.addSpacing(6)
        lay.addWidget(self._step_label(self.tr("② 请点击要办理的事项取号")))
        lay.addWidget(scroll, 1)
        lay.addWidget(self.banner)
        return page

    def _build_result(self) -> QWidget:
        look, pt = self._look, self._look.pt
        page = QWidget()
        page.setObjectName("page")
        card = QFrame()
        card.setObjectName("ticketCard")
        card.setStyleSheet(
            f"QFrame#ticketCard {{ background: {look.card}; border-radius: 20px;"
            f"border: {look.border_w}px solid {look.border}; }}"
            "QFrame#ticketCard QLabel { background: transparent; border: none; }"
        )
        card.setMinimumWidth(round(780 * look.scale))
        card.setMaximumWidth(1000)
        self.result_title = QLabel(self.tr("取号成功"))
        self.result_title.setStyleSheet(f"font-size: {pt(22)}pt; color: {look.muted};")
        self.number_label = HeavyLabel("—")
        # Huge in both looks: large text would only push the rest off a 800 px screen.
        self.number_label.setStyleSheet(f"font-size: 120pt; color: {look.accent};")
        self.service_label = QLabel()
        self.service_label.setWordWrap(True)
        self.service_label.setStyleSheet(f"font-size: {pt(26)}pt; font-weight: bold;")
        self.priority_label = QLabel()
        self.priority_label.setStyleSheet(
            f"background: {look.priority}; color: white;"
            f"border-radius: 8px; padding: 4px 16px; font-size: {pt(17)}pt; font-weight: bold;"
        )
        self.ahead_label = QLabel()
        self.ahead_label.setStyleSheet(f"font-size: {pt(22)}pt; color: {look.text};")
        self.print_label = QLabel()
        self.print_label.setWordWrap(True)
        self.print_label.setMinimumHeight(round(48 * look.scale))
        for label in (
            self.result_title,
            self.number_label,
            self.service_label,
            self.ahead_label,
            self.print_label,
        ):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.reprint_button = QPushButton(self.tr("重新打印"))
        self.reprint_button.setObjectName("action")
        self.reprint_button.setMinimumHeight(round(68 * look.scale))
        self.reprint_button.clicked.connect(self.reprint)
        self.reprint_button.setVisible(False)
        self.done_button = QPushButton(self.tr("完成"))
        self.done_button.setObjectName("action")
        self.done_button.setProperty("primary", True)
        self.done_button.setMinimumHeight(round(68 * look.scale))
        self.done_button.setMinimumWidth(220)
        self.done_button.clicked.connect(self.go_start)
        buttons = QHBoxLayout()
        buttons.setSpacing(20)
        buttons.addStretch()
        buttons.addWidget(self.reprint_button)
        buttons.addWidget(self.done_button)
        buttons.addStretch()

        card_lay = QVBoxLayout(card)
        card_lay.setContentsMargins(48, 20, 48, 24)
        card_lay.setSpacing(6)
        card_lay.addWidget(self.result_title)
        card_lay.addWidget(self.number_label)
        card_lay.addWidget(self.service_label)
        card_lay.addWidget(self.priority_label, 0, Qt.AlignmentFlag.AlignCenter)
        card_lay.addWidget(self.ahead_label)
        card_lay.addSpacing(8)
        card_lay.addWidget(self.print_label)
        card_lay.addSpacing(8)
        card_lay.addLayout(buttons)

        self.countdown_label = QLabel()
        self.countdown_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown_label.setStyleSheet(f"font-size: {pt(14)}pt; color: {look.muted};")
        lay = QVBoxLayout(page)
        lay.setContentsMargins(32, 16, 32, 10)
        lay.addStretch(1)
        lay.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        lay.addStretch(1)
        lay.addWidget(self.countdown_label)
        return page

    # -- for tests and the app ---------------------------------------------------------------

    def service_button(self, code: str) -> QPushButton:
        """The touch button of service ``code`` (KeyError before the first board is read)."""
        return self._buttons[code]

    def priority_button(self, kind: str | None) -> QPushButton:
        """The toggle of a priority kind (``None``: 普通)."""
        return self._priority_buttons[kind]

    def current_page(self) -> str:
        return "result" if self.pages.currentWidget() is self.result_page else "start"

    def selected_priority(self) -> str | None:
        for kind, btn in self._priority_buttons.items():
            if btn.isChecked():
                return kind
        return None

    # -- the board ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the services (skipped while the previous read is still running)."""
        if self._refreshing:
            return
        self._refreshing = True
        self.runner.submit(
            partial(boards.kiosk_board, self.db), self._show_board, self._board_failed
        )

    def _board_failed(self, exc: Exception) -> None:
        self._refreshing = False
        log.warning("kiosk board: %s", exc)
        self.show_banner(
            self.tr("连接中断, 正在重试…"), error=True, ms=REFRESH_MS + 1000, kind="connection"
        )

    def _show_board(self, board: KioskBoard) -> None:
        self._refreshing = False
        self.hall_label.setText(board.hall_name)
        codes = [s.code for s in board.services]
        if codes != self._codes:
            self._rebuild_grid(board.services)
        for svc in board.services:
            self._buttons[svc.code].update_service(svc)
        if not self._issuing and self.banner.property("kind") == "connection":
            self.banner.setVisible(False)
        self.board_updated.emit(board)

    def _rebuild_grid(self, services: list[KioskService]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.loading_label:
                widget.deleteLater()
        self.loading_label.setVisible(not services)
        if not services:
            self.loading_label.setText(self.tr("今日暂无可取号的事项, 请咨询导服台"))
            self.grid.addWidget(self.loading_label, 0, 0)
        self._buttons.clear()
        columns = 2 if len(services) <= 4 else 3 if len(services) <= 12 else 4
        for i, svc in enumerate(services):
            btn = _ServiceButton(svc, self._look)
            btn.clicked.connect(partial(self.take_number, svc.code))
            self._buttons[svc.code] = btn
            self.grid.addWidget(btn, i // columns, i % columns)
            btn.show()  # at once, not on the next event loop pass as addWidget would
        for col in range(columns):
            self.grid.setColumnStretch(col, 1)
        # A hall with few services gets buttons of a sensible height, not one giant button.
        rows = -(-len(services) // columns)
        for row in range(self.grid.rowCount()):
            self.grid.setRowStretch(row, 0)
        self.grid.setRowStretch(rows, 1)
        self._codes = [s.code for s in services]
        for btn in self._buttons.values():
            self._watch(btn)

    # -- issuing and printing ----------------------------------------------------------------

    def take_number(self, code: str) -> None:
        """Issue a ticket for ``code`` with the chosen priority (a second touch while the first
        is being issued does nothing)."""
        btn = self._buttons.get(code)
        if self._issuing or btn is None or not btn.isEnabled():
            return
        self._issuing = True
        for b in self._buttons.values():
            b.setEnabled(False)  # one ticket per touch, even on a bouncing screen
        self.show_banner(self.tr("正在取号, 请稍候…"), error=False, ms=30_000)
        self.runner.submit(
            partial(_issue_and_render, self.db, code, self.selected_priority()),
            self._on_issued,
            self._issue_failed,
        )

    def _on_issued(self, result: tuple[IssuedTicket, bytes | None]) -> None:
        ticket, pdf = result
        self._issuing = False
        self.banner.setVisible(False)
        self._ticket, self._pdf = ticket, pdf
        self._show_ticket(ticket)
        self.issued.emit(ticket)
        self.print_ticket()
        self.refresh()

    def _issue_failed(self, exc: Exception) -> None:
        self._issuing = False
        if isinstance(exc, Refused):
            text = exc.zh
        else:
            log.warning("kiosk issue failed: %s", exc)
            text = self.tr("暂时无法取号, 请稍后再试或联系导服人员")
        self.show_banner(text, error=True, ms=10_000)
        self.refresh()  # re-enables the buttons that may be used

    def _show_ticket(self, ticket: IssuedTicket) -> None:
        self.number_label.setText(ticket.number)
        self.service_label.setText(ticket.service_name)
        kind = ticket.priority
        if kind in self._priority_buttons and kind is not None:
            self.priority_label.setText(
                self.tr("绿色通道 · %1").replace("%1", self._priority_buttons[kind].text())
            )
        self.priority_label.setVisible(kind is not None)
        if ticket.ahead == 0:
            ahead = self.tr("前面没有人等候, 请留意叫号")
        else:
            ahead = (
                self.tr("前面还有 %1 人").replace("%1", str(ticket.ahead))
                + "  ·  "
                + self.tr("预计等候约 %1 分钟").replace("%1", str(ticket.eta_minutes))
            )
        self.ahead_label.setText(ahead)
        self.pages.setCurrentWidget(self.result_page)
        self._idle.start()  # the full idle time to read the result
        self._on_tick()

    def print_ticket(self) -> None:
        """Print (or save) the current ticket on the worker; the screen follows the outcome."""
        ticket = self._ticket
        if ticket is None:
            return
        self._print_status(self.tr("正在打印号票…"), "busy")
        self.reprint_button.setVisible(False)
        self.runner.submit(
            partial(_output, self.db, ticket, self._pdf, self.printer_name, self.pdf_dir),
            partial(self._printed, ticket.id),
            partial(self._print_failed, ticket.id),
        )

    def reprint(self) -> None:
        self.print_ticket()

    def _printed(self, ticket_id: str, result: _Printed) -> None:
        if self._ticket is None or self._ticket.id != ticket_id:
            return  # an earlier visitor's ticket
        self._pdf = result.pdf or self._pdf  # a reprint needs no second rendering
        if result.error is not None:
            self._print_failed(ticket_id, PrintError(result.error))
            return
        self._print_status(self.tr("请取走号票"), "ok")
        self._idle.start()

    def _print_failed(self, ticket_id: str, exc: Exception) -> None:
        log.warning("ticket printing failed: %s", exc)
        if self._ticket is None or self._ticket.id != ticket_id:
            return
        self._print_status(self.tr("打印失败, 请凭此屏幕号码等候, 或联系导服人员"), "error")
        self.reprint_button.setVisible(True)
        self._idle.start()

    def _print_status(self, text: str, kind: str) -> None:
        look = self._look
        color = {"busy": look.muted, "ok": look.ok, "error": look.danger}[kind]
        self.print_label.setText(text)
        self.print_label.setProperty("kind", kind)
        self.print_label.setStyleSheet(
            f"font-size: {look.pt(26 if kind == 'ok' else 20)}pt; color: {color};"
            f"font-weight: {'normal' if kind == 'busy' else 'bold'};"
        )

    def print_status(self) -> str:
        """The result page's printing line (for tests and support staff)."""
        return self.print_label.text()

    # -- idle and start ----------------------------------------------------------------------

    def go_start(self) -> None:
        """Back to the start page for the next visitor, with 普通 selected."""
        self._idle.stop()
        self.pages.setCurrentWidget(self.start_page)
        self._priority_buttons[None].setChecked(True)
        self.reprint_button.setVisible(False)

    def _watch(self, root: QWidget) -> None:
        # Filters on the kiosk's own widgets, not on the whole application: an application
        # filter would see every event of every object, including objects being destroyed.
        for widget in [root, *root.findChildren(QWidget)]:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # Any touch or key on this kiosk restarts the idle countdown.
        if event.type() in _ACTIVITY:
            self._idle.start()
        return False

    def _on_tick(self) -> None:
        now = clock.local(clock.now())
        weekdays = (
            self.tr("星期一"),
            self.tr("星期二"),
            self.tr("星期三"),
            self.tr("星期四"),
            self.tr("星期五"),
            self.tr("星期六"),
            self.tr("星期日"),
        )
        day = self.tr("%1月%2日").replace("%1", str(now.month)).replace("%2", str(now.day))
        self.clock_label.setText(f"{day} {weekdays[now.weekday()]}\n{now:%H:%M}")
        if self.current_page() == "result" and self._idle.isActive():
            seconds = max(1, round(self._idle.remainingTime() / 1000))
            self.countdown_label.setText(self.tr("%1 秒后自动返回首页").replace("%1", str(seconds)))

    def show_banner(self, text: str, *, error: bool, ms: int, kind: str = "") -> None:
        look = self._look
        bg = look.danger if error else look.accent
        self.banner.setText(text)
        self.banner.setProperty("kind", kind)
        self.banner.setStyleSheet(
            f"background: {bg}; color: white; border-radius: 10px; padding: 12px 18px;"
            f"font-size: {look.pt(18)}pt; font-weight: bold;"
        )
        self.banner.setVisible(True)
        self._banner_timer.start(ms)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        for timer in (self._refresh_timer, self._tick, self._idle):
            timer.stop()
        self.runner.shutdown()  # a ticket being printed finishes first
        super().closeEvent(event)
