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
from sqlalchemy.orm import Session

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
    _recognised.clear()


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


KEY_CHECK_SETTING = "hall_key_check"
# (database, key check) pairs this process has already matched: one settings read per database.
_recognised: set[tuple[str, str]] = set()


def key_check() -> str:
    """A keyed hash of a constant: equal on every PC holding this hall's key, different under any
    other key, and stable across rotations (it comes from the look-up secret)."""
    return cipher().lookup_hash("desk-app hall key check", purpose="key-check")


def require_hall_key(s: Session) -> None:
    """Before signing or sealing inside ``s``'s transaction: the loaded key must be the one this
    hall's database recognises (its :func:`key_check` in the settings), else HallKeyError and
    nothing is written. A hall that has no check yet (before its first key was made) accepts the
    key ``ensure_hall_key`` will record."""
    from desk_app.store.models import Setting

    check = key_check()
    bind = s.get_bind()
    where = str(getattr(bind, "url", None) or bind.engine.url)
    if (where, check) in _recognised:
        return
    stored = s.scalar(select(Setting.value).where(Setting.key == KEY_CHECK_SETTING))
    if stored is None:
        return
    if stored != check:
        raise HallKeyError(
            f"本机密钥 ({default_key_path()} 或 DESK_APP_KEY) 不是本厅数据库的密钥, 不能签名或加密; "
            "请从本厅其他电脑复制密钥文件",
            "this PC's hall key is not the database's: nothing is signed or sealed with it; "
            "copy the hall's key file from another PC of the hall",
        )
    _recognised.add((where, check))


def ensure_hall_key(db: Database) -> bool:
    """Before normal work: make the key file of a new hall (True when one was made), and refuse
    a key that is not this hall's.

    The database keeps :func:`key_check` of its key. A PC whose key gives another check (a
    second PC of a PostgreSQL hall that made its own key, a key file from another hall) gets a
    HallKeyError naming the fix, before it seals anything the others cannot read. A key is made
    only for a hall that has neither a check nor cases; one that had a key and lost it keeps
    working for the queue and the kiosk, and personal data is then an error.
    """
    from desk_app.store.case_models import Case
    from desk_app.store.models import Setting

    with db.read() as s:
        stored = s.scalar(select(Setting.value).where(Setting.key == KEY_CHECK_SETTING))
        fresh = stored is None and s.scalar(select(Case.id).limit(1)) is None
    made = False
    if not (os.environ.get("DESK_APP_KEY") or default_key_path().exists()):
        if not fresh:
            return False
        made = ensure_key(fresh_database=True)
    check = key_check()
    if stored is None:
        with db.begin() as s:
            if s.get(Setting, KEY_CHECK_SETTING) is None:
                s.add(Setting(key=KEY_CHECK_SETTING, value=check))
    elif stored != check:
        raise HallKeyError(
            f"本机密钥 ({default_key_path()} 或 DESK_APP_KEY) 不是本厅数据库的密钥; "
            "请从本厅其他电脑复制密钥文件",
            "this PC's hall key does not match the database's: copy the hall's key file "
            "from another PC of the hall",
        )
    return made


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
