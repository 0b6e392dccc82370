"""12345 工单 (F7) on the supervisor's screen: the work orders by state, the late ones in red;
签收 (Ctrl+G), 答复 (Ctrl+Y, with the text and optionally the knowledge-base answer it rests
on) and 退回 (Ctrl+T, with the reason) on the selected one. Each step goes back to the
platform through the sync, once (services/workorders/orders.py)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain import clock
from desk_app.store import Database
from desk_app.ui.common import theme
from desk_app.ui.common.tasks import TaskRunner, user_message
from desk_app.ui.supervisor.tables import fill_row, table


def _bundle(code: str | None) -> str:
    """The 一件事's name in the screen's language ("" when the work order names none)."""
    if not code:
        return ""
    from desk_app.services.common.catalog import catalog
    from desk_app.ui.common.i18n import in_language

    try:
        b = catalog().bundle(code)
    except KeyError:
        return code
    return in_language(b.name, b.name_en)


class ReplyDialog(QDialog):
    """The reply's text (or a return's reason) and, for a reply, the knowledge-base entry."""

    def __init__(self, title: str, number: str, question: str, *, kb: bool, parent: Any = None):
        super().__init__(parent)
        self.setWindowTitle(f"{title} · {number}")
        self.question = QLabel(question)
        self.question.setWordWrap(True)
        self.question.setStyleSheet(f"color: {theme.MUTED};")
        self.text = QPlainTextEdit()
        self.kb = QLineEdit()
        self.kb.setPlaceholderText(self.tr("如 newborn-001（可选）"))
        form = QFormLayout()
        form.addRow(self.tr("群众诉求"), self.question)
        form.addRow(self.tr("内容"), self.text)
        if kb:
            form.addRow(self.tr("知识库条目"), self.kb)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons)
        self.resize(640, 380)


class WorkOrdersPage(QWidget):
    """The list of a state and the three actions on the selected work order."""

    # Seams for tests: what the dialogs answer ((text, kb) or None when cancelled).
    def ask(self, title: str, order: Any, *, kb: bool) -> tuple[str, str | None] | None:
        d = ReplyDialog(title, order.number, order.text, kb=kb, parent=self)
        if d.exec() != QDialog.DialogCode.Accepted:
            return None
        return d.text.toPlainText(), (d.kb.text().strip() or None)

    def __init__(self, db: Database, runner: TaskRunner) -> None:
        super().__init__()
        self.db, self.runner = db, runner
        self.rows: list[Any] = []
        self._loaded_once = False
        self.state = QComboBox()
        for value, label in (
            ("open", self.tr("待办（待签收、待答复）")),
            ("overdue", self.tr("逾期")),
            ("replied", self.tr("已答复")),
            ("returned", self.tr("已退回")),
            ("all", self.tr("全部")),
        ):
            self.state.addItem(label, value)
        self.state.currentIndexChanged.connect(self.load)
        self.table = table(
            [self.tr("工单编号"), self.tr("类型"), self.tr("一件事"), self.tr("诉求"),
             self.tr("联系人"), self.tr("签收期限"), self.tr("答复期限"), self.tr("状态")],
            stretch=3,  # the citizen's words take the spare width
        )  # fmt: skip
        self.buttons = {
            "sign": QPushButton(self.tr("签收 (Ctrl+G)")),
            "reply": QPushButton(self.tr("答复 (Ctrl+Y)")),
            "return": QPushButton(self.tr("退回 (Ctrl+T)")),
        }
        for key, keys in (("sign", "Ctrl+G"), ("reply", "Ctrl+Y"), ("return", "Ctrl+T")):
            self.buttons[key].clicked.connect(lambda _c=False, k=key: self.act(k))
            QShortcut(QKeySequence(keys), self).activated.connect(lambda k=key: self.act(k))
        self.status = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("状态")))
        top.addWidget(self.state)
        top.addStretch(1)
        for b in self.buttons.values():
            top.addWidget(b)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.status)

    def load_once(self) -> None:
        if not self._loaded_once:
            self.load()

    def load(self) -> None:
        from desk_app.services.workorders import orders as workorders

        self._loaded_once = True
        state, db = str(self.state.currentData()), self.db
        self.status.setText(self.tr("正在读取…"))
        self.runner.submit(
            lambda: workorders.list_orders(db, state),
            self.show_rows,
            lambda e: self.status.setText(user_message(e)),
        )

    def show_rows(self, rows: list[Any]) -> None:
        self.rows = rows
        kinds = {"consult": self.tr("咨询"), "complaint": self.tr("投诉"),
                 "suggestion": self.tr("建议")}  # fmt: skip
        states = {"received": self.tr("待签收"), "signed": self.tr("已签收"),
                  "replied": self.tr("已答复"), "returned": self.tr("已退回")}  # fmt: skip
        self.table.setRowCount(len(rows))
        for i, o in enumerate(rows):
            late = o.sign_overdue or o.reply_overdue
            fill_row(
                self.table,
                i,
                [o.number, kinds.get(o.kind, o.kind), _bundle(o.bundle), o.text, o.citizen,
                 f"{clock.local(o.sign_due):%m-%d %H:%M}", o.deadline.isoformat(),
                 # In words too: a selected row's red is hidden by the selection colour.
                 states.get(o.state, o.state) + (self.tr("（逾期）") if late else "")],
                theme.DANGER if late else None,
            )  # fmt: skip
        for i, o in enumerate(rows):
            if (cell := self.table.item(i, 3)) is not None:
                cell.setToolTip(o.text)
        if rows:
            self.table.selectRow(0)
        self.status.setText(self.tr("%1 件").replace("%1", str(len(rows))))

    def selected(self) -> Any:
        sel = self.table.selectionModel().selectedRows()
        return self.rows[sel[0].row()] if sel and self.rows else None

    def act(self, key: str) -> None:
        from desk_app.services.workorders import orders as workorders

        order, db = self.selected(), self.db
        if order is None:
            self.status.setText(self.tr("请先选择一条工单"))
            return
        if key == "sign":
            work: Any = lambda: workorders.sign(db, order.number)  # noqa: E731
        else:
            title = self.tr("答复") if key == "reply" else self.tr("退回")
            answer = self.ask(title, order, kb=key == "reply")
            if answer is None:
                return
            text, kb = answer
            if key == "reply":
                work = lambda: workorders.reply(db, order.number, text, kb=kb)  # noqa: E731
            else:
                work = lambda: workorders.return_order(db, order.number, text)  # noqa: E731
        self.runner.submit(
            work,
            lambda _v: self.load(),
            lambda e: self.status.setText(user_message(e)),
        )
