"""``kb search`` on the command line without SQLAlchemy: the index (files), the hall's catalog
version in force and one log row, through the standard library's sqlite3.

A kiosk script or the 12345 desk runs ``kb search`` once per question; loading SQLAlchemy
would be most of its cost (``bench/cold_bench.py``). Like the queue's quick commands, this path
only ever succeeds: anything it does not handle (an empty or bad question, an unknown bundle,
a limit or channel out of range, a person named in the environment, a database error) comes
back as ``FALLBACK`` before anything is committed, and the full version runs and words the
refusal.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from datetime import datetime
from typing import Any

from desk_app.domain.catalog import CatalogError, catalog_from_package
from desk_app.domain.errors import Refused
from desk_app.domain.masking import mask_numbers
from desk_app.domain.validators import checked_text
from desk_app.services.common import catalog as in_force
from desk_app.services.kb.index import CHANNELS, LIMIT_MAX, KbHit, KbSearchResult, index
from desk_app.store.lite import db_time

FALLBACK: Any = object()


def put_catalog_in_force(conn: sqlite3.Connection) -> bool:
    """The hall's newest published catalog version, as ``versions.refresh`` would; False when
    it cannot be read (the full version then runs)."""
    try:
        row = conn.execute(
            "SELECT seq, label, package FROM catalog_versions ORDER BY seq DESC LIMIT 1"
        ).fetchone()
    except sqlite3.Error:
        return False
    seq = 0 if row is None else int(row[0])
    if seq == in_force.catalog().seq:
        return True
    if row is None:
        in_force.activate(None)
        return True
    try:
        package = json.loads(zlib.decompress(row[2]).decode("utf-8"))
        in_force.activate(catalog_from_package(package, row[1], seq=seq))
    except (CatalogError, ValueError, zlib.error):
        return False
    index.cache_clear()
    return True


def search(
    conn: sqlite3.Connection,
    text: str,
    bundle: str | None,
    limit: int,
    channel: str,
    now: datetime,
) -> KbSearchResult | Any:
    """The same answer and log row as ``answers.search`` for a caller without an identity."""
    try:
        query = checked_text(text, "text", "问题") or ""
    except Refused:
        return FALLBACK
    if not query or not 1 <= limit <= LIMIT_MAX or channel not in CHANNELS:
        return FALLBACK
    if not put_catalog_in_force(conn):
        return FALLBACK
    if bundle is not None and all(b.code != bundle for b in in_force.catalog().everything):
        return FALLBACK
    found = index().search(query, bundle=bundle, limit=limit)
    hits = [KbHit.of(h.entry, h.score) for h in found]
    try:
        conn.execute("BEGIN IMMEDIATE")
        cur = conn.execute(
            "INSERT INTO kb_questions (asked_at, text, bundle, channel, actor, hits, entry_id, "
            "score) VALUES (?, ?, ?, ?, NULL, ?, ?, ?)",
            (
                db_time(now),
                mask_numbers(query),
                bundle,
                channel,
                len(hits),
                hits[0].id if hits else None,
                hits[0].score if hits else None,
            ),
        )
        question_id = int(cur.lastrowid or 0)
        conn.execute("COMMIT")
    except sqlite3.Error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        return FALLBACK
    return KbSearchResult(question_id, hits)
