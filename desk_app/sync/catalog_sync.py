"""The platform's catalog packages come in: each sync pass asks the platform for its newest
package (``GET /api/v1/catalog/latest``, with the SHA-256 of the one this hall last took, so an
unchanged catalog costs a 204) and merges a new one as ``catalog import`` does: the hall's
local bundles and its own corrections stay, and facts both sides changed are listed as
conflicts for a supervisor (services/catalog/upkeep.py)."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from desk_app.security.roles import SYSTEM_ACTOR
from desk_app.services.catalog import upkeep, versions
from desk_app.store import Database
from desk_app.sync.client import CentralClient, CentralError

log = logging.getLogger(__name__)
PATH = "/api/v1/catalog/latest"


def canonical_sha(package: dict[str, Any]) -> str:
    """The SHA-256 the platform gives a package (central_ref.catalogs.canonical)."""
    text = json.dumps(package, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pull(db: Database, client: CentralClient) -> dict[str, Any]:
    """Take the platform's newest package if it is new to this hall. ``status``: ``current``
    (nothing newer), ``none`` (nothing published), ``unsupported`` (a backend without the
    endpoint), ``applied`` (with the version, the changes and the conflicts) or ``refused``
    (a package that does not validate or merge: nothing written, the reason logged)."""
    with db.read() as s:
        have = canonical_sha(versions.current(s).upstream)
    resp = client.call("GET", PATH, params={"have": have})
    if resp.status_code == 204:
        return {"status": "current"}
    if resp.status_code in (404, 405):
        try:  # the platform's own "nothing published yet", or a backend without the route
            error = resp.json().get("error") if resp.status_code == 404 else None
        except (ValueError, AttributeError):
            error = None
        return {"status": "none" if error == "not_found" else "unsupported"}
    if resp.status_code != 200:
        raise CentralError(client.scrub(f"HTTP {resp.status_code}: {resp.text[:200]}"))
    try:
        body = resp.json()
        package = body["package"]
        version, sha = str(body["version"]), str(body["sha256"])
    except (ValueError, KeyError, TypeError) as exc:
        raise CentralError(client.scrub(f"unexpected answer: {resp.text[:200]}")) from exc
    if not isinstance(package, dict) or canonical_sha(package) != sha:
        raise CentralError(f"catalog package {version}: content does not match its SHA-256")
    if sha == have:
        return {"status": "current"}
    from desk_app.domain.errors import Refused

    try:
        result = upkeep.apply_incoming(
            db.acting_as(SYSTEM_ACTOR),
            package,
            name=f"platform {version}",
            kind="pull",
            dry_run=False,
        )
    except Refused as exc:
        log.error("catalog package %s refused: %s", version, exc)
        return {"status": "refused", "version": version, "error": str(exc)}
    if result["conflicts"]:
        log.warning(
            "catalog package %s: %d conflict(s) for a supervisor to decide",
            version,
            len(result["conflicts"]),
        )
    return {"status": "applied", **result}
