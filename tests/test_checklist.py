"""The checklist resolver: every answer of every bundle changes exactly what the data declares.

Expectations come from an independent reading of the raw JSON files (``_oracle`` below: a
second, deliberately naive evaluation of the documented rules), never from the resolver itself.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from desk_app.domain.catalog import Source, default_catalog_dir, load_catalog
from desk_app.domain.checklist import (
    AnswerError,
    DeferralBlock,
    InvalidChoiceError,
    UnknownQuestionError,
    deferrable,
    deferral_blockers,
    deferral_limit_days,
    missing,
    resolve,
)

CATALOG = load_catalog()
RAW = {
    b.code: json.loads((default_catalog_dir() / "bundles" / f"{b.code}.json").read_text("utf-8"))
    for b in CATALOG.bundles
}


# -- the oracle: the documented rules, applied to the raw JSON ------------------------------------


def _holds(cond: dict[str, Any] | None, answers: dict[str, str]) -> bool:
    if cond is None:
        return True
    if "all" in cond:
        return all(_holds(c, answers) for c in cond["all"])
    if "any" in cond:
        return any(_holds(c, answers) for c in cond["any"])
    if "not" in cond:
        return not _holds(cond["not"], answers)
    value = answers[cond["q"]]
    if "eq" in cond:
        return value == cond["eq"]
    if "ne" in cond:
        return value != cond["ne"]
    if "in" in cond:
        return value in cond["in"]
    return value not in cond["not_in"]


def _oracle(raw: dict[str, Any], answers: dict[str, str]) -> dict[str, set[str]]:
    items = {i["code"] for i in raw["items"] if _holds(i.get("condition"), answers)}
    submit: set[str] = set()
    obtained: set[str] = set()
    for m in raw["materials"]:
        if not _holds(m.get("condition"), answers) or not items & set(m["needed_by"]):
            continue
        if m["provided_by"] == "applicant" or (
            m["provided_by"] == "produced" and m["produced_by"] not in items
        ):
            submit.add(m["code"])
        else:
            obtained.add(m["code"])
    return {"items": items, "submit": submit, "obtained": obtained}


def _defaults(raw: dict[str, Any]) -> dict[str, str]:
    return {q["key"]: q["default"] for q in raw.get("questions", [])}


def _mentions(raw: dict[str, Any], key: str) -> set[str]:
    """Items and materials whose applicability can depend on question ``key`` per the data."""

    def reads(cond: Any) -> bool:
        return key in json.dumps(cond) if cond else False

    items = {i["code"] for i in raw["items"] if reads(i.get("condition"))}
    materials = {
        m["code"]
        for m in raw["materials"]
        if reads(m.get("condition")) or items & set(m["needed_by"]) or m.get("produced_by") in items
    }
    return items | materials


def _got(checklist) -> dict[str, set[str]]:
    return {
        "items": {i.code for i in checklist.items},
        "submit": {e.code for e in checklist.submit},
        "obtained": {e.code for e in checklist.obtained},
    }


def _diff(a: dict[str, set[str]], b: dict[str, set[str]]) -> dict[str, tuple[set[str], set[str]]]:
    return {k: (b[k] - a[k], a[k] - b[k]) for k in a}


CHOICES = [
    pytest.param(code, q["key"], c["value"], id=f"{code}-{q['key']}={c['value']}")
    for code, raw in RAW.items()
    for q in raw.get("questions", [])
    for c in q["choices"]
    if c["value"] != q["default"]
]


def test_every_bundle_has_questions_to_test():
    assert len(CHOICES) >= 30
    assert all(RAW[code].get("questions") for code in RAW)


@pytest.mark.parametrize("code", list(RAW))
def test_default_checklist_matches_the_data(code):
    bundle = CATALOG.bundle(code)
    checklist = resolve(bundle, {})
    assert _got(checklist) == _oracle(RAW[code], _defaults(RAW[code]))
    assert all(a.defaulted for a in checklist.answers)
    # Explicit default answers give the same lists, now marked as answered.
    explicit = resolve(bundle, _defaults(RAW[code]))
    assert _got(explicit) == _got(checklist)
    assert not any(a.defaulted for a in explicit.answers)
    codes = [e.code for e in (*checklist.submit, *checklist.obtained)]
    assert len(codes) == len(set(codes))  # deduplicated: each material once


@pytest.mark.parametrize(("code", "key", "value"), CHOICES)
def test_each_answer_changes_exactly_what_the_data_declares(code, key, value):
    raw = RAW[code]
    base_answers = _defaults(raw)
    expected_base = _oracle(raw, base_answers)
    expected = _oracle(raw, {**base_answers, key: value})
    expected_diff = _diff(expected_base, expected)
    # A choice that changes nothing would make the question pointless (and this test vacuous).
    assert any(added or removed for added, removed in expected_diff.values()), (
        "choice has no effect"
    )

    got = _got(resolve(CATALOG.bundle(code), {key: value}))
    assert _diff(_got(resolve(CATALOG.bundle(code))), got) == expected_diff
    assert got == expected
    changed = set().union(*(added | removed for added, removed in expected_diff.values()))
    assert changed <= _mentions(raw, key)


# -- 新生儿出生: the seed's figures ------------------------------------------------------------------


def test_newborn_default_checklist_is_the_seed_four_materials():
    newborn = CATALOG.bundle("newborn")
    checklist = resolve(newborn)
    assert newborn.figures is not None and newborn.figures.materials is not None
    assert len(checklist.submit) == newborn.figures.materials.after == 4
    assert {e.code for e in checklist.submit} == {
        "application_form",
        "parents_id_cards",
        "household_register",
        "marriage_certificate",
    }
    assert all(e.required and e.source is Source.APPLICANT for e in checklist.submit)
    # The birth certificate comes from the bundle's first item, never from the applicant.
    certificate = checklist.entry("birth_medical_certificate")
    assert certificate in checklist.obtained
    assert certificate.source is Source.PRODUCED
    assert certificate.produced_by == "birth_medical_certificate"
    assert "hukou_birth_registration" in certificate.needed_by
    assert [i.code for i in checklist.items] == [
        "birth_medical_certificate",
        "vaccination",
        "hukou_birth_registration",
        "medical_insurance_enrolment",
        "social_security_card",
    ]


def test_newborn_unmarried_parents_swap_the_marriage_certificate():
    checklist = resolve(CATALOG.bundle("newborn"), {"parents_married": "no"})
    codes = {e.code for e in checklist.submit}
    assert "non_marital_birth_statement" in codes and "marriage_certificate" not in codes
    (reason,) = checklist.entry("non_marital_birth_statement").reasons
    assert reason.item_code == "hukou_birth_registration"
    assert [(a.key, a.value, a.defaulted) for a in reason.answers] == [
        ("parents_married", "no", False)
    ]
    assert "否" in reason.text_zh()


def test_newborn_born_elsewhere_brings_the_certificate():
    checklist = resolve(CATALOG.bundle("newborn"), {"birth_place": "elsewhere"})
    entry = checklist.entry("birth_medical_certificate")
    assert entry in checklist.submit and entry.source is Source.APPLICANT
    assert entry.produced_by is None
    assert all("birth_place" in [a.key for a in r.answers] for r in entry.reasons)
    # The delivery record only fed the skipped item: dropped, not listed anywhere.
    with pytest.raises(KeyError):
        checklist.entry("delivery_record")
    assert "birth_medical_certificate" in [i.code for i in checklist.skipped_items]


def test_shared_material_lists_every_applicable_item_once():
    checklist = resolve(CATALOG.bundle("newborn"), {"maternity_claim": "yes"})
    ids = checklist.entry("parents_id_cards")
    assert ids.needed_by == (
        "birth_medical_certificate",
        "hukou_birth_registration",
        "social_security_card",
        "maternity_reimbursement",
    )
    assert [r.item_code for r in ids.reasons] == list(ids.needed_by)
    assert ids.count == 2
    maternity = next(r for r in ids.reasons if r.item_code == "maternity_reimbursement")
    assert [(a.key, a.value) for a in maternity.answers] == [("maternity_claim", "yes")]


# -- bad answers ----------------------------------------------------------------------------------


def test_unknown_question_is_a_value_error():
    with pytest.raises(UnknownQuestionError) as info:
        resolve(CATALOG.bundle("newborn"), {"twins": "yes"})
    assert isinstance(info.value, ValueError) and isinstance(info.value, AnswerError)
    assert info.value.key == "twins" and "twins" in str(info.value)


def test_invalid_choice_is_a_value_error():
    with pytest.raises(InvalidChoiceError) as info:
        resolve(CATALOG.bundle("newborn"), {"parents_married": "maybe"})
    assert isinstance(info.value, ValueError)
    assert info.value.value == "maybe" and "yes" in str(info.value)


# -- missing materials and 容缺受理 ----------------------------------------------------------------


def test_missing_lists_required_materials_not_received():
    checklist = resolve(CATALOG.bundle("after_death"), {"place_of_death": "home"})
    received = {e.code for e in checklist.submit} - {"community_statement", "medical_history"}
    # The optional medical history is never "missing"; the community statement is.
    assert [e.code for e in missing(checklist, received)] == ["community_statement"]
    assert missing(checklist, {e.code for e in checklist.submit}) == []


def test_key_material_missing_cannot_be_deferred():
    checklist = resolve(CATALOG.bundle("newborn"))
    gaps = missing(checklist, {"application_form", "parents_id_cards", "household_register"})
    assert [e.code for e in gaps] == ["marriage_certificate"]
    assert not deferrable(checklist, gaps)
    reasons = {(b.reason, b.material_code, b.item_code) for b in deferral_blockers(checklist, gaps)}
    assert reasons == {
        (DeferralBlock.KEY_MATERIAL, "marriage_certificate", None),
        (DeferralBlock.ITEM_DISALLOWS, "marriage_certificate", "hukou_birth_registration"),
    }


def test_non_key_material_of_deferrable_items_can_be_deferred():
    checklist = resolve(CATALOG.bundle("newborn"), {"maternity_claim": "yes"})
    received = {e.code for e in checklist.submit} - {"discharge_record", "mother_bank_account"}
    gaps = missing(checklist, received)
    assert {e.code for e in gaps} == {"discharge_record", "mother_bank_account"}
    assert deferrable(checklist, gaps)
    assert deferral_limit_days(checklist, gaps) == 20  # the reimbursement's promised limit
    assert not deferrable(checklist, gaps, bad_credit=True)


def test_item_refusing_deferral_blocks_even_a_non_key_material():
    checklist = resolve(CATALOG.bundle("company_change"), {"change_type": "address"})
    gaps = missing(checklist, {e.code for e in checklist.submit} - {"premises_proof"})
    assert [e.code for e in gaps] == ["premises_proof"] and not gaps[0].key
    blockers = deferral_blockers(checklist, gaps)
    assert [(b.reason, b.item_code) for b in blockers] == [
        (DeferralBlock.ITEM_DISALLOWS, "change_registration")
    ]


def test_nothing_missing_is_trivially_deferrable():
    checklist = resolve(CATALOG.bundle("retirement"))
    assert deferrable(checklist, [])
    assert deferral_limit_days(checklist, []) is None


# -- every condition operator, on a synthetic bundle (the shipped data uses only some) ------------

SYNTHETIC: dict[str, Any] = {
    "code": "synthetic",
    "name": "测试一件事",
    "audience": "person",
    "departments": [{"code": "d", "name": "测试局"}],
    "questions": [
        {
            "key": "a",
            "text": "A?",
            "choices": [
                {"value": "x", "label": "X"},
                {"value": "y", "label": "Y"},
                {"value": "z", "label": "Z"},
            ],
            "default": "x",
        },
        {
            "key": "b",
            "text": "B?",
            "choices": [{"value": "yes", "label": "是"}, {"value": "no", "label": "否"}],
            "default": "no",
        },
    ],
    "items": [
        {
            "code": "i_ne",
            "name": "ne",
            "department": "d",
            "time_limit_days": 1,
            "deferral_allowed": True,
            "condition": {"q": "a", "ne": "x"},
        },
        {
            "code": "i_not_in",
            "name": "not_in",
            "department": "d",
            "time_limit_days": 1,
            "deferral_allowed": True,
            "condition": {"q": "a", "not_in": ["x", "y"]},
        },
        {
            "code": "i_any",
            "name": "any",
            "department": "d",
            "time_limit_days": 1,
            "deferral_allowed": True,
            "condition": {"any": [{"q": "a", "eq": "y"}, {"q": "b", "eq": "yes"}]},
        },
        {
            "code": "i_not",
            "name": "not",
            "department": "d",
            "time_limit_days": 1,
            "deferral_allowed": True,
            "condition": {"not": {"all": [{"q": "a", "in": ["x"]}, {"q": "b", "eq": "no"}]}},
        },
    ],
    "materials": [
        {
            "code": f"m_{i}",
            "name": i,
            "requirement": "required",
            "key": False,
            "provided_by": "applicant",
            "needed_by": [i],
        }
        for i in ("i_ne", "i_not_in", "i_any", "i_not")
    ],
}


@pytest.mark.parametrize("a", ["x", "y", "z"])
@pytest.mark.parametrize("b", ["yes", "no"])
def test_every_operator_agrees_with_the_documented_meaning(a, b):
    from desk_app.domain.catalog import parse_bundle

    bundle = parse_bundle(SYNTHETIC, "synthetic.json")
    got = _got(resolve(bundle, {"a": a, "b": b}))
    assert got == _oracle(SYNTHETIC, {"a": a, "b": b})
    # Spelled out for two cases, so the oracle itself is checked too.
    if (a, b) == ("x", "no"):
        assert got["items"] == set()
    if (a, b) == ("z", "yes"):
        assert got["items"] == {"i_ne", "i_not_in", "i_any", "i_not"}
