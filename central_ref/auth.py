"""Who is calling: bearer tokens, the principal they stand for, and the gate that checks them.

Two kinds of token. A *workstation* token belongs to one hall PC (or one hall): it uploads
cases and reads back only its hall's. A name ``HALL/PC`` (``hall-a/pc2=TOKEN``) puts PCs in one
hall, so that any of them may retry a case another sent (the hall's outbox is shared); case ids
are scoped per hall, so another hall's upload of the same uuid is its own case and learns
nothing of this one. An *auditor* token (the platform's
operators) reads every case and uploads nothing. The cases carry full personal data, so a
workstation token must not be a key to every hall's cases.

Tokens are kept only as SHA-256 digests, compared in constant time, and never logged: a
principal is known by its name (``NAME=TOKEN``) or by a fingerprint of the token.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from central_ref.faults import send_json

HEALTH_PATH = "/api/v1/health"
PRINCIPAL_KEY = "central_ref.principal"  # set in the ASGI scope by Gate
MAX_NAME_LEN = 64


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller behind a valid token."""

    name: str  # workstation identity recorded with every arrival, or the auditor's name
    auditor: bool = False

    @property
    def scope(self) -> str | None:
        """Whose cases this caller owns and may read: its hall, the part of its name before a
        ``/`` (``hall-a/pc2``), or the whole name; None (an auditor) for all of them."""
        return None if self.auditor else self.name.split("/", 1)[0]


def parse_tokens(values: Iterable[str]) -> dict[str, str]:
    """token -> identity, from ``TOKEN`` or ``NAME=TOKEN`` entries.

    Each entry may hold several comma-separated ones. A bare token's identity is a fingerprint
    (``tok-`` and 12 hex digits of its SHA-256), so the secret itself is never stored or logged.
    A token that contains ``=`` must be given as ``NAME=TOKEN``; one with ``,`` is not possible.
    """
    tokens: dict[str, str] = {}
    for value in values:
        for part in (p.strip() for p in value.split(",")):
            if not part:
                continue
            name, sep, secret = part.partition("=")
            if not sep:
                name, secret = "tok-" + hashlib.sha256(part.encode()).hexdigest()[:12], part
            if not name or not secret:
                raise ValueError("a token entry has an empty name or token")
            if len(name) > MAX_NAME_LEN:
                raise ValueError(f"a token's name is longer than {MAX_NAME_LEN} characters")
            tokens[secret] = name
    return tokens


def parse_auditor_tokens(values: Iterable[str]) -> dict[str, str]:
    """Auditor tokens: ``NAME=TOKEN``, or a bare token named ``auditor``."""
    named = []
    for value in values:
        for part in (p.strip() for p in value.split(",")):
            if part:
                named.append(part if "=" in part else f"auditor={part}")
    return parse_tokens(named)


def _digest(secret: bytes) -> bytes:
    return hashlib.sha256(secret).digest()


class TokenTable:
    """The configured tokens as (SHA-256 digest, principal) pairs.

    ``lookup`` hashes the presented credential and compares it with *every* digest using
    ``hmac.compare_digest``: the digests all have the same length and nothing exits early, so
    the time a wrong guess takes says nothing about how close it was or how long a token is.
    """

    def __init__(self, workstations: dict[str, str], auditors: dict[str, str] | None = None):
        auditors = auditors or {}
        shared = workstations.keys() & auditors.keys()
        if shared:
            raise ValueError("a token is given both as a workstation and as an auditor token")
        self.entries: list[tuple[bytes, Principal]] = [
            (_digest(secret.encode()), Principal(name)) for secret, name in workstations.items()
        ]
        self.entries += [
            (_digest(secret.encode()), Principal(name, auditor=True))
            for secret, name in auditors.items()
        ]

    def __repr__(self) -> str:
        return f"TokenTable({len(self.entries)} tokens)"

    def lookup(self, credential: bytes) -> Principal | None:
        presented = _digest(credential)
        found = None
        for digest, principal in self.entries:
            if hmac.compare_digest(digest, presented):
                found = principal
        return found if credential else None


class Gate:
    """Bearer auth for /api/ (health excepted) and a bounded, replayable request body.

    Auth runs before anything else, so a wrong token is a deterministic 401 even when faults
    are injected, and before body parsing, so nothing about a request is answered to a caller
    without a token.
    """

    def __init__(self, app: ASGIApp, tokens: TokenTable, max_body: int) -> None:
        self.app = app
        self.tokens = tokens
        self.max_body = max_body

    def _principal(self, scope: Scope) -> Principal | None:
        header = b""
        for key, value in scope["headers"]:
            if key == b"authorization":
                header = value
                break
        scheme, _, credential = header.partition(b" ")
        if scheme.lower() != b"bearer" or not credential.strip():
            return None
        return self.tokens.lookup(credential.strip())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        if scope["path"] != HEALTH_PATH:
            principal = self._principal(scope)
            if principal is None:
                await send_json(
                    send,
                    401,
                    {"error": "unauthorized", "detail": "missing or wrong bearer token"},
                    [(b"www-authenticate", b'Bearer realm="central-ref"')],
                )
                return
            scope[PRINCIPAL_KEY] = principal
        try:
            body = await self._read_body(scope, receive)
        except _ClientGone:
            return  # nobody to answer, and half a body is not a request to process
        if body is None:
            await send_json(
                send,
                413,
                {"error": "too_large", "detail": f"request body over {self.max_body} bytes"},
            )
            return
        await self.app(scope, _replay(body, receive), send)

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes | None:
        """The whole body, or None when it is over the limit.

        Read here, before faults and processing, so that a request held back by an injected
        "timeout" can still be processed after its client has given up, as a slow real
        server would.
        """
        for key, value in scope["headers"]:
            if key == b"content-length" and value.isdigit() and int(value) > self.max_body:
                return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _ClientGone
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


class _ClientGone(Exception):
    """The client disconnected before its request body was complete."""


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive() that hands out the buffered body once, then defers to the real one."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
