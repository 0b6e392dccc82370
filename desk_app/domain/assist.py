"""帮办代办: helper sessions, their authorization (授权委托书) and the pain points (堵点) they find
(domain.md "帮办代办"; Qingdao's rules separate 帮办, where the helper guides and coordinates,
from 代办, where the helper acts for the applicant under a written authorization).

::

    active --suspend (中止)--> suspended --resume--> active
    active | suspended --terminate (终止)--> terminated
    active --conclude (办结)--> concluded

    pain point: open --assign--> assigned --resolve--> resolved
                open | assigned --explain (解释说明)--> explained

The services refuse what this module refuses and the helper screen greys out the same buttons:
both ask :func:`allowed`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class AssistMode(StrEnum):
    ACCOMPANY = "accompany"  # 帮办: the helper guides and coordinates, the visitor applies
    PROXY = "proxy"  # 代办: the helper acts for the applicant under an authorization
    WALKTHROUGH = "walkthrough"  # 走流程: an official walks the process to find blockages


class Channel(StrEnum):
    SITE = "site"  # 现场 (in the hall)
    HOME = "home"  # 上门 (a home visit)
    VIDEO = "video"  # 视频 (a video call)


class SessionState(StrEnum):
    ACTIVE = "active"  # 办理中
    SUSPENDED = "suspended"  # 中止: waiting for the visitor, a department, a document
    TERMINATED = "terminated"  # 终止: given up (the visitor withdrew, not eligible, ...)
    CONCLUDED = "concluded"  # 办结


class AssistAction(StrEnum):
    """What happened in a session; each is one row in assist_events."""

    START = "start"
    AUTHORIZE = "authorize"
    STEP = "step"
    LINK_CASE = "link_case"
    SUSPEND = "suspend"
    RESUME = "resume"
    TERMINATE = "terminate"
    CONCLUDE = "conclude"


S = SessionState
_OPEN = frozenset({S.ACTIVE, S.SUSPENDED})
# action -> the states it may start from, and the state it leads to (None: the state stays)
TRANSITIONS: dict[AssistAction, tuple[frozenset[SessionState], SessionState | None]] = {
    AssistAction.AUTHORIZE: (_OPEN, None),  # a letter may be signed while waiting, too
    AssistAction.STEP: (frozenset({S.ACTIVE}), None),
    AssistAction.LINK_CASE: (frozenset({S.ACTIVE}), None),
    AssistAction.SUSPEND: (frozenset({S.ACTIVE}), S.SUSPENDED),
    AssistAction.RESUME: (frozenset({S.SUSPENDED}), S.ACTIVE),
    AssistAction.TERMINATE: (_OPEN, S.TERMINATED),
    AssistAction.CONCLUDE: (frozenset({S.ACTIVE}), S.CONCLUDED),
}

# Ending a session takes a reason where the visitor must be told why (中止, 终止).
NEEDS_REASON = frozenset({AssistAction.SUSPEND, AssistAction.TERMINATE})
CLOSED_STATES = frozenset({S.TERMINATED, S.CONCLUDED})

MODE_LABELS_ZH = {
    AssistMode.ACCOMPANY: "帮办",
    AssistMode.PROXY: "代办",
    AssistMode.WALKTHROUGH: "走流程",
}
CHANNEL_LABELS_ZH = {Channel.SITE: "现场", Channel.HOME: "上门", Channel.VIDEO: "视频"}
STATE_LABELS_ZH = {
    S.ACTIVE: "办理中",
    S.SUSPENDED: "已中止",
    S.TERMINATED: "已终止",
    S.CONCLUDED: "已办结",
}
ACTION_LABELS_ZH = {
    AssistAction.START: "受理",
    AssistAction.AUTHORIZE: "签署授权委托书",
    AssistAction.STEP: "办理环节",
    AssistAction.LINK_CASE: "开立办件",
    AssistAction.SUSPEND: "中止",
    AssistAction.RESUME: "恢复办理",
    AssistAction.TERMINATE: "终止",
    AssistAction.CONCLUDE: "办结",
}


def allowed(action: AssistAction | str, state: SessionState | str) -> bool:
    """Whether ``action`` may be taken on a session in ``state``."""
    return SessionState(state) in TRANSITIONS[AssistAction(action)][0]


def next_state(action: AssistAction | str, current: SessionState | str) -> SessionState | None:
    """The state after ``action`` (the same one for actions that keep it), or None when the
    action is not allowed from ``current``."""
    allowed_from, to = TRANSITIONS[AssistAction(action)]
    current = SessionState(current)
    if current not in allowed_from:
        return None
    return current if to is None else to


def transition_refusal(action: AssistAction | str, state: SessionState | str) -> tuple[str, str]:
    """Why ``action`` is refused in ``state``, Chinese and English, for the one-line refusal."""
    action, state = AssistAction(action), SessionState(state)
    return (
        f"帮办服务{STATE_LABELS_ZH[state]}, 不能{ACTION_LABELS_ZH[action]}",
        f"the session is {state}: cannot {action}",
    )


# --- the authorization (授权委托书) -----------------------------------------------------------


@dataclass(frozen=True)
class Authorization:
    """What a principal signed: the bundle items the agent may act on, and until when."""

    items: frozenset[str]
    valid_until: date


def proxy_refusal(
    mode: AssistMode | str,
    authorization: Authorization | None,
    items: Iterable[str],
    today: date,
    names: Mapping[str, tuple[str, str]] | None = None,
) -> tuple[str, str] | None:
    """Why a session may not act on ``items`` (item codes) today, or None when it may;
    ``names`` gives an item's (Chinese, English) name by code for the refusal (else the code).

    Only 代办 needs this: the helper acts in the applicant's name, so each item must be covered
    by a signed authorization still valid today (the last day of validity counts). 帮办 and 走流程
    act in nobody's name and are never refused here."""
    if AssistMode(mode) is not AssistMode.PROXY:
        return None
    wanted = [i for i in items if i]
    if authorization is None:
        return (
            "代办须先签署授权委托书 (assist authorize)",
            "a proxy session needs a signed authorization first (assist authorize)",
        )
    if authorization.valid_until < today:
        return (
            f"授权委托书已于 {authorization.valid_until} 过期, 请重新签署",
            f"the authorization expired on {authorization.valid_until}",
        )
    uncovered = [i for i in wanted if i not in authorization.items]
    if uncovered:
        named = [(names or {}).get(i, (i, i)) for i in uncovered]
        return (
            f"授权委托书未包含事项: {'、'.join(zh for zh, _ in named)}",
            f"the authorization does not cover: {', '.join(en or zh for zh, en in named)}",
        )
    return None


# --- pain points (堵点) ------------------------------------------------------------------------


class PainCategory(StrEnum):
    MATERIALS = "materials"  # 材料: asked twice, not accepted, unclear
    PROCESS = "process"  # 流程: extra steps, trips, waiting
    SYSTEM = "system"  # 系统: systems not connected, data not shared
    INFORMATION = "information"  # 信息: guides wrong or missing
    ATTITUDE = "attitude"  # 作风: staff attitude


class PainState(StrEnum):
    OPEN = "open"  # 待分派
    ASSIGNED = "assigned"  # 已分派 to an owner department
    RESOLVED = "resolved"  # 已解决
    EXPLAINED = "explained"  # 已解释: not a blockage after all; the reason is recorded


class PainAction(StrEnum):
    ADD = "add"
    ASSIGN = "assign"
    RESOLVE = "resolve"
    EXPLAIN = "explain"


P = PainState
PAIN_TRANSITIONS: dict[PainAction, tuple[frozenset[PainState], PainState]] = {
    PainAction.ASSIGN: (frozenset({P.OPEN, P.ASSIGNED}), P.ASSIGNED),  # re-assign allowed
    PainAction.RESOLVE: (frozenset({P.ASSIGNED}), P.RESOLVED),
    # A helper may explain on the spot (a misunderstanding), before anyone is assigned.
    PainAction.EXPLAIN: (frozenset({P.OPEN, P.ASSIGNED}), P.EXPLAINED),
}
PAIN_OPEN_STATES = frozenset({P.OPEN, P.ASSIGNED})

CATEGORY_LABELS_ZH = {
    PainCategory.MATERIALS: "材料",
    PainCategory.PROCESS: "流程",
    PainCategory.SYSTEM: "系统",
    PainCategory.INFORMATION: "信息",
    PainCategory.ATTITUDE: "作风",
}
PAIN_STATE_LABELS_ZH = {
    P.OPEN: "待分派",
    P.ASSIGNED: "整改中",
    P.RESOLVED: "已解决",
    P.EXPLAINED: "已解释",
}

# Working days to deal with a pain point: from when it was found, and again from assignment.
PAIN_DUE_WORKDAYS = 15
PAIN_ASSIGN_WORKDAYS = 10


def pain_next_state(action: PainAction | str, current: PainState | str) -> PainState | None:
    """The pain point's state after ``action``, or None when not allowed from ``current``."""
    allowed_from, to = PAIN_TRANSITIONS[PainAction(action)]
    return to if PainState(current) in allowed_from else None


def is_overdue(state: PainState | str, due: date | None, today: date) -> bool:
    """Still open (or assigned) after its due date."""
    return PainState(state) in PAIN_OPEN_STATES and due is not None and due < today
