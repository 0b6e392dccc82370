"""The 一件事 catalog files load, validate, and broken files are reported by file and field."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desk_app.domain.catalog import (
    Audience,
    CatalogError,
    Source,
    UnknownBundleError,
    default_catalog_dir,
    load_catalog,
)

CATALOG_DIR = default_catalog_dir()
# The bundles the brief and domain.md require, by their Chinese names.
REQUIRED_NAMES = [
    "新生儿出生",
    "退休",
    "企业信息变更",
    "公民身后",
    "企业注销登记",
    "教育入学",
    "开办餐饮店",
    "开办运输企业",
    "水电气网联合报装",
    "社会保障卡居民服务",
    "残疾人服务",
    "二手房转移登记及水电气网联动过户",
    "户口迁移",
    "就医费用报销",
]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_catalog_loads_with_required_bundles(catalog):
    assert len(catalog.bundles) >= 14
    names = [b.name for b in catalog.bundles]
    for required in REQUIRED_NAMES:
        assert any(required in name for name in names), required
    assert catalog.for_audience("person") and catalog.for_audience(Audience.COMPANY)
    assert catalog.version and catalog.date.year >= 2024
    assert len(set(catalog.codes)) == len(catalog.codes)


def test_every_bundle_has_departments_items_and_materials(catalog):
    for bundle in catalog.bundles:
        assert bundle.code.isascii() and bundle.name.endswith("一件事")
        assert len(bundle.departments) >= 2, bundle.code  # a bundle spans departments
        assert all(item.time_limit_days >= 1 for item in bundle.items)
        sources = {m.source for m in bundle.materials}
        assert Source.APPLICANT in sources, bundle.code


def test_unknown_bundle_is_a_clear_key_error(catalog):
    with pytest.raises(KeyError) as info:
        catalog.bundle("no_such_bundle")
    assert isinstance(info.value, UnknownBundleError)
    assert "no_such_bundle" in str(info.value) and "newborn" in str(info.value)


def test_newborn_items_and_seed_figures(catalog):
    newborn = catalog.bundle("newborn")
    names = " ".join(item.name for item in newborn.items)
    for seed_item in ["出生医学证明", "预防接种", "户口登记", "医保参保登记", "社会保障卡申领"]:
        assert seed_item in names.replace("基本医疗保险参保登记", "医保参保登记"), seed_item
    assert newborn.figures is not None
    assert (newborn.figures.steps.before, newborn.figures.steps.after) == (10, 1)
    assert (newborn.figures.materials.before, newborn.figures.materials.after) == (19, 4)
    assert newborn.figures.steps.reduction == pytest.approx(0.9)


# The State Council's 2024 batches (国发〔2024〕3号 and the second batch of the same year),
# by name, and the bundles the seed article names as Qingdao's own.
NATIONAL_1 = [
    "企业信息变更",
    "开办运输企业",
    "开办餐饮店",
    "水电气网联合报装",
    "信用修复",
    "企业破产信息核查",
    "企业上市合法合规信息核查",
    "新生儿出生",
    "教育入学",
    "社会保障卡居民服务“一卡通”",
    "残疾人服务",
    "退休",
    "二手房转移登记及水电气网联动过户",
]
NATIONAL_2 = [
    "企业迁移登记",
    "大件运输",
    "企业注销登记",
    "户口迁移",
    "就医费用报销",
    "申请公租房",
    "退役军人服务",
    "公民身后",
]
SEED_LOCAL = ["农民工工资权益保护", "公积金贷款购房", "法拍不动产", "项目建设规划用地", "创业"]


def test_national_batches_are_complete_and_tagged(catalog):
    by_name = {b.name.removesuffix("一件事"): b for b in catalog.bundles}
    for batch, names in (
        ("national-2024-1", NATIONAL_1),
        ("national-2024-2", NATIONAL_2),
        ("local", SEED_LOCAL),
    ):
        for name in names:
            assert name in by_name, name
            assert by_name[name].batch == batch, (name, by_name[name].batch)
    assert sum(b.batch == "national-2024-1" for b in catalog.bundles) == 13
    assert sum(b.batch == "national-2024-2" for b in catalog.bundles) == 8
    for bundle in catalog.bundles:
        assert bundle.items and bundle.materials and bundle.questions, bundle.code


# Later batches: only the names a source gives are listed, without an invented checklist.
LISTED = {
    "national-2025-1": {"汽车以旧换新补贴申请"},
    "national-2025-2": {"征信信息查询", "纳税信用级别依授权查询"},
    "national-2026-1": {
        "科技型企业创新政策扶持",
        "知识产权保护",
        "举办体育赛事活动",
        "育儿补贴申领",
        "灵活就业参保",
        "老年人福利补贴申请",
    },
}


def test_later_batches_are_listed_without_a_checklist(catalog):
    for batch, names in LISTED.items():
        found = {x.name.removesuffix("一件事") for x in catalog.listings if x.batch == batch}
        assert found == names, batch
    for listing in catalog.listings:
        assert listing.cite and listing.document, listing.code
        assert listing.code not in catalog.codes  # never offered a guided checklist
        with pytest.raises(KeyError):
            catalog.bundle(listing.code)


def test_every_fact_names_its_source(catalog):
    for bundle in catalog.everything:
        assert bundle.cite, bundle.code
    for bundle in catalog.bundles:
        for fact in (*bundle.items, *bundle.questions, *bundle.materials):
            assert fact.cite, (bundle.code, fact)
    # A catalog of facts from memory is honest about it: most are not verified.
    facts = [v for b in catalog.everything for _, v in b.facts()]
    assert 0 < sum(v is not None for v in facts) < len(facts) / 10


def test_retirement_seed_figures(catalog):
    retirement = catalog.bundle("retirement")
    figures = retirement.figures
    assert figures is not None
    assert (figures.steps.before, figures.steps.after) == (12, 4)
    assert (figures.time_limit_days.before, figures.time_limit_days.after) == (20, 10)
    # The seed says "20天缩短至10天" without "工作日": not a promise in working days.
    assert retirement.time_limit_days is None
    assert max(item.time_limit_days for item in retirement.items) <= 10


def test_schema_documents_every_field_the_files_use():
    schema = json.loads((CATALOG_DIR / "schema.json").read_text(encoding="utf-8"))
    defs = schema["$defs"]
    kinds = {
        "departments": "department",
        "questions": "question",
        "items": "item",
        "materials": "material",
    }
    for file in sorted((CATALOG_DIR / "bundles").glob("*.json")):
        raw = json.loads(file.read_text(encoding="utf-8"))
        assert set(raw) <= set(schema["properties"]), file.name
        assert set(schema["required"]) <= set(raw), file.name
        listed = raw.get("status") == "listed"
        for key, kind in kinds.items():
            for element in raw.get(key, []):
                assert set(element) <= set(defs[kind]["properties"]), (file.name, element)
                if not listed:
                    assert set(defs[kind]["required"]) <= set(element), (file.name, element)
    index = json.loads((CATALOG_DIR / "catalog.json").read_text(encoding="utf-8"))
    assert set(index) <= set(defs["catalog_index"]["properties"])


# -- broken files ---------------------------------------------------------------------------------


@pytest.fixture
def broken(tmp_path: Path) -> Callable[[Callable[[dict[str, Any]], None]], Path]:
    """Copy the catalog to tmp_path and apply a mutation to bundles/newborn.json."""

    def make(mutate: Callable[[dict[str, Any]], None]) -> Path:
        root = tmp_path / "catalog"
        shutil.copytree(CATALOG_DIR, root)
        file = root / "bundles" / "newborn.json"
        raw = json.loads(file.read_text(encoding="utf-8"))
        mutate(raw)
        file.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
        return root

    return make


def _index(raw: dict[str, Any], key: str, code: str) -> int:
    field = "key" if key == "questions" else "code"
    return next(i for i, e in enumerate(raw[key]) if e[field] == code)


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(raw: dict[str, Any]) -> None:
        target = raw
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return mutate


def _material(code: str, field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(raw: dict[str, Any]) -> None:
        raw["materials"][_index(raw, "materials", code)][field] = value

    return mutate


def _mi(code: str) -> int:
    raw = json.loads((CATALOG_DIR / "bundles" / "newborn.json").read_text(encoding="utf-8"))
    return _index(raw, "materials", code)


BROKEN_CASES = [
    (
        _set(["items", 2, "time_limit_days"], 0),
        "items[2].time_limit_days: expected a positive integer",
    ),
    (
        _set(["items", 2, "time_limit_days"], "5"),
        "items[2].time_limit_days: expected a positive integer",
    ),
    (
        _set(["items", 2, "time_limit_days"], True),
        "items[2].time_limit_days: expected a positive integer",
    ),
    (
        _set(["items", 0, "deferral_allowed"], "no"),
        "items[0].deferral_allowed: expected true or false",
    ),
    (
        _set(["items", 1, "department"], "police"),
        "items[1].department: 'police' is not in departments",
    ),
    (_set(["audience"], "citizen"), "audience: expected one of 'person', 'company'"),
    (
        _set(["questions", 0, "default"], "maybe"),
        "questions[0].default: 'maybe' is not one of the choices",
    ),
    (
        _set(["questions", 0, "choices"], [{"value": "yes", "label": "是"}]),
        "questions[0].choices: a question needs at least two choices",
    ),
    (
        _material("marriage_certificate", "condtion", {"q": "parents_married", "eq": "yes"}),
        f"materials[{_mi('marriage_certificate')}].condtion: unknown field",
    ),
    (
        _material("marriage_certificate", "condition", {"q": "married", "eq": "yes"}),
        f"materials[{_mi('marriage_certificate')}].condition: no question 'married'",
    ),
    (
        _material("marriage_certificate", "condition", {"q": "parents_married", "eq": "maybe"}),
        f"materials[{_mi('marriage_certificate')}].condition: 'maybe' is not a choice of question "
        "'parents_married'",
    ),
    (
        _material(
            "marriage_certificate", "condition", {"q": "parents_married", "eq": "y", "ne": "n"}
        ),
        f"materials[{_mi('marriage_certificate')}].condition: expected exactly one of",
    ),
    (
        _material(
            "marriage_certificate", "condition", {"all": [{"q": "parents_married", "in": "yes"}]}
        ),
        f"materials[{_mi('marriage_certificate')}].condition.all[0].in: expected a list",
    ),
    (
        _material("household_register", "needed_by", ["nope"]),
        f"materials[{_mi('household_register')}].needed_by[0]: no item 'nope'",
    ),
    (
        _material("birth_medical_certificate", "produced_by", "nope"),
        f"materials[{_mi('birth_medical_certificate')}].produced_by: no item 'nope'",
    ),
    (
        _material("newborn_hukou_record", "needed_by", ["social_security_card", "vaccination"]),
        f"materials[{_mi('newborn_hukou_record')}].needed_by[1]: item 'vaccination' does not come "
        "after its producer 'hukou_birth_registration'",
    ),
    (
        _material("household_register", "produced_by", "vaccination"),
        f"materials[{_mi('household_register')}].produced_by: only allowed when provided_by is",
    ),
    (
        _material("household_register", "requirement", "optional"),
        f"materials[{_mi('household_register')}].key: an optional material cannot be a key material",
    ),
    (
        _material("household_register", "form", "scan"),
        f"materials[{_mi('household_register')}].form: expected one of 'original', 'copy'",
    ),
    (
        _material("household_register", "code", "application_form"),
        f"materials[{_mi('household_register')}].code: duplicate code 'application_form'",
    ),
    (
        _material("household_register", "code", "Household-Register"),
        f"materials[{_mi('household_register')}].code: expected a code",
    ),
    (_set(["code"], "baby"), "code: 'baby' differs from the file name"),
    (
        lambda raw: raw["questions"].append(
            {
                "key": "twins",
                "text": "双胞胎?",
                "choices": [{"value": "yes", "label": "是"}, {"value": "no", "label": "否"}],
                "default": "no",
            }
        ),
        "questions[3]: no condition uses 'twins'",
    ),
    (lambda raw: raw["materials"][0].pop("name"), "materials[0].name: missing"),
    (_set(["figures", "steps", "after"], -1), "figures.steps.after: expected an integer >= 0"),
    (
        _set(["batch"], "national-3"),
        "batch: 'national-3' is not one of national-2024-1, national-2024-2",
    ),
]


@pytest.mark.parametrize(("mutate", "expected"), BROKEN_CASES)
def test_broken_bundle_names_file_and_field(broken, mutate, expected):
    root = broken(mutate)
    with pytest.raises(CatalogError) as info:
        load_catalog(root)
    assert str(info.value).startswith("bundles/newborn.json: "), str(info.value)
    assert expected in str(info.value)
    assert info.value.file == "bundles/newborn.json"


def test_invalid_json_names_the_file_and_line(tmp_path):
    root = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, root)
    file = root / "bundles" / "retirement.json"
    file.write_text('{"code": "retirement",\n  "name": }', encoding="utf-8")
    with pytest.raises(CatalogError, match=r"^bundles/retirement.json: invalid JSON at line 2"):
        load_catalog(root)


def test_catalog_index_and_files_must_agree(tmp_path):
    root = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, root)
    index_file = root / "catalog.json"
    index = json.loads(index_file.read_text(encoding="utf-8"))

    index["bundles"].append("ghost")
    index_file.write_text(json.dumps(index), encoding="utf-8")
    position = len(index["bundles"]) - 1
    with pytest.raises(CatalogError, match=rf"^catalog.json: bundles\[{position}\]: no file"):
        load_catalog(root)

    index["bundles"].remove("ghost")
    index["bundles"].remove("veteran")
    index_file.write_text(json.dumps(index), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"^bundles/veteran.json: not listed in catalog.json"):
        load_catalog(root)

    index["bundles"].append("veteran")
    index["date"] = "2026-13-01"
    index_file.write_text(json.dumps(index), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"^catalog.json: date: expected a date"):
        load_catalog(root)


def test_missing_catalog_directory_is_a_catalog_error(tmp_path):
    with pytest.raises(CatalogError, match=r"^catalog.json: file not found"):
        load_catalog(tmp_path / "nowhere")
