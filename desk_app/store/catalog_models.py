"""The hall's catalog versions: every published state of the 一件事 catalog, whole.

Version 0 is the catalog shipped in resources/ and is not stored. Each change in the hall (an
edit, a fact marked verified, an import, a package pulled from the platform, a rollback) stores
the whole resulting package, compressed, so any version can be shown, diffed and restored
without replaying anything. ``upstream`` keeps the last package that came from outside (as
shipped, imported or pulled): the base of the three-way merge that keeps the hall's own
corrections when a newer package arrives.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desk_app.store.base import Base
from desk_app.store.types import UTCDateTime


class CatalogVersion(Base):
    """One published catalog version (append-only)."""

    __tablename__ = "catalog_versions"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    label: Mapped[str] = mapped_column(String(64))  # e.g. "2026.12.1+h3"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))  # edit, verify, import, pull, rollback
    note: Mapped[str] = mapped_column(Text)
    package: Mapped[bytes] = mapped_column(LargeBinary)  # zlib-compressed JSON
    upstream: Mapped[bytes] = mapped_column(LargeBinary)  # zlib-compressed JSON
    # Facts a merge could not decide (JSON list of {code, fact, hall, incoming}), carried
    # forward until a change to that fact settles it.
    conflicts: Mapped[str] = mapped_column(Text, default="[]")
