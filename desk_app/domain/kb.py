"""The 12345-style knowledge base: question-and-answer entries per 一件事, under ``resources/kb/``.

Layout (``resources/kb/schema.json`` documents each field)::

    kb.json                 {"version", "date", "title", "notes", "synonyms": {colloquial: [formal]}}
    entries/<bundle>.json   {"bundle": code, "entries": [entry, ...]}; the file name is the bundle

An entry: ``id``, ``question``, ``phrasings`` (other ways people ask), ``answer``, ``bundle``,
``situations`` (``["key=value", ...]`` answers of the bundle's situation questions the entry is
about; empty: every situation), ``source`` (the policy text), ``effective`` and ``review`` dates,
``version``, ``kind`` (overview, hand-written, derived: overviews and hand-written answers rank
above derived variants) and ``verified`` (``{"by", "at"}`` when someone checked the answer
against its source; null otherwise). Validated like the catalog (hand-written, every error
names the file and field); cross-checked against the catalog: the bundle exists (with a
checklist, or listed only), situations name its questions and choices.

An unverified answer is shown to staff marked as such, and never to a citizen as fact: the
kiosk's text (``public_text``) leaves its time limits out and says "以窗口告知为准".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from desk_app.domain.catalog import Catalog
from desk_app.domain.catalog_reader import CatalogError, Fields, read_json, unique

__all__ = [
    "CatalogError",
    "KbEntry",
    "KnowledgeBase",
    "default_kb_dir",
    "load_kb",
]

_ID = re.compile(r"^[a-z][a-z0-9_]*-[a-z0-9]+$")
ANSWER_MAX = 1000  # read aloud at a window or on the phone: longer is a document, not an answer


@dataclass(frozen=True)
class KbEntry:
    """One question and its answer."""

    id: str
    bundle: str
    question: str
    phrasings: tuple[str, ...]
    answer: str
    situations: tuple[tuple[str, str], ...]
    source: str
    effective: dt.date
    review: dt.date
    version: int
    kind: str = "derived"  # overview | hand | derived
    verified: tuple[str, str] | None = None  # (by, at) once checked against the source

    def review_due(self, today: dt.date) -> bool:
        """Past its review date: shown flagged until someone checks and re-dates it."""
        return today > self.review

    @property
    def needs_check(self) -> bool:
        """Nobody has checked it against an official text yet."""
        return self.verified is None


KINDS = ("overview", "hand", "derived")
_LIMIT = re.compile(r"\d+(\.\d+)?\s*个?(工作日|自然日|日|天|个月)")
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]?")
LIMITS_AT_THE_WINDOW = "办理时限以窗口告知为准。"
UNVERIFIED_PUBLIC = "以上内容尚未与官方文本核对，具体材料以窗口告知为准。"


def public_text(entry: KbEntry) -> str:
    """What a citizen may be shown (the kiosk): a verified answer as it is; an unverified one
    without the sentences that give a time limit, and with the note that the window's word
    counts."""
    if entry.verified is not None:
        return entry.answer
    kept = [x for x in _SENTENCE.findall(entry.answer) if x and not _LIMIT.search(x)]
    text = "".join(kept)
    if len(kept) < len([x for x in _SENTENCE.findall(entry.answer) if x]):
        text += LIMITS_AT_THE_WINDOW
    return f"{text}{UNVERIFIED_PUBLIC}"


@dataclass(frozen=True)
class KnowledgeBase:
    version: str
    date: dt.date
    title: str
    entries: tuple[KbEntry, ...]
    synonyms: dict[str, tuple[str, ...]]

    def entry(self, entry_id: str) -> KbEntry:
        for e in self.entries:
            if e.id == entry_id:
                return e
        raise KeyError(entry_id)

    def for_bundle(self, code: str) -> tuple[KbEntry, ...]:
        return tuple(e for e in self.entries if e.bundle == code)


def default_kb_dir() -> Path:
    """``resources/kb`` of this installation (honours DESK_APP_RESOURCES)."""
    from desk_app.paths import resources_dir

    return resources_dir() / "kb"


def load_kb(catalog: Catalog, path: Path | str | None = None) -> KnowledgeBase:
    """Load and validate the knowledge base against the catalog; CatalogError on the first fault."""
    root = Path(path) if path is not None else default_kb_dir()
    head = Fields("kb.json", "", read_json(root / "kb.json", "kb.json"))
    version = head.text("version")
    date = head.date("date")
    title = head.text("title", default="")
    head.text("notes", default="")
    head.text("$schema", default="")
    synonyms = _synonyms(head)
    head.done()

    entries: list[KbEntry] = []
    for file in sorted((root / "entries").glob("*.json")):
        entries.extend(_entries_file(file, catalog))
    unique("entries", [(e.bundle, e.id) for e in entries], "entry id")
    hall = _hall_answers(catalog)
    # The hall's answer with a shipped entry's id replaces it (a correction); others are added.
    entries = [hall.pop(e.id, e) for e in entries] + list(hall.values())
    return KnowledgeBase(version, date, title, tuple(entries), synonyms)


HALL_REVIEW_DAYS = 180


def _hall_answers(catalog: Catalog) -> dict[str, KbEntry]:
    """The answers kept with the catalog (bundle ``answers``), validated as entries are; a
    missing bundle, kind, dates or version take the defaults of an answer written in the hall."""
    found: dict[str, KbEntry] = {}
    for b in catalog.everything:
        for i, raw in enumerate(b.kb_answers):
            full = {
                "bundle": b.code,
                "kind": "hand",
                "effective": catalog.date.isoformat(),
                "version": 1,
                **raw,
            }
            if "review" not in raw:
                effective = dt.date.fromisoformat(str(full["effective"]))
                full["review"] = (effective + dt.timedelta(days=HALL_REVIEW_DAYS)).isoformat()
            entry = _entry(Fields(f"catalog {b.code}", f"answers[{i}]", full), catalog, b.code)
            found[entry.id] = entry
    return found


def _synonyms(head: Fields) -> dict[str, tuple[str, ...]]:
    raw = head.object("synonyms", default=None)
    result: dict[str, tuple[str, ...]] = {}
    if raw is None:
        return result
    for word in list(raw.raw):
        terms = [v for _, v in raw.elements(word)]
        if not word.strip() or not all(isinstance(t, str) and t.strip() for t in terms):
            raw.fail(word, "expected a non-empty list of non-empty strings")
        result[word] = tuple(terms)
    return result


def _entries_file(file: Path, catalog: Catalog) -> list[KbEntry]:
    name = f"entries/{file.name}"
    top = Fields(name, "", read_json(file, name))
    top.text("$schema", default="")
    code = top.code("bundle")
    if code != file.stem:
        top.fail("bundle", f"{code!r} differs from the file name")
    if code not in catalog.codes and catalog.listing(code) is None:
        return []  # a bundle this hall's catalog no longer holds: its answers do not apply
    entries = [_entry(f, catalog, code) for f in top.objects("entries")]
    top.done()
    unique(name, [(f"entries[{i}].id", e.id) for i, e in enumerate(entries)], "entry id")
    return entries


def _entry(f: Fields, catalog: Catalog, file_bundle: str) -> KbEntry:
    entry_id = f.text("id")
    if not _ID.match(entry_id):
        f.fail("id", "expected bundle-code-like id, e.g. 'newborn-001'")
    bundle_code = f.code("bundle")
    if bundle_code != file_bundle:
        f.fail("bundle", f"{bundle_code!r} is not the file's bundle {file_bundle!r}")
    if not entry_id.startswith(bundle_code + "-"):
        f.fail("id", f"should start with {bundle_code + '-'!r}")
    question = f.text("question")
    phrasings = []
    for p, v in f.elements("phrasings", default=[], allow_empty=True):
        if not isinstance(v, str) or not v.strip():
            raise CatalogError(f.file, p, "expected a non-empty string")
        phrasings.append(v)
    answer = f.text("answer")
    if len(answer) > ANSWER_MAX:
        f.fail("answer", f"longer than {ANSWER_MAX} characters")
    listed = catalog.listing(bundle_code)
    bundle = None if listed is not None else catalog.bundle(bundle_code)
    situations = []
    for p, v in f.elements("situations", default=[], allow_empty=True):
        key, _, value = str(v).partition("=")
        if bundle is None:
            raise CatalogError(f.file, p, "a listed-only bundle has no situation questions")
        try:
            question_def = bundle.question(key)
        except KeyError:
            raise CatalogError(f.file, p, f"no situation question {key!r}") from None
        if value not in question_def.values:
            raise CatalogError(f.file, p, f"{value!r} is not a choice of {key!r}")
        situations.append((key, value))
    source = f.text("source")
    effective = f.date("effective")
    review = f.date("review")
    if review <= effective:
        f.fail("review", "must be after the effective date")
    version = f.integer("version", minimum=1)
    kind = f.text("kind", default="derived")
    if kind not in KINDS:
        f.fail("kind", f"expected one of {', '.join(KINDS)}")
    checked = f.object("verified", default=None)
    verified = None
    if checked is not None:
        verified = (checked.text("by"), checked.date("at").isoformat())
        checked.done()
    f.done()
    return KbEntry(
        id=entry_id,
        bundle=bundle_code,
        question=question,
        phrasings=tuple(phrasings),
        answer=answer,
        situations=tuple(situations),
        source=source,
        effective=effective,
        review=review,
        version=version,
        kind=kind,
        verified=verified,
    )
