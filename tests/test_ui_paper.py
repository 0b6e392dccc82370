"""The counter's papers on the PC's printer: chosen once per PC, printed without a dialog,
saved as PDF whatever happens; a missing printer says so and the paper prints again later.
The printer here is Qt's own PDF engine (``file:PATH``), the same painting path as a real one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from printing.ticket import TicketPrint, render_ticket_pdf
from tests.tools import pdf_to_png

pytestmark = pytest.mark.gui


def _render(target: Path) -> None:
    render_ticket_pdf(
        TicketPrint("A001", "新生儿出生一件事", 2, 10, datetime(2026, 12, 5, 1, tzinfo=UTC),
                    "政务服务中心", "https://zwfw.example.cn/q/1"),
        str(target),
    )  # fmt: skip


def _run(qtbot, target: Path):
    from desk_app.ui.common.paper import print_paper
    from desk_app.ui.common.tasks import TaskRunner

    parent = QWidget()
    qtbot.addWidget(parent)
    runner = TaskRunner(parent)
    got: list = []
    print_paper(runner, parent, _render, target, got.append, got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=10000)
    return got[0]


def test_without_a_chosen_printer_the_paper_is_saved(qtbot, tmp_path):
    from desk_app.ui.common.paper import Paper, chosen_printer, paper_message, set_chosen_printer

    set_chosen_printer(None)
    assert chosen_printer() is None
    got = _run(qtbot, tmp_path / "receipt.pdf")
    assert isinstance(got, Paper) and got.printer is None and got.path.exists()
    assert "Ctrl+P" in paper_message(got)


def test_printed_on_the_chosen_printer_and_again_after_a_failure(qtbot, tmp_path):
    from desk_app.services.common.errors import Refused
    from desk_app.ui.common.paper import Paper, set_chosen_printer

    set_chosen_printer("No Such Printer 9")
    failed = _run(qtbot, tmp_path / "receipt.pdf")
    assert isinstance(failed, Refused) and "No Such Printer 9" in failed.en
    assert "文件已保存" in failed.zh and (tmp_path / "receipt.pdf").exists()  # nothing lost
    out = tmp_path / "printed.pdf"
    set_chosen_printer(f"file:{out}")  # the printer is back (Qt's PDF engine stands in)
    printed = _run(qtbot, tmp_path / "receipt-2.pdf")
    assert isinstance(printed, Paper) and printed.printer == f"file:{out}"
    pages = pdf_to_png(out, tmp_path, dpi=50)
    assert len(pages) == 1
    from PIL import Image

    image = Image.open(pages[0]).convert("L")
    dark = sum(n for n, v in image.getcolors(maxcolors=256 * 256) or [] if v < 128)
    assert dark > 200  # the ticket's number and text were painted, not a blank page
    set_chosen_printer(None)


def test_the_choice_dialog_lists_the_pcs_printers_and_keeps_the_choice(qtbot):
    from desk_app.ui.common.paper import PrinterChoice, chosen_printer, set_chosen_printer

    set_chosen_printer("Gone Printer")
    dialog = PrinterChoice()
    qtbot.addWidget(dialog)
    texts = [dialog.box.itemText(i) for i in range(dialog.box.count())]
    assert texts[0] == "（不打印，只保存 PDF）" and "Gone Printer（未找到）" in texts
    dialog.box.setCurrentIndex(0)
    dialog.save()
    assert chosen_printer() is None
