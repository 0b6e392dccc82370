"""The counter's idle lock: after N minutes without keyboard or mouse input the whole counter
window is covered by a screen that shows no personal data and opens only with the logged-in
staff member's own password. The window session stays open meanwhile (visitors keep being
called by others; this window just waits).

The idle time is the hall setting ``idle_lock_minutes`` (default 10), read through
desk_app.services.accounts.workstation. Unlocking goes through accounts.authenticate, so failures count
toward the account's lockout and are audited like any log-in.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.services.accounts import staff as accounts
from desk_app.services.accounts import workstation
from desk_app.services.accounts.staff import LoginResult
from desk_app.store import Database
from desk_app.ui.common import theme
from desk_app.ui.common.password_dialog import error_label, password_edit, refusal_text
from desk_app.ui.common.tasks import TaskRunner

log = logging.getLogger(__name__)

# What counts as someone at the counter. Mouse moves too: reading the queue is working.
_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class LockScreen(QFrame):
    """Covers its parent. Shows the staff code and a password field, nothing else; emits
    ``unlocked`` once ``code``'s password is accepted."""

    unlocked = Signal(object)  # LoginResult

    def __init__(self, db: Database, code: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.db, self.code = db, code
        self.runner = TaskRunner(self)
        self.setObjectName("lockScreen")
        self.setStyleSheet(
            f"#lockScreen {{ background: {theme.PRIMARY_DARK}; }}"
            "#lockCard { background: white; border-radius: 12px; }"
        )
        card = QFrame()
        card.setObjectName("lockCard")
        card.setFixedWidth(460)
        self.title = QLabel(self.tr("已锁定"))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setStyleSheet(f"font-size: 24pt; font-weight: bold; color: {theme.PRIMARY};")
        self.prompt = QLabel(self.tr("工号 %1 · 请输入密码解锁").replace("%1", code))
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt.setWordWrap(True)
        self.prompt.setStyleSheet("font-size: 13pt;")
        self.password_edit = password_edit(self.tr("密码"))
        self.password_edit.returnPressed.connect(self.submit)
        self.error_label = error_label()
        self.unlock_button = QPushButton(self.tr("解锁  (Enter)"))
        self.unlock_button.setProperty("primary", True)
        self.unlock_button.setMinimumHeight(40)
        self.unlock_button.clicked.connect(self.submit)
        card_lay = QVBoxLayout(card)
        card_lay.setContentsMargins(28, 24, 28, 24)
        card_lay.setSpacing(12)
        card_lay.addWidget(self.title)
        card_lay.addWidget(self.prompt)
        card_lay.addWidget(self.password_edit)
        card_lay.addWidget(self.error_label)
        card_lay.addWidget(self.unlock_button)
        lay = QVBoxLayout(self)
        lay.addStretch(2)  # a little above the middle, where the eye goes first
        lay.addWidget(card, alignment=Qt.AlignmentFlag.AlignCenter)
        lay.addStretch(3)

    def submit(self) -> None:
        password = self.password_edit.text()
        if not password:
            self.show_error(self.tr("请输入密码。"))
            return
        self.unlock_button.setEnabled(False)
        self.password_edit.clear()
        self.runner.submit(
            lambda: accounts.authenticate(self.db, self.code, password), self._done, self._failed
        )

    def _done(self, result: LoginResult) -> None:
        self.unlock_button.setEnabled(True)
        self.error_label.setVisible(False)
        self.unlocked.emit(result)

    def _failed(self, exc: Exception) -> None:
        self.unlock_button.setEnabled(True)
        self.show_error(refusal_text(exc))
        self.password_edit.setFocus()

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(True)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 - Qt's names
        """Tab stays on the lock screen: nothing underneath may take the keyboard."""
        target = self.unlock_button if self.password_edit.hasFocus() else self.password_edit
        target.setFocus(Qt.FocusReason.TabFocusReason)
        return True


class IdleLock(QObject):
    """Watches the whole application's input and locks ``screen`` (the counter window) after
    the idle time. ``idle_ms`` overrides the hall setting (tests, demos)."""

    locked_changed = Signal(bool)

    def __init__(self, screen: QWidget, db: Database, *, idle_ms: int | None = None) -> None:
        super().__init__(screen)
        self.screen, self.db = screen, db
        self.overlay = LockScreen(db, db.actor.code, screen)
        self.overlay.hide()
        self.overlay.unlocked.connect(lambda _result: self.unlock())
        self._locked = False
        self._disabled_shortcuts: list[QShortcut] = []
        self._hidden_windows: list[QWidget] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        if idle_ms is not None:
            self.timer.start(idle_ms)
        else:
            self.timer.start(workstation.IDLE_LOCK_DEFAULT * 60_000)
            self.overlay.runner.submit(
                lambda: workstation.idle_lock_minutes(db), self._got_minutes, self._no_minutes
            )

    @property
    def locked(self) -> bool:
        return self._locked

    def _got_minutes(self, minutes: int) -> None:
        self.timer.setInterval(minutes * 60_000)
        if not self._locked:
            self.timer.start()

    def _no_minutes(self, exc: Exception) -> None:
        log.warning("idle lock: keeping the default of %s minutes (%s)", self.timer.interval(), exc)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if obj is self.screen:
            if kind == QEvent.Type.Resize and self._locked:
                self.overlay.setGeometry(self.screen.rect())
            elif kind == QEvent.Type.Close and self._locked:
                event.ignore()  # closing would log the window out: only its owner may
                return True
        if kind in _INPUT and not self._locked:
            self.timer.start()  # someone is at the counter: the idle time starts again
        return False

    def lock(self) -> None:
        """Cover the counter now (also what the idle timer does)."""
        if self._locked:
            return
        self._locked = True
        self.timer.stop()
        # F1-F10 (and a call-pad sending them) do nothing while locked.
        self._disabled_shortcuts = [
            sc for sc in self.screen.findChildren(QShortcut) if sc.isEnabled()
        ]
        for sc in self._disabled_shortcuts:
            sc.setEnabled(False)
        # Dialogs of the counter (a case being entered) show personal data: out of sight.
        self._hidden_windows = []
        for w in self.screen.findChildren(QWidget):
            if w.isWindow() and w.isVisible():
                if isinstance(w, QDialog) and w.isModal():
                    w.reject()  # a modal question would keep the keyboard from the lock screen
                else:
                    w.hide()
                    self._hidden_windows.append(w)
        self.overlay.error_label.setVisible(False)
        self.overlay.setGeometry(self.screen.rect())
        self.overlay.show()
        self.overlay.raise_()
        self.overlay.password_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.locked_changed.emit(True)

    def unlock(self) -> None:
        if not self._locked:
            return
        self._locked = False
        self.overlay.hide()
        for sc in self._disabled_shortcuts:
            sc.setEnabled(True)
        self._disabled_shortcuts = []
        for w in self._hidden_windows:
            try:
                w.show()
            except RuntimeError:  # closed and deleted while locked
                continue
        self._hidden_windows = []
        self.screen.setFocus(Qt.FocusReason.OtherFocusReason)
        self.timer.start()
        self.locked_changed.emit(False)
