"""The platform's catalog packages: the province or city publishes a whole 一件事 catalog
(the same package ``desk-app catalog export`` writes), and each hall pulls the newest on
``sync run`` and merges it as ``catalog import`` does (desk_app/sync/catalog_sync.py).

- ``central-ref catalog-publish FILE --db URL``: the platform's operator publishes a package
  (a version already published with other content is refused; the same one again is a no-op).
- ``GET /api/v1/catalog/latest?have=SHA256`` (workstation or auditor token): the newest package
  with its version and SHA-256; 204 when the caller already has it (``have``), 404 when none
  has been published.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Integer, String, Text, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from central_ref.auth import PRINCIPAL_KEY, Principal
from central_ref.models import UtcDateTime
from central_ref.store import Store


class _Base(DeclarativeBase):
    pass


class CatalogPackage(_Base):
    """One published catalog package (append-only)."""

    __tablename__ = "catalog_packages"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[str] = mapped_column(String(64), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(UtcDateTime())
    package: Mapped[str] = mapped_column(Text)


def digest(package_text: str) -> str:
    return hashlib.sha256(package_text.encode("utf-8")).hexdigest()


def canonical(package: dict[str, Any]) -> str:
    """The stored text of a package: one canonical JSON form, so equal packages hash equal."""
    return json.dumps(package, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def publish(store: Store, package: Any) -> dict[str, Any]:
    """Store a package as the newest; ValueError when it is not one or its version is taken."""
    if not isinstance(package, dict) or not isinstance(package.get("bundles"), list):
        raise ValueError("not a catalog package (an object with a bundles list)")
    version = package.get("version")
    if not isinstance(version, str) or not version.strip() or len(version) > 64:
        raise ValueError("the package needs a version (a text of at most 64 characters)")
    package = {k: v for k, v in package.items() if k not in ("exported_version", "exported_seq")}
    text = canonical(package)
    sha = digest(text)
    _Base.metadata.create_all(store.engine)

    def work(s: Session) -> dict[str, Any]:
        row = s.scalars(select(CatalogPackage).where(CatalogPackage.version == version)).first()
        if row is not None:
            if row.sha256 != sha:
                raise ValueError(f"version {version} is already published with other content")
            return {"status": "same", "version": version, "sha256": sha}
        s.add(
            CatalogPackage(
                version=version, sha256=sha, published_at=datetime.now(UTC), package=text
            )
        )
        return {"status": "published", "version": version, "sha256": sha}

    return store.write(work)


def add_catalog_routes(api: FastAPI, store: Store) -> None:
    """Create the table (if missing) and add ``GET /api/v1/catalog/latest`` to ``api``."""
    _Base.metadata.create_all(store.engine)
    router = APIRouter(prefix="/api/v1/catalog", tags=["catalog packages"])

    @router.get("/latest", summary="The newest published catalog package")
    def latest(
        request: Request,
        have: str | None = Query(default=None, pattern=r"^[0-9a-f]{64}$"),
    ) -> Any:
        if not isinstance(request.scope.get(PRINCIPAL_KEY), Principal):
            return JSONResponse({"error": "forbidden", "detail": "a token is needed"}, 403)
        with store.read() as s:
            row = s.scalars(
                select(CatalogPackage).order_by(CatalogPackage.seq.desc()).limit(1)
            ).first()
            if row is None:
                return JSONResponse(
                    {"error": "not_found", "detail": "no catalog package published yet"}, 404
                )
            if have == row.sha256:
                return Response(status_code=204)
            return {
                "version": row.version,
                "sha256": row.sha256,
                "published_at": row.published_at.astimezone(UTC).isoformat(),
                "package": json.loads(row.package),
            }

    api.include_router(router)
