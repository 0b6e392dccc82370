"""好差评 from the case dialog: the clerk invites the visitor to rate on the evaluation pad
facing them (services/evaluation/pad.py) and sees whether the rating is pending or received.
The clerk cannot enter a rating: the pad is the visitor's."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from desk_app.domain.cases import CaseAction, CaseState, allowed
from desk_app.services.cases.dto import CaseView
from desk_app.services.evaluation import pad
from desk_app.store import Database
from desk_app.ui.common import theme
from desk_app.ui.common.tasks import TaskRunner, user_message

STATE_POLL_MS = 2000  # while a rating is pending, its state is read this often


class EvaluationInvite(QWidget):
    """ "邀请评价 (Ctrl+E)" and the rating's state for the case on screen."""

    def __init__(
        self, db: Database, runner: TaskRunner, window: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.runner, self.window_number = db, runner, window
        self.case_no: str | None = None
        self.state: str | None = None
        self.button = QPushButton(self.tr("邀请评价 (Ctrl+E)"))
        self.button.setEnabled(False)
        self.button.clicked.connect(self.invite_again)
        self.label = QLabel()
        self.label.setStyleSheet(f"color: {theme.MUTED};")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.button)
        row.addWidget(self.label, 1)
        QShortcut(QKeySequence("Ctrl+E"), parent or self).activated.connect(self.invite_again)
        self._poll = QTimer(self)
        self._poll.setInterval(STATE_POLL_MS)
        self._poll.timeout.connect(self._look)

    def show_case(self, view: CaseView) -> None:
        """The case on screen: the invitation is possible once it is concluded, unrated."""
        self.case_no = view.case_no
        rated = view.evaluation is not None
        open_to_rating = allowed(CaseAction.EVALUATE, CaseState(view.state)) and not rated
        self.button.setEnabled(open_to_rating and self.window_number is not None)
        if rated:
            self._say(pad.RATED)

    def invite(self, view: CaseView) -> None:
        """After 办结: the pad at this window asks the visitor."""
        self.show_case(view)
        self.invite_again()

    def invite_again(self) -> None:
        if not self.button.isEnabled() or self.case_no is None or self.window_number is None:
            return
        db, no, window = self.db, self.case_no, self.window_number
        self.runner.submit(lambda: pad.invite(db, no, window), self._invited, self._failed)

    def _invited(self, _request: Any) -> None:
        self._say(pad.PENDING)
        self._poll.start()

    def _look(self) -> None:
        if self.case_no is None:
            self._poll.stop()
            return
        db, no = self.db, self.case_no
        self.runner.submit(lambda: pad.request_state(db, no), self._say, self._failed)

    def _say(self, state: str | None) -> None:
        self.state = state
        texts = {
            pad.PENDING: self.tr("已请申请人在评价器上评价，等待评价…"),
            pad.RATED: self.tr("申请人已评价。"),
            pad.EXPIRED: self.tr("申请人未评价（已超时），可再次邀请。"),
            pad.WITHDRAWN: self.tr("评价邀请已被下一位申请人替代。"),
        }
        self.label.setText(texts.get(state or "", ""))
        if state != pad.PENDING:
            self._poll.stop()
        if state == pad.RATED:
            self.button.setEnabled(False)

    def _failed(self, exc: Exception) -> None:
        self._poll.stop()
        self.label.setText(user_message(exc))
