"""Device tokens (pure: no database): a credential of a call-pad, a kiosk, a display or a
script, made by an admin (``device token create``), shown once, kept only as its SHA-256.

Checking one is a hash and a constant-time compare, never an Argon2 run (a person's password
costs 0.6 s of CPU and 64 MiB per command: a call-pad pressing F1 cannot pay that). A token is
256 random bits, so its hash needs no salt or stretching. It may do only what its device does:

- ``window`` N: what a call-pad at window N does, in the name of the person logged in there
  (call next, recall, no-show, start, complete, hold, pause, resume, ask for the rating); with
  nobody logged in there it does nothing;
- ``kiosk``: issue tickets, check in appointments, read the queue (the kiosk's rights);
- ``display``: read the queue and the board (the call display's).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from desk_app.security.roles import Actor, Role

PREFIX = "dt_"
KINDS = ("window", "kiosk", "display")
WINDOW_OPERATIONS = frozenset(
    {
        "call.next",
        "call.recall",
        "call.no-show",
        "call.start",
        "call.complete",
        "call.hold",
        "window.pause",
        "window.resume",
        "window.list",
        "queue.status",
        "evaluation.invite",
        "device.report",
    }
)


def window_actor(staff_id: int, code: str) -> Actor:
    """Who a call-pad or a window token acts as: the person logged in at the window, as a
    counter (a supervisor sitting there lends it no rights at other windows), within what a
    call-pad does."""
    return Actor(staff_id, code, Role.COUNTER, scope=WINDOW_OPERATIONS)


def new_token() -> str:
    """A fresh token: ``dt_`` and 43 URL-safe characters (256 bits)."""
    return PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the database keeps of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same_digest(stored: str, token: str) -> bool:
    """Whether ``token`` is the one ``stored`` was made from (constant time)."""
    return hmac.compare_digest(stored.encode("ascii"), token_digest(token).encode("ascii"))


def looks_like_token(text: str) -> bool:
    return text.startswith(PREFIX) and 20 <= len(text) <= 100 and text.isascii()
