"""The self-service kiosk (自助取号机): choose the 一件事, take a number, take the paper ticket.

``KioskView`` (kiosk_view.py) lays out the two pages; this controller gives the touches their
meaning. The services are re-read every 2 s. A touch runs ``ticket_issue.issue_and_print`` on
the kiosk's worker: the ticket is committed first and its number is on the screen before the
printer is even asked, so a jammed printer never loses a ticket (the screen says to wait with
the number shown, and offers a reprint). After ``idle_seconds`` without a touch the kiosk
returns to the start page for the next visitor.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QPushButton, QWidget

from desk_app.domain import clock
from desk_app.paths import user_data_dir
from desk_app.services.common.dto import IssuedTicket
from desk_app.services.common.errors import Refused
from desk_app.services.queue import boards
from desk_app.services.queue import take_number as ticket_issue
from desk_app.services.queue.boards import KioskBoard
from desk_app.services.queue.take_number import IssueOutcome, TicketSink
from desk_app.store import Database
from desk_app.ui.common.printer import print_pdf_bytes, save_pdf
from desk_app.ui.common.tasks import TaskRunner
from desk_app.ui.kiosk import checkin as kiosk_checkin
from desk_app.ui.kiosk.consult import install_consult
from desk_app.ui.kiosk.view import KioskView

log = logging.getLogger(__name__)

REFRESH_MS = 2000


def kiosk_sink(printer_name: str | None, pdf_dir: str | None) -> TicketSink:
    """The kiosk's paper: the receipt printer by its system name or, when none is configured,
    a PDF file under ``pdf_dir`` (default: the data folder's ``tickets/``). Runs on the worker;
    raises ``PrintError`` (an OSError) with the Chinese reason when the paper cannot come out."""

    def send(ticket: IssuedTicket, pdf: bytes) -> Path | None:
        if printer_name:
            print_pdf_bytes(pdf, printer_name)
            return None
        folder = Path(pdf_dir) if pdf_dir else user_data_dir() / "tickets"
        day = clock.local(ticket.issued_at).strftime("%Y%m%d")
        return save_pdf(pdf, folder, f"{day}-{ticket.number}.pdf")

    return send


class KioskWindow(KioskView):
    """The self-service ticket kiosk (touch screen, receipt printer). The app shows it
    full screen; it needs only the hall database."""

    issued = Signal(object)  # IssuedTicket, as soon as the number exists (before printing)
    # Set by the check-in page's install (kiosk/checkin.py), which adds them to the start page.
    opening_bar: kiosk_checkin.OpeningBar
    checkin_button: QPushButton
    board_updated = Signal(object)  # KioskBoard, after each refresh
    # From the worker, between committing the ticket and rendering it.
    _ticket_committed = Signal(object)

    def __init__(
        self,
        db: Database,
        *,
        large_text: bool = False,
        idle_seconds: int = 30,
        printer_name: str | None = None,
        pdf_dir: str | None = None,
        parent: QWidget | None = None,
        screen_size: tuple[int, int] | None = None,
        escpos: Any = None,
    ) -> None:
        super().__init__(large_text=large_text, parent=parent, screen_size=screen_size)
        self.db = db
        self.printer_name = printer_name or None
        self.pdf_dir = pdf_dir
        # An ESC/POS printer registered for this PC (services/devices/tickets.EscposSink)
        # prints directly and reports its paper: out of paper, the kiosk stops issuing paper
        # and shows the number on screen until the printer says it is ready again.
        self.escpos = escpos
        self.paper_ok = True
        self._checking_paper = False
        self._sink = escpos if escpos is not None else kiosk_sink(self.printer_name, pdf_dir)
        self.ticket_sink = self._sink  # the check-in page prints appointment tickets with it
        self.checkin_page = kiosk_checkin.install(self, self._look)
        self.runner = TaskRunner(self)
        self._refreshing = False
        self._issuing = False
        self._ticket: IssuedTicket | None = None
        self._pdf: bytes | None = None  # the current ticket's PDF, kept for a reprint
        self._ticket_committed.connect(self._on_issued, Qt.ConnectionType.QueuedConnection)
        install_consult(self, self._look)  # the 政策咨询 page and its button

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
        self._on_tick()
        if self.printer_name is None and escpos is None:
            self.show_no_printer(str(Path(pdf_dir) if pdf_dir else user_data_dir() / "tickets"))
        self.refresh()

    # -- the board ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the services (skipped while the previous read is still running)."""
        if self._refreshing:
            return
        self._refreshing = True
        self.runner.submit(
            partial(boards.kiosk_board, self.db), self._show_board, self._board_failed
        )
        if self.escpos is not None and not self._checking_paper:
            self._checking_paper = True
            self.runner.submit(self.escpos.paper_ok, self._paper_state, self._paper_unknown)

    def _paper_state(self, result: tuple[bool, str]) -> None:
        self._checking_paper = False
        ok, why = result
        if ok != self.paper_ok:
            log.warning("kiosk printer: %s", "ready" if ok else why)
        reason = {
            "paper_out": self.tr("缺纸"),
            "cover_open": self.tr("纸仓盖打开"),
            "offline": self.tr("脱机"),
        }.get(why, self.tr("无法连接"))
        self.paper_ok = ok
        if ok:
            self.hide_banner("paper")
        else:
            self.show_banner(
                self.tr("号票打印机%1: 暂停出纸, 号码只显示在屏幕上").replace("%1", reason),
                error=True,
                ms=REFRESH_MS * 3,
                kind="paper",
            )

    def _paper_unknown(self, exc: Exception) -> None:
        self._checking_paper = False
        log.warning("kiosk printer status: %s", exc)

    def _board_failed(self, exc: Exception) -> None:
        self._refreshing = False
        log.warning("kiosk board: %s", exc)
        self.show_connection_lost(REFRESH_MS + 1000)

    def _show_board(self, board: KioskBoard) -> None:
        self._refreshing = False
        self.show_board(board)
        self.opening_bar.show_opening(board.opening)
        if board.opening is not None and not board.opening.issuing:
            self.disable_services()  # outside the calendar's sessions: the bar says when
        if not self._issuing:
            self.hide_banner("connection")
        self.board_updated.emit(board)

    # -- issuing and printing ----------------------------------------------------------------

    def _service_touched(self, code: str) -> None:
        self.take_number(code)

    def take_number(self, code: str) -> None:
        """Issue a ticket for ``code`` with the chosen priority and print it (a second touch
        while the first is being issued does nothing)."""
        try:
            enabled = self.service_button(code).isEnabled()
        except KeyError:
            return
        if self._issuing or not enabled:
            return
        self._issuing = True
        self.disable_services()  # one ticket per touch, even on a bouncing screen
        self.show_issuing()
        self.runner.submit(
            partial(
                ticket_issue.issue_and_print,
                self.db,
                code,
                self.selected_priority(),
                sink=self._sink if self.paper_ok else None,  # no paper: the number on screen
                on_issued=self._ticket_committed.emit,
            ),
            self._printed,
            self._issue_failed,
        )

    @Slot(object)
    def _on_issued(self, ticket: IssuedTicket) -> None:
        self._issuing = False
        self.hide_banner()
        self._ticket, self._pdf = ticket, None
        self.show_ticket(ticket)
        self.show_printing("busy")
        self._idle.start()  # the full idle time to read the result
        self._on_tick()
        self.issued.emit(ticket)
        self.refresh()

    def _issue_failed(self, exc: Exception) -> None:
        self._issuing = False
        if isinstance(exc, Refused):
            self.show_issue_failed(exc.zh)
        else:
            log.warning("kiosk issue failed: %s", exc)
            self.show_issue_failed(None)
        self.refresh()  # re-enables the buttons that may be used

    def print_ticket(self) -> None:
        """Print (or save) the current ticket again on the worker; the screen follows."""
        ticket = self._ticket
        if ticket is None:
            return
        self.show_printing("busy")
        self.runner.submit(
            partial(ticket_issue.print_ticket, self.db, ticket, sink=self._sink, pdf=self._pdf),
            self._printed,
            partial(self._print_failed, ticket.id),
        )

    def reprint(self) -> None:
        self.print_ticket()

    def _reprint_touched(self) -> None:
        self.reprint()

    def _printed(self, outcome: IssueOutcome) -> None:
        if self._ticket is None or self._ticket.id != outcome.ticket.id:
            return  # an earlier visitor's ticket
        self._pdf = outcome.pdf or self._pdf  # a reprint needs no second rendering
        if self.escpos is not None and not outcome.printed:
            self.paper_ok = False  # out of paper now: no paper until its status says ready
            self.show_printing("nopaper" if outcome.print_error is None else "error")
        elif outcome.printed and outcome.pdf_path is not None:  # no printer: a file, no paper
            self.show_printing("saved", str(outcome.pdf_path))
        else:
            self.show_printing("ok" if outcome.printed else "error")
        self._idle.start()

    def _print_failed(self, ticket_id: str, exc: Exception) -> None:
        log.warning("ticket printing failed: %s", exc)
        if self._ticket is None or self._ticket.id != ticket_id:
            return
        self.show_printing("error")
        self._idle.start()

    def show_checked_in(self, outcome: IssueOutcome) -> None:
        """An appointment checked in at the check-in page: its ticket, as any ticket."""
        self._on_issued(outcome.ticket)
        self.priority_label.setText(self.tr("预约签到"))
        self.priority_label.setVisible(True)
        self._printed(outcome)

    def restart_idle(self) -> None:
        self._idle.start()

    # -- idle and start ----------------------------------------------------------------------

    def go_start(self) -> None:
        """Back to the start page for the next visitor, with 普通 selected."""
        self._idle.stop()
        self.show_start()

    def _done_touched(self) -> None:
        self.go_start()

    def _touched(self) -> None:
        self._idle.start()  # any touch or key restarts the idle countdown

    def _on_tick(self) -> None:
        countdown = None
        if self.current_page() == "result" and self._idle.isActive():
            countdown = max(1, round(self._idle.remainingTime() / 1000))
        self.show_time(clock.local(clock.now()), countdown)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        for timer in (self._refresh_timer, self._tick, self._idle):
            timer.stop()
        self.runner.shutdown()  # a ticket being printed finishes first
        super().closeEvent(event)
