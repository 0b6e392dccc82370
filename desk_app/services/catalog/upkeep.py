"""What an admin or supervisor does to the catalog: mark a fact verified with its source, edit
a fact, import or export a whole package, look at a bundle's history, roll back. Each change
publishes a new version (versions.py) and is audited; nothing is written when a check fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from desk_app.domain import clock
from desk_app.domain.catalog_package import (
    Package,
    PackageError,
    bundles_by_code,
    diff,
    find_fact,
    merge,
    unverified,
    with_fact,
    with_verified,
)
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.catalog import versions
from desk_app.services.common.errors import NotFound, Refused
from desk_app.store import Database

MAX_PACKAGE_BYTES = 20 * 1024 * 1024


def _source(text: str | None) -> str:
    from desk_app.domain.catalog_reader import text_problem

    value = (text or "").strip()
    problem = text_problem(value, 1000)
    if problem and "longer" not in problem:
        raise Refused(f"来源含不可见字符: {problem}", f"--source {problem}")
    if sum(ch.isalnum() for ch in value) < 4:
        raise Refused(
            "须写明来源(文号或网址, 及日期)", "--source must name the document or URL and its date"
        )
    if len(value) > 1000:
        raise Refused("来源过长(最多1000字)", "--source is longer than 1000 characters")
    return value


def _package_error(exc: PackageError) -> Refused:
    return Refused(f"目录中没有这一项: {exc}", f"not in the catalog: {exc}")


def verify(
    db: Database, code: str, fact: str, source: str, *, base_seq: int | None = None
) -> dict[str, Any]:
    """``catalog verify``: one fact checked against ``source`` by the acting person today."""
    require(db.actor, Operation.CATALOG_VERIFY)
    cite = _source(source)
    with db.begin() as s:
        cur = versions.current(s)
        try:
            package = with_verified(
                cur.package, code, fact, cite, db.actor.code, clock.today().isoformat()
            )
        except PackageError as exc:
            raise _package_error(exc) from None
        result = versions.publish(
            s,
            db.actor,
            package,
            kind="verify",
            note=f"{code} {fact}",
            base_seq=base_seq,
            settles=(code, fact),
        )
    return {
        "version": result["version"],
        "seq": result["seq"],
        "code": code,
        "fact": fact,
        "source": cite,
        "verified": find_fact(package, code, fact)["verified"],
    }


def edit(
    db: Database,
    code: str,
    fact: str,
    value: dict[str, Any] | None,
    *,
    source: str,
    verified: bool = False,
    note: str = "",
    base_seq: int | None = None,
) -> dict[str, Any]:
    """Replace (or with ``value=None`` remove) one fact of a bundle. The new value carries
    ``source``; it is verified by the acting person only when ``verified`` says so."""
    require(db.actor, Operation.CATALOG_EDIT)
    cite = _source(source)
    if value is not None:
        if not isinstance(value, dict):
            raise Refused("事实须是一个 JSON 对象", "a fact must be a JSON object")
        value = {k: v for k, v in value.items() if k not in ("source", "verified")}
        value["source"] = cite
        value["verified"] = (
            {"by": db.actor.code, "at": clock.today().isoformat()} if verified else None
        )
    with db.begin() as s:
        cur = versions.current(s)
        try:
            package = with_fact(cur.package, code, fact, value)
        except PackageError as exc:
            raise _package_error(exc) from None
        result = versions.publish(
            s,
            db.actor,
            package,
            kind="edit",
            note=note or f"{code} {fact}",
            base_seq=base_seq,
            settles=(code, fact),
        )
    return result


def export(db: Database, file: str | Path) -> dict[str, Any]:
    """``catalog export FILE``: the version in force as one package file."""
    require(db.actor, Operation.CATALOG_EXPORT)
    with db.read() as s:
        cur = versions.current(s)
    package = {**cur.package, "exported_version": cur.label, "exported_seq": cur.seq}
    path = Path(file)
    data = json.dumps(package, ensure_ascii=False, indent=1).encode("utf-8")
    try:
        if path.exists() and not path.is_file():
            # A device or a pipe (/dev/stdout, /dev/full): written as it is. Renaming a
            # temporary file over it would replace the device node itself.
            with path.open("wb") as f:
                f.write(data)
        else:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".catalog-")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(tmp, path)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
    except OSError as exc:
        raise Refused(
            f"无法写入 {path}: {exc.strerror or exc}", f"cannot write {path}: {exc.strerror or exc}"
        ) from None
    return {
        "version": cur.label,
        "seq": cur.seq,
        "file": str(path),
        "bundles": len(package.get("bundles", [])),
        "bytes": len(data),
    }


def read_package(file: str | Path) -> Package:
    """A package file's JSON, or Refused saying why it cannot be read."""
    path = Path(file)
    try:
        size = path.stat().st_size
        if size > MAX_PACKAGE_BYTES:
            raise Refused(f"文件过大 ({size} 字节)", f"file too large ({size} bytes)")
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise Refused(f"找不到文件 {path}", f"no such file {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise Refused(f"无法读取 {path}: {exc}", f"cannot read {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise Refused(
            f"{path} 不是有效的 JSON (第 {exc.lineno} 行: {exc.msg})",
            f"{path} is not valid JSON (line {exc.lineno}: {exc.msg})",
        ) from None
    except RecursionError:
        raise Refused(f"{path} 嵌套过深, 不是目录包", f"{path} is nested too deep") from None
    if not isinstance(raw, dict):
        raise Refused(f"{path} 不是目录包", f"{path} is not a catalog package")
    raw.pop("exported_version", None)
    raw.pop("exported_seq", None)
    return raw


def apply_incoming(
    db: Database,
    incoming: Package,
    *,
    name: str,
    kind: str,
    dry_run: bool,
    operation: Operation = Operation.CATALOG_IMPORT,
) -> dict[str, Any]:
    """Merge a package from outside (an import, or the platform's) into the hall's version in
    force, keeping the hall's own bundles and its own corrections; conflicts keep the hall's
    value and are listed for a person to decide."""
    require(db.actor, operation)
    versions.validate(incoming, name)
    with db.begin() as s:
        cur = versions.current(s)
        merged, conflicts = merge(cur.upstream, cur.package, incoming)
        versions.validate(merged, f"{name} (merged with the hall's catalog)")
        changes = diff(cur.package, merged)
        nothing = not (changes["added"] or changes["changed"] or changes["removed"])
        if dry_run or (nothing and incoming == cur.upstream):
            result = {"seq": cur.seq, "version": cur.label, **changes}
        else:
            result = versions.publish(
                s,
                db.actor,
                merged,
                kind=kind,
                note=name,
                upstream=incoming,
                base_seq=cur.seq,
                conflicts=conflicts,
            )
    return {
        **result,
        "conflicts": conflicts,
        "dry_run": dry_run,
        "applied": not dry_run and result["seq"] != cur.seq,
    }


def import_file(db: Database, file: str | Path, *, dry_run: bool = False) -> dict[str, Any]:
    """``catalog import FILE [--dry-run]``."""
    require(db.actor, Operation.CATALOG_IMPORT)
    incoming = read_package(file)
    return apply_incoming(db, incoming, name=Path(file).name, kind="import", dry_run=dry_run)


def history(db: Database, code: str) -> dict[str, Any]:
    """``catalog history CODE``: the versions that changed this bundle, newest first."""
    require(db.actor, Operation.CATALOG_HISTORY)
    with db.read() as s:
        all_ = versions.all_versions(s)
    if not any(code in bundles_by_code(v.package) for v in all_):
        raise NotFound(f"未知的一件事 {code}", f"unknown bundle {code}")
    entries = []
    previous: Package | None = None
    for v in all_:
        mine = {"bundles": [b for b in v.package.get("bundles", []) if b.get("code") == code]}
        if previous is None:
            if mine["bundles"]:
                entries.append(_entry(v, "shipped", []))
        else:
            d = diff(previous, mine)
            if code in d["added"]:
                entries.append(_entry(v, "added", []))
            elif code in d["removed"]:
                entries.append(_entry(v, "removed", []))
            elif d["changed"]:
                entries.append(_entry(v, "changed", d["changed"][0]["facts"]))
        previous = mine
    current = bundles_by_code(all_[-1].package).get(code)
    return {
        "code": code,
        "version": all_[-1].label,
        "unverified": unverified(current) if current else [],
        "versions": list(reversed(entries)),
    }


def _entry(v: versions.Version, change: str, facts: list[str]) -> dict[str, Any]:
    return {
        "seq": v.seq,
        "version": v.label,
        "kind": v.kind,
        "by": v.actor,
        "at": v.at,
        "note": v.note,
        "change": change,
        "facts": facts,
    }


def rollback(db: Database, to: str) -> dict[str, Any]:
    """``catalog rollback --to VERSION``: publish an earlier version's package again."""
    require(db.actor, Operation.CATALOG_ROLLBACK)
    with db.begin() as s:
        target = versions.find(s, to)
        cur = versions.current(s)
        if target.seq == cur.seq:
            raise Refused(f"版本 {cur.label} 已在使用", f"version {cur.label} is already in force")
        result = versions.publish(
            s,
            db.actor,
            target.package,
            kind="rollback",
            note=f"to {target.label}",
            upstream=target.upstream,
            base_seq=cur.seq,
        )
    return {**result, "to": target.label}
