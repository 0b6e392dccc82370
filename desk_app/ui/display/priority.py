"""The call display's process ahead of the PC's other work in the processor's queue.

A hall's display PC often runs more than the display (a counter screen, a browser, updates);
the display must paint a call within a fraction of a second however busy the PC is. It asks for
a higher priority than the programs beside it: ABOVE_NORMAL on Windows (any user may), nice -5
on Linux and macOS (only with the privilege, CAP_SYS_NICE or a raised RLIMIT_NICE; without it,
the display runs at the normal priority and says so in its log). Never real-time: a display
that loops must not freeze the PC.
"""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger(__name__)

NICE = -5  # POSIX: five steps ahead of a normal program, about three times its share of CPU
_ABOVE_NORMAL_PRIORITY_CLASS = 0x8000


def raise_priority() -> bool:
    """Ask the OS to run this process ahead of normal ones; True if it did."""
    try:
        if sys.platform == "win32":
            import ctypes

            kernel = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
            ok = bool(
                kernel.SetPriorityClass(kernel.GetCurrentProcess(), _ABOVE_NORMAL_PRIORITY_CLASS)
            )
        else:
            # Linux keeps a nice value per thread: every thread there is now (Qt's own), and
            # those started later (the follower, the workers) inherit it from their starter.
            for thread in _threads():
                if os.getpriority(os.PRIO_PROCESS, thread) > NICE:
                    os.setpriority(os.PRIO_PROCESS, thread, NICE)
            ok = True
    except (OSError, AttributeError) as exc:
        log.info("call display runs at the normal priority (%s)", exc)
        return False
    if not ok:
        log.info("call display runs at the normal priority (refused)")
    return ok


def _threads() -> list[int]:
    """This process's threads where the OS lists them (Linux), else the process (0)."""
    try:
        return [int(t) for t in os.listdir("/proc/self/task")]
    except OSError:
        return [0]
