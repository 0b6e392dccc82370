"""Errors the user can act on, shared by every layer (the domain, services and sync raise them).
The command line turns them into exit 2 with a one-line reason."""

from __future__ import annotations


class Refused(Exception):
    """An operation refused because of bad input or the hall's state; nothing was written."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


class NotFound(Refused):
    """An unknown service, window, staff member or ticket."""
