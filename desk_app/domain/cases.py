"""一件事 case states, the decisions at the window, and what may be decided now (domain.md
"一件事 rules").

::

    open --accept--> accepted --conclude--> concluded
    open --defer (容缺)--> deferred --(all deferred materials received)--> conclude
                                    --terminate (not supplied in time)--> terminated
    open --notice (一次性告知)--> notice --(materials brought later)--> accept / defer / ...
    open | notice --reject--> rejected

The services refuse what this module refuses, and the counter screen greys out the same
buttons: both ask :func:`decision_options`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from desk_app.domain.checklist import (
    Checklist,
    ChecklistEntry,
    DeferralBlocker,
    deferral_blockers,
    deferral_limit_days,
    missing,
)


class CaseState(StrEnum):
    OPEN = "open"  # 办理中: opened, materials being collected
    ACCEPTED = "accepted"  # 已受理
    DEFERRED = "deferred"  # 容缺受理: accepted with non-key materials to follow
    NOTICE = "notice"  # 一次性告知: the applicant went home with the list of what is missing
    REJECTED = "rejected"  # 不予受理
    CONCLUDED = "concluded"  # 办结
    TERMINATED = "terminated"  # 终止: deferred materials not supplied in time


class Decision(StrEnum):
    """The four decisions at the window on an open case."""

    ACCEPT = "accept"  # 受理
    DEFER = "defer"  # 容缺受理
    NOTICE = "notice"  # 一次性告知
    REJECT = "reject"  # 不予受理


class CaseAction(StrEnum):
    """What happened to a case; each is one row in case_events."""

    OPEN = "open"
    RECEIVE = "receive"
    DEFERRAL_MET = "deferral_met"  # the last deferred material arrived
    ACCEPT = "accept"
    DEFER = "defer"
    NOTICE = "notice"
    REJECT = "reject"
    CONCLUDE = "conclude"
    TERMINATE = "terminate"
    EVALUATE = "evaluate"


class MaterialStatus(StrEnum):
    MISSING = "missing"  # 未收
    ORIGINAL = "original"  # 已收原件
    COPY = "copy"  # 已收复印件
    VERIFIED = "verified"  # 已核验 (from shared data at the window)
    # 电子件: scanned or photographed at the window into the case (the paper handed back)
    ELECTRONIC = "electronic"
    DEFERRED = "deferred"  # 容缺待补
    OBTAINED = "obtained"  # 免提交: shared data, e-licence or an earlier item's result


# The forms a material may be received in (收取方式).
RECEIVED = frozenset(
    {
        MaterialStatus.ORIGINAL,
        MaterialStatus.COPY,
        MaterialStatus.VERIFIED,
        MaterialStatus.ELECTRONIC,
    }
)

S = CaseState
_DECIDABLE = frozenset({S.OPEN, S.NOTICE})
# action -> the states it may start from, and the state it leads to (None: the state stays)
TRANSITIONS: dict[CaseAction, tuple[frozenset[CaseState], CaseState | None]] = {
    CaseAction.RECEIVE: (frozenset({S.OPEN, S.NOTICE, S.DEFERRED}), None),
    CaseAction.ACCEPT: (_DECIDABLE, S.ACCEPTED),
    CaseAction.DEFER: (_DECIDABLE, S.DEFERRED),
    CaseAction.NOTICE: (_DECIDABLE, S.NOTICE),
    CaseAction.REJECT: (_DECIDABLE, S.REJECTED),
    CaseAction.CONCLUDE: (frozenset({S.ACCEPTED, S.DEFERRED}), S.CONCLUDED),
    CaseAction.TERMINATE: (frozenset({S.DEFERRED}), S.TERMINATED),
    CaseAction.EVALUATE: (frozenset({S.CONCLUDED}), None),
}

# States in which the case was accepted: the time limit runs and a receipt can be printed.
ACCEPTED_STATES = frozenset({S.ACCEPTED, S.DEFERRED, S.CONCLUDED})

STATE_LABELS_ZH = {
    S.OPEN: "办理中",
    S.ACCEPTED: "已受理",
    S.DEFERRED: "容缺受理",
    S.NOTICE: "已一次性告知",
    S.REJECTED: "不予受理",
    S.CONCLUDED: "已办结",
    S.TERMINATED: "已终止",
}
DECISION_LABELS_ZH = {
    Decision.ACCEPT: "受理",
    Decision.DEFER: "容缺受理",
    Decision.NOTICE: "一次性告知",
    Decision.REJECT: "不予受理",
}
MATERIAL_STATUS_LABELS_ZH = {
    MaterialStatus.MISSING: "未收",
    MaterialStatus.ORIGINAL: "已收原件",
    MaterialStatus.COPY: "已收复印件",
    MaterialStatus.VERIFIED: "已核验",
    MaterialStatus.ELECTRONIC: "已收电子件",
    MaterialStatus.DEFERRED: "容缺待补",
    MaterialStatus.OBTAINED: "免提交",
}


def allowed(action: CaseAction, state: CaseState | str) -> bool:
    """Whether ``action`` may be taken on a case in ``state``."""
    return CaseState(state) in TRANSITIONS[action][0]


def next_state(action: CaseAction, current: CaseState | str) -> CaseState | None:
    """The state after ``action`` (the same one for actions that keep it), or None when the
    action is not allowed from ``current``."""
    allowed_from, to = TRANSITIONS[action]
    current = CaseState(current)
    if current not in allowed_from:
        return None
    return current if to is None else to


@dataclass(frozen=True)
class DecisionOption:
    """One decision button: may it be pressed now, and if not, why not (one sentence each)."""

    decision: Decision
    allowed: bool
    reasons_zh: tuple[str, ...] = ()
    reasons_en: tuple[str, ...] = ()

    @property
    def message_zh(self) -> str:
        return "；".join(self.reasons_zh)

    @property
    def message_en(self) -> str:
        return "; ".join(self.reasons_en)


@dataclass(frozen=True)
class DecisionOptions:
    """What may be decided on a case now: every decision with its reasons, the required
    materials still missing, what blocks a deferral, and how long a deferral may run."""

    state: CaseState
    options: dict[Decision, DecisionOption]
    lacking: tuple[ChecklistEntry, ...] = ()
    blockers: tuple[DeferralBlocker, ...] = ()
    deferral_limit_days: int | None = None

    @property
    def decidable(self) -> bool:
        """The case still waits for a decision (open, or back after a notice)."""
        return self.state in _DECIDABLE

    def __getitem__(self, decision: Decision | str) -> DecisionOption:
        return self.options[Decision(decision)]


def decision_options(
    state: CaseState | str,
    checklist: Checklist,
    received: Iterable[str],
    *,
    bad_credit: bool = False,
) -> DecisionOptions:
    """What may be decided on a case in ``state`` whose ``received`` material codes are in.

    受理 needs every required material; 容缺受理 needs something missing and nothing blocking
    the deferral (key materials, items allowing none, bad credit); 一次性告知 needs something
    missing; 不予受理 is always possible on an undecided case (its reason is asked separately).
    """
    state = CaseState(state)
    if state not in _DECIDABLE:
        label = STATE_LABELS_ZH[state]
        no = DecisionOption
        return DecisionOptions(
            state,
            {
                d: no(d, False, (f"办件已{label}, 不能再作受理决定",), (f"case is {state}",))
                for d in Decision
            },
        )
    lacking = tuple(missing(checklist, received))
    blockers = tuple(deferral_blockers(checklist, lacking, bad_credit=bad_credit))
    options = {d: DecisionOption(d, True) for d in Decision}
    if lacking:
        names = "、".join(e.name for e in lacking)
        options[Decision.ACCEPT] = DecisionOption(
            Decision.ACCEPT,
            False,
            (f"尚缺必需材料: {names}。请选择容缺受理或出具一次性告知单",),
            (
                "required materials missing: "
                + ", ".join(e.material.name_en or e.name for e in lacking)
                + ". Accept with deferral or print a notice",
            ),
        )
        if blockers:
            options[Decision.DEFER] = DecisionOption(
                Decision.DEFER,
                False,
                ("不能容缺受理: " + "；".join(b.message_zh for b in blockers),),
                ("deferral not allowed: " + "; ".join(b.message_en for b in blockers),),
            )
    else:
        options[Decision.DEFER] = DecisionOption(
            Decision.DEFER,
            False,
            ("材料已齐全, 请直接受理",),
            ("nothing is missing: accept instead",),
        )
        options[Decision.NOTICE] = DecisionOption(
            Decision.NOTICE,
            False,
            ("材料已齐全, 无需一次性告知",),
            ("nothing is missing: accept instead",),
        )
    return DecisionOptions(
        state, options, lacking, blockers, deferral_limit_days(checklist, lacking)
    )


def conclusion_refusal(
    state: CaseState | str, outstanding: Iterable[str]
) -> tuple[str, str] | None:
    """Why a case may not be concluded (办结) yet, in Chinese and English, or None when it may:
    it must be accepted, or deferred with every deferred material (``outstanding`` names)
    received since."""
    state = CaseState(state)
    if not allowed(CaseAction.CONCLUDE, state):
        return (
            f"办件状态为{STATE_LABELS_ZH[state]}, 不能办结",
            f"case is {state}: only accepted cases conclude",
        )
    names = list(outstanding)
    if state is S.DEFERRED and names:
        return f"容缺材料尚未补齐: {'、'.join(names)}", "deferred materials are still outstanding"
    return None
