"""The kiosk's thermal ticket printer spoken to directly in ESC/POS: where it is, its status,
and a ticket sent to it.

Targets (``contracts.md``, Devices): ``usb:VID:PID`` (hex), a serial port (``/dev/ttyUSB0``,
``COM3``), ``tcp:HOST[:PORT]`` (port 9100 unless given) and ``file:PATH``, the simulated twin
for tests and demos (the bytes land in ``PATH``; its status is the word in ``PATH.status``).

Connections are python-escpos's printer classes (``Usb``, ``Serial``, ``Network``, ``File``),
imported when first used: the command line starts without them.

Status is the real-time status of the ESC/POS reference: DLE EOT 1 (printer: bit 3 offline),
DLE EOT 2 (offline cause: bit 2 cover open, bit 5 stopped by paper end, bit 6 error) and
DLE EOT 4 (roll paper sensor: bits 2-3 near end, bits 5-6 paper end). Not through
python-escpos's ``paper_status()``/``is_online()``: the first reports "paper adequate" when
nothing answers, neither reads the cover, and over a serial port their ``read(16)`` waits out
the whole timeout for a one-byte reply. The exchange is python-escpos's ``query_status()``
over TCP, and one byte read on the pyserial device over a serial port. Over USB the status is
not read: an unanswered read would stop printers that print fine.

:func:`print_ticket` reads the status first and sends nothing when the paper is out, the cover
is open or the printer is offline (:class:`PaperOut`, :class:`DeviceError`): the kiosk then
stops issuing paper tickets and shows the number on screen.
"""

from __future__ import annotations

import contextlib
import errno
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from desk_app.services.common.errors import Refused

if TYPE_CHECKING:
    from printing.ticket import TicketPrint

DEFAULT_TCP_PORT = 9100
STATUS_TIMEOUT = 2.0  # seconds: connecting, and each status reply
SEND_TIMEOUT = 5.0  # seconds: connecting, and writing (plus the bytes' time on a serial line)
TEXT_MODES = ("gb18030", "raster")
DLE_EOT = b"\x10\x04"  # DLE EOT n: transmit real-time status
#: The words a ``file:`` twin's ``PATH.status`` may hold.
SIDECAR_WORDS = ("ok", "paper_out", "near_end", "cover_open", "offline")

TargetKind = Literal["usb", "serial", "tcp", "file"]

_EXPECTED = (
    "应为 usb:VID:PID、串口（如 /dev/ttyUSB0 或 COM3）、tcp:主机[:端口] 或 file:路径",
    "expected usb:VID:PID, a serial port such as /dev/ttyUSB0 or COM3, tcp:HOST[:PORT] "
    "or file:PATH",
)
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")
_HEX_ID = re.compile(r"(?:0[xX])?([0-9A-Fa-f]{1,4})")
_WINDOWS_PORT = re.compile(r"(?:\\\\\.\\)?COM[1-9][0-9]{0,2}", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class EscposTarget:
    """Where an ESC/POS printer is, as :func:`parse_target` read it.

    Attributes:
        kind: ``usb``, ``serial``, ``tcp`` or ``file``.
        vendor_id, product_id: the USB ids (``usb``).
        port: the serial device, ``/dev/ttyUSB0`` or ``COM3`` (``serial``).
        host, tcp_port: the printer's address (``tcp``).
        path: the file the bytes are written to (``file``).
    """

    kind: TargetKind
    vendor_id: int | None = None
    product_id: int | None = None
    port: str | None = None
    host: str | None = None
    tcp_port: int | None = None
    path: str | None = None

    def __str__(self) -> str:
        if self.kind == "usb":
            return f"usb:{self.vendor_id:04x}:{self.product_id:04x}"
        if self.kind == "tcp":
            return f"tcp:{self.host}:{self.tcp_port}"
        if self.kind == "file":
            return f"file:{self.path}"
        return str(self.port)


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    """The printer's real-time status.

    Attributes:
        online: it can print now.
        paper_out: the roll is empty (printing stopped).
        paper_near_end: the roll is nearly empty: still prints, time to get a new one.
        cover_open: the paper cover is open.
        detail: one line, ``中文 / English``, for the screen and the log.
    """

    online: bool
    paper_out: bool
    paper_near_end: bool
    cover_open: bool
    detail: str

    @property
    def ready(self) -> bool:
        """Online, with paper and the cover closed: a ticket would print."""
        return self.online and not self.paper_out and not self.cover_open


class DeviceError(Refused):
    """The printer could not be reached, cannot print now, or a write to it failed.

    Attributes:
        target: the target as configured.
        status: the status read, when one was (``None`` when the printer was not reached).
    """

    def __init__(
        self, zh: str, en: str, *, target: str = "", status: PrinterStatus | None = None
    ) -> None:
        super().__init__(zh, en)
        self.target = target
        self.status = status


class PaperOut(DeviceError):
    """The printer is out of paper: nothing was sent."""


def _refuse(target: str, zh: str = "", en: str = "") -> Refused:
    zh_why = f"（{zh}）" if zh else ""
    en_why = f" ({en})" if en else ""
    return Refused(
        f"打印机地址无法识别: {target!r}{zh_why}，{_EXPECTED[0]}",
        f"unrecognised printer target {target!r}{en_why}; {_EXPECTED[1]}",
    )


def parse_target(target: str) -> EscposTarget:
    """Read a printer target (see the module's docstring).

    Raises:
        Refused: the target is none of the forms, with a one-line reason.
    """
    text = target.strip()
    if not text or "\n" in text:
        raise _refuse(" ".join(target.split()))
    scheme, colon, rest = text.partition(":")
    scheme = scheme.lower() if colon else ""
    if scheme == "usb":
        parts = [_HEX_ID.fullmatch(p) for p in rest.split(":")]
        if len(parts) != 2 or not all(parts):
            raise _refuse(text, "VID 和 PID 为十六进制", "VID and PID in hex, e.g. usb:0416:5011")
        vendor, product = (int(m.group(1), 16) for m in parts if m)
        if not vendor or not product:
            raise _refuse(text, "VID 和 PID 不能为 0", "VID and PID must not be 0")
        return EscposTarget("usb", vendor_id=vendor, product_id=product)
    if scheme == "tcp":
        host, port_colon, port_text = rest.rpartition(":")
        if not port_colon:
            host, port_text = rest, str(DEFAULT_TCP_PORT)
        if not _HOST.fullmatch(host):
            raise _refuse(text, "缺少主机名或 IP", "a host name or IPv4 address is needed")
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            raise _refuse(text, "端口应为 1-65535", "the port must be 1-65535")
        return EscposTarget("tcp", host=host, tcp_port=int(port_text))
    if scheme == "file":
        if not rest.strip():
            raise _refuse(text, "缺少文件路径", "the file path is missing")
        return EscposTarget("file", path=rest)
    if (text.startswith("/dev/") and len(text) > len("/dev/")) or _WINDOWS_PORT.fullmatch(text):
        return EscposTarget("serial", port=text)
    raise _refuse(text)


# --- status ---------------------------------------------------------------------------------


def decode_status(printer: int, offline_cause: int | None, paper: int | None) -> PrinterStatus:
    """The status from the replies to DLE EOT 1, 2 and 4 (``None``: that one went unanswered),
    bits as the ESC/POS reference defines them. Either bit of a sensor's pair counts."""
    cause = offline_cause or 0
    roll = paper or 0
    paper_out = bool(roll & 0x60) or bool(cause & 0x20)  # DLE EOT 4 bits 5-6; DLE EOT 2 bit 5
    replies = " ".join("--" if b is None else f"{b:02x}" for b in (printer, offline_cause, paper))
    return _status(
        online=not printer & 0x08,  # DLE EOT 1, bit 3
        paper_out=paper_out,
        near_end=bool(roll & 0x0C),  # DLE EOT 4, bits 2-3
        cover_open=bool(cause & 0x04),  # DLE EOT 2, bit 2
        error=bool(cause & 0x40),  # DLE EOT 2, bit 6
        note=f"DLE EOT 1 2 4: {replies}",
    )


def _status(
    *, online: bool, paper_out: bool, near_end: bool, cover_open: bool, error: bool, note: str
) -> PrinterStatus:
    words = [
        (paper_out, "缺纸", "paper out"),
        (near_end and not paper_out, "纸将尽", "paper near end"),
        (cover_open, "纸仓盖打开", "cover open"),
        (error, "故障", "error"),
        (not online, "离线", "offline"),
    ]
    zh = "，".join(z for on, z, _ in words if on) or "正常"
    en = ", ".join(e for on, _, e in words if on) or "ok"
    return PrinterStatus(online, paper_out, near_end, cover_open, f"{zh} / {en} ({note})")


_SILENT = "打印机无应答（未开机或不是 ESC/POS 打印机） / no reply to DLE EOT (off, or not ESC/POS)"
_UNREAD = "未读取 USB 打印机状态 / status not read over USB"
#: A printer reached that did not answer DLE EOT 1 in time.
NO_REPLY = PrinterStatus(False, False, False, False, _SILENT)
#: A USB printer's status, which is not read (see the module's docstring).
USB_UNREAD = PrinterStatus(True, False, False, False, _UNREAD)


def _sidecar_status(t: EscposTarget) -> PrinterStatus:
    """The ``file:`` twin's status: the word in ``PATH.status``, ``ok`` without that file."""
    sidecar = Path(f"{t.path}.status")
    try:
        word = sidecar.read_text(encoding="utf-8").strip().lower() if sidecar.exists() else "ok"
    except OSError as exc:
        raise _failure(t, exc) from None
    flags = {
        "ok": (True, False, False, False),
        "near_end": (True, False, True, False),
        "paper_out": (False, True, True, False),  # as a printer says it: offline, both sensors
        "cover_open": (False, False, False, True),
        "offline": (False, False, False, False),
    }.get(word)
    if flags is None:
        raise DeviceError(
            f"模拟打印机状态文件 {sidecar} 内容无效: {word[:40]!r}（应为 {'、'.join(SIDECAR_WORDS)}）",
            f"simulated printer status file {sidecar} holds {word[:40]!r}, "
            f"expected one of {', '.join(SIDECAR_WORDS)}",
            target=str(t),
        )
    online, paper_out, near_end, cover_open = flags
    return _status(
        online=online,
        paper_out=paper_out,
        near_end=near_end,
        cover_open=cover_open,
        error=False,
        note=f"simulated, {sidecar.name}" if sidecar.exists() else "simulated",
    )


def _query(printer: Any, kind: TargetKind, n: int) -> int | None:
    """One DLE EOT ``n`` exchange: the reply byte, or ``None`` when none came in time."""
    command = DLE_EOT + bytes((n,))
    if kind == "serial":
        device = printer.device  # a pyserial Serial, its read timeout the one given
        device.reset_input_buffer()  # nothing stale taken for the answer
        device.write(command)
        reply: bytes = device.read(1)
    else:
        try:
            reply = printer.query_status(command)
        except TimeoutError:
            reply = b""
    return reply[-1] if reply else None


def _read_status(printer: Any, kind: TargetKind) -> PrinterStatus:
    first = _query(printer, kind, 1)
    if first is None:
        return NO_REPLY  # and no two more timeouts waiting for the other two
    return decode_status(first, _query(printer, kind, 2), _query(printer, kind, 4))


def status(target: str, *, timeout: float = STATUS_TIMEOUT) -> PrinterStatus:
    """The printer's real-time status (see the module's docstring for each kind of target).

    A printer reached that does not answer is reported offline, not raised.

    Raises:
        Refused: a bad target.
        DeviceError: the printer could not be reached (no such port, connection refused ...).
    """
    t = parse_target(target)
    if t.kind == "file":
        return _sidecar_status(t)
    if t.kind == "usb":
        return USB_UNREAD
    with _connection(t, timeout) as printer:
        return _read_status(printer, t.kind)


# --- sending --------------------------------------------------------------------------------


def send(target: str, data: bytes, *, timeout: float = SEND_TIMEOUT) -> None:
    """Open the connection to ``target``, write ``data``, close.

    Raises:
        Refused: a bad target.
        DeviceError: the printer could not be reached or the write failed, naming the target.
    """
    t = parse_target(target)
    with _connection(t, timeout) as printer:
        _write(printer, t, data, timeout)


def print_ticket(target: str, ticket: TicketPrint, *, text_mode: str = "gb18030") -> PrinterStatus:
    """Print ``ticket`` on the ESC/POS printer at ``target`` and return the status read first.

    Nothing is sent when the paper is out, the cover is open or the printer is offline or
    silent. Over a serial port or TCP the status is read and the ticket sent on one connection.

    Raises:
        Refused: a bad target or text mode.
        PaperOut: the printer is out of paper (nothing sent).
        DeviceError: the printer could not be reached, its cover is open or it is offline.
    """
    t = parse_target(target)
    if text_mode not in TEXT_MODES:
        raise Refused(
            f"未知的打印文字方式: {text_mode!r}（应为 gb18030 或 raster）",
            f"unknown text mode {text_mode!r} (gb18030 or raster)",
        )
    from printing.escpos_ticket import ticket_escpos

    data = ticket_escpos(ticket, text_mode=text_mode)
    if t.kind in ("file", "usb"):
        state = _sidecar_status(t) if t.kind == "file" else USB_UNREAD
        _check(t, state)
        send(target, data)
        return state
    with _connection(t, STATUS_TIMEOUT) as printer:
        state = _read_status(printer, t.kind)
        _check(t, state)
        _write(printer, t, data, SEND_TIMEOUT)
    return state


def _check(t: EscposTarget, state: PrinterStatus) -> None:
    """Raise when ``state`` says a ticket would not print."""
    name = str(t)
    zh, _, en = state.detail.partition(" / ")
    error: type[DeviceError] = DeviceError
    if state.paper_out:
        error, zh, en = PaperOut, "缺纸，请更换纸卷", "is out of paper; load a new roll"
    elif state.cover_open:
        zh, en = "纸仓盖未关好", "has its cover open"
    elif not state.online:
        zh, en = f"不能打印: {zh}", f"cannot print: {en}"
    else:
        return
    raise error(f"打印机 {name} {zh}", f"printer {name} {en}", target=name, status=state)


def _write(printer: Any, t: EscposTarget, data: bytes, timeout: float) -> None:
    if t.kind == "serial":
        # A raster ticket is some 30 kB, half a minute at 9600 baud: time enough for the bytes,
        # and a write blocked by flow control (printer switched off) still ends.
        printer.device.write_timeout = timeout + 2 * len(data) * 10 / printer.baudrate
    elif t.kind == "tcp":
        printer.device.settimeout(timeout)  # opened with the status reads' shorter one
    printer._raw(data)


# --- connections ----------------------------------------------------------------------------


def _open(t: EscposTarget, timeout: float) -> Any:
    """The python-escpos printer for ``t``, its connection open."""
    if t.kind == "usb":
        from escpos.printer import Usb

        printer: Any = Usb(t.vendor_id, t.product_id, timeout=int(timeout * 1000))
        printer.open()
        if printer.device is None:  # python-escpos asserts this, which ``python -O`` drops
            raise OSError(errno.ENODEV, "USB device not found or cable not plugged in")
        endpoints = usb_endpoints(printer.device)
        if endpoints is not None:
            printer.in_ep, printer.out_ep = endpoints
    elif t.kind == "serial":
        from escpos.printer import Serial

        printer = Serial(devfile=t.port, timeout=timeout)
        printer.open()
    elif t.kind == "tcp":
        from escpos.printer import Network

        printer = Network(host=t.host, port=t.tcp_port, timeout=timeout)
        printer.open()
    else:
        from escpos.printer import File

        printer = File(devfile=t.path)
        printer.open()
    return printer


@contextlib.contextmanager
def _connection(t: EscposTarget, timeout: float) -> Iterator[Any]:
    """An open connection to ``t``, closed afterwards; what goes wrong with it on the way
    becomes a :class:`DeviceError` naming the target."""
    from escpos.exceptions import Error as EscposError

    failures = (EscposError, OSError, ValueError)
    try:
        printer = _open(t, timeout)
    except failures as exc:
        raise _failure(t, exc) from None
    try:
        yield printer
    except failures as exc:
        with contextlib.suppress(*failures):
            printer.close()
        raise _failure(t, exc) from None
    except BaseException:
        with contextlib.suppress(*failures):
            printer.close()
        raise
    try:
        printer.close()  # a serial port drains its output here
    except failures as exc:
        raise _failure(t, exc) from None


def usb_endpoints(device: Any) -> tuple[int, int] | None:
    """The (in, out) bulk endpoint addresses of a USB printer's interface, preferring the
    printer class (7): python-escpos assumes 0x82/0x01, which many Chinese printers do not use.
    ``None`` when they cannot be read (python-escpos's defaults are kept)."""
    import usb.core
    import usb.util

    def bulk(direction: int) -> Any:
        def match(endpoint: Any) -> bool:
            address, attributes = endpoint.bEndpointAddress, endpoint.bmAttributes
            return bool(
                usb.util.endpoint_direction(address) == direction
                and usb.util.endpoint_type(attributes) == usb.util.ENDPOINT_TYPE_BULK
            )

        return match

    try:
        interfaces = list(device.get_active_configuration())
    except (usb.core.USBError, NotImplementedError):
        return None
    interfaces.sort(key=lambda i: getattr(i, "bInterfaceClass", 0) != 7)
    for interface in interfaces:
        out = usb.util.find_descriptor(interface, custom_match=bulk(usb.util.ENDPOINT_OUT))
        if out is None:
            continue
        into = usb.util.find_descriptor(interface, custom_match=bulk(usb.util.ENDPOINT_IN))
        return (into.bEndpointAddress if into is not None else 0x82), out.bEndpointAddress
    return None


def _failure(t: EscposTarget, exc: BaseException) -> DeviceError:
    """A one-line bilingual :class:`DeviceError` naming the target, from what went wrong."""
    chain: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and cause not in chain:  # python-escpos re-raises its own errors
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    codes = {getattr(e, "errno", None) for e in chain} - {None}
    text = " ".join(" ".join(str(e).split()) for e in chain)
    names = {type(e).__name__ for e in chain}

    def has(*words: str) -> bool:
        return any(w.lower() in text.lower() for w in words)

    if "ConnectionRefusedError" in names or errno.ECONNREFUSED in codes:
        why = ("连接被拒绝（地址或端口不对，或打印机未开机）", "connection refused")
    elif names & {"TimeoutError", "timeout", "SerialTimeoutException", "USBTimeoutError"}:
        why = ("超时无应答", "timed out")
    elif "gaierror" in names:
        why = ("主机名无法解析", "unknown host name")
    elif codes & {errno.EHOSTUNREACH, errno.ENETUNREACH}:
        why = ("网络不可达", "network unreachable")
    elif "NoBackendError" in names:
        why = ("未安装 libusb，无法使用 USB", "no USB backend (libusb) installed")
    elif "USBNotFoundError" in names or has("cable not plugged in"):
        why = ("未找到 USB 设备（检查线缆、电源和 VID:PID）", "USB device not found")
    elif codes & {errno.EACCES, errno.EPERM} or has("PermissionError", "Access is denied"):
        why = (
            "没有访问权限（Linux 上加入 dialout 组或添加 udev 规则）",
            "permission denied (on Linux: the dialout group or a udev rule)",
        )
    elif errno.EBUSY in codes or has("busy"):
        why = ("端口被其他程序占用", "port in use by another program")
    elif errno.ENOENT in codes or has("FileNotFoundError", "No such file", "cannot find the file"):
        why = ("端口或路径不存在", "no such port or path")
    else:
        detail = " ".join(str(exc).split())[:160] or type(exc).__name__
        why = (f"通信失败: {detail}", f"communication failed: {detail}")
    name = str(t)
    return DeviceError(f"打印机 {name} {why[0]}", f"printer {name}: {why[1]}", target=name)
