"""The hall keeps its catalog: facts marked verified with their source, edits, packages moved
between halls (validated, diffed, merged three ways), history and rollback; every change a
new audited version that the running processes put in force."""

from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy import select

from desk_app.domain.catalog_package import diff, facts, merge
from desk_app.security.authz import Forbidden
from desk_app.security.roles import Actor, Role
from desk_app.services.catalog import upkeep, versions
from desk_app.services.common.catalog import catalog, checklist_for
from desk_app.services.common.errors import NotFound, Refused
from desk_app.store.catalog_models import CatalogVersion
from desk_app.store.identity_models import AuditEntry
from tests.test_cli_identity import PW, run

SOURCE = "青岛市民政局《公民身后一件事办事指南》2026-11-20 https://example.gov.cn/x"


def _package() -> dict:
    return versions.shipped_package()


def _bundle(pkg: dict, code: str) -> dict:
    return next(b for b in pkg["bundles"] if b["code"] == code)


def _material(pkg: dict, code: str, material: str) -> dict:
    return next(m for m in _bundle(pkg, code)["materials"] if m["code"] == material)


# -- the three-way merge (no database) ------------------------------------------------------------


def test_merge_takes_upstream_changes_and_keeps_the_halls_own():
    base = _package()
    hall = copy.deepcopy(base)
    _material(hall, "after_death", "deceased_id")["notes"] = "本厅更正"
    hall["bundles"].append({**copy.deepcopy(_bundle(base, "startup")), "code": "hall_only"})
    incoming = copy.deepcopy(base)
    _material(incoming, "newborn", "parents_id_cards")["count"] = 2
    incoming["bundles"] = [b for b in incoming["bundles"] if b["code"] != "startup"]
    incoming["version"] = "2027.1.1"

    merged, conflicts = merge(base, hall, incoming)

    assert conflicts == []
    assert _material(merged, "newborn", "parents_id_cards")["count"] == 2  # upstream's change
    assert _material(merged, "after_death", "deceased_id")["notes"] == "本厅更正"  # the hall's
    codes = [b["code"] for b in merged["bundles"]]
    assert "hall_only" in codes  # the hall's own bundle stays
    assert "startup" in codes  # a local bundle stays although the package does not carry it
    assert merged["version"] == "2027.1.1"


def test_merge_lists_a_fact_both_changed_and_keeps_the_halls_value():
    base = _package()
    hall = copy.deepcopy(base)
    _material(hall, "after_death", "deceased_id")["name"] = "逝者身份证(本厅)"
    incoming = copy.deepcopy(base)
    _material(incoming, "after_death", "deceased_id")["name"] = "逝者身份证(平台)"
    merged, conflicts = merge(base, hall, incoming)
    assert [(c["code"], c["fact"]) for c in conflicts] == [("after_death", "materials.deceased_id")]
    assert _material(merged, "after_death", "deceased_id")["name"] == "逝者身份证(本厅)"


def test_merge_drops_a_national_bundle_upstream_removed_unless_the_hall_changed_it():
    base = _package()
    incoming = copy.deepcopy(base)
    incoming["bundles"] = [b for b in incoming["bundles"] if b["code"] != "veteran"]
    merged, conflicts = merge(base, copy.deepcopy(base), incoming)
    assert "veteran" not in [b["code"] for b in merged["bundles"]] and conflicts == []
    hall = copy.deepcopy(base)
    _bundle(hall, "veteran")["summary"] = "本厅改过"
    merged, conflicts = merge(base, hall, incoming)
    assert "veteran" in [b["code"] for b in merged["bundles"]]
    assert [c["code"] for c in conflicts] == ["veteran"]


def test_diff_names_the_facts():
    old = _package()
    new = copy.deepcopy(old)
    _bundle(new, "retirement")["items"][0]["time_limit_days"] = 3
    d = diff(old, new)
    assert d["changed"] == [{"code": "retirement", "facts": ["items.retirement_approval"]}]
    assert d["added"] == [] and d["removed"] == []
    assert "items.retirement_approval" in facts(_bundle(new, "retirement"))


# -- the services ---------------------------------------------------------------------------------


def test_verify_publishes_an_audited_version_that_comes_into_force(db):
    assert catalog().seq == 0
    r = upkeep.verify(db, "after_death", "materials.deceased_id", SOURCE)
    assert r["seq"] == 1 and r["verified"]["by"] == "tester" and r["source"] == SOURCE
    assert versions.refresh(db) and catalog().seq == 1
    material = catalog().bundle("after_death").material("deceased_id")
    assert material.verified is not None and material.cite == SOURCE
    # The checklist the counter resolves comes from the version in force.
    assert checklist_for("after_death", {}).bundle.material("deceased_id").verified is not None
    with db.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "catalog.verify")).one()
    assert entry.target == r["version"]
    assert not versions.refresh(db)  # nothing newer: one indexed look, nothing reloaded


@pytest.mark.parametrize(
    ("code", "fact", "source", "error"),
    [
        ("nope", "bundle", SOURCE, Refused),
        ("after_death", "materials.nope", SOURCE, Refused),
        ("after_death", "gadgets.x", SOURCE, Refused),
        ("after_death", "bundle", "  见  ", Refused),
    ],
)
def test_a_bad_verify_writes_nothing(db, code, fact, source, error):
    with pytest.raises(error):
        upkeep.verify(db, code, fact, source)
    with db.read() as s:
        assert s.scalars(select(CatalogVersion)).all() == []


def test_only_admin_and_supervisor_change_the_catalog(db):
    counter = db.acting_as(Actor(staff_id=None, code="c1", role=Role.COUNTER))
    with pytest.raises(Forbidden):
        upkeep.verify(counter, "after_death", "bundle", SOURCE)
    supervisor = db.acting_as(Actor(staff_id=None, code="sup", role=Role.SUPERVISOR))
    assert upkeep.verify(supervisor, "after_death", "bundle", SOURCE)["seq"] == 1


def test_an_edit_that_breaks_the_catalog_is_refused_with_its_place(db):
    item = copy.deepcopy(_bundle(_package(), "retirement")["items"][0])
    item["time_limit_days"] = 0
    with pytest.raises(Refused, match=r"time_limit_days: expected a positive integer"):
        upkeep.edit(db, "retirement", f"items.{item['code']}", item, source=SOURCE)
    item["time_limit_days"] = 4
    r = upkeep.edit(db, "retirement", f"items.{item['code']}", item, source=SOURCE)
    assert r["changed"] == [{"code": "retirement", "facts": [f"items.{item['code']}"]}]
    versions.refresh(db)
    edited = catalog().bundle("retirement").item(item["code"])
    assert edited.time_limit_days == 4 and edited.verified is None and edited.cite == SOURCE


def test_an_edit_on_a_stale_version_is_refused(db):
    upkeep.verify(db, "after_death", "bundle", SOURCE)
    with pytest.raises(Refused, match="他人更新"):
        upkeep.verify(db, "after_death", "items.hukou_cancellation", SOURCE, base_seq=0)


def test_history_and_rollback(db):
    upkeep.verify(db, "after_death", "materials.deceased_id", SOURCE)
    upkeep.verify(db, "newborn", "bundle", SOURCE)
    upkeep.verify(db, "after_death", "bundle", SOURCE)
    h = upkeep.history(db, "after_death")
    assert [v["seq"] for v in h["versions"]] == [3, 1, 0]
    assert h["versions"][0]["facts"] == ["bundle"] and h["versions"][0]["by"] == "tester"
    assert "materials.deceased_id" not in h["unverified"]
    r = upkeep.rollback(db, "1")
    assert r["seq"] == 4 and r["to"].endswith("+h1")
    versions.refresh(db)
    assert catalog().bundle("after_death").verified is None  # version 3's check undone
    assert catalog().bundle("newborn").verified is None
    assert catalog().bundle("after_death").material("deceased_id").verified is not None
    with pytest.raises(Refused):
        upkeep.rollback(db, "4")
    with pytest.raises(NotFound):
        upkeep.rollback(db, "99")


def test_export_import_round_trip_changes_nothing(db, tmp_path):
    upkeep.verify(db, "after_death", "bundle", SOURCE)
    file = tmp_path / "catalog.json"
    r = upkeep.export(db, file)
    assert r["bundles"] == len(catalog().everything) and file.exists()
    again = upkeep.import_file(db, file)
    assert (again["added"], again["changed"], again["removed"], again["conflicts"]) == (
        [],
        [],
        [],
        [],
    )


def test_import_dry_run_shows_the_diff_and_writes_nothing(db, tmp_path):
    pkg = _package()
    _bundle(pkg, "retirement")["items"][0]["time_limit_days"] = 3
    pkg["bundles"].append(
        {**_bundle(pkg, "credit_report_query"), "code": "new_listing", "name": "新一件事"}
    )
    file = tmp_path / "p.json"
    file.write_text(json.dumps(pkg, ensure_ascii=False), encoding="utf-8")
    r = upkeep.import_file(db, file, dry_run=True)
    assert r["added"] == ["new_listing"] and r["dry_run"] and not r["applied"]
    assert r["changed"] == [{"code": "retirement", "facts": ["items.retirement_approval"]}]
    with db.read() as s:
        assert s.scalars(select(CatalogVersion)).all() == []
    r = upkeep.import_file(db, file)
    assert r["applied"] and r["seq"] == 1
    versions.refresh(db)
    assert catalog().listing("new_listing") is not None


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("{not json", "不是有效的 JSON"),
        ("[]", "不是目录包"),
        ('{"version": "x", "date": "2026-01-01", "bundles": [{"code": "a"}]}', "name: missing"),
        ('{"a":' * 50_000 + "1" + "}" * 50_000, "nested too deep"),
        ('{"format": 2, "version": "x", "date": "2026-01-01", "bundles": []}', "format"),
        ('{"version": "x\\ny", "date": "2026-01-01", "bundles": []}', "U\\+000A"),
        ('{"version": "x", "date": "0001-01-01", "bundles": []}', "2000-01-01"),
    ],
)
def test_a_bad_package_is_refused_and_nothing_written(db, tmp_path, content, error):
    file = tmp_path / "bad.json"
    file.write_text(content, encoding="utf-8")
    with pytest.raises(Refused, match=error):
        upkeep.import_file(db, file)
    with db.read() as s:
        assert s.scalars(select(CatalogVersion)).all() == []


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda b: b.update(name="新生儿\u0000出生"), "U\\+0000"),
        (lambda b: b.update(name="新生儿\x1b[31m"), "U\\+001B"),
        (lambda b: b.update(name="\ud800"), "surrogate"),
        (lambda b: b.update(name="长" * 201), "longer than 200"),
        (lambda b: b["items"][0].update(time_limit_days=2**40), "at most 1000"),
    ],
)
def test_content_that_would_break_later_work_is_refused(db, tmp_path, change, error):
    # A NUL in a name made every concluded case of the bundle a dead letter at central; a
    # 2^40-day limit made every acceptance fail.
    pkg = _package()
    change(_bundle(pkg, "newborn"))
    file = tmp_path / "p.json"
    file.write_text(json.dumps(pkg), encoding="utf-8")
    with pytest.raises(Refused, match=error):
        upkeep.import_file(db, file, dry_run=True)


def test_a_source_with_control_characters_is_refused(db):
    with pytest.raises(Refused, match="U\\+001B"):
        upkeep.verify(db, "newborn", "bundle", "国发〔2024〕3号\x1b[2J 2024-01-16")


def test_a_listed_bundle_is_refused_for_a_case_with_why():
    with pytest.raises(Refused, match="尚无核实的材料清单"):
        checklist_for("childcare_subsidy", {})


# -- the command line ----------------------------------------------------------------------------


def test_catalog_commands(sqlite_url, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))

    def cli(*args: str, stdin: str | None = None) -> tuple[int, dict, str]:
        return run(capsys, monkeypatch, "--db", sqlite_url, *args, "--json", stdin=stdin)

    rc, _, _ = cli(
        "staff", "add", "adm", "--name", "管理员", "--role", "admin",
        "--password-stdin", stdin=PW + "\n",
    )  # fmt: skip
    assert rc == 0
    rc, out, _ = cli("catalog", "list", "--batch", "national-2026-1")
    assert rc == 0
    assert {b["status"] for b in out["bundles"]} == {"listed"} and len(out["bundles"]) == 6
    assert set(out["bundles"][0]) >= {
        "code", "name", "name_en", "batch", "document", "lead", "items", "unverified",
    }  # fmt: skip
    rc, _, err = cli("catalog", "verify", "after_death",
                     "--fact", "bundle", "--source", SOURCE)  # fmt: skip
    assert rc == 2 and "log in" in err  # changing the catalog needs a person
    monkeypatch.setenv("DESK_APP_USER", "adm")
    monkeypatch.setenv("DESK_APP_PASSWORD", PW)
    rc, out, _ = cli("catalog", "verify", "after_death",
                     "--fact", "bundle", "--source", SOURCE)  # fmt: skip
    assert rc == 0 and out["verified"]["by"] == "adm" and out["seq"] == 1
    rc, out, _ = cli("catalog", "list")
    listed = {b["code"]: b for b in out["bundles"]}
    assert out["seq"] == 1 and listed["after_death"]["unverified"] == (
        len(catalog().bundle("after_death").facts()) - 3  # the bundle and the two statute items
    )
    rc, out, _ = cli("catalog", "history", "after_death")
    assert rc == 0 and [v["seq"] for v in out["versions"]] == [1, 0]
    rc, out, _ = cli("catalog", "export", str(tmp_path / "c.json"))
    assert rc == 0 and out["version"].endswith("+h1")
    rc, out, _ = cli("catalog", "import", str(tmp_path / "c.json"),
                     "--dry-run")  # fmt: skip
    assert rc == 0 and out["dry_run"] and out["changed"] == []
    rc, out, _ = cli("catalog", "rollback", "--to", "0")
    assert rc == 0 and out["seq"] == 2
    rc, _, err = cli("catalog", "list", "--batch", "national-3")
    assert rc == 2 and len(err.strip().splitlines()) == 1


# -- the hall's knowledge-base answers travel with the catalog ------------------------------------


def test_an_answer_written_in_the_hall_is_searched_and_verified(db):
    from desk_app.services.kb import answers as kb

    answer = {
        "id": "newborn-x01",
        "question": "新生儿医保在哪里缴费?",
        "phrasings": ["宝宝医保怎么交钱"],
        "answer": "在本窗口办理参保登记后,按当年城乡居民医保缴费标准缴纳,可用社保卡或银行卡。",
    }
    r = upkeep.edit(db, "newborn", "answers.newborn-x01", answer, source=SOURCE)
    assert r["changed"] == [{"code": "newborn", "facts": ["answers.newborn-x01"]}]
    versions.refresh(db)
    hit = kb.search(db, "宝宝医保怎么交钱").hits[0]
    assert hit.id == "newborn-x01" and hit.kind == "hand" and hit.needs_check
    upkeep.verify(db, "newborn", "answers.newborn-x01", SOURCE)
    versions.refresh(db)
    hit = kb.search(db, "宝宝医保怎么交钱").hits[0]
    assert not hit.needs_check and hit.public_answer == answer["answer"]


def test_a_hall_answer_replaces_the_shipped_entry_with_its_id(db):
    from desk_app.services.kb import answers as kb

    shipped = kb.knowledge_base().entry("after_death-h03")
    corrected = {
        "id": "after_death-h03",
        "question": shipped.question,
        "phrasings": list(shipped.phrasings),
        "answer": "本厅更正后的答复:丧葬补助金和抚恤金由社保经办机构核定发放。",
        "situations": [f"{k}={v}" for k, v in shipped.situations],
    }
    upkeep.edit(db, "after_death", "answers.after_death-h03", corrected, source=SOURCE)
    versions.refresh(db)
    entries = [e for e in kb.knowledge_base().entries if e.id == "after_death-h03"]
    assert [e.answer for e in entries] == [corrected["answer"]]


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ({"id": "newborn-x02", "question": "问?", "answer": ""}, "answers\\[0\\].answer"),
        ({"id": "newborn-x02", "question": "问?", "answer": "答", "situations": ["x=y"]},
         "no situation question 'x'"),
    ],
)  # fmt: skip
def test_a_bad_answer_is_refused_with_its_field(db, answer, error):
    with pytest.raises(Refused, match=error):
        upkeep.edit(db, "newborn", "answers.newborn-x02", answer, source=SOURCE)
    with db.read() as s:
        assert s.scalars(select(CatalogVersion)).all() == []


def test_export_to_a_device_writes_through_it_and_never_replaces_it(db):
    import os
    import stat

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    with pytest.raises(Refused, match="/dev/full"):
        upkeep.export(db, "/dev/full")  # no space left: one refusal
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)  # still the device, not a file put there
