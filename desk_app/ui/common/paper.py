"""The counter's and the helper desk's papers on the PC's A4 printer.

A document (receipt, 告知单, 承诺书, the helper's forms) is always written as a PDF first, in
the documents folder: that is the kept copy, "save as PDF", and what is printed. Then it goes
to the printer chosen once for this PC (``choose_printer``, from the OS's list through Qt's
``QPrinterInfo``; stored in the user's data folder, ``pc.json``) without a dialog, or through
the system's print dialog when Shift is held. A printer that is missing, offline or out of
paper gives a clear message and the document can be printed again: nothing is lost. Without a
chosen printer the PDF is only saved, and the message says how to choose one (Ctrl+P).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desk_app.paths import user_data_dir
from desk_app.services.common.errors import Refused
from desk_app.ui.common.i18n import is_english
from desk_app.ui.common.printer import PrintError, paint_pdf, print_pdf_bytes, printer_names
from desk_app.ui.common.tasks import TaskRunner

KEY = "a4_printer"


def _settings_file() -> Path:
    return user_data_dir() / "pc.json"


def chosen_printer() -> str | None:
    """The A4 printer chosen on this PC, or None (documents are then only saved)."""
    try:
        value = json.loads(_settings_file().read_text(encoding="utf-8")).get(KEY)
    except (OSError, ValueError, AttributeError):
        return None
    return str(value) if value else None


def set_chosen_printer(name: str | None) -> None:
    path = _settings_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            data = {}
    except (OSError, ValueError):
        data = {}
    data[KEY] = name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


class PrinterChoice(QDialog):
    """This PC's A4 printer, from the OS's list (or none: save PDFs only)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("选择本机打印机"))
        self.box = QComboBox()
        self.box.addItem(self.tr("（不打印，只保存 PDF）"), None)
        for name in printer_names():
            self.box.addItem(name, name)
        current = chosen_printer()
        if current:
            i = self.box.findData(current)
            if i < 0:  # chosen before, not on this PC's list now: keep it visible
                self.box.addItem(self.tr("%1（未找到）").replace("%1", current), current)
                i = self.box.count() - 1
            self.box.setCurrentIndex(i)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("回执、告知单等 A4 文书打印到：")))
        lay.addWidget(self.box)
        lay.addWidget(buttons)

    def save(self) -> None:
        data = self.box.currentData()
        set_chosen_printer(str(data) if data else None)
        self.accept()


def install_printer_choice(widget: QWidget) -> None:
    """Ctrl+P on ``widget`` opens this PC's printer choice."""
    QShortcut(QKeySequence("Ctrl+P"), widget).activated.connect(
        lambda: PrinterChoice(widget).exec()
    )


def print_saved(
    runner: TaskRunner,
    parent: QWidget,
    path: Path,
    done: Callable[[Paper], None],
    failed: Callable[[Exception], None],
) -> None:
    """Print a document already saved at ``path`` (as ``print_paper`` does after rendering)."""
    print_paper(runner, parent, lambda _target: None, path, done, failed)


@dataclass(frozen=True)
class Paper:
    path: Path  # the saved PDF
    printer: str | None  # where it was printed, None: only saved


def print_paper(
    runner: TaskRunner,
    parent: QWidget,
    render: Callable[[Path], Any],
    target: Path,
    done: Callable[[Paper], None],
    failed: Callable[[Exception], None],
) -> None:
    """Write the document to ``target`` with ``render`` (on the worker thread), then print it:
    on this PC's printer, or through the system dialog when Shift is held (a cancelled dialog
    only saves). ``done`` gets what happened; ``failed`` a refusal saying what to do."""
    printer: QPrinter | None = None
    name = chosen_printer()
    shift = bool(QGuiApplication.keyboardModifiers() & Qt.KeyboardModifier.ShiftModifier)
    if shift:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if name and not name.startswith("file:"):
            printer.setPrinterName(name)
        if QPrintDialog(printer, parent).exec() != QDialog.DialogCode.Accepted:
            printer, name = None, None

    def work() -> Paper:
        render(target)
        if printer is None and not name:
            return Paper(target, None)
        pdf = target.read_bytes()
        try:
            if printer is not None:
                paint_pdf(pdf, printer)
                return Paper(target, printer.printerName() or "PDF")
            print_pdf_bytes(pdf, name)
        except PrintError as exc:
            raise Refused(
                f"未能打印: {exc.zh}。文件已保存在 {target}，处理后可再次打印。",
                f"Not printed: {exc.en}. The file is saved at {target}; print it again once "
                "the printer is fixed.",
            ) from exc
        return Paper(target, name)

    runner.submit(work, done, failed)


def paper_message(paper: Paper) -> str:
    """What the screen says after a paper, in its language."""
    english = is_english()
    if paper.printer is None:
        if english:
            return f"Saved: {paper.path} (no printer chosen on this PC: Ctrl+P to choose one)"
        return f"已保存：{paper.path}（本机未选打印机：Ctrl+P 选择）"
    if english:
        return f"Printed on {paper.printer}, and saved: {paper.path}"
    return f"已打印到 {paper.printer}，并保存：{paper.path}"
