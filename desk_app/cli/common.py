"""What every ``desk-app`` sub-command shares: errors, output, the database, the parser."""

from __future__ import annotations

import argparse
import json
import os
import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from desk_app.cli.errors import EXIT_OK as EXIT_OK
from desk_app.cli.errors import EXIT_REFUSED as EXIT_REFUSED
from desk_app.cli.errors import EXIT_UNEXPECTED as EXIT_UNEXPECTED
from desk_app.cli.errors import CliError as CliError

Handler = Callable[[argparse.Namespace], None]


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors (exit 2) instead of the usage text and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise CliError(f"参数错误 / bad arguments: {message}")


class Commands:
    """Registers sub-commands: every command gets --db/--json and an explicit handler."""

    def __init__(self, sub: Any, common: argparse.ArgumentParser) -> None:
        self._sub = sub
        self._common = common
        self._groups: dict[str, Any] = {}

    def group(self, name: str, help_: str) -> Any:
        """``desk-app NAME ...``: a command group whose sub-command is required (a second call
        with the same name adds to the same group, so two modules may share one)."""
        if name not in self._groups:
            self._groups[name] = self._sub.add_parser(name, help=help_).add_subparsers(
                dest="sub", required=True, parser_class=Parser
            )
        return self._groups[name]

    def add(self, parent: Any, name: str, handler: Handler, help_: str) -> argparse.ArgumentParser:
        """One sub-command of ``parent`` (a group, or the top level) run by ``handler``."""
        sp = parent.add_parser(name, parents=[self._common], help=help_)
        sp.set_defaults(handler=handler)
        return sp

    @property
    def top(self) -> Any:
        return self._sub


# Every integer column is a 32-bit INTEGER on PostgreSQL; SQLite would take more and PostgreSQL
# then fail unexpectedly, so both refuse the same numbers at the command line.
DB_INT_MIN, DB_INT_MAX = -(2**31), 2**31 - 1


def db_int(text: str) -> int:
    """argparse type of every integer option: ASCII digits within the databases' INTEGER range
    (``--window 99999999999999999999`` is bad input, exit 2, on SQLite as on PostgreSQL)."""
    digits = text.strip()
    if not re.fullmatch(r"[+-]?[0-9]+", digits):
        raise argparse.ArgumentTypeError(f"应为整数 / not an integer: {text!r}")
    value = int(digits) if len(digits) <= 12 else None
    if value is None or not DB_INT_MIN <= value <= DB_INT_MAX:
        raise argparse.ArgumentTypeError(f"超出范围 / out of range: {text}")
    return value


def positive_int(text: str) -> int:
    """A window number (and other counts that start at 1), within the databases' range."""
    value = db_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数 / must be at least 1: {text}")
    return value


def choices(enum_type: Iterable[Any]) -> list[str]:
    """The values of a string enum, for argparse ``choices`` (the enum is the one source)."""
    return [str(e.value) for e in enum_type]


def out(args: argparse.Namespace, payload: dict[str, Any], human: str) -> None:
    """One JSON object with --json, else the human line(s)."""
    if getattr(args, "json", False):
        print(json.dumps(payload, ensure_ascii=False))
    else:
        print(human)


def parse_pairs(
    pairs: list[str] | None, option: str, what_zh: str, *, value_required: bool = False
) -> dict[str, str]:
    """Repeated ``--option KEY=VALUE`` arguments as a dict, or a one-line refusal naming the
    option (``what_zh`` says what the pairs are, for the Chinese half)."""
    parsed: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or (value_required and not value.strip()):
            raise CliError(f"{what_zh}格式应为 KEY=VALUE: {pair!r} / {option} needs KEY=VALUE")
        parsed[key.strip()] = value.strip()
    return parsed


def parse_answers(pairs: list[str] | None) -> dict[str, str]:
    """``--answer KEY=VALUE`` pairs (情形回答)."""
    return parse_pairs(pairs, "--answer", "情形回答")


def parse_date(text: str, what: str) -> date:
    """A YYYY-MM-DD argument, or a one-line refusal naming the field."""
    from desk_app.domain.validators import date_window_message, sane_date

    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise CliError(f"{what} 日期格式应为 YYYY-MM-DD: {text!r} / bad date") from exc
    if not sane_date(day):
        raise CliError(" / ".join(date_window_message(what + " ", "the date", text)))
    return day


def check_db_url(url: str | None) -> str | None:
    """``--db``: absent means the default; an empty URL or an in-memory SQLite database (nothing
    kept after the command) is refused rather than silently run on."""
    if url is None:
        return None
    if not url.strip():
        raise CliError("--db 不能为空 / --db is empty (omit it for the default database)")
    from desk_app.store.lite import sqlite_path

    path = sqlite_path(url)
    if path is not None:  # a plain SQLite file: nothing to parse (no SQLAlchemy)
        if os.path.exists(path) and not os.path.isfile(path):
            # A device or a folder: SQLite would put its journal, with that mode, beside it.
            raise CliError(f"--db 须指向数据库文件: {path} / not a regular file: {path}")
        return url
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return url  # Database says why, with the URL's password redacted
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise CliError(
            "--db 须指向数据库文件, 内存数据库不保存任何内容 / in-memory database refused"
        )
    return url


def db_from_args(  # type: ignore[no-untyped-def]
    args: argparse.Namespace,
    *,
    acting: Any = None,
    ensure_schema: bool = True,
    hall_key: bool = True,
    clock_check: bool = True,
):
    """The database of --db / DESK_APP_DB, its schema created or migrated if needed, and with
    ``acting`` (an Operation) bound to the person who runs the command (cli/identity).

    ``hall_key=False`` for the queue's public commands (ticket issue, queue status): they touch
    no personal data and no audit entry, and a kiosk or call-pad runs them all day, so they
    skip the key check (a fifth of a cold command's time here). ``DESK_APP_NOW`` is refused on a
    live hall (services/hall/mode.py) unless ``clock_check=False`` (``demo seed``, which makes a
    demo hall)."""
    from desk_app.store import Database
    from desk_app.store.schema import ensure_current

    try:
        db = Database(check_db_url(getattr(args, "db", None)))
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    if ensure_schema:
        ensure_current(db)
        if hall_key:
            from desk_app.services.common.protection import ensure_hall_key

            ensure_hall_key(db)  # a new hall's key file; afterwards a missing key is an error
        if clock_check:
            from desk_app.services.hall.mode import check_clock

            check_clock(db)
        from desk_app.services.catalog.versions import refresh

        refresh(db)  # the hall's newest published catalog version is the one in force
    if acting is not None:
        from desk_app.cli.identity import acting_person

        db = db.acting_as(acting_person(db, acting))
    return db


def check_allowed(args: argparse.Namespace, operation: Any) -> None:
    """For a command that reads no hall data (the catalog, the calendar): the same identity and
    permission check the services make."""
    from desk_app.security.authz import require

    require(db_from_args(args, acting=operation).actor, operation)
