"""好差评: the customer-facing evaluation, on the second screen where there is one."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.evaluation import DIMENSION_LABELS_ZH, DIMENSIONS, LEVEL_LABELS_ZH
from desk_app.services.cases import actions as cases
from desk_app.services.cases.dto import CaseView
from desk_app.store import Database
from desk_app.ui.common import theme
from desk_app.ui.common.tasks import TaskRunner, user_message

LEVEL_COLOURS = {5: "#1b7f3b", 4: "#4c9a2a", 3: "#8a8a2a", 2: "#c26a12", 1: "#b3261e"}


class EvaluationDialog(QDialog):
    """Five big buttons the visitor presses; the four offline dimensions and a comment are
    optional. ``evaluated`` carries the updated case."""

    evaluated = Signal(object)

    def __init__(self, db: Database, view: CaseView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.view = view
        self.runner = TaskRunner(self)
        self.setWindowTitle(self.tr("请您评价本次服务"))
        title = QLabel(self.tr("请您对本次服务进行评价"))
        title.setStyleSheet(f"font-size: 22pt; font-weight: bold; color: {theme.PRIMARY};")
        sub = QLabel(f"{view.bundle_name} · {view.case_no}")
        sub.setStyleSheet(f"color: {theme.MUTED}; font-size: 13pt;")
        self.level_buttons: dict[int, QPushButton] = {}
        row = QHBoxLayout()
        for level in (5, 4, 3, 2, 1):
            b = QPushButton(f"{LEVEL_LABELS_ZH[level]}\n{level}")
            b.setMinimumSize(150, 110)
            b.setStyleSheet(
                f"font-size: 16pt; font-weight: bold; color: white; border: none;"
                f"border-radius: 10px; background: {LEVEL_COLOURS[level]};"
            )
            b.clicked.connect(partial(self.submit, level))
            self.level_buttons[level] = b
            row.addWidget(b)
        self.dimension_boxes: dict[str, QComboBox] = {}
        form = QFormLayout()
        for key in DIMENSIONS:
            box = QComboBox()
            box.addItem(self.tr("（不填）"), None)
            for level in (5, 4, 3, 2, 1):
                box.addItem(LEVEL_LABELS_ZH[level], level)
            self.dimension_boxes[key] = box
            form.addRow(DIMENSION_LABELS_ZH[key], box)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText(self.tr("意见或建议（可选）"))
        form.addRow(self.tr("意见建议"), self.comment)
        self.status = QLabel()
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setStyleSheet("font-size: 14pt;")
        lay = QVBoxLayout(self)
        lay.addWidget(title, alignment=Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(sub, alignment=Qt.AlignmentFlag.AlignCenter)
        lay.addSpacing(12)
        lay.addLayout(row)
        lay.addSpacing(12)
        lay.addLayout(form)
        lay.addWidget(self.status)

    @classmethod
    def invite(
        cls, db: Database, view: CaseView, parent: QWidget | None = None
    ) -> EvaluationDialog:
        """Show the dialog to the visitor: on the second screen when the counter has one."""
        dialog = cls(db, view, parent)
        screens = QApplication.screens()
        if len(screens) > 1:
            dialog.setScreen(screens[1])
            dialog.move(screens[1].availableGeometry().center() - dialog.rect().center())
        dialog.show()
        return dialog

    def submit(self, level: int) -> None:
        dims = {
            k: b.currentData()
            for k, b in self.dimension_boxes.items()
            if b.currentData() is not None
        }
        comment = self.comment.text().strip() or None
        for b in self.level_buttons.values():
            b.setEnabled(False)
        self.runner.submit(
            lambda: cases.evaluate(
                self.db, self.view.case_no, level, dimensions=dims, comment=comment
            ),
            self._done,
            self._failed,
        )

    def _done(self, view: CaseView) -> None:
        self.status.setText(self.tr("感谢您的评价！"))
        self.evaluated.emit(view)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.status.setText(user_message(exc))
        for b in self.level_buttons.values():
            b.setEnabled(True)
