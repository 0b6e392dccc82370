"""The kiosk's appointment check-in page (预约签到) and its calendar line.

The visitor scans the slip's QR code (a scanner types the code and Enter into the field), types
the code on the keypad, or types the resident ID number. Check-in runs on the kiosk's worker;
the appointment ticket then shows and prints like any ticket. Too early says from when; too late
offers a walk-in ticket (back to the start page).

The calendar line above the services says when the hall is closed and when it opens next, and
announces extended sessions (午间/晚间延时, 周六专场) and when issuing stops.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain import clock
from desk_app.domain.appointments import CODE_ALPHABET
from desk_app.services.appointments import checkin as appointment_checkin
from desk_app.services.common.errors import Refused
from desk_app.services.hall.calendar import Opening
from desk_app.services.queue import take_number as ticket_issue
from desk_app.ui.common import theme
from desk_app.ui.common.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStackedWidget

    from desk_app.store import Database
    from desk_app.ui.common.tasks import TaskRunner

# The session kinds as services name them (calendar.KIND_LABELS_ZH), for the translation.
KIND_LABELS = (
    QT_TRANSLATE_NOOP("OpeningBar", "正常办公"),
    QT_TRANSLATE_NOOP("OpeningBar", "午间延时服务"),
    QT_TRANSLATE_NOOP("OpeningBar", "晚间延时服务"),
    QT_TRANSLATE_NOOP("OpeningBar", "周六专场"),
    QT_TRANSLATE_NOOP("OpeningBar", "专场服务"),
)
KEYS = "0123456789X" + "".join(c for c in CODE_ALPHABET if not c.isdigit() and c != "X")
CODE_MAX = 40  # the field: a booking code, an ID number, or a scanned e-ID code (38)


class OpeningBar(QLabel):
    """One line about the calendar: closed (and the next opening) or an extended session."""

    def __init__(self, look: theme.KioskPalette, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._look = look
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setVisible(False)

    def show_opening(self, opening: Opening | None) -> None:
        look = self._look
        if opening is None or (opening.issuing and not opening.extended and not opening.stops_at):
            self.setVisible(False)
            return
        near = opening.stops_at is not None and opening.session_ends_at is not None
        if (
            opening.issuing
            and not opening.extended
            and not (
                near and opening.stops_at <= opening.session_ends_at  # type: ignore[operator]
            )
        ):
            self.setVisible(False)
            return
        if not opening.issuing:
            text = self.tr("当前不在办理时间, 暂停取号")
            if opening.next_at is not None:
                at = clock.local(opening.next_at)
                text += (
                    self.tr("; 下次开放: %1 %2 (%3)")
                    .replace(
                        "%1",
                        self.tr("%1月%2日").replace("%1", str(at.month)).replace("%2", str(at.day)),
                    )
                    .replace("%2", f"{at:%H:%M}")
                    .replace("%3", self.tr(opening.next_label or ""))
                )
            bg = look.danger
        else:
            stops = clock.local(opening.stops_at) if opening.stops_at else None
            ends = clock.local(opening.session_ends_at) if opening.session_ends_at else None
            if opening.extended:
                text = self.tr("%1进行中").replace("%1", self.tr(opening.label or ""))
                if ends is not None:
                    text += self.tr(" (至 %1)").replace("%1", f"{ends:%H:%M}")
            else:
                text = self.tr("正常办公")
            if stops is not None and (ends is None or stops <= ends):
                text += self.tr(", %1 停止取号").replace("%1", f"{stops:%H:%M}")
            bg = look.accent
        self.setText(text)
        self.setStyleSheet(
            f"background: {bg}; color: white; border-radius: 10px; padding: 8px 16px;"
            f"font-size: {look.pt(17)}pt; font-weight: bold;"
        )
        self.setVisible(True)


def _is_id(text: str) -> bool:
    return len(text) == 18 and text[:17].isdigit()


class CheckinPage(QWidget):
    """Scan, type the code, or the ID number and then the booking phone's last four; 签到."""

    back = Signal()
    submitted = Signal(str)

    def __init__(self, look: theme.KioskPalette, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._look = look
        self._pending_id: str | None = None  # an ID typed, waiting for the phone's last four
        self.card: QPushButton | None = None  # 刷身份证签到, when the kiosk has a reader
        self.setObjectName("page")
        pt = look.pt
        title = QLabel(self.tr("预约签到"))
        title.setStyleSheet(f"font-size: {pt(24)}pt; font-weight: bold;")
        hint = QLabel(
            self.tr("请将预约凭条上的二维码对准扫码口, 或输入预约码 / 身份证号码后点击“签到”")
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(f"font-size: {pt(16)}pt; color: {look.muted};")
        self.field = QLineEdit()
        self.field.setMaxLength(CODE_MAX)
        self.field.setPlaceholderText(self.tr("预约码或身份证号码"))
        self.field.setStyleSheet(
            f"font-size: {pt(24)}pt; padding: 6px; border: 2px solid {look.accent};"
            "border-radius: 10px; background: white;"
        )
        self.field.returnPressed.connect(self.submit)
        keys = QGridLayout()
        keys.setSpacing(8)
        for i, ch in enumerate(KEYS):
            b = self._key(ch)
            b.clicked.connect(partial(self.field.insert, ch))
            keys.addWidget(b, i // 11, i % 11)
        erase = self._key(self.tr("删除"))
        erase.clicked.connect(self.field.backspace)
        keys.addWidget(erase, len(KEYS) // 11, len(KEYS) % 11, 1, 11 - len(KEYS) % 11)
        keys.setVerticalSpacing(6)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setMinimumHeight(round(36 * look.scale))
        self.ok_button = QPushButton(self.tr("签到"))
        self.ok_button.setObjectName("action")
        self.back_button = QPushButton(self.tr("返回取号"))
        self.back_button.setObjectName("action")
        for b in (self.ok_button, self.back_button):
            b.setMinimumHeight(round(56 * look.scale))
            b.setStyleSheet(f"font-size: {pt(20)}pt; font-weight: bold;")
        self.ok_button.clicked.connect(self.submit)
        self.back_button.clicked.connect(self.back)
        actions = QHBoxLayout()
        actions.addWidget(self.back_button, 1)
        actions.addWidget(self.ok_button, 2)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(48, 12, 48, 12)
        lay.setSpacing(8)
        lay.addWidget(title)
        lay.addWidget(hint)
        lay.addWidget(self.field)
        lay.addLayout(keys)
        lay.addWidget(self.message)
        lay.addStretch(1)
        lay.addLayout(actions)

    def _key(self, text: str) -> QPushButton:
        b = QPushButton(text)
        b.setMinimumHeight(round(46 * self._look.scale))
        b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        b.setStyleSheet(
            f"font-size: {self._look.pt(18)}pt; background: {self._look.card};"
            f"border: {self._look.border_w}px solid {self._look.border}; border-radius: 8px;"
        )
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return b

    def entry_button(self) -> QPushButton:
        """The start page's way in: 已预约? 点此签到."""
        look = self._look
        button = QPushButton(self.tr("已预约? 点此签到"))
        button.setObjectName("action")
        button.setMinimumHeight(round(58 * look.scale))
        button.setStyleSheet(
            f"font-size: {look.pt(18)}pt; font-weight: bold; color: white;"
            f"background: {look.accent}; border-radius: 10px;"
        )
        return button

    def card_button(self) -> QPushButton:
        """刷身份证签到: shown when the kiosk has an ID card reader (above the keys)."""
        look = self._look
        button = QPushButton(self.tr("刷身份证签到"))
        button.setObjectName("action")
        button.setMinimumHeight(round(56 * look.scale))
        button.setStyleSheet(
            f"font-size: {look.pt(20)}pt; font-weight: bold; color: white;"
            f"background: {look.accent}; border-radius: 10px;"
        )
        layout = cast(QBoxLayout, self.layout())
        layout.insertWidget(2, button)
        return button

    def show_unavailable(self) -> None:
        self.show_message(self.tr("暂时无法签到, 请联系导服人员"), error=True)

    def reset(self) -> None:
        self._ask_for_code()
        self.show_message("", error=False)
        self.ok_button.setEnabled(True)
        self.field.setFocus()

    def _ask_for_code(self) -> None:
        self._pending_id = None
        self.field.clear()
        self.field.setMaxLength(CODE_MAX)
        self.field.setPlaceholderText(self.tr("预约码或身份证号码"))

    def submit(self) -> None:
        text = self.field.text().strip()
        if self._pending_id is None and _is_id(text):
            # An ID number alone would tell anyone at the kiosk whether that person is booked:
            # the phone given at booking is asked for too.
            self._pending_id = text
            self.field.clear()
            self.field.setMaxLength(4)
            self.field.setPlaceholderText(self.tr("预约手机号后四位"))
            self.show_message(
                self.tr("为保护您的信息, 请输入预约时所留手机号的后四位, 再点击“签到”"),
                error=False,
            )
            return
        if self._pending_id is not None:
            if not (len(text) == 4 and text.isdigit()):
                self._show(self.tr("请输入手机号后四位 (4 位数字)"), error=True)
                return
            text = f"{self._pending_id}|{text}"
        elif not text:
            self.show_message(self.tr("请输入预约码或身份证号码"), error=True)
            return
        self.ok_button.setEnabled(False)
        self.show_message(self.tr("正在签到, 请稍候…"), error=False)
        self.submitted.emit(text)

    def show_message(self, text: str, *, error: bool) -> None:
        if error and self._pending_id is not None:
            self._ask_for_code()  # a refused ID check-in starts again from the ID
        self._show(text, error=error)

    def _show(self, text: str, *, error: bool) -> None:
        look = self._look
        self.message.setText(text)
        self.message.setStyleSheet(
            f"font-size: {look.pt(19)}pt; font-weight: bold;"
            f"color: {look.danger if error else look.text};"
        )
        self.ok_button.setEnabled(True)


class KioskHost(Protocol):
    """What the check-in page uses of the kiosk window (which installs it)."""

    db: Database
    ticket_sink: Any
    runner: TaskRunner
    pages: QStackedWidget
    start_page: QWidget
    opening_bar: OpeningBar
    checkin_button: QPushButton

    def restart_idle(self) -> None: ...

    def show_checked_in(self, outcome: ticket_issue.IssueOutcome) -> None: ...

    def go_start(self) -> None: ...


def checkin_and_print(kiosk: KioskHost, text: str) -> ticket_issue.IssueOutcome:
    """On the worker: check in by code, or by "ID|last four of the phone", then print the
    appointment ticket."""
    from desk_app.ui.common.idcard import is_eid, resolve_eid

    if is_eid(text):  # the e-ID code from the visitor's app: as good as the card itself
        person = resolve_eid(text)
        result = appointment_checkin.checkin(kiosk.db, id_no=person["id_number"], card=True)
        return ticket_issue.print_ticket(kiosk.db, result.ticket, sink=kiosk.ticket_sink)
    id_no, _, digits = text.partition("|")
    if _is_id(id_no) and digits:
        result = appointment_checkin.checkin(kiosk.db, id_no=id_no, phone_last4=digits)
    else:
        result = appointment_checkin.checkin(kiosk.db, code=text)
    return ticket_issue.print_ticket(kiosk.db, result.ticket, sink=kiosk.ticket_sink)


def checkin_by_card(kiosk: KioskHost) -> ticket_issue.IssueOutcome:
    """On the worker: the visitor's ID card on the kiosk's reader checks in today's booking
    (the card is the second factor: no phone digits), then the ticket prints."""
    from desk_app.services.devices.cards import read_here

    card = read_here(kiosk.db, timeout=8.0)
    result = appointment_checkin.checkin(kiosk.db, id_no=card.id_number, card=True)
    return ticket_issue.print_ticket(kiosk.db, result.ticket, sink=kiosk.ticket_sink)


def _has_reader(kiosk: KioskHost) -> bool:
    from desk_app.services.devices.cards import reader_here

    try:
        return reader_here(kiosk.db) is not None
    except Exception:  # noqa: BLE001 - no registry to read: no card button
        return False


def install(kiosk: KioskHost, look: theme.KioskPalette) -> CheckinPage:
    """Add the calendar line and the 预约签到 button to the start page, and the check-in page."""
    kiosk.opening_bar = OpeningBar(look)
    start = cast(QBoxLayout, kiosk.start_page.layout())  # the start page is a column
    start.insertWidget(0, kiosk.opening_bar)
    page = CheckinPage(look)
    button = page.entry_button()
    start.insertWidget(1, button)
    kiosk.pages.addWidget(page)

    def open_page() -> None:
        page.reset()
        kiosk.pages.setCurrentWidget(page)
        kiosk.restart_idle()

    def done(outcome: ticket_issue.IssueOutcome) -> None:
        kiosk.show_checked_in(outcome)

    def failed(exc: Exception) -> None:
        if isinstance(exc, Refused):
            page.show_message(exc.zh, error=True)
        else:
            page.show_unavailable()

    if _has_reader(kiosk):
        card = page.card_button()

        def read_card() -> None:
            kiosk.restart_idle()
            page.show_message(page.tr("请将身份证放在阅读器上…"), error=False)
            kiosk.runner.submit(partial(checkin_by_card, kiosk), done, failed)

        card.clicked.connect(read_card)
        page.card = card
    button.clicked.connect(open_page)
    page.back.connect(kiosk.go_start)
    page.submitted.connect(
        lambda text: kiosk.runner.submit(partial(checkin_and_print, kiosk, text), done, failed)
    )
    kiosk.checkin_button = button
    return page
