"""The knowledge base in use: search (public: counters, helpers, the kiosk, 12345), the log of
which entry answered which question, the supervisor's list of unanswered questions and of
entries past their review date, and the export for the 12345 hotline.

The entries are files (resources/kb, loaded and indexed once per process); the database holds
only what was asked, with ID numbers, phones and other long numbers masked before storing.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from desk_app.domain import clock
from desk_app.domain.catalog import CatalogError
from desk_app.domain.kb import KbEntry
from desk_app.domain.masking import mask_numbers
from desk_app.domain.validators import checked_text
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.common import audit
from desk_app.services.common.catalog import catalog
from desk_app.services.common.errors import NotFound, Refused
from desk_app.services.kb.index import (
    CHANNELS,
    LIMIT_MAX,
    KbHit,
    KbSearchResult,
    bundle_name,
    index,
    knowledge_base,
)
from desk_app.store.database import Database
from desk_app.store.kb_models import KbAnswer, KbQuestion


def mask_question(text: str) -> str:
    """The question as it may be stored: ID, phone and bank card numbers (also in Chinese
    numerals) and any other long number replaced (the one rule of desk_app.domain.masking)."""
    return mask_numbers(text)


def search(
    db: Database,
    text: str,
    *,
    bundle: str | None = None,
    limit: int = 5,
    channel: str = "cli",
) -> KbSearchResult:
    """Answer a question from the knowledge base, best first, and log it (masked).

    A question that finds nothing is logged with no entry and shows on the supervisor's list.
    """
    require(db.actor, Operation.KB_SEARCH)
    query = checked_text(text, "text", "问题") or ""
    if not query:
        raise Refused("请输入要查询的问题", "the question is empty")
    if bundle is not None and all(b.code != bundle for b in catalog().everything):
        raise NotFound(f"未知的一件事 {bundle}", f"unknown bundle {bundle}")
    if not 1 <= limit <= LIMIT_MAX:
        raise Refused(f"条数应在 1 到 {LIMIT_MAX} 之间", f"--limit must be 1..{LIMIT_MAX}")
    if channel not in CHANNELS:
        raise Refused(f"未知的渠道 {channel}", f"unknown channel {channel}")
    found = index().search(query, bundle=bundle, limit=limit)
    hits = [KbHit.of(h.entry, h.score) for h in found]
    actor = db.actor
    with db.begin() as s:
        row = KbQuestion(
            asked_at=clock.now(),
            text=mask_question(query),
            bundle=bundle,
            channel=channel,
            actor=None if actor is None or actor.device else actor.code,
            hits=len(hits),
            entry_id=hits[0].id if hits else None,
            score=hits[0].score if hits else None,
        )
        s.add(row)
        s.flush()
        question_id = row.id
    return KbSearchResult(question_id, hits)


def browse(db: Database, bundle: str) -> list[KbHit]:
    """A bundle's entries in the knowledge base's order, for browsing by touch (the kiosk's
    categories): nothing is asked, so nothing is logged."""
    require(db.actor, Operation.KB_SEARCH)
    if all(b.code != bundle for b in catalog().everything):
        raise NotFound(f"未知的一件事 {bundle}", f"unknown bundle {bundle}")
    return [KbHit.of(e, 1.0) for e in knowledge_base().entries if e.bundle == bundle]


def record_answer(db: Database, question_id: int, entry_id: str) -> None:
    """A person opened ``entry_id`` as the answer to the logged question ``question_id``."""
    require(db.actor, Operation.KB_SEARCH)
    try:
        knowledge_base().entry(entry_id)
    except KeyError:
        raise NotFound(f"没有问答条目 {entry_id}", f"no entry {entry_id}") from None
    actor = db.actor
    with db.begin() as s:
        if s.get(KbQuestion, question_id) is None:
            raise NotFound(f"没有提问记录 {question_id}", f"no question {question_id}")
        s.add(
            KbAnswer(
                question_id=question_id,
                entry_id=entry_id,
                at=clock.now(),
                actor=None if actor is None or actor.device else actor.code,
            )
        )


@dataclass(frozen=True)
class Unanswered:
    question: str
    bundle: str | None
    count: int
    last_asked_at: str | None
    source: str = "window"  # window (asked at the hall) | 12345 (a consult work order)


@dataclass(frozen=True)
class ReviewDue:
    id: str
    question: str
    bundle: str
    review: str


@dataclass(frozen=True)
class UnansweredList:
    unanswered: list[Unanswered]
    review_due: list[ReviewDue]

    def to_json(self) -> dict[str, Any]:
        return {
            "unanswered": [asdict(u) for u in self.unanswered],
            "review_due": [asdict(r) for r in self.review_due],
        }


def unanswered(db: Database, *, since: datetime | None = None, limit: int = 200) -> UnansweredList:
    """Questions nothing answered (the same text counted once, most asked first), then the
    12345 consults replied without an answer of the knowledge base, and the entries past
    their review date: the supervisor's work list for the knowledge base."""
    require(db.actor, Operation.KB_UNANSWERED)
    with db.read() as s:
        stmt = (
            select(
                KbQuestion.text,
                KbQuestion.bundle,
                func.count(KbQuestion.id),
                func.max(KbQuestion.asked_at),
            )
            .where(KbQuestion.hits == 0)
            .group_by(KbQuestion.text, KbQuestion.bundle)
            .order_by(func.count(KbQuestion.id).desc(), func.max(KbQuestion.asked_at).desc())
            .limit(limit)
        )
        if since is not None:
            stmt = stmt.where(KbQuestion.asked_at >= since)
        rows = s.execute(stmt).all()
        # The consults 12345 brought that were replied without a knowledge-base answer.
        from desk_app.services.workorders.orders import unlinked_consults

        consults = unlinked_consults(s, limit)
    items = [
        Unanswered(text, bundle, int(n), clock.iso(_aware(last))) for text, bundle, n, last in rows
    ] + [Unanswered(c["question"], c["bundle"], 1, c["replied_at"], "12345") for c in consults]
    today = clock.today()
    due = [
        ReviewDue(e.id, e.question, e.bundle, e.review.isoformat())
        for e in knowledge_base().entries
        if e.review_due(today)
    ]
    return UnansweredList(items, due)


def _aware(value: datetime) -> datetime:
    # func.max bypasses the column type on SQLite: a naive UTC value or its text comes back.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    from datetime import UTC

    return value if value.tzinfo else value.replace(tzinfo=UTC)


CSV_COLUMNS = (
    "id",
    "bundle",
    "bundle_name",
    "question",
    "phrasings",
    "answer",
    "situations",
    "source",
    "effective",
    "review",
    "version",
)


def _export_row(e: KbEntry) -> dict[str, Any]:
    return {
        "id": e.id,
        "bundle": e.bundle,
        "bundle_name": bundle_name(e.bundle),
        "question": e.question,
        "phrasings": list(e.phrasings),
        "answer": e.answer,
        "situations": [f"{k}={v}" for k, v in e.situations],
        "source": e.source,
        "effective": e.effective.isoformat(),
        "review": e.review.isoformat(),
        "version": e.version,
    }


@dataclass(frozen=True)
class KbExport:
    file: str
    format: str
    entries: int
    version: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def export(db: Database, path: Path | str, fmt: str) -> KbExport:
    """Write every entry for the 12345 hotline, JSON or CSV, UTF-8 with a BOM (Excel and the
    hotline's import tools then read the Chinese right). Audited."""
    require(db.actor, Operation.KB_EXPORT)
    if fmt not in ("json", "csv"):
        raise Refused(f"未知的导出格式 {fmt}", f"unknown export format {fmt}")
    kb = knowledge_base()
    rows = [_export_row(e) for e in kb.entries]
    target = Path(path)
    try:
        with target.open("w", encoding="utf-8-sig", newline="") as f:
            if fmt == "json":
                doc = {"version": kb.version, "date": kb.date.isoformat(), "entries": rows}
                json.dump(doc, f, ensure_ascii=False, indent=1)
            else:
                writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
                writer.writeheader()
                for r in rows:
                    flat = dict(r)
                    flat["phrasings"] = ";".join(r["phrasings"])
                    flat["situations"] = ";".join(r["situations"])
                    writer.writerow(flat)
    except OSError as exc:
        raise Refused(f"无法写入 {target}:{exc.strerror}", f"cannot write {target}") from None
    with db.begin() as s:
        audit.record(s, db.actor, "kb.export", target.name, {"format": fmt, "entries": len(rows)})
    return KbExport(str(target), fmt, len(rows), kb.version)


def reload() -> None:
    """Forget the loaded knowledge base (tests, or after the files were replaced)."""
    index.cache_clear()
    knowledge_base.cache_clear()


__all__ = [
    "CatalogError",
    "KbExport",
    "KbHit",
    "KbSearchResult",
    "UnansweredList",
    "export",
    "knowledge_base",
    "mask_question",
    "record_answer",
    "search",
    "unanswered",
]
