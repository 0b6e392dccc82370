"""Start-up: choose the role of this PC and, for a counter, log in at a window with staff code
and password (a temporary password is changed first)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desk_app.paths import resources_dir
from desk_app.security.authz import require
from desk_app.security.roles import Actor, Operation
from desk_app.services.accounts import staff as accounts
from desk_app.services.accounts import workstation
from desk_app.services.accounts.staff import LoginResult
from desk_app.services.hall import mode as hall_mode
from desk_app.services.hall import setup as hall
from desk_app.services.hall.schema import prepare_database
from desk_app.store import Database
from desk_app.ui.common import theme
from desk_app.ui.common.i18n import QT_TRANSLATE_NOOP
from desk_app.ui.common.password_dialog import ChangePasswordDialog, password_edit, refusal_text
from desk_app.ui.common.tasks import TaskRunner

ROLES = [
    ("counter", QT_TRANSLATE_NOOP("LoginDialog", "窗口工作台")),
    ("helper", QT_TRANSLATE_NOOP("LoginDialog", "帮办代办")),
    ("kiosk", QT_TRANSLATE_NOOP("LoginDialog", "取号机")),
    ("display", QT_TRANSLATE_NOOP("LoginDialog", "叫号屏")),
    ("supervisor", QT_TRANSLATE_NOOP("LoginDialog", "值班长")),
    ("progress", QT_TRANSLATE_NOOP("LoginDialog", "改革成效大屏")),
    ("evaluator", QT_TRANSLATE_NOOP("LoginDialog", "评价器")),
    ("strip", QT_TRANSLATE_NOOP("LoginDialog", "窗口屏")),
]
# Roles whose screen needs a person's log-in (a counter also opens its window; the kiosk and
# the display need nobody).
PERSONAL = ("counter", "helper", "supervisor", "progress")
# What the person must be allowed to do to open the screen, checked at log-in so a wrong
# account is told at once, not at its first action.
SCREEN_OPERATION = {
    "helper": Operation.ASSIST_START,
    "supervisor": Operation.LIVE_HALL,
    "progress": Operation.STATS_REFORM,
}

# The window number's stepper: the base style's border on spin boxes hides Qt's own arrows, so
# the buttons and their arrows are drawn here, large enough to hit.
_ICONS = (resources_dir() / "icons").as_posix()
STEPPER_QSS = f"""
QSpinBox {{ padding-right: 36px; }}
QSpinBox::up-button, QSpinBox::down-button {{
    subcontrol-origin: border; width: 32px; background: {theme.SURFACE};
    border-left: 1px solid #b8c2cf;
}}
QSpinBox::up-button {{ subcontrol-position: top right; border-top-right-radius: 4px; }}
QSpinBox::down-button {{ subcontrol-position: bottom right; border-bottom-right-radius: 4px; }}
QSpinBox::up-button:hover, QSpinBox::down-button:hover {{ background: #dfe7f1; }}
QSpinBox::up-arrow {{ image: url({_ICONS}/stepper-up.svg); width: 12px; height: 8px; }}
QSpinBox::down-arrow {{ image: url({_ICONS}/stepper-down.svg); width: 12px; height: 8px; }}
"""


@dataclass(frozen=True)
class _Checked:
    """What the worker found: the log-in (None for a device), or that nobody can log in yet."""

    login: LoginResult | None = None
    no_accounts: bool = False
    hall_mode: str = "live"  # services/hall/mode.py: training and demo halls are marked


class LoginDialog(QDialog):
    """Emits ``logged_in(role, window)`` once the database is reachable and, for a counter,
    the password is right and the window session is open (one login per window: a second one
    is refused with who holds it). For a counter, ``actor_ready(Actor)`` comes just before: the
    screen works on ``db.acting_as(actor)``."""

    logged_in = Signal(str, int)
    actor_ready = Signal(object)

    def __init__(
        self,
        db: Database,
        *,
        role: str | None = None,
        window: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.actor: Actor | None = None
        self.hall_mode = "live"  # set once the database is checked (services/hall/mode.py)
        self.runner = TaskRunner(self)
        self.password_dialog: ChangePasswordDialog | None = None
        self._window = window or 1
        self.setWindowTitle(self.tr("高效办成一件事 · 登录"))
        self.setMinimumWidth(460)

        title = QLabel(self.tr("高效办成一件事 窗口系统"))
        title.setStyleSheet(f"font-size: 20pt; font-weight: bold; color: {theme.PRIMARY};")
        subtitle = QLabel(self.tr("请选择本机用途并登录"))
        subtitle.setStyleSheet(f"color: {theme.MUTED}; font-size: 12pt;")

        self.role_box = QComboBox()
        for key, label in ROLES:
            self.role_box.addItem(self.tr(label), key)
        if role:
            self.role_box.setCurrentIndex(max(0, self.role_box.findData(role)))
        self.staff_edit = QLineEdit()
        self.staff_edit.setPlaceholderText(self.tr("工号，例如 s01"))
        self.password_edit = password_edit(self.tr("密码"))
        self.window_spin = QSpinBox()
        self.window_spin.setRange(1, 999)
        self.window_spin.setValue(window or 1)
        # "1 号窗口" in Chinese, "Window 1" in English: the number sits where %1 is.
        prefix, _, suffix = self.tr("%1 号窗口").partition("%1")
        self.window_spin.setPrefix(prefix)
        self.window_spin.setSuffix(suffix)
        self.window_spin.setStyleSheet(STEPPER_QSS)
        form = QFormLayout()
        form.addRow(self.tr("用途"), self.role_box)
        form.addRow(self.tr("工号"), self.staff_edit)
        form.addRow(self.tr("密码"), self.password_edit)
        form.addRow(self.tr("窗口"), self.window_spin)

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {theme.DANGER}; font-size: 12pt;")
        self.error_label.setVisible(False)
        # Messages may name a command to run: let staff copy it.
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.login_button = QPushButton(self.tr("登录  (Enter)"))
        self.login_button.setProperty("primary", True)
        self.login_button.setMinimumHeight(44)
        self.login_button.setDefault(True)
        self.login_button.clicked.connect(self.submit)
        db_label = QLabel(self.tr("数据库：") + db.display_url)
        db_label.setStyleSheet(f"color: {theme.MUTED}; font-size: 10pt;")
        db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(28, 24, 28, 20)
        lay.setSpacing(12)
        lay.addWidget(title)
        lay.addWidget(subtitle)
        lay.addLayout(form)
        lay.addWidget(self.error_label)
        lay.addWidget(self.login_button)
        lay.addWidget(db_label)
        self.role_box.currentIndexChanged.connect(self._role_changed)
        self._role_changed()
        self.staff_edit.setFocus()

    def role(self) -> str:
        return str(self.role_box.currentData())

    def _role_changed(self) -> None:
        at_a_window = self.role() in ("counter", "evaluator", "strip")
        self.staff_edit.setEnabled(self.role() in PERSONAL)
        self.password_edit.setEnabled(self.role() in PERSONAL)
        self.window_spin.setEnabled(at_a_window)

    def submit(self) -> None:
        role, staff, window = self.role(), self.staff_edit.text().strip(), self.window_spin.value()
        password = self.password_edit.text()
        if role in PERSONAL and not staff:
            self.show_error(self.tr("请输入工号。"))
            self.staff_edit.setFocus()
            return
        if role in PERSONAL and not password:
            self.show_error(self.tr("请输入密码。"))
            self.password_edit.setFocus()
            return
        self._busy(self.tr("正在连接数据库…"))
        self._window = window  # the window asked for, whatever the spin box shows meanwhile

        def work() -> _Checked:
            prepare_database(self.db)
            mode = hall_mode.mode_of(self.db)
            if role not in PERSONAL:
                return _Checked(hall_mode=mode)
            if not workstation.has_login_accounts(self.db):
                return _Checked(no_accounts=True, hall_mode=mode)
            login = accounts.authenticate(self.db, staff, password)
            if role != "counter":  # a counter's password opens no helper or supervisor screen
                require(login.actor, SCREEN_OPERATION[role])
            elif not login.must_change:
                hall.open_window(self.db.acting_as(login.actor), window, staff)
            return _Checked(login, hall_mode=mode)

        self.runner.submit(work, self._checked, self._failed)

    def _checked(self, checked: _Checked) -> None:
        self.hall_mode = checked.hall_mode
        if checked.no_accounts:
            self._idle()
            self.show_error(
                self.tr(
                    "本大厅还没有可登录的账户：请运行 desk-app demo seed（演示）或 "
                    "desk-app staff add 工号 --name 姓名 --role admin --password-stdin"
                )
            )
            return
        login = checked.login
        if login is not None and login.must_change:
            self._change_password(login)
            return
        self._finish(login)

    def _change_password(self, login: LoginResult) -> None:
        """A temporary password: the window opens only after a new one is stored."""
        self.password_dialog = ChangePasswordDialog(
            self.db, login.actor.code, self.password_edit.text(), self
        )
        self.password_dialog.changed.connect(self._password_changed)
        self.password_dialog.rejected.connect(self._password_not_changed)
        self.password_edit.clear()
        self.password_dialog.open()

    def _password_changed(self, login: LoginResult) -> None:
        if self.role() != "counter":
            self._finish(login)
            return
        window = self._window
        self._busy(self.tr("正在登录窗口…"))
        self.runner.submit(
            lambda: hall.open_window(self.db.acting_as(login.actor), window, login.actor.code),
            lambda _info: self._finish(login),
            self._failed,
        )

    def _password_not_changed(self) -> None:
        self._idle()
        self.show_error(self.tr("须先修改临时密码才能登录。"))
        self.password_edit.setFocus()

    def _finish(self, login: LoginResult | None) -> None:
        self.password_edit.clear()
        if login is not None:
            self.actor = login.actor
            self.actor_ready.emit(login.actor)
        self.logged_in.emit(self.role(), self._window)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        from desk_app.store.schema import SchemaTooNew

        self._idle()
        if isinstance(exc, SchemaTooNew):
            self.show_error(self.tr("数据库版本比本程序新，请先升级本程序。"))
        else:
            self.show_error(refusal_text(exc))
        self.password_edit.selectAll()
        self.password_edit.setFocus()

    def _busy(self, text: str) -> None:
        self.login_button.setEnabled(False)
        self.login_button.setText(text)
        self.error_label.setVisible(False)

    def _idle(self) -> None:
        self.login_button.setEnabled(True)
        self.login_button.setText(self.tr("登录  (Enter)"))

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(True)
