"""The hall key outside the database, field encryption, keyed look-up hashes, rotation."""

from __future__ import annotations

import base64
import json
import os
import stat
import sys

import pytest

from desk_app.security.crypto import DecryptionError, FieldCipher, is_encrypted
from desk_app.security.keys import (
    KEY_ENV,
    KEY_FILE_ENV,
    HallKeyError,
    create_key_file,
    default_key_path,
    keyring_from_env_key,
    load_key_file,
    load_keyring,
    rotate,
)

POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
ID = "370202199001011234"
NAME = "张三丰"
CTX = "cases.applicant_id"


@pytest.fixture
def key_path(tmp_path):
    path = tmp_path / "keys" / "hall.key"
    create_key_file(path)
    return path


@pytest.fixture
def cipher(key_path) -> FieldCipher:
    return FieldCipher(load_key_file(key_path))


def _env_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


# --- the key file -------------------------------------------------------------------------


@POSIX
def test_created_key_file_is_owner_only_and_not_overwritten(key_path):
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    doc = json.loads(key_path.read_text())
    assert doc["current"] == "k1" and set(doc) >= {"keys", "lookup"}
    with pytest.raises(HallKeyError, match="already exists"):
        create_key_file(key_path)
    assert json.loads(key_path.read_text()) == doc
    assert [p.name for p in key_path.parent.iterdir()] == ["hall.key"]  # no temp left behind


@POSIX
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660, 0o602])
def test_key_file_readable_by_others_is_refused(key_path, mode):
    key_path.chmod(mode)
    with pytest.raises(HallKeyError) as exc:
        load_key_file(key_path)
    message = str(exc.value)
    assert "chmod 600" in message and str(key_path) in message
    assert "\n" not in message
    assert message.index("密钥文件") < message.index("key file")  # Chinese first


@POSIX
def test_key_file_of_another_owner_is_refused(key_path, monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(key_path).st_uid + 1)
    with pytest.raises(HallKeyError, match="not owned by the current user"):
        load_key_file(key_path)


@POSIX
def test_symlinked_key_file_is_refused(key_path, tmp_path):
    link = tmp_path / "link.key"
    link.symlink_to(key_path)
    with pytest.raises(HallKeyError):
        load_key_file(link)


def test_missing_key_is_a_clear_error(tmp_path):
    env = {KEY_FILE_ENV: str(tmp_path / "nowhere.key")}
    with pytest.raises(HallKeyError) as exc:
        FieldCipher.from_environment(env)
    assert "nowhere.key" in str(exc.value) and KEY_ENV in str(exc.value)


def test_malformed_key_file_is_a_clear_error(tmp_path):
    path = tmp_path / "hall.key"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, b'{"format": "desk-app-hall-key", "version": 1, "current": "k1", "keys": {}}')
    os.close(fd)
    with pytest.raises(HallKeyError, match="malformed"):
        load_key_file(path)


def test_key_file_env_override_and_default_path(tmp_path, monkeypatch):
    path = tmp_path / "elsewhere.key"
    made = create_key_file(path)
    ring = load_keyring({KEY_FILE_ENV: str(path)})
    assert ring.keys == made.keys and ring.lookup_secret == made.lookup_secret
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_key_path({}).name == "hall.key"
    assert default_key_path({KEY_FILE_ENV: str(path)}) == path


def test_desk_app_key_env_gives_one_key_with_a_derived_id(tmp_path):
    value = _env_key()
    env = {KEY_ENV: value, KEY_FILE_ENV: str(tmp_path / "ignored.key")}
    ring = load_keyring(env)
    assert list(ring.keys) == [ring.current] and ring.current.startswith("e")
    assert load_keyring({KEY_ENV: value}).current == ring.current  # same key, same id
    assert load_keyring({KEY_ENV: _env_key()}).current != ring.current
    cipher = FieldCipher.from_environment(env)
    token = cipher.encrypt(ID, context=CTX)
    assert token.split(".")[1] == ring.current
    assert FieldCipher.from_environment({KEY_ENV: value}).decrypt(token, context=CTX) == ID


@pytest.mark.parametrize("bad", ["short", base64.urlsafe_b64encode(b"x" * 16).decode(), "!!!"])
def test_bad_desk_app_key_is_refused(bad):
    with pytest.raises(HallKeyError, match=KEY_ENV):
        load_keyring({KEY_ENV: bad})


def test_env_key_moves_to_a_file_with_its_lookup_hashes(tmp_path):
    env_ring = keyring_from_env_key(_env_key())
    path = tmp_path / "hall.key"
    create_key_file(path, env_ring)
    before = FieldCipher(env_ring)
    after = FieldCipher(load_key_file(path))
    assert after.lookup_hash(ID, purpose="resident_id") == before.lookup_hash(
        ID, purpose="resident_id"
    )
    assert after.decrypt(before.encrypt(NAME, context=CTX), context=CTX) == NAME


# --- field encryption ---------------------------------------------------------------------


def test_roundtrip_with_chinese_text(cipher):
    for text in (NAME, ID, "13812341234", "", "欧阳·娜娜 (代办人)"):
        token = cipher.encrypt(text, context=CTX)
        assert token.isascii() and is_encrypted(token)
        assert text == "" or text not in token
        assert cipher.decrypt(token, context=CTX) == text


def test_token_format(cipher):
    token = cipher.encrypt(ID, context=CTX)
    version, key_id, body = token.split(".")
    assert (version, key_id) == ("v1", "k1")
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    assert len(raw) == 12 + len(ID.encode()) + 16  # nonce | ciphertext | tag


def test_two_encryptions_of_one_value_differ(cipher):
    a, b = cipher.encrypt(ID, context=CTX), cipher.encrypt(ID, context=CTX)
    assert a != b
    assert cipher.decrypt(a, context=CTX) == cipher.decrypt(b, context=CTX) == ID


def test_wrong_context_fails(cipher):
    token = cipher.encrypt(ID, context="cases.applicant_id")
    with pytest.raises(DecryptionError):
        cipher.decrypt(token, context="cases.agent_id")


def test_tampered_token_fails(cipher):
    token = cipher.encrypt(ID, context=CTX)
    prefix, body = token.rsplit(".", 1)
    for i in (0, 12, len(body) // 2, len(body) - 2):  # nonce, ciphertext, tag
        flipped = body[:i] + ("A" if body[i] != "A" else "B") + body[i + 1 :]
        with pytest.raises(DecryptionError):
            cipher.decrypt(f"{prefix}.{flipped}", context=CTX)
    with pytest.raises(DecryptionError):
        cipher.decrypt(f"{prefix}.{body[:-4]}", context=CTX)  # truncated


def test_plaintext_is_never_returned_as_if_decrypted(cipher):
    assert not is_encrypted(ID) and not is_encrypted(NAME) and not is_encrypted(None)
    with pytest.raises(DecryptionError):
        cipher.decrypt(ID, context=CTX)


def test_other_hall_key_cannot_decrypt(cipher, tmp_path):
    other = FieldCipher(create_key_file(tmp_path / "other.key"))
    with pytest.raises(DecryptionError):
        other.decrypt(cipher.encrypt(ID, context=CTX), context=CTX)


def test_context_is_required(cipher):
    with pytest.raises(ValueError):
        cipher.encrypt(ID, context="")


# --- look-up hashes, pseudonyms, rotation -------------------------------------------------


def test_lookup_hash_is_keyed_normalised_and_per_purpose(cipher, tmp_path):
    h = cipher.lookup_hash(ID, purpose="resident_id")
    assert len(h) == 64 and ID not in h
    assert cipher.lookup_hash(
        " 370202 19900101 123x ", purpose="resident_id"
    ) == cipher.lookup_hash("37020219900101123X", purpose="resident_id")
    assert cipher.lookup_hash("３７０２０２１９９００１０１１２３４", purpose="resident_id") == h
    assert cipher.lookup_hash(ID, purpose="phone") != h
    other = FieldCipher(create_key_file(tmp_path / "other.key"))
    assert other.lookup_hash(ID, purpose="resident_id") != h


def test_pseudonym_is_short_stable_and_not_the_lookup_hash(cipher):
    p = cipher.pseudonym(ID, purpose="resident_id")
    assert len(p) == 16 and int(p, 16) >= 0
    assert p == cipher.pseudonym(ID, purpose="resident_id")
    assert p != cipher.pseudonym("370202199001015678", purpose="resident_id")
    assert not cipher.lookup_hash(ID, purpose="resident_id").startswith(p)


@POSIX
def test_rotate_keeps_old_keys_lookup_hashes_and_mode(key_path):
    before = FieldCipher(load_key_file(key_path))
    old_token = before.encrypt(NAME, context=CTX)
    lookup = before.lookup_hash(ID, purpose="resident_id")
    pseudonym = before.pseudonym(ID, purpose="resident_id")
    audit_key = before.audit_key()

    assert rotate(key_path) == "k2"
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    after = FieldCipher(load_key_file(key_path))
    assert after.current_key_id == "k2"
    assert after.decrypt(old_token, context=CTX) == NAME
    assert after.lookup_hash(ID, purpose="resident_id") == lookup
    assert after.pseudonym(ID, purpose="resident_id") == pseudonym
    assert after.audit_key() == audit_key

    moved = after.reencrypt(old_token, context=CTX)
    assert after.key_id_of(moved) == "k2" and moved.split(".")[1] == "k2"
    assert after.decrypt(moved, context=CTX) == NAME
    assert after.reencrypt(moved, context=CTX) == moved  # already current
    with pytest.raises(HallKeyError, match="k2"):
        before.decrypt(moved, context=CTX)  # the old keyring lacks k2: a clear error

    assert rotate(key_path) == "k3"
    assert sorted(load_key_file(key_path).keys) == ["k1", "k2", "k3"]


def test_reencrypt_refuses_a_tampered_token(cipher, key_path):
    rotate(key_path)
    after = FieldCipher(load_key_file(key_path))
    token = cipher.encrypt(ID, context=CTX)
    with pytest.raises(DecryptionError):
        after.reencrypt(token, context="cases.phone")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_rotate_refuses_an_open_key_file(key_path):
    key_path.chmod(0o644)
    with pytest.raises(HallKeyError):
        rotate(key_path)
    assert sorted(json.loads(key_path.read_text())["keys"]) == ["k1"]


def test_key_material_never_shows_in_repr(key_path):
    ring = load_key_file(key_path)
    text = repr(ring) + repr(FieldCipher(ring).keyring)
    for secret in (*ring.keys.values(), ring.lookup_secret):
        assert base64.urlsafe_b64encode(secret).decode().rstrip("=") not in text
        assert repr(secret) not in text
