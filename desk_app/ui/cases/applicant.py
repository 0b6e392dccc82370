"""Step 1 of the case dialog: the 一件事, the applicant and an optional agent with the
authorization. Identifiers are checked at the field (when complete and when leaving it), so a
mistyped ID is fixed where it was typed, not found a page later."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.bundle import Audience
from desk_app.domain.validators import ValidationError, validate_credit_code, validate_resident_id
from desk_app.services.cases.dto import AgentInfo
from desk_app.ui.cases import labels as case_labels
from desk_app.ui.common import theme
from desk_app.ui.common.i18n import date_format, hall_locale, in_language, is_english
from desk_app.ui.common.idcard import ReadCardButton, is_eid, resolve_eid
from desk_app.ui.common.tasks import user_message

# Disabled fields (the agent's, until 代办 is ticked) must not look like they take typing.
PAGE_QSS = f"""
QLineEdit:disabled, QDateEdit:disabled {{
    background: #e6eaef; color: #8a94a1; border: 1px dashed #b8c2cf;
}}
QLineEdit[invalid="true"] {{ border: 2px solid {theme.DANGER}; }}
QLabel#fieldError {{ color: {theme.DANGER}; font-size: 11pt; }}
"""


class ApplicantPage(QWidget):
    """The applicant's fields; ``check()`` tells whether step 2 may follow."""

    def __init__(
        self,
        catalog: Any,
        service_code: str | None,
        db: Any = None,
        runner: Any = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.runner = runner
        self.catalog = catalog
        self.setStyleSheet(PAGE_QSS)
        self.bundle_box = QComboBox()
        for b in catalog.bundles:
            self.bundle_box.addItem(
                case_labels.bundle_title(in_language(b.name, b.name_en), b.audience), b.code
            )
        if service_code:
            i = self.bundle_box.findData(service_code)
            if i >= 0:
                self.bundle_box.setCurrentIndex(i)
        self.name_edit = QLineEdit()
        self.id_label = QLabel()
        self.id_edit = QLineEdit()
        self.id_error = _error_label()
        self.phone_edit = QLineEdit()
        self.phone_edit.setPlaceholderText(self.tr("11 位手机号（可选）"))
        self.bad_credit = QCheckBox(self.tr("申请人存在失信记录（不适用容缺受理）"))
        # 免证办: only with the applicant's consent are their materials fetched from the
        # departments' shared data (services/cases/sharing.py); unticked they hand them in.
        self.share_consent = QCheckBox(
            self.tr("申请人同意通过数据共享获取免提交材料（免证办）（Alt+G）")
        )
        self.share_consent.setShortcut("Alt+G")
        self.proxy = QGroupBox(self.tr("代办（代理人持委托书办理）"))
        self.proxy.setCheckable(True)
        self.proxy.setChecked(False)
        self.agent_name = QLineEdit()
        self.agent_id = QLineEdit()
        self.agent_id_error = _error_label()
        self.auth_scope = QLineEdit()
        self.auth_until = QDateEdit()
        # The hall's locale, not the OS's: LANG=C.UTF-8 would show "28 02 2027".
        self.auth_until.setLocale(hall_locale())
        self.auth_until.setDisplayFormat(date_format())
        self.auth_until.setCalendarPopup(True)
        self.auth_until.calendarWidget().setLocale(hall_locale())
        self.auth_until.setDate(QDate.currentDate().addMonths(3))
        pf = QFormLayout(self.proxy)
        pf.addRow(self.tr("代理人姓名"), self.agent_name)
        pf.addRow(self.tr("代理人身份证号"), self.agent_id)
        pf.addRow("", self.agent_id_error)
        pf.addRow(self.tr("委托事项"), self.auth_scope)
        pf.addRow(self.tr("委托有效期至"), self.auth_until)
        form = QFormLayout()
        form.addRow(self.tr("一件事"), self.bundle_box)
        form.addRow(self.tr("申请人"), self.name_edit)
        id_row = QHBoxLayout()
        id_row.addWidget(self.id_edit, 1)
        self.card_button: ReadCardButton | None = None
        if db is not None and runner is not None:  # the visitor's card on this PC's reader
            self.card_button = ReadCardButton(db, runner, self)
            self.card_button.card_read.connect(self.fill_from_card)
            self.card_button.failed.connect(
                lambda text: self._show(self.id_edit, self.id_error, text)
            )
            id_row.addWidget(self.card_button)
        form.addRow(self.id_label, id_row)
        form.addRow("", self.id_error)
        form.addRow(self.tr("联系电话"), self.phone_edit)
        form.addRow("", self.bad_credit)
        form.addRow("", self.share_consent)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.proxy)
        lay.addStretch()
        # A scanned e-ID code (the visitor's app) in the ID field: the platform says who it is.
        self.id_edit.editingFinished.connect(self._maybe_eid)
        for edit, error in ((self.id_edit, self.id_error), (self.agent_id, self.agent_id_error)):
            edit.editingFinished.connect(lambda e=edit, x=error: self._check_field(e, x))
            edit.textEdited.connect(lambda _t, e=edit, x=error: self._check_typing(e, x))
        self.bundle_box.currentIndexChanged.connect(self._bundle_changed)
        self._bundle_changed()

    def bundle(self) -> Any:
        return self.catalog.bundle(self.bundle_box.currentData())

    def company(self) -> bool:
        return self.bundle().audience is Audience.COMPANY

    def _bundle_changed(self) -> None:
        from desk_app.domain.bundle import Source

        shared = [
            m.name for m in self.bundle().materials if m.source in (Source.SHARED, Source.E_LICENCE)
        ]
        # Shown only where there is something to fetch; the materials it covers as a tooltip.
        self.share_consent.setVisible(bool(shared))
        self.share_consent.setToolTip("、".join(shared))
        company = self.company()
        self.id_label.setText(self.tr("统一社会信用代码") if company else self.tr("居民身份证号"))
        self.name_edit.setPlaceholderText(self.tr("企业名称") if company else self.tr("姓名"))
        if self.id_edit.text().strip():
            self._check_field(self.id_edit, self.id_error)

    # -- checks at the field -------------------------------------------------------------------

    def _problem(self, edit: QLineEdit) -> str | None:
        """What is wrong with the identifier in ``edit`` (None when valid), in the UI's language."""
        check = validate_credit_code if edit is self.id_edit and self.company() else None
        try:
            (check or validate_resident_id)(edit.text())
        except ValidationError as exc:
            return exc.message_en if is_english() else exc.message_zh
        return None

    def _show(self, edit: QLineEdit, error: QLabel, problem: str | None) -> None:
        error.setText(problem or "")
        error.setVisible(problem is not None)
        edit.setProperty("invalid", problem is not None)
        edit.style().unpolish(edit)
        edit.style().polish(edit)

    def _check_field(self, edit: QLineEdit, error: QLabel) -> bool:
        """On leaving the field: report a wrong identifier there (an empty one waits for Next)."""
        problem = self._problem(edit) if edit.text().strip() else None
        self._show(edit, error, problem)
        return problem is None

    def _check_typing(self, edit: QLineEdit, error: QLabel) -> None:
        """While typing: judge once all 18 characters are in; clear an old complaint meanwhile."""
        if len("".join(edit.text().split())) >= 18:
            self._check_field(edit, error)
        elif not error.isHidden():
            self._show(edit, error, None)

    def check(self) -> bool:
        """Before step 2: every identifier valid (empty ones too), focus on the first wrong one."""
        fields = [(self.id_edit, self.id_error)]
        if self.proxy.isChecked():
            fields.append((self.agent_id, self.agent_id_error))
        ok = True
        for edit, error in fields:
            problem = self._problem(edit)
            self._show(edit, error, problem)
            if problem and ok:
                edit.setFocus()
                ok = False
        return ok

    def _maybe_eid(self) -> None:
        code = self.id_edit.text().strip()
        if self.runner is None or not is_eid(code):
            return
        self.id_edit.clear()  # the code is good once: never left in the field
        self._show(self.id_edit, self.id_error, self.tr("正在向平台查询电子身份证码…"))
        self.runner.submit(
            lambda: resolve_eid(code),
            lambda person: self.fill_from_card(SimpleNamespace(**person)),
            lambda exc: self._show(self.id_edit, self.id_error, user_message(exc)),
        )

    def fill_from_card(self, card: Any) -> None:
        """The applicant from the card read: name and number, checked like typed ones."""
        self.name_edit.setText(card.name)
        self.id_edit.setText(card.id_number)
        self._check_field(self.id_edit, self.id_error)

    def agent(self) -> AgentInfo | None:
        if not self.proxy.isChecked():
            return None
        qd = self.auth_until.date()
        return AgentInfo(
            self.agent_name.text(),
            self.agent_id.text(),
            self.auth_scope.text(),
            date(qd.year(), qd.month(), qd.day()),
        )


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.setVisible(False)
    return label
