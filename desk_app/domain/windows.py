"""A window's state as the screens and the command line see it: nobody sitting at it, someone
serving, or someone who paused (暂停)."""

from __future__ import annotations

from enum import StrEnum


class WindowState(StrEnum):
    CLOSED = "closed"  # no open sitting
    OPEN = "open"  # staff sitting and calling
    PAUSED = "paused"  # staff sitting, calling paused


def window_state(sitting: bool, paused: bool) -> WindowState:
    """The state of a window from its open sitting (if any) and whether that sitting is paused."""
    if not sitting:
        return WindowState.CLOSED
    return WindowState.PAUSED if paused else WindowState.OPEN
