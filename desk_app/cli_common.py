"""What every ``desk-app`` sub-command shares: errors, output, the database."""

from __future__ import annotations

import argparse
import json
from typing import Any

EXIT_OK, EXIT_UNEXPECTED, EXIT_REFUSED = 0, 1, 2


class CliError(Exception):
    """Bad input noticed by the command line itself: one line on stderr, exit 2."""

    def __init__(self, message: str, code: int = EXIT_REFUSED) -> None:
        super().__init__(message)
        self.code = code


def out(args: argparse.Namespace, payload: dict[str, Any], human: str) -> None:
    """One JSON object with --json, else the human line(s)."""
    if getattr(args, "json", False):
        print(json.dumps(payload, ensure_ascii=False))
    else:
        print(human)


def db_from_args(args: argparse.Namespace, *, ensure_schema: bool = True):  # type: ignore[no-untyped-def]
    """The database of --db / DESK_APP_DB, its schema created or migrated if needed."""
    from desk_app.store import Database
    from desk_app.store.schema import ensure_current

    try:
        db = Database(getattr(args, "db", None))
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    if ensure_schema:
        ensure_current(db)
    return db
