"""``desk-app key rotate``: a new current hall key, and every sealed value re-encrypted."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

from sqlalchemy import select

from desk_app.security.authz import require
from desk_app.security.crypto import (
    FieldCipher,
    bytes_key_id,
    decrypt_bytes,
    encrypt_bytes,
    is_encrypted,
)
from desk_app.security.keys import default_key_path, rotate
from desk_app.security.roles import Operation
from desk_app.services.assist.views import AUTHORIZATION_PERSONAL, SESSION_PERSONAL
from desk_app.services.cases.views import PERSONAL_COLUMNS
from desk_app.services.common import audit, protection
from desk_app.services.common.errors import Refused
from desk_app.store import Database
from desk_app.store.appointment_models import Appointment
from desk_app.store.assist_models import AssistAuthorization, AssistSession
from desk_app.store.case_models import Case, CaseFile, SyncOutbox
from desk_app.store.share_models import CaseShare

# (model, primary key column, sealed columns): the context of a value is "table.column",
# as the writers seal them (case_opening for cases, case_lifecycle for the outbox payload).
SEALED = (
    (Case, Case.id, PERSONAL_COLUMNS),
    (SyncOutbox, SyncOutbox.id, ("payload",)),
    (Appointment, Appointment.id, ("name", "id_no", "phone")),  # services.appointments
    (AssistSession, AssistSession.id, SESSION_PERSONAL),
    (AssistAuthorization, AssistAuthorization.id, AUTHORIZATION_PERSONAL),
)
BATCH = 500


@dataclass(frozen=True)
class Rotation:
    key_id: str
    values: int

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def reencrypt_all(db: Database) -> int:
    """Re-seal every value that is not under the current key; returns how many changed.

    Batches commit one by one: interrupted, it is run again and finishes (old keys stay in
    the key file, so values not yet moved still decrypt)."""
    c = protection.cipher()
    changed = 0
    for model, pk, columns in SEALED:
        table = model.__tablename__
        last = None
        while True:
            with db.begin() as s:
                q = select(model).order_by(pk).limit(BATCH)
                if last is not None:
                    q = q.where(pk > last)
                rows = s.execute(q).scalars().all()
                for row in rows:
                    for col in columns:
                        value = getattr(row, col)
                        if is_encrypted(value) and c.key_id_of(value) != c.current_key_id:
                            setattr(row, col, c.reencrypt(value, context=f"{table}.{col}"))
                            changed += 1
                if not rows:
                    break
                last = getattr(rows[-1], pk.key)
    return changed + _reencrypt_files(db, c) + _reencrypt_shares(db, c)


def _reencrypt_files(db: Database, c: FieldCipher) -> int:
    """The scanned materials (sealed bytes, services/cases/files.py), a batch at a time."""
    changed, last = 0, 0
    while True:
        with db.begin() as s:
            rows = s.scalars(
                select(CaseFile).where(CaseFile.id > last).order_by(CaseFile.id).limit(50)
            ).all()
            for row in rows:
                if row.content is not None and bytes_key_id(row.content) != c.current_key_id:
                    plain = decrypt_bytes(c, row.content, context="case_files.content")
                    row.content = encrypt_bytes(c, plain, context="case_files.content")
                    changed += 1
            if not rows:
                return changed
            last = rows[-1].id


def _reencrypt_shares(db: Database, c: FieldCipher) -> int:
    """What sharing returned (services/cases/sharing.py): the fields (a sealed token) and the
    e-licence (sealed bytes), a batch of keys at a time."""
    with db.read() as s:
        keys = s.execute(
            select(CaseShare.case_id, CaseShare.material_code).where(
                (CaseShare.data.is_not(None)) | (CaseShare.licence.is_not(None))
            )
        ).all()
    changed = 0
    for i in range(0, len(keys), 50):
        with db.begin() as s:
            for key in keys[i : i + 50]:
                row = s.get(CaseShare, tuple(key))
                if row is None:
                    continue
                data = row.data
                if (
                    data is not None
                    and is_encrypted(data)
                    and c.key_id_of(data) != c.current_key_id
                ):
                    row.data = c.reencrypt(data, context="case_shares.data")
                    changed += 1
                if row.licence is not None and bytes_key_id(row.licence) != c.current_key_id:
                    plain = decrypt_bytes(c, row.licence, context="case_shares.licence")
                    row.licence = encrypt_bytes(c, plain, context="case_shares.licence")
                    changed += 1
    return changed


def rotate_key(db: Database) -> Rotation:
    """Add a new current key to the key file and move every sealed value to it."""
    actor = db.actor
    require(actor, Operation.KEY_ROTATE)
    if os.environ.get("DESK_APP_KEY"):
        raise Refused(
            "DESK_APP_KEY 给出的密钥不能轮换, 请改用密钥文件",
            "a key given by DESK_APP_KEY cannot be rotated; use a key file",
        )
    key_id = rotate(default_key_path())
    protection.reset()
    n = reencrypt_all(db)
    with db.begin() as s:
        audit.record(s, actor, "key.rotate", key_id, {"values": n})
    return Rotation(key_id, n)
