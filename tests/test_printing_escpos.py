"""The ticket printer spoken to in ESC/POS: the bytes of a ticket in both text modes, and the
connection and status over the ``file:`` twin, a pty standing in for a serial printer and a
local TCP server standing in for a network printer (port 9100). No printer, no Qt."""

from __future__ import annotations

import os
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from desk_app.services.common.errors import Refused
from desk_app.services.devices.escpos import (
    DeviceError,
    EscposTarget,
    PaperOut,
    decode_status,
    parse_target,
    print_ticket,
    send,
    status,
    usb_endpoints,
)
from printing.escpos_ticket import ticket_escpos, wrap_columns
from printing.ticket import TicketPrint

ROOT = Path(__file__).resolve().parent.parent
URL = "https://hall.example.gov.cn/q/A001-20261127"
ESC_INIT, FS_CHINESE, GS_RASTER, GS_CUT = b"\x1b@", b"\x1c&", b"\x1dv0", b"\x1dV"
# DLE EOT replies as the ESC/POS reference gives them: fixed bits 1 and 4 (0x12) plus the flags.
OK = {1: 0x12, 2: 0x12, 4: 0x12}
PAPER_OUT = {1: 0x1A, 2: 0x32, 4: 0x7E}  # offline; stopped by paper end; both sensors
NEAR_END = {1: 0x12, 2: 0x12, 4: 0x1E}
COVER_OPEN = {1: 0x1A, 2: 0x16, 4: 0x12}


def make_ticket(**changes: object) -> TicketPrint:
    values: dict[str, object] = {
        "number": "A001",
        "service_name": "新生儿出生一件事",
        "ahead": 3,
        "eta_minutes": 15,
        "issued_at": datetime(2026, 11, 27, 1, 5, tzinfo=UTC),  # 09:05 in the hall
        "hall_name": "青岛市民中心 高效办成一件事服务专区",
        "progress_url": URL,
        "priority_label": "绿色通道·老年人",
    }
    values.update(changes)
    return TicketPrint(**values)  # type: ignore[arg-type]


def gs_k(data: bytes) -> list[tuple[bytes, bytes]]:
    """Every GS ( k command as (cn fn [m], parameters): pL pH give the length after them."""
    found, at = [], data.find(b"\x1d(k")
    while at >= 0:
        length = data[at + 3] | data[at + 4] << 8
        body = data[at + 5 : at + 5 + length]
        head = 3 if body[1:2] in (b"P", b"Q") else 2  # store and print carry m ('0')
        found.append((body[:head], body[head:]))
        at = data.find(b"\x1d(k", at + 5 + length)
    return found


def raster_images(data: bytes) -> list[tuple[int, int, bytes]]:
    """Every GS v 0 image as (width in bytes, height in dots, bits), walked by its header."""
    images, at = [], data.find(GS_RASTER)
    while at >= 0:
        width, height = data[at + 4] | data[at + 5] << 8, data[at + 6] | data[at + 7] << 8
        bits = data[at + 8 : at + 8 + width * height]
        images.append((width, height, bits))
        at = data.find(GS_RASTER, at + 8 + width * height)
    return images


# --- the ticket's bytes ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def gb18030_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("gb") / "ticket.bin"
    print_ticket(f"file:{path}", make_ticket())
    return path.read_bytes()


@pytest.fixture(scope="module")
def raster_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("raster") / "ticket.bin"
    print_ticket(f"file:{path}", make_ticket(), text_mode="raster")
    return path.read_bytes()


def test_gb18030_ticket_enters_chinese_mode_and_sends_gb18030_text(gb18030_bytes: bytes) -> None:
    data = gb18030_bytes
    assert data.startswith(ESC_INIT + FS_CHINESE)
    text = data.decode("gb18030", errors="replace")
    for expected in (
        "青岛市民中心 高效办成一件事服务专区",
        "新生儿出生一件事",
        "A001",
        "绿色通道·老年人",
        "前面还有 3 人",
        "预计等候约 15 分钟",
        "取号时间 2026-11-27 09:05",  # 01:05 UTC on the hall's clock
        "扫码查看排队进度",
        "好差评",
    ):
        assert expected in text, expected
    service = "新生儿出生一件事".encode("gb18030")
    assert data.index(FS_CHINESE) < data.index(service)
    assert GS_RASTER not in data


def test_the_number_is_quadruple_size_and_the_rest_comes_back_to_normal(
    gb18030_bytes: bytes,
) -> None:
    data = gb18030_bytes
    number = data.index(b"A001")
    assert data.rfind(b"\x1d!", 0, number) == data.rfind(b"\x1d!\x33", 0, number)  # GS ! 4x4
    assert data.find(b"\x1d!\x00", number) > number  # the next line is normal size again
    assert b"\x1dB\x01" in data  # the priority label in reverse (white on black)


def test_qr_code_is_the_printers_own_with_exactly_the_url(gb18030_bytes: bytes) -> None:
    commands = gs_k(gb18030_bytes)
    assert commands[0] == (b"1A", b"2\x00")  # model 2
    assert commands[1][0] == b"1C" and 3 <= commands[1][1][0] <= 8  # module size in dots
    assert commands[2] == (b"1E", b"1")  # error correction M
    assert commands[3] == (b"1P0", URL.encode())  # store the data
    assert commands[4] == (b"1Q0", b"")  # print it
    assert len(commands) == 5


def test_the_ticket_ends_in_a_feed_and_a_partial_cut(gb18030_bytes: bytes) -> None:
    assert gb18030_bytes.endswith(b"\x1bd\x06" + GS_CUT + b"\x01")
    assert gb18030_bytes.count(GS_CUT) == 1


def test_raster_ticket_draws_the_chinese_and_keeps_the_number_as_text(raster_bytes: bytes) -> None:
    data = raster_bytes
    assert data.startswith(ESC_INIT) and FS_CHINESE not in data
    assert "新生儿出生一件事".encode("gb18030") not in data  # drawn, not sent as text
    number = data.index(b"A001")
    assert data.rfind(b"\x1d!", 0, number) == data.rfind(b"\x1d!\x33", 0, number)
    images = raster_images(data)
    assert len(images) >= 8  # hall, service, badge, ahead, wait, time, caption, hint, note
    for width, height, bits in images:
        assert width == 576 // 8 and 20 <= height <= 80
        assert len(bits) == width * height and any(bits)  # something is printed on each
    assert [p for _, p in gs_k(data) if _ == b"1P0"] == [URL.encode()]
    assert data.endswith(GS_CUT + b"\x01")


def test_no_one_ahead_is_said_as_the_pdf_says_it() -> None:
    data = ticket_escpos(make_ticket(ahead=0, eta_minutes=0, priority_label=None))
    text = data.decode("gb18030", errors="replace")
    assert "前面没有人等候" in text and "请留意叫号" in text
    assert "0 人" not in text and "0 分钟" not in text
    assert b"\x1dB\x01" not in data  # no badge without a priority label


def test_long_text_is_wrapped_to_the_paper() -> None:
    name = "企业开办一件事（含公章刻制、税务发票申领与社保登记）"
    lines = wrap_columns(name, 24)  # double size on 80 mm: 24 columns, 12 Chinese characters
    assert "".join(lines) == name
    assert all(sum(1 if ch.isascii() else 2 for ch in line) <= 24 for line in lines)
    assert not any(line[0] in "，。、）" for line in lines)  # closing punctuation never leads
    data = ticket_escpos(make_ticket(service_name=name))
    for line in lines:
        assert line.encode("gb18030") + b"\n" in data
    assert wrap_columns("ABC 2026-11-27 09:05", 12) == ["ABC", "2026-11-27", "09:05"]


def test_58_mm_paper_and_bad_arguments() -> None:
    data = ticket_escpos(make_ticket(), text_mode="raster", width_dots=384)
    assert {width for width, _, _ in raster_images(data)} == {384 // 8}
    with pytest.raises(ValueError, match="text_mode"):
        ticket_escpos(make_ticket(), text_mode="utf8")
    with pytest.raises(ValueError, match="width_dots"):
        ticket_escpos(make_ticket(), width_dots=1000)
    with pytest.raises(ValueError, match="timezone-aware"):
        ticket_escpos(make_ticket(issued_at=datetime(2026, 11, 27, 9, 5)))


# --- the file: twin -----------------------------------------------------------------------------


def test_paper_out_refuses_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "printer.bin"
    Path(f"{path}.status").write_text("paper_out\n", encoding="utf-8")
    with pytest.raises(PaperOut) as caught:
        print_ticket(f"file:{path}", make_ticket())
    assert not path.exists()
    path.write_bytes(b"the last ticket")
    with pytest.raises(PaperOut, match=str(path)):
        print_ticket(f"file:{path}", make_ticket(), text_mode="raster")
    assert path.read_bytes() == b"the last ticket"  # not even opened
    assert "缺纸" in caught.value.zh and "out of paper" in caught.value.en
    assert caught.value.status is not None and caught.value.status.paper_out
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("word", ["cover_open", "offline"])
def test_cover_open_or_offline_refuses_without_sending(tmp_path: Path, word: str) -> None:
    path = tmp_path / "printer.bin"
    Path(f"{path}.status").write_text(word, encoding="utf-8")
    with pytest.raises(DeviceError) as caught:
        print_ticket(f"file:{path}", make_ticket())
    assert not isinstance(caught.value, PaperOut)
    assert not path.exists()


def test_near_end_prints_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "printer.bin"
    Path(f"{path}.status").write_text("near_end", encoding="utf-8")
    state = print_ticket(f"file:{path}", make_ticket())
    assert state.online and state.paper_near_end and not state.paper_out and state.ready
    assert "纸将尽" in state.detail and "near end" in state.detail
    assert path.read_bytes().endswith(GS_CUT + b"\x01")


def test_file_twin_status(tmp_path: Path) -> None:
    path = tmp_path / "printer.bin"
    assert status(f"file:{path}").ready  # no sidecar: ok
    Path(f"{path}.status").write_text("jammed", encoding="utf-8")
    with pytest.raises(DeviceError, match="paper_out"):
        status(f"file:{path}")


# --- a serial printer: a pty --------------------------------------------------------------------


class StatusPrinter:
    """The printer's side of a byte stream: answers each DLE EOT n with ``replies[n]`` (none
    when ``replies`` is None: a printer switched off) and keeps everything it received."""

    def __init__(self, replies: dict[int, int] | None) -> None:
        self.replies = replies
        self.received = bytearray()
        self._scanned = 0

    def feed(self, chunk: bytes) -> bytes:
        self.received += chunk
        answer = bytearray()
        while (at := self.received.find(b"\x10\x04", self._scanned)) >= 0:
            if at + 2 >= len(self.received):
                break  # n not here yet
            if self.replies is not None and self.received[at + 2] in self.replies:
                answer.append(self.replies[self.received[at + 2]])
            self._scanned = at + 3
        return bytes(answer)

    @property
    def queries(self) -> list[int]:
        data, at, found = bytes(self.received), 0, []
        while (at := data.find(b"\x10\x04", at)) >= 0:
            found.append(data[at + 2])
            at += 3
        return found


@pytest.fixture
def serial_printer() -> Iterator[tuple[str, StatusPrinter]]:
    import tty  # termios: not on Windows

    master, slave = os.openpty()
    tty.setraw(slave)  # no echo, no newline translation, before the port is opened
    printer = StatusPrinter(dict(OK))
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            if select.select([master], [], [], 0.05)[0]:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    continue  # no one has the port open right now
                answer = printer.feed(chunk)
                if answer:
                    os.write(master, answer)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield os.ttyname(slave), printer
    finally:
        stop.set()
        thread.join(2)
        os.close(master)
        os.close(slave)


pty_only = pytest.mark.skipif(sys.platform == "win32", reason="a pty stands in for the port")


@pty_only
@pytest.mark.parametrize(
    ("replies", "online", "paper_out", "near_end", "cover_open"),
    [
        (OK, True, False, False, False),
        (PAPER_OUT, False, True, True, False),
        (NEAR_END, True, False, True, False),
        (COVER_OPEN, False, False, False, True),
    ],
)
def test_serial_status_decodes_the_replies(
    serial_printer: tuple[str, StatusPrinter],
    replies: dict[int, int],
    online: bool,
    paper_out: bool,
    near_end: bool,
    cover_open: bool,
) -> None:
    port, printer = serial_printer
    assert parse_target(port).kind == "serial"
    printer.replies = replies
    state = status(port)
    assert (state.online, state.paper_out, state.paper_near_end, state.cover_open) == (
        online,
        paper_out,
        near_end,
        cover_open,
    )
    assert printer.queries == [1, 2, 4]


@pty_only
def test_serial_send_writes_the_bytes(serial_printer: tuple[str, StatusPrinter]) -> None:
    port, printer = serial_printer
    data = ticket_escpos(make_ticket())
    send(port, data)
    deadline = time.monotonic() + 5
    while len(printer.received) < len(data) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert bytes(printer.received) == data


@pty_only
def test_serial_print_ticket_reads_status_then_sends(
    serial_printer: tuple[str, StatusPrinter],
) -> None:
    port, printer = serial_printer
    state = print_ticket(port, make_ticket())
    assert state.ready
    deadline = time.monotonic() + 5
    while not printer.received.endswith(GS_CUT + b"\x01") and time.monotonic() < deadline:
        time.sleep(0.02)
    status_queries = b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"
    assert bytes(printer.received) == status_queries + ticket_escpos(make_ticket())


@pty_only
def test_serial_paper_out_sends_nothing(serial_printer: tuple[str, StatusPrinter]) -> None:
    port, printer = serial_printer
    printer.replies = PAPER_OUT
    with pytest.raises(PaperOut, match=port):
        print_ticket(port, make_ticket())
    time.sleep(0.1)
    assert ESC_INIT not in printer.received and printer.queries == [1, 2, 4]


@pty_only
def test_a_silent_serial_printer_is_offline(serial_printer: tuple[str, StatusPrinter]) -> None:
    port, printer = serial_printer
    printer.replies = None  # switched off: the port is there, nothing answers
    started = time.monotonic()
    state = status(port, timeout=0.3)
    assert time.monotonic() - started < 2  # one unanswered query, not three
    assert not state.online and "no reply" in state.detail
    assert printer.queries == [1]


# --- a network printer: a local TCP server --------------------------------------------------------


@pytest.fixture
def tcp_printer() -> Iterator[SimpleNamespace]:
    """``target``, the ``connections`` it took (a StatusPrinter each) and the ``replies`` they
    give (one dict: change it in place)."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.05)
    fake = SimpleNamespace(
        target=f"tcp:127.0.0.1:{server.getsockname()[1]}", connections=[], replies=dict(OK)
    )
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            printer = StatusPrinter(fake.replies)
            fake.connections.append(printer)
            with conn:
                conn.settimeout(5)
                while chunk := conn.recv(65536):
                    answer = printer.feed(chunk)
                    if answer:
                        conn.sendall(answer)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        stop.set()
        thread.join(2)
        server.close()


def wait_for(condition: Callable[[], bool], seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


QUERIES = b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"  # DLE EOT 1, 2, 4


def test_tcp_status_then_the_ticket_on_one_connection(tcp_printer: SimpleNamespace) -> None:
    assert status(tcp_printer.target).ready
    state = print_ticket(tcp_printer.target, make_ticket(), text_mode="raster")
    assert state.ready
    ticket = ticket_escpos(make_ticket(), text_mode="raster")
    connections = tcp_printer.connections
    wait_for(lambda: len(connections) == 2 and len(connections[1].received) >= len(ticket))
    assert bytes(connections[0].received) == QUERIES
    assert bytes(connections[1].received) == QUERIES + ticket


def test_tcp_near_end_prints_paper_out_does_not(tcp_printer: SimpleNamespace) -> None:
    tcp_printer.replies.update(NEAR_END)
    state = print_ticket(tcp_printer.target, make_ticket())
    assert state.paper_near_end and state.online
    tcp_printer.replies.update(PAPER_OUT)
    state = status(tcp_printer.target)
    assert state.paper_out and not state.online and "缺纸" in state.detail
    with pytest.raises(PaperOut, match=tcp_printer.target):
        print_ticket(tcp_printer.target, make_ticket())
    wait_for(lambda: len(tcp_printer.connections) == 3)
    time.sleep(0.1)
    assert [ESC_INIT in c.received for c in tcp_printer.connections] == [True, False, False]


def test_tcp_send(tcp_printer: SimpleNamespace) -> None:
    send(tcp_printer.target, b"\x1b@hello\n")
    wait_for(lambda: bool(tcp_printer.connections) and bool(tcp_printer.connections[0].received))
    assert bytes(tcp_printer.connections[0].received) == b"\x1b@hello\n"


# --- targets and printers that are not there ------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "usb:zz",
        "usb:0416",
        "usb:0416:5011:1",
        "usb:0:5011",
        "tcp:",
        "tcp:host:",
        "tcp:h:99999",
        "tcp:[::1]:9100",
        "file:",
        "lpt1",
        "",
        "  ",
        "/dev/",
        "printer",
        "COM0",
    ],
)
def test_bad_targets_are_refused_in_one_line(target: str) -> None:
    with pytest.raises(Refused) as caught:
        parse_target(target)
    assert not isinstance(caught.value, DeviceError)
    message = str(caught.value)
    assert "\n" not in message and "usb:VID:PID" in message and "/dev/ttyUSB0" in message
    with pytest.raises(Refused):
        send(target, b"x")


def test_good_targets() -> None:
    assert parse_target("usb:0416:5011") == EscposTarget("usb", vendor_id=0x0416, product_id=0x5011)
    assert str(parse_target("USB:0x04b8:0E15")) == "usb:04b8:0e15"
    assert parse_target("tcp:192.168.1.50") == EscposTarget(
        "tcp", host="192.168.1.50", tcp_port=9100
    )
    assert parse_target("tcp:printer.hall.local:9101").tcp_port == 9101
    assert parse_target("/dev/ttyUSB0") == EscposTarget("serial", port="/dev/ttyUSB0")
    assert parse_target("COM3").kind == parse_target("com12").kind == "serial"
    assert parse_target("file:/tmp/ticket.bin") == EscposTarget("file", path="/tmp/ticket.bin")


def test_a_printer_that_is_not_there() -> None:
    with pytest.raises(DeviceError) as caught:
        send("tcp:127.0.0.1:1", b"\x1b@")
    message = str(caught.value)
    assert "tcp:127.0.0.1:1" in message and "connection refused" in message
    assert "\n" not in message and "Traceback" not in message
    with pytest.raises(DeviceError, match="connection refused"):
        status("tcp:127.0.0.1:1")
    with pytest.raises(DeviceError, match="connection refused"):
        print_ticket("tcp:127.0.0.1:1", make_ticket())


@pty_only
def test_a_serial_port_that_is_not_there(tmp_path: Path) -> None:
    port = "/dev/ttyDESKAPPNOSUCHPORT0"
    for call in (lambda: send(port, b"x"), lambda: status(port)):
        with pytest.raises(DeviceError) as caught:
            call()
        assert str(caught.value).count(port) == 2  # named in both languages
        assert "no such port" in caught.value.en and "\n" not in str(caught.value)
    with pytest.raises(DeviceError, match="no such port"):
        send(f"file:{tmp_path / 'missing' / 'ticket.bin'}", b"x")


def test_usb_status_is_not_read() -> None:
    state = status("usb:0416:5011")
    assert state.online and "not read over USB" in state.detail


# --- pieces ---------------------------------------------------------------------------------


def test_decode_status_as_the_reference_defines_it() -> None:
    assert decode_status(0x12, 0x12, 0x12).ready
    out = decode_status(0x1A, 0x32, 0x7E)
    assert (out.online, out.paper_out, out.paper_near_end, out.cover_open) == (
        False,
        True,
        True,
        False,
    )
    assert "1a 32 7e" in out.detail
    cover = decode_status(0x1A, 0x16, None)  # no reply to DLE EOT 4
    assert cover.cover_open and not cover.paper_out and "--" in cover.detail
    assert decode_status(0x12, 0x12, 0x1E).paper_near_end  # still prints
    assert decode_status(0x12, 0x12, 0x1E).ready


def test_usb_endpoints_are_read_from_the_printer_interface() -> None:
    def endpoint(address: int, attributes: int = 2) -> SimpleNamespace:  # 2: bulk
        return SimpleNamespace(bEndpointAddress=address, bmAttributes=attributes)

    class Interface(list):  # type: ignore[type-arg]
        bInterfaceClass = 7

    hid = [endpoint(0x83, 3)]  # an interrupt endpoint first, on another interface
    printer = Interface([endpoint(0x81), endpoint(0x03)])
    device = SimpleNamespace(get_active_configuration=lambda: [hid, printer])
    assert usb_endpoints(device) == (0x81, 0x03)
    assert usb_endpoints(SimpleNamespace(get_active_configuration=lambda: [hid])) is None


def test_the_command_line_does_not_load_python_escpos() -> None:
    code = (
        "import sys\n"
        "import desk_app.services.devices.escpos\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('escpos', 'serial', 'usb')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
