"""Step 3 of the case dialog: the guided material checklist, one row per material with why it
is needed, ticked as received (original or copy) at the window."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.cases import RECEIVED, MaterialStatus
from desk_app.services.cases.dto import CaseView
from desk_app.ui.cases import labels as case_labels
from desk_app.ui.cases.shared import SharedPanel, reason_key, reason_text
from desk_app.ui.common import theme
from desk_app.ui.common.i18n import listed

# Still to come in: a tick on one of these is news for the services (others are already in).
_OUTSTANDING = (MaterialStatus.MISSING, MaterialStatus.DEFERRED)


def UNVERIFIED_MARK() -> str:  # noqa: N802 - a translated constant
    return QCoreApplication.translate("CaseDialog", "（未核实）")


def unverified_materials(bundle_code: str) -> dict[str, str]:
    """The bundle's materials nobody has checked against a source, with what they rest on."""
    from desk_app.services.common.catalog import catalog

    try:
        bundle = catalog().bundle(bundle_code)
    except KeyError:
        return {}
    note = QCoreApplication.translate(
        "CaseDialog", "未与官方文本核对，以部门办事指南为准。依据：%1"
    )
    return {
        m.code: note.replace("%1", m.cite or "-") for m in bundle.materials if m.verified is None
    }


class MaterialsPage(QWidget):
    """The materials to submit (tickable) and those obtained without paper."""

    def __init__(
        self,
        db: Any = None,
        runner: Any = None,
        window: int | None = None,
        attached: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        # 拍照/扫描 (ui/cases/scan.py): pages into the case as 电子件; ``attached(view)`` then.
        self.db, self.runner, self.window_number, self.attached = db, runner, window, attached
        self.view: CaseView | None = None
        self.checks: dict[str, QCheckBox] = {}
        self.copy_checks: dict[str, QCheckBox] = {}
        self.status: dict[str, str] = {}
        self.table = QTableWidget(0, 5)
        # Strings stay in the case dialog's translation context (resources/i18n).
        self.table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("CaseDialog", "已收"),
                QCoreApplication.translate("CaseDialog", "复印件"),
                QCoreApplication.translate("CaseDialog", "材料"),
                QCoreApplication.translate("CaseDialog", "要求"),
                QCoreApplication.translate("CaseDialog", "用途与原因"),
            ]
        )
        self.table.verticalHeader().setVisible(False)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        # One line per material (a long reason is elided; the full text is its tooltip):
        # wrapped rows sized before the table has its width grow to the whole page.
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.obtained_label = QLabel()
        self.obtained_label.setWordWrap(True)
        self.obtained_label.setStyleSheet(f"color: {theme.OK}; font-size: 12pt;")
        self.scan_button = QPushButton(
            QCoreApplication.translate("CaseDialog", "拍照/扫描 (Ctrl+S)")
        )
        self.scan_button.setEnabled(False)
        # 免证办: the shared materials, fetched in the background (ui/cases/shared.py).
        self.shared = SharedPanel(db, self._reloaded, self)
        self.scan_button.clicked.connect(self.scan)
        QShortcut(QKeySequence("Ctrl+S"), self).activated.connect(self.scan)
        top = QHBoxLayout()  # the instruction and 拍照/扫描 above the list
        top.addWidget(
            QLabel(
                QCoreApplication.translate(
                    "CaseDialog", "勾选已收取的材料（空格键勾选，Tab 移动）："
                )
            ),
            1,
        )
        top.addWidget(self.scan_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.shared)
        lay.addWidget(self.obtained_label)  # full width: its wrapped lines keep their height

    def scan(self) -> None:
        """The 拍照/扫描 dialog for the case on screen (once it exists)."""
        if self.view is None or self.db is None:
            return
        from desk_app.ui.cases.scan import ScanDialog

        def done(view: CaseView) -> None:
            self.fill(view)
            if self.attached is not None:
                self.attached(view)

        ScanDialog(self.db, self.runner, self.view, self.window_number, done, self).exec()

    def _reloaded(self, view: CaseView) -> None:
        """The case after its shared materials were fetched: the lists and the dialog anew."""
        self.fill(view)
        if self.attached is not None:
            self.attached(view)

    def fill(self, view: CaseView) -> None:
        self.view = view
        self.shared.fill(view)
        self.scan_button.setEnabled(self.db is not None)
        unverified = unverified_materials(view.bundle_code)
        submit = [m for m in view.materials if m.status != MaterialStatus.OBTAINED]
        self.table.setRowCount(len(submit))
        self.checks.clear()
        self.copy_checks.clear()
        self.remember(view)
        for r, m in enumerate(submit):
            got = QCheckBox()
            got.setChecked(m.status in RECEIVED)
            copy = QCheckBox()
            copy.setChecked(m.status == MaterialStatus.COPY)
            self.checks[m.code] = got
            self.copy_checks[m.code] = copy
            self.table.setCellWidget(r, 0, got)
            self.table.setCellWidget(r, 1, copy)
            need = case_labels.need(m.required, m.key, m.form)
            cite = unverified.get(m.code)
            shown = case_labels.fact(view.bundle_code, "material", m.code, m.name)
            if m.status == MaterialStatus.ELECTRONIC:  # scanned into the case, paper given back
                shown += QCoreApplication.translate("CaseDialog", "（电子件）")
            name = shown if cite is None else shown + UNVERIFIED_MARK()
            why = m.reason
            if m.source in ("shared", "e_licence") and m.missing_reason:  # fell back to paper
                why = f"{reason_text(reason_key(m.missing_reason))}；{m.reason}"
            for c, text in ((2, name), (3, need), (4, why)):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(text if cite is None or c != 2 else f"{text}\n{cite}")
                if cite is not None and c == 2:
                    item.setForeground(QColor(theme.ACCENT))
                self.table.setItem(r, c, item)
        # Those fetched through sharing are on the panel above; here the rest (前序事项结果).
        obtained = [
            m for m in view.materials if m.status == MaterialStatus.OBTAINED and m.share is None
        ]
        self.obtained_label.setVisible(bool(obtained))
        self.obtained_label.setText(
            QCoreApplication.translate("CaseDialog", "免提交（数据共享、电子证照或前序事项结果）：")
            + listed(
                [
                    case_labels.fact(view.bundle_code, "material", m.code, m.name)
                    + QCoreApplication.translate("CaseDialog", "（%1）").replace(
                        "%1", case_labels.source(m.source)
                    )
                    for m in obtained
                ],
                sep="；",
            )
        )

    def remember(self, view: CaseView) -> None:
        """Keep the stored status of each material, to tell new ticks from old ones."""
        self.status = {m.code: m.status for m in view.materials}

    def tick(self, code: str, received: bool = True, *, copy: bool = False) -> None:
        self.checks[code].setChecked(received)
        self.copy_checks[code].setChecked(copy)

    def ticked(self) -> dict[str, MaterialStatus]:
        """Every ticked material with the form it was received in."""
        return {
            c: MaterialStatus.COPY if self.copy_checks[c].isChecked() else MaterialStatus.ORIGINAL
            for c, b in self.checks.items()
            if b.isChecked()
        }

    def newly_ticked(self) -> dict[str, MaterialStatus]:
        """The ticks that are news: materials still missing or deferred when last loaded."""
        return {c: f for c, f in self.ticked().items() if self.status.get(c) in _OUTSTANDING}
