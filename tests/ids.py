"""Valid (and deliberately invalid) identifiers for tests, computed, not copied."""

from __future__ import annotations

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def resident_id(body17: str = "37020219900101123") -> str:
    """GB 11643: 17 digits + the check character."""
    total = sum(int(c) * w for c, w in zip(body17, WEIGHTS, strict=True))
    return body17 + "10X98765432"[total % 11]


def credit_code(body17: str = "91370200MA3C00000") -> str:
    """GB 32100: 17 characters + the check character."""
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(body17, USCC_WEIGHTS, strict=True))
    return body17 + USCC_CHARS[(31 - total % 31) % 31]


def mistyped(value: str) -> str:
    """The same number with one digit changed (the check character then fails)."""
    d = value[10]
    return value[:10] + str((int(d) + 1) % 10) + value[11:]
