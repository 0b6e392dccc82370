"""拍照/扫描 in the case dialog: a material's pages into the case as 电子件.

Three ways in, whichever this PC has:

- **the scanner's drop folder** (a ``camera`` device ``folder:PATH`` registered for this PC):
  the pages it saved are listed, newest first, and the chosen ones attached, then removed from
  the folder (the sealed copy in the case is the only one left);
- **files** chosen on this PC (images or one PDF).

A document camera (高拍仪) is used through its vendor's capture program saving into the drop
folder; capturing through Qt Multimedia from the dialog itself is not built yet.

The attach itself (services/cases/files.py) runs on the dialog's worker.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.cases import MaterialStatus
from desk_app.services.cases.dto import CaseView
from desk_app.store import Database
from desk_app.ui.cases import labels as case_labels
from desk_app.ui.common.tasks import TaskRunner, user_message

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".pdf")


def drop_folder(db: Database) -> Path | None:
    """This PC's scanner drop folder (a ``camera`` device ``folder:PATH``), if any."""
    from desk_app.domain.devices import DeviceKind
    from desk_app.services.devices import registry

    try:
        for d in registry.devices_here(db, DeviceKind.CAMERA):
            if d.target.startswith("folder:"):
                return Path(d.target.removeprefix("folder:"))
    except Exception:  # noqa: BLE001 - no registry: files only
        return None
    return None


class ScanDialog(QDialog):
    """Attach pages to one material of the case; ``attached(CaseView)`` via ``done``."""

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        view: CaseView,
        window: int | None,
        done: Callable[[CaseView], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.runner, self.view, self.window_number, self.done_cb = (
            db,
            runner,
            view,
            window,
            done,
        )
        self.setWindowTitle(self.tr("拍照/扫描"))
        self.material = QComboBox()
        for m in view.materials:
            if m.status != MaterialStatus.OBTAINED:
                self.material.addItem(
                    case_labels.fact(view.bundle_code, "material", m.code, m.name), m.code
                )
        self.folder = drop_folder(db)
        self.files = QListWidget()
        self.files.setSelectionMode(QListWidget.SelectionMode.MultiSelection)
        self.status = QLabel()
        self.status.setWordWrap(True)
        pick = QPushButton(self.tr("选择文件…"))
        pick.clicked.connect(self.choose_files)
        self.attach_button = QPushButton(self.tr("上传所选页"))
        self.attach_button.setProperty("primary", True)
        self.attach_button.clicked.connect(self.attach_selected)
        row = QHBoxLayout()
        row.addWidget(pick)
        row.addStretch()
        row.addWidget(self.attach_button)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("材料：")))
        lay.addWidget(self.material)
        where = (
            self.tr("扫描文件夹：%1").replace("%1", str(self.folder))
            if self.folder
            else self.tr("本机未设置扫描文件夹（请管理员添加扫描设备）")
        )
        lay.addWidget(QLabel(where))
        lay.addWidget(self.files, 1)
        lay.addLayout(row)
        lay.addWidget(self.status)
        self.list_folder()

    def list_folder(self) -> None:
        """The drop folder's pages, newest first (all chosen: a scan just made)."""
        self.files.clear()
        if self.folder is None or not self.folder.is_dir():
            return
        found = sorted(
            (p for p in self.folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        for p in found:
            item = QListWidgetItem(p.name)
            item.setData(Qt.ItemDataRole.UserRole, str(p))
            self.files.addItem(item)
            item.setSelected(True)

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("选择扫描件"),
            "",
            self.tr("图片或 PDF (*.jpg *.jpeg *.png *.tif *.tiff *.bmp *.pdf)"),
        )
        for name in names:
            item = QListWidgetItem(Path(name).name)
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.files.addItem(item)
            item.setSelected(True)

    def selected(self) -> list[Path]:
        return [Path(i.data(Qt.ItemDataRole.UserRole)) for i in self.files.selectedItems()]

    def attach_selected(self) -> None:
        paths = self.selected()
        code = self.material.currentData()
        if not paths or code is None:
            self.status.setText(self.tr("请先选择材料和页面。"))
            return
        from desk_app.services.cases import actions as cases
        from desk_app.services.cases import files as case_files

        db, no, window = self.db, self.view.case_no, self.window_number
        from_folder = self.folder is not None and all(p.parent == self.folder for p in paths)
        source = "scanner" if from_folder else "file"

        def work() -> tuple[Any, CaseView]:
            done = case_files.attach(db, no, code, paths, source=source, window=window)
            if from_folder:  # the sealed copy in the case is now the only one
                for p in paths:
                    with contextlib.suppress(OSError):
                        p.unlink()
            return done, cases.show(db, no)

        self.attach_button.setEnabled(False)
        self.status.setText(self.tr("正在上传…"))
        self.runner.submit(work, self._attached, self._failed)

    def _attached(self, result: tuple[Any, CaseView]) -> None:
        done, view = result
        self.attach_button.setEnabled(True)
        self.status.setText(
            self.tr("已存入办件：%1 页，%2 KB")
            .replace("%1", str(done.pages))
            .replace("%2", str(done.bytes // 1024))
        )
        self.list_folder()
        self.done_cb(view)

    def _failed(self, exc: Exception) -> None:
        self.attach_button.setEnabled(True)
        self.status.setText(user_message(exc))
