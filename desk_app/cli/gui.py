"""``desk-app [gui ...]``: start the screens (the only command that loads Qt)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desk_app.cli.common import EXIT_UNEXPECTED, CliError, Commands, db_int, positive_int

ROLES = ("kiosk", "counter", "helper", "supervisor", "display", "progress", "evaluator", "strip")


def cmd_gui(args: argparse.Namespace) -> None:
    snapshot = getattr(args, "snapshot", None)
    if snapshot is not None:
        cmd_snapshot(args, snapshot)
        return
    from desk_app.ui.common.app import run_gui

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


def cmd_snapshot(args: argparse.Namespace, out: str) -> None:
    """Render one screen to a PNG file and exit (install checks, the frozen build's smoke)."""
    role = getattr(args, "role", None)
    if role is None:
        raise CliError("--snapshot needs --role (kiosk, counter, display, ...)")
    from desk_app.ui.common.app import install_translator
    from desk_app.ui.common.i18n import install_qt_translations
    from desk_app.ui.common.snapshot import SnapshotError, app_instance, render
    from desk_app.ui.common.startup import display_problem

    lang = getattr(args, "lang", None)
    problem = display_problem(lang=lang)
    if problem is not None:
        raise CliError(problem, EXIT_UNEXPECTED)
    app = app_instance()
    from desk_app.ui.common import theme

    theme.apply_base_style(app)
    install_translator(app, lang)
    install_qt_translations(app, lang)
    from desk_app.store import Database

    db = Database(getattr(args, "db", None))
    try:
        written = render(
            db,
            role,
            getattr(args, "window", None) or 1,
            Path(out),
            large_text=getattr(args, "large_text", False),
        )
    except SnapshotError as exc:
        raise CliError(str(exc)) from None
    finally:
        db.dispose()
    print(written)


def add_screen_options(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """The GUI's options, on ``gui`` and on plain ``desk-app`` (``desk-app --lang en``)."""
    # At the top level they must not reset what ``gui`` set: no defaults there.
    d: dict[str, Any] = {"default": argparse.SUPPRESS} if top else {}
    parser.add_argument("--role", choices=ROLES, **d)
    parser.add_argument("--window", type=positive_int, **d)
    parser.add_argument("--lang", help="interface language, e.g. en (default: Chinese)", **d)
    parser.add_argument(
        "--large-text", action="store_true", help="适老化: large high-contrast text", **d
    )
    parser.add_argument(
        "--screen", type=db_int, help="monitor index for the kiosk or call display", **d
    )
    if not top:
        parser.add_argument(
            "--snapshot",
            metavar="FILE.png",
            help="render the role's screen to FILE.png and exit (staff roles: DESK_APP_USER)",
        )


def register(c: Commands) -> None:
    add_screen_options(c.add(c.top, "gui", cmd_gui, "start the GUI"))
