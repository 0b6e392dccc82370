"""Asked before 容缺受理: why each material is missing (暂缺原因). It is recorded with the
material and printed on the 承诺书 and the receipt instead of what the material is for."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desk_app.services.cases.dto import MaterialLine

REASON_MAX = 200


class MissingReasonsDialog(QDialog):
    """One line per missing material; all optional (an empty line keeps what it is for)."""

    def __init__(self, lacking: list[MaterialLine], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("CaseDialog", "暂缺原因"))
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for m in lacking:
            edit = QLineEdit()
            edit.setMaxLength(REASON_MAX)
            edit.setPlaceholderText(
                QCoreApplication.translate("CaseDialog", "如：原件在外地，三日内补交")
            )
            self.edits[m.code] = edit
            form.addRow(QLabel(m.name), edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(
            QLabel(
                QCoreApplication.translate(
                    "CaseDialog", "请写明每项材料暂缺的原因（将打印在承诺书和受理回执上）："
                )
            )
        )
        lay.addLayout(form)
        lay.addWidget(buttons)

    def reasons(self) -> dict[str, str]:
        return {code: e.text().strip() for code, e in self.edits.items() if e.text().strip()}


def ask_missing_reasons(
    lacking: list[MaterialLine], parent: QWidget | None
) -> dict[str, str] | None:
    """The reasons typed, or None when the clerk cancelled (nothing is decided then)."""
    dialog = MissingReasonsDialog(lacking, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.reasons()
