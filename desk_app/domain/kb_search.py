"""Offline search of the knowledge base with Chinese-aware ranking.

SQLite FTS5 (in the standard library's sqlite3, in memory) over character bigrams: Chinese has
no spaces, most words are two characters, and FTS5's trigram tokenizer cannot match a
two-character query, so the text is cut into overlapping bigrams here (a lone character stays a
unigram; Latin words and numbers stay whole) and FTS5 ranks with BM25 (question and other
phrasings weigh most). No segmenter dependency: jieba's dictionary costs ~1 s per process, which
a one-shot ``kb search`` on a kiosk should not pay, and bigrams need no dictionary upkeep.

Colloquial words reach the formal ones through the synonym table (``kb.json``: 生孩子 ->
新生儿, 养老金 -> 退休, and each bundle's spoken forms -> its name). The candidates are re-ranked
by how much of the question they cover, counted only over the question's terms the index knows:
a chatty question's filler pairs ("…不干了…", "…了怎…") occur in no entry and say nothing, so
they no longer push a covered topic under the cut-off. What keeps an off-topic question
unanswered is then the evidence: the covered terms must be specific enough (their summed
inverse document frequency at least MIN_EVIDENCE) and cover at least MIN_COVERAGE of the known
terms; and at least one covered term must be specific (at most SPECIFIC bundles speak of it:
"公司", "员工" and "要办哪些手续" are in every company bundle and say nothing of which matter is
asked about). A question about something the base does not know finds nothing (and goes to the
supervisor's list). Overviews and hand-written answers rank above the derived variants.
"""

from __future__ import annotations

import math
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from desk_app.domain.kb import KbEntry

MIN_COVERAGE = 0.5  # of the question's terms the index knows
MIN_EVIDENCE = 7.0  # summed idf (natural log) of the covered terms: about two specific words
SPECIFIC = 6  # a term at most this many bundles speak of says which matter is asked about
SHORT_SHARE = 0.75  # a short question passes with less evidence when it is mostly covered ...
KIND_WEIGHT = {"overview": 1.3, "hand": 1.2, "derived": 1.0}
CANDIDATES = 60
COMMON = 0.25  # a bigram in more than this share of entries ranks nothing: not matched on
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+")
# Bigrams of question words and fillers: they match everything and mean nothing.
STOP = frozenset(
    [
        "办理",
        "一件",
        "件事",
        "什么",
        "怎么",
        "怎样",
        "如何",
        "请问",
        "一下",
        "我想",
        "我要",
        "我们",
        "你们",
        "可以",
        "能不",
        "不能",
        "需要",
        "是否",
        "哪些",
        "哪个",
        "这个",
        "那个",
        "有没",
        "没有",
        "还要",
        "的话",
        "是不",
        "一个",
        "为什",
        "么办",
        "么样",
        "想问",
        "问一",
        "问下",
        "要去",
        "去哪",
        "在哪",
        "哪里",
    ]
)


def normalize(text: str) -> str:
    """Full-width to half-width, lower case (NFKC folds 全角 digits and letters)."""
    return unicodedata.normalize("NFKC", text).lower()


def tokens(text: str) -> list[str]:
    """Character bigrams of Chinese runs (a lone character stays), whole Latin words/numbers."""
    out: list[str] = []
    for run in _CJK.findall(normalize(text)):
        if run.isascii() or len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


@dataclass(frozen=True)
class Hit:
    entry: KbEntry
    score: float  # BM25 weighted by coverage; larger is better
    coverage: float  # share of the question's words the entry answers (0..1)


class KbIndex:
    """An in-memory FTS5 index of the entries; build once per process, search many times."""

    def __init__(
        self,
        entries: Sequence[KbEntry],
        synonyms: Mapping[str, Sequence[str]] | None = None,
        bundle_names: Mapping[str, str] | None = None,
    ) -> None:
        self.entries = list(entries)
        self.synonyms = {normalize(k): tuple(v) for k, v in (synonyms or {}).items()}
        names = bundle_names or {}
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            "CREATE VIRTUAL TABLE kb USING fts5(question, phrasings, answer, bundle_name, "
            "bundle UNINDEXED, tokenize='unicode61')"
        )
        self._tokens: list[frozenset[str]] = []
        self._topics: list[frozenset[str]] = []  # what each entry is about: question, names
        self._df: dict[str, int] = {}
        self._vocabulary: set[str] = set()  # the terms questions and names are asked in
        bundles_of: dict[str, set[str]] = {}
        rows = []
        for e in self.entries:
            q, p, a = tokens(e.question), tokens(" ".join(e.phrasings)), tokens(e.answer)
            n = tokens(names.get(e.bundle, ""))
            own = frozenset(q + p + a + n)
            for t in own:
                bundles_of.setdefault(t, set()).add(e.bundle)
            self._tokens.append(own)
            self._topics.append(frozenset(q + p + n))
            self._vocabulary.update(q, p, n)
            for t in own:
                self._df[t] = self._df.get(t, 0) + 1
            rows.append((" ".join(q), " ".join(p), " ".join(a), " ".join(n), e.bundle))
        # How many bundles speak of a term: a question must touch one its answer's few speak of.
        self._spread = {t: len(b) for t, b in bundles_of.items()}
        self._db.executemany(
            "INSERT INTO kb(question, phrasings, answer, bundle_name, bundle) VALUES (?,?,?,?,?)",
            rows,
        )

    def _expand(self, text: str) -> tuple[list[str], dict[str, set[str]]]:
        """The query's own tokens and, per token inside a colloquial word, its formal tokens."""
        norm = normalize(text)
        own = [t for t in dict.fromkeys(tokens(norm)) if t not in STOP]
        alternatives: dict[str, set[str]] = {}
        for word, formal in self.synonyms.items():
            if word in norm:
                extra = {t for f in formal for t in tokens(f)}
                for t in tokens(word):
                    alternatives.setdefault(t, set()).update(extra)
        return own, alternatives

    def _idf(self, term: str) -> float:
        return math.log((len(self.entries) + 1) / (self._df.get(term, 0) + 0.5))

    def search(self, text: str, bundle: str | None = None, limit: int = 10) -> list[Hit]:
        """The best entries for a question, best first; [] when nothing answers it."""
        own, alternatives = self._expand(text)
        # Coverage counts the terms questions are asked in (the entries' questions, other
        # phrasings and bundle names, and the synonyms): a pair of a chatty question's filler
        # ("了怎", "些部") or one found only inside some answer's prose carries nothing.
        known = [t for t in own if t in self._vocabulary or alternatives.get(t)]
        if not known:
            return []
        terms = set(known) | {t for extra in alternatives.values() for t in extra}
        # Words in most entries (材料, 办理 ...) cost the most to rank and tell nothing apart;
        # they still count for coverage below. Keep the two rarest if all are common.
        common = max(1, int(COMMON * len(self.entries)))
        rare = {t for t in terms if self._df.get(t, 0) <= common}
        terms = rare or set(sorted(terms, key=lambda t: self._df.get(t, 0))[:2])
        match = " OR ".join(f'"{t}"' for t in sorted(terms))
        sql = "SELECT rowid, bm25(kb, 4.0, 3.0, 1.0, 2.0) FROM kb WHERE kb MATCH ?"
        args: list[object] = [match]
        if bundle:
            sql += " AND bundle = ?"
            args.append(bundle)
        sql += " ORDER BY bm25(kb, 4.0, 3.0, 1.0, 2.0) LIMIT ?"
        args.append(CANDIDATES)
        hits = []
        for rowid, bm25 in self._db.execute(sql, args):
            have = self._tokens[rowid - 1]
            topic = self._topics[rowid - 1]
            evidence = on_topic = 0.0
            covered = 0
            specific = bundle is not None  # the caller named the matter
            for t in known:
                via = alternatives.get(t, set()) & have
                if t in have or via:
                    covered += 1
                    found = ({t} & have) | via
                    specific |= any(self._spread.get(x, 0) <= SPECIFIC for x in found)
                    idf = max(self._idf(x) for x in found)
                    evidence += idf
                    on_topic += idf if found & topic else 0.0
            coverage = covered / len(known)
            # ... and what it covers is what the entry is about (its question, not its prose).
            short = covered / len(own) >= SHORT_SHARE and on_topic >= 0.75 * evidence
            if specific and coverage >= MIN_COVERAGE and (evidence >= MIN_EVIDENCE or short):
                entry = self.entries[rowid - 1]
                weight = KIND_WEIGHT.get(entry.kind, 1.0)
                score = -bm25 * (0.25 + coverage) * weight
                hits.append(Hit(entry, round(score, 3), round(coverage, 3)))
        hits.sort(key=lambda h: (-h.score, h.entry.id))
        return hits[: max(1, limit)]

    def close(self) -> None:
        self._db.close()


def scan_baseline(entries: Iterable[KbEntry], text: str, limit: int = 10) -> list[KbEntry]:
    """The obvious alternative, for the benchmark: score every entry by shared bigrams."""
    want = set(tokens(text)) - STOP
    scored = []
    for e in entries:
        have = set(tokens(f"{e.question} {' '.join(e.phrasings)} {e.answer}"))
        n = len(want & have)
        if n:
            scored.append((n, e.id, e))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [e for _, _, e in scored[:limit]]
