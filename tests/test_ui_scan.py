"""The 拍照/扫描 dialog: without a camera it says so in one line and the folder and files still
work; a still handed to the capture slot becomes a trimmed page; the pages wait as thumbnails
that can be removed, moved and turned, and go into the PDF in that order; the material's
attached files are placeholders that open only through the audited reveal."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from desk_app.services.cases import actions as cases
from desk_app.services.cases import files as case_files
from desk_app.services.devices import registry
from desk_app.store.identity_models import AuditEntry
from tests.test_case_files import hall as hall  # noqa: F401 - the fixture
from tests.test_cases import open_newborn

pytestmark = pytest.mark.gui


def _pages(tmp_path, n: int, size=(800, 1100)) -> list:
    """``n`` scanned pages as JPEG files, each with a few marks."""
    paths = []
    for i in range(n):
        image = Image.new("RGB", size, (250, 250, 245))
        for x in range(40, size[0] - 40, 50):
            image.putpixel((x, 60 + 7 * i), (20, 20, 20))
        paths.append(tmp_path / f"page{i}.jpg")
        image.save(paths[-1], "JPEG", quality=90)
    return paths


@pytest.fixture
def no_camera(monkeypatch):
    from desk_app.ui.cases import scan_camera

    monkeypatch.setattr(scan_camera, "find_camera", lambda wanted: None)


def _dialog(qtbot, db, *, material="household_register"):
    from desk_app.ui.cases.scan import ScanDialog
    from desk_app.ui.common.tasks import TaskRunner

    ref = open_newborn(db)
    got: list = []
    runner = TaskRunner()
    dialog = ScanDialog(db, runner, cases.show(db, ref.case_no), 1, got.append)
    qtbot.addWidget(dialog)
    dialog.material.setCurrentIndex(dialog.material.findData(material))
    return dialog, runner, got, ref.case_no


def _audits(db, action):
    with db.read() as s:
        return s.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_without_a_camera_one_line_says_so_and_the_folder_still_works(
    qtbot, hall, tmp_path, no_camera
):
    drop = tmp_path / "scans"
    drop.mkdir()
    for p in _pages(tmp_path, 2, size=(800, 1100)):
        p.rename(drop / p.name)
    registry.add_device(hall, "scanner", "camera", f"folder:{drop}")
    registry.add_device(hall, "doccam", "camera", "default")
    dialog, runner, got, _no = _dialog(qtbot, hall)
    assert dialog.camera is not None and not dialog.camera.available
    assert "未找到摄像头" in dialog.camera.line.text()
    assert dialog.shoot_button.isHidden()
    dialog.shoot()  # Space with no camera: a line, nothing else
    assert "摄像头" in dialog.status.text() and dialog.files.count() == 2
    dialog.attach_selected()
    qtbot.waitUntil(lambda: bool(got), timeout=10000)
    assert list(drop.iterdir()) == [] and "2 页" in dialog.status.text()
    runner.shutdown()


def _sheet_on_base(w=1600, h=1200) -> QImage:
    """What a document camera sees: a white sheet (with a black band at its top) on a dark base."""
    image = QImage(w, h, QImage.Format.Format_RGB32)
    image.fill(QColor(50, 55, 55))
    painter = QPainter(image)
    painter.fillRect(400, 150, 800, 900, QColor(245, 245, 240))
    painter.fillRect(400, 150, 800, 60, QColor(0, 0, 0))
    painter.end()
    return image


def test_a_captured_still_becomes_a_trimmed_page_and_is_attached_from_memory(
    qtbot, hall, no_camera
):
    dialog, runner, got, case_no = _dialog(qtbot, hall)
    # The slot QImageCapture.imageCaptured is connected to, fed directly (no camera here).
    dialog.camera.captured(7, _sheet_on_base())
    qtbot.waitUntil(lambda: dialog.files.count() == 1, timeout=10000)
    page = dialog.files.pages()[0]
    assert page.source == "camera" and page.origin is None
    trimmed = Image.open(io.BytesIO(page.data))
    assert 800 <= trimmed.width <= 850 and 900 <= trimmed.height <= 960
    assert not dialog.files.item(0).icon().isNull()
    dialog.attach_selected()
    qtbot.waitUntil(lambda: bool(got), timeout=10000)
    [f] = case_files.list_files(hall, case_no)
    assert (f.material, f.pages, f.source) == ("household_register", 1, "camera")
    assert dialog.files.count() == 0
    qtbot.waitUntil(lambda: dialog.attached_files.count() == 1, timeout=10000)
    runner.shutdown()


def test_pages_are_removed_moved_and_turned_and_attached_in_that_order(
    qtbot, hall, tmp_path, no_camera
):
    from pypdf import PdfReader

    from desk_app.ui.cases.scan_pages import Page

    dialog, runner, got, case_no = _dialog(qtbot, hall)
    widths = (600, 700, 800)
    for w in widths:  # three pages told apart by their width
        buf = io.BytesIO()
        Image.new("RGB", (w, 1000), (250, 250, 250)).save(buf, "JPEG")
        dialog.files.add(Page(f"w{w}.jpg", buf.getvalue(), "file"))
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=10000)
    dialog.files.setFocus()
    dialog.files.setCurrentRow(0)
    qtbot.keyClick(dialog.files, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert [p.name for p in dialog.files.pages()] == ["w700.jpg", "w600.jpg", "w800.jpg"]
    assert dialog.files.currentRow() == 1
    qtbot.keyClick(dialog.files, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog.files, Qt.Key.Key_Delete)  # w600 goes
    assert [p.name for p in dialog.files.pages()] == ["w700.jpg", "w800.jpg"]
    dialog.files.setCurrentRow(1)
    dialog.rotate_button.click()  # w800 on its side: 1000 wide
    assert [p.name for p in dialog.files.pages()] == ["w700.jpg", "w800.jpg"]
    assert "2" in dialog.count_label.text()
    dialog.attach_selected()
    qtbot.waitUntil(lambda: bool(got), timeout=10000)
    [f] = case_files.list_files(hall, case_no)
    pdf = PdfReader(io.BytesIO(case_files.reveal_file(hall, f.id, "核对页序")))
    ratios = [float(p.mediabox.width) / float(p.mediabox.height) for p in pdf.pages]
    assert ratios == pytest.approx([0.7, 1000 / 800], rel=0.02)
    runner.shutdown()


def test_attached_files_are_placeholders_and_open_only_through_the_audited_reveal(
    qtbot, hall, tmp_path, no_camera, monkeypatch
):
    from desk_app.ui.cases import scan as scan_module
    from desk_app.ui.cases.scan_pages import FileViewer

    dialog, runner, got, case_no = _dialog(qtbot, hall)
    case_files.attach(hall, case_no, "household_register", _pages(tmp_path, 2, size=(600, 800)))
    dialog.list_attached()
    qtbot.waitUntil(lambda: dialog.attached_files.count() == 1, timeout=10000)
    assert "2 页" in dialog.attached_files.item(0).text()
    assert _audits(hall, "case.file.reveal") == []  # listed and drawn without decrypting
    shown: list[bytes] = []
    monkeypatch.setattr(FileViewer, "exec", lambda self: shown.append(self.document.pageCount()))
    monkeypatch.setattr(
        scan_module.QInputDialog, "getText", staticmethod(lambda *a, **k: ("核对材料", True))
    )
    dialog.attached_files.setCurrentRow(0)
    dialog.attached_files.itemActivated.emit(dialog.attached_files.item(0))
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert shown == [2]
    [entry] = _audits(hall, "case.file.reveal")
    assert "核对材料" in entry.detail
    runner.shutdown()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_dialog_speaks_both_languages(qtbot, hall, tmp_path, no_camera, lang):
    from desk_app.ui.common.app import install_translator

    translator = install_translator(QApplication.instance(), lang)
    try:
        registry.add_device(hall, "doccam", "camera", "default")
        dialog, runner, _got, _no = _dialog(qtbot, hall)
        dialog.resize(1366, 768)
        assert not dialog.grab().isNull()
        expected = "Trim edges (Ctrl+E)" if lang == "en" else "裁边 (Ctrl+E)"
        assert dialog.crop_button.text() == expected
        line = "No camera" if lang == "en" else "未找到摄像头"
        assert line in dialog.camera.line.text()
        runner.shutdown()
    finally:
        if translator is not None:
            QApplication.instance().removeTranslator(translator)


def test_with_a_camera_the_preview_is_shown_and_space_takes_a_photo(qtbot, hall, monkeypatch):
    from PySide6.QtMultimedia import QCameraDevice

    from desk_app.ui.cases.scan import ScanDialog
    from desk_app.ui.cases.scan_camera import CameraPanel
    from desk_app.ui.common.tasks import TaskRunner

    asked: list[bool] = []
    monkeypatch.setattr(CameraPanel, "capture", lambda self: asked.append(True) or False)
    ref = open_newborn(hall)
    runner = TaskRunner()
    # A device object stands in for the camera this machine lacks: the session is built on it.
    dialog = ScanDialog(hall, runner, cases.show(hall, ref.case_no), 1, lambda v: None,
                        camera_device=QCameraDevice())  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=10000)
    assert dialog.camera.available and dialog.camera.preview is not None
    assert dialog.camera.capture_session.imageCapture() is dialog.camera.image_capture
    assert dialog.shoot_button.isVisibleTo(dialog)
    dialog.files.setFocus()
    qtbot.keyClick(dialog.files, Qt.Key.Key_Space)
    assert asked == [True] and "尚未就绪" in dialog.status.text()
    dialog.reject()
    runner.shutdown()
