"""Loading and validating the 一件事 catalog files under ``resources/catalog/``.

Layout (``resources/catalog/schema.json`` documents each field)::

    catalog.json            {"version", "date", "title", "bundles": [codes in display order]}
    bundles/<code>.json     one bundle; the file name is its code

Validation is hand-written (no jsonschema dependency) so that every error names the file and
the field path, e.g. ``bundles/newborn.json: items[2].time_limit_days: expected a positive
integer``. Structure is checked first, then cross-references: codes unique, items' departments
listed, needed_by and produced_by items exist, a producing item comes before every item needing
its result, conditions name existing questions and choices, every question is used. Unknown
fields are errors: a misspelt "condition" must not silently make a material always apply.
Loading stops at the first error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from desk_app.domain.bundle import (
    Audience,
    BeforeAfter,
    Bundle,
    Choice,
    Department,
    Figures,
    Form,
    Item,
    Listing,
    Material,
    Question,
    Requirement,
    Source,
)
from desk_app.domain.catalog_parts import answers as answers_of
from desk_app.domain.catalog_parts import department, listing
from desk_app.domain.catalog_parts import verified as verified_of
from desk_app.domain.catalog_reader import (
    NAME_MAX,
    CatalogError,
    Fields,
    check_code,
    read_json,
    unique,
)
from desk_app.domain.conditions import Condition, questions_of

RESOURCE_MAX = 64
RESOURCE_RE = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")

__all__ = [
    "BATCHES",
    "Audience",
    "BeforeAfter",
    "Bundle",
    "Catalog",
    "CatalogError",
    "Choice",
    "Department",
    "Figures",
    "Form",
    "Item",
    "Listing",
    "Material",
    "Question",
    "Requirement",
    "Source",
    "UnknownBundleError",
    "catalog_from_package",
    "default_catalog_dir",
    "load_bundle_file",
    "load_catalog",
    "parse_bundle",
]


MAX_DAYS = 1000  # a promised time limit in working days (four years)
VERSION_MAX = 50  # a package's version label (the hall's version adds "+hN")


class UnknownBundleError(KeyError):
    """No bundle with this code in the catalog."""

    def __init__(self, code: str, known: tuple[str, ...]) -> None:
        super().__init__(code)
        self.code = code
        self.known = known

    def __str__(self) -> str:  # KeyError's default repr-quoting would hide the explanation
        return (
            f"未知的一件事编码 / unknown bundle code {self.code!r} (known: {', '.join(self.known)})"
        )


# national-YYYY-N: the State Council's N-th batch of year YYYY (2024: 13 + 8; 2025: 12 + 9;
# 2026: 13); provincial: the province's own; local: the city's own (e.g. 农民工工资权益保护).
BATCHES = (
    "national-2024-1",
    "national-2024-2",
    "national-2025-1",
    "national-2025-2",
    "national-2026-1",
    "provincial",
    "local",
)
_LATER_BATCH = re.compile(r"^national-20[2-9][0-9]-[1-9][0-9]?$")  # a batch published later


def batch_ok(batch: str) -> bool:
    """A known batch, or a later national one in the same form."""
    return batch in BATCHES or bool(_LATER_BATCH.match(batch))


@dataclass(frozen=True)
class Catalog:
    """The loaded catalog: its version and its bundles in display order."""

    version: str
    date: dt.date
    title: str
    bundles: tuple[Bundle, ...]
    path: Path | None = None  # the directory it was loaded from
    listings: tuple[Listing, ...] = ()  # published bundles without a verified checklist
    seq: int = 0  # the hall's catalog version (0: as shipped, before any change in the hall)

    def listing(self, code: str) -> Listing | None:
        """The listed-only bundle with this code, if any."""
        return next((x for x in self.listings if x.code == code), None)

    @property
    def everything(self) -> tuple[Bundle | Listing, ...]:
        """Bundles with a checklist, then the listed-only ones."""
        return (*self.bundles, *self.listings)

    def bundle(self, code: str) -> Bundle:
        """The bundle with this code; UnknownBundleError (a KeyError) if there is none."""
        for bundle in self.bundles:
            if bundle.code == code:
                return bundle
        raise UnknownBundleError(code, self.codes)

    @property
    def codes(self) -> tuple[str, ...]:
        """The bundle codes in display order."""
        return tuple(bundle.code for bundle in self.bundles)

    def for_audience(self, audience: Audience | str) -> tuple[Bundle, ...]:
        """The bundles serving persons or companies."""
        return tuple(b for b in self.bundles if b.audience == Audience(audience))


def default_catalog_dir() -> Path:
    """``resources/catalog`` of this installation (honours DESK_APP_RESOURCES)."""
    from desk_app.paths import resources_dir

    return resources_dir() / "catalog"


def load_catalog(path: Path | str | None = None) -> Catalog:
    """Load and validate the catalog directory (default: the bundled one).

    Raises CatalogError naming the file and field of the first problem found.
    """
    root = Path(path) if path is not None else default_catalog_dir()
    head = Fields("catalog.json", "", read_json(root / "catalog.json", "catalog.json"))
    version = head.text("version")
    date = head.date("date")
    title = head.text("title", default="")
    head.text("notes", default="")
    listed = [(p, check_code(head.file, p, v)) for p, v in head.elements("bundles")]
    head.done()
    unique(head.file, listed, "bundle code")

    found = {f.stem for f in (root / "bundles").glob("*.json")}
    for p, code in listed:
        if code not in found:
            raise CatalogError(head.file, p, f"no file bundles/{code}.json")
    unlisted = sorted(found - {code for _, code in listed})
    if unlisted:
        raise CatalogError(f"bundles/{unlisted[0]}.json", "", "not listed in catalog.json bundles")

    parsed = [load_bundle_file(root / "bundles" / f"{code}.json") for _, code in listed]
    return _catalog(version, date, title, parsed, path=root)


def _catalog(
    version: str,
    date: dt.date,
    title: str,
    parsed: list[Bundle | Listing],
    *,
    path: Path | None = None,
    seq: int = 0,
) -> Catalog:
    """The Catalog of parsed bundles: those with a checklist, then the listed-only ones."""
    return Catalog(
        version=version,
        date=date,
        title=title,
        bundles=tuple(b for b in parsed if isinstance(b, Bundle)),
        listings=tuple(b for b in parsed if isinstance(b, Listing)),
        path=path,
        seq=seq,
    )


def catalog_from_package(package: object, name: str = "package", seq: int = 0) -> Catalog:
    """Validate a whole catalog package (``catalog export``'s JSON: the head's fields and
    ``bundles``, a list of bundle objects) and build the Catalog; errors name the bundle."""
    head = Fields(name, "", package)
    head.integer("format", minimum=1, maximum=1, default=1)  # a later format: a later program
    version = head.text("version", limit=VERSION_MAX)
    date = head.date("date")
    title = head.text("title", default="")
    head.text("notes", default="")
    head.text("$schema", default="")
    parsed: list[Bundle | Listing] = []
    for path, raw in head.elements("bundles"):
        code = raw.get("code") if isinstance(raw, dict) else None
        parsed.append(parse_bundle(raw, f"{name}: {path}" + (f" ({code})" if code else "")))
    head.done()
    unique(name, [(f"bundles[{i}].code", b.code) for i, b in enumerate(parsed)], "bundle code")
    return _catalog(version, date, title, parsed, seq=seq)


def load_bundle_file(file: Path) -> Bundle | Listing:
    """Load and validate one bundle file; its code must equal the file name."""
    name = f"bundles/{file.name}"
    bundle = parse_bundle(read_json(file, name), name)
    if bundle.code != file.stem:
        raise CatalogError(name, "code", f"{bundle.code!r} differs from the file name")
    return bundle


def parse_bundle(raw: object, file: str) -> Bundle | Listing:
    """Validate one bundle's JSON value and build the Bundle (or, for ``"status": "listed"``,
    the Listing); ``file`` names it in errors."""
    top = Fields(file, "", raw)
    top.text("$schema", default="")
    code = top.code("code")
    name = top.text("name", limit=NAME_MAX)
    audience = top.enum("audience", Audience)
    batch = top.text("batch", default="")
    if batch and not batch_ok(batch):
        top.fail("batch", f"{batch!r} is not one of {', '.join(BATCHES)} (or national-YYYY-N)")
    status = top.text("status", default="guided")
    if status == "listed":
        return listing(top, code, name, audience, batch)
    if status != "guided":
        top.fail("status", 'expected "guided" or "listed"')
    summary = top.text("summary", default="")
    notes = top.text("notes", default="")
    limit = top.integer("time_limit_days", minimum=1, maximum=MAX_DAYS, default=None)
    departments = tuple(department(f) for f in top.objects("departments"))
    questions = tuple(_question(f) for f in top.objects("questions", default=[], allow_empty=True))
    items = tuple(_item(f) for f in top.objects("items"))
    materials = tuple(_material(f) for f in top.objects("materials"))
    figures_f = top.object("figures", default=None)
    figures = None if figures_f is None else _figures(figures_f)
    name_en = top.text("name_en", default="")
    document = top.text("document", default="")
    lead = top.code("lead", default="")
    cite = top.text("source", default="")
    verified = verified_of(top)
    kb_answers = answers_of(top)
    top.done()
    bundle = Bundle(
        code=code,
        name=name,
        audience=audience,
        departments=departments,
        items=items,
        questions=questions,
        materials=materials,
        figures=figures,
        time_limit_days=limit,
        batch=batch,
        summary=summary,
        notes=notes,
        name_en=name_en,
        document=document,
        lead=lead,
        cite=cite,
        verified=verified,
        kb_answers=kb_answers,
    )
    _cross_check(file, bundle)
    return bundle


# -- one object each ------------------------------------------------------------------------------


def _question(f: Fields) -> Question:
    key = f.code("key")
    text = f.text("text", limit=NAME_MAX)
    choices = []
    for c in f.objects("choices"):
        choices.append(
            Choice(
                value=c.code("value"),
                label=c.text("label"),
                label_en=c.text("label_en", default="", limit=NAME_MAX),
            )
        )
        c.done()
    if len(choices) < 2:
        f.fail("choices", "a question needs at least two choices")
    unique(f.file, [(f"{f.path}.choices[{i}].value", c.value) for i, c in enumerate(choices)])
    default = f.text("default")
    if default not in {c.value for c in choices}:
        f.fail("default", f"{default!r} is not one of the choices")
    q = Question(
        key=key,
        text=text,
        choices=tuple(choices),
        default=default,
        notes=f.notes(),
        cite=f.text("source", default=""),
        verified=verified_of(f),
        text_en=f.text("text_en", default="", limit=NAME_MAX),
    )
    f.done()
    return q


def _item(f: Fields) -> Item:
    item = Item(
        code=f.code("code"),
        name=f.text("name", limit=NAME_MAX),
        department=f.code("department"),
        time_limit_days=f.integer("time_limit_days", minimum=1, maximum=MAX_DAYS),
        deferral_allowed=f.boolean("deferral_allowed"),
        condition=f.condition("condition"),
        notes=f.notes(),
        cite=f.text("source", default=""),
        verified=verified_of(f),
        name_en=f.text("name_en", default="", limit=NAME_MAX),
    )
    f.done()
    return item


def _material(f: Fields) -> Material:
    code = f.code("code")
    name = f.text("name", limit=NAME_MAX)
    requirement = f.enum("requirement", Requirement)
    key = f.boolean("key")
    if key and requirement is Requirement.OPTIONAL:
        f.fail("key", "an optional material cannot be a key material")
    form = f.enum("form", Form, default=Form.ORIGINAL)
    count = f.integer("count", minimum=1, maximum=100, default=1)
    source = f.enum("provided_by", Source)
    produced_by = f.code("produced_by", default=None)
    if source is Source.PRODUCED and produced_by is None:
        f.fail("produced_by", 'required when provided_by is "produced"')
    if source is not Source.PRODUCED and produced_by is not None:
        f.fail("produced_by", 'only allowed when provided_by is "produced"')
    resource = f.text("resource", default="", limit=RESOURCE_MAX)
    if resource and source not in (Source.SHARED, Source.E_LICENCE):
        f.fail("resource", 'only allowed when provided_by is "shared" or "e_licence"')
    if resource and RESOURCE_RE.fullmatch(resource) is None:
        f.fail("resource", "must look like department.resource (lower case, digits, _)")
    needed_by = [(p, check_code(f.file, p, v)) for p, v in f.elements("needed_by")]
    unique(f.file, needed_by, "item code")
    m = Material(
        code=code,
        name=name,
        requirement=requirement,
        key=key,
        form=form,
        count=count,
        source=source,
        needed_by=tuple(v for _, v in needed_by),
        produced_by=produced_by,
        condition=f.condition("condition"),
        notes=f.notes(),
        cite=f.text("source", default=""),
        verified=verified_of(f),
        name_en=f.text("name_en", default="", limit=NAME_MAX),
        resource=resource,
    )
    f.done()
    return m


def _figures(f: Fields) -> Figures:
    def pair(name: str) -> BeforeAfter | None:
        g = f.object(name, default=None)
        if g is None:
            return None
        value = BeforeAfter(g.integer("before", minimum=0), g.integer("after", minimum=0))
        g.done()
        return value

    figures = Figures(
        steps=pair("steps"),
        materials=pair("materials"),
        trips=pair("trips"),
        time_limit_days=pair("time_limit_days"),
        source=f.text("source", default=""),
        notes=f.notes(),
    )
    f.done()
    return figures


# -- cross-references -----------------------------------------------------------------------------


def _cross_check(file: str, b: Bundle) -> None:
    unique(file, [(f"departments[{i}].code", d.code) for i, d in enumerate(b.departments)])
    unique(file, [(f"items[{i}].code", it.code) for i, it in enumerate(b.items)])
    unique(file, [(f"questions[{i}].key", q.key) for i, q in enumerate(b.questions)])
    unique(file, [(f"materials[{i}].code", m.code) for i, m in enumerate(b.materials)])

    departments = {d.code for d in b.departments}
    if b.lead and b.lead not in departments:
        raise CatalogError(file, "lead", f"{b.lead!r} is not in departments")
    position = {item.code: i for i, item in enumerate(b.items)}
    used_departments: set[str] = set()
    used_questions: set[str] = set()
    for i, item in enumerate(b.items):
        if item.department not in departments:
            raise CatalogError(
                file, f"items[{i}].department", f"{item.department!r} is not in departments"
            )
        used_departments.add(item.department)
        used_questions |= _check_condition(file, f"items[{i}].condition", item.condition, b)
    for i, dept in enumerate(b.departments):
        if dept.code not in used_departments:
            raise CatalogError(file, f"departments[{i}]", f"no item of {dept.code!r}")

    for i, m in enumerate(b.materials):
        path = f"materials[{i}]"
        for j, code in enumerate(m.needed_by):
            if code not in position:
                raise CatalogError(file, f"{path}.needed_by[{j}]", f"no item {code!r}")
        if m.produced_by is not None:
            if m.produced_by not in position:
                raise CatalogError(file, f"{path}.produced_by", f"no item {m.produced_by!r}")
            for j, code in enumerate(m.needed_by):
                # The producing item's result must exist before an item can use it.
                if position[code] <= position[m.produced_by]:
                    raise CatalogError(
                        file,
                        f"{path}.needed_by[{j}]",
                        f"item {code!r} does not come after its producer {m.produced_by!r}",
                    )
        used_questions |= _check_condition(file, f"{path}.condition", m.condition, b)

    for i, q in enumerate(b.questions):
        if q.key not in used_questions:
            raise CatalogError(file, f"questions[{i}]", f"no condition uses {q.key!r}")


def _check_condition(file: str, path: str, cond: Condition | None, b: Bundle) -> set[str]:
    """Check the condition names existing questions and choices; return the keys it reads."""
    for key, value in _references(cond):
        try:
            question = b.question(key)
        except KeyError:
            raise CatalogError(file, path, f"no question {key!r}") from None
        if value not in question.values:
            raise CatalogError(file, path, f"{value!r} is not a choice of question {key!r}")
    return set(questions_of(cond))


def _references(cond: Condition | None) -> Iterator[tuple[str, str]]:
    return iter(()) if cond is None else cond.references()
