"""Password hashes, the password policy, temporary passwords and the lockout rule."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST, RFC_9106_LOW_MEMORY

from desk_app.security import passwords
from desk_app.security.passwords import (
    LockoutPolicy,
    PasswordPolicyError,
    check_password_policy,
    hash_password,
    needs_rehash,
    temporary_password,
    verify_password,
)

CHEAP = PasswordHasher.from_parameters(CHEAPEST)


@pytest.fixture(autouse=True)
def cheap_hashes():
    previous = passwords.set_default_hasher(CHEAP)
    assert passwords.default_hasher() is CHEAP
    yield previous
    passwords.set_default_hasher(previous)


def test_production_default_is_rfc9106_low_memory():
    h = passwords.PRODUCTION_HASHER  # as shipped (the suite installs a cheap one for speed)
    assert h.type.name == "ID"
    assert (h.time_cost, h.memory_cost, h.parallelism, h.salt_len, h.hash_len) == (
        RFC_9106_LOW_MEMORY.time_cost,
        RFC_9106_LOW_MEMORY.memory_cost,
        RFC_9106_LOW_MEMORY.parallelism,
        RFC_9106_LOW_MEMORY.salt_len,
        RFC_9106_LOW_MEMORY.hash_len,
    )


def test_right_and_wrong_password():
    h = hash_password("Counter-2024")
    assert h.startswith("$argon2id$")
    assert "Counter-2024" not in h
    assert verify_password(h, "Counter-2024")
    assert not verify_password(h, "Counter-2025")
    assert not verify_password(h, "")


def test_same_password_hashes_differently():
    assert hash_password("Abcdefg1") != hash_password("Abcdefg1")


def test_full_width_input_is_the_same_password():
    h = hash_password("Abc12345")
    assert verify_password(h, "Ａｂｃ１２３４５")


@pytest.mark.parametrize("bad", ["", "not-a-hash", "$argon2id$v=19$m=8,t=1,p=1$xx$yy", None, 42])
def test_malformed_hash_is_false_not_an_exception(bad):
    assert verify_password(bad, "whatever1") is False


def test_needs_rehash_after_parameters_change():
    h = hash_password("Abcdefg1")
    assert not needs_rehash(h)
    stronger = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    assert needs_rehash(h, hasher=stronger)
    assert verify_password(h, "Abcdefg1", hasher=stronger)  # old hashes still verify
    assert needs_rehash("garbage")


@pytest.mark.parametrize(
    ("pw", "zh", "en"),
    [
        ("Ab1", "至少需要 8 个字符", "at least 8 characters"),
        ("abcdefgh", "须同时包含字母和数字", "both letters and digits"),
        ("12345678", "须同时包含字母和数字", "both letters and digits"),
        ("s01abcd9", "不能与工号相同", "not be the account code"),
        ("x" * 120 + "1" * 9, "最多 128 个字符", "at most 128"),
    ],
)
def test_policy_messages_chinese_first(pw, zh, en):
    with pytest.raises(PasswordPolicyError) as exc:
        check_password_policy(pw, code="S01ABCD9")
    text = str(exc.value)
    assert zh in text and en in text
    assert text.index(zh) < text.index(en)  # Chinese first
    assert isinstance(exc.value, ValueError)


def test_policy_lists_every_problem():
    with pytest.raises(PasswordPolicyError) as exc:
        check_password_policy("abc")
    assert len(exc.value.problems) == 2


def test_policy_accepts_good_passwords():
    check_password_policy("Demo-1234", code="admin")
    check_password_policy("窗口服务2024年", code="s01")  # Chinese letters count as letters


def test_temporary_password_is_readable_and_passes_policy():
    seen = set()
    for _ in range(200):
        pw = temporary_password(code="s01")
        assert len(pw) == 12
        assert not set(pw) & set("0O1lIoSZB28 ")
        check_password_policy(pw, code="s01")
        seen.add(pw)
    assert len(seen) == 200


T0 = datetime(2025, 3, 3, 9, 0)
POLICY = LockoutPolicy()


def _at(*minutes: float) -> list[datetime]:
    return [T0 + timedelta(minutes=m) for m in minutes]


def test_four_failures_do_not_lock():
    assert POLICY.locked_until(_at(0, 1, 2, 3), now=T0 + timedelta(minutes=4)) is None


def test_five_failures_in_fifteen_minutes_lock_for_fifteen():
    fails = _at(0, 3, 6, 9, 12)
    until = POLICY.locked_until(fails, now=T0 + timedelta(minutes=12))
    assert until == T0 + timedelta(minutes=27)
    assert POLICY.locked_until(fails, now=T0 + timedelta(minutes=26, seconds=59)) == until
    assert POLICY.locked_until(fails, now=T0 + timedelta(minutes=27)) is None  # lock over


def test_five_failures_exactly_fifteen_minutes_apart_lock():
    assert POLICY.locked_until(_at(0, 5, 10, 14, 15), now=T0 + timedelta(minutes=15))


def test_five_failures_spread_over_sixteen_minutes_do_not_lock():
    assert POLICY.locked_until(_at(0, 4, 8, 12, 16), now=T0 + timedelta(minutes=16)) is None


def test_a_later_lone_failure_does_not_shorten_a_lock():
    fails = _at(0, 1, 2, 3, 4, 17)  # locked 4 -> 19; a failure at 17 starts no new run
    assert POLICY.locked_until(fails, now=T0 + timedelta(minutes=18)) == T0 + timedelta(minutes=19)


def test_failures_in_the_future_are_ignored_and_order_does_not_matter():
    fails = _at(12, 0, 9, 3, 6)
    assert POLICY.locked_until(fails, now=T0 + timedelta(minutes=12)) == T0 + timedelta(minutes=27)
    assert POLICY.locked_until(fails, now=T0 + timedelta(minutes=11)) is None


def test_policy_parameters_are_checked():
    with pytest.raises(ValueError):
        LockoutPolicy(max_failures=0)
    strict = LockoutPolicy(max_failures=3, window=timedelta(minutes=5), lock_for=timedelta(hours=1))
    assert strict.locked_until(_at(0, 2, 4), now=T0 + timedelta(minutes=4)) == T0 + timedelta(
        minutes=64
    )
