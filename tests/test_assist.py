"""帮办代办: sessions, the authorization rule of 代办, the timeline, linked cases, pain points and
their figures, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from desk_app.domain import assist as rules
from desk_app.domain.assist import AssistAction, SessionState
from desk_app.security.roles import Actor, Role
from desk_app.services.assist import pain_points
from desk_app.services.assist import sessions as assist
from desk_app.services.assist import stats as assist_stats
from desk_app.services.cases import actions as cases
from desk_app.services.common.errors import Refused
from desk_app.services.hall import setup as hall
from desk_app.services.queue import operations as queue
from desk_app.store.assist_models import AssistAuthorization, AssistEvent, AssistSession
from desk_app.store.models import Staff
from tests.ids import mistyped, resident_id
from tests.tools import ADMIN, add_staff

T0 = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # 10:00 in the hall
VISITOR = resident_id("37020219500101123")
PRINCIPAL = resident_id("37020219800505123")


@pytest.fixture
def helper_db(db):
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall.add_window(db, 1, ["newborn"])
    add_staff(db, "h01", "陈晓", "helper")
    with db.read() as s:
        staff_id = s.scalar(select(Staff.id).where(Staff.code == "h01"))
    return db.acting_as(Actor(staff_id, "h01", Role.HELPER))


def _proxy(db, now=T0):
    return assist.start_session(db, "proxy", "张三丰", VISITOR, bundle_code="newborn", now=now)


def test_transition_table_matches_the_states():
    assert rules.next_state(AssistAction.SUSPEND, "active") is SessionState.SUSPENDED
    assert rules.next_state(AssistAction.RESUME, "suspended") is SessionState.ACTIVE
    assert rules.next_state(AssistAction.CONCLUDE, "suspended") is None
    assert rules.next_state(AssistAction.STEP, "concluded") is None
    assert rules.next_state(AssistAction.TERMINATE, "suspended") is SessionState.TERMINATED
    assert rules.pain_next_state("resolve", "open") is None
    assert rules.pain_next_state("explain", "open") is rules.PainState.EXPLAINED


def test_proxy_acts_only_within_its_authorization(helper_db):
    db = helper_db
    view = _proxy(db)
    assert view.state == "active" and view.visitor_name == "张*丰"
    assert view.visitor_id == VISITOR[:6] + "********" + VISITOR[-4:]
    with pytest.raises(Refused, match="授权委托书"):
        assist.add_step(db, view.id, "递交", window=1, item="hukou_birth_registration", now=T0)
    assist.authorize(
        db, view.id, "李四", PRINCIPAL, ["hukou_birth_registration"], date(2026, 12, 5), now=T0
    )
    shown = assist.add_step(
        db,
        view.id,
        "递交材料",
        window=1,
        item="hukou_birth_registration",
        materials=["户口簿", "出生医学证明"],
        outcome="已受理",
        minutes=12,
        now=T0 + timedelta(minutes=20),
    )
    assert [s.minutes for s in shown.steps] == [12] and shown.steps[0].trip
    assert shown.authorization.principal_name == "李*"
    with pytest.raises(Refused, match="未包含事项") as refused:
        assist.add_step(db, view.id, "社保卡", window=1, item="social_security_card", now=T0)
    # The item by its name, never its code.
    assert "社会保障卡申领" in refused.value.zh and "social_security_card" not in str(refused.value)
    late = T0 + timedelta(days=6)
    with pytest.raises(Refused, match="过期"):
        assist.add_step(db, view.id, "户口", window=1, item="hukou_birth_registration", now=late)
    # A case of the bundle covers items the letter does not name: refused, nothing written.
    with pytest.raises(Refused, match="未包含事项"):
        cases.open_case(
            db, "newborn", "张三丰", applicant_id=VISITOR, assist_session=view.id, now=T0
        )
    with db.read() as s:
        from desk_app.store.case_models import Case

        assert s.scalar(select(Case.id)) is None


def test_personal_data_is_sealed_and_ids_are_checked(helper_db):
    db = helper_db
    with pytest.raises(Refused, match="校验位"):
        assist.start_session(db, "accompany", "张三丰", mistyped(VISITOR))
    view = _proxy(db)
    assist.authorize(db, view.id, "李四", PRINCIPAL, ["vaccination"], date(2026, 12, 5), now=T0)
    with db.read() as s:
        row = s.get(AssistSession, view.id)
        letter = s.scalar(select(AssistAuthorization))
        assert "张三丰" not in row.visitor_name and VISITOR not in row.visitor_id_no
        assert PRINCIPAL not in letter.principal_id_no and "李四" not in letter.principal_name


def test_a_case_opened_in_a_session_records_the_helper(helper_db):
    db = helper_db
    view = assist.start_session(db, "accompany", "张三丰", VISITOR, bundle_code="newborn")
    case = cases.open_case(db, "newborn", "张三丰", applicant_id=VISITOR, assist_session=view.id)
    shown = assist.show(db, view.id)
    assert [c["case_no"] for c in shown.cases] == [case.case_no]
    assert case.staff_name == "陈晓"
    assert "link_case" in [e["action"] for e in shown.events]


def test_states_reasons_and_events(helper_db):
    db = helper_db
    t = queue.issue_ticket(db, "newborn")
    view = assist.start_session(db, "accompany", "王五", VISITOR, ticket=t.number)
    assert view.ticket == t.number and view.tickets == (t.number,)
    with pytest.raises(Refused, match="原因"):
        assist.suspend(db, view.id, None)
    assist.suspend(db, view.id, "等待补发证明")
    with pytest.raises(Refused, match="已中止"):
        assist.add_step(db, view.id, "x", department="市医保局")
    with pytest.raises(Refused):
        assist.conclude(db, view.id)
    assist.resume(db, view.id)
    done = assist.conclude(db, view.id)
    assert done.state == "concluded" and done.ended_at is not None and done.end_reason is None
    with pytest.raises(Refused):
        assist.terminate(db, view.id, "不再办理")
    with db.read() as s:
        actions = list(s.scalars(select(AssistEvent.action).order_by(AssistEvent.id)))
    assert actions == ["start", "suspend", "resume", "conclude"]
    assert [r.id for r in assist.list_sessions(db)] == [view.id]


def test_pain_points_flow_and_overdue_first(helper_db):
    db = helper_db
    a = pain_points.add_pain(
        db, "materials", "newborn", "要求重复提交户口簿", now=T0 - timedelta(days=40)
    )
    b = pain_points.add_pain(db, "system", "newborn", "医保系统未联通", owner="市医保局")
    assert a.state == "open" and a.due > date(2026, 10, 21)
    with pytest.raises(Refused):
        pain_points.resolve(db.acting_as(Actor(None, "sup01", Role.SUPERVISOR)), b.id, "已联通")
    with pytest.raises(Refused, match="无权"):
        pain_points.assign(db, b.id, "市医保局")  # a helper finds, a supervisor assigns
    sup = db.acting_as(Actor(None, "sup01", Role.SUPERVISOR))
    pain_points.assign(sup, b.id, "市医保局")
    pain_points.resolve(sup, b.id, "已联通")
    listed = pain_points.list_pains(db)
    assert [p.id for p in listed] == [a.id, b.id] and listed[0].overdue
    assert pain_points.explain(db, a.id, "按规定须核验原件").state == "explained"
    with pytest.raises(Refused):
        pain_points.add_pain(db, "weather", "newborn", "x")


def test_statistics_and_walkthrough_figures(helper_db):
    db = helper_db
    w = assist.start_session(db, "walkthrough", "张三丰", VISITOR, bundle_code="newborn", now=T0)
    for n, where in enumerate(("市卫生健康委", "市公安局", "市医保局")):
        assist.add_step(
            db,
            w.id,
            "办理",
            department=where,
            minutes=10,
            materials=[f"材料{n}", "户口簿"],
            trip=n > 0,
            now=T0 + timedelta(minutes=10 * (n + 1)),
        )
    assist.change_state(db, w.id, "conclude", now=T0 + timedelta(hours=1))
    assist.start_session(db, "accompany", "王五", VISITOR, channel="home", now=T0)
    figures = assist_stats.assist_statistics(db, date(2026, 11, 1), date(2026, 11, 30))
    assert figures["sessions"] == 2
    assert {r["key"]: r["sessions"] for r in figures["by_mode"]} == {
        "walkthrough": 1,
        "accompany": 1,
    }
    assert {r["key"] for r in figures["by_channel"]} == {"site", "home"}
    assert figures["time"]["step_minutes_mean"] == 15  # (30 + 0) / 2
    [row] = assist_stats.walkthrough_figures(db, end=date(2026, 11, 30))
    assert row["code"] == "newborn" and row["claimed"]["steps"] == 1
    assert row["measured"] == {"trips": 3, "steps": 3, "minutes": 30, "days": 0, "materials": 4}
    assert "steps" in row["worse"] and "materials" not in row["worse"]  # 4 claimed, 4 measured


def test_retention_masks_idle_sessions_and_their_letters(helper_db):
    from desk_app.sync.retention import purge_personal_data

    db = helper_db
    old = _proxy(db, now=T0 - timedelta(days=60))
    assist.authorize(
        db,
        old.id,
        "李四",
        PRINCIPAL,
        ["vaccination"],
        date(2026, 10, 30),
        now=T0 - timedelta(days=60),
    )
    assist.conclude(db, old.id)  # concluded today: its period starts now
    idle = _proxy(db, now=T0 - timedelta(days=50))
    assist.authorize(
        db,
        idle.id,
        "李四",
        PRINCIPAL,
        ["vaccination"],
        date(2026, 10, 30),
        now=T0 - timedelta(days=50),
    )
    purge_personal_data(db.acting_as(ADMIN), 30, now=T0)
    kept, masked = assist.show(db, old.id), assist.show(db, idle.id)
    with db.read() as s:
        row = s.get(AssistSession, idle.id)
        letter = s.scalar(
            select(AssistAuthorization).where(AssistAuthorization.session_id == idle.id)
        )
    assert (
        row.visitor_id_no == VISITOR[:6] + "********" + VISITOR[-4:] and row.visitor_lookup is None
    )
    assert letter.principal_name == "李*" and masked.visitor_name == "张*丰"
    with db.read() as s:
        assert "*" not in s.get(AssistSession, old.id).visitor_id_no  # still sealed
    assert kept.visitor_name == "张*丰"


def test_reveal_is_for_a_supervisor_with_a_reason_and_audited(helper_db):
    from desk_app.services.common import audit

    db = helper_db
    view = _proxy(db)
    with pytest.raises(Refused, match="无权"):
        assist.reveal(db, view.id, "核对身份")  # a helper
    sup = db.acting_as(Actor(None, "sup01", Role.SUPERVISOR))
    with pytest.raises(Refused, match="理由"):
        assist.reveal(sup, view.id, " ")
    shown = assist.reveal(sup, view.id, "群众投诉核查")
    assert shown.visitor_name == "张三丰" and shown.visitor_id == VISITOR and shown.revealed
    [entry] = [e for e in audit.entries(db.acting_as(ADMIN)) if e.action == "assist.reveal"]
    assert entry.detail["reason"] == "群众投诉核查" and VISITOR not in json.dumps(entry.detail)


def test_key_rotation_moves_the_sessions_and_letters_too(helper_db, tmp_path, monkeypatch):
    from desk_app.security.keys import create_key_file
    from desk_app.services.accounts import key_rotation
    from desk_app.services.common import protection

    path = tmp_path / "keys" / "hall.key"
    create_key_file(path)
    monkeypatch.delenv("DESK_APP_KEY", raising=False)
    monkeypatch.setenv("DESK_APP_KEY_FILE", str(path))
    protection.reset()
    try:
        db = helper_db
        view = _proxy(db)
        assist.authorize(db, view.id, "李四", PRINCIPAL, ["vaccination"], date(2099, 1, 1))
        with db.read() as s:
            before = s.get(AssistSession, view.id).visitor_id_no
        assert protection.cipher().key_id_of(before) == "k1"
        key_rotation.rotate_key(db.acting_as(ADMIN))
        protection.reset()
        with db.read() as s:
            after = s.get(AssistSession, view.id).visitor_id_no
            letter = s.scalar(select(AssistAuthorization))
        assert protection.cipher().key_id_of(after) == "k2"
        assert protection.cipher().key_id_of(letter.principal_id_no) == "k2"
        sup = db.acting_as(Actor(None, "sup01", Role.SUPERVISOR))
        shown = assist.reveal(sup, view.id, "核对")
        assert shown.visitor_id == VISITOR and shown.authorization.principal_id == PRINCIPAL
    finally:
        protection.reset()
