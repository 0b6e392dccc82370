"""Facts of the catalog and the knowledge base checked against their sources, each with the
source it rests on (the statute or regulation, the seed article)."""

from __future__ import annotations

import pytest

from desk_app.domain.catalog import load_catalog
from desk_app.domain.checklist import resolve
from desk_app.domain.kb import load_kb

CATALOG = load_catalog()
KB = load_kb(CATALOG)


def _items(code: str, **answers: str) -> set[str]:
    return {i.code for i in resolve(CATALOG.bundle(code), answers).items}


@pytest.mark.parametrize("retiree", ["yes", "no"])
def test_after_death_grants_both_to_any_insured_person(retiree):
    # 社会保险法 §17: 参加基本养老保险的个人因病或者非因工死亡的,遗属可以领取丧葬补助金和抚恤金;
    # §14: 个人死亡的,个人账户余额可以继承. Neither depends on having retired.
    items = _items("after_death", retiree=retiree, pension_insured="yes")
    assert {"funeral_subsidy", "pension_account_refund"} <= items
    # Only the pension's stop depends on having retired.
    assert ("pension_stop" in items) == (retiree == "yes")
    bundle = CATALOG.bundle("after_death")
    assert "第十七条" in bundle.item("funeral_subsidy").cite
    assert "第十四条" in bundle.item("pension_account_refund").cite


def test_after_death_not_insured_gets_neither():
    items = _items("after_death", pension_insured="no", retiree="no")
    assert not {"funeral_subsidy", "pension_account_refund"} & items


def test_after_death_answers_follow_the_statute():
    for entry in KB.for_bundle("after_death"):
        assert "或养老保险个人账户继承" not in entry.answer, entry.id
        assert "只有退休" not in entry.answer, entry.id
    hand = [e for e in KB.for_bundle("after_death") if "丧葬补助金" in e.question + e.answer]
    assert any("不论在职还是已退休" in e.answer for e in hand)


@pytest.mark.parametrize(
    ("cls", "in_province", "cross"), [("class1", 2, 5), ("class2", 5, 10), ("class3", 15, 20)]
)
def test_oversize_transport_limits_depend_on_the_route(cls, in_province, cross):
    # 交通运输部令2016年第62号 第十五条: 本辖区内 2/5/15, 跨省 5/10/20 个工作日.
    bundle = CATALOG.bundle("oversize_transport")
    for scope, days in (("in_province", in_province), ("cross_province", cross)):
        cl = resolve(bundle, {"transport_class": cls, "scope": scope})
        permits = [i for i in cl.items if i.code.startswith("permit_")]
        assert [p.time_limit_days for p in permits] == [days], (cls, scope)
        assert "第62号" in permits[0].cite and permits[0].verified is not None


def test_retirement_answers_do_not_turn_days_into_working_days():
    # The seed: "办理时限由20天缩短至10天": days, not working days.
    for entry in KB.for_bundle("retirement"):
        assert "10个工作日内办结" not in entry.answer, entry.id


def test_housing_fund_loan_says_its_chain_is_incomplete():
    bundle = CATALOG.bundle("housing_fund_loan")
    assert "12项" in bundle.notes and bundle.verified is None
    assert len(bundle.items) < 12


def test_second_batch_members_rest_on_the_seed():
    for code in ("company_relocation", "oversize_transport"):
        bundle = CATALOG.bundle(code)
        assert bundle.batch == "national-2024-2"
        assert "seed" in bundle.cite and bundle.verified is not None
