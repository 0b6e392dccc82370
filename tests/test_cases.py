"""一件事 cases: open, receive, decide (accept / defer / notice / reject), conclude, evaluate."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from desk_app.services.cases import actions as cases
from desk_app.services.cases.dto import AgentInfo
from desk_app.services.common.catalog import work_calendar
from desk_app.services.common.errors import NotFound, Refused
from desk_app.services.common.protection import unseal_json
from desk_app.services.hall import setup as hall
from desk_app.services.queue import operations as queue
from desk_app.store.case_models import CaseEvent, Evaluation, SyncOutbox
from tests.ids import credit_code, mistyped, resident_id
from tests.tools import add_staff

# 2026-09-24 10:00 in the hall: the National Day holidays follow.
T = datetime(2026, 9, 24, 2, 0, tzinfo=UTC)
NEWBORN_SUBMIT = {
    "application_form",
    "parents_id_cards",
    "household_register",
    "marriage_certificate",
}
# With a maternity claim, two non-key materials of a deferral-allowing item join the list.
MATERNITY = {"maternity_claim": "yes"}
MATERNITY_KEYS = sorted(NEWBORN_SUBMIT | {"maternity_invoices"})
MATERNITY_DEFERRABLE = ["discharge_record", "mother_bank_account"]


@pytest.fixture
def counter(db):
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall.add_window(db, 1, ["newborn"])
    add_staff(db, "s01", "王芳")
    hall.open_window(db, 1, "s01")
    return db


def open_newborn(db, **kw):
    args = dict(
        applicant_id=resident_id(), phone="138-1234-1234", window=1, now=T, share_consent=True
    )
    args.update(kw)
    return cases.open_case(db, "newborn", "张三丰", **args)


def test_open_from_ticket_lists_the_checklist_masked(counter):
    ticket = queue.issue_ticket(counter, "newborn", now=T)
    ref = open_newborn(counter, ticket_id=ticket.id)
    assert ref.case_no == "YJS-20260924-0001"
    assert open_newborn(counter).case_no == "YJS-20260924-0002"
    # The ticket's number serves as well as its id (as for assist start --ticket).
    by_number = open_newborn(counter, ticket_id=ticket.number)
    from desk_app.store.case_models import Case

    with counter.read() as s:
        linked = s.scalar(select(Case.ticket_id).where(Case.case_no == by_number.case_no))
    assert str(linked) == str(ticket.id)
    with pytest.raises(NotFound, match="Z999"):
        open_newborn(counter, ticket_id="Z999")
    view = cases.show(counter, ref.case_no)
    assert {m.code for m in view.materials if m.status == "missing"} == NEWBORN_SUBMIT
    assert "birth_medical_certificate" in {m.code for m in view.materials if m.status == "obtained"}
    assert view.applicant_name == "张*丰"
    assert view.applicant_id == "370202********" + resident_id()[-4:]
    assert view.applicant_phone == "138****1234"
    assert all(m.reason for m in view.materials if m.status == "missing")
    assert view.window == 1 and view.staff_name == "王芳"


@pytest.mark.parametrize(
    "kw, message",
    [
        ({"applicant_id": mistyped(resident_id())}, "校验"),
        ({"applicant_id": resident_id("37020220990101123")}, "出生日期"),  # born in the future
        ({"phone": "12345"}, "手机"),
        ({"answers": {"nope": "x"}}, "nope"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(counter, kw, message):
    with pytest.raises(Refused, match=message):
        open_newborn(counter, **kw)
    with counter.read() as s:
        assert s.scalar(select(func.count()).select_from(CaseEvent)) == 0


def test_company_bundle_needs_a_credit_code(counter):
    with pytest.raises(Refused, match="统一社会信用代码"):
        cases.open_case(
            counter, "company_change", "青岛某某科技有限公司", applicant_id=resident_id(), now=T
        )
    ref = cases.open_case(
        counter, "company_change", "青岛某某科技有限公司", credit_code=credit_code(), now=T
    )
    assert cases.show(counter, ref.case_no).applicant_kind == "company"
    with pytest.raises(NotFound):
        cases.open_case(counter, "no_such_bundle", "x", applicant_id=resident_id(), now=T)


def test_proxy_needs_a_valid_authorization(counter):
    agent = AgentInfo(
        "李四", resident_id("37020219800505123"), "代为办理新生儿出生一件事", date(2026, 12, 31)
    )
    ref = open_newborn(counter, agent=agent)
    assert cases.show(counter, ref.case_no).agent["name"] == "李*"
    expired = AgentInfo("李四", resident_id("37020219800505123"), "代办", date(2026, 1, 1))
    with pytest.raises(Refused, match="过有效期"):
        open_newborn(counter, agent=expired)


def test_accept_needs_everything_then_deadline_counts_working_days(counter):
    ref = open_newborn(counter)
    with pytest.raises(Refused, match="尚缺必需材料"):
        cases.decide(counter, ref.case_no, "accept", now=T)
    cases.receive(counter, ref.case_no, sorted(NEWBORN_SUBMIT), now=T)
    view = cases.decide(counter, ref.case_no, "accept", now=T)
    assert view.state == "accepted"
    longest = max(i.time_limit_days for i in view.items)
    expected = work_calendar().add_workdays(date(2026, 9, 24), longest).date
    assert view.deadline == expected and view.calendar_source == "official"
    assert all(i.deadline is not None for i in view.items)


def test_defer_with_commitment_deadline_then_conclude(counter):
    ref = open_newborn(counter, answers=MATERNITY)
    cases.receive(counter, ref.case_no, MATERNITY_KEYS, now=T)
    # 5 working days from Thursday 2026-09-24 cross the holidays: 10-09 (10-10 is not reached)
    view = cases.decide(counter, ref.case_no, "defer", now=T)
    assert view.state == "deferred" and view.deferral_due == date(2026, 10, 9)
    assert sorted(m.code for m in view.deferred) == MATERNITY_DEFERRABLE
    with pytest.raises(Refused, match="容缺材料尚未补齐"):
        cases.conclude(counter, ref.case_no, now=T)
    cases.receive(counter, ref.case_no, MATERNITY_DEFERRABLE, form="copy", now=T)
    view = cases.conclude(counter, ref.case_no, evaluation=5, now=T)
    assert view.state == "concluded" and view.evaluation["label"] == "非常满意"
    assert all(i.result == "approved" for i in view.items)


def test_defer_is_refused_for_key_materials_and_bad_credit(counter):
    ref = open_newborn(counter)
    with pytest.raises(Refused, match="关键材料"):
        cases.decide(counter, ref.case_no, "defer", now=T)  # ID cards etc. missing
    ref2 = open_newborn(counter, bad_credit=True, answers=MATERNITY)
    cases.receive(counter, ref2.case_no, MATERNITY_KEYS, now=T)
    with pytest.raises(Refused, match="失信"):
        cases.decide(counter, ref2.case_no, "defer", now=T)


def test_deferral_days_never_beyond_the_items_time_limit(counter):
    ref = open_newborn(counter, answers=MATERNITY)
    cases.receive(counter, ref.case_no, MATERNITY_KEYS, now=T)
    with pytest.raises(Refused, match="补正期限"):
        cases.decide(counter, ref.case_no, "defer", days=400, now=T)


def test_notice_then_come_back_and_accept(counter):
    ref = open_newborn(counter)
    cases.receive(counter, ref.case_no, ["application_form"], now=T)
    view = cases.decide(counter, ref.case_no, "notice", now=T)
    assert view.state == "notice"
    assert {m.code for m in view.missing} == NEWBORN_SUBMIT - {"application_form"}
    cases.receive(counter, ref.case_no, sorted(NEWBORN_SUBMIT - {"application_form"}), now=T)
    assert cases.decide(counter, ref.case_no, "accept", now=T).state == "accepted"


def test_reject_needs_a_reason_and_ends_the_case(counter):
    ref = open_newborn(counter)
    with pytest.raises(Refused, match="理由"):
        cases.decide(counter, ref.case_no, "reject", now=T)
    assert (
        cases.decide(counter, ref.case_no, "reject", reason="不属于本中心受理范围", now=T).state
        == "rejected"
    )
    with pytest.raises(Refused):
        cases.decide(counter, ref.case_no, "accept", now=T)
    with pytest.raises(Refused):
        cases.receive(counter, ref.case_no, ["application_form"], now=T)


def test_unknown_material_refused(counter):
    ref = open_newborn(counter)
    with pytest.raises(Refused, match="不在本办件"):
        cases.receive(counter, ref.case_no, ["passport"], now=T)
    with pytest.raises(Refused, match="不在本办件"):
        cases.receive(counter, ref.case_no, ["birth_medical_certificate"], now=T)  # produced


def test_conclusion_writes_outbox_in_same_transaction_with_full_data(counter):
    ref = open_newborn(counter)
    cases.receive(counter, ref.case_no, sorted(NEWBORN_SUBMIT), now=T)
    cases.decide(counter, ref.case_no, "accept", now=T)
    with counter.read() as s:
        assert s.scalar(select(func.count()).select_from(SyncOutbox)) == 0
    cases.conclude(counter, ref.case_no, now=T)
    with counter.read() as s:
        row = s.scalar(select(SyncOutbox))
        payload = unseal_json(row.payload, "sync_outbox.payload")
    assert row.state == "pending"
    assert resident_id() not in row.payload  # sealed at rest, unsealed only to be sent
    assert payload["uuid"] == ref.id and payload["case_no"] == ref.case_no
    assert payload["payload"]["applicant"]["id_no"] == resident_id()  # full, for the platform
    assert payload["concluded_at"].endswith("+08:00")


def test_negative_evaluation_is_raised_to_the_supervisor(counter):
    ref = open_newborn(counter)
    cases.receive(counter, ref.case_no, sorted(NEWBORN_SUBMIT), now=T)
    cases.decide(counter, ref.case_no, "accept", now=T)
    cases.conclude(counter, ref.case_no, now=T)
    view = cases.evaluate(counter, ref.case_no, 2, comment="等太久", now=T)
    assert view.evaluation["negative"] and view.evaluation["follow_up_due"]
    alerts = cases.negative_evaluations(counter)
    assert [a["case_no"] for a in alerts] == [ref.case_no]
    with pytest.raises(Refused, match="已评价"):
        cases.evaluate(counter, ref.case_no, 5, now=T)
    with counter.read() as s:
        assert s.scalar(select(func.count()).select_from(Evaluation)) == 1


def test_every_change_is_an_event(counter):
    ref = open_newborn(counter)
    cases.receive(counter, ref.case_no, ["application_form"], now=T)
    cases.decide(counter, ref.case_no, "notice", now=T)
    view = cases.show(counter, ref.case_no)
    assert [(e["action"], e["from"], e["to"]) for e in view.events] == [
        ("open", None, "open"),
        ("receive", "open", "open"),
        ("notice", "open", "notice"),
    ]


def test_supervisor_sees_negative_ratings_on_the_command_line(counter, capsys):
    from desk_app.cli import main

    ref = open_newborn(counter)
    cases.receive(counter, ref.case_no, sorted(NEWBORN_SUBMIT), now=T)
    cases.decide(counter, ref.case_no, "accept", now=T)
    cases.conclude(counter, ref.case_no, evaluation=1, now=T)
    assert main(["--db", counter.url, "case", "alerts", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["negative"]
    assert [(r["case_no"], r["level"]) for r in rows] == [(ref.case_no, 1)]
    assert rows[0]["follow_up_due"]


def test_deferred_case_not_completed_in_time_is_terminated(counter):
    ref = open_newborn(counter, answers=MATERNITY)
    cases.receive(counter, ref.case_no, MATERNITY_KEYS, now=T)
    with pytest.raises(Refused, match="容缺"):
        cases.terminate(counter, ref.case_no, "逾期未补齐", now=T)  # not deferred yet
    cases.decide(counter, ref.case_no, "defer", now=T)
    with pytest.raises(Refused, match="理由"):
        cases.terminate(counter, ref.case_no, "  ", now=T)
    view = cases.terminate(counter, ref.case_no, "逾期未补齐容缺材料", now=T)
    assert view.state == "terminated" and view.decision_reason == "逾期未补齐容缺材料"
    assert view.events[-1]["action"] == "terminate"
    with pytest.raises(Refused):
        cases.conclude(counter, ref.case_no, now=T)
    with pytest.raises(Refused):
        cases.receive(counter, ref.case_no, MATERNITY_DEFERRABLE, now=T)


def test_a_refused_decision_writes_nothing_not_even_the_ticked_materials(counter):
    ref = open_newborn(counter)
    ticked = {"application_form": "original", "parents_id_cards": "copy"}
    with pytest.raises(Refused, match="尚缺必需材料"):
        cases.decide(counter, ref.case_no, "accept", received=ticked, now=T)
    view = cases.show(counter, ref.case_no)
    assert {m.code for m in view.missing} == NEWBORN_SUBMIT
    assert [e["action"] for e in view.events] == ["open"]


def test_decision_with_the_ticked_materials_is_one_step(counter):
    ref = open_newborn(counter)
    ticked = dict.fromkeys(sorted(NEWBORN_SUBMIT), "original") | {"parents_id_cards": "copy"}
    view = cases.decide(counter, ref.case_no, "accept", received=ticked, now=T)
    assert view.state == "accepted" and not view.missing
    assert {m.code: m.status for m in view.materials}["parents_id_cards"] == "copy"
    # The receipt says what was handed in: the copy as a copy, the originals as originals.
    forms = {m.code: m.form for m in view.materials}
    assert forms["parents_id_cards"].startswith("复印件") and forms["application_form"] == "原件1份"
    assert [(e["action"], e["to"]) for e in view.events] == [
        ("open", "open"),
        ("receive", "open"),  # originals
        ("receive", "open"),  # copies
        ("accept", "accepted"),
    ]
    assert view == cases.show(counter, ref.case_no)  # the same view a later read gives


def test_conclusion_takes_the_deferred_materials_brought_now(counter):
    ref = open_newborn(counter, answers=MATERNITY)
    cases.receive(counter, ref.case_no, MATERNITY_KEYS, now=T)
    cases.decide(counter, ref.case_no, "defer", now=T)
    late = dict.fromkeys(MATERNITY_DEFERRABLE[:1], "copy")
    with pytest.raises(Refused, match="容缺材料尚未补齐"):
        cases.conclude(counter, ref.case_no, received=late, now=T)
    assert len(cases.show(counter, ref.case_no).deferred) == 2  # nothing kept
    view = cases.conclude(
        counter, ref.case_no, received=dict.fromkeys(MATERNITY_DEFERRABLE, "copy"), now=T
    )
    assert view.state == "concluded"
    assert [e["action"] for e in view.events][-3:] == ["receive", "deferral_met", "conclude"]
    with counter.read() as s:
        payload = unseal_json(s.scalar(select(SyncOutbox.payload)), "sync_outbox.payload")
    assert payload["payload"]["materials"]["discharge_record"] == "copy"
