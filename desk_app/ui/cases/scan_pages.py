"""The 拍照/扫描 dialog's thumbnails: the pages waiting to be attached (in order, removable,
movable, turned or trimmed one by one) and the files already attached to the material.

An attached file is sealed: its thumbnail is a placeholder page icon with its page count and
size, drawn without decrypting anything. Opening it (Enter or a double click) is the audited
reveal of services/cases/files.py (a supervisor, with a reason), shown from memory in a PDF
view: the file never touches the disk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QIcon, QImageReader, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QVBoxLayout,
    QWidget,
)

THUMB = QSize(120, 160)
ATTACHED_ICON = QSize(48, 64)  # a placeholder: nothing of a sealed file is drawn
PDF_MAGIC = b"%PDF-"


@dataclass
class Page:
    """One page waiting in the dialog: its image (or one PDF) in memory, where it came from,
    and the drop folder's file it was read from (removed once attached)."""

    name: str
    data: bytes
    source: str  # camera | scanner | file
    origin: Path | None = None
    icon: QIcon | None = field(default=None, repr=False, compare=False)

    @property
    def is_pdf(self) -> bool:
        return self.data.startswith(PDF_MAGIC)


def page_icon(widget: QWidget) -> QIcon:
    """The placeholder of a page that is not drawn (a PDF, a sealed file)."""
    return widget.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)


def thumbnail(data: bytes) -> QPixmap | None:
    """A page's thumbnail, decoded at about its shown size (a JPEG decodes scaled: fast for a
    document camera's 12 MP photo); None when Qt cannot read it."""
    array = QByteArray(data)
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and not size.isEmpty():
        reader.setScaledSize(size.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        return None
    return QPixmap.fromImage(image)


def _strip(view: QListWidget, icon: QSize = THUMB) -> None:
    view.setViewMode(QListView.ViewMode.IconMode)
    view.setMovement(QListView.Movement.Static)
    view.setFlow(QListView.Flow.LeftToRight)
    view.setWrapping(True)
    view.setResizeMode(QListView.ResizeMode.Adjust)
    view.setIconSize(icon)
    view.setGridSize(QSize(max(icon.width() + 24, 110), icon.height() + 44))
    view.setSpacing(4)
    view.setUniformItemSizes(True)


class PageStrip(QListWidget):
    """The pages waiting, as thumbnails in order: Delete removes the current one, Ctrl+Up /
    Ctrl+Down move it (the dialog's buttons say so)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _strip(self)
        self.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self._pages: list[Page] = []
        self.changed: Callable[[], None] = lambda: None

    def pages(self) -> list[Page]:
        """The pages in the order they will be attached."""
        return list(self._pages)

    def add(self, page: Page) -> None:
        self._pages.append(page)
        self._render(len(self._pages) - 1)

    def clear_pages(self) -> None:
        self._pages.clear()
        self._render(None)

    def current(self) -> int | None:
        row = self.currentRow()
        return row if 0 <= row < len(self._pages) else None

    def remove_current(self) -> None:
        row = self.current()
        if row is None:
            return
        del self._pages[row]
        self._render(min(row, len(self._pages) - 1) if self._pages else None)

    def move_current(self, step: int) -> None:
        row = self.current()
        if row is None or not 0 <= row + step < len(self._pages):
            return
        pages = self._pages
        pages[row], pages[row + step] = pages[row + step], pages[row]
        self._render(row + step)

    def replace_current(self, data: bytes) -> None:
        """The current page's image changed (turned, trimmed)."""
        row = self.current()
        if row is None:
            return
        page = self._pages[row]
        page.data, page.icon = data, None
        self._render(row)

    def _render(self, current: int | None) -> None:
        self.clear()
        for n, page in enumerate(self._pages, 1):
            if page.icon is None:
                pixmap = None if page.is_pdf else thumbnail(page.data)
                page.icon = QIcon(pixmap) if pixmap is not None else page_icon(self)
            item = QListWidgetItem(page.icon, str(n))
            item.setToolTip(page.name)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.addItem(item)
        if current is not None:
            self.setCurrentRow(current)
        self.changed()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if event.key() == Qt.Key.Key_Delete:
            self.remove_current()
        elif ctrl and event.key() == Qt.Key.Key_Up:
            self.move_current(-1)
        elif ctrl and event.key() == Qt.Key.Key_Down:
            self.move_current(1)
        else:
            super().keyPressEvent(event)


class AttachedStrip(QListWidget):
    """The material's files already in the case: placeholder thumbnails (nothing decrypted);
    Enter or a double click asks to open one (``open_file(file_id)``: the audited reveal)."""

    def __init__(self, open_file: Callable[[int], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _strip(self, ATTACHED_ICON)
        self.setFixedHeight(ATTACHED_ICON.height() + 56)
        self.open_file = open_file
        self.itemActivated.connect(self._activated)

    def show_files(self, files: list[tuple[int, str]]) -> None:
        """(file id, its caption) of each attached file, oldest first."""
        self.clear()
        for file_id, caption in files:
            item = QListWidgetItem(page_icon(self), caption)
            item.setData(Qt.ItemDataRole.UserRole, file_id)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.addItem(item)

    def _activated(self, item: QListWidgetItem) -> None:
        self.open_file(int(item.data(Qt.ItemDataRole.UserRole)))


class FileViewer(QDialog):
    """A revealed file's PDF shown from memory (QtPdf), closed with Esc."""

    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        self.setWindowTitle(title)
        self.resize(800, 700)
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        view = QPdfView(self)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        view.setDocument(self.document)
        lay = QVBoxLayout(self)
        lay.addWidget(view)
