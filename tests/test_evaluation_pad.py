"""好差评 on the pad facing the visitor: the counter invites, the visitor rates, the clerk
cannot; a request is rated once, only while pending, and expires; the pad's screen shows the
window, who serves there and the number, then the five levels (touch), then thanks."""

from __future__ import annotations

import json
import os
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from desk_app.domain import clock
from desk_app.security.authz import Forbidden
from desk_app.security.roles import Actor, Role
from desk_app.services.cases import actions as cases
from desk_app.services.common.errors import Refused
from desk_app.services.evaluation import pad
from desk_app.services.hall import setup as hall
from desk_app.services.queue import operations as queue
from desk_app.store.case_models import Evaluation
from tests.test_cases import NEWBORN_SUBMIT, open_newborn
from tests.tools import add_staff

PAD = Actor(staff_id=None, code="evaluator", role=Role.EVALUATOR, device=True)


@pytest.fixture
def concluded(db):
    """Window 1 staffed by 王芳, a case concluded there: (db, case_no)."""
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall.add_window(db, 1, ["newborn"])
    hall.add_window(db, 2, ["newborn"])
    add_staff(db, "s01", "王芳")
    hall.open_window(db, 1, "s01")
    now = clock.now()
    ref = open_newborn(db, now=now)
    cases.receive(db, ref.case_no, sorted(NEWBORN_SUBMIT), now=now)
    cases.decide(db, ref.case_no, "accept", now=now)
    cases.conclude(db, ref.case_no, now=now)
    return db, ref.case_no


def test_the_visitor_rates_an_invited_case_once(concluded):
    db, case_no = concluded
    device = db.acting_as(PAD)
    assert pad.pad_view(device, 1).request is None  # nobody invited yet
    with pytest.raises(Refused):
        pad.rate(device, 1, 1, 5)
    req = pad.invite(db, case_no, 1)
    assert pad.request_state(db, case_no) == "pending"
    shown = pad.pad_view(device, 1)
    assert shown.request is not None and shown.request.case_no == case_no
    assert shown.staff_code == "s01" and shown.staff_name == "王芳"
    assert pad.pad_view(device, 2).request is None  # another window's pad sees nothing
    with pytest.raises(Refused):
        pad.rate(device, 2, req.id, 5)  # nor can it rate this one
    pad.rate(device, 1, req.id, 2, dimensions={"attitude": 2, "efficiency": 3})
    with db.read() as s:
        ev = s.scalar(select(Evaluation))
    assert ev.level == 2 and ev.channel == "pad" and ev.negative and ev.follow_up_due
    assert json.loads(ev.dimensions) == {"attitude": 2, "efficiency": 3}
    assert pad.request_state(db, case_no) == "rated"
    with pytest.raises(Refused):
        pad.rate(device, 1, req.id, 5)  # once
    with pytest.raises(Refused, match="已评价"):
        pad.invite(db, case_no, 1)


def test_a_request_expires_and_a_new_one_replaces_the_old(concluded):
    db, case_no = concluded
    device = db.acting_as(PAD)
    hall.set_setting(db, "evaluation_timeout_s", "30")
    t0 = clock.now()
    first = pad.invite(db, case_no, 1, now=t0)
    assert first.expires_at == t0 + timedelta(seconds=30)
    later = t0 + timedelta(seconds=31)
    assert pad.pad_view(device, 1, now=later).request is None
    with pytest.raises(Refused, match="超时"):
        pad.rate(device, 1, first.id, 5, now=later)
    second = pad.invite(db, case_no, 1, now=later)
    pad.invite(db, case_no, 1, now=later)  # the clerk pressed again: the second is withdrawn
    with pytest.raises(Refused):
        pad.rate(device, 1, second.id, 5, now=later)


def test_the_clerk_cannot_rate_and_the_pad_can_do_nothing_else(concluded):
    db, case_no = concluded
    counter_actor = Actor(staff_id=1, code="s01", role=Role.COUNTER)
    with pytest.raises(Forbidden):
        cases.evaluate(db.acting_as(counter_actor), case_no, 5)
    with pytest.raises(Forbidden):
        pad.pad_view(db.acting_as(counter_actor), 1)
    device = db.acting_as(PAD)
    with pytest.raises(Forbidden):
        cases.evaluate(device, case_no, 5)
    with pytest.raises(Forbidden):
        pad.invite(device, case_no, 1)
    with pytest.raises(Forbidden):
        queue.call_next(device, 1)


@pytest.mark.gui
def test_the_pad_screen_from_idle_to_thanks(qtbot, concluded):
    from desk_app.ui.evaluator import window as pad_screen

    db, case_no = concluded
    queue.issue_ticket(db, "newborn")
    queue.call_next(db, 1)
    screen = pad_screen.EvaluatorWindow(db.acting_as(PAD), 1, poll_ms=100, screen_size=(1366, 768))
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    qtbot.waitUntil(lambda: "A001" in screen.current_label.text(), timeout=5000)
    assert "1 号窗口" in screen.window_label.text() and "s01" in screen.staff_label.text()
    assert screen.pages.currentIndex() == 0
    if os.environ.get("DESK_APP_SHOTS"):
        screen.grab().save(os.path.join(os.environ["DESK_APP_SHOTS"], "evaluator-idle.png"))
    pad.invite(db, case_no, 1)
    qtbot.waitUntil(lambda: screen.pages.currentIndex() == 1, timeout=5000)
    assert case_no in screen.case_label.text() and not screen.submit_button.isEnabled()
    qtbot.mouseClick(screen.level_buttons[4], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.dim_buttons[("attitude", 5)], Qt.MouseButton.LeftButton)
    if os.environ.get("DESK_APP_SHOTS"):
        screen.grab().save(os.path.join(os.environ["DESK_APP_SHOTS"], "evaluator-rating.png"))
    qtbot.mouseClick(screen.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentIndex() == 2, timeout=5000)
    with db.read() as s:
        ev = s.scalar(select(Evaluation))
    assert ev.level == 4 and json.loads(ev.dimensions) == {"attitude": 5}
    screen.close()
