"""拍照/扫描 in the case dialog: a material's pages into the case as 电子件.

Three ways in, whichever this PC has:

- **the document camera** (高拍仪, a UVC camera: a ``camera`` device whose target is a Qt camera
  id or ``default``; with no ``camera`` device at all the system's default camera is tried):
  a live preview and 拍照 (Space), each still trimmed to the paper (services/cases/pages.py)
  and kept in memory only (scan_camera.py);
- **the scanner's drop folder** (a ``camera`` device ``folder:PATH``): the pages it saved are
  listed, oldest first, and removed from the folder once attached (the sealed copy in the case
  is the only one left);
- **files** chosen on this PC (images or one PDF).

The pages wait as thumbnails in order (scan_pages.py): Delete removes one, Ctrl+Up/Down move it,
转90° turns it and 裁边 trims it; 存入办件 seals them, in that order, into one PDF of the chosen
material. The material's files already attached are shown as placeholder pages (nothing
decrypted); opening one is the audited reveal. The attach runs on the dialog's worker.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.cases import MaterialStatus
from desk_app.services.cases.dto import CaseView
from desk_app.store import Database
from desk_app.ui.cases import labels as case_labels
from desk_app.ui.cases.scan_camera import CameraPanel
from desk_app.ui.cases.scan_pages import AttachedStrip, FileViewer, Page, PageStrip
from desk_app.ui.common.tasks import TaskRunner, user_message

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".pdf")


def camera_devices(db: Database) -> tuple[Path | None, str | None]:
    """This PC's scanner drop folder (a ``camera`` device ``folder:PATH``) and camera (another
    ``camera`` device's target; ``default`` when no ``camera`` device is registered at all)."""
    from desk_app.domain.devices import DeviceKind
    from desk_app.services.devices import registry

    try:
        targets = [d.target for d in registry.devices_here(db, DeviceKind.CAMERA)]
    except Exception:  # noqa: BLE001 - no registry: the default camera and files
        targets = []
    folder = next((t.removeprefix("folder:") for t in targets if t.startswith("folder:")), None)
    camera = next((t for t in targets if not t.startswith("folder:")), None)
    if not targets:
        camera = "default"
    return (Path(folder) if folder else None), camera


def drop_folder(db: Database) -> Path | None:
    """This PC's scanner drop folder (a ``camera`` device ``folder:PATH``), if any."""
    return camera_devices(db)[0]


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
        *,
        camera_device: Any = None,  # a QCameraDevice to use instead of the registered one
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
        self.resize(1100, 700)
        self.material = QComboBox()
        for m in view.materials:
            if m.status != MaterialStatus.OBTAINED:
                self.material.addItem(
                    case_labels.fact(view.bundle_code, "material", m.code, m.name), m.code
                )
        self.material.currentIndexChanged.connect(self.list_attached)
        self.folder, camera = camera_devices(db)
        self.camera: CameraPanel | None = None
        if camera is not None or camera_device is not None:
            self.camera = CameraPanel(camera or "default", self.took, self, device=camera_device)
        self.attached_files = AttachedStrip(self.open_file)
        self.files = PageStrip()
        self.files.changed = self._pages_changed
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.count_label = QLabel()

        live = self.camera is not None and self.camera.available
        # Space is 拍照 only with a camera (else it stays a focused button's own key).
        self.shoot_button = self._button(
            self.tr("拍照 (Space)"), "Space" if live else "", self.shoot
        )
        self.shoot_button.setVisible(live)
        pick = self._button(self.tr("选择文件… (Ctrl+O)"), "Ctrl+O", self.choose_files)
        self.remove_button = self._button(self.tr("移除 (Delete)"), "Delete", self.remove_page)
        self.up_button = self._button(
            self.tr("前移 (Ctrl+↑)"), "Ctrl+Up", lambda: self.files.move_current(-1)
        )
        self.down_button = self._button(
            self.tr("后移 (Ctrl+↓)"), "Ctrl+Down", lambda: self.files.move_current(1)
        )
        self.rotate_button = self._button(self.tr("转90° (Ctrl+R)"), "Ctrl+R", self.rotate_page)
        self.crop_button = self._button(self.tr("裁边 (Ctrl+E)"), "Ctrl+E", self.crop_page)
        self.attach_button = self._button(
            self.tr("存入办件 (Ctrl+Enter)"), "Ctrl+Return", self.attach_selected
        )
        self.attach_button.setProperty("primary", True)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("材料：")))
        top.addWidget(self.material, 1)
        tools = QHBoxLayout()
        for b in (self.shoot_button, pick, self.remove_button, self.up_button):
            tools.addWidget(b)
        for b in (self.down_button, self.rotate_button, self.crop_button):
            tools.addWidget(b)
        tools.addStretch()
        tools.addWidget(self.attach_button)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("已存入本材料（打开须主管授权并说明理由）：")))
        right.addWidget(self.attached_files)
        right.addWidget(self.count_label)
        right.addWidget(self.files, 1)
        middle = QHBoxLayout()
        if self.camera is not None and live:  # the preview beside the pages
            self.camera.setMaximumWidth(460)
            middle.addWidget(self.camera, 1)
        middle.addLayout(right, 2)
        where = (
            self.tr("扫描文件夹：%1").replace("%1", str(self.folder))
            if self.folder
            else self.tr("本机未设置扫描文件夹（请管理员添加扫描设备）")
        )
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(middle, 1)
        lay.addWidget(QLabel(where))
        if self.camera is not None and not live:  # no camera here: the line says so
            lay.addWidget(self.camera)
        lay.addLayout(tools)
        lay.addWidget(self.status)
        self.list_folder()
        self.list_attached()

    def _button(self, text: str, keys: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        if not keys:
            return button
        shortcut = QShortcut(QKeySequence(keys), self)
        shortcut.activated.connect(lambda: button.isVisible() and button.isEnabled() and slot())
        return button

    # -- the pages waiting --------------------------------------------------------------------

    def list_folder(self) -> None:
        """The drop folder's pages, oldest first (the order they were scanned)."""
        kept = [p for p in self.files.pages() if p.origin is None]
        self.files.clear_pages()
        if self.folder is not None and self.folder.is_dir():
            found = sorted(
                (p for p in self.folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES),
                key=lambda p: (p.stat().st_mtime, p.name),
            )
            for p in found:
                with contextlib.suppress(OSError):
                    self.files.add(Page(p.name, p.read_bytes(), "scanner", p))
        for page in kept:
            self.files.add(page)

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("选择扫描件"),
            "",
            self.tr("图片或 PDF (*.jpg *.jpeg *.png *.tif *.tiff *.bmp *.pdf)"),
        )
        for name in names:
            try:
                self.files.add(Page(Path(name).name, Path(name).read_bytes(), "file"))
            except OSError as exc:
                self.status.setText(f"{Path(name).name}: {exc.strerror}")

    def shoot(self) -> None:
        if self.camera is None or not self.camera.capture():
            self.status.setText(self.tr("摄像头尚未就绪，请稍候再拍。"))

    def took(self, jpeg: bytes) -> None:
        """A still from the camera: trimmed to the paper on the worker, then a page."""
        from desk_app.services.cases import pages

        n = sum(1 for p in self.files.pages() if p.source == "camera") + 1
        self.runner.submit(
            lambda: pages.autocrop(jpeg),
            lambda data: self.files.add(Page(f"camera-{n}.jpg", data, "camera")),
            self._failed,
        )

    def selected(self) -> list[Page]:
        """The pages the attach takes, in order."""
        return self.files.pages()

    def remove_page(self) -> None:
        self.files.remove_current()

    def _edit_page(self, change: Callable[[bytes], bytes]) -> None:
        row = self.files.current()
        if row is None:
            return
        page = self.files.pages()[row]
        if page.is_pdf:
            self.status.setText(self.tr("PDF 文件不能旋转或裁边。"))
            return
        try:
            self.files.replace_current(change(page.data))
        except Exception as exc:  # noqa: BLE001 - a page Pillow cannot read: say so
            self.status.setText(user_message(exc))

    def rotate_page(self) -> None:
        from desk_app.services.cases import pages

        self._edit_page(pages.rotate)

    def crop_page(self) -> None:
        from desk_app.services.cases import pages

        self._edit_page(pages.autocrop)

    def _pages_changed(self) -> None:
        n = len(self.files.pages())
        self.count_label.setText(self.tr("待存入：%1 页").replace("%1", str(n)))
        has = self.files.current() is not None
        for b in (self.remove_button, self.up_button, self.down_button):
            b.setEnabled(has)
        for b in (self.rotate_button, self.crop_button):
            b.setEnabled(has)

    # -- the files attached -------------------------------------------------------------------

    def list_attached(self) -> None:
        code = self.material.currentData()
        from desk_app.services.cases import files as case_files

        db, no = self.db, self.view.case_no

        def work() -> list[tuple[int, int, int]]:
            return [
                (f.id, f.pages, max(1, f.size // 1024))
                for f in case_files.list_files(db, no)
                if f.material == code and not f.purged
            ]

        def shown(files: list[tuple[int, int, int]]) -> None:
            if self.material.currentData() != code:
                return
            caption = self.tr("%1 页 · %2 KB")
            self.attached_files.show_files(
                [(i, caption.replace("%1", str(n)).replace("%2", str(kb))) for i, n, kb in files]
            )

        self.runner.submit(work, shown, self._failed)

    def open_file(self, file_id: int) -> None:
        """An attached file, shown after the audited reveal (a supervisor, with a reason)."""
        reason, ok = QInputDialog.getText(
            self, self.tr("查看电子件"), self.tr("查看原因（记入审计日志）：")
        )
        if not ok:
            return
        from desk_app.services.cases import files as case_files

        db = self.db
        self.runner.submit(
            lambda: case_files.reveal_file(db, file_id, reason),
            self._show_file,
            self._failed,
        )

    def _show_file(self, pdf: bytes) -> None:
        FileViewer(pdf, self.tr("电子件"), self).exec()

    # -- the attach ---------------------------------------------------------------------------

    def attach_selected(self) -> None:
        chosen = self.selected()
        code = self.material.currentData()
        if not chosen or code is None:
            self.status.setText(self.tr("请先选择材料和页面。"))
            return
        from desk_app.services.cases import actions as cases
        from desk_app.services.cases import files as case_files

        db, no, window = self.db, self.view.case_no, self.window_number
        sources = {p.source for p in chosen}
        source = sources.pop() if len(sources) == 1 else "file"
        blobs = [(p.name, p.data) for p in chosen]
        origins = [p.origin for p in chosen if p.origin is not None]

        def work() -> tuple[Any, CaseView]:
            done = case_files.attach_pages(db, no, code, blobs, source=source, window=window)
            for path in origins:  # the sealed copy in the case is now the only one
                with contextlib.suppress(OSError):
                    path.unlink()
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
        self.files.clear_pages()
        self.list_folder()
        self.list_attached()
        self.done_cb(view)

    def _failed(self, exc: Exception) -> None:
        self.attach_button.setEnabled(True)
        self.status.setText(user_message(exc))

    def done(self, result: int) -> None:  # noqa: D102 - the camera is let go with the dialog
        if self.camera is not None:
            self.camera.stop()
        super().done(result)
