"""The knowledge base: every entry file validates, colloquial questions find the formal entry,
questions are logged masked, unanswered ones reach the supervisor, the 12345 export."""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from desk_app.domain.catalog import CatalogError, load_catalog
from desk_app.domain.kb import default_kb_dir, load_kb
from desk_app.domain.kb_search import KbIndex, tokens
from desk_app.security.authz import Forbidden
from desk_app.security.roles import Actor, Role
from desk_app.services.common.errors import NotFound, Refused
from desk_app.services.kb import answers as kb
from desk_app.store.kb_models import KbAnswer, KbQuestion
from tests.test_cli_identity import PW, run

CATALOG = load_catalog()
KB_DIR = default_kb_dir()


@pytest.fixture(scope="module")
def base():
    return load_kb(CATALOG)


@pytest.fixture(scope="module")
def index(base):
    return KbIndex(base.entries, base.synonyms, {b.code: b.name for b in CATALOG.bundles})


def test_every_national_bundle_has_ten_entries_and_every_bundle_some(base):
    per_bundle = Counter(e.bundle for e in base.entries)
    for b in CATALOG.bundles:
        minimum = 10 if b.batch.startswith("national") else 5
        assert per_bundle[b.code] >= minimum, (b.code, per_bundle[b.code])
    assert len({e.id for e in base.entries}) == len(base.entries)


def test_entries_carry_every_field_the_issue_asks_for(base):
    for e in base.entries:
        assert e.question and e.answer and e.source, e.id
        assert e.bundle in CATALOG.codes or CATALOG.listing(e.bundle), e.id
        assert e.effective < e.review and e.version >= 1, e.id
        if not e.situations:
            continue
        bundle = CATALOG.bundle(e.bundle)
        for key, value in e.situations:
            assert value in bundle.question(key).values
    # colloquial phrasings exist beside the standard question, for most entries
    assert sum(bool(e.phrasings) for e in base.entries) > 0.9 * len(base.entries)
    # content nobody checked against a source is marked as such
    assert any(e.needs_check for e in base.entries)
    assert all("(check)" not in e.answer for e in base.entries)


def test_schema_documents_every_field_the_files_use():
    schema = json.loads((KB_DIR / "schema.json").read_text(encoding="utf-8"))
    entry_fields = set(schema["$defs"]["entry"]["properties"])
    index_fields = set(schema["$defs"]["kb_index"]["properties"])
    assert set(json.loads((KB_DIR / "kb.json").read_text(encoding="utf-8"))) <= index_fields
    for file in (KB_DIR / "entries").glob("*.json"):
        doc = json.loads(file.read_text(encoding="utf-8"))
        assert set(doc) <= set(schema["properties"]), file.name
        for raw in doc["entries"]:
            assert set(raw) <= entry_fields, (file.name, raw["id"])


def _broken(tmp_path: Path, mutate) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "kb"
    shutil.copytree(KB_DIR, root)
    file = root / "entries" / "newborn.json"
    doc = json.loads(file.read_text(encoding="utf-8"))
    mutate(doc)
    file.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["entries"][0].update(answr="x"), "entries[0].answr: unknown field"),
        (lambda d: d["entries"][0].pop("source"), "entries[0].source: missing"),
        (
            lambda d: d["entries"][0].update(situations=["parents_married=maybe"]),
            "entries[0].situations[0]: 'maybe' is not a choice of 'parents_married'",
        ),
        (
            lambda d: d["entries"][0].update(situations=["twins=yes"]),
            "no situation question 'twins'",
        ),
        (lambda d: d["entries"][0].update(bundle="retirement"), "entries[0].bundle:"),
        (
            lambda d: d["entries"][0].update(review="2020-01-01"),
            "entries[0].review: must be after the effective date",
        ),
        (lambda d: d["entries"][1].update(id=d["entries"][0]["id"]), "duplicate entry id"),
        (lambda d: d["entries"][0].update(version=0), "entries[0].version: expected a positive"),
        (lambda d: d.update(bundle="baby"), "bundle: 'baby' differs from the file name"),
    ],
)
def test_a_broken_entry_names_file_and_field(tmp_path, mutate, expected):
    with pytest.raises(CatalogError) as info:
        load_kb(CATALOG, _broken(tmp_path, mutate))
    assert str(info.value).startswith("entries/newborn.json: "), str(info.value)
    assert expected in str(info.value)


def test_bigrams_cut_chinese_and_keep_latin_words():
    assert tokens("生孩子") == ["生孩", "孩子"]
    assert tokens("A 证") == ["a", "证"]
    assert tokens("ＡＢＣ１２３") == ["abc123"]  # full-width folded


@pytest.mark.parametrize(
    ("question", "bundle", "formal"),
    [
        ("生孩子要带什么", "newborn", "新生儿"),
        ("养老金什么时候发", "retirement", "养老金"),
        ("养老金要办多久", "retirement", "退休"),
        ("营业执照地址要改", "company_change", "企业信息变更"),
        ("营业执照换法人", "company_change", "法定代表人"),
        ("老人在家里去世了", "after_death", "去世"),
        ("工地拖欠工资", "migrant_wage", "拖欠工资"),
        ("外地人能租公租房吗", "public_rental_housing", "公租房"),
        ("拉超宽设备", "oversize_transport", "超宽"),
        ("父母没结婚孩子上户口", "newborn", "户口"),
    ],
)
def test_colloquial_questions_find_the_formal_entry(index, question, bundle, formal):
    hits = index.search(question, limit=5)
    assert hits, question
    assert hits[0].entry.bundle == bundle, [(h.entry.id, h.score) for h in hits]
    top = hits[0].entry
    assert formal in f"{top.question}{top.answer}{CATALOG.bundle(bundle).name}"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(h.score > 0 for h in hits)


def test_the_synonym_table_is_what_finds_the_formal_words(base):
    no_synonyms = KbIndex(base.entries, {}, {b.code: b.name for b in CATALOG.bundles})
    with_synonyms = KbIndex(base.entries, base.synonyms, {b.code: b.name for b in CATALOG.bundles})
    # "生小孩" is in no entry: only the table leads it to 新生儿出生
    assert not [h for h in no_synonyms.search("生小孩") if h.entry.bundle == "newborn"]
    assert with_synonyms.search("生小孩")[0].entry.bundle == "newborn"


def test_bundle_filter_and_limit(index):
    hits = index.search("要带什么材料", bundle="retirement", limit=3)
    assert 1 <= len(hits) <= 3 and {h.entry.bundle for h in hits} == {"retirement"}


@pytest.mark.parametrize("question", ["明天天气怎么样", "办理", "?", "股票代码600000"])
def test_questions_the_base_does_not_know_find_nothing(index, question):
    assert index.search(question) == []


def test_the_stored_question_has_no_id_number_or_phone():
    text = "我身份证370202199001011234,电话138-1234-5678,卡号6222020200112233445,问退休"
    masked = kb.mask_question(text)
    for secret in ("370202199001011234", "1234-5678", "6222020200112233445", "5678"):
        assert secret not in masked
    assert "[身份证号]" in masked and "[手机号]" in masked and masked.endswith("问退休")
    assert kb.mask_question("11010519491231002x 退休") == "[身份证号] 退休"


def test_search_logs_the_masked_question_and_its_answer(db):
    result = kb.search(db, "我的身份证370202199001011234 生孩子要带什么", limit=3)
    assert result.hits and result.hits[0].bundle == "newborn"
    kb.record_answer(db, result.question_id, result.hits[1].id)
    with db.read() as s:
        row = s.get(KbQuestion, result.question_id)
        answers = s.scalars(select(KbAnswer)).all()
    assert "370202199001011234" not in row.text and "[身份证号]" in row.text
    assert row.entry_id == result.hits[0].id and row.hits == len(result.hits)
    assert [(a.question_id, a.entry_id) for a in answers] == [
        (result.question_id, result.hits[1].id)
    ]
    assert result.to_json()["hits"][0].keys() >= {"id", "question", "answer", "bundle", "score"}


def test_unanswered_questions_reach_the_supervisor_list(db):
    kb.search(db, "明天天气怎么样")
    kb.search(db, "明天天气怎么样")
    kb.search(db, "手机13812345678的天气")
    kb.search(db, "生孩子要带什么")
    listed = kb.unanswered(db).to_json()["unanswered"]
    assert listed[0]["question"] == "明天天气怎么样" and listed[0]["count"] == 2
    assert [u["question"] for u in listed] == ["明天天气怎么样", "手机[手机号]的天气"]
    counter = Actor(staff_id=None, code="s09", role=Role.COUNTER)
    with pytest.raises(Forbidden):
        kb.unanswered(db.acting_as(counter))


def test_entries_past_their_review_date_are_flagged(db, monkeypatch):
    assert kb.unanswered(db).review_due == []
    assert not kb.search(db, "退休要多久").hits[0].review_due
    monkeypatch.setenv("DESK_APP_NOW", "2027-07-01T09:00:00+08:00")  # past 2027-06-30
    assert kb.search(db, "退休要多久").hits[0].review_due
    due = kb.unanswered(db).review_due
    assert len(due) == len(kb.knowledge_base().entries)


def test_a_refused_search_writes_nothing(db):
    with pytest.raises(NotFound):
        kb.search(db, "退休", bundle="no_such")
    with pytest.raises(Refused, match="问题"):
        kb.search(db, "   ")
    with db.read() as s:
        assert s.scalars(select(KbQuestion)).all() == []


# -- command line ---------------------------------------------------------------------------------


@pytest.fixture
def hall_cli(db_url, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("DESK_APP_USER", raising=False)
    monkeypatch.delenv("DESK_APP_PASSWORD", raising=False)

    def _run(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
        return run(capsys, monkeypatch, "--db", db_url, *args, stdin=stdin)

    rc, _, _ = _run(
        "staff", "add", "adm", "--name", "管理员", "--role", "admin", "--password-stdin",
        stdin=PW + "\n",
    )  # fmt: skip
    assert rc == 0
    return _run


def test_kb_search_is_public_and_the_rest_needs_a_log_in(hall_cli, monkeypatch, tmp_path):
    rc, out, err = hall_cli("kb", "search", "生孩子", "--limit", "2", "--json")
    assert rc == 0 and err == "" and len(out["hits"]) == 2
    assert set(out["hits"][0]) >= {"id", "question", "answer", "bundle", "score"}
    rc, out, _ = hall_cli("kb", "search", "退休", "--bundle", "retirement", "--json")
    assert rc == 0 and {h["bundle"] for h in out["hits"]} == {"retirement"}
    rc, _, err = hall_cli("kb", "search", "退休", "--bundle", "nope", "--json")
    assert rc == 2 and len(err.strip().splitlines()) == 1
    for args in (("kb", "unanswered", "--json"), ("kb", "export", "--json", str(tmp_path / "x"))):
        rc, _, err = hall_cli(*args)
        assert rc == 2 and "log in" in err, args
    assert not (tmp_path / "x").exists()


def test_kb_export_json_and_csv_with_bom(hall_cli, monkeypatch, tmp_path):
    monkeypatch.setenv("DESK_APP_USER", "adm")
    monkeypatch.setenv("DESK_APP_PASSWORD", PW)
    target = tmp_path / "kb.json"
    rc, _, _ = hall_cli("kb", "export", "--json", str(target))
    assert rc == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    doc = json.loads(raw.decode("utf-8-sig"))
    assert len(doc["entries"]) == len(kb.knowledge_base().entries)
    assert doc["entries"][0].keys() >= {"id", "question", "phrasings", "answer", "source", "review"}
    sheet = tmp_path / "kb.csv"
    rc, out, _ = hall_cli("kb", "export", "--csv", str(sheet), "--json")
    assert rc == 0 and out["entries"] == len(doc["entries"]) and out["format"] == "csv"
    assert sheet.read_bytes().startswith(b"\xef\xbb\xbf")
    with sheet.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(doc["entries"]) and rows[0]["bundle_name"].endswith("一件事")
    rc, _, err = hall_cli("kb", "export", "--json", str(target), "--csv", str(sheet))
    assert rc == 2 and "exactly one" in err
    rc, out, _ = hall_cli("audit", "list", "--action", "kb.export", "--json")
    assert rc == 0 and len(out["entries"]) == 2
    rc, out, _ = hall_cli("kb", "unanswered", "--json")
    assert rc == 0 and out == {"unanswered": [], "review_due": []}
