"""The command line's exit codes and its own error: bad input it notices itself."""

from __future__ import annotations

EXIT_OK, EXIT_UNEXPECTED, EXIT_REFUSED = 0, 1, 2


class CliError(Exception):
    """Bad input noticed by the command line itself: one line on stderr, exit 2."""

    def __init__(self, message: str, code: int = EXIT_REFUSED) -> None:
        super().__init__(message)
        self.code = code
