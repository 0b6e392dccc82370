"""HTTP client of the central backend's API v1 (docs/central-api.md, central_ref/openapi.json).

Every message this client raises passes through :meth:`CentralClient.scrub`: a backend or a
proxy that echoes the request's ``Authorization`` header cannot put the token into an error
text, the outbox's ``last_error`` or a log line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import requests

from desk_app.sync.config import SyncConfig

# "Bearer <anything>" in any text, escaped or not: the credential is what follows the word.
_BEARER = re.compile(r"(?i)\b(bearer)\s+[^\s'\",)]+")


class CentralError(Exception):
    """The request did not get a usable answer: retry later with the same UUIDs."""


class CentralServerError(CentralError):
    """The backend answered, with a 5xx, 408 or 429: it is there but cannot serve this now
    (the sharing gateway tells a department's failing interface from an unreachable platform
    by this)."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


class CentralAuthError(CentralError):
    """401: this workstation's token is wrong or revoked. Retrying cannot help: alert."""


class CentralRejected(CentralError):
    """A 4xx other than 401/409 for a single case: the case itself is bad (dead letter)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status


@dataclass(frozen=True)
class ItemResult:
    uuid: str
    status: str  # created | replayed | conflict | invalid
    received_count: int
    error: str | None = None


class CentralClient:
    """One ``requests`` session with timeouts, bearer auth and TLS verification."""

    def __init__(self, config: SyncConfig, session: requests.Session | None = None) -> None:
        if not config.configured:
            raise CentralError(
                "未配置中心平台地址或令牌 / DESK_APP_CENTRAL_URL and "
                "DESK_APP_CENTRAL_TOKEN are not set"
            )
        config.check()  # https, or http only to this machine (SyncConfigError)
        self.config = config
        self.base = str(config.url).rstrip("/")
        self.http = session or requests.Session()
        self.http.headers["Authorization"] = f"Bearer {config.token}"
        self.http.verify = config.ca_bundle or True
        self.timeout = (config.connect_timeout_s, config.read_timeout_s)

    def __repr__(self) -> str:
        return f"CentralClient({self.config!r})"

    def scrub(self, text: str) -> str:
        """``text`` with the token replaced by ``***``: as given, trimmed, and in the escaped forms
        a repr or a header error shows it in; and whatever follows ``Bearer``."""
        token = self.config.token
        if token:
            forms = {
                token,
                token.strip(),
                repr(token)[1:-1],
                token.encode("unicode_escape").decode("ascii"),
            }
            for form in sorted(forms, key=len, reverse=True):
                if form:
                    text = text.replace(form, "***")
        return _BEARER.sub(r"\1 ***", text)

    def _call(self, method: str, path: str, **kw: Any) -> requests.Response:
        try:
            # No redirects: a 307 would re-send the token and the cases to wherever it points.
            resp = self.http.request(
                method, self.base + path, timeout=self.timeout, allow_redirects=False, **kw
            )
        except requests.exceptions.InvalidHeader:  # its text quotes the header: never keep it
            raise CentralError(
                "InvalidHeader: 本机令牌不是合法的请求头 / the token is not a valid header value"
            ) from None
        except requests.RequestException as exc:  # refused, reset, dropped, timed out, TLS
            raise CentralError(self.scrub(f"{type(exc).__name__}: {exc}")) from None
        if resp.status_code == 401:
            raise CentralAuthError(
                "中心平台拒绝了本机令牌 (401) / the central backend "
                "rejected this workstation's token"
            )
        if 300 <= resp.status_code < 400:
            raise CentralError(f"HTTP {resp.status_code}: redirects are not followed")
        if resp.status_code >= 500 or resp.status_code in (408, 429):
            raise CentralServerError(resp.status_code)
        return resp

    def call(self, method: str, path: str, **kw: Any) -> requests.Response:
        """One request to the backend's API (token, timeouts, no redirects, errors scrubbed)."""
        return self._call(method, path, **kw)

    def upload_batch(self, cases: list[dict[str, Any]]) -> list[ItemResult]:
        """POST a batch; per-case results (a bad case never fails the others)."""
        resp = self._call("POST", "/api/v1/cases/batch", json={"cases": cases})
        if resp.status_code != 200:
            raise CentralError(self.scrub(f"HTTP {resp.status_code}: {resp.text[:200]}"))
        try:
            return [
                ItemResult(
                    r["uuid"],
                    r["status"],
                    int(r.get("received_count") or 0),
                    self.scrub(str(r["error"])) if r.get("error") else None,
                )
                for r in resp.json()["results"]
            ]
        except (ValueError, KeyError, TypeError) as exc:
            raise CentralError(self.scrub(f"unexpected answer: {resp.text[:200]}")) from exc

    def upload_one(self, case: dict[str, Any]) -> ItemResult:
        """PUT one case, used to isolate a case whose batch keeps failing."""
        resp = self._call("PUT", f"/api/v1/cases/{case['uuid']}", json=case)
        if resp.status_code in (200, 201):
            body = resp.json()
            status = "created" if resp.status_code == 201 else "replayed"
            return ItemResult(case["uuid"], status, int(body.get("received_count") or 0))
        if resp.status_code == 409:
            return ItemResult(case["uuid"], "conflict", 0, self.scrub(resp.text[:300]))
        raise CentralRejected(resp.status_code, self.scrub(resp.text[:300]))

    def digest(self, start: date, end: date) -> set[str]:
        """UUIDs the backend holds for cases concluded in [start, end] (hall's days)."""
        resp = self._call(
            "GET", "/api/v1/digest", params={"from": start.isoformat(), "to": end.isoformat()}
        )
        if resp.status_code != 200:
            raise CentralError(self.scrub(f"HTTP {resp.status_code}: {resp.text[:200]}"))
        return set(resp.json()["uuids"])
