"""The knowledge base as searched: loaded and indexed once per process, and the hits as every
caller gets them. No SQLAlchemy here: ``kb search`` on the command line (quick.py) uses it
without loading the store."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from desk_app.domain import clock
from desk_app.domain.kb import KbEntry, KnowledgeBase, load_kb, public_text
from desk_app.domain.kb_search import KbIndex
from desk_app.services.common.catalog import catalog

CHANNELS = ("cli", "counter", "kiosk", "helper")
LIMIT_MAX = 50


class _PerCatalog:
    """A value built from the catalog in force, rebuilt when another version comes into force
    (the hall's answers travel with the catalog); ``cache_clear`` as lru_cache's."""

    def __init__(self, build: Any) -> None:
        self.build = build
        self.value: Any = None
        self.built_for: Any = None

    def __call__(self) -> Any:
        cat = catalog()
        if self.value is None or self.built_for is not cat:
            self.value, self.built_for = self.build(cat), cat
        return self.value

    def cache_clear(self) -> None:
        self.value = self.built_for = None


def _kb(cat: Any) -> KnowledgeBase:
    return load_kb(cat)


def _index(cat: Any) -> KbIndex:
    kb = knowledge_base()
    return KbIndex(kb.entries, kb.synonyms, {b.code: b.name for b in cat.everything})


# The knowledge base (files in resources/ and the hall's answers kept with the catalog) and its
# index: loaded, validated and indexed once per catalog version in force.
knowledge_base: Any = _PerCatalog(_kb)
index: Any = _PerCatalog(_index)


def bundle_name(code: str) -> str:
    return next((b.name for b in catalog().everything if b.code == code), code)


@dataclass(frozen=True)
class KbHit:
    id: str
    question: str
    answer: str
    bundle: str
    score: float
    bundle_name: str = ""
    source: str = ""
    review: str = ""
    review_due: bool = False
    needs_check: bool = False
    situations: list[str] = field(default_factory=list)
    version: int = 1
    kind: str = "derived"
    verified: dict[str, str] | None = None
    public_answer: str = ""  # what a citizen may be shown (kiosk): unverified limits left out

    @classmethod
    def of(cls, e: KbEntry, score: float) -> KbHit:
        return cls(
            id=e.id,
            question=e.question,
            answer=e.answer,
            bundle=e.bundle,
            score=score,
            bundle_name=bundle_name(e.bundle),
            source=e.source,
            review=e.review.isoformat(),
            review_due=e.review_due(clock.today()),
            needs_check=e.needs_check,
            situations=[f"{k}={v}" for k, v in e.situations],
            version=e.version,
            kind=e.kind,
            verified=None if e.verified is None else {"by": e.verified[0], "at": e.verified[1]},
            public_answer=public_text(e),
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class KbSearchResult:
    question_id: int
    hits: list[KbHit]

    def to_json(self) -> dict[str, Any]:
        return {"hits": [h.to_json() for h in self.hits], "question_id": self.question_id}
