"""Staff passwords: Argon2id hashes, the password policy, temporary passwords, the lockout rule.

Hashing uses argon2-cffi with the RFC 9106 *low-memory* profile (Argon2id, t=3, m=64 MiB,
p=4, 16-byte salt, 32-byte hash), which is also argon2-cffi's default since 21.2. The first
RFC 9106 profile (2 GiB per hash) is out of reach of a hall PC that runs a kiosk and a database
beside it. Tests install a cheap hasher with :func:`set_default_hasher` (or pass ``hasher=``)
so a suite with hundreds of log-ins stays fast; nothing reads the cost from the environment,
so a production process cannot be talked into weak hashes.

Passwords are NFKC-normalised before hashing and checking (NIST SP 800-63B 5.1.1.2): a password
typed with a Chinese IME in full-width mode (``Ａｂｃ１２３``) is the same as its ASCII form.

Nothing here touches the database: the services store the hash, count failures and ask
:class:`LockoutPolicy` whether an account is locked.
"""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY

MIN_LENGTH = 8
MAX_LENGTH = 128  # Argon2 takes any length; a bound keeps a pasted megabyte from being hashed

# No 0/O/o, 1/l/I, 2/Z, 5/S, 8/B: a temporary password is read aloud or copied from paper.
_TEMP_LETTERS = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY"
_TEMP_DIGITS = "34679"
_TEMP_ALPHABET = _TEMP_LETTERS + _TEMP_DIGITS

PRODUCTION_HASHER = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)
_default_hasher = PRODUCTION_HASHER


def default_hasher() -> PasswordHasher:
    """The hasher used when none is passed (RFC 9106 low-memory unless a test replaced it)."""
    return _default_hasher


def set_default_hasher(hasher: PasswordHasher) -> PasswordHasher:
    """Replace the default hasher (tests: cheap parameters); returns the previous one."""
    global _default_hasher
    previous, _default_hasher = _default_hasher, hasher
    return previous


def _normalise(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


def hash_password(password: str, *, hasher: PasswordHasher | None = None) -> str:
    """An Argon2id hash string (``$argon2id$v=19$m=...``) of ``password`` with a fresh salt."""
    return (hasher or _default_hasher).hash(_normalise(password))


def verify_password(hashed: str, password: str, *, hasher: PasswordHasher | None = None) -> bool:
    """True when ``password`` matches ``hashed``.

    Never raises for a wrong password, a malformed or empty hash, or a non-string: all False.
    The parameters are read from the hash itself, so hashes made with older costs still verify.
    """
    if not isinstance(hashed, str) or not isinstance(password, str) or not hashed:
        return False
    try:
        return (hasher or _default_hasher).verify(hashed, _normalise(password))
    except (VerificationError, InvalidHashError):  # VerifyMismatchError is a VerificationError
        return False


def needs_rehash(hashed: str, *, hasher: PasswordHasher | None = None) -> bool:
    """True when ``hashed`` was made with other parameters than the hasher's (rehash at log-in).

    Call it after a successful :func:`verify_password`. A malformed hash answers True.
    """
    try:
        return (hasher or _default_hasher).check_needs_rehash(hashed)
    except (InvalidHashError, ValueError, TypeError):
        return True


class PasswordPolicyError(ValueError):
    """A new password breaks the policy; Chinese first, then English, one line."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        self.message_zh = ";".join(zh for zh, _ in problems)
        self.message_en = "; ".join(en for _, en in problems)
        super().__init__(f"{self.message_zh} / {self.message_en}")


def check_password_policy(password: str, *, code: str | None = None) -> None:
    """Raise :class:`PasswordPolicyError` listing every rule ``password`` breaks.

    Rules: at least 8 characters (at most 128), at least one letter and one digit, and not the
    account's own ``code`` (compared case-insensitively, spaces around ignored).
    """
    pw = _normalise(password or "")
    problems: list[tuple[str, str]] = []
    if len(pw) < MIN_LENGTH:
        problems.append(
            (
                f"密码至少需要 {MIN_LENGTH} 个字符",
                f"password needs at least {MIN_LENGTH} characters",
            )
        )
    if len(pw) > MAX_LENGTH:
        problems.append(
            (f"密码最多 {MAX_LENGTH} 个字符", f"password may have at most {MAX_LENGTH} characters")
        )
    if not any(c.isalpha() for c in pw) or not any(c.isdecimal() for c in pw):
        problems.append(("密码须同时包含字母和数字", "password needs both letters and digits"))
    if code and pw.strip().casefold() == _normalise(code).strip().casefold():
        problems.append(("密码不能与工号相同", "password must not be the account code"))
    if problems:
        raise PasswordPolicyError(problems)


def temporary_password(length: int = 12, *, code: str | None = None) -> str:
    """A random one-time password from ``secrets``: readable, no look-alike characters.

    12 characters of a 49-symbol alphabet (about 67 bits); always passes the policy.
    """
    if length < MIN_LENGTH:
        raise ValueError(f"length must be at least {MIN_LENGTH}")
    while True:
        candidate = "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(length))
        try:
            check_password_policy(candidate, code=code)
        except PasswordPolicyError:
            continue  # e.g. no digit drawn: draw again rather than bias a position
        return candidate


@dataclass(frozen=True)
class LockoutPolicy:
    """``max_failures`` failed log-ins within ``window`` lock the account for ``lock_for``.

    The window is inclusive: failures exactly ``window`` apart count together. A lock runs from
    the failure that completed the run, so attempts during a lock that the caller records as
    failures extend it.
    """

    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    lock_for: timedelta = timedelta(minutes=15)

    def __post_init__(self) -> None:
        if self.max_failures < 1 or self.window < timedelta(0) or self.lock_for <= timedelta(0):
            raise ValueError("max_failures >= 1, window >= 0 and lock_for > 0 are required")

    def locked_until(self, failure_times: Iterable[datetime], now: datetime) -> datetime | None:
        """When the lock ends, or None when the account is not locked at ``now``.

        ``failure_times``: the account's failed attempts since its last successful log-in (or
        since an unlock), in any order; failures after ``now`` are ignored. Every run of
        ``max_failures`` failures within ``window`` counts, not only the one ending at the
        latest failure, so a later lone failure cannot shorten an earlier lock.
        """
        times = sorted(t for t in failure_times if t <= now)
        until: datetime | None = None
        n = self.max_failures
        for i in range(n - 1, len(times)):
            if times[i] - times[i - n + 1] <= self.window:
                until = times[i] + self.lock_for  # sorted: the latest run ends last
        if until is not None and until > now:
            return until
        return None
