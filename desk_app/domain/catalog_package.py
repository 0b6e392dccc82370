"""A whole catalog as one JSON value (a *package*): what ``catalog export`` writes, ``catalog
import`` reads, the hall stores per version and the platform publishes.

    {"format": 1, "version", "date", "title", "notes", "bundles": [bundle objects]}

A bundle object is a bundle file's content (resources/catalog/schema.json). Everything here
works on the plain JSON values; ``catalog_from_package`` (catalog.py) validates them.

A bundle is compared and merged fact by fact. Its facts, by path:

    bundle                 the listing: name, batch, document, lead, summary, source, verified...
    figures                the reform figures
    departments.<code>     items.<code>     questions.<key>     materials.<code>
    answers.<id>           a knowledge-base answer the hall wrote or corrected

Merging a newer package into the hall's (``merge``) is three-way against the package the
hall last took from outside: a fact the hall did not touch takes the newer value, a fact only
the hall changed keeps the hall's, and a fact both changed differently is a conflict (the
hall's value stays until a person decides). The hall's own bundles (batch local/provincial)
stay when the newer package does not carry them.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

FORMAT = 1
LISTS = (
    ("departments", "code"),
    ("items", "code"),
    ("questions", "key"),
    ("materials", "code"),
    ("answers", "id"),  # the hall's knowledge-base answers for the bundle
)
VERIFIABLE = ("bundle", "items", "questions", "materials", "answers")
HALL_BATCHES = ("local", "provincial")

Package = dict[str, Any]
Facts = dict[str, Any]


class PackageError(ValueError):
    """A package operation that cannot be done (unknown bundle or fact, bad path)."""


def package_from_dir(root: Path) -> Package:
    """The package of a catalog directory (catalog.json + bundles/<code>.json), unvalidated."""
    head = json.loads((root / "catalog.json").read_text(encoding="utf-8"))
    bundles = [
        json.loads((root / "bundles" / f"{code}.json").read_text(encoding="utf-8"))
        for code in head.get("bundles", [])
    ]
    for b in bundles:
        b.pop("$schema", None)
    return {
        "format": FORMAT,
        "version": head.get("version"),
        "date": head.get("date"),
        "title": head.get("title", ""),
        "notes": head.get("notes", ""),
        "bundles": bundles,
    }


def bundles_by_code(package: Package) -> dict[str, dict[str, Any]]:
    return {b["code"]: b for b in package.get("bundles", []) if isinstance(b, dict)}


def facts(bundle: dict[str, Any]) -> Facts:
    """The bundle's facts by path, in the bundle's order."""
    top = {k: v for k, v in bundle.items() if k not in ("figures", *(n for n, _ in LISTS))}
    result: Facts = {"bundle": top}
    if "figures" in bundle:
        result["figures"] = bundle["figures"]
    for name, key in LISTS:
        for obj in bundle.get(name, []) or []:
            result[f"{name}.{obj.get(key)}"] = obj
    return result


def from_facts(facts_: Facts) -> dict[str, Any]:
    """The bundle object back from its facts (lists in the facts' order)."""
    bundle = dict(facts_["bundle"])
    lists: dict[str, list[Any]] = {name: [] for name, _ in LISTS}
    for path, value in facts_.items():
        name = path.split(".", 1)[0]
        if name in lists:
            lists[name].append(value)
    for name, _ in LISTS:
        if lists[name] or name in ("departments", "items"):  # a listed bundle has no materials
            bundle[name] = lists[name]
    if "figures" in facts_:
        bundle["figures"] = facts_["figures"]
    return bundle


def diff(old: Package, new: Package) -> dict[str, list[Any]]:
    """What changed from ``old`` to ``new``: bundle codes added and removed, and for each
    changed bundle the paths of the facts that differ."""
    a, b = bundles_by_code(old), bundles_by_code(new)
    changed = []
    for code, nb in b.items():
        ob = a.get(code)
        if ob is None or ob == nb:
            continue
        fa, fb = facts(ob), facts(nb)
        paths = [p for p in {**fa, **fb} if fa.get(p) != fb.get(p)]
        changed.append({"code": code, "facts": paths})
    return {
        "added": [c for c in b if c not in a],
        "changed": changed,
        "removed": [c for c in a if c not in b],
    }


def merge(base: Package, local: Package, incoming: Package) -> tuple[Package, list[dict[str, Any]]]:
    """Three-way merge of ``incoming`` into ``local`` (see the module's text). Returns the
    merged package (the head from ``incoming``) and the conflicts, each ``{"code", "fact",
    "hall", "incoming"}``; a conflict keeps the hall's value."""
    bb, ll, ii = bundles_by_code(base), bundles_by_code(local), bundles_by_code(incoming)
    conflicts: list[dict[str, Any]] = []
    merged: list[dict[str, Any]] = []
    for code in [*ii, *(c for c in ll if c not in ii)]:
        b, loc, inc = bb.get(code), ll.get(code), ii.get(code)
        if inc is None:
            if loc is None:
                continue
            if loc.get("batch") in HALL_BATCHES or b is None or loc != b:
                if b is not None and loc != b and loc.get("batch") not in HALL_BATCHES:
                    conflicts.append(_conflict(code, "bundle", loc, None))
                merged.append(loc)
            continue  # removed upstream, untouched here
        if loc is None:
            if b is None:
                merged.append(inc)  # new upstream
            elif inc != b:
                conflicts.append(
                    _conflict(code, "bundle", None, inc)
                )  # removed here, changed there
            continue
        if loc in (b, inc):
            merged.append(inc)
            continue
        if b is None or inc == b:
            merged.append(loc)
            continue
        fb, fl, fi = facts(b), facts(loc), facts(inc)
        out: Facts = {}
        for path in [*fi, *(p for p in fl if p not in fi), *(p for p in fb if p not in fi)]:
            vb, vl, vi = fb.get(path), fl.get(path), fi.get(path)
            if vl == vb:
                value = vi
            elif vi == vb or vl == vi:
                value = vl
            else:
                conflicts.append(_conflict(code, path, vl, vi))
                value = vl
            if value is not None:
                out[path] = value
        merged.append(from_facts(out))
    head = {k: v for k, v in incoming.items() if k != "bundles"}
    return {**head, "bundles": merged}, conflicts


def _conflict(code: str, fact: str, hall: Any, incoming: Any) -> dict[str, Any]:
    return {"code": code, "fact": fact, "hall": hall, "incoming": incoming}


def find_fact(package: Package, code: str, path: str) -> dict[str, Any]:
    """The fact object at ``path`` of bundle ``code`` (the bundle itself for "bundle")."""
    bundle = bundles_by_code(package).get(code)
    if bundle is None:
        raise PackageError(f"no bundle {code!r}")
    if path == "bundle":
        return bundle
    name, _, key = path.partition(".")
    if name not in VERIFIABLE or not key:
        raise PackageError(
            f"fact {path!r}: expected bundle, items.CODE, questions.KEY, materials.CODE or "
            "answers.ID"
        )
    field = dict(LISTS)[name]
    for obj in bundle.get(name, []) or []:
        if obj.get(field) == key:
            return obj  # type: ignore[no-any-return]
    raise PackageError(f"bundle {code!r} has no {name[:-1]} {key!r}")


def with_verified(package: Package, code: str, path: str, source: str, by: str, at: str) -> Package:
    """A copy of the package with one fact's source set and marked verified by ``by`` on
    ``at``."""
    new = copy.deepcopy(package)
    fact = find_fact(new, code, path)
    fact["source"] = source
    fact["verified"] = {"by": by, "at": at}
    return new


def with_fact(package: Package, code: str, path: str, value: dict[str, Any] | None) -> Package:
    """A copy of the package with one fact replaced (or removed with None, or appended when
    the bundle has no such fact yet)."""
    new = copy.deepcopy(package)
    bundles = new["bundles"]
    index = next((i for i, b in enumerate(bundles) if b.get("code") == code), None)
    if index is None:
        raise PackageError(f"no bundle {code!r}")
    f = facts(bundles[index])
    name = path.split(".", 1)[0]
    if path != "bundle" and path != "figures" and name not in dict(LISTS):
        raise PackageError(f"fact {path!r}: unknown kind {name!r}")
    if value is None:
        if path == "bundle":
            raise PackageError("the listing itself cannot be removed this way")
        f.pop(path, None)
    else:
        f[path] = value
    bundles[index] = from_facts(f)
    return new


def unverified(bundle: dict[str, Any]) -> list[str]:
    """Paths of the bundle's verifiable facts nobody has verified."""
    return [
        path
        for path, value in facts(bundle).items()
        if path.split(".", 1)[0] in VERIFIABLE
        and isinstance(value, dict)
        and not value.get("verified")
    ]
