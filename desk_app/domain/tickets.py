"""Ticket states, priority kinds and the transitions the queue allows (domain.md "Queue rules")."""

from __future__ import annotations

from enum import StrEnum


class TicketState(StrEnum):
    WAITING = "waiting"  # in the queue (issued, transferred, re-queued)
    CALLED = "called"  # announced at a window, visitor not yet at the counter
    SERVING = "serving"  # visitor at the counter (start pressed)
    HELD = "held"  # 挂起: parked by a window, called back later the same day
    NO_SHOW = "no_show"  # 过号
    COMPLETED = "completed"
    EXPIRED = "expired"  # left in the queue when the hall cleared it at closing


class Action(StrEnum):
    """What happened to a ticket; each is one row in ticket_events."""

    ISSUE = "issue"
    CALL = "call"  # call next or call a specific ticket (also calling back a held one)
    RECALL = "recall"  # 重呼
    NO_SHOW = "no_show"  # 过号
    REQUEUE = "requeue"  # a no-show back into the queue
    HOLD = "hold"  # 挂起
    TRANSFER = "transfer"  # 转移 to another service or window
    START = "start"
    COMPLETE = "complete"
    EXPIRE = "expire"


class Priority(StrEnum):
    """绿色通道 kinds. Any priority ticket is in the priority class for calling."""

    ELDERLY = "elderly"
    DISABLED = "disabled"
    PREGNANT = "pregnant"
    MILITARY = "military"
    APPOINTMENT = "appointment"
    VIP = "vip"


PRIORITY_LABELS_ZH = {
    Priority.ELDERLY: "老年人",
    Priority.DISABLED: "残疾人",
    Priority.PREGNANT: "孕妇",
    Priority.MILITARY: "军人",
    Priority.APPOINTMENT: "预约",
    Priority.VIP: "重点服务",
}

S = TicketState
# How often a called ticket may be recalled before it must be marked a no-show (the
# ``recall_limit`` setting's default).
RECALL_LIMIT_DEFAULT = 3
# action -> the states it may start from, and the state it leads to
TRANSITIONS: dict[Action, tuple[frozenset[TicketState], TicketState]] = {
    Action.CALL: (frozenset({S.WAITING, S.HELD}), S.CALLED),
    Action.RECALL: (frozenset({S.CALLED}), S.CALLED),
    Action.NO_SHOW: (frozenset({S.CALLED}), S.NO_SHOW),
    Action.REQUEUE: (frozenset({S.NO_SHOW}), S.WAITING),
    Action.HOLD: (frozenset({S.CALLED, S.SERVING}), S.HELD),
    Action.TRANSFER: (frozenset({S.CALLED, S.SERVING, S.HELD}), S.WAITING),
    Action.START: (frozenset({S.CALLED}), S.SERVING),
    Action.COMPLETE: (frozenset({S.SERVING}), S.COMPLETED),
    Action.EXPIRE: (frozenset({S.WAITING, S.CALLED, S.HELD}), S.EXPIRED),
}

STATE_LABELS_ZH = {
    S.WAITING: "等候中",
    S.CALLED: "已叫号",
    S.SERVING: "办理中",
    S.HELD: "已挂起",
    S.NO_SHOW: "已过号",
    S.COMPLETED: "已办结",
    S.EXPIRED: "已失效",
}


def next_state(action: Action, current: TicketState) -> TicketState | None:
    """The state after ``action``, or None when the action is not allowed from ``current``."""
    allowed_from, to = TRANSITIONS[action]
    return to if current in allowed_from else None


def format_number(prefix: str, seq: int) -> str:
    """Ticket number: service prefix + a 3-digit daily number (A001); wider past 999."""
    return f"{prefix}{seq:03d}"
