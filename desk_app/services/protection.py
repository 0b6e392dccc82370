"""Personal data at rest: names, ID numbers and phones sealed under the hall key.

The key lives outside the database (``DESK_APP_KEY`` or the owner-only key file, see
desk_app.security.keys). A fresh hall gets its key file made when its database is still empty
of personal data; afterwards a missing key is an error, never silent plaintext.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from typing import Any

from sqlalchemy import select

from desk_app.security.crypto import FieldCipher, is_encrypted
from desk_app.security.keys import HallKeyError, create_key_file, default_key_path
from desk_app.store import Database


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


def ensure_hall_key(db: Database) -> bool:
    """Before normal work: make the key file of a new hall (True when one was made).

    "New" is a hall whose ``cases`` table is empty: nothing sealed can be lost by making a key.
    A hall with cases and no key is left alone here, so commands that touch no personal data
    (the queue, the kiosk) keep working; the first use of personal data is then a HallKeyError.
    One path check when the key is present, one query only when it is not.
    """
    if os.environ.get("DESK_APP_KEY") or default_key_path().exists():
        return False
    from desk_app.store.case_models import Case

    with db.read() as s:
        fresh = s.scalar(select(Case.id).limit(1)) is None
    return ensure_key(fresh_database=True) if fresh else False


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


def seal_json(doc: Any, context: str) -> str:
    """A JSON document sealed as one token (the sync outbox payload)."""
    return cipher().encrypt(json.dumps(doc, ensure_ascii=False), context=context)


def unseal_json(stored: str, context: str) -> Any:
    """The document of :func:`seal_json`; a stored plain JSON text (a purged payload, which
    keeps identifiers only) is read as it is."""
    return json.loads(unseal(stored, context) or "null")


def lookup(value: str, purpose: str = "resident_id") -> str:
    """The keyed hash to find rows by an ID number without decrypting them."""
    return cipher().lookup_hash(value, purpose=purpose)
