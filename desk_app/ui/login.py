"""Start-up: choose the role of this PC and, for a counter, log in at a window."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
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

from desk_app.services import hall
from desk_app.services.setup import prepare_database
from desk_app.store import Database
from desk_app.ui import theme
from desk_app.ui.tasks import TaskRunner, user_message

ROLES = [
    ("counter", QT_TRANSLATE_NOOP("LoginDialog", "窗口工作台")),
    ("kiosk", QT_TRANSLATE_NOOP("LoginDialog", "取号机")),
    ("display", QT_TRANSLATE_NOOP("LoginDialog", "叫号屏")),
]


class LoginDialog(QDialog):
    """Emits ``logged_in(role, window)`` once the database is reachable and, for a counter,
    the window session is open (one login per window: a second one is refused with who holds
    it)."""

    logged_in = Signal(str, int)

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
        self.runner = TaskRunner(self)
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
        self.window_spin = QSpinBox()
        self.window_spin.setRange(1, 999)
        self.window_spin.setValue(window or 1)
        self.window_spin.setSuffix(self.tr(" 号窗口"))
        form = QFormLayout()
        form.addRow(self.tr("用途"), self.role_box)
        form.addRow(self.tr("工号"), self.staff_edit)
        form.addRow(self.tr("窗口"), self.window_spin)

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {theme.DANGER}; font-size: 12pt;")
        self.error_label.setVisible(False)
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
        counter = self.role() == "counter"
        self.staff_edit.setEnabled(counter)
        self.window_spin.setEnabled(counter)

    def submit(self) -> None:
        role, staff, window = self.role(), self.staff_edit.text().strip(), self.window_spin.value()
        if role == "counter" and not staff:
            self.show_error(self.tr("请输入工号。"))
            self.staff_edit.setFocus()
            return
        self.login_button.setEnabled(False)
        self.login_button.setText(self.tr("正在连接数据库…"))
        self.error_label.setVisible(False)

        def work() -> tuple[str, int]:
            prepare_database(self.db)
            if role == "counter":
                hall.open_window(self.db, window, staff)
            return role, window

        self.runner.submit(work, self._done, self._failed)

    def _done(self, result: tuple[str, int]) -> None:
        self.logged_in.emit(*result)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        from desk_app.store.schema import SchemaTooNew

        self.login_button.setEnabled(True)
        self.login_button.setText(self.tr("登录  (Enter)"))
        if isinstance(exc, SchemaTooNew):
            self.show_error(self.tr("数据库版本比本程序新，请先升级本程序。"))
        else:
            self.show_error(user_message(exc))

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(True)
