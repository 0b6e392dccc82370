"""What may be decided on a case, and why not: the one rule the services and the counter share."""

from __future__ import annotations

import pytest

from desk_app.domain.cases import (
    CaseAction,
    CaseState,
    Decision,
    conclusion_refusal,
    decision_options,
    next_state,
)
from desk_app.domain.catalog import load_catalog
from desk_app.domain.checklist import resolve

KEYS = ["application_form", "parents_id_cards", "household_register", "marriage_certificate"]


@pytest.fixture(scope="module")
def newborn():
    return load_catalog().bundle("newborn")


def allowed(options):
    return {d.value for d in Decision if options[d].allowed}


def test_complete_materials_accept_or_reject_only(newborn):
    options = decision_options("open", resolve(newborn, {}), KEYS)
    assert allowed(options) == {"accept", "reject"} and not options.lacking
    assert "直接受理" in options[Decision.DEFER].message_zh


def test_non_key_materials_missing_may_be_deferred_unless_bad_credit(newborn):
    cl = resolve(newborn, {"maternity_claim": "yes"})
    received = [*KEYS, "maternity_invoices"]
    options = decision_options(CaseState.NOTICE, cl, received)
    assert allowed(options) == {"defer", "notice", "reject"}
    assert {e.code for e in options.lacking} == {"discharge_record", "mother_bank_account"}
    assert options.deferral_limit_days and "尚缺必需材料" in options[Decision.ACCEPT].message_zh
    barred = decision_options(CaseState.NOTICE, cl, received, bad_credit=True)
    assert allowed(barred) == {"notice", "reject"} and "失信" in barred["defer"].message_zh


def test_a_key_material_missing_rules_out_deferral(newborn):
    options = decision_options("open", resolve(newborn, {}), ["application_form"])
    assert allowed(options) == {"notice", "reject"}
    assert "关键材料" in options[Decision.DEFER].message_zh


@pytest.mark.parametrize("state", ["accepted", "deferred", "rejected", "concluded", "terminated"])
def test_a_decided_case_takes_no_decision(newborn, state):
    options = decision_options(state, resolve(newborn, {}), KEYS)
    assert not options.decidable and allowed(options) == set()
    assert "不能再作受理决定" in options[Decision.REJECT].message_zh


def test_the_transition_table():
    assert next_state(CaseAction.DEFER, "notice") is CaseState.DEFERRED
    assert next_state(CaseAction.RECEIVE, "deferred") is CaseState.DEFERRED  # stays
    assert next_state(CaseAction.RECEIVE, "accepted") is None
    assert next_state(CaseAction.TERMINATE, "accepted") is None
    assert next_state(CaseAction.CONCLUDE, "deferred") is CaseState.CONCLUDED


def test_conclusion_waits_for_deferred_materials():
    assert conclusion_refusal("accepted", []) is None
    assert conclusion_refusal("deferred", []) is None
    zh, _en = conclusion_refusal("deferred", ["出院记录"])
    assert "出院记录" in zh
    assert conclusion_refusal("notice", []) is not None
