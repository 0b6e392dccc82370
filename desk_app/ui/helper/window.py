"""The helper's workstation (帮办代办): today's sessions on the left, the chosen session's
timeline, authorization, linked cases and pain points on the right, the actions with their keys
below. Every action is one service call on the screen's worker thread; the list is re-read every
few seconds so sessions started at another desk appear. Personal data shows masked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain import assist as rules
from desk_app.domain import clock
from desk_app.domain.assist import AssistAction, AssistMode, SessionState
from desk_app.services.assist import documents as assist_print
from desk_app.services.assist import pain_points
from desk_app.services.assist import sessions as assist
from desk_app.services.assist.pain_points import PainView
from desk_app.services.assist.views import SessionSummary, SessionView
from desk_app.services.common.catalog import catalog
from desk_app.store import Database
from desk_app.ui.common import theme
from desk_app.ui.common.i18n import QT_TRANSLATE_NOOP
from desk_app.ui.common.idcard import ReadCardButton
from desk_app.ui.common.kb_panel import KbButton
from desk_app.ui.common.paper import install_printer_choice, paper_message, print_saved
from desk_app.ui.common.tasks import TaskRunner, user_message
from desk_app.ui.helper.dialogs import (
    AppointmentLookup,
    AuthorizeDialog,
    FormDialog,
    PainDialog,
    ReasonDialog,
    StartDialog,
    StepDialog,
)
from desk_app.ui.helper.panel import (
    CHANNEL_LABELS,
    MODE_LABELS,
    STATE_COLOURS,
    STATE_LABELS,
    SessionPanel,
    cell,
    label,
    list_table,
)

# action key -> (label, shortcut)
ACTIONS: dict[str, tuple[str, str]] = {
    "start": (QT_TRANSLATE_NOOP("HelperWindow", "新建服务"), "F2"),
    "step": (QT_TRANSLATE_NOOP("HelperWindow", "添加环节"), "F3"),
    "authorize": (QT_TRANSLATE_NOOP("HelperWindow", "授权委托书"), "F4"),
    "suspend": (QT_TRANSLATE_NOOP("HelperWindow", "中止"), "F5"),
    "resume": (QT_TRANSLATE_NOOP("HelperWindow", "恢复"), "F6"),
    "terminate": (QT_TRANSLATE_NOOP("HelperWindow", "终止"), "F7"),
    "conclude": (QT_TRANSLATE_NOOP("HelperWindow", "办结"), "F8"),
    "pain": (QT_TRANSLATE_NOOP("HelperWindow", "记录堵点"), "F9"),
    "print": (QT_TRANSLATE_NOOP("HelperWindow", "打印表单"), "F10"),
}
# The form printed after each state change (the session's state decides which one tells it).
FORM_OF_STATE = {
    "active": "accept",
    "suspended": "suspend",
    "terminated": "terminate",
    "concluded": "conclude",
}


def _bundle_shown(code: str | None, name: str | None) -> str:
    """The bundle's name in the screen's language."""
    from desk_app.services.common.catalog import english_name
    from desk_app.ui.common.i18n import is_english

    return (english_name(code, name or "—") if is_english() else name) or "—"


class HelperWindow(QWidget):
    """The helper's screen, on a handle acting for the logged-in helper."""

    session_shown = Signal(object)  # SessionView, after it is shown
    action_failed = Signal(str)

    def __init__(
        self,
        db: Database,
        *,
        refresh_ms: int = 5000,
        document_dir: str | None = None,
        appointment_lookup: AppointmentLookup | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.appointment_lookup = appointment_lookup  # wired in where appointments exist
        self.document_dir = Path(document_dir) if document_dir else None
        self.runner = TaskRunner(self)
        self.sessions: list[SessionSummary] = []
        self.current: SessionView | None = None
        self.pains: list[PainView] = []
        self.dialog: FormDialog | None = None
        self.last_document: Path | None = None
        self.bundles = list(catalog().bundles)
        who = db.actor.code if db.actor else ""
        self.setWindowTitle(self.tr("帮办代办 · 高效办成一件事") + f" · {who}")
        self._build()
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.setStyleSheet(f"HelperWindow {{ background: {theme.SURFACE}; }}")
        header = QLabel(self.tr("帮办代办工作台"))
        header.setStyleSheet(f"font-size: 15pt; font-weight: bold; color: {theme.PRIMARY};")
        self.who_label = QLabel(self.db.actor.code if self.db.actor else "")
        self.who_label.setStyleSheet(f"color: {theme.MUTED}; font-size: 12pt;")
        self.day_label = QLabel()
        self.day_label.setStyleSheet(f"color: {theme.MUTED}; font-size: 12pt;")
        top = QHBoxLayout()
        top.addWidget(header)
        top.addSpacing(12)
        top.addWidget(self.who_label)
        top.addStretch()
        # F11: 政策问答 for the session's 一件事 (the same answers as the counter and 12345)
        self.kb_button = KbButton(
            self, bundle_of=lambda: self.current.bundle if self.current else None, channel="helper"
        )
        top.addWidget(self.kb_button)
        top.addWidget(self.day_label)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        left = QWidget()
        left_lay = QVBoxLayout(left)
        left_lay.setContentsMargins(0, 0, 0, 0)
        self.list_caption = QLabel(self.tr("今日帮办服务"))
        self.list_caption.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.list = list_table(
            [
                self.tr("编号"),
                self.tr("开始"),
                self.tr("方式"),
                self.tr("服务对象"),
                self.tr("一件事"),
                self.tr("状态"),
            ],
            stretch=4,
        )
        self.list.itemSelectionChanged.connect(self._selected)
        self.totals = QLabel()
        self.totals.setStyleSheet(f"color: {theme.MUTED};")
        left_lay.addWidget(self.list_caption)
        left_lay.addWidget(self.list, 1)
        left_lay.addWidget(self.totals)

        self.panel = SessionPanel()

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.panel)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([640, 680])  # the list needs its bundle column (English names are long)

        grid = QGridLayout()
        grid.setSpacing(8)
        self.buttons: dict[str, QPushButton] = {}
        handlers: dict[str, Callable[[], None]] = {
            "start": self.start_session,
            "step": self.add_step,
            "authorize": self.authorize,
            "suspend": lambda: self.change_state(AssistAction.SUSPEND),
            "resume": lambda: self.change_state(AssistAction.RESUME),
            "terminate": lambda: self.change_state(AssistAction.TERMINATE),
            "conclude": lambda: self.change_state(AssistAction.CONCLUDE),
            "pain": self.add_pain,
            "print": self.print_form,
        }
        for n, (key, (text, shortcut)) in enumerate(ACTIONS.items()):
            b = QPushButton(f"{self.tr(text)}  ({shortcut})")
            b.setMinimumHeight(46)
            if key in ("start", "step"):
                b.setProperty("primary", True)
            b.clicked.connect(handlers[key])
            QShortcut(QKeySequence(shortcut), self, handlers[key])
            grid.addWidget(b, n // 5, n % 5)  # two rows: fits a 1280-wide screen in English
            self.buttons[key] = b
        # A visitor with a ticket or a booking: the form opens with the number field ready.
        QShortcut(QKeySequence("Shift+F2"), self, lambda: self.start_session("ticket"))
        QShortcut(QKeySequence("Ctrl+F2"), self, lambda: self.start_session("appointment"))
        self.buttons["start"].setToolTip(self.tr("Shift+F2 凭号票，Ctrl+F2 凭预约"))
        QShortcut(QKeySequence("Ctrl+E"), self, self.explain_pain)
        QShortcut(QKeySequence("Ctrl+R"), self, self.refresh)
        QShortcut(QKeySequence("Ctrl+L"), self, self.list.setFocus)
        install_printer_choice(self)  # Ctrl+P: this PC's printer

        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.addLayout(top)
        lay.addWidget(self.banner)
        lay.addWidget(split, 1)
        lay.addLayout(grid)
        self._enable()

    # -- reading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read today's sessions, the pain points and the session shown (off the UI thread)."""
        chosen = self.current.id if self.current else None

        def work() -> tuple[list[SessionSummary], list[PainView], SessionView | None]:
            views = assist.list_sessions(self.db)
            pains = pain_points.list_pains(self.db)
            shown = assist.show(self.db, chosen) if chosen is not None else None
            return views, pains, shown

        self.runner.submit(work, self._read, self._failed)

    def _read(
        self, result: tuple[list[SessionSummary], list[PainView], SessionView | None]
    ) -> None:
        sessions, pains, shown = result
        self.day_label.setText(f"{clock.today():%Y-%m-%d}")
        self.sessions = sessions
        self.pains = pains
        self._fill_list()
        self.panel.show_pains(pains)
        if shown is not None:
            self.show_session(shown)

    def _fill_list(self) -> None:
        chosen = self.current.id if self.current else None
        self.list.blockSignals(True)
        self.list.setRowCount(len(self.sessions))
        for row, s in enumerate(self.sessions):
            cells = [
                assist_print.session_number(s.id),
                f"{clock.local(s.started_at):%H:%M}",
                f"{label(MODE_LABELS[s.mode])}·{label(CHANNEL_LABELS[s.channel])}",
                s.visitor_name,
                _bundle_shown(s.bundle, s.bundle_name),
                label(STATE_LABELS[s.state]),
            ]
            colour = STATE_COLOURS.get(s.state)
            for col, text in enumerate(cells):
                item = cell(text, s.id)
                if colour and col == len(cells) - 1:
                    item.setForeground(QColor(colour))
                self.list.setItem(row, col, item)
            if s.id == chosen:
                self.list.selectRow(row)
        self.list.blockSignals(False)
        done = sum(s.state == SessionState.CONCLUDED for s in self.sessions)
        minutes = sum(s.minutes for s in self.sessions)
        self.totals.setText(
            self.tr("共 %1 次，已办结 %2 次，办理用时 %3 分钟")
            .replace("%1", str(len(self.sessions)))
            .replace("%2", str(done))
            .replace("%3", str(minutes))
        )

    def _selected(self) -> None:
        rows = self.list.selectionModel().selectedRows()
        if not rows:
            return
        item = self.list.item(rows[0].row(), 0)
        if item is None:
            return
        sid = item.data(Qt.ItemDataRole.UserRole)
        if self.current is not None and self.current.id == sid:
            return
        self.runner.submit(lambda: assist.show(self.db, sid), self.show_session, self._failed)

    def show_session(self, v: SessionView) -> None:
        self.current = v
        self.panel.show_session(v)
        self._enable()
        self.session_shown.emit(v)

    def _enable(self) -> None:
        state = self.current.state if self.current else None
        proxy = self.current is not None and self.current.mode == AssistMode.PROXY
        for key, action in (
            ("step", AssistAction.STEP),
            ("suspend", AssistAction.SUSPEND),
            ("resume", AssistAction.RESUME),
            ("terminate", AssistAction.TERMINATE),
            ("conclude", AssistAction.CONCLUDE),
        ):
            self.buttons[key].setEnabled(state is not None and rules.allowed(action, state))
        self.buttons["authorize"].setEnabled(
            proxy and state is not None and rules.allowed(AssistAction.AUTHORIZE, state)
        )
        self.buttons["print"].setEnabled(state is not None)

    # -- actions -----------------------------------------------------------------------------

    def _open(self, dialog: FormDialog, after: Callable[[Any], None]) -> None:
        self.dialog = dialog
        dialog.saved.connect(after)
        dialog.open()

    def _bundle(self, code: str | None):  # type: ignore[no-untyped-def]
        return next((b for b in self.bundles if b.code == code), None)

    def start_session(self, origin: str = "walk-up") -> None:
        def act(v: dict[str, Any]) -> SessionView:
            return assist.start_session(self.db, **v)

        self._open(
            StartDialog(
                self.bundles,
                act,
                self,
                origin=origin,
                appointment_lookup=self.appointment_lookup,
                card_reader=ReadCardButton(self.db, self.runner, shortcut=None),
            ),
            self._started,
        )

    def _started(self, view: SessionView) -> None:
        self.current = view
        self.show_session(view)
        self.refresh()
        if view.mode == AssistMode.PROXY:
            self.say(self.tr("已新建代办服务：请先签署授权委托书 (F4)。"))

    def add_step(self) -> None:
        v = self.current
        if v is None:
            return

        def act(values: dict[str, Any]) -> SessionView:
            return assist.add_step(self.db, v.id, **values)

        self._open(StepDialog(self._bundle(v.bundle), act, self), self._changed)

    def authorize(self) -> None:
        v = self.current
        b = self._bundle(v.bundle) if v else None
        if v is None or b is None:
            return

        def act(values: dict[str, Any]) -> tuple[SessionView, Path | None]:
            printing = values.pop("print")
            view = assist.authorize(self.db, v.id, **values)
            path = self._document(v.id, "authorization") if printing else None
            if path is not None:
                assist_print.print_authorization(self.db, v.id, path)
            return view, path

        self._open(AuthorizeDialog(b, clock.today(), act, self), self._changed_printed)

    def change_state(self, action: AssistAction) -> None:
        v = self.current
        if v is None or not rules.allowed(action, v.state):
            return
        titles = {
            AssistAction.SUSPEND: (self.tr("中止帮办服务"), self.tr("打印中止单")),
            AssistAction.RESUME: (self.tr("恢复办理"), self.tr("打印受理单")),
            AssistAction.TERMINATE: (self.tr("终止帮办服务"), self.tr("打印终止单")),
            AssistAction.CONCLUDE: (self.tr("办结帮办服务"), self.tr("打印办结单")),
        }
        title, form_label = titles[action]

        def act(values: dict[str, Any]) -> tuple[SessionView, Path | None]:
            view = assist.change_state(self.db, v.id, action, values["reason"])
            path = None
            if values["print"]:
                kind = FORM_OF_STATE[view.state]
                path = self._document(v.id, kind)
                assist_print.print_form(self.db, v.id, kind, path)
            return view, path

        required = action in rules.NEEDS_REASON
        self._open(
            ReasonDialog(title, form_label, act, self, required=required), self._changed_printed
        )

    def add_pain(self) -> None:
        v = self.current

        def act(values: dict[str, Any]) -> PainView:
            return pain_points.add_pain(self.db, session_id=v.id if v else None, **values)

        def recorded(p: PainView) -> None:
            self.say(
                self.tr("已记录堵点 %1，期限 %2")
                .replace("%1", str(p.id))
                .replace("%2", p.due.isoformat())
            )
            self.refresh()

        self._open(
            PainDialog(self.bundles, act, self, bundle_code=v.bundle if v else None), recorded
        )

    def explain_pain(self) -> None:
        """The pain point chosen in the list is no blockage after all: record why (解释说明)."""
        rows = self.panel.pain_table.selectionModel().selectedRows()
        if not rows:
            self.panel.tabs.setCurrentIndex(1)
            self.panel.pain_table.setFocus()
            self.say(self.tr("请先在堵点列表中选中一条（↑↓），再按 Ctrl+E。"), error=True)
            return
        item = self.panel.pain_table.item(rows[0].row(), 0)
        if item is None:
            return
        pain_id = item.data(Qt.ItemDataRole.UserRole)

        def act(values: dict[str, Any]) -> PainView:
            return pain_points.explain(self.db, pain_id, values["reason"])

        title = self.tr("堵点 %1 解释说明").replace("%1", str(pain_id))
        dialog = ReasonDialog(title, None, act, self, field_label=self.tr("解释说明"))
        self._open(dialog, lambda _p: self.refresh())

    def print_form(self) -> None:
        v = self.current
        if v is None:
            return
        kind = FORM_OF_STATE[v.state]

        def work() -> Path:
            path = self._document(v.id, kind)
            assist_print.print_form(self.db, v.id, kind, path)
            return path

        self.runner.submit(work, self._printed, self._failed)

    # -- results -----------------------------------------------------------------------------

    def _changed(self, view: SessionView) -> None:
        self.show_session(view)
        self.refresh()

    def _changed_printed(self, result: tuple[SessionView, Path | None]) -> None:
        view, path = result
        self._changed(view)
        if path is not None:
            self._printed(path)

    def _printed(self, path: Path) -> None:
        """The form is saved: now to this PC's printer (Shift: the system's dialog)."""
        self.last_document = path
        print_saved(
            self.runner,
            self,
            path,
            lambda paper: self.say(paper_message(paper)),
            lambda exc: self.say(user_message(exc), error=True),
        )

    def _document(self, session_id: int, kind: str) -> Path:
        from desk_app.paths import documents_dir, unused_document_path

        folder = self.document_dir or documents_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return unused_document_path(folder, f"{assist_print.session_number(session_id)}-{kind}")

    def say(self, text: str, *, error: bool = False) -> None:
        colour = theme.DANGER if error else theme.OK
        self.banner.setStyleSheet(
            f"background: white; border: 1px solid {colour}; border-radius: 6px; padding: 6px;"
            f" color: {colour}; font-size: 12pt;"
        )
        self.banner.setText(text)
        self.banner.setVisible(True)

    def _failed(self, exc: Exception) -> None:
        message = user_message(exc)
        self.say(message, error=True)
        self.action_failed.emit(message)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        self._timer.stop()
        self.runner.shutdown()
        super().closeEvent(event)
