"""The device runner a screen starts on its PC: every call-pad receiver, LED window strip and
serial evaluation pad registered for this PC (registry.devices_here), each on its own
SerialLink, which reopens a port that was unplugged; every change of state is recorded
(registry.report_state), so a fault shows on the supervisor's alerts.

- A **call-pad** press acts at its window as the staff member logged in there, through the
  same services and with the same refusals as the counter's F-keys (call next, recall,
  no-show, pause/resume, invite the rating); a press for a window nobody is logged in at is
  refused and logged. The key map is the device's ``keys`` option.
- A **strip** shows its window's number or state (queue status, read every ``poll_s``),
  written only when the text changes or the strip was plugged back.
- A **serial evaluation pad** rates the pending request at its window, like the screen pad.

No Qt: threads, so the screen's event loop never waits on a serial port.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from desk_app.domain.devices import DeviceKind, DeviceState
from desk_app.domain.windows import WindowState
from desk_app.security.device_tokens import window_actor
from desk_app.security.roles import Actor, Role
from desk_app.services.common.errors import Refused
from desk_app.services.common.lookups import person_at_window
from desk_app.services.devices import registry
from desk_app.services.devices.callpad import CallpadParser, KeyPress, action_of, keymap_of
from desk_app.services.devices.evaluator_pad import EvaluatorPadParser
from desk_app.services.devices.serial_link import DeviceFault, SerialLink
from desk_app.services.devices.strip import StripWriter
from desk_app.store import Database

log = logging.getLogger("desk_app.devices")
LOOK_S = 0.1  # how often the strips' change check runs (a PRAGMA or a snapshot look: cheap)
EVALUATOR = Actor(staff_id=None, code="evaluator", role=Role.EVALUATOR, device=True)


@dataclass
class Outcome:
    """What a call-pad press did (for the log and the tests)."""

    window: int
    key: str
    action: str | None
    ok: bool
    detail: str


@dataclass
class _Running:
    device: registry.DeviceView
    link: SerialLink
    extra: dict[str, Any] = field(default_factory=dict)


class DeviceRunner:
    """This PC's serial devices, started together and closed together."""

    def __init__(
        self,
        db: Database,
        *,
        poll_s: float = 5.0,
        retry_s: float = 2.0,
        on_press: Callable[[Outcome], None] | None = None,
    ) -> None:
        self.db = db  # any handle that may report device states (a screen's own)
        self.poll_s = poll_s
        self.retry_s = retry_s
        self.on_press = on_press
        self.running: list[_Running] = []
        self._stop = threading.Event()
        self._poller: threading.Thread | None = None

    def start(self) -> DeviceRunner:
        kinds = (DeviceKind.CALLPAD, DeviceKind.STRIP, DeviceKind.EVALUATOR)
        for device in registry.devices_here(self.db, *kinds):
            try:
                self._start_one(device)
            except (Refused, DeviceFault, ValueError) as exc:  # bad options: a fault to show
                self._report(device.name, DeviceState.FAULT, str(exc))
        if any(r.device.kind == DeviceKind.STRIP for r in self.running):
            self._poller = threading.Thread(target=self._poll, name="strips", daemon=True)
            self._poller.start()
        return self

    def close(self) -> None:
        self._stop.set()
        for r in self.running:
            r.link.close()
        if self._poller is not None:
            self._poller.join(timeout=5)

    # -- one device --------------------------------------------------------------------------

    def _start_one(self, device: registry.DeviceView) -> None:
        kind = DeviceKind(device.kind)
        on_data: Callable[[bytes], None]
        if kind is DeviceKind.CALLPAD:
            parser = CallpadParser(device.options)
            keymap = keymap_of(device.options)

            def on_data(data: bytes) -> None:
                for press in parser.feed(data):
                    self.press(press, keymap)

        elif kind is DeviceKind.EVALUATOR:
            pad_parser = EvaluatorPadParser(device.options)
            window = device.window

            def on_data(data: bytes) -> None:
                for level in pad_parser.feed(data):
                    self._rate(window, level)

        else:

            def on_data(data: bytes) -> None:
                return None  # a strip only listens

        link = SerialLink(
            device.target,
            device.options,
            on_data=on_data,
            on_state=partial(self._link_state, device.name),
            retry_s=self.retry_s,
        )
        running = _Running(device, link)
        if kind is DeviceKind.STRIP:
            running.extra["writer"] = StripWriter(link, device.options)
        self.running.append(running)
        link.start()

    def _link_state(self, name: str, state: str, detail: str) -> None:
        if state in ("ok", "fault"):
            self._report(name, DeviceState(state), detail)

    def _report(self, name: str, state: DeviceState, detail: str) -> None:
        try:
            registry.report_state(self.db, name, state, detail)
        except Exception as exc:  # noqa: BLE001 - the database away: the device still runs
            log.warning("device %s: state %s not recorded: %s", name, state.value, exc)
        if state is DeviceState.FAULT:
            log.warning("device %s: %s", name, detail)

    # -- call-pad ----------------------------------------------------------------------------

    def press(self, press: KeyPress, keymap: dict[str, str]) -> Outcome:
        """Do what ``press`` asks at its window, as the person logged in there."""
        action = action_of(press, keymap)
        outcome = Outcome(press.window, press.key, action, False, "")
        try:
            if action is None:
                raise Refused(f"未配置的按键 {press.key}", f"key {press.key} does no action")
            staff = self._staff_at(press.window)
            if staff is None:
                raise Refused(
                    f"{press.window} 号窗口无人登录, 呼叫器按键不执行",
                    f"nobody is logged in at window {press.window}: the press is ignored",
                )
            outcome.detail = self._act(self.db.acting_as(staff), press.window, action)
            outcome.ok = True
        except Refused as exc:
            outcome.detail = str(exc)
            log.info("call-pad window %s key %s: %s", press.window, press.key, exc)
        if self.on_press is not None:
            self.on_press(outcome)
        return outcome

    def _staff_at(self, window: int) -> Actor | None:
        with self.db.read() as s:
            person = person_at_window(s, window)
        return None if person is None else window_actor(*person)

    def _act(self, db: Database, window: int, action: str) -> str:
        from desk_app.services.evaluation import pad
        from desk_app.services.hall import setup as hall
        from desk_app.services.queue import operations as queue

        if action == "call_next":
            called = queue.call_next(db, window)
            return called.number if called else "nobody waiting"
        if action == "recall":
            return queue.recall(db, window).number
        if action == "no_show":
            return queue.no_show(db, window).number
        if action == "pause":  # the pad's one key toggles, as its label says (暂停/恢复)
            states = {w.number: w.state for w in hall.list_windows(db)}
            if states.get(window) == WindowState.PAUSED:
                return hall.resume_window(db, window).state
            return hall.pause_window(db, window).state
        if action == "evaluate":
            return pad.invite_last(db, window).case_no
        raise Refused(f"未知的动作 {action}", f"unknown action {action}")

    # -- evaluation pad ----------------------------------------------------------------------

    def _rate(self, window: int | None, level: int) -> None:
        from desk_app.services.evaluation import pad

        if window is None:
            return
        device_db = self.db.acting_as(EVALUATOR)
        try:
            view = pad.pad_view(device_db, window)
            if view.request is None:
                raise Refused("没有待评价的办件", "nothing is waiting for a rating")
            pad.rate(device_db, window, view.request.id, level)
        except Refused as exc:
            log.info("evaluation pad at window %s: %s", window, exc)

    # -- strips ------------------------------------------------------------------------------

    def _poll(self) -> None:
        """Keep the strips current: a cheap change check every ``LOOK_S`` (the database's
        data version / the server's snapshot, as the call display does) and the queue status
        read when something changed, or every ``poll_s`` at the latest."""
        from desk_app.services.queue import views as queue_views

        strips = [r for r in self.running if r.device.kind == DeviceKind.STRIP]
        watch = None
        try:
            watch = self.db.change_watch()
        except Exception as exc:  # noqa: BLE001 - without the watch: every poll_s
            log.info("strips: no change watch (%s)", exc)
        last = 0.0
        while not self._stop.wait(min(LOOK_S, self.poll_s)):
            now = time.monotonic()
            try:
                changed = watch is None or watch.changed()
            except Exception:  # noqa: BLE001 - the database away for a moment
                changed = True
            if not changed and now - last < self.poll_s:
                continue
            last = now
            try:
                status = queue_views.queue_status(self.db)
            except Exception as exc:  # noqa: BLE001 - try again at the next look
                log.info("strips: queue status unavailable: %s", exc)
                continue
            windows = {w.number: w for w in status.windows}
            for r in strips:
                self.show_strip(r, windows.get(r.device.window or 0))

    def show_strip(self, r: _Running, w: Any) -> None:
        writer: StripWriter = r.extra["writer"]
        state = WindowState.CLOSED if w is None else w.state
        current = None if w is None else w.current
        if current and state != WindowState.PAUSED:  # paused: 暂停服务 even with a ticket
            state = w.current_state or state
        # A fault: the link reports it and reopens; the text is written again once it is back.
        with contextlib.suppress(DeviceFault):
            writer.show(current, state)
