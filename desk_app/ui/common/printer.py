"""Sending the kiosk's ticket PDF to a receipt printer, or to a folder when there is none.

The ticket is rendered once, as a PDF (``printing/``, reportlab); here each page is rasterised
with QtPdf at the printer's resolution and painted onto a ``QPrinter``. That prints the same
on any Windows or CUPS driver, including thermal printers that take no PDF. Safe to call on a
worker thread (QPainter on a QPrinter is thread-safe in Qt; nothing here touches a widget).
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSize, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo


class PrintError(OSError):
    """The paper could not be printed or saved; ``str(exc)`` is the Chinese reason, ``en``
    the English one."""

    def __init__(self, zh: str, en: str = "") -> None:
        super().__init__(zh)
        self.zh, self.en = zh, en or zh


def print_pdf_bytes(pdf: bytes, printer_name: str | None) -> None:
    """Print ``pdf`` on the printer called ``printer_name`` (``None``: the system default).

    Raises:
        PrintError: no such printer, the PDF cannot be read, or the printer refused the job.
    """
    printer = open_printer(printer_name)
    printer.setDocName("号票")
    paint_pdf(pdf, printer)


def open_printer(printer_name: str | None) -> QPrinter:
    """A QPrinter for the OS printer called ``printer_name`` (None: the default one), or for
    ``file:PATH``: Qt's own PDF engine writing PATH (the simulated twin of a printer, for
    tests and demos; the same painting path as a real printer).

    Raises:
        PrintError: no such printer.
    """
    if printer_name and printer_name.startswith("file:"):
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(printer_name.removeprefix("file:"))
        return printer
    info = QPrinterInfo.printerInfo(printer_name) if printer_name else QPrinterInfo.defaultPrinter()
    if info.isNull():
        shown = printer_name or "默认打印机"
        raise PrintError(
            f"找不到打印机「{shown}」, 请检查打印机电源、连接和名称设置",
            f"printer {printer_name or '(default)'!r} not found: check its power, cable and "
            "the name chosen for this PC",
        )
    return QPrinter(info, QPrinter.PrinterMode.HighResolution)


def paint_pdf(pdf: bytes, printer: QPrinter) -> None:
    """Paint every page of ``pdf`` onto ``printer`` as an image at the printer's resolution,
    on a page of the PDF's own size (an 80 mm receipt, not an A4 sheet).

    Raises:
        PrintError: the PDF cannot be read, or painting on the printer failed.
    """
    try:
        from PySide6.QtPdf import QPdfDocument  # the PySide6-Pdf wheel since PySide6 6.12
    except ImportError as exc:
        raise PrintError(
            "缺少 PDF 打印组件 (PySide6 QtPdf), 请联系系统管理员",
            "the PDF printing component (PySide6 QtPdf) is missing: call the administrator",
        ) from exc

    data = QByteArray(pdf)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    doc = QPdfDocument()
    try:
        doc.load(buffer)  # a QBuffer is random-access, so this loads synchronously
        if doc.status() != QPdfDocument.Status.Ready or doc.pageCount() < 1:
            raise PrintError(
                f"文件无法读取 ({doc.error().name})", f"the PDF cannot be read ({doc.error().name})"
            )
        first = doc.pagePointSize(0)
        printer.setFullPage(True)  # the PDF already has its margins
        printer.setPageLayout(
            QPageLayout(
                QPageSize(
                    first, QPageSize.Unit.Point, "ticket", QPageSize.SizeMatchPolicy.ExactMatch
                ),
                QPageLayout.Orientation.Portrait,
                QMarginsF(0, 0, 0, 0),
            )
        )
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintError(
                "打印机无法开始打印 (可能缺纸、脱机或驱动出错)",
                "the printer cannot start (out of paper, offline or a driver error?)",
            )
        try:
            dpi = printer.resolution()
            # Receipt printers are 203-300 dpi; an office printer's 1200 dpi would only cost
            # memory (80 x 200 mm at 1200 dpi is ~90 MB), so rasterise at 600 dpi at most.
            render_dpi = min(dpi, 600)
            for page in range(doc.pageCount()):
                if page and not printer.newPage():
                    raise PrintError("打印机换页失败", "the printer failed to start a new page")
                size: QSizeF = doc.pagePointSize(page)
                image = doc.render(page, _pixels(size, render_dpi))
                if image.isNull():
                    raise PrintError("页面图像生成失败", "a page could not be rendered")
                # The painter works in printer dots: the page's size at the printer's resolution.
                target = _pixels(size, dpi)
                painter.drawImage(QRectF(0, 0, target.width(), target.height()), image)
        finally:
            ended = painter.end()
        if not ended or printer.printerState() == QPrinter.PrinterState.Error:
            raise PrintError(
                "打印机报告错误 (可能缺纸、卡纸或脱机)",
                "the printer reports an error (out of paper, jammed or offline?)",
            )
    finally:
        doc.close()
        buffer.close()


def _pixels(points: QSizeF, dpi: int) -> QSize:
    return QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))


def save_pdf(pdf: bytes, folder: str | os.PathLike[str], name: str | None = None) -> Path:
    """Write ``pdf`` into ``folder`` (created if needed) as ``name`` and return the path. The
    file appears whole or not at all (written beside it, then renamed).

    Raises:
        PrintError: the folder cannot be created or written.
    """
    target_dir = Path(folder)
    name = name or datetime.now().strftime("ticket-%Y%m%d-%H%M%S-%f.pdf")
    target = target_dir / name
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".ticket-", suffix=".part", dir=target_dir)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(pdf)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise PrintError(
            f"文件无法保存到 {target_dir}: {exc.strerror or exc}",
            f"cannot save into {target_dir}: {exc.strerror or exc}",
        ) from exc
    return target


def printer_state(name: str) -> tuple[bool, str]:
    """(usable, what the OS says) of the printer called ``name``: ``device test`` and the
    settings' printer choice ask this. Qt reports the queue's state, not the paper (a printer
    out of paper shows when a job fails)."""
    info = QPrinterInfo.printerInfo(name)
    if info.isNull():
        known = ", ".join(QPrinterInfo.availablePrinterNames()) or "none"
        return False, f"no printer {name!r} on this PC (printers: {known})"
    state = info.state()
    if state == QPrinter.PrinterState.Error:
        return False, f"{name}: the printer reports an error"
    return True, f"{name}: {'busy' if state == QPrinter.PrinterState.Active else 'ready'}"


def printer_names() -> list[str]:
    """The OS's printers (Qt's list), the default one first."""
    names = list(QPrinterInfo.availablePrinterNames())
    default = QPrinterInfo.defaultPrinterName()
    return sorted(names, key=lambda n: (n != default, n))
