"""The ``desk-app`` command line (shared/design/contracts.md), one module per command group.

Headless sub-commands import no Qt, and each handler imports only the services it needs, so
kiosks, call-pads and scripts get an answer fast.
"""

from desk_app.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
