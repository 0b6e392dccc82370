"""What sharing returned for one material, for the clerk to check against the visitor: the
department's fields and, for a licence, the e-licence itself (rendered from its PDF in memory
with Qt PDF: nothing of it is written to disk). Opening it is an audited reveal
(services/cases/sharing.reveal)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.services.cases.dto import CaseView
from desk_app.ui.cases import labels as case_labels
from desk_app.ui.common.tasks import user_message


def render_pdf(pdf: bytes, width: int = 520) -> QPixmap | None:
    """The first page of ``pdf`` as a pixmap ``width`` pixels wide (None if Qt PDF cannot)."""
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    buf = QBuffer()
    buf.setData(QByteArray(pdf))
    buf.open(QIODevice.OpenModeFlag.ReadOnly)
    doc.load(buf)
    if doc.status() != QPdfDocument.Status.Ready or doc.pageCount() < 1:
        return None
    size = doc.pagePointSize(0)
    height = int(width * size.height() / max(1.0, size.width()))
    image = doc.render(0, QSize(width, height))
    doc.close()
    return None if image.isNull() else QPixmap.fromImage(image)


class SharedDataDialog(QDialog):
    def __init__(self, db: Any, view: CaseView, material: str, parent: QWidget | None = None):
        super().__init__(parent)
        from desk_app.services.cases import sharing

        name = next((m.name for m in view.materials if m.code == material), material)
        shown = case_labels.fact(view.bundle_code, "material", material, name)
        self.setWindowTitle(
            QCoreApplication.translate("CaseDialog", "共享数据：%1").replace("%1", shown)
        )
        lay = QVBoxLayout(self)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.fields = QTableWidget(0, 2)
        self.licence = QLabel()
        self.licence.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        try:
            fields, licence, pdf = sharing.reveal(db, view.case_no, material)
        except Exception as exc:  # refused, purged: say so in the dialog
            self.error.setText(user_message(exc))
            fields, licence, pdf = [], None, None
        self.fields.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("CaseDialog", "项目"),
                QCoreApplication.translate("CaseDialog", "内容"),
            ]
        )
        self.fields.verticalHeader().setVisible(False)
        self.fields.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.fields.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        rows = [(f.get("label") or f.get("key") or "", f.get("value")) for f in fields]
        if licence:
            rows += [
                (QCoreApplication.translate("CaseDialog", "证照编号"), licence.get("number")),
                (
                    QCoreApplication.translate("CaseDialog", "验证码"),
                    licence.get("verification_code"),
                ),
                (QCoreApplication.translate("CaseDialog", "签发日期"), licence.get("issued")),
            ]
        self.fields.setRowCount(len(rows))
        for r, (label, value) in enumerate(rows):
            for c, text in enumerate((str(label), "" if value is None else str(value))):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.fields.setItem(r, c, item)
        body = QHBoxLayout()
        body.addWidget(self.fields, 1)
        if pdf:
            pixmap = render_pdf(pdf)
            if pixmap is not None:
                self.licence.setPixmap(pixmap)
            else:
                self.licence.setText(QCoreApplication.translate("CaseDialog", "电子证照无法显示"))
            scroll = QScrollArea()
            scroll.setWidget(self.licence)
            scroll.setWidgetResizable(True)
            scroll.setMinimumWidth(560)
            body.addWidget(scroll, 1)
        lay.addWidget(self.error)
        self.error.setVisible(bool(self.error.text()))
        lay.addLayout(body, 1)
        note = QLabel(
            QCoreApplication.translate(
                "CaseDialog", "本次查看已记录。请与申请人核对，勿拍照或外传。"
            )
        )
        note.setWordWrap(True)
        lay.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(1100 if pdf else 600, 640)
