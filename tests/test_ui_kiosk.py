"""The self-service kiosk, driven as a visitor would: touch a service, read the number."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from desk_app.services.hall import setup as hall
from desk_app.services.queue import operations as queue
from desk_app.store import Database
from desk_app.store.models import Ticket
from desk_app.store.schema import upgrade
from desk_app.ui.kiosk.window import KioskWindow
from tests.tools import ADMIN, add_staff

pytestmark = pytest.mark.gui


def _dispose(qtbot, widget) -> None:
    """Close (which waits for the screen's worker, so nothing runs on a disposed database) and
    delete on the UI thread now: left to Python's garbage collector, a widget may be deleted
    on whichever thread happens to collect, e.g. a worker, while its animations run."""
    widget.close()
    gone: list[bool] = []
    widget.destroyed.connect(lambda: gone.append(True))
    widget.deleteLater()
    qtbot.waitUntil(lambda: gone == [True], timeout=5000)


@pytest.fixture
def sqlite_hall(sqlite_url) -> Iterator[Database]:
    """The printing tests need no second database engine: SQLite only."""
    db = Database(sqlite_url).acting_as(ADMIN)
    upgrade(db)
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall.add_window(db, 1, ["newborn"])
    add_staff(db, "s01", "王芳")
    hall.open_window(db, 1, "s01")
    yield db
    db.dispose()


@pytest.fixture
def open_kiosk(qtbot, tmp_path) -> Iterator[Callable[..., KioskWindow]]:
    """Start a kiosk and wait for its first board; closed before the database goes away."""
    kiosks: list[KioskWindow] = []

    def start(db: Database, **kwargs: object) -> KioskWindow:
        kwargs.setdefault("pdf_dir", str(tmp_path / "tickets"))
        kiosk = KioskWindow(db, **kwargs)  # type: ignore[arg-type]
        kiosks.append(kiosk)
        kiosk.resize(1280, 800)
        kiosk.show()
        with qtbot.waitSignal(kiosk.board_updated, timeout=5000):
            pass
        return kiosk

    yield start
    for kiosk in kiosks:
        _dispose(qtbot, kiosk)


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_touching_a_service_issues_a_ticket_and_shows_its_number(qtbot, small_hall, open_kiosk):
    kiosk = open_kiosk(small_hall)
    assert kiosk.current_page() == "start"
    newborn = kiosk.service_button("newborn")
    assert newborn.isEnabled() and newborn.height() >= 120  # a finger's target
    assert newborn.name_label.text().replace("\n", "") == "新生儿出生一件事"

    with qtbot.waitSignal(kiosk.issued, timeout=5000) as issued:
        _click(qtbot, newborn)
    ticket = issued.args[0]
    assert ticket.number == "A001" and ticket.service == "newborn" and ticket.priority is None

    assert kiosk.current_page() == "result"
    assert kiosk.number_label.text() == "A001"
    assert kiosk.service_label.text() == "新生儿出生一件事"
    with small_hall.read() as s:
        numbers = s.scalars(select(Ticket.number)).all()
    assert numbers == ["A001"]
    # No printer configured here: the ticket went to a file, and the screen says so.
    qtbot.waitUntil(lambda: "号票没有打印" in kiosk.print_status(), timeout=10_000)


def test_a_priority_chosen_first_goes_on_the_ticket(qtbot, small_hall, open_kiosk):
    queue.issue_ticket(small_hall, "retirement")
    kiosk = open_kiosk(small_hall)
    _click(qtbot, kiosk.priority_button("elderly"))
    assert kiosk.priority_button("elderly").isChecked()
    assert not kiosk.priority_button(None).isChecked()

    with qtbot.waitSignal(kiosk.issued, timeout=5000) as issued:
        _click(qtbot, kiosk.service_button("retirement"))
    ticket = issued.args[0]
    assert ticket.number == "B002" and ticket.priority == "elderly"
    assert ticket.ahead == 0  # a priority ticket has only earlier priority tickets ahead
    with small_hall.read() as s:
        stored = s.scalar(select(Ticket).where(Ticket.number == "B002"))
        assert stored is not None and stored.priority == "elderly"
    assert kiosk.priority_label.isVisible()
    assert "老年人" in kiosk.priority_label.text()


def test_the_buttons_show_the_queue_and_refuse_a_full_service(qtbot, db, open_kiosk):
    hall.add_service(db, "newborn", "新生儿出生一件事", "A", daily_cap=1)
    hall.add_service(db, "retirement", "退休一件事", "B")
    hall.add_service(db, "after_death", "公民身后一件事", "E")
    hall.add_window(db, 1, ["newborn", "retirement"])
    add_staff(db, "s01", "王芳")
    hall.open_window(db, 1, "s01")
    queue.issue_ticket(db, "newborn")  # the only number of the day
    for _ in range(3):
        queue.issue_ticket(db, "retirement")
    kiosk = open_kiosk(db)

    full = kiosk.service_button("newborn")
    assert not full.isEnabled()
    assert full.status_label.text() == "今日号源已满"
    retirement = kiosk.service_button("retirement")
    assert retirement.isEnabled()
    assert "等候 3 人" in retirement.status_label.text()
    assert "分钟" in retirement.status_label.text()
    # No window serves it now: a number may still be taken, and the button says so.
    nobody = kiosk.service_button("after_death")
    assert nobody.isEnabled()
    assert "暂无窗口" in nobody.status_label.text().replace("\n", "")

    _click(qtbot, full)  # a touch on the disabled button issues nothing
    assert kiosk.current_page() == "start"
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 4


def test_the_cap_reached_since_the_last_refresh_is_explained(qtbot, small_hall, open_kiosk):
    kiosk = open_kiosk(small_hall)
    with small_hall.begin() as s:  # the cap is set while the kiosk shows the button enabled
        from desk_app.store.models import Service

        s.scalar(select(Service).where(Service.code == "newborn")).daily_cap = 1
    queue.issue_ticket(small_hall, "newborn")
    kiosk.take_number("newborn")
    qtbot.waitUntil(lambda: "号源已满" in kiosk.banner.text(), timeout=5000)
    assert kiosk.banner.isVisible()
    assert kiosk.current_page() == "start"
    qtbot.waitUntil(lambda: not kiosk.service_button("newborn").isEnabled(), timeout=5000)


def test_it_returns_to_the_start_after_idle_time(qtbot, sqlite_hall, open_kiosk):
    kiosk = open_kiosk(sqlite_hall, idle_seconds=1)
    _click(qtbot, kiosk.priority_button("pregnant"))
    with qtbot.waitSignal(kiosk.issued, timeout=5000):
        _click(qtbot, kiosk.service_button("newborn"))
    assert kiosk.current_page() == "result"
    qtbot.waitUntil(lambda: kiosk.current_page() == "start", timeout=5000)
    # The next visitor starts from 普通, not from the last visitor's choice.
    assert kiosk.priority_button(None).isChecked()


def test_a_touch_restarts_the_idle_countdown(qtbot, sqlite_hall, open_kiosk):
    kiosk = open_kiosk(sqlite_hall, idle_seconds=1)
    with qtbot.waitSignal(kiosk.issued, timeout=5000):
        _click(qtbot, kiosk.service_button("newborn"))
    qtbot.waitUntil(lambda: kiosk._idle.remainingTime() < 500, timeout=10000)
    _click(qtbot, kiosk.number_label)
    assert kiosk._idle.remainingTime() > 800
    assert kiosk.current_page() == "result"


def test_a_missing_printer_never_loses_the_ticket(qtbot, sqlite_hall, open_kiosk, tmp_path):
    kiosk = open_kiosk(sqlite_hall, printer_name="nonexistent")
    with qtbot.waitSignal(kiosk.issued, timeout=5000):
        _click(qtbot, kiosk.service_button("newborn"))
    failure = "打印失败, 请凭此屏幕号码等候, 或联系导服人员"
    qtbot.waitUntil(lambda: kiosk.print_status() == failure, timeout=10_000)
    assert kiosk.current_page() == "result"
    assert kiosk.number_label.text() == "A001"
    assert kiosk.reprint_button.isVisible()
    # A reprint tries again (and fails again, plainly), the number still on the screen.
    _click(qtbot, kiosk.reprint_button)
    assert kiosk.print_status() == "正在打印号票…"
    qtbot.waitUntil(lambda: kiosk.print_status() == failure, timeout=10_000)
    assert kiosk.number_label.text() == "A001"
    assert not (tmp_path / "tickets").exists()  # a printer was configured: no PDF fallback


def test_the_number_is_on_the_screen_while_the_printer_works(qtbot, sqlite_hall, open_kiosk):
    kiosk = open_kiosk(sqlite_hall)
    release = threading.Event()
    sent: list[str] = []

    def slow_printer(ticket, pdf: bytes) -> None:  # type: ignore[no-untyped-def]
        release.wait(10)
        sent.append(ticket.number)

    kiosk._sink = slow_printer
    with qtbot.waitSignal(kiosk.issued, timeout=5000):
        _click(qtbot, kiosk.service_button("newborn"))
    assert kiosk.number_label.text() == "A001" and kiosk.current_page() == "result"
    assert kiosk.print_status() == "正在打印号票…" and sent == []
    release.set()
    qtbot.waitUntil(lambda: kiosk.print_status() == "请取走号票", timeout=10_000)
    assert sent == ["A001"]


def test_without_a_printer_the_ticket_pdf_is_saved(qtbot, sqlite_hall, open_kiosk, tmp_path):
    folder = tmp_path / "tickets"
    kiosk = open_kiosk(sqlite_hall, printer_name=None, pdf_dir=str(folder))
    with qtbot.waitSignal(kiosk.issued, timeout=5000) as issued:
        _click(qtbot, kiosk.service_button("newborn"))
    assert kiosk.paper_note.isVisible() is False  # on the start page, which is hidden now
    assert str(folder) in kiosk.paper_note.text() and "未配置号票打印机" in kiosk.paper_note.text()
    # Nothing came out of a printer: the visitor is not told to take a ticket...
    qtbot.waitUntil(lambda: "号票没有打印" in kiosk.print_status(), timeout=10_000)
    assert "请取走" not in kiosk.print_status()
    files = list(folder.glob("*.pdf"))
    assert [f.name.endswith("-A001.pdf") for f in files] == [True]
    # ...and staff can see where the ticket went.
    assert kiosk.saved_label.isVisible() and str(files[0]) in kiosk.saved_label.text()
    kiosk.go_start()
    assert kiosk.paper_note.isVisible()
    reader = PdfReader(files[0])
    assert len(reader.pages) == 1
    assert "A001" in reader.pages[0].extract_text()
    width_mm = float(reader.pages[0].mediabox.width) / 72 * 25.4
    assert abs(width_mm - 80) < 1  # the receipt roll
    assert issued.args[0].number == "A001"


def test_print_pdf_bytes_paints_every_page_on_a_printer(qtbot, tmp_path):
    """The Qt half of printing, on Qt's PDF printer: the ticket comes out at receipt size."""
    from PySide6.QtPrintSupport import QPrinter

    from desk_app.ui.common.printer import PrintError, paint_pdf, print_pdf_bytes, save_pdf
    from printing.ticket import TicketPrint, render_ticket_pdf

    buffer = io.BytesIO()
    render_ticket_pdf(
        TicketPrint(
            number="A001",
            service_name="新生儿出生一件事",
            ahead=2,
            eta_minutes=10,
            issued_at=datetime(2026, 11, 27, 1, 5, tzinfo=UTC),
            hall_name="青岛市民中心",
            progress_url="https://hall.example.gov.cn/q/1",
            priority_label=None,
        ),
        buffer,
    )
    pdf = buffer.getvalue()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    paint_pdf(pdf, printer)
    printed = PdfReader(out)
    source = PdfReader(io.BytesIO(pdf))
    assert len(printed.pages) == len(source.pages) == 1
    assert abs(float(printed.pages[0].mediabox.width) - float(source.pages[0].mediabox.width)) < 2
    assert abs(float(printed.pages[0].mediabox.height) - float(source.pages[0].mediabox.height)) < 2
    assert printed.pages[0].images  # painted as an image, as it goes to a receipt printer

    with pytest.raises(PrintError, match="找不到打印机"):
        print_pdf_bytes(pdf, "nonexistent")
    with pytest.raises(PrintError, match="无法读取"):
        paint_pdf(b"not a pdf", printer)
    saved = save_pdf(pdf, tmp_path / "new" / "folder", "x.pdf")
    assert saved == tmp_path / "new" / "folder" / "x.pdf"
    assert saved.read_bytes() == pdf
    assert not list(saved.parent.glob(".ticket-*"))  # no half-written file left behind
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(PrintError, match="无法保存"):
        save_pdf(pdf, blocker / "sub")
    assert isinstance(PrintError("x"), OSError)


def _sidecar(printer: Path, word: str) -> None:
    tmp = printer.with_suffix(".status-tmp")
    tmp.write_text(word)
    tmp.replace(Path(f"{printer}.status"))


def test_an_escpos_printer_prints_and_its_paper_out_stops_paper(
    qtbot, sqlite_hall, open_kiosk, tmp_path
):
    """The kiosk's ESC/POS printer (simulated by a file and its .status word): the ticket's
    bytes carry the number and a cut; paper out: numbers on screen only, the fault on the
    supervisor's alerts; paper back: tickets print again."""
    from desk_app.security.roles import Actor, Role
    from desk_app.services.devices import registry
    from desk_app.services.devices.tickets import EscposSink
    from desk_app.services.supervision import alerts

    out = tmp_path / "printer.bin"
    device = registry.add_device(sqlite_hall, "kiosk-printer", "escpos", f"file:{out}")
    kiosk_db = sqlite_hall.acting_as(Actor(None, "kiosk", Role.KIOSK, device=True))
    kiosk = open_kiosk(kiosk_db, escpos=EscposSink(kiosk_db, device))
    assert not kiosk.paper_note.isVisible()  # a printer is configured
    _click(qtbot, kiosk.service_button("newborn"))
    qtbot.waitUntil(lambda: kiosk.print_label.property("kind") == "ok", timeout=5000)
    data = out.read_bytes()
    assert b"A001" in data and b"\x1dV" in data  # the number, and the cut (GS V)
    _sidecar(out, "paper_out")  # whole, at once: the kiosk's worker may read it any moment
    kiosk.refresh()
    qtbot.waitUntil(lambda: not kiosk.paper_ok, timeout=5000)
    assert "缺纸" in kiosk.banner.text()
    kiosk.go_start()
    _click(qtbot, kiosk.service_button("newborn"))
    qtbot.waitUntil(lambda: kiosk.print_label.property("kind") == "nopaper", timeout=5000)
    assert kiosk.number_label.text() == "A002" and out.read_bytes() == data  # no paper sent
    faults = [a for a in alerts.list_alerts(sqlite_hall) if a.kind == "device"]
    assert [a.subject for a in faults] == ["kiosk-printer"] and "缺纸" in faults[0].message_zh
    _sidecar(out, "ok")
    kiosk.refresh()
    qtbot.waitUntil(lambda: kiosk.paper_ok, timeout=5000)
    kiosk.go_start()
    _click(qtbot, kiosk.service_button("newborn"))
    qtbot.waitUntil(lambda: kiosk.print_label.property("kind") == "ok", timeout=5000)
    assert b"A003" in out.read_bytes()
