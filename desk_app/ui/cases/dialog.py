"""The counter's 一件事 case screens: applicant (and agent), situation questions, the guided
material checklist with the reason for each material, the decision, and the documents.

The checklist is recomputed as the answers change (pure domain code, no I/O); everything that
touches the database goes through the window's worker thread.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.bundle import Audience
from desk_app.domain.cases import (
    ACCEPTED_STATES,
    CaseState,
    Decision,
    conclusion_refusal,
    decision_options,
)
from desk_app.domain.checklist import resolve
from desk_app.services.cases import actions as cases
from desk_app.services.cases.dto import CaseView
from desk_app.services.common.catalog import catalog
from desk_app.store import Database
from desk_app.ui.cases import labels as case_labels
from desk_app.ui.cases.applicant import ApplicantPage
from desk_app.ui.cases.evaluation import EvaluationInvite
from desk_app.ui.cases.materials import MaterialsPage
from desk_app.ui.cases.reasons import ask_missing_reasons
from desk_app.ui.common import theme
from desk_app.ui.common.i18n import QT_TRANSLATE_NOOP, in_language, is_english, listed
from desk_app.ui.common.paper import Paper, install_printer_choice, paper_message, print_paper
from desk_app.ui.common.tasks import TaskRunner, user_message

STEPS = (
    QT_TRANSLATE_NOOP("CaseDialog", "1 申请人"),
    QT_TRANSLATE_NOOP("CaseDialog", "2 情形"),
    QT_TRANSLATE_NOOP("CaseDialog", "3 材料"),
    QT_TRANSLATE_NOOP("CaseDialog", "4 决定与文书"),
)


class CaseDialog(QDialog):
    """One case from applicant to documents. ``case_changed`` carries the latest CaseView."""

    # Asks why each material is missing before 容缺 (a seam: tests answer it themselves).
    ask_missing_reasons = staticmethod(ask_missing_reasons)

    case_changed = Signal(object)

    def __init__(
        self,
        db: Database,
        window: int,
        *,
        ticket_id: str | None = None,
        service_code: str | None = None,
        case_no: str | None = None,
        document_dir: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.window_number = window  # not ``window``: that is QWidget.window()
        self.ticket_id = ticket_id
        self.document_dir = Path(document_dir) if document_dir else None
        self.runner = TaskRunner(self)
        self.view: CaseView | None = None
        self.setWindowTitle(self.tr("一件事办件"))
        self.resize(1100, 760)
        self.catalog = catalog()
        self.question_boxes: dict[str, QComboBox] = {}

        self.step_labels = [QLabel(self.tr(s)) for s in STEPS]
        steps_row = QHBoxLayout()
        for lab in self.step_labels:
            steps_row.addWidget(lab)
        steps_row.addStretch()
        self.summary = QLabel()
        self.summary.setStyleSheet(f"color: {theme.MUTED}; font-size: 12pt;")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(
            f"color: white; background: {theme.DANGER}; padding: 6px 10px;"
            "border-radius: 4px; font-size: 12pt;"
        )
        self.error.setVisible(False)

        self.stack = QStackedWidget()
        self.stack.addWidget(self._applicant_page(service_code))
        self.stack.addWidget(self._questions_page())
        self.materials = MaterialsPage(self.db, self.runner, self.window_number, self._decided)
        self.table = self.materials.table
        self.stack.addWidget(self.materials)
        self.stack.addWidget(self._decision_page())

        self.back_button = QPushButton(self.tr("上一步 (Ctrl+←)"))
        self.next_button = QPushButton(self.tr("下一步 (Ctrl+Enter)"))
        self.next_button.setProperty("primary", True)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        for keys, slot in (
            ("Ctrl+Return", self.next),
            ("Ctrl+Enter", self.next),
            ("Ctrl+Left", self.back),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)
        install_printer_choice(self)  # Ctrl+P: this PC's printer
        nav = QHBoxLayout()
        nav.addWidget(self.back_button)
        nav.addStretch()
        nav.addWidget(self.next_button)

        lay = QVBoxLayout(self)
        lay.addLayout(steps_row)
        lay.addWidget(self.summary)
        lay.addWidget(self.error)
        lay.addWidget(self.stack, 1)
        lay.addLayout(nav)
        self._go(0)
        if case_no:
            self._continue(case_no)

    # -- pages ---------------------------------------------------------------------------------

    def _applicant_page(self, service_code: str | None) -> QWidget:
        page = ApplicantPage(self.catalog, service_code, self.db, self.runner)
        self.applicant = page
        # The fields under their old names: tests and the steps below reach them directly.
        self.bundle_box, self.name_edit, self.id_edit = (
            page.bundle_box,
            page.name_edit,
            page.id_edit,
        )
        self.phone_edit, self.bad_credit, self.proxy = page.phone_edit, page.bad_credit, page.proxy
        self.agent_name, self.agent_id = page.agent_name, page.agent_id
        self.auth_scope, self.auth_until = page.auth_scope, page.auth_until
        return page

    def _questions_page(self) -> QWidget:
        page = QWidget()
        self.questions_form = QFormLayout()
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet(f"background: {theme.SURFACE}; padding: 10px; font-size: 12pt;")
        lay = QVBoxLayout(page)
        lay.addWidget(QLabel(self.tr("请根据申请人的情况回答（默认值为最常见情形）：")))
        lay.addLayout(self.questions_form)
        lay.addWidget(self.preview)
        lay.addStretch()
        return page

    def _decision_page(self) -> QWidget:
        page = QWidget()
        self.decision_info = QLabel()
        self.decision_info.setWordWrap(True)
        self.decision_info.setStyleSheet("font-size: 13pt;")
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, label in (
            (Decision.ACCEPT, QT_TRANSLATE_NOOP("CaseDialog", "受理 (&A)")),
            (Decision.DEFER, QT_TRANSLATE_NOOP("CaseDialog", "容缺受理 (&D)")),
            (Decision.NOTICE, QT_TRANSLATE_NOOP("CaseDialog", "一次性告知 (&N)")),
            (Decision.REJECT, QT_TRANSLATE_NOOP("CaseDialog", "不予受理 (&R)")),
        ):
            b = QPushButton(self.tr(label))
            b.setMinimumHeight(52)
            b.clicked.connect(partial(self.decide, key))
            self.buttons[key] = b
            row.addWidget(b)
        self.buttons[Decision.ACCEPT].setProperty("primary", True)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(self.tr("不予受理的理由"))
        docs = QHBoxLayout()
        for doc, label in (
            ("receipt", QT_TRANSLATE_NOOP("CaseDialog", "打印受理回执 (&P)")),
            ("notice", QT_TRANSLATE_NOOP("CaseDialog", "打印一次性告知单")),
            ("commitment", QT_TRANSLATE_NOOP("CaseDialog", "打印容缺承诺书")),
        ):
            b = QPushButton(self.tr(label))
            b.clicked.connect(partial(self.print_document, doc))
            self.buttons["doc_" + doc] = b
            docs.addWidget(b)
        self.conclude_button = QPushButton(self.tr("办结并邀请评价 (&C)"))
        self.conclude_button.clicked.connect(self.conclude)
        docs.addWidget(self.conclude_button)
        self.doc_label = QLabel()
        self.doc_label.setStyleSheet(f"color: {theme.MUTED};")
        self.rating = EvaluationInvite(self.db, self.runner, self.window_number, self)
        lay = QVBoxLayout(page)
        lay.addWidget(self.decision_info)
        lay.addLayout(row)
        lay.addWidget(self.reason_edit)
        lay.addSpacing(16)
        lay.addLayout(docs)
        lay.addWidget(self.doc_label)
        lay.addWidget(self.rating)
        lay.addStretch()
        return page

    # -- navigation ----------------------------------------------------------------------------

    def _go(self, i: int) -> None:
        self.stack.setCurrentIndex(i)
        for j, lab in enumerate(self.step_labels):
            on = j == i
            lab.setStyleSheet(
                "padding: 6px 14px; border-radius: 14px; font-size: 12pt; "
                + (
                    f"background: {theme.PRIMARY}; color: white; font-weight: bold;"
                    if on
                    else f"color: {theme.MUTED};"
                )
            )
        self.back_button.setEnabled(i == 1 and self.view is None)
        self.next_button.setVisible(i < 3)
        if i == 3:
            self._refresh_decision()

    def back(self) -> None:
        i = self.stack.currentIndex()
        if i == 1 and self.view is None:
            self._go(0)

    def next(self) -> None:
        i = self.stack.currentIndex()
        self.error.setVisible(False)
        if i == 0:
            if not self.applicant.check():
                return
            self._build_questions()
            self._go(1)
        elif i == 1:
            self.open_case()
        elif i == 2:
            self._go(3)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)

    # -- step 1-2 ------------------------------------------------------------------------------

    def bundle(self) -> Any:
        return self.applicant.bundle()

    def _build_questions(self) -> None:
        while self.questions_form.rowCount():
            self.questions_form.removeRow(0)
        self.question_boxes.clear()
        for q in self.bundle().questions:
            box = QComboBox()
            for c in q.choices:
                box.addItem(in_language(c.label, c.label_en), c.value)
            box.setCurrentIndex(box.findData(q.default))
            box.currentIndexChanged.connect(self._update_preview)
            self.question_boxes[q.key] = box
            self.questions_form.addRow(QLabel(in_language(q.text, q.text_en)), box)
        self._update_preview()

    def answers(self) -> dict[str, str]:
        return {k: str(b.currentData()) for k, b in self.question_boxes.items()}

    def set_answer(self, key: str, value: str) -> None:
        box = self.question_boxes[key]
        box.setCurrentIndex(box.findData(value))

    def _update_preview(self) -> None:
        cl = resolve(self.bundle(), self.answers())
        self.preview.setText(
            self.tr("适用事项：")
            + listed([in_language(i.name, i.name_en) for i in cl.items])
            + "\n"
            + self.tr("需提交材料 %1 项，免提交 %2 项")
            .replace("%1", str(len(cl.submit)))
            .replace("%2", str(len(cl.obtained)))
            + self._unverified_note(cl)
        )

    def _unverified_note(self, cl: Any) -> str:
        """What of this checklist nobody has checked against an official text."""
        facts = [
            *(i.verified for i in cl.items),
            *(e.material.verified for e in (*cl.submit, *cl.obtained)),
        ]
        n = sum(v is None for v in facts)
        if not n:
            return ""
        return "\n" + self.tr(
            "其中 %1 项未与官方文本核对（标“未核实”），以部门办事指南为准"
        ).replace("%1", str(n))

    def open_case(self) -> None:
        agent = self.applicant.agent()
        company = self.bundle().audience is Audience.COMPANY
        kw: dict[str, Any] = {
            "applicant_id": None if company else self.id_edit.text(),
            "credit_code": self.id_edit.text() if company else None,
            "phone": self.phone_edit.text().strip() or None,
            "ticket_id": self.ticket_id,
            "answers": self.answers(),
            "agent": agent,
            "bad_credit": self.bad_credit.isChecked(),
            "share_consent": self.applicant.share_consent.isChecked(),
            "window": self.window_number,
        }
        code, name = self.bundle_box.currentData(), self.name_edit.text()
        self.next_button.setEnabled(False)

        self.runner.submit(
            lambda: cases.open_case(self.db, code, name, **kw), self._opened, self._failed
        )

    def _continue(self, case_no: str) -> None:
        """A case opened earlier (a returning applicant): load it and go to where it stands."""
        self.summary.setText(self.tr("正在读取办件 %1…").replace("%1", case_no))
        self.next_button.setEnabled(False)
        db = self.db
        self.runner.submit(lambda: cases.show(db, case_no), self._continued, self._failed)

    def _continued(self, view: CaseView) -> None:
        self.next_button.setEnabled(True)
        self.bundle_box.setCurrentIndex(max(0, self.bundle_box.findData(view.bundle_code)))
        self.applicant.setEnabled(False)  # the applicant is on record; shown masked above
        self._set_view(view)
        self.materials.fill(view)
        # Materials still to come in (告知, 容缺, not yet decided): the checklist; else step 4.
        receiving = CaseState(view.state) in (CaseState.OPEN, CaseState.NOTICE, CaseState.DEFERRED)
        self._go(2 if receiving else 3)

    def _opened(self, view: CaseView) -> None:
        self.next_button.setEnabled(True)
        self._set_view(view)
        self.materials.fill(view)
        self._go(2)

    def _failed(self, exc: Exception) -> None:
        self.next_button.setEnabled(True)
        for b in self.buttons.values():
            b.setEnabled(True)
        self.show_error(user_message(exc))
        if self.view is not None:
            self._refresh_decision()

    def _set_view(self, view: CaseView) -> None:
        self.error.setVisible(False)  # an action went through: an earlier error no longer holds
        self.view = view
        self.materials.remember(view)
        label = case_labels.state(view.state)
        self.summary.setText(
            f"{view.case_no} · {view.bundle_name} · {view.applicant_name} {view.applicant_id}"
            + (f" · {view.applicant_phone}" if view.applicant_phone else "")
            + f" · 【{label}】"
        )
        self.case_changed.emit(view)

    # -- step 3 --------------------------------------------------------------------------------

    def tick(self, code: str, received: bool = True, *, copy: bool = False) -> None:
        self.materials.tick(code, received, copy=copy)

    # -- step 4 --------------------------------------------------------------------------------

    def _refresh_decision(self) -> None:
        """Buttons and text from the same rule the services apply (domain.cases)."""
        v = self.view
        if v is None:
            return
        state = CaseState(v.state)
        ticked = self.materials.ticked()
        cl = resolve(self.catalog.bundle(v.bundle_code), v.answers)
        options = decision_options(state, cl, ticked, bad_credit=v.bad_credit)
        for d in Decision:
            self.buttons[d].setEnabled(options[d].allowed)
            self.buttons[d].setToolTip(case_labels.reasons(options[d]))
        self.buttons["doc_receipt"].setEnabled(state in ACCEPTED_STATES)
        self.buttons["doc_notice"].setEnabled(state is CaseState.NOTICE)
        self.buttons["doc_commitment"].setEnabled(state is CaseState.DEFERRED)
        outstanding = [m.name for m in v.deferred if m.code not in ticked]
        self.conclude_button.setEnabled(conclusion_refusal(state, outstanding) is None)
        self.rating.show_case(v)
        if options.decidable:
            lacking = options.lacking
            text = (
                self.tr("材料齐全，可以受理。")
                if not lacking
                else self.tr("尚缺：")
                + listed([in_language(e.name, e.material.name_en) for e in lacking])
                + self.tr("。")
            )
            if lacking and options.blockers:
                text += "\n" + listed(
                    [x.message_en if is_english() else x.message_zh for x in options.blockers],
                    sep="；",
                )
        else:
            text = case_labels.state(state)
            if v.deadline:
                text += self.tr("，办结期限 %1").replace("%1", v.deadline.isoformat())
            if v.deferral_due:
                text += self.tr("，容缺材料补正期限 %1").replace("%1", v.deferral_due.isoformat())
            if v.calendar_source == "weekends-only":
                text += self.tr("（无官方节假日数据，期限仅按周末推算）")
        self.decision_info.setText(text)

    def decide(self, decision: str) -> None:
        """One click, one transaction: the newly ticked materials go with the decision."""
        v = self.view
        if v is None:
            return
        received = self.materials.newly_ticked()
        reason = self.reason_edit.text().strip() or None
        missing_reasons: dict[str, str] = {}
        if decision == "defer":  # 容缺: why each material is missing goes on the papers
            lacking = [
                replace(m, name=case_labels.fact(v.bundle_code, "material", m.code, m.name))
                for m in v.missing
                if m.code not in received
            ]  # named in the screen's language; the reasons go back by code
            if lacking:
                typed = self.ask_missing_reasons(lacking, self)
                if typed is None:
                    return  # cancelled: nothing decided
                missing_reasons = typed
        no, db, w = v.case_no, self.db, self.window_number
        for b in self.buttons.values():
            b.setEnabled(False)
        self.runner.submit(
            lambda: cases.decide(
                db,
                no,
                decision,
                received=received,
                reason=reason,
                window=w,
                missing_reasons=missing_reasons or None,
            ),
            self._decided,
            self._failed,
        )

    def _decided(self, view: CaseView) -> None:
        self._set_view(view)
        self._refresh_decision()

    def conclude(self) -> None:
        """办结 with the deferred materials ticked since, in one transaction."""
        v = self.view
        if v is None:
            return
        pending = {m.code for m in v.deferred}
        received = {c: f for c, f in self.materials.newly_ticked().items() if c in pending}
        no, db, w = v.case_no, self.db, self.window_number
        self.runner.submit(
            lambda: cases.conclude(db, no, received=received, window=w),
            self._concluded,
            self._failed,
        )

    def _concluded(self, view: CaseView) -> None:
        self._decided(view)
        self.rating.invite(view)  # the visitor rates on the pad facing them

    def print_document(self, kind: str) -> None:
        """The paper as a PDF in the documents folder, then on this PC's printer (Shift: the
        system's print dialog); a printer problem leaves the PDF and says so."""
        v = self.view
        if v is None:
            return
        from desk_app.paths import documents_dir, unused_document_path
        from desk_app.services.cases import documents as case_print

        folder = self.document_dir or documents_dir()
        folder.mkdir(parents=True, exist_ok=True)
        target = unused_document_path(folder, f"{v.case_no}-{kind}")
        render = partial(case_print.print_case_document, self.db, v.case_no, kind)
        print_paper(self.runner, self, render, target, self._printed, self._failed)

    def _printed(self, paper: Paper) -> None:
        self.error.setVisible(False)
        self.doc_label.setText(paper_message(paper))
        self.last_document = paper.path
