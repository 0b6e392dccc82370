"""Simulated twins of the serial devices, on pseudo-terminals: tests and the demo open
``sim.port`` with a ``SerialLink`` exactly as they would open ``/dev/ttyUSB0``.

A twin holds the pty's master side (the device's end of the cable) and also keeps the slave
side open itself, so the port exists before the application opens it and a strip twin can
read what is written to it between openings. Both sides are raw (``tty.setraw``): bytes pass
unchanged, no echo, no CR/LF translation.

Unplugging: a pty cannot be unplugged and plugged back at the same path, so ``unplug()``
closes both sides; the application's reads and writes on the slave then fail (EIO, or
pyserial's "device reports readiness to read but returned no data") exactly as with a USB
adapter pulled out, and the path vanishes. ``replug()`` opens a new pty and updates ``.port``;
the kernel may or may not give it the old number. Hand ``sim.locate`` (a callable) to
``SerialLink`` instead of ``sim.port`` so that its retries follow the new path (and, while
unplugged, fail rather than open a pty of someone else's that got the old number).

A twin that answers (the ID card reader) or records (the strip) what the application writes
sets ``listens``: a thread then hands every chunk written to the port to ``_received``.

POSIX only: on Windows creating a twin raises ``Refused`` (a pty is needed).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import select
import threading
from collections.abc import Mapping
from typing import Any

from desk_app.domain import clock
from desk_app.services.common.errors import Refused
from desk_app.services.devices import idcard
from desk_app.services.devices.callpad import CallpadParser, encode_press
from desk_app.services.devices.evaluator_pad import EvaluatorPadParser, encode_level
from desk_app.services.devices.strip import StripDecoder

log = logging.getLogger(__name__)

POLL_S = 0.05  # how often a twin's reader looks at its stop flag


class SimulatedPort:
    """A pty standing in for one serial device; see the module's docstring."""

    kind = "device"
    kind_zh = "设备"
    listens = False  # whether a thread hands what the application writes to ``_received``

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        if os.name == "nt" or not hasattr(os, "openpty"):
            raise Refused(
                "模拟串口设备需要伪终端（pty），Windows 上不可用，请接真实设备",
                "simulating a serial device needs a pty, which Windows lacks: use a real device",
            )
        self.options: dict[str, Any] = dict(options or {})
        self.port = ""
        self._lock = threading.Lock()
        self._master: int | None = None
        self._slave: int | None = None
        self._closed = False
        self._stop = threading.Event()
        self._reader: threading.Thread | None = None
        self._plug()

    @property
    def plugged(self) -> bool:
        with self._lock:
            return self._master is not None

    def locate(self) -> str:
        """The current path, for ``SerialLink(sim.locate, ...)``; ``Refused`` while unplugged,
        so that a link retrying cannot open a pty that reused the old number meanwhile."""
        if not self.plugged:
            raise self._unplugged()
        return self.port

    def unplug(self) -> None:
        """Pull the cable: the application's reads and writes fail, the path goes away."""
        self._stopping()
        self._stop.set()
        if self._reader is not None:
            self._reader.join(timeout=1 + 4 * POLL_S)
            self._reader = None
        with self._lock:
            fds, self._master, self._slave = (self._master, self._slave), None, None
        for fd in fds:
            if fd is not None:
                os.close(fd)

    def replug(self) -> None:
        """Plug a cable back, at a new ``port`` (see the module's docstring)."""
        if self._closed:
            raise Refused(f"模拟{self.kind_zh}已关闭", f"the simulated {self.kind} is closed")
        if not self.plugged:
            self._plug()

    def close(self) -> None:
        self._closed = True
        self.unplug()

    def send(self, data: bytes) -> None:
        """Write raw bytes from the device's end (a frame, noise ...)."""
        with self._lock:
            fd = self._master
            if fd is None:
                raise self._unplugged()
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]

    def __enter__(self) -> SimulatedPort:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _unplugged(self) -> Refused:
        return Refused(f"模拟{self.kind_zh}已拔出", f"the simulated {self.kind} is unplugged")

    # -- hooks ---------------------------------------------------------------------------------

    def _plug(self) -> None:
        import tty  # POSIX only: imported here so that the module loads on Windows

        master, slave = os.openpty()
        tty.setraw(slave)
        with self._lock:
            self._master, self._slave = master, slave
        self.port = os.ttyname(slave)
        self._started(master)
        if self.listens:
            self._stop = threading.Event()
            self._reader = threading.Thread(
                target=self._read,
                args=(master, self._stop),
                name=f"simulated {self.kind}",
                daemon=True,
            )
            self._reader.start()

    def _started(self, master: int) -> None:
        """Called with the new master side after each plug, before listening starts."""

    def _stopping(self) -> None:
        """Called before the pty is closed."""

    def _received(self, data: bytes) -> None:
        """Called on the listening thread with each chunk the application wrote."""

    def _read(self, master: int, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                ready, _, _ = select.select([master], [], [], POLL_S)
                data = os.read(master, 4096) if ready else b""
            except OSError:
                return  # the pty was closed under us
            if data:
                try:
                    self._received(data)
                except Refused:
                    return  # unplugged while answering
                except Exception:
                    log.exception("simulated %s: handling the input failed", self.kind)


class SimulatedCallpad(SimulatedPort):
    """A call-pad receiver: ``press(window, key)`` sends the frame the options describe."""

    kind = "call-pad"
    kind_zh = "呼叫器"

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        CallpadParser(options)  # refuse bad options before making a pty
        super().__init__(options)

    def press(self, window: int, key: str) -> None:
        self.send(encode_press(window, key, self.options))


class SimulatedEvaluator(SimulatedPort):
    """An evaluation pad: ``press(level)`` sends the key of level 5 (非常满意) … 1."""

    kind = "evaluation pad"
    kind_zh = "评价器"

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        EvaluatorPadParser(options)
        super().__init__(options)

    def press(self, level: int) -> None:
        self.send(encode_level(level, self.options))


class SimulatedStrip(SimulatedPort):
    """An LED window strip: records every valid frame written to it, across replugs."""

    kind = "window strip"
    kind_zh = "窗口屏"
    listens = True

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self._decoder = StripDecoder(options)
        self._frames: list[tuple[int, str]] = []
        self._got = threading.Condition()
        super().__init__(options)

    def frames(self) -> list[tuple[int, str]]:
        """The (address, text) frames received so far, oldest first."""
        with self._got:
            return list(self._frames)

    def wait_frames(self, count: int, timeout: float) -> list[tuple[int, str]]:
        """Wait up to ``timeout`` seconds for at least ``count`` frames; the frames so far."""
        with self._got:
            self._got.wait_for(lambda: len(self._frames) >= count, timeout)
            return list(self._frames)

    def _started(self, master: int) -> None:
        self._decoder = StripDecoder(self.options)  # a new cable: no half frame left over

    def _received(self, data: bytes) -> None:
        frames = self._decoder.feed(data)
        if frames:
            with self._got:
                self._frames.extend(frames)
                self._got.notify_all()


class SimulatedIdcard(SimulatedPort):
    """An ID card reader (SAM protocol): answers find, select, read, reset and SAM status as a
    real one does; ``present(card)`` lays a card on it, ``remove()`` takes it off (find then
    answers ``80``). Select needs a find, and read a select, since the card was laid down.
    ``answer_badly("checksum" | "truncated")`` spoils every answer until ``answer_badly(None)``;
    a request with a bad checksum is answered ``10``, an unknown command ``21``."""

    kind = "ID card reader"
    kind_zh = "身份证阅读器"
    listens = True

    def __init__(
        self, options: Mapping[str, Any] | None = None, card: idcard.IdCard | None = None
    ) -> None:
        card = card or sample_card()
        idcard.card_text(card)  # refuse a card that does not fit before making a pty
        self._cards = threading.Lock()  # guards the card, the turn state and the spoiling
        self._card: idcard.IdCard | None = card
        self._found = self._selected = False
        self._spoil: str | None = None
        self._decoder = idcard.FrameDecoder()
        super().__init__(options)

    @property
    def card(self) -> idcard.IdCard | None:
        """The card on the reader, or None."""
        with self._cards:
            return self._card

    def present(self, card: idcard.IdCard | None = None) -> None:
        """Lay ``card`` (the sample card when None) on the reader."""
        card = card or sample_card()
        idcard.card_text(card)
        with self._cards:
            self._card, self._found, self._selected = card, False, False

    def remove(self) -> None:
        """Take the card off the reader."""
        with self._cards:
            self._card, self._found, self._selected = None, False, False

    def answer_badly(self, how: str | None) -> None:
        """``"checksum"``: every answer's checksum is wrong; ``"truncated"``: every answer stops
        halfway; None: good answers again."""
        if how not in (None, "checksum", "truncated"):
            raise Refused(f"未知的故障 {how!r}", f"unknown fault {how!r}")
        with self._cards:
            self._spoil = how

    def _started(self, master: int) -> None:
        self._decoder = idcard.FrameDecoder()

    def _received(self, data: bytes) -> None:
        for payload in self._decoder.feed(data):
            self.send(self._spoiled(self._answer(payload)))
        if self._decoder.errors:
            self._decoder.errors.clear()
            self.send(idcard.encode_response(0x10))  # the reader got a bad checksum

    def _answer(self, payload: bytes) -> bytes:
        respond = idcard.encode_response
        command = (payload[0], payload[1])
        with self._cards:
            card = self._card
            if command in (idcard.RESET, idcard.SAM_STATUS):
                return respond(idcard.SW_OK)
            if command == idcard.SAM_ID:
                return respond(idcard.SW_OK, bytes(16))
            if command == idcard.FIND:
                self._found, self._selected = card is not None, False
                return respond(idcard.SW_FOUND, bytes(4)) if card else respond(idcard.SW_NO_CARD)
            if command == idcard.SELECT:
                self._selected = self._found and card is not None
                if self._selected:
                    return respond(idcard.SW_OK, bytes(8))
                return respond(idcard.SW_SELECT_FAILED)
            if command == idcard.READ_BASE:
                if card is None or not self._selected:
                    return respond(idcard.SW_READ_FAILED)
                text = idcard.card_text(card)
                photo = card.photo.ljust(idcard.PHOTO_SIZE, b"\0")[: idcard.PHOTO_SIZE]
                sizes = len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big")
                return respond(idcard.SW_OK, sizes + text + photo)
        return respond(idcard.SW_BAD_COMMAND)

    def _spoiled(self, frame: bytes) -> bytes:
        with self._cards:
            how = self._spoil
        if how == "checksum":
            return frame[:-1] + bytes([frame[-1] ^ 0xFF])
        return frame[: len(frame) // 2] if how == "truncated" else frame


SAMPLE_ID = "370202200403151238"  # made up; its check character is right (GB 11643)


def sample_card(today: dt.date | None = None) -> idcard.IdCard:
    """The simulated reader's default card: a made-up person of Qingdao 市南区, whose card was
    issued a year before ``today`` (the hall's date) and is valid for ten years."""
    issued = _years_after(today or clock.today(), -1)
    return idcard.IdCard(
        name="林海洋",
        sex="男",
        nation="汉",
        birth=dt.date(2004, 3, 15),
        address="山东省青岛市市南区示例路8号",
        id_number=SAMPLE_ID,
        issuer="青岛市公安局市南分局",
        valid_from=issued,
        valid_to=_years_after(issued, 10),
        photo=bytes(idcard.PHOTO_SIZE),
    )


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def simulate_callpad(options: Mapping[str, Any] | None = None) -> SimulatedCallpad:
    """A simulated call-pad receiver on a new pty (``.port``)."""
    return SimulatedCallpad(options)


def simulate_strip(options: Mapping[str, Any] | None = None) -> SimulatedStrip:
    """A simulated LED window strip on a new pty (``.port``)."""
    return SimulatedStrip(options)


def simulate_evaluator(options: Mapping[str, Any] | None = None) -> SimulatedEvaluator:
    """A simulated evaluation pad on a new pty (``.port``)."""
    return SimulatedEvaluator(options)


def simulate_idcard(
    options: Mapping[str, Any] | None = None, card: idcard.IdCard | None = None
) -> SimulatedIdcard:
    """A simulated ID card reader on a new pty (``.port``) with ``card`` laid on it (the sample
    card when None; ``idcard.card_from_json(FILE)`` for ``--card FILE``)."""
    return SimulatedIdcard(options, card)
