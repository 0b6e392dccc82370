"""Fault injection for tests and demos: a raw ASGI middleware around the API.

With probability ``fail_rate`` a *mutating* request (POST, PUT, PATCH, DELETE) suffers one
fault, picked uniformly from the enabled modes:

``error``
    503 with a JSON body and ``Retry-After: 1``; the request is not processed.
``timeout``
    The answer is held back for ``hang_seconds`` (default 30 s, longer than a sane client
    timeout); the request is then processed anyway and answered, usually to nobody. This is
    the nasty case of a slow server: the client's retry may overtake the original, which then
    arrives as a replay. (The body was already read by the gate, so a client that gave up in
    the meantime does not stop the late processing.)
``drop``
    The request is processed and committed, then the connection is closed after the status
    line and headers, before the body: the client gets a broken response (``requests`` raises
    ``ChunkedEncodingError``/``ConnectionError``) although the server has the data.

Reads (GET) are never failed, so test harnesses can check the server's state while it is
misbehaving; ``latency_ms`` delays every request except the health check.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Iterable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("central_ref.faults")

ALL_MODES: tuple[str, ...] = ("drop", "error", "timeout")
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


async def send_json(
    send: Send, status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    """Send a complete JSON response through a raw ASGI ``send``."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data, "more_body": False})


def parse_modes(value: str | Iterable[str]) -> tuple[str, ...]:
    """Validate fault modes given as ``"drop,error"`` or an iterable; order-preserving, unique."""
    items = value.split(",") if isinstance(value, str) else list(value)
    modes: list[str] = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        if item not in ALL_MODES:
            raise ValueError(f"unknown fault mode {item!r}: choose from {', '.join(ALL_MODES)}")
        if item not in modes:
            modes.append(item)
    if not modes:
        raise ValueError("no fault mode given")
    return tuple(modes)


class FaultInjector:
    """ASGI middleware adding latency and random failures (see the module docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        fail_rate: float = 0.0,
        latency_ms: int = 0,
        modes: str | Iterable[str] = ALL_MODES,
        hang_seconds: float = 30.0,
        seed: int | None = None,
        exempt_paths: Iterable[str] = (),
    ) -> None:
        if not 0.0 <= fail_rate <= 1.0:
            raise ValueError("fail_rate must be between 0.0 and 1.0")
        if latency_ms < 0 or hang_seconds < 0:
            raise ValueError("latency_ms and hang_seconds must not be negative")
        self.app = app
        self.fail_rate = fail_rate
        self.latency = latency_ms / 1000
        self.modes = parse_modes(modes)
        self.hang_seconds = hang_seconds
        # One generator on the event loop thread: reproducible fault sequences for a seed.
        self.rng = random.Random(seed)
        self.exempt = frozenset(exempt_paths)
        self.injected: dict[str, int] = dict.fromkeys(self.modes, 0)

    def _pick(self, scope: Scope) -> str | None:
        if scope["method"] not in MUTATING or self.fail_rate <= 0:
            return None
        if self.rng.random() >= self.fail_rate:
            return None
        return self.rng.choice(self.modes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        if self.latency:
            await asyncio.sleep(self.latency)
        mode = self._pick(scope)
        if mode is None:
            await self.app(scope, receive, send)
            return
        self.injected[mode] += 1
        log.info("injected fault %s: %s %s", mode, scope["method"], scope["path"])
        if mode == "error":
            await send_json(
                send,
                503,
                {"error": "unavailable", "detail": "injected fault: try again later"},
                [(b"retry-after", b"1"), (b"x-central-ref-fault", b"error")],
            )
        elif mode == "timeout":
            await asyncio.sleep(self.hang_seconds)
            await self.app(scope, receive, send)
        else:
            await self._drop_after_commit(scope, receive, send)

    async def _drop_after_commit(self, scope: Scope, receive: Receive, send: Send) -> None:
        start: Message | None = None

        async def hold(message: Message) -> None:
            # Swallow the response; the endpoint has committed by the time it sends it.
            nonlocal start
            if message["type"] == "http.response.start":
                start = message

        await self.app(scope, receive, hold)
        if start is None:  # pragma: no cover - the app always answers
            return
        # Status line and headers go out, the body never does. Returning without finishing
        # the response makes the server (uvicorn) close the connection: there is no portable
        # ASGI way to close it without any byte, and a cut body is what a client sees when a
        # connection breaks mid-response anyway.
        await send(start)
