"""The hall's published catalog versions: which one is in force, publishing a new one.

Version 0 is the catalog shipped in resources/. Every later version is a whole package stored
in ``catalog_versions`` (store/catalog_models.py); publishing validates the package as loading
would, refuses it with the file and field of the first problem, and audits the change. Any
process puts the newest version in force with ``refresh`` (one indexed ``max(seq)`` per look):
the command line at each command, the screens on a timer.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.catalog import Catalog, CatalogError, catalog_from_package, default_catalog_dir
from desk_app.domain.catalog_package import Package, diff, package_from_dir
from desk_app.services.common import catalog as in_force
from desk_app.services.common.errors import NotFound, Refused
from desk_app.store import Database
from desk_app.store.catalog_models import CatalogVersion


def pack(value: Any) -> bytes:
    return zlib.compress(json.dumps(value, ensure_ascii=False).encode("utf-8"), 6)


def unpack(data: bytes) -> Any:
    return json.loads(zlib.decompress(data).decode("utf-8"))


@lru_cache(maxsize=1)
def _shipped_json() -> str:
    return json.dumps(package_from_dir(default_catalog_dir()), ensure_ascii=False)


def shipped_package() -> Package:
    """A fresh copy of the package shipped in resources/ (version 0)."""
    package: Package = json.loads(_shipped_json())
    return package


@dataclass(frozen=True)
class Version:
    """One version: its number, label, the package and the last package taken from outside."""

    seq: int
    label: str
    package: Package
    upstream: Package
    kind: str = "shipped"
    actor: str | None = None
    at: str | None = None
    note: str = ""
    conflicts: tuple[dict[str, Any], ...] = ()


def _shipped_version() -> Version:
    package = shipped_package()
    return Version(0, str(package.get("version")), package, shipped_package())


def _from_row(row: CatalogVersion) -> Version:
    return Version(
        seq=row.seq,
        label=row.label,
        package=unpack(row.package),
        upstream=unpack(row.upstream),
        kind=row.kind,
        actor=row.actor,
        at=row.created_at.isoformat(timespec="seconds"),
        note=row.note,
        conflicts=tuple(json.loads(row.conflicts or "[]")),
    )


def newest_seq(s: Session) -> int:
    return int(s.scalar(select(func.max(CatalogVersion.seq))) or 0)


def current(s: Session) -> Version:
    """The version in force in the database (the shipped one when the hall changed nothing)."""
    seq = newest_seq(s)
    return version(s, seq)


def version(s: Session, seq: int) -> Version:
    if seq == 0:
        return _shipped_version()
    row = s.get(CatalogVersion, seq)
    if row is None:
        raise NotFound(f"没有目录版本 {seq}", f"no catalog version {seq}")
    return _from_row(row)


def all_versions(s: Session) -> list[Version]:
    rows = s.scalars(select(CatalogVersion).order_by(CatalogVersion.seq)).all()
    return [_shipped_version(), *(_from_row(r) for r in rows)]


def find(s: Session, ref: str) -> Version:
    """A version by its number or its label (``2026.12.1+h3``)."""
    text = ref.strip()
    if text.isdigit():
        return version(s, int(text))
    for v in all_versions(s):
        if v.label == text:
            return v
    raise NotFound(f"没有目录版本 {text}", f"no catalog version {text}")


def validate(package: Any, name: str = "package") -> Catalog:
    """The Catalog of a package (its answers checked with the knowledge base), or Refused
    naming the first problem's place."""
    from desk_app.domain.kb import load_kb

    try:
        cat = catalog_from_package(package, name)
        load_kb(cat)
        return cat
    except CatalogError as exc:
        raise Refused(
            f"目录有误, 未作任何更改: {exc}", f"invalid catalog, nothing changed: {exc}"
        ) from None


def publish(
    s: Session,
    actor: Any,
    package: Package,
    *,
    kind: str,
    note: str = "",
    upstream: Package | None = None,
    base_seq: int | None = None,
    conflicts: list[dict[str, Any]] | None = None,
    settles: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """Store ``package`` as the next version (inside the caller's transaction) and audit it.

    ``base_seq``: the version the change was made on; if someone published since, the change
    is refused rather than silently overwriting theirs. ``conflicts``: facts a merge could not
    decide, listed until a change to the fact (or ``settles``, the fact a person acted on)
    settles them. Returns the diff against the previous version with the new version's number
    and label."""
    from desk_app.services.common import audit

    validate(package)
    before = current(s)
    if base_seq is not None and base_seq != before.seq:
        raise Refused(
            f"目录已被他人更新为版本 {before.seq}, 请刷新后重做",
            f"the catalog changed to version {before.seq} meanwhile; reload and redo",
        )
    changes = diff(before.package, package)
    touched = {(c["code"], f) for c in changes["changed"] for f in c["facts"]}
    touched |= {(code, "bundle") for code in changes["removed"]}
    if settles is not None:  # a person acted on this fact (verified or edited it)
        touched.add(settles)
    # Conflicts stay listed until a change to their fact settles them.
    still = [c for c in before.conflicts if (c["code"], c["fact"]) not in touched]
    still += [c for c in conflicts or [] if c not in still]
    seq = before.seq + 1
    label = f"{package.get('version')}+h{seq}"
    s.add(
        CatalogVersion(
            seq=seq,
            label=label,
            created_at=clock.real_now(),
            actor=getattr(actor, "code", None),
            kind=kind,
            note=note[:2000],
            package=pack(package),
            upstream=pack(upstream if upstream is not None else before.upstream),
            conflicts=json.dumps(still, ensure_ascii=False),
        )
    )
    try:
        s.flush()
    except IntegrityError:
        raise Refused(
            "另一人同时发布了目录版本, 请重试",
            "someone published a version at the same time; retry",
        ) from None
    audit.record(
        s,
        actor,
        f"catalog.{kind}",
        label,
        {
            "seq": seq,
            "added": changes["added"],
            "removed": changes["removed"],
            "changed": {c["code"]: c["facts"] for c in changes["changed"]},
        },
    )
    return {"seq": seq, "version": label, **changes, "open_conflicts": len(still)}


def refresh(db: Database) -> bool:
    """Put the database's newest version in force in this process; True if it changed."""
    with db.read() as s:
        seq = newest_seq(s)
        if seq == in_force.catalog().seq:
            return False
        if seq == 0:
            in_force.activate(None)
            return True
        v = version(s, seq)
    try:
        cat = catalog_from_package(v.package, v.label, seq=seq)
    except CatalogError:
        return False  # published versions were validated; keep the one in force
    in_force.activate(cat)
    return True
