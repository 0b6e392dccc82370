"""The calling rule of a window: which class of ticket to call next.

Priority tickets go first, but never starve the others: a window's rule is a ratio P:N in the
style of Qmatic work profiles. While both classes are waiting the window cycles through P
priority calls then N normal calls. When only one class is waiting it is called and the cycle
restarts, so a newly arrived priority ticket is again served first. Within a class the earliest
arrival goes first (the store orders by arrival time, then issue order).

Checked-in appointments (预约签到) are a class of their own among the non-priority tickets. When
the P/N cycle gives a normal call, a second cycle of the window decides between appointments and
walk-ins by the ratio A:W (default 1:1): while both wait, A appointment calls then W walk-in calls;
when only one of them waits it is called and that cycle restarts. Appointments go by slot start
(then check-in order); 绿色通道 priority keeps its own P/N rule over both. The rule is written
``arrival:2/1,appt:1/1`` (the appointment part is left out when it is the default 1:1).
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
    appointment_run: int = 1  # A: appointment calls in a row while walk-ins wait
    walkin_run: int = 1  # W: walk-in calls that must follow

    def __post_init__(self) -> None:
        for a, b in ((self.priority_run, self.normal_run), (self.appointment_run, self.walkin_run)):
            if a < 0 or b < 0 or a + b == 0 or a > 99 or b > 99:
                raise ValueError("calling ratio must be 0-99 each and not 0:0")

    @classmethod
    def parse(cls, text: str) -> CallingRule:
        """Parse "arrival:2/1" or "service_order:3/1" (mode, then priority/normal ratio), with
        an optional appointment/walk-in ratio: "arrival:2/1,appt:1/1"."""
        main, _, extra = text.partition(",")
        mode_s, _, ratio = main.partition(":")
        p_s, _, n_s = (ratio or "2/1").partition("/")
        a, w = 1, 1
        if extra:
            tag, _, appt = extra.partition(":")
            if tag.strip() != "appt":
                raise ValueError(f"unknown part {extra!r} (use appt:A/W)")
            a_s, _, w_s = appt.partition("/")
            a, w = int(a_s), int(w_s or 1)
        return cls(CallMode(mode_s or "arrival"), int(p_s), int(n_s or 1), a, w)

    def __str__(self) -> str:
        text = f"{self.mode.value}:{self.priority_run}/{self.normal_run}"
        if (self.appointment_run, self.walkin_run) != (1, 1):
            text += f",appt:{self.appointment_run}/{self.walkin_run}"
        return text


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


def choose_normal_class(
    rule: CallingRule, cycle_pos: int, has_appointment: bool, has_walkin: bool
) -> tuple[bool | None, int]:
    """Among normal calls: (True=appointment, False=walk-in, None=nothing), new cycle position
    of the window's appointment/walk-in cycle (the same shape as :func:`choose_class`)."""
    ratio = CallingRule(CallMode.ARRIVAL, rule.appointment_run, rule.walkin_run)
    return choose_class(ratio, cycle_pos, has_appointment, has_walkin)


TicketClass = str  # "priority" | "appointment" | "walkin"
CLASSES: tuple[TicketClass, ...] = ("priority", "appointment", "walkin")


def ticket_class(is_priority: bool, is_appointment: bool) -> TicketClass:
    """A waiting ticket's class: 绿色通道 priority, checked-in appointment or walk-in."""
    return "priority" if is_priority else "appointment" if is_appointment else "walkin"


def call_order(
    rule: CallingRule,
    cycle_pos: int,
    appt_pos: int,
    waiting: set[TicketClass],
) -> tuple[list[TicketClass], int, int]:
    """The classes to try, in order (the first is the rule's choice, the others are fallbacks
    when its tickets are being claimed by another window), and the two new cycle positions
    that apply when the first choice is called."""
    has_normal = bool(waiting & {"appointment", "walkin"})
    want_p, new_pos = choose_class(rule, cycle_pos, "priority" in waiting, has_normal)
    if want_p is None:
        return [], cycle_pos, appt_pos
    want_a, new_appt = choose_normal_class(
        rule, appt_pos, "appointment" in waiting, "walkin" in waiting
    )
    normal = ["appointment", "walkin"] if want_a else ["walkin", "appointment"]
    if want_p:
        return ["priority", *normal], new_pos, appt_pos
    return [*normal, "priority"], new_pos, new_appt


def calls_before(
    rule: CallingRule,
    cycle_pos: int,
    appt_pos: int,
    waiting: dict[TicketClass, int],
    mine: TicketClass,
    ahead_in_class: int,
) -> int:
    """How many calls a window makes before it calls a ticket of class ``mine`` that has
    ``ahead_in_class`` tickets of its class before it, given the tickets of the other classes
    waiting now (``waiting``; later arrivals are not guessed). The window's two cycles run as
    :func:`call_order` runs them, so a checked-in appointment with no appointment ahead of it
    and a window due for an appointment call is called next, whoever else waits."""
    left = {cls: max(0, waiting.get(cls, 0)) for cls in CLASSES}
    left[mine] = max(0, ahead_in_class) + 1  # the ticket itself is the last of its class
    calls = 0
    for _ in range(sum(left.values())):  # every call takes one ticket: this ends
        present = {cls for cls, n in left.items() if n}
        order, new_pos, new_appt = call_order(rule, cycle_pos, appt_pos, present)
        chosen = next(cls for cls in order if cls in present)
        if chosen == order[0]:
            cycle_pos, appt_pos = new_pos, new_appt
        else:
            cycle_pos = appt_pos = 0
        if chosen == mine and left[mine] == 1:
            return calls
        left[chosen] -= 1
        calls += 1
    return calls
