"""Knowledge-base search at 10,000 entries (not a test).

    .venv/bin/python bench/kb_bench.py [--entries 10000] [--rounds 20]

Grows the shipped entries to N by copying them with varied wording (each copy keeps the real
text and adds a numbered variant, so postings lists grow as they would with a real, larger base),
builds the in-memory FTS5 index, and measures in the same run:
- ``KbIndex.search`` (bigram FTS5 + BM25 + coverage re-ranking), per query;
- the obvious baseline: score every entry by shared bigrams in Python (``scan_baseline``);
- for scale, the one-time index build and the service call with its log row on SQLite;
- the regression set (resources/kb/regression.json) on the shipped entries: the right bundle
  first / in the top three, and off-topic questions answered;
- ``desk-app kb search`` as a whole command against ``python -c pass``, same run.
Prints median and 95th percentile per query and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desk_app.domain.catalog import load_catalog  # noqa: E402
from desk_app.domain.kb import KbEntry, load_kb  # noqa: E402
from desk_app.domain.kb_search import KbIndex, scan_baseline  # noqa: E402

QUERIES = [
    "生孩子要带什么",
    "养老金什么时候发",
    "营业执照地址要改",
    "父母没结婚孩子怎么上户口",
    "退休要多久",
    "老人在家里去世了",
    "外地人能租公租房吗",
    "工地拖欠工资",
    "公司搬到别的区要注销吗",
    "社保卡丢了",
    "明天天气怎么样",
    "开饭店要办什么证",
]
VARIANTS = ["请问", "想咨询", "窗口问", "群众来电", "帮办记录", "热线转来", "老人问", "企业问"]


def grow(entries: tuple[KbEntry, ...], n: int) -> list[KbEntry]:
    out: list[KbEntry] = []
    i = 0
    while len(out) < n:
        e = entries[i % len(entries)]
        copy = i // len(entries)
        if copy == 0:
            out.append(e)
        else:
            tag = VARIANTS[copy % len(VARIANTS)]
            out.append(
                dataclasses.replace(
                    e,
                    id=f"{e.id}x{copy}",
                    question=f"{tag}{e.question}(第{copy}版)",
                    phrasings=(*e.phrasings, f"{tag}{e.phrasings[0] if e.phrasings else ''}"),
                )
            )
        i += 1
    return out


def timed(fn, rounds: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(rounds):
        for q in QUERIES:
            t = time.perf_counter()
            fn(q)
            times.append((time.perf_counter() - t) * 1000)
    return times


def summary(name: str, ms: list[float]) -> float:
    p50 = statistics.median(ms)
    p95 = statistics.quantiles(ms, n=20)[18]
    print(f"{name:<34} median {p50:8.2f} ms   p95 {p95:8.2f} ms   max {max(ms):8.2f} ms")
    return p50


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()

    catalog = load_catalog()
    kb = load_kb(catalog)
    entries = grow(kb.entries, args.entries)
    names = {b.code: b.name for b in catalog.everything}
    print(f"{len(entries)} entries ({len(kb.entries)} shipped), {len(QUERIES)} queries")

    t = time.perf_counter()
    index = KbIndex(entries, kb.synonyms, names)
    print(f"index build                        {(time.perf_counter() - t) * 1000:8.1f} ms (once)")

    index.search(QUERIES[0])  # warm
    fts = summary("KbIndex.search (FTS5 bigram BM25)", timed(index.search, args.rounds))
    scan = summary("baseline: Python scan", timed(lambda q: scan_baseline(entries, q), 1))
    print(f"ratio baseline / index (median)    {scan / fts:8.1f} x")
    p95 = statistics.quantiles(timed(index.search, args.rounds), n=20)[18]
    print(f"target p95 < 20 ms per query at {len(entries)}: {'met' if p95 < 20 else 'NOT met'}")

    # The whole use case: search plus its log row in a SQLite hall (file, WAL, write lock).
    from desk_app.services.kb import answers as kb_service
    from desk_app.store import Database
    from desk_app.store.schema import upgrade

    kb_service.index.cache_clear()
    kb_service.index()  # the shipped entries: what the service searches
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'hall.db'}")
        upgrade(db)
        summary(
            "kb.search service (+ log row)",
            timed(lambda q: kb_service.search(db, q), max(1, args.rounds // 4)),
        )
        db.dispose()


def regression(kb: object, names: dict[str, str]) -> None:
    import json

    questions = json.loads((ROOT / "resources/kb/regression.json").read_text("utf-8"))["questions"]
    index = KbIndex(kb.entries, kb.synonyms, names)  # type: ignore[attr-defined]
    top1 = top3 = answerable = off = off_answered = 0
    for q in questions:
        seen: list[str] = []
        for hit in index.search(q["q"], limit=10):
            if hit.entry.bundle not in seen:
                seen.append(hit.entry.bundle)
        if q["bundle"] is None:
            off += 1
            off_answered += bool(seen)
            continue
        answerable += 1
        top1 += seen[:1] == [q["bundle"]]
        top3 += q["bundle"] in seen[:3]
    print(
        f"regression set: {answerable} answerable: top-1 {top1} ({top1 / answerable:.0%}), "
        f"top-3 {top3} ({top3 / answerable:.0%}); off-topic answered {off_answered} of {off}"
    )


def cold_command(rounds: int = 10) -> None:
    import os
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        from desk_app.store import Database
        from desk_app.store.schema import upgrade

        url = f"sqlite:///{Path(tmp) / 'hall.db'}"
        db = Database(url)
        upgrade(db)
        db.dispose()
        env = {**os.environ, "DESK_APP_DB": url}
        exe = str(Path(sys.executable).parent / "desk-app")

        def run(cmd: list[str]) -> float:
            t = time.perf_counter()
            subprocess.run(cmd, env=env, capture_output=True, check=True)
            return (time.perf_counter() - t) * 1000

        bare = statistics.median(run([sys.executable, "-c", "pass"]) for _ in range(rounds))
        cmd = statistics.median(
            run([exe, "kb", "search", "老人去世了丧葬费怎么领", "--json"]) for _ in range(rounds)
        )
    print(
        f"cold: python -c pass {bare:6.1f} ms, desk-app kb search {cmd:6.1f} ms = "
        f"{cmd / bare:4.1f} x (target <= 10x: {'met' if cmd / bare <= 10 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
    _cat = load_catalog()
    regression(load_kb(_cat), {b.code: b.name for b in _cat.everything})
    cold_command()
