"""Generate the committed OpenAPI document: ``python -m central_ref.openapi`` rewrites
``central_ref/openapi.json`` (``--check`` only compares). A test fails when they differ, so the
contract the desk client is built from cannot drift from the server."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

DOCUMENT = Path(__file__).with_name("openapi.json")


def document() -> dict[str, Any]:
    """The OpenAPI document of the API, independent of any database or token."""
    from central_ref.app import create_app

    # An in-memory store that is never queried: the document depends only on the routes.
    return create_app("sqlite://", {"docs"}).openapi()


def document_text() -> str:
    """The document as committed (indented JSON, UTF-8, trailing newline)."""
    from central_ref.app import openapi_text

    return openapi_text(document())


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) ``central_ref/openapi.json``."""
    args = sys.argv[1:] if argv is None else argv
    text = document_text()
    if "--check" in args:
        current = DOCUMENT.read_text(encoding="utf-8") if DOCUMENT.exists() else ""
        if current != text:
            print(f"{DOCUMENT} is stale: run python -m central_ref.openapi", file=sys.stderr)
            return 1
        return 0
    DOCUMENT.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {DOCUMENT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
