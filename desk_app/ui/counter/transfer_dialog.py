"""Where the current ticket goes on F8: another service or another window (number and waiting
time are kept)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)


class TransferDialog(QDialog):
    """Choose where the current ticket goes: another service or another window."""

    def __init__(
        self,
        number: str,
        services: list[tuple[str, str]],
        windows: list[int],
        own_window: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("转移 %1").replace("%1", number))
        self.to_service = QRadioButton(self.tr("转到业务"))
        self.to_window = QRadioButton(self.tr("转到窗口"))
        self.to_service.setChecked(True)
        self.service_box = QComboBox()
        for code, name in services:
            self.service_box.addItem(name, code)
        self.window_box = QComboBox()
        for w in windows:
            if w != own_window:
                self.window_box.addItem(self.tr("%1 号窗口").replace("%1", str(w)), w)
        form = QFormLayout()
        form.addRow(self.to_service, self.service_box)
        form.addRow(self.to_window, self.window_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("转移后号码和排队时间保持不变。")))
        lay.addLayout(form)
        lay.addWidget(buttons)

    def choice(self) -> dict[str, Any]:
        if self.to_window.isChecked():
            return {"to_window": self.window_box.currentData()}
        return {"to_service": self.service_box.currentData()}
