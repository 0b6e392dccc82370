"""The kiosk's screen (自助取号机): its layout and its words, nothing that talks to the hall.

Two pages. *Start*: the hall's name, the priority lane (绿色通道) as big toggles, and one touch
button per service with the people waiting and the estimate. *Result*: the number, huge, with
the service, people ahead and the estimate, and how the printing went. ``kiosk.KioskWindow``
adds what a touch does; here a touch only calls one of the ``_..._touched`` callbacks.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.services.common.catalog import english_name
from desk_app.services.common.dto import IssuedTicket
from desk_app.services.queue.boards import KioskBoard
from desk_app.ui.common import theme
from desk_app.ui.common.i18n import is_english
from desk_app.ui.common.widgets import HeavyLabel
from desk_app.ui.kiosk.buttons import ServiceGrid

# Touches and keys that count as someone using the kiosk (they restart the idle timer).
_ACTIVITY = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


def kiosk_fit(large_text: bool, screen_size: tuple[int, int] | None) -> float:
    """The share of the kiosk's sizes a screen takes: 1 for standard text (it fits 1280x720);
    large text is drawn for 1920x1080 and shrinks on a smaller screen, never below the
    standard size."""
    if not large_text or screen_size is None:
        return 1.0
    width, height = screen_size
    share = min(1.0, width / 1920, height / 1080)
    return max(share, 1 / theme.LARGE_TEXT_SCALE)


class KioskView(QWidget):
    """The kiosk's two pages, laid out for a touch screen in the chosen look."""

    PRIORITIES: tuple[str | None, ...] = (None, "elderly", "disabled", "pregnant", "military")

    def __init__(
        self,
        *,
        large_text: bool = False,
        parent: QWidget | None = None,
        screen_size: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(parent)
        self._look = theme.KioskPalette(large_text, kiosk_fit(large_text, screen_size))
        self._family = theme.load_bundled_font()
        self.setWindowTitle(self.tr("自助取号"))
        self._build()
        self._watch(self)

    # -- what a touch does (kiosk.KioskWindow) -----------------------------------------------

    def _service_touched(self, code: str) -> None:
        raise NotImplementedError

    def _reprint_touched(self) -> None:
        raise NotImplementedError

    def _done_touched(self) -> None:
        raise NotImplementedError

    def _touched(self) -> None:
        """Any touch or key anywhere on the kiosk."""
        raise NotImplementedError

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
            f"color: {look.header_fg}; font-size: {look.pt(24)}pt; font-weight: bold;"
        )
        subtitle = QLabel(self.tr("高效办成一件事 · 自助取号"))
        subtitle.setStyleSheet(f"color: {look.header_fg}; font-size: {look.pt(15)}pt;")
        self.clock_label = QLabel()
        self.clock_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.clock_label.setStyleSheet(f"color: {look.header_fg}; font-size: {look.pt(17)}pt;")
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

        self.services = ServiceGrid(
            look,
            loading_text=self.tr("正在读取可办理的事项…"),
            empty_text=self.tr("今日暂无可取号的事项, 请咨询导服台"),
        )
        self.services.touched.connect(self._service_touched)

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
        lay.addWidget(self.services, 1)
        lay.addWidget(self.banner)
        self.paper_note = QLabel()
        self.paper_note.setWordWrap(True)
        self.paper_note.setStyleSheet(f"font-size: {look.pt(12)}pt; color: {look.muted};")
        self.paper_note.setVisible(False)
        lay.addWidget(self.paper_note)
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
        self.number_label.setStyleSheet(f"font-size: {pt(120)}pt; color: {look.accent};")
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
        # Where a ticket went when there is no printer: for staff, small and plain.
        self.saved_label = QLabel()
        self.saved_label.setWordWrap(True)
        self.saved_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.saved_label.setStyleSheet(f"font-size: {pt(12)}pt; color: {look.muted};")
        self.saved_label.setVisible(False)
        for label in (
            self.result_title,
            self.number_label,
            self.service_label,
            self.ahead_label,
            self.print_label,
            self.saved_label,
        ):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.reprint_button = QPushButton(self.tr("重新打印"))
        self.reprint_button.setObjectName("action")
        # A finger's target already; its words grow, its padding need not (800 px screens).
        button_h = 68 if not look.high_contrast else 84
        self.reprint_button.setMinimumHeight(button_h)
        self.reprint_button.clicked.connect(self._reprint_touched)
        self.reprint_button.setVisible(False)
        self.done_button = QPushButton(self.tr("完成"))
        self.done_button.setObjectName("action")
        self.done_button.setProperty("primary", True)
        self.done_button.setMinimumHeight(button_h)
        self.done_button.setMinimumWidth(220)
        self.done_button.clicked.connect(self._done_touched)
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
        gap = 0 if look.high_contrast else 8  # large text needs every pixel of 800
        card_lay.addSpacing(gap)
        card_lay.addWidget(self.print_label)
        card_lay.addWidget(self.saved_label)
        card_lay.addSpacing(gap)
        card_lay.addLayout(buttons)

        self.countdown_label = QLabel()
        self.countdown_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown_label.setStyleSheet(f"font-size: {pt(14)}pt; color: {look.muted};")
        lay = QVBoxLayout(page)
        lay.setContentsMargins(32, 4 if look.high_contrast else 16, 32, 4)
        lay.addStretch(1)
        lay.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        lay.addStretch(1)
        lay.addWidget(self.countdown_label)
        return page

    # -- for tests and the app ---------------------------------------------------------------

    def service_button(self, code: str) -> QPushButton:
        """The touch button of service ``code`` (KeyError before the first board is read)."""
        return self.services.button(code)

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

    def print_status(self) -> str:
        """The result page's printing line (for tests and support staff)."""
        return self.print_label.text()

    # -- what the kiosk shows ----------------------------------------------------------------

    def show_board(self, board: KioskBoard) -> None:
        """The hall's name and one button per service, with its queue or its state."""
        self.hall_label.setText(board.hall_name)
        if self.services.show_services(board.services):
            self._watch(self.services)  # the new buttons count as touches too

    def disable_services(self) -> None:
        """Grey out every service (one ticket per touch, even on a bouncing screen)."""
        self.services.disable_all()

    def show_issuing(self) -> None:
        self.show_banner(self.tr("正在取号, 请稍候…"), error=False, ms=30_000)

    def show_issue_failed(self, reason: str | None) -> None:
        """Why no number was issued (the service's own words), or a generic apology."""
        text = reason or self.tr("暂时无法取号, 请稍后再试或联系导服人员")
        self.show_banner(text, error=True, ms=10_000)

    def show_connection_lost(self, ms: int) -> None:
        self.show_banner(self.tr("连接中断, 正在重试…"), error=True, ms=ms, kind="connection")

    def hide_banner(self, kind: str | None = None) -> None:
        """Hide the banner (only if it is of ``kind``, when given)."""
        if kind is None or self.banner.property("kind") == kind:
            self.banner.setVisible(False)

    def show_ticket(self, ticket: IssuedTicket) -> None:
        """The result page with ``ticket``'s number, service, people ahead and estimate."""
        self.number_label.setText(ticket.number)
        self.service_label.setText(
            english_name(ticket.service, ticket.service_name)
            if is_english()
            else ticket.service_name
        )
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

    def show_no_printer(self, folder: str) -> None:
        """Staff's note on the start page: no printer is configured, tickets go to ``folder``."""
        self.paper_note.setText(
            self.tr("未配置号票打印机: 号票只保存为文件, 在 %1").replace("%1", folder)
        )
        self.paper_note.setVisible(True)

    def show_printing(self, kind: str, saved_to: str | None = None) -> None:
        """How the paper is doing: ``busy``, ``ok`` (take it), ``error`` (offer a reprint) or
        ``saved`` (no printer: only a file ``saved_to`` was written; nothing to take)."""
        look = self._look
        text = {
            "busy": self.tr("正在打印号票…"),
            "ok": self.tr("请取走号票"),
            "error": self.tr("打印失败, 请凭此屏幕号码等候, 或联系导服人员"),
            "saved": self.tr("未接打印机, 号票没有打印; 请记住屏幕上的号码"),
            "nopaper": self.tr("打印机缺纸或未就绪, 本次不出号票; 请记住或拍下屏幕上的号码"),
        }[kind]
        color = {
            "busy": look.muted,
            "ok": look.ok,
            "error": look.danger,
            "saved": look.warn,
            "nopaper": look.warn,
        }[kind]
        self.saved_label.setText(
            self.tr("号票文件: %1").replace("%1", saved_to) if saved_to else ""
        )
        self.saved_label.setVisible(bool(saved_to))
        self.print_label.setText(text)
        self.print_label.setProperty("kind", kind)
        self.print_label.setStyleSheet(
            f"font-size: {look.pt(26 if kind == 'ok' else 20)}pt; color: {color};"
            f"font-weight: {'normal' if kind == 'busy' else 'bold'};"
        )
        self.reprint_button.setVisible(kind == "error")

    def show_start(self) -> None:
        """The start page for the next visitor, with 普通 selected."""
        self.pages.setCurrentWidget(self.start_page)
        self._priority_buttons[None].setChecked(True)
        self.reprint_button.setVisible(False)

    def show_time(self, now: datetime, countdown_s: int | None) -> None:
        """The header's clock (hall time) and, on the result page, the seconds left there."""
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
        if countdown_s is not None:
            text = self.tr("%1 秒后自动返回首页").replace("%1", str(countdown_s))
            self.countdown_label.setText(text)

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

    def _watch(self, root: QWidget) -> None:
        # Filters on the kiosk's own widgets, not on the whole application: an application
        # filter would see every event of every object, including objects being destroyed.
        for widget in [root, *root.findChildren(QWidget)]:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _ACTIVITY:
            self._touched()
        return False
