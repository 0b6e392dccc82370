"""Field encryption of personal data (names, ID numbers, phones) and keyed hashes for look-ups.

Token: ``v1.<keyid>.<base64url(nonce | ciphertext | tag)>``, ASCII, no padding. AES-256-GCM
with a random 96-bit nonce per value (2^32 encryptions per key keep the collision chance
negligible; rotate long before that). The associated data is ``desk-app/v1/<context>``, where
``context`` names the column (``"cases.applicant_id"``): a token copied into another column,
or another row type, does not decrypt. Tampering with any part fails authentication.

Look-up hashes and audit pseudonyms are HMAC-SHA256 under subkeys derived from the key file's
``lookup`` secret (see :mod:`desk_app.security.keys`), never from the current encryption key:
a rotation re-encrypts the data but leaves every look-up column and audit entry valid.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import unicodedata
from collections.abc import Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from desk_app.security.keys import Keyring, load_keyring

VERSION = "v1"
NONCE_BYTES = 12
TAG_BYTES = 16
PSEUDONYM_HEX = 16  # 64 bits: unique enough to follow one person through the audit trail
_TOKEN_RE = re.compile(r"^v1\.([A-Za-z0-9_-]{1,32})\.([A-Za-z0-9_-]{38,})$")  # 38 = 28 bytes


class DecryptionError(ValueError):
    """A token is malformed, was altered, or belongs to another context."""


def is_encrypted(value: object) -> bool:
    """True when ``value`` has the shape of a field token (not a proof that it decrypts)."""
    return isinstance(value, str) and _TOKEN_RE.match(value) is not None


def normalise_for_lookup(value: str) -> str:
    """NFKC (full-width to ASCII), spaces and hyphens removed, upper-case (``x`` in IDs)."""
    text = unicodedata.normalize("NFKC", value or "")
    return re.sub(r"[\s\-]", "", text).upper()


def _aad(context: str) -> bytes:
    if not context:
        raise ValueError("a context (e.g. 'cases.applicant_id') is required")
    return f"desk-app/{VERSION}/{context}".encode()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


class FieldCipher:
    """Encrypts and decrypts column values under a :class:`Keyring`."""

    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring
        self._lookup_key = keyring.derive("lookup-hash/v1")
        self._pseudonym_key = keyring.derive("pseudonym/v1")

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None) -> FieldCipher:
        """The cipher of ``DESK_APP_KEY`` or the key file; HallKeyError when there is none."""
        return cls(load_keyring(env))

    @property
    def current_key_id(self) -> str:
        """The id new tokens carry."""
        return self.keyring.current

    def encrypt(self, text: str, *, context: str) -> str:
        """A ``v1.<keyid>.<...>`` token of ``text`` bound to ``context``; random each call."""
        if not isinstance(text, str):
            raise TypeError("encrypt takes str")
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keyring.current_key).encrypt(
            nonce, text.encode("utf-8"), _aad(context)
        )
        return f"{VERSION}.{self.keyring.current}.{_b64(nonce + sealed)}"

    def decrypt(self, token: str, *, context: str) -> str:
        """The text sealed in ``token`` for ``context``.

        DecryptionError when the token is malformed, altered or of another context (never the
        token itself as if it were plaintext); HallKeyError when its key is not in the keyring.
        """
        key_id, raw = self._split(token)
        key = self.keyring.key(key_id)
        try:
            plain = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _aad(context))
        except InvalidTag:
            raise DecryptionError(
                f"数据校验失败(已被篡改或不属于 {context}) / "
                f"authentication failed (altered, or not a {context} value)"
            ) from None
        return plain.decode("utf-8")

    def key_id_of(self, token: str) -> str:
        """The id of the key that sealed ``token``."""
        return self._split(token)[0]

    def reencrypt(self, token: str, *, context: str) -> str:
        """``token`` sealed under the current key (unchanged if it already is)."""
        if self.key_id_of(token) == self.keyring.current:
            self.decrypt(token, context=context)  # still authenticate it
            return token
        return self.encrypt(self.decrypt(token, context=context), context=context)

    def lookup_hash(self, value: str, *, purpose: str) -> str:
        """64 hex digits: HMAC-SHA256 of the normalised ``value`` for an equality look-up.

        ``purpose`` names the kind of value (``"resident_id"``, ``"phone"``), not the column,
        so one person's ID hashes alike in cases and appointments. Stable across rotations.
        """
        return self._mac(self._lookup_key, purpose, value).hexdigest()

    def pseudonym(self, value: str, *, purpose: str) -> str:
        """A short keyed pseudonym (16 hex digits) of ``value`` for audit entries.

        The audit trail outlives the personal-data purge, so it names people only this way.
        Without the key it reveals nothing; with the key an auditor can recompute it for a
        known ID and find that person's entries (IDs are guessable by brute force only by
        someone holding the key, which already decrypts everything).
        """
        return self._mac(self._pseudonym_key, purpose, value).hexdigest()[:PSEUDONYM_HEX]

    def audit_key(self) -> bytes:
        """The HMAC key of the audit chain (derived from the stable look-up secret)."""
        return self.keyring.derive("audit-chain/v1")

    @staticmethod
    def _mac(key: bytes, purpose: str, value: str) -> hmac.HMAC:
        if not purpose or "\x00" in purpose:
            raise ValueError("a purpose without NUL is required")
        message = purpose.encode() + b"\x00" + normalise_for_lookup(value).encode()
        return hmac.new(key, message, hashlib.sha256)

    @staticmethod
    def _split(token: str) -> tuple[str, bytes]:
        match = _TOKEN_RE.match(token) if isinstance(token, str) else None
        if match is None:
            raise DecryptionError("不是加密数据 / not an encrypted field token")
        body = match.group(2)
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        except (binascii.Error, ValueError):
            raise DecryptionError("加密数据格式错误 / malformed field token") from None
        if len(raw) < NONCE_BYTES + TAG_BYTES:
            raise DecryptionError("加密数据格式错误 / malformed field token")
        return match.group(1), raw


BYTES_MAGIC = b"DKF1"  # a sealed file: magic, key id length, key id, nonce, ciphertext+tag


def encrypt_bytes(cipher: FieldCipher, data: bytes, *, context: str) -> bytes:
    """``data`` (a scanned material's PDF) sealed under the current key, bound to ``context``."""
    key_id = cipher.keyring.current.encode("ascii")
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(cipher.keyring.current_key).encrypt(nonce, data, _aad(context))
    return BYTES_MAGIC + bytes([len(key_id)]) + key_id + nonce + sealed


def decrypt_bytes(cipher: FieldCipher, blob: bytes, *, context: str) -> bytes:
    """The bytes sealed by :func:`encrypt_bytes`; DecryptionError when altered or foreign."""
    if not blob.startswith(BYTES_MAGIC) or len(blob) < len(BYTES_MAGIC) + 1:
        raise DecryptionError("不是加密文件 / not a sealed file")
    n = blob[len(BYTES_MAGIC)]
    start = len(BYTES_MAGIC) + 1
    key_id = blob[start : start + n].decode("ascii", "replace")
    raw = blob[start + n :]
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("加密文件格式错误 / malformed sealed file")
    try:
        return AESGCM(cipher.keyring.key(key_id)).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], _aad(context)
        )
    except InvalidTag:
        raise DecryptionError(
            f"文件校验失败(已被篡改或不属于 {context}) / authentication failed ({context})"
        ) from None


def bytes_key_id(blob: bytes) -> str:
    """The id of the key that sealed a file (for key rotation)."""
    n = blob[len(BYTES_MAGIC)]
    start = len(BYTES_MAGIC) + 1
    return blob[start : start + n].decode("ascii", "replace")
