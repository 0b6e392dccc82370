"""``desk-app [gui ...]``: start the screens (the only command that loads Qt)."""

from __future__ import annotations

import argparse

from desk_app.cli.common import Commands, db_int, positive_int

ROLES = ("kiosk", "counter", "helper", "supervisor", "display", "progress")


def cmd_gui(args: argparse.Namespace) -> None:
    from desk_app.ui.app import run_gui

    raise SystemExit(
        run_gui(
            db_url=getattr(args, "db", None),
            role=getattr(args, "role", None),
            window=getattr(args, "window", None),
            lang=getattr(args, "lang", None),
            large_text=getattr(args, "large_text", False),
            screen=getattr(args, "screen", None),
        )
    )


def add_screen_options(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """The GUI's options, on ``gui`` and on plain ``desk-app`` (``desk-app --lang en``)."""
    # At the top level they must not reset what ``gui`` set: no defaults there.
    d = {"default": argparse.SUPPRESS} if top else {}
    parser.add_argument("--role", choices=ROLES, **d)
    parser.add_argument("--window", type=positive_int, **d)
    parser.add_argument("--lang", help="interface language, e.g. en (default: Chinese)", **d)
    parser.add_argument(
        "--large-text", action="store_true", help="适老化: large high-contrast text", **d
    )
    parser.add_argument(
        "--screen", type=db_int, help="monitor index for the kiosk or call display", **d
    )


def register(c: Commands) -> None:
    add_screen_options(c.add(c.top, "gui", cmd_gui, "start the GUI"))
