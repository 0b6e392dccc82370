"""One serial port that survives its device being unplugged and plugged back.

A ``SerialLink`` owns a reader thread: it opens the port, hands every chunk of incoming bytes to
``on_data`` (a protocol parser), and on an I/O error closes the port, reports ``("fault",
reason)`` through ``on_state`` and tries to open it again every ``retry_s`` seconds until
``close()``. A successful (re)open reports ``("ok", port)``. Both callbacks run on the reader
thread: a screen must post them to its own thread. Output devices (a window strip) use
``write()``, which raises ``DeviceFault`` (one bilingual line) while the port is gone.

The port is a path (``/dev/ttyUSB0``, ``COM3``, a pty), any pyserial URL (``socket://HOST:PORT``
for a serial device server, ``loop://`` in tests), or a callable returning one, asked again on
every reopen: a simulated device gets a new pty path when it is plugged back.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any

import serial

from desk_app.services.common.errors import Refused

log = logging.getLogger(__name__)

OK = "ok"
FAULT = "fault"
OPENING = "opening"  # not reported: the state before the first attempt
CLOSED = "closed"  # not reported: the state after close()

DEFAULT_BAUD = 9600
DEFAULT_FRAMING = "8N1"
READ_TIMEOUT_S = 0.1  # how long a read waits: bounds how late close() and a reopen are
WRITE_TIMEOUT_S = 2.0  # a stuck port (flow control never released) fails instead of hanging
BAUD_RATES = (1200, 2400, 4800, 9600, 14400, 19200, 38400, 57600, 115200)
PARITIES = {
    "N": serial.PARITY_NONE,
    "E": serial.PARITY_EVEN,
    "O": serial.PARITY_ODD,
    "M": serial.PARITY_MARK,
    "S": serial.PARITY_SPACE,
}
STOP_BITS = {
    "1": serial.STOPBITS_ONE,
    "1.5": serial.STOPBITS_ONE_POINT_FIVE,
    "2": serial.STOPBITS_TWO,
}

PortSpec = str | Callable[[], str]


class DeviceFault(Exception):
    """A device that is not there (unplugged, powered off, its port taken): one line, Chinese
    first, never a traceback. Not a ``Refused``: the caller's input was fine; the hardware is
    not."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message, or its type when it has none."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def port_settings(options: Mapping[str, Any] | None) -> dict[str, Any]:
    """pyserial's keyword arguments from a device's options: ``baud`` (9600), ``framing``
    ("8N1": data bits 5-8, parity N/E/O/M/S, stop bits 1/1.5/2), ``rtscts`` and ``xonxoff``
    (off), ``exclusive`` (on: a second program opening a locked port fails instead of
    splitting the device's bytes with the first; Windows ports are always exclusive). Other
    keys belong to the protocol and are left alone."""
    options = options or {}
    baud = options.get("baud", DEFAULT_BAUD)
    if isinstance(baud, bool) or not isinstance(baud, int) or baud not in BAUD_RATES:
        raise Refused(
            f"波特率 {baud!r} 无效，可选 {', '.join(map(str, BAUD_RATES))}",
            f"baud rate {baud!r} is not one of {', '.join(map(str, BAUD_RATES))}",
        )
    framing = str(options.get("framing", DEFAULT_FRAMING)).upper()
    bits, parity, stop = framing[:1], framing[1:2], framing[2:]
    if bits not in ("5", "6", "7", "8") or parity not in PARITIES or stop not in STOP_BITS:
        raise Refused(
            f"串口格式 {framing!r} 无效，应如 8N1、7E1",
            f"serial framing {framing!r} is not like 8N1 or 7E1",
        )
    return {
        "exclusive": bool(options.get("exclusive", True)),
        "baudrate": baud,
        "bytesize": int(bits),
        "parity": PARITIES[parity],
        "stopbits": STOP_BITS[stop],
        "rtscts": bool(options.get("rtscts", False)),
        "xonxoff": bool(options.get("xonxoff", False)),
    }


class SerialLink:
    """A serial port kept open by a reader thread; see the module's docstring.

    ``start()`` starts the thread (the constructor does not, so callbacks can be wired first);
    ``close()`` stops it within about ``READ_TIMEOUT_S``. Usable as a context manager, which
    starts and closes it."""

    def __init__(
        self,
        port: PortSpec,
        options: Mapping[str, Any] | None = None,
        *,
        on_data: Callable[[bytes], None] | None = None,
        on_state: Callable[[str, str], None] | None = None,
        retry_s: float = 2.0,
    ) -> None:
        self._port = port
        self._last_port = port if isinstance(port, str) else "?"
        self._settings = port_settings(options)
        self._on_data = on_data
        self._on_state = on_state
        self._retry_s = retry_s
        self._lock = threading.Lock()  # guards _serial, _state, _connections
        self._changed = threading.Condition(self._lock)
        self._serial: Any = None  # serial.Serial while open
        self._state = OPENING
        self._detail = ""
        self._connections = 0
        self._stop = threading.Event()
        self._reopen = threading.Event()  # a write found the port broken
        self._thread: threading.Thread | None = None

    # -- the caller's side --------------------------------------------------------------------

    @property
    def port(self) -> str:
        """The port's current path (a callable port is asked again)."""
        return self._port() if callable(self._port) else self._port

    @property
    def state(self) -> str:
        """``opening``, ``ok``, ``fault`` or ``closed``."""
        with self._lock:
            return self._state

    @property
    def detail(self) -> str:
        """The last reported detail: the port when ok, the reason when at fault."""
        with self._lock:
            return self._detail

    @property
    def connections(self) -> int:
        """How many times the port has been opened: a writer whose count changed knows the
        device was plugged back (and lost what it showed)."""
        with self._lock:
            return self._connections

    def start(self) -> SerialLink:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name=f"serial-link {self._label()}", daemon=True
            )
            self._thread.start()
        return self

    def wait_state(self, state: str, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the link to be in ``state``; whether it is."""
        with self._changed:
            return self._changed.wait_for(lambda: self._state == state, timeout)

    def write(self, data: bytes) -> None:
        """Send ``data``; ``DeviceFault`` when the port is not open or the write fails (the
        reader thread then reopens the port)."""
        with self._lock:
            ser = self._serial
            if ser is None:
                if self._state == FAULT:
                    raise self._fault(self._detail)
                closed = self._state == CLOSED
                raise self._fault(
                    "已关闭" if closed else "尚未打开", "closed" if closed else "not open yet"
                )
            try:
                ser.write(data)
                return
            except Exception as exc:  # any failure of the device is a fault, never a traceback
                reason = first_line(exc)
        self._reopen.set()
        self._cancel_read(ser)
        raise self._fault(reason)

    def close(self) -> None:
        """Stop the reader thread and close the port; idempotent."""
        self._stop.set()
        with self._lock:
            ser = self._serial
        self._cancel_read(ser)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5 * READ_TIMEOUT_S + 1)
        with self._lock:
            ser, self._serial = self._serial, None
            self._state = CLOSED
            self._changed.notify_all()
        self._quietly_close(ser)

    def __enter__(self) -> SerialLink:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- the reader thread --------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            ser = self._open()
            if ser is not None:
                self._pump(ser)
            if not self._stop.is_set():
                self._stop.wait(self._retry_s)

    def _open(self) -> Any:
        try:
            path = self._last_port = self.port
            ser = serial.serial_for_url(
                path, timeout=READ_TIMEOUT_S, write_timeout=WRITE_TIMEOUT_S, **self._settings
            )
        except Exception as exc:  # a missing port, a busy one, a bad URL: all faults to retry
            self._report(FAULT, first_line(exc))
            return None
        with self._lock:
            if self._stop.is_set():  # close() came while opening
                stale, ser = ser, None
            else:
                self._serial = ser
                self._connections += 1
                stale = None
        if stale is not None:
            self._quietly_close(stale)
            return None
        self._reopen.clear()
        self._report(OK, path)
        return ser

    def _pump(self, ser: Any) -> None:
        """Read until stopped or the port fails; then close it."""
        reason = ""
        while not self._stop.is_set():
            if self._reopen.is_set():
                reason = "write failed"
                break
            try:
                data = ser.read(ser.in_waiting or 1)
            except Exception as exc:  # the device went away (EIO, "returned no data", ...)
                reason = first_line(exc)
                break
            if data and self._on_data is not None:
                try:
                    self._on_data(data)
                except Exception:
                    log.exception("serial link %s: the parser failed", self._label())
        with self._lock:
            if self._serial is ser:
                self._serial = None
        self._quietly_close(ser)
        if reason and not self._stop.is_set():
            self._report(FAULT, reason)

    def _report(self, state: str, detail: str) -> None:
        """Record the state; tell ``on_state`` only when it changes (a device unplugged for an
        hour is one fault, not one per retry)."""
        with self._lock:
            if self._stop.is_set():
                return
            changed = state != self._state
            self._state, self._detail = state, detail
            self._changed.notify_all()
        if changed:
            log.info("serial link %s: %s (%s)", self._label(), state, detail)
            if self._on_state is not None:
                try:
                    self._on_state(state, detail)
                except Exception:
                    log.exception("serial link %s: on_state failed", self._label())

    # -- helpers ------------------------------------------------------------------------------

    def _label(self) -> str:
        """The port for messages: the current path, or the last one known."""
        with contextlib.suppress(Exception):  # a callable port may not know now (unplugged)
            self._last_port = self.port
        return self._last_port

    def _fault(self, reason: str, reason_en: str | None = None) -> DeviceFault:
        """The fault for a write; ``reason`` is the system's (one language) unless told both."""
        port = self._label()
        return DeviceFault(
            f"串口 {port} 不可用（{reason}），请检查设备连接和电源",
            f"serial port {port} is unavailable ({reason_en or reason}): "
            "check the device's cable and power",
        )

    @staticmethod
    def _cancel_read(ser: Any) -> None:
        cancel = getattr(ser, "cancel_read", None)
        if cancel is not None:
            with contextlib.suppress(Exception):  # closed already: the read times out anyway
                cancel()

    @staticmethod
    def _quietly_close(ser: Any) -> None:
        if ser is not None:
            with contextlib.suppress(Exception):  # a vanished device may fail even to close
                ser.close()
