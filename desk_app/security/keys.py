"""The hall key, kept outside the database: ``DESK_APP_KEY`` or a key file only its owner reads.

Where the key comes from, first match wins:

1. ``DESK_APP_KEY``: urlsafe base64 of 32 random bytes, one key. Its id is ``e`` + the first
   8 hex digits of SHA-256 over the key; its look-up secret is derived from it with HKDF.
2. The key file ``DESK_APP_KEY_FILE``, default ``<user data dir>/hall.key``.

A missing, unreadable, malformed or too openly readable key is a :class:`HallKeyError`; there is
no fallback to plaintext.

Key file (JSON, mode 0600, owned by the user running the app)::

    {"format": "desk-app-hall-key", "version": 1, "current": "k2",
     "keys": {"k1": "<b64url 32 bytes>", "k2": "<b64url 32 bytes>"},
     "lookup": "<b64url 32 bytes>"}

``keys`` are AES-256-GCM keys; every token names the key that sealed it, so after
:func:`rotate` the old keys still decrypt until their data is re-encrypted. ``lookup`` is a
separate secret that never rotates: the keyed look-up hashes, audit pseudonyms and the audit
chain key are all derived from it (HKDF-SHA256, one label each), so they stay valid across a
rotation of the encryption keys. Losing the key file loses the encrypted data: back it up
apart from the database backups.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
import re
import secrets
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from desk_app.paths import restrict_to_owner

KEY_ENV = "DESK_APP_KEY"
KEY_FILE_ENV = "DESK_APP_KEY_FILE"
KEY_FILE_NAME = "hall.key"
KEY_BYTES = 32
FILE_FORMAT = "desk-app-hall-key"
FILE_VERSION = 1
_KEY_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_MAX_FILE_BYTES = 1 << 20


class HallKeyError(LookupError):
    """The hall key is missing or unusable; one line, Chinese then English, saying what to do."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{message_zh} / {message_en}")

    def __str__(self) -> str:  # LookupError would not quote it, but say it plainly anyway
        return f"{self.message_zh} / {self.message_en}"


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _b64decode_key(text: str, where: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError, TypeError):
        raw = b""
    if len(raw) != KEY_BYTES:
        raise HallKeyError(
            f"{where} 不是 32 字节密钥的 base64 编码",
            f"{where} is not the urlsafe base64 of a 32-byte key",
        )
    return raw


def _hkdf(secret: bytes, label: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=label.encode("utf-8")
    ).derive(secret)


@dataclass(frozen=True)
class Keyring:
    """The hall's keys: AES-GCM keys by id, the current one, and the stable look-up secret."""

    current: str
    keys: Mapping[str, bytes]
    lookup_secret: bytes = field(repr=False)
    source: str = ""

    def __post_init__(self) -> None:
        if self.current not in self.keys:
            raise HallKeyError("当前密钥不在密钥列表中", "the current key id is not in the keys")
        for key_id, key in self.keys.items():
            if not _KEY_ID_RE.match(key_id) or len(key) != KEY_BYTES:
                raise HallKeyError(f"密钥 {key_id!r} 无效", f"key {key_id!r} is invalid")
        if len(self.lookup_secret) != KEY_BYTES:
            raise HallKeyError("查找密钥无效", "the lookup secret is invalid")

    def __repr__(self) -> str:
        return (
            f"Keyring(current={self.current!r}, keys={sorted(self.keys)!r}, source={self.source!r})"
        )

    @property
    def current_key(self) -> bytes:
        """The AES-256-GCM key new tokens are sealed with."""
        return self.keys[self.current]

    def key(self, key_id: str) -> bytes:
        """The key with ``key_id``; HallKeyError when the keyring no longer (or never) had it."""
        try:
            return self.keys[key_id]
        except KeyError:
            raise HallKeyError(
                f"缺少密钥 {key_id}:请恢复包含该密钥的大厅密钥文件",
                f"key {key_id} is missing: restore the hall key file that holds it",
            ) from None

    def derive(self, label: str) -> bytes:
        """A 32-byte subkey for ``label`` from the look-up secret (stable across rotations)."""
        if not label:
            raise ValueError("a label is required")
        return _hkdf(self.lookup_secret, "desk-app/" + label)


def new_keyring(source: str = "") -> Keyring:
    """A fresh keyring: one random encryption key ``k1`` and a random look-up secret."""
    return Keyring(
        "k1", {"k1": secrets.token_bytes(KEY_BYTES)}, secrets.token_bytes(KEY_BYTES), source
    )


def keyring_from_env_key(value: str) -> Keyring:
    """The single-key keyring of a ``DESK_APP_KEY`` value (urlsafe base64 of 32 bytes)."""
    key = _b64decode_key(value.strip(), KEY_ENV)
    key_id = "e" + hashlib.sha256(key).hexdigest()[:8]
    return Keyring(key_id, {key_id: key}, _hkdf(key, "desk-app/env-lookup-secret"), KEY_ENV)


def default_key_path(env: Mapping[str, str] | None = None) -> Path:
    """``DESK_APP_KEY_FILE`` or ``<user data dir>/hall.key``."""
    env = os.environ if env is None else env
    override = env.get(KEY_FILE_ENV)
    if override:
        return Path(override)
    from desk_app.paths import user_data_dir

    return user_data_dir() / KEY_FILE_NAME


def load_keyring(env: Mapping[str, str] | None = None) -> Keyring:
    """The hall's keyring from ``DESK_APP_KEY`` or the key file; HallKeyError if unusable."""
    env = os.environ if env is None else env
    value = env.get(KEY_ENV)
    if value:
        return keyring_from_env_key(value)
    return load_key_file(default_key_path(env))


def _check_owner_only(st: os.stat_result, path: Path) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise HallKeyError(f"{path} 不是普通文件", f"{path} is not a regular file")
    if os.name != "posix":
        return  # Windows: the per-user profile's ACL protects the data directory
    if st.st_uid != os.geteuid():
        raise HallKeyError(
            f"密钥文件 {path} 不属于当前用户:请以文件所有者运行或 chown 该文件",
            f"key file {path} is not owned by the current user: run as its owner or chown it",
        )
    if st.st_mode & 0o077:
        raise HallKeyError(
            f"密钥文件 {path} 可被其他用户读写:请执行 chmod 600 {path}",
            f"key file {path} is accessible to group/others: run chmod 600 {path}",
        )


def _read_owner_only(path: Path) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise HallKeyError(
            f"未找到大厅密钥 {path}:请恢复密钥文件、设置 {KEY_FILE_ENV} 或 {KEY_ENV}",
            f"hall key not found at {path}: restore the key file, or set {KEY_FILE_ENV} or {KEY_ENV}",
        ) from None
    except OSError as exc:  # permission denied, a symlink refused by O_NOFOLLOW, ...
        raise HallKeyError(
            f"无法读取密钥文件 {path}:{exc.strerror}",
            f"cannot read key file {path}: {exc.strerror}",
        ) from None
    try:
        _check_owner_only(os.fstat(fd), path)  # the file opened, not a name swapped meanwhile
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(_MAX_FILE_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > _MAX_FILE_BYTES:
        raise HallKeyError(f"密钥文件 {path} 过大", f"key file {path} is too large")
    return data


def _bad_file(path: Path, what: str) -> HallKeyError:
    return HallKeyError(
        f"密钥文件 {path} 已损坏({what}):请从备份恢复",
        f"key file {path} is malformed ({what}): restore it from the backup",
    )


def parse_key_file(data: bytes, path: Path) -> Keyring:
    """The keyring in a key file's bytes; HallKeyError naming the file when malformed."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _bad_file(path, "not JSON") from None
    if not isinstance(doc, dict) or doc.get("format") != FILE_FORMAT:
        raise _bad_file(path, "not a desk-app hall key")
    if doc.get("version") != FILE_VERSION:
        raise _bad_file(path, f"version {doc.get('version')!r}")
    keys, current, lookup = doc.get("keys"), doc.get("current"), doc.get("lookup")
    if not isinstance(keys, dict) or not keys or not isinstance(current, str):
        raise _bad_file(path, "keys/current")
    if not isinstance(lookup, str) or not all(isinstance(v, str) for v in keys.values()):
        raise _bad_file(path, "lookup")
    decoded = {str(k): _b64decode_key(v, f"{path}: {k}") for k, v in keys.items()}
    return Keyring(current, decoded, _b64decode_key(lookup, f"{path}: lookup"), str(path))


def load_key_file(path: str | os.PathLike[str]) -> Keyring:
    """Read a key file, refusing one that others may read or write (POSIX)."""
    path = Path(path)
    return parse_key_file(_read_owner_only(path), path)


def _dump(keyring: Keyring) -> bytes:
    doc = {
        "format": FILE_FORMAT,
        "version": FILE_VERSION,
        "current": keyring.current,
        "keys": {k: _b64encode(v) for k, v in sorted(keyring.keys.items())},
        "lookup": _b64encode(keyring.lookup_secret),
    }
    return (json.dumps(doc, indent=2) + "\n").encode("utf-8")


def _write_private_temp(path: Path, data: bytes) -> Path:
    """``data`` in a new 0600 file beside ``path`` (O_CREAT|O_EXCL), flushed to disk."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    restrict_to_owner(str(tmp))  # Windows: an ACL of the owner alone (the mode means nothing)
    return tmp


def create_key_file(path: str | os.PathLike[str], keyring: Keyring | None = None) -> Keyring:
    """Write a new key file (a fresh keyring, or ``keyring``) with mode 0600; never overwrites.

    The file appears complete or not at all: it is written to a private temporary file and
    hard-linked into place, which fails if ``path`` exists. Passing the keyring of a
    ``DESK_APP_KEY`` moves that key, and its look-up hashes, into a file.
    """
    path = Path(path)
    keyring = keyring or new_keyring()
    tmp = _write_private_temp(path, _dump(keyring))
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise HallKeyError(
            f"密钥文件 {path} 已存在,未覆盖", f"key file {path} already exists; not overwritten"
        ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return Keyring(keyring.current, keyring.keys, keyring.lookup_secret, str(path))


def rotate(path: str | os.PathLike[str]) -> str:
    """Add a new current encryption key to the key file, keeping the old ones; its id.

    The look-up secret is unchanged. The file is replaced atomically (0600 temporary file,
    then rename). Re-encrypt the data afterwards (``FieldCipher.reencrypt``); an old key can
    be dropped from the file by hand once nothing uses it. Not safe against two concurrent
    rotations of one file: it is an administrator's command.
    """
    path = Path(path)
    old = load_key_file(path)
    numbers = [int(k[1:]) for k in old.keys if re.fullmatch(r"k\d+", k)]
    new_id = f"k{max(numbers, default=0) + 1}"
    keys = dict(old.keys)
    keys[new_id] = secrets.token_bytes(KEY_BYTES)
    tmp = _write_private_temp(path, _dump(Keyring(new_id, keys, old.lookup_secret)))
    try:
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return new_id
