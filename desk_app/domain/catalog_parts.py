"""Parts of a catalog file shared by both kinds of bundle: a fact's verification, the hall's
answers, departments, and the whole of a listed-only bundle (status "listed"). Read with the
same field paths as catalog.py, which uses them."""

from __future__ import annotations

from typing import Any

from desk_app.domain.bundle import Audience, Department, ListedItem, Listing, Verified
from desk_app.domain.catalog_reader import CatalogError, Fields, check_code, unique


def verified(f: Fields) -> Verified | None:
    g = f.object("verified", default=None)
    if g is None:
        return None
    by = g.text("by")
    at = g.date("at")
    g.done()
    return Verified(by=by, at=at.isoformat())


def answers(top: Fields) -> tuple[dict[str, Any], ...]:
    """The hall's knowledge-base answers: objects with an id, unique; their fields are checked
    by domain/kb.py when the knowledge base is loaded with this catalog."""
    found = []
    elements = top.elements("answers", default=[], allow_empty=True)
    for path, raw in elements:
        if not isinstance(raw, dict):
            raise CatalogError(top.file, path, "expected an object")
        check_code(top.file, f"{path}.id", str(raw.get("id", "")).split("-", 1)[0])
        found.append((f"{path}.id", str(raw.get("id"))))
    unique(top.file, found, "answer id")
    return tuple(dict(raw) for _, raw in elements)


def department(f: Fields) -> Department:
    d = Department(code=f.code("code"), name=f.text("name"), name_en=f.text("name_en", default=""))
    f.done()
    return d


def listing(top: Fields, code: str, name: str, audience: Audience, batch: str) -> Listing:
    departments = tuple(
        department(f) for f in top.objects("departments", default=[], allow_empty=True)
    )
    items = []
    for f in top.objects("items", default=[], allow_empty=True):
        items.append(
            ListedItem(code=f.code("code"), name=f.text("name"), department=f.code("department"))
        )
        f.done()
    listing = Listing(
        code=code,
        name=name,
        audience=audience,
        departments=departments,
        items=tuple(items),
        batch=batch,
        document=top.text("document", default=""),
        lead=top.code("lead", default=""),
        summary=top.text("summary", default=""),
        notes=top.notes(),
        name_en=top.text("name_en", default=""),
        cite=top.text("source", default=""),
        verified=verified(top),
        kb_answers=answers(top),
    )
    top.done()
    file = top.file
    unique(file, [(f"departments[{i}].code", d.code) for i, d in enumerate(departments)])
    unique(file, [(f"items[{i}].code", it.code) for i, it in enumerate(items)])
    known = {d.code for d in departments}
    for i, it in enumerate(items):
        if it.department not in known:
            raise CatalogError(
                file, f"items[{i}].department", f"{it.department!r} is not in departments"
            )
    if listing.lead and listing.lead not in known:
        raise CatalogError(file, "lead", f"{listing.lead!r} is not in departments")
    return listing
