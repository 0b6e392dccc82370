"""The 一件事 catalog and the working-day calendar as the services use them: loaded once per
process, with unknown bundles and bad situation answers turned into refusals."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from desk_app.domain.bundle import Bundle
from desk_app.domain.catalog import Catalog, UnknownBundleError, load_catalog
from desk_app.domain.checklist import AnswerError, Checklist, resolve
from desk_app.domain.workdays import WorkCalendar
from desk_app.services.common.errors import NotFound, Refused


@lru_cache(maxsize=1)
def shipped() -> Catalog:
    """The catalog shipped in resources/ (loaded and validated once per process)."""
    return load_catalog()


_active: Catalog | None = None  # the hall's newest published version, once a database said so


def catalog() -> Catalog:
    """The catalog in force: the hall's newest published version (services/catalog keeps it
    current from the database), else the one shipped in resources/."""
    return _active if _active is not None else shipped()


def activate(cat: Catalog | None) -> None:
    """Put a published version in force for this process (None: back to the shipped one)."""
    global _active
    _active = cat


@lru_cache(maxsize=1)
def work_calendar() -> WorkCalendar:
    """Working days with the official holidays and 调休 (weekends only where none is known)."""
    return WorkCalendar.load()


def english_name(code: str | None, name: str) -> str:
    """A bundle's English name (the catalog's ``name_en``), else ``name`` as given: for English
    screens and messages (a service whose code is a bundle's takes that bundle's name too)."""
    found = next((b for b in catalog().everything if b.code == code), None) if code else None
    return found.name_en if found is not None and found.name_en else name


def bundle_names() -> dict[str, str]:
    """Every bundle's Chinese name by code (listed-only ones too)."""
    return {b.code: b.name for b in catalog().everything}


def fact_names(bundle_code: str | None) -> dict[str, tuple[str, str]]:
    """A bundle's items, materials and departments by ``"item:CODE"``, ``"material:CODE"``,
    ``"department:CODE"``: (Chinese name, English name or ""), for refusals and screens that
    hold only codes. Empty for a bundle the catalog does not know."""
    found = next((b for b in catalog().everything if b.code == bundle_code), None)
    if found is None:
        return {}
    names: dict[str, tuple[str, str]] = {}
    for d in found.departments:
        names[f"department:{d.code}"] = (d.name, d.name_en)
    for i in found.items:
        names[f"item:{i.code}"] = (i.name, getattr(i, "name_en", ""))
    for m in getattr(found, "materials", ()):
        names[f"material:{m.code}"] = (m.name, m.name_en)
    return names


def bundle(code: str) -> Bundle:
    """A bundle of the catalog, or NotFound."""
    cat = catalog()
    try:
        return cat.bundle(code)
    except UnknownBundleError as exc:
        listed = cat.listing(code)
        if listed is not None:
            raise Refused(
                f"{listed.name} 已列入清单, 但本厅尚无核实的材料清单, 不能按清单受理; "
                "请按部门办事指南办理",
                f"{code} is listed, but the hall has no verified checklist for it yet",
            ) from exc
        raise NotFound(f"未知的一件事 {code}", f"unknown bundle {code}") from exc


def checklist_for(code: str, answers: Mapping[str, str] | None) -> Checklist:
    """Resolve a bundle's checklist; a bad answer is refused with what was wrong."""
    b = bundle(code)
    try:
        return resolve(b, answers or {})
    except AnswerError as exc:
        raise Refused(exc.zh, exc.en) from exc
