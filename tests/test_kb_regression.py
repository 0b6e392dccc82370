"""The knowledge base's own regression set (resources/kb/regression.json): questions as people
ask them at a window and on 12345, two or more per bundle, and off-topic ones. The floor the
search must hold; bench/kb_bench.py prints the figures."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from desk_app.domain.catalog import load_catalog
from desk_app.domain.kb import load_kb, public_text
from desk_app.domain.kb_search import KbIndex
from desk_app.paths import resources_dir

CATALOG = load_catalog()
KB = load_kb(CATALOG)
SET = json.loads((resources_dir() / "kb" / "regression.json").read_text(encoding="utf-8"))[
    "questions"
]


@pytest.fixture(scope="module")
def index():
    return KbIndex(KB.entries, KB.synonyms, {b.code: b.name for b in CATALOG.everything})


def _bundles(index: KbIndex, question: str) -> list[str]:
    seen: list[str] = []
    for hit in index.search(question, limit=10):
        if hit.entry.bundle not in seen:
            seen.append(hit.entry.bundle)
    return seen


def test_the_set_covers_every_bundle_twice_and_has_off_topic_questions():
    per = Counter(q["bundle"] for q in SET)
    for b in CATALOG.everything:
        assert per[b.code] >= 2, b.code
    assert per[None] >= 10 and len(SET) >= 60


def test_the_right_bundle_is_in_the_top_three_for_nine_in_ten(index):
    answerable = [q for q in SET if q["bundle"]]
    top3 = [q["q"] for q in answerable if q["bundle"] in _bundles(index, q["q"])[:3]]
    assert len(top3) >= 0.9 * len(answerable), sorted({q["q"] for q in answerable} - set(top3))


def test_no_off_topic_question_is_answered(index):
    answered = {q["q"]: _bundles(index, q["q"]) for q in SET if q["bundle"] is None}
    assert {q: b for q, b in answered.items() if b} == {}


def test_overviews_answer_the_general_questions(index):
    for question in ("公民身后一件事网上能办吗", "新生儿出生要去哪些部门"):
        assert index.search(question)[0].entry.kind == "overview", question


def test_no_boilerplate_families():
    # "网上能办吗" and the deferral sentence once lived in an entry of their own per bundle.
    questions = Counter(e.question.split("一件事")[-1] for e in KB.entries)
    assert questions["网上能办吗？"] == 0
    assert max(questions.values()) <= len(CATALOG.bundles)


def test_the_kiosk_never_shows_an_unverified_time_limit_as_fact():
    unverified = [e for e in KB.entries if e.verified is None and "个工作日" in e.answer]
    assert unverified
    for e in unverified:
        text = public_text(e)
        assert "个工作日" not in text and text.endswith("以窗口告知为准。"), e.id
    verified = [e for e in KB.entries if e.verified is not None and "个工作日" in e.answer]
    for e in verified:
        assert public_text(e) == e.answer


def test_every_entries_file_is_a_bundle_of_the_shipped_catalog():
    # The loader skips a file whose bundle a hall's catalog no longer holds (the hall removed
    # it); the shipped files must all belong to the shipped catalog.
    files = {p.stem for p in (resources_dir() / "kb" / "entries").glob("*.json")}
    assert files == {b.code for b in CATALOG.everything}
