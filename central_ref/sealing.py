"""Personal data at rest in the reference backend: case payloads (and their conflicting
versions), online bookings' name, ID number and phone, and the bytes of case files are stored
sealed (AES-256-GCM, the row's key as associated data, so a sealed value moved to another row
does not open). ``keyed_digest`` gives lookup keys for values that must not be stored at all
(shared data's subjects, share_store.py): an HMAC under a subkey of the same key.

The key: ``--data-key-file FILE`` or ``CENTRAL_REF_DATA_KEY_FILE`` (32 random bytes, base64,
one line; created owner-only when missing), or ``CENTRAL_REF_DATA_KEY`` (the base64 itself).
A SQLite file database without either keeps its key beside it (``central.db.key``, 0600); an
in-memory one uses a key of the process. A PostgreSQL one needs the key named: the database
and its key should not sit on the same disk by accident.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "sealed:v1:"


class SealError(ValueError):
    """A key that is not one, or a sealed value that does not open with it."""


class Sealer:
    """Seals and opens values with one key; a value stored before sealing opens as it is."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise SealError("the data key must be 32 bytes (base64 of 32 random bytes)")
        self._aead = AESGCM(key)
        # Keyed lookups (shared data's subjects) use a subkey: the sealing key itself is
        # never an HMAC key too.
        self._lookup_key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"central-ref lookup v1"
        ).derive(key)

    def keyed_digest(self, value: str, purpose: str) -> str:
        """HMAC-SHA256 (hex) of ``value`` under a subkey of the data key: a lookup key for a
        value (an ID number) that must not be stored, not even as a plain hash that anyone
        could compute for a guessed ID. ``purpose`` separates the uses."""
        message = f"{purpose}\x00{value}".encode()
        return hmac.new(self._lookup_key, message, hashlib.sha256).hexdigest()

    def seal_text(self, text: str | None, context: str) -> str | None:
        if text is None:
            return None
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, text.encode("utf-8"), context.encode("utf-8"))
        return PREFIX + base64.b64encode(nonce + sealed).decode("ascii")

    def open_text(self, value: str | None, context: str) -> str | None:
        if value is None or not value.startswith(PREFIX):
            return value  # stored before sealing
        try:
            raw = base64.b64decode(value[len(PREFIX) :], validate=True)
            data = self._aead.decrypt(raw[:12], raw[12:], context.encode("utf-8"))
        except (binascii.Error, InvalidTag, ValueError) as exc:
            raise SealError(f"a sealed value of {context} does not open with this key") from exc
        return data.decode("utf-8")

    def seal_bytes(self, data: bytes, context: str) -> bytes:
        """Raw bytes sealed (a file's chunk): the 12-byte nonce, then ciphertext and tag."""
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, data, context.encode("utf-8"))

    def open_bytes(self, sealed: bytes, context: str) -> bytes:
        try:
            return self._aead.decrypt(sealed[:12], sealed[12:], context.encode("utf-8"))
        except (InvalidTag, ValueError) as exc:
            raise SealError(f"sealed bytes of {context} do not open with this key") from exc

    def seal_json(self, value: Any, context: str) -> dict[str, str]:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        return {"sealed": str(self.seal_text(text, context))}

    def open_json(self, value: Any, context: str) -> Any:
        if isinstance(value, dict) and set(value) == {"sealed"}:
            return json.loads(str(self.open_text(value["sealed"], context)))
        return value


def _read_key(text: str, where: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise SealError(f"{where}: not base64") from None
    if len(key) != 32:
        raise SealError(f"{where}: the key must be 32 bytes")
    return key


def key_file(path: Path) -> bytes:
    """The key in ``path``, made (owner-only, exclusively) when the file does not exist."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path.read_text(encoding="ascii"), str(path))
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(base64.b64encode(os.urandom(32)).decode("ascii") + "\n")
    return _read_key(path.read_text(encoding="ascii"), str(path))


def sealer_for(db_url: str, key_path: str | None = None) -> Sealer:
    """The sealer of a backend database (see the module's text for where its key comes from)."""
    from sqlalchemy.engine import make_url

    key_path = key_path or os.environ.get("CENTRAL_REF_DATA_KEY_FILE")
    if key_path:
        return Sealer(key_file(Path(key_path)))
    env = os.environ.get("CENTRAL_REF_DATA_KEY")
    if env:
        return Sealer(_read_key(env, "CENTRAL_REF_DATA_KEY"))
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            return Sealer(os.urandom(32))
        return Sealer(key_file(Path(f"{url.database}.key")))
    raise SealError(
        "the data key is needed: --data-key-file FILE (made if missing) or CENTRAL_REF_DATA_KEY"
    )
