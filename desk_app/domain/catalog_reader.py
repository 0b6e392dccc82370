"""Reading catalog JSON with field paths, so every error names the file and the field.

``CatalogError("bundles/newborn.json", "items[2].time_limit_days", "expected a positive
integer")`` prints as ``bundles/newborn.json: items[2].time_limit_days: expected a positive
integer``. Used by catalog.py; nothing here knows what a bundle is except condition syntax.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any, NoReturn

from desk_app.domain.conditions import AllOf, AnswerIn, AnyOf, Condition, Not

CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
TEXT_MAX = 4000  # any text field (a knowledge-base answer is held to less in kb.py)
NAME_MAX = 200  # a bundle's, item's or material's name, a question
DATE_MIN, DATE_MAX = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


def text_problem(value: str, limit: int = TEXT_MAX) -> str | None:
    """Why a text cannot be catalog content (it is printed, shown and sent on): a control
    character (a newline, ESC, NUL), a lone surrogate, or more than ``limit`` characters."""
    if len(value) > limit:
        return f"longer than {limit} characters"
    for ch in value:
        if ord(ch) < 32 or 127 <= ord(ch) < 160:
            return f"contains the control character U+{ord(ch):04X}"
        if 0xD800 <= ord(ch) <= 0xDFFF:
            return f"contains the lone surrogate U+{ord(ch):04X}"
    return None  # codes, question keys, choice values: ascii slugs


MISSING: Any = object()  # "no default": the field is mandatory


class CatalogError(Exception):
    """A catalog file is missing, malformed or inconsistent; names the file and the field."""

    def __init__(self, file: str, field: str, message: str) -> None:
        self.file = file
        self.field = field
        self.message = message
        super().__init__(f"{file}: {field}: {message}" if field else f"{file}: {message}")


def read_json(file: Path, name: str) -> Any:
    """Parse a JSON file; errors are CatalogError naming it as ``name``."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError(name, "", "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(name, "", f"cannot read: {exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogError(name, "", f"invalid JSON at line {exc.lineno}: {exc.msg}") from None


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def check_code(file: str, path: str, value: Any) -> str:
    """The value if it is an ascii slug code, else CatalogError at ``path``."""
    if not isinstance(value, str) or not CODE_RE.match(value):
        raise CatalogError(file, path, "expected a code (lowercase ascii letters, digits, _)")
    return value


def unique(file: str, entries: list[tuple[str, str]], what: str = "code") -> None:
    """CatalogError at the first (path, value) whose value was seen before."""
    seen: set[str] = set()
    for path, value in entries:
        if value in seen:
            raise CatalogError(file, path, f"duplicate {what} {value!r}")
        seen.add(value)


class Fields:
    """Reads one JSON object's fields; every error names the file and the field path."""

    def __init__(self, file: str, path: str, raw: Any) -> None:
        self.file = file
        self.path = path
        if not isinstance(raw, dict):
            raise CatalogError(file, path, "expected an object")
        self.raw: dict[str, Any] = raw
        self.seen: set[str] = set()

    def fail(self, key: str, message: str) -> NoReturn:
        raise CatalogError(self.file, _join(self.path, key), message)

    def _get(self, key: str, default: Any) -> tuple[bool, Any]:
        """(present, value); absent or null fields give the default, or fail without one."""
        self.seen.add(key)
        if self.raw.get(key) is not None:
            return True, self.raw[key]
        if default is MISSING:
            self.fail(key, "missing")
        return False, default

    def text(self, key: str, default: Any = MISSING, *, limit: int = TEXT_MAX) -> Any:
        present, value = self._get(key, default)
        if present and (not isinstance(value, str) or not value.strip()):
            self.fail(key, "expected a non-empty string")
        if present:
            problem = text_problem(value, limit)
            if problem:
                self.fail(key, problem)
        return value

    def notes(self) -> str:
        return str(self.text("notes", default=""))

    def code(self, key: str, default: Any = MISSING) -> Any:
        present, value = self._get(key, default)
        return check_code(self.file, _join(self.path, key), value) if present else value

    def boolean(self, key: str, default: Any = MISSING) -> Any:
        present, value = self._get(key, default)
        if present and not isinstance(value, bool):
            self.fail(key, "expected true or false")
        return value

    def integer(
        self, key: str, *, minimum: int, maximum: int = 100_000, default: Any = MISSING
    ) -> Any:
        present, value = self._get(key, default)
        # bool is an int in Python, but JSON true is not a number of days
        if present and (not isinstance(value, int) or isinstance(value, bool) or value < minimum):
            kind = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
            self.fail(key, f"expected {kind}")
        if present and value > maximum:
            self.fail(key, f"expected at most {maximum}")
        return value

    def enum(self, key: str, kind: Any, default: Any = MISSING) -> Any:
        present, value = self._get(key, default)
        if not present:
            return value
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in kind)
            self.fail(key, f"expected one of {allowed}")

    def date(self, key: str) -> dt.date:
        value = self.text(key)
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.fail(key, "expected a date YYYY-MM-DD")
        if not DATE_MIN <= day <= DATE_MAX:
            self.fail(key, f"expected a date from {DATE_MIN} to {DATE_MAX}")
        return day

    def elements(
        self, key: str, default: Any = MISSING, allow_empty: bool = False
    ) -> list[tuple[str, Any]]:
        """The elements of a list field with their paths."""
        _, value = self._get(key, default)
        if not isinstance(value, list):
            self.fail(key, "expected a list")
        if not value and not allow_empty:
            self.fail(key, "expected a non-empty list")
        base = _join(self.path, key)
        return [(f"{base}[{i}]", element) for i, element in enumerate(value)]

    def objects(self, key: str, default: Any = MISSING, allow_empty: bool = False) -> list[Fields]:
        return [Fields(self.file, p, v) for p, v in self.elements(key, default, allow_empty)]

    def object(self, key: str, default: Any = MISSING) -> Fields | None:
        present, value = self._get(key, default)
        return Fields(self.file, _join(self.path, key), value) if present else None

    def condition(self, key: str) -> Condition | None:
        present, raw = self._get(key, None)
        return parse_condition(self.file, _join(self.path, key), raw) if present else None

    def done(self) -> None:
        """Refuse fields nobody read (misspelt names, fields of a newer format)."""
        for key in self.raw:
            if key not in self.seen:
                self.fail(key, "unknown field")


def parse_condition(file: str, path: str, raw: Any) -> Condition:
    """Build a Condition from its JSON form (see conditions.py); CatalogError if malformed."""
    if not isinstance(raw, dict):
        raise CatalogError(file, path, "expected a condition object")
    f = Fields(file, path, raw)
    ops = [k for k in ("eq", "ne", "in", "not_in", "all", "any", "not") if k in raw]
    if len(ops) != 1:
        raise CatalogError(file, path, "expected exactly one of eq, ne, in, not_in, all, any, not")
    op = ops[0]
    cond: Condition
    if op in ("all", "any"):
        terms = tuple(parse_condition(file, p, v) for p, v in f.elements(op))
        cond = AllOf(terms) if op == "all" else AnyOf(terms)
    elif op == "not":
        f.seen.add("not")
        cond = Not(parse_condition(file, _join(path, "not"), raw["not"]))
    else:
        question = f.code("q")
        if op in ("eq", "ne"):
            values: tuple[str, ...] = (f.code(op),)
        else:
            entries = [(p, check_code(file, p, v)) for p, v in f.elements(op)]
            unique(file, entries, "value")
            values = tuple(v for _, v in entries)
        cond = AnswerIn(question, values, negated=op in ("ne", "not_in"))
    f.done()
    return cond
