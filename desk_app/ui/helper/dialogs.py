"""The helper screen's forms: start a session, add a step, the authorization (授权委托书), a
reason (中止, 终止, 办结), a pain point (堵点). Each form runs its one service call on its own
worker and stays open with the refusal shown until the call succeeds (Ctrl+Enter submits,
Esc cancels)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.bundle import Bundle
from desk_app.ui.common import theme
from desk_app.ui.common.i18n import QT_TRANSLATE_NOOP, date_format, hall_locale
from desk_app.ui.common.login import STEPPER_QSS
from desk_app.ui.common.tasks import TaskRunner, user_message

MODES = [
    ("accompany", QT_TRANSLATE_NOOP("FormDialog", "帮办（陪同指导）")),
    ("proxy", QT_TRANSLATE_NOOP("FormDialog", "代办（凭授权委托书代为办理）")),
    ("walkthrough", QT_TRANSLATE_NOOP("FormDialog", "走流程（体验办事全过程）")),
]
CHANNELS = [
    ("site", QT_TRANSLATE_NOOP("FormDialog", "现场")),
    ("home", QT_TRANSLATE_NOOP("FormDialog", "上门")),
    ("video", QT_TRANSLATE_NOOP("FormDialog", "视频")),
]
ORIGINS = [
    ("walk-up", QT_TRANSLATE_NOOP("FormDialog", "现场接待（无号）")),
    ("ticket", QT_TRANSLATE_NOOP("FormDialog", "凭号票")),
    ("appointment", QT_TRANSLATE_NOOP("FormDialog", "凭预约")),
]
CATEGORIES = [
    ("materials", QT_TRANSLATE_NOOP("FormDialog", "材料")),
    ("process", QT_TRANSLATE_NOOP("FormDialog", "流程")),
    ("system", QT_TRANSLATE_NOOP("FormDialog", "系统")),
    ("information", QT_TRANSLATE_NOOP("FormDialog", "信息")),
    ("attitude", QT_TRANSLATE_NOOP("FormDialog", "作风")),
]

# An appointment code -> what the booking knows (name, resident ID, bundle), or None. The
# appointments are not part of this screen: the hall passes a look-up when it has them.
AppointmentLookup = Callable[[str], dict[str, str] | None]


class FormDialog(QDialog):
    """A form whose OK runs ``action(values)`` off the UI thread; ``saved(result)`` on success."""

    saved = Signal(object)  # not ``done``: that is QDialog.done(result)

    def __init__(
        self, title: str, action: Callable[[dict[str, Any]], Any], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.action = action
        self.runner = TaskRunner(self)
        self.result_value: Any = None
        self.form = QFormLayout()
        self.form.setSpacing(10)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {theme.DANGER}; font-size: 12pt;")
        self.error.setVisible(False)
        self.ok = QPushButton(self.tr("确定 (Ctrl+Enter)"))
        self.ok.setProperty("primary", True)
        self.ok.setMinimumHeight(40)
        self.ok.clicked.connect(self.submit)
        cancel = QPushButton(self.tr("取消 (Esc)"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(22, 18, 22, 16)
        lay.addLayout(self.form)
        lay.addWidget(self.error)
        lay.addLayout(buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.submit)

    def values(self) -> dict[str, Any]:  # pragma: no cover - every form has its own
        raise NotImplementedError

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)

    def submit(self) -> None:
        try:
            values = self.values()
        except ValueError as exc:
            self.show_error(str(exc))
            return
        self.ok.setEnabled(False)
        self.runner.submit(lambda: self.action(values), self._succeeded, self._failed)

    def _succeeded(self, result: Any) -> None:
        self.ok.setEnabled(True)
        self.result_value = result
        self.saved.emit(result)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.ok.setEnabled(True)
        self.show_error(user_message(exc))

    def done_and_wait(self, timeout_ms: int = 5000) -> None:
        """Wait for the submitted call (tests and screenshots)."""
        self.runner.shutdown(timeout_ms)


def _combo(pairs: list[tuple[str, str]], tr: Callable[[str], str]) -> QComboBox:
    box = QComboBox()
    for key, label in pairs:
        box.addItem(tr(label), key)
    return box


def _bundle_combo(bundles: list[Bundle], none_label: str | None = None) -> QComboBox:
    """The catalog's bundles; with ``none_label`` a first entry for "not known yet"."""
    box = QComboBox()
    if none_label is not None:
        box.addItem(none_label, None)
    for b in bundles:
        box.addItem(b.name, b.code)
    return box


class StartDialog(FormDialog):
    """A new session: mode, channel, where the visitor came from, the 一件事, the visitor."""

    def __init__(
        self,
        bundles: list[Bundle],
        action: Callable[[dict[str, Any]], Any],
        parent: QWidget | None = None,
        *,
        origin: str = "walk-up",
        appointment_lookup: AppointmentLookup | None = None,
        card_reader: QPushButton | None = None,
    ) -> None:
        super().__init__(self.tr("新建帮办服务"), action, parent)
        self.appointment_lookup = appointment_lookup
        self.mode = _combo(MODES, self.tr)
        self.channel = _combo(CHANNELS, self.tr)
        self.origin = _combo(ORIGINS, self.tr)
        self.origin.setCurrentIndex(max(0, self.origin.findData(origin)))
        self.reference = QLineEdit()
        self.bundle = _bundle_combo(bundles, self.tr("（暂不确定）"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("服务对象姓名"))
        self.id_no = QLineEdit()
        self.id_no.setPlaceholderText(self.tr("18 位居民身份证号码"))
        self.form.addRow(self.tr("服务方式"), self.mode)
        self.form.addRow(self.tr("服务渠道"), self.channel)
        self.form.addRow(self.tr("来源"), self.origin)
        self.form.addRow(self.tr("号码"), self.reference)
        self.form.addRow(self.tr("一件事"), self.bundle)
        self.form.addRow(self.tr("姓名"), self.name)
        id_row = QHBoxLayout()
        id_row.addWidget(self.id_no, 1)
        if card_reader is not None:  # 读身份证: the visitor's card on this PC's reader
            card_reader.setParent(self)
            id_row.addWidget(card_reader)
            card_reader.card_read.connect(self.fill_from_card)  # type: ignore[attr-defined]
        self.form.addRow(self.tr("身份证号"), id_row)
        self.origin.currentIndexChanged.connect(self._origin_changed)
        self.reference.editingFinished.connect(self._look_up_appointment)
        self._origin_changed()
        (self.reference if origin != "walk-up" else self.mode).setFocus()

    def fill_from_card(self, card: Any) -> None:
        self.name.setText(card.name)
        self.id_no.setText(card.id_number)

    def _origin_changed(self) -> None:
        origin = self.origin.currentData()
        self.reference.setEnabled(origin != "walk-up")
        hints = {"ticket": self.tr("号票号码，例如 A012"), "appointment": self.tr("预约号")}
        self.reference.setPlaceholderText(hints.get(origin, ""))
        if origin == "walk-up":
            self.reference.clear()

    def _look_up_appointment(self) -> None:
        """With the hall's appointments wired in, a booking fills the visitor and the bundle."""
        if self.origin.currentData() != "appointment" or self.appointment_lookup is None:
            return
        found = self.appointment_lookup(self.reference.text().strip())
        if not found:
            return
        self.name.setText(found.get("name", ""))
        self.id_no.setText(found.get("id", ""))
        index = self.bundle.findData(found.get("bundle"))
        if index >= 0:
            self.bundle.setCurrentIndex(index)

    def values(self) -> dict[str, Any]:
        origin = self.origin.currentData()
        ref = self.reference.text().strip() or None
        if origin != "walk-up" and not ref:
            raise ValueError(self.tr("请填写号票号码或预约号。"))
        return {
            "mode": self.mode.currentData(),
            "channel": self.channel.currentData(),
            "ticket": ref if origin == "ticket" else None,
            "appointment": ref if origin == "appointment" else None,
            "bundle_code": self.bundle.currentData(),
            "visitor_name": self.name.text(),
            "visitor_id": self.id_no.text(),
        }


class StepDialog(FormDialog):
    """One step of the timeline, ending now."""

    def __init__(
        self,
        bundle: Bundle | None,
        action: Callable[[dict[str, Any]], Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("添加办理环节"), action, parent)
        self.where = QComboBox()
        self.where.addItem(self.tr("窗口"), "window")
        self.where.addItem(self.tr("部门"), "department")
        self.window_box = QSpinBox()
        self.window_box.setRange(1, 999)
        self.window_box.setStyleSheet(STEPPER_QSS)
        self.department = QComboBox()
        self.department.setEditable(True)
        for d in bundle.departments if bundle else ():
            self.department.addItem(d.name)
        self.department.setCurrentText("")
        self.what = QLineEdit()
        self.what.setPlaceholderText(self.tr("例如：递交材料、核验身份、领取结果"))
        self.item = QComboBox()
        self.item.addItem(self.tr("（不针对具体事项）"), None)
        for i in bundle.items if bundle else ():
            self.item.addItem(i.name, i.code)
        self.minutes = QSpinBox()
        self.minutes.setRange(-1, 24 * 60)
        self.minutes.setSpecialValueText(self.tr("自动（自上一环节起）"))
        self.minutes.setValue(-1)
        self.minutes.setSuffix(self.tr(" 分钟"))
        self.minutes.setStyleSheet(STEPPER_QSS)
        self.materials = QLineEdit()
        self.materials.setPlaceholderText(self.tr("递交的材料，用顿号或逗号分隔"))
        self.outcome = QLineEdit()
        self.trip = QCheckBox(self.tr("本环节需另跑一次（跑动）"))
        self.form.addRow(self.tr("地点"), self.where)
        self.form.addRow(self.tr("窗口号"), self.window_box)
        self.form.addRow(self.tr("部门"), self.department)
        self.form.addRow(self.tr("办理内容"), self.what)
        self.form.addRow(self.tr("事项"), self.item)
        self.form.addRow(self.tr("用时"), self.minutes)
        self.form.addRow(self.tr("递交材料"), self.materials)
        self.form.addRow(self.tr("结果"), self.outcome)
        self.form.addRow("", self.trip)
        self.where.currentIndexChanged.connect(self._where_changed)
        self._where_changed()
        self.what.setFocus()

    def _where_changed(self) -> None:
        window = self.where.currentData() == "window"
        self.window_box.setEnabled(window)
        self.department.setEnabled(not window)

    def values(self) -> dict[str, Any]:
        window = self.where.currentData() == "window"
        if not window and not self.department.currentText().strip():
            raise ValueError(self.tr("请填写部门。"))
        text = self.materials.text().replace("，", "、").replace(",", "、")
        return {
            "action": self.what.text(),
            "window": self.window_box.value() if window else None,
            "department": None if window else self.department.currentText(),
            "item": self.item.currentData(),
            "minutes": None if self.minutes.value() < 0 else self.minutes.value(),
            "materials": [m.strip() for m in text.split("、") if m.strip()],
            "outcome": self.outcome.text() or None,
            "trip": self.trip.isChecked(),
        }


class AuthorizeDialog(FormDialog):
    """授权委托书: the principal, the items covered, the last valid day; printed to sign."""

    def __init__(
        self,
        bundle: Bundle,
        today: date,
        action: Callable[[dict[str, Any]], Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("授权委托书"), action, parent)
        self.principal = QLineEdit()
        self.principal_id = QLineEdit()
        self.principal_id.setPlaceholderText(self.tr("18 位居民身份证号码"))
        self.items = QListWidget()
        for i in bundle.items:
            row = QListWidgetItem(i.name)
            row.setData(Qt.ItemDataRole.UserRole, i.code)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Unchecked)
            self.items.addItem(row)
        self.items.setMaximumHeight(190)
        self.until = QDateEdit(QDate(today.year, today.month, today.day).addDays(30))
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat(date_format())
        self.until.setLocale(hall_locale())
        self.until.setMinimumDate(QDate(today.year, today.month, today.day))
        self.agent = QLineEdit()
        self.agent.setPlaceholderText(self.tr("不填：由本人（帮办人员）受托"))
        self.agent_id = QLineEdit()
        self.print_it = QCheckBox(self.tr("生成授权委托书供签字"))
        self.print_it.setChecked(True)
        self.form.addRow(self.tr("委托人姓名"), self.principal)
        self.form.addRow(self.tr("委托人身份证号"), self.principal_id)
        self.form.addRow(self.tr("委托事项（空格键勾选）"), self.items)
        self.form.addRow(self.tr("有效期至"), self.until)
        self.form.addRow(self.tr("其他受托人姓名"), self.agent)
        self.form.addRow(self.tr("其他受托人身份证号"), self.agent_id)
        self.form.addRow("", self.print_it)

    def values(self) -> dict[str, Any]:
        codes = [
            self.items.item(n).data(Qt.ItemDataRole.UserRole)
            for n in range(self.items.count())
            if self.items.item(n).checkState() == Qt.CheckState.Checked
        ]
        if not codes:
            raise ValueError(self.tr("请勾选委托事项。"))
        d = self.until.date()
        return {
            "principal_name": self.principal.text(),
            "principal_id": self.principal_id.text(),
            "items": codes,
            "valid_until": date(d.year(), d.month(), d.day()),
            "agent_name": self.agent.text().strip() or None,
            "agent_id": self.agent_id.text().strip() or None,
            "print": self.print_it.isChecked(),
        }


class ReasonDialog(FormDialog):
    """中止 / 终止 / 办结 (a reason, required for the first two) and whether to print the form."""

    def __init__(
        self,
        title: str,
        form_label: str | None,
        action: Callable[[dict[str, Any]], Any],
        parent: QWidget | None = None,
        *,
        required: bool = True,
        field_label: str | None = None,
    ) -> None:
        super().__init__(title, action, parent)
        self.required = required
        self.reason = QPlainTextEdit()
        self.reason.setMaximumHeight(110)
        self.reason.setTabChangesFocus(True)
        self.print_it = QCheckBox(form_label or "")
        self.print_it.setChecked(form_label is not None)
        label = field_label or (self.tr("原因") if required else self.tr("说明（可选）"))
        self.form.addRow(label, self.reason)
        if form_label is not None:  # no paper to print: no box
            self.form.addRow("", self.print_it)
        self.reason.setFocus()

    def values(self) -> dict[str, Any]:
        text = self.reason.toPlainText().strip()
        if self.required and not text:
            raise ValueError(self.tr("请填写原因。"))
        return {"reason": text or None, "print": self.print_it.isChecked()}


class PainDialog(FormDialog):
    """堵点: category, the 一件事 and item, what happened, the owner department if known."""

    def __init__(
        self,
        bundles: list[Bundle],
        action: Callable[[dict[str, Any]], Any],
        parent: QWidget | None = None,
        *,
        bundle_code: str | None = None,
    ) -> None:
        super().__init__(self.tr("记录堵点"), action, parent)
        self.bundles = {b.code: b for b in bundles}
        self.category = _combo(CATEGORIES, self.tr)
        self.bundle = _bundle_combo(bundles)
        if bundle_code:
            self.bundle.setCurrentIndex(max(0, self.bundle.findData(bundle_code)))
        self.item = QComboBox()
        self.text = QPlainTextEdit()
        self.text.setMaximumHeight(110)
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText(self.tr("群众遇到了什么问题，在哪个环节"))
        self.owner = QComboBox()
        self.owner.setEditable(True)
        self.form.addRow(self.tr("堵点类别"), self.category)
        self.form.addRow(self.tr("一件事"), self.bundle)
        self.form.addRow(self.tr("事项"), self.item)
        self.form.addRow(self.tr("堵点描述"), self.text)
        self.form.addRow(self.tr("责任部门"), self.owner)
        self.bundle.currentIndexChanged.connect(self._bundle_changed)
        self._bundle_changed()
        self.text.setFocus()

    def _bundle_changed(self) -> None:
        b = self.bundles.get(self.bundle.currentData())
        self.item.clear()
        self.item.addItem(self.tr("（整个一件事）"), None)
        self.owner.clear()
        self.owner.addItem("")
        for i in b.items if b else ():
            self.item.addItem(i.name, i.code)
        for d in b.departments if b else ():
            self.owner.addItem(d.name)

    def values(self) -> dict[str, Any]:
        return {
            "category": self.category.currentData(),
            "bundle_code": self.bundle.currentData(),
            "item": self.item.currentData(),
            "text": self.text.toPlainText(),
            "owner": self.owner.currentText().strip() or None,
        }
