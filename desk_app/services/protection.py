"""Personal data at rest: names, ID numbers and phones sealed under the hall key.

The key lives outside the database (``DESK_APP_KEY`` or the owner-only key file, see
desk_app.security.keys). A fresh hall gets its key file made when its database is still empty
of personal data; afterwards a missing key is an error, never silent plaintext.
"""

from __future__ import annotations

import os
from functools import lru_cache

from desk_app.security.crypto import FieldCipher, is_encrypted
from desk_app.security.keys import HallKeyError, create_key_file, default_key_path


@lru_cache(maxsize=1)
def cipher() -> FieldCipher:
    """The hall's cipher (loaded once per process); HallKeyError when there is no key."""
    return FieldCipher.from_environment()


def reset() -> None:
    """Forget the loaded key (after a rotation, and between tests)."""
    cipher.cache_clear()


def ensure_key(*, fresh_database: bool) -> bool:
    """Make the key file for a new hall; True when one was made.

    Only for a database without personal data yet: on a hall whose key went missing, making a
    new key would leave every sealed value unreadable, so that stays an error.
    """
    if os.environ.get("DESK_APP_KEY"):
        return False
    path = default_key_path()
    if path.exists():
        return False
    if not fresh_database:
        raise HallKeyError(
            f"找不到本厅密钥文件 {path}; 请从备份恢复或设置 DESK_APP_KEY",
            f"the hall key file {path} is missing: restore it from the backup or set DESK_APP_KEY",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    create_key_file(path)
    reset()
    return True


def seal(value: str | None, context: str) -> str | None:
    """``value`` encrypted for the column ``context`` (None stays None)."""
    if value is None:
        return None
    return cipher().encrypt(value, context=context)


def unseal(token: str | None, context: str) -> str | None:
    """The plain value of a sealed column (None stays None; a purged mask stays as it is)."""
    if token is None or not is_encrypted(token):
        return token  # purged values are stored masked, in clear by design
    return cipher().decrypt(token, context=context)


def lookup(value: str, purpose: str = "resident_id") -> str:
    """The keyed hash to find rows by an ID number without decrypting them."""
    return cipher().lookup_hash(value, purpose=purpose)
