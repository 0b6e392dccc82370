"""The ``desk-app`` parser and its one entry point: errors become exit codes and one line.

Exit status: 0 success; 2 bad input or a refused operation (one line on stderr, nothing written);
1 anything unexpected (including an unreachable database, or a missing or unusable hall key).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from desk_app.cli import accounts, cases, catalog, gui, hall, queue, sync
from desk_app.cli.common import EXIT_OK, EXIT_REFUSED, EXIT_UNEXPECTED, CliError, Commands, Parser

GROUPS = (gui, hall, accounts, queue, catalog, cases, sync)


def build_parser() -> argparse.ArgumentParser:
    common = Parser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,  # not reset by a sub-parser
        help="SQLAlchemy URL (default: DESK_APP_DB or the SQLite file in the user data directory)",
    )
    common.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON object"
    )
    p = Parser(prog="desk-app", description="高效办成一件事 service windows", parents=[common])
    commands = Commands(p.add_subparsers(dest="command", parser_class=Parser), common)
    for group in GROUPS:
        group.register(commands)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    from desk_app.services.errors import Refused
    from desk_app.store.database import DatabaseUnavailable

    try:
        args = build_parser().parse_args(argv)
        handler = getattr(args, "handler", None) or gui.cmd_gui  # no sub-command: the GUI
        handler(args)
        return EXIT_OK
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return exc.code
    except Refused as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED
    except DatabaseUnavailable as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_UNEXPECTED
    except Exception as exc:  # noqa: BLE001 - the last line of defence for a script caller
        from desk_app.security.keys import HallKeyError
        from desk_app.store.schema import SchemaTooNew

        if isinstance(exc, SchemaTooNew):
            print(str(exc), file=sys.stderr)
            return EXIT_REFUSED
        if isinstance(exc, HallKeyError):  # the machine lacks the key: not the caller's input
            print(str(exc).splitlines()[0], file=sys.stderr)
            return EXIT_UNEXPECTED
        if os.environ.get("DESK_APP_DEBUG"):
            raise
        print(
            f"意外错误 / unexpected error: {type(exc).__name__}: {exc}".splitlines()[0],
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED
