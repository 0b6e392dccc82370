"""Changing one's own password at the counter (a temporary password must be changed at the first
log-in), and how a refused log-in is worded in the screen's language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.security.passwords import MIN_LENGTH
from desk_app.services.accounts import staff as accounts
from desk_app.services.accounts.staff import LoginResult
from desk_app.services.common.errors import Refused
from desk_app.store import Database
from desk_app.ui.common import theme
from desk_app.ui.common.tasks import TaskRunner, user_message


def in_english() -> bool:
    """True when the English translation is installed (the services' refusals carry both)."""
    probe = "界面语言：中文"
    return QCoreApplication.translate("Language", "界面语言：中文") != probe


def refusal_text(exc: Exception) -> str:
    """The service's one line, Chinese or English like the rest of the screen."""
    if isinstance(exc, Refused) and in_english():
        return exc.en
    return user_message(exc)


def password_edit(placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    edit.setMaxLength(128)
    edit.setMinimumHeight(34)
    return edit


def error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {theme.DANGER}; font-size: 12pt;")
    label.setVisible(False)
    return label


class ChangePasswordDialog(QDialog):
    """New password twice; the service checks the current one and the policy. Emits
    ``changed(LoginResult)`` and accepts once the new password is stored."""

    changed = Signal(object)

    def __init__(
        self, db: Database, code: str, current: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.code = db, code
        self.runner = TaskRunner(self)
        self.setWindowTitle(self.tr("修改密码"))
        self.setMinimumWidth(460)
        intro = QLabel(
            self.tr("工号 %1 正在使用临时密码，请先设置自己的新密码。").replace("%1", code)
        )
        intro.setWordWrap(True)
        intro.setStyleSheet("font-size: 12pt;")
        rule = QLabel(
            self.tr("至少 %1 个字符，须同时包含字母和数字，不能与工号相同。").replace(
                "%1", str(MIN_LENGTH)
            )
        )
        rule.setWordWrap(True)
        rule.setStyleSheet(f"color: {theme.MUTED}; font-size: 11pt;")
        # The password just typed at the login: kept here, never shown again.
        self.current_edit = password_edit("")
        self.current_edit.setText(current)
        self.current_edit.setVisible(False)
        self.new_edit = password_edit(self.tr("新密码"))
        self.repeat_edit = password_edit(self.tr("再输入一次"))
        form = QFormLayout()
        form.addRow(self.tr("新密码"), self.new_edit)
        form.addRow(self.tr("确认新密码"), self.repeat_edit)
        self.error_label = error_label()
        self.save_button = QPushButton(self.tr("保存并登录  (Enter)"))
        self.save_button.setProperty("primary", True)
        self.save_button.setMinimumHeight(40)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.submit)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 18)
        lay.setSpacing(10)
        lay.addWidget(intro)
        lay.addWidget(rule)
        lay.addLayout(form)
        lay.addWidget(self.error_label)
        lay.addWidget(self.save_button)
        self.new_edit.setFocus()

    def submit(self) -> None:
        new, repeat = self.new_edit.text(), self.repeat_edit.text()
        if not new:
            self.show_error(self.tr("请输入新密码。"))
            self.new_edit.setFocus()
            return
        if new != repeat:
            self.show_error(self.tr("两次输入的新密码不一致。"))
            self.repeat_edit.clear()
            self.repeat_edit.setFocus()
            return
        self.save_button.setEnabled(False)
        self.error_label.setVisible(False)
        old = self.current_edit.text()
        self.runner.submit(
            lambda: accounts.change_password(self.db, self.code, old, new),
            self._done,
            self._failed,
        )

    def _done(self, result: LoginResult) -> None:
        self.current_edit.clear()
        self.changed.emit(result)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.save_button.setEnabled(True)
        self.show_error(refusal_text(exc))
        self.new_edit.selectAll()
        self.new_edit.setFocus()

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(True)
