"""The ``desk-app`` parser and its one entry point: errors become exit codes and one line.

Exit status: 0 success; 2 bad input or a refused operation (one line on stderr, nothing written);
1 anything unexpected (including an unreachable database, or a missing or unusable hall key).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from desk_app.cli import gui
from desk_app.cli.common import (
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_UNEXPECTED,
    CliError,
    Commands,
    Parser,
    check_db_url,
)

# Each command module and the top-level words it registers. A command imports only its own
# module (and what that needs): a cold ``desk-app queue status`` does not load the case rules.
# tests/test_cli_groups.py keeps this table equal to what the modules register.
GROUPS: dict[str, tuple[str, ...]] = {
    "gui": ("gui",),
    "hall": ("db", "demo", "service", "window", "settings"),
    "accounts": ("staff", "login", "logout", "audit", "key"),
    "queue": ("ticket", "call", "queue"),
    "catalog": ("catalog",),
    "calendar": ("calendar",),
    "appointments": ("appt",),
    "cases": ("case",),
    "sync": ("sync",),
    "kb": ("kb",),
    "assist": ("assist", "pain"),
    "stats": ("stats",),
    "alerts": ("alerts", "followup"),
    "devices": ("device", "idcard"),
    "share": ("share",),
    "online": ("workorder",),
}


def group_modules(argv: Sequence[str] | None = None) -> list[ModuleType]:
    """The command modules ``argv`` needs: the one owning its command word, or all of them
    (no command word: help, the GUI, or a typo that the full parser then explains)."""
    words = set(argv or ())
    wanted = [name for name, owned in GROUPS.items() if words & set(owned)]
    names = wanted if wanted else list(GROUPS)
    return [importlib.import_module(f"desk_app.cli.{name}") for name in names]


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; with ``argv``, only the command modules that ``argv`` needs are loaded."""
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
    gui.add_screen_options(p, top=True)  # plain ``desk-app --lang en`` starts the GUI too
    commands = Commands(p.add_subparsers(dest="command", parser_class=Parser), common)
    for group in group_modules(argv):
        group.register(commands)
    from desk_app.cli.option_help import fill

    fill(p)  # every option says what it takes (cli/option_help.py)
    return p


def escaped(text: str) -> str:
    """``text`` on one line with every control character (escape sequences, newlines, NUL) and
    undecodable byte (a surrogate from the OS's argv) written as a visible escape: input echoed
    into a message must not move the cursor or forge a second line."""
    return "".join(
        ch
        if ch.isprintable() or ch == " "
        else ch.encode("unicode_escape", "backslashreplace").decode("ascii")
        for ch in text
    )


def fail(message: str, code: int) -> int:
    """The one place a command's error reaches stderr: one line, escaped."""
    print(escaped(message), file=sys.stderr)
    return code


def _check_argv(argv: Sequence[str]) -> None:
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:  # bytes that are not UTF-8, kept by the OS as surrogates
            raise CliError(
                f"参数不是有效的 UTF-8 文本 / argument is not valid UTF-8: {arg}"
            ) from None


def _quiet_closed_pipe() -> int:
    """The reader of our output went away (``desk-app window list | head -1``): what it did not
    read is not an error. Later writes (the interpreter's final flush) go to devnull."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):  # stdout is no real file (a test's capture)
        os.dup2(devnull, sys.stdout.fileno())
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    try:
        code = _run(list(sys.argv[1:] if argv is None else argv))
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        return _quiet_closed_pipe()


def _unavailable(exc: Exception) -> bool:
    """Whether ``exc`` is the store's "cannot reach the database" (only raised once the store
    is loaded: a quick command that never loads SQLAlchemy does not load it to ask)."""
    database = sys.modules.get("desk_app.store.database")
    return database is not None and isinstance(exc, database.DatabaseUnavailable)


def _run(argv: list[str]) -> int:
    from desk_app.services.common.errors import Refused

    try:
        _check_argv(argv)
        args = build_parser(argv).parse_args(argv)
        check_db_url(getattr(args, "db", None))
        handler = getattr(args, "handler", None) or gui.cmd_gui  # no sub-command: the GUI
        handler(args)
        return EXIT_OK
    except BrokenPipeError:
        raise
    except CliError as exc:
        return fail(str(exc), exc.code)
    except Refused as exc:
        return fail(str(exc), EXIT_REFUSED)
    except Exception as exc:  # noqa: BLE001 - the last line of defence for a script caller
        if _unavailable(exc):
            return fail(str(exc), EXIT_UNEXPECTED)
        from desk_app.domain.clock import ClockError
        from desk_app.security.keys import HallKeyError
        from desk_app.store.schema import SchemaTooNew

        if isinstance(exc, SchemaTooNew | ClockError):  # the caller's settings, not a fault
            return fail(str(exc), EXIT_REFUSED)
        if isinstance(exc, HallKeyError):  # the machine lacks the key: not the caller's input
            return fail(str(exc).splitlines()[0], EXIT_UNEXPECTED)
        if os.environ.get("DESK_APP_DEBUG"):
            raise
        return fail(
            f"意外错误 / unexpected error: {type(exc).__name__}: {exc}".splitlines()[0],
            EXIT_UNEXPECTED,
        )
