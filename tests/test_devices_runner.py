"""The device runner of a PC, on simulated devices (ptys): a call-pad key acts at its window
as the person logged in there, with the counter's refusals; a press for an empty window is
refused; the window's LED strip follows; a serial evaluation pad rates the pending request;
an unplugged receiver is a fault on the supervisor's alerts until it is plugged back."""

from __future__ import annotations

import time

import pytest

from desk_app.security.roles import Actor, Role
from desk_app.services.devices import registry
from desk_app.services.devices.runner import DeviceRunner
from desk_app.services.devices.simulate import simulate_callpad, simulate_evaluator, simulate_strip
from desk_app.services.hall import setup as hall
from desk_app.services.queue import operations as queue
from desk_app.services.supervision import alerts

DISPLAY = Actor(staff_id=None, code="display", role=Role.DISPLAY, device=True)


def _until(check, timeout: float = 5.0):  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        got = check()
        if got:
            return got
        time.sleep(0.02)
    raise AssertionError("not in time")


@pytest.fixture
def staffed(small_hall):
    """small_hall: window 1 (s01) and 2 (s02) open, window 3 closed; two newborn tickets."""
    queue.issue_ticket(small_hall, "newborn")
    queue.issue_ticket(small_hall, "newborn")
    return small_hall


def test_call_pad_keys_act_as_the_person_at_the_window_and_the_strip_follows(staffed):
    db = staffed
    pad, strip = simulate_callpad(), simulate_strip()
    try:
        registry.add_device(db, "pads", "callpad", pad.port)
        registry.add_device(db, "strip-1", "strip", strip.port, window=1)
        pressed = []
        runner = DeviceRunner(db.acting_as(DISPLAY), poll_s=0.05, on_press=pressed.append)
        runner.start()
        try:
            _until(lambda: all(d.state == "ok" for d in registry.list_devices(db)))
            assert strip.wait_frames(1, 5) and strip.frames()[-1] == (0, "欢迎")
            pad.press(1, "1")  # call next at window 1: s01 calls A001
            _until(lambda: pressed)
            assert (
                pressed[0].ok and pressed[0].action == "call_next" and pressed[0].detail == "A001"
            )
            _until(lambda: strip.frames()[-1] == (0, "A001"))
            pad.press(3, "1")  # window 3: nobody logged in -> refused, nothing called
            _until(lambda: len(pressed) == 2)
            assert not pressed[1].ok and "window 3" in pressed[1].detail
            pad.press(1, "2")  # recall
            _until(lambda: len(pressed) == 3)
            assert pressed[2].ok and pressed[2].action == "recall"
            pad.press(1, "4")  # pause: the strip says so, whatever the window was doing
            _until(lambda: strip.frames()[-1] == (0, "暂停服务"))
            assert {w.number: w.state for w in hall.list_windows(db)}[1] == "paused"
            pad.press(1, "4")  # the same key resumes
            _until(lambda: strip.frames()[-1] == (0, "A001"))
            pad.press(1, "3")  # no-show: the window is free
            _until(lambda: strip.frames()[-1] == (0, "欢迎"))
            assert [(p.action, p.ok) for p in pressed[3:]] == [
                ("pause", True),
                ("pause", True),
                ("no_show", True),
            ]
        finally:
            runner.close()
    finally:
        pad.close()
        strip.close()


def test_an_unplugged_receiver_is_a_fault_until_it_is_back(staffed):
    db = staffed
    pad = simulate_callpad()
    try:
        registry.add_device(db, "pads", "callpad", pad.port)
        runner = DeviceRunner(db.acting_as(DISPLAY), retry_s=0.1).start()
        try:
            _until(lambda: registry.list_devices(db)[0].state == "ok")
            pad.unplug()
            _until(lambda: registry.list_devices(db)[0].state == "fault")
            assert [a.subject for a in alerts.list_alerts(db) if a.kind == "device"] == ["pads"]
        finally:
            runner.close()
    finally:
        pad.close()


def test_a_serial_evaluation_pad_rates_the_pending_request(staffed):
    from sqlalchemy import select

    from desk_app.services.cases import actions as cases
    from desk_app.services.evaluation import pad as pad_service
    from desk_app.store.case_models import Evaluation
    from tests.test_cases import NEWBORN_SUBMIT, open_newborn

    db = staffed
    ref = open_newborn(db)
    cases.receive(db, ref.case_no, sorted(NEWBORN_SUBMIT))
    cases.decide(db, ref.case_no, "accept")
    cases.conclude(db, ref.case_no)
    device = simulate_evaluator()
    try:
        registry.add_device(db, "pad-1", "evaluator", device.port, window=1)
        runner = DeviceRunner(db.acting_as(DISPLAY)).start()
        try:
            _until(lambda: registry.list_devices(db)[0].state == "ok")
            device.press(5)  # nothing pending: ignored
            time.sleep(0.2)
            pad_service.invite(db, ref.case_no, 1)
            device.press(4)
            level = _until(lambda: _level(db, Evaluation, select))
            assert level == 4
        finally:
            runner.close()
    finally:
        device.close()


def _level(db, evaluation, select):  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalar(select(evaluation.level))
