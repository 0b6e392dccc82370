"""The calling rule of a window: which class of ticket to call next.

Priority tickets go first, but never starve the others: a window's rule is a ratio P:N in the
style of Qmatic work profiles. While both classes are waiting the window cycles through P
priority calls then N normal calls. When only one class is waiting it is called and the cycle
restarts, so a newly arrived priority ticket is again served first. Within a class the earliest
arrival goes first (the store orders by arrival time, then issue order).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CallMode(StrEnum):
    ARRIVAL = "arrival"  # earliest arrival across all the window's services
    SERVICE_ORDER = "service_order"  # the window's first service with someone waiting, in order


@dataclass(frozen=True)
class CallingRule:
    mode: CallMode = CallMode.ARRIVAL
    priority_run: int = 2  # P: priority calls in a row while normal tickets wait
    normal_run: int = 1  # N: normal calls that must follow

    def __post_init__(self) -> None:
        if self.priority_run < 0 or self.normal_run < 0 or self.priority_run + self.normal_run == 0:
            raise ValueError("calling ratio must be non-negative and not 0:0")

    @classmethod
    def parse(cls, text: str) -> CallingRule:
        """Parse "arrival:2/1" or "service_order:3/1" (mode, then priority/normal ratio)."""
        mode_s, _, ratio = text.partition(":")
        p_s, _, n_s = (ratio or "2/1").partition("/")
        return cls(CallMode(mode_s or "arrival"), int(p_s), int(n_s or 1))

    def __str__(self) -> str:
        return f"{self.mode.value}:{self.priority_run}/{self.normal_run}"


def choose_class(
    rule: CallingRule, cycle_pos: int, has_priority: bool, has_normal: bool
) -> tuple[bool | None, int]:
    """Decide the class to call: (True=priority, False=normal, None=nothing), new cycle position."""
    if has_priority and has_normal:
        period = rule.priority_run + rule.normal_run
        pos = cycle_pos % period
        return pos < rule.priority_run, (pos + 1) % period
    if has_priority:
        return True, 0
    if has_normal:
        return False, 0
    return None, cycle_pos
