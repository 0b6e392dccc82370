"""Roles, the operations of the command line, and who may do what: one table for GUI and CLI.

The services receive an :class:`Actor` and call :func:`require` (or :func:`allowed`) before they
write anything. ``admin`` may do everything. The kiosk and the call display are devices with a
fixed, narrow row each. :data:`PUBLIC_OPERATIONS` need no credentials at all (contracts.md,
"Public commands"); a caller without an identity may do those and nothing else, while a device
is held to its own row. Changing one's own password is the account's own right, checked by the
service, not a table entry (``staff.passwd`` here is changing someone else's).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """Staff roles, then the two device roles."""

    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    COUNTER = "counter"
    HELPER = "helper"
    RECEPTION = "reception"
    KIOSK = "kiosk"
    DISPLAY = "display"
    EVALUATOR = "evaluator"  # the visitor's evaluation pad at a window (screen or serial pad)


STAFF_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.COUNTER, Role.HELPER, Role.RECEPTION})
DEVICE_ROLES = frozenset({Role.KIOSK, Role.DISPLAY, Role.EVALUATOR})


class Operation(StrEnum):
    """Every operation of the command line (``group.command``), plus the display's board feed."""

    DB_UPGRADE = "db.upgrade"
    DB_CHECK = "db.check"
    DEMO_SEED = "demo.seed"
    SERVICE_ADD = "service.add"
    SERVICE_LIST = "service.list"
    WINDOW_ADD = "window.add"
    WINDOW_LIST = "window.list"
    WINDOW_OPEN = "window.open"
    WINDOW_PAUSE = "window.pause"
    WINDOW_RESUME = "window.resume"
    WINDOW_CLOSE = "window.close"
    STAFF_ADD = "staff.add"
    STAFF_PASSWD = "staff.passwd"
    STAFF_LOCK = "staff.lock"
    STAFF_UNLOCK = "staff.unlock"
    STAFF_LIST = "staff.list"
    TICKET_ISSUE = "ticket.issue"
    TICKET_REQUEUE = "ticket.requeue"
    TICKET_SHOW = "ticket.show"
    CALL_NEXT = "call.next"
    CALL_RECALL = "call.recall"
    CALL_NO_SHOW = "call.no-show"
    CALL_START = "call.start"
    CALL_COMPLETE = "call.complete"
    CALL_HOLD = "call.hold"
    CALL_TICKET = "call.ticket"
    CALL_TRANSFER = "call.transfer"
    QUEUE_STATUS = "queue.status"
    QUEUE_CLEAR = "queue.clear"
    QUEUE_ROLLOVER = "queue.rollover"
    BOARD_READ = "board.read"  # the call display's feed of calls (no CLI command)
    SETTINGS_SHOW = "settings.show"
    SETTINGS_SET = "settings.set"
    AUDIT_LIST = "audit.list"
    AUDIT_VERIFY = "audit.verify"
    KEY_ROTATE = "key.rotate"
    CATALOG_LIST = "catalog.list"
    CATALOG_SHOW = "catalog.show"
    CATALOG_CHECKLIST = "catalog.checklist"
    CATALOG_EXPORT = "catalog.export"
    CATALOG_IMPORT = "catalog.import"
    CATALOG_VERIFY = "catalog.verify"
    CATALOG_EDIT = "catalog.edit"  # a fact changed in the app (no CLI command of its own)
    CATALOG_HISTORY = "catalog.history"
    CATALOG_ROLLBACK = "catalog.rollback"
    CALENDAR_SHOW = "calendar.show"
    CALENDAR_ADD_WORKDAYS = "calendar.add-workdays"
    CALENDAR_SESSION_ADD = "calendar.session.add"
    CALENDAR_SESSION_LIST = "calendar.session.list"
    CALENDAR_SESSION_REMOVE = "calendar.session.remove"
    CASE_OPEN = "case.open"
    CASE_RECEIVE = "case.receive"
    CASE_ATTACH = "case.attach"  # pages scanned into a case as 电子件
    CASE_SHARE = "case.share"  # fetch the case's shared materials from the platform (免证办)
    SHARE_VIEW = "share.view"  # what sharing returned for a material: audited
    SHARE_LIST = "share.list"  # the calls made for a case (no personal data)
    SHARE_STATS = "share.stats"
    CASE_INBOX = "case.inbox"  # online applications waiting for review (网办件)
    WORKORDER_LIST = "workorder.list"  # 12345 work orders
    WORKORDER_SIGN = "workorder.sign"
    WORKORDER_REPLY = "workorder.reply"
    WORKORDER_RETURN = "workorder.return"
    CASE_DECIDE = "case.decide"
    CASE_CONCLUDE = "case.conclude"
    CASE_EVALUATE = "case.evaluate"
    CASE_TERMINATE = "case.terminate"
    CASE_SHOW = "case.show"  # masked
    CASE_REVEAL = "case.reveal"  # case show --reveal --reason: unmasked, audited
    CASE_ALERTS = "case.alerts"
    CASE_PRINT = "case.print"
    APPT_SLOTS = "appt.slots"
    APPT_BOOK = "appt.book"
    APPT_CANCEL = "appt.cancel"
    APPT_RESCHEDULE = "appt.reschedule"
    APPT_LIST = "appt.list"
    APPT_CHECKIN = "appt.checkin"
    APPT_SWEEP = "appt.sweep"
    APPT_UNBLOCK = "appt.unblock"
    APPT_BLACKOUT_ADD = "appt.blackout.add"
    STATS_SUMMARY = "stats.summary"
    STATS_REFORM = "stats.reform"
    STATS_EVALUATIONS = "stats.evaluations"
    STATS_REPORT = "stats.report"
    STATS_REBUILD = "stats.rebuild"  # roll the statistics up again (rollup catch-up)
    ALERTS_LIST = "alerts.list"
    ALERTS_ACK = "alerts.ack"
    LIVE_HALL = "live.hall"  # the supervisor's live view of the hall (no CLI command)
    FOLLOWUP_LIST = "followup.list"
    FOLLOWUP_RECORD = "followup.record"
    FOLLOWUP_APPEAL = "followup.appeal"
    FOLLOWUP_REVIEW = "followup.review"
    ASSIST_START = "assist.start"
    ASSIST_AUTHORIZE = "assist.authorize"
    ASSIST_STEP = "assist.step"
    ASSIST_SUSPEND = "assist.suspend"
    ASSIST_RESUME = "assist.resume"
    ASSIST_TERMINATE = "assist.terminate"
    ASSIST_CONCLUDE = "assist.conclude"
    ASSIST_SHOW = "assist.show"
    ASSIST_LIST = "assist.list"
    ASSIST_STATS = "assist.stats"  # figures of the sessions, pain points and walkthroughs
    PAIN_ADD = "pain.add"
    PAIN_LIST = "pain.list"
    PAIN_ASSIGN = "pain.assign"
    PAIN_RESOLVE = "pain.resolve"
    PAIN_EXPLAIN = "pain.explain"
    KB_SEARCH = "kb.search"
    KB_EXPORT = "kb.export"
    KB_UNANSWERED = "kb.unanswered"
    SYNC_RUN = "sync.run"
    SYNC_STATUS = "sync.status"
    SYNC_RECONCILE = "sync.reconcile"
    SYNC_DEAD = "sync.dead"
    SYNC_RETRY = "sync.retry"
    SYNC_RESOLVE = "sync.resolve"
    SYNC_PURGE = "sync.purge"
    DEVICE_LIST = "device.list"
    DEVICE_ADD = "device.add"
    DEVICE_REMOVE = "device.remove"
    DEVICE_TEST = "device.test"
    DEVICE_SIMULATE = "device.simulate"
    IDCARD_READ = "idcard.read"  # the visitor's card on this PC's reader
    DEVICE_TOKEN_CREATE = "device.token.create"
    DEVICE_TOKEN_LIST = "device.token.list"
    DEVICE_TOKEN_REVOKE = "device.token.revoke"
    DEVICE_REPORT = "device.report"  # a screen's device runner records what it saw (no CLI)
    EVALUATION_INVITE = "evaluation.invite"  # the counter asks the visitor to rate (no CLI)
    EVALUATION_PAD = "evaluation.pad"  # the pad reads the pending request and rates it (no CLI)


Op = Operation
_S, _C, _H, _R = Role.SUPERVISOR, Role.COUNTER, Role.HELPER, Role.RECEPTION
_K, _D, _E = Role.KIOSK, Role.DISPLAY, Role.EVALUATOR
_STAFF = (_S, _C, _H, _R)
_ADMIN: tuple[Role, ...] = ()  # admin only (admin is allowed everything by allowed())

# Who besides admin may run each operation. One line per operation, grouped as in contracts.md.
_TABLE: dict[Operation, tuple[Role, ...]] = {
    Op.DB_UPGRADE: _ADMIN,
    Op.DB_CHECK: (*_STAFF,),
    Op.DEMO_SEED: _ADMIN,
    Op.SERVICE_ADD: _ADMIN,
    Op.SERVICE_LIST: (*_STAFF,),
    Op.WINDOW_ADD: _ADMIN,
    Op.WINDOW_LIST: (*_STAFF, _D),  # the call display names the windows
    Op.WINDOW_OPEN: (_C,),
    Op.WINDOW_PAUSE: (_C,),
    Op.WINDOW_RESUME: (_C,),
    Op.WINDOW_CLOSE: (_C, _S),  # a supervisor closes a window someone left logged in
    Op.STAFF_ADD: _ADMIN,
    Op.STAFF_PASSWD: _ADMIN,
    Op.STAFF_LOCK: _ADMIN,
    Op.STAFF_UNLOCK: _ADMIN,
    Op.STAFF_LIST: (_S,),
    Op.TICKET_ISSUE: (*_STAFF, _K),
    Op.TICKET_REQUEUE: (_C, _R, _S),
    Op.TICKET_SHOW: (_C, _R, _H, _S),
    Op.CALL_NEXT: (_C,),
    Op.CALL_RECALL: (_C,),
    Op.CALL_NO_SHOW: (_C,),
    Op.CALL_START: (_C,),
    Op.CALL_COMPLETE: (_C,),
    Op.CALL_HOLD: (_C,),
    Op.CALL_TICKET: (_C,),
    Op.CALL_TRANSFER: (_C,),
    Op.QUEUE_STATUS: (*_STAFF, _K, _D),
    Op.QUEUE_CLEAR: (_S,),
    Op.QUEUE_ROLLOVER: (*_STAFF,),
    Op.BOARD_READ: (*_STAFF, _D),
    Op.SETTINGS_SHOW: (_S,),
    Op.SETTINGS_SET: _ADMIN,
    Op.AUDIT_LIST: (_S,),
    Op.AUDIT_VERIFY: _ADMIN,
    Op.KEY_ROTATE: _ADMIN,
    Op.CATALOG_LIST: (*_STAFF, _K),
    Op.CATALOG_SHOW: (*_STAFF,),
    Op.CATALOG_CHECKLIST: (*_STAFF, _K),
    Op.CATALOG_EXPORT: (_S,),
    Op.CATALOG_IMPORT: (_S,),
    Op.CATALOG_VERIFY: (_S,),
    Op.CATALOG_EDIT: (_S,),
    Op.CATALOG_HISTORY: (_S,),
    Op.CATALOG_ROLLBACK: (_S,),
    Op.CALENDAR_SHOW: (*_STAFF, _K),
    Op.CALENDAR_ADD_WORKDAYS: (*_STAFF,),
    Op.CALENDAR_SESSION_ADD: _ADMIN,
    Op.CALENDAR_SESSION_LIST: (_S, _R),
    Op.CALENDAR_SESSION_REMOVE: _ADMIN,
    Op.CASE_OPEN: (_C, _H),
    Op.CASE_RECEIVE: (_C, _H),
    Op.CASE_ATTACH: (_C, _H),
    Op.CASE_SHARE: (_C, _H),
    Op.SHARE_VIEW: (_C, _H, _S),
    Op.SHARE_LIST: (_C, _H, _S),
    Op.SHARE_STATS: (_S,),
    Op.CASE_INBOX: (_C, _S),
    Op.WORKORDER_LIST: (_S,),
    Op.WORKORDER_SIGN: (_S,),
    Op.WORKORDER_REPLY: (_S,),
    Op.WORKORDER_RETURN: (_S,),
    Op.CASE_DECIDE: (_C,),
    Op.CASE_CONCLUDE: (_C,),
    # The visitor rates on the pad facing them (evaluation.pad); a rating given on paper or
    # through the QR code is entered by the supervisor, never by the clerk who was rated.
    Op.CASE_EVALUATE: (_S,),
    Op.CASE_TERMINATE: (_S,),
    Op.CASE_SHOW: (_C, _H, _S),
    Op.CASE_REVEAL: (_S,),
    Op.CASE_ALERTS: (_S,),
    Op.CASE_PRINT: (_C,),
    Op.APPT_SLOTS: (*_STAFF, _K),
    Op.APPT_BOOK: (_C, _R),
    Op.APPT_CANCEL: (_R,),
    Op.APPT_RESCHEDULE: (_R,),
    Op.APPT_LIST: (_C, _R, _S),
    Op.APPT_CHECKIN: (*_STAFF, _K),
    Op.APPT_SWEEP: (_S,),
    Op.APPT_UNBLOCK: (_S,),
    Op.APPT_BLACKOUT_ADD: (_S,),
    Op.STATS_SUMMARY: (_S,),
    Op.STATS_REFORM: (_S,),
    Op.STATS_EVALUATIONS: (_S,),
    Op.STATS_REPORT: (_S,),
    Op.STATS_REBUILD: (_S,),
    Op.ALERTS_LIST: (_S,),
    Op.ALERTS_ACK: (_S,),
    Op.LIVE_HALL: (_S,),
    Op.FOLLOWUP_LIST: (_S,),
    Op.FOLLOWUP_RECORD: (_S,),
    Op.FOLLOWUP_APPEAL: (_C, _S),  # the rated member of staff, or the supervisor for them
    Op.FOLLOWUP_REVIEW: (_S,),
    Op.ASSIST_START: (_H,),
    Op.ASSIST_AUTHORIZE: (_H,),
    Op.ASSIST_STEP: (_H,),
    Op.ASSIST_SUSPEND: (_H,),
    Op.ASSIST_RESUME: (_H,),
    Op.ASSIST_TERMINATE: (_H,),
    Op.ASSIST_CONCLUDE: (_H,),
    Op.ASSIST_SHOW: (_H, _S),
    Op.ASSIST_LIST: (_H, _S),
    Op.ASSIST_STATS: (_H, _S),
    Op.PAIN_ADD: (_H,),
    Op.PAIN_LIST: (_H, _S),
    Op.PAIN_ASSIGN: (_S,),
    Op.PAIN_RESOLVE: (_S,),
    Op.PAIN_EXPLAIN: (_H, _S),
    Op.KB_SEARCH: (*_STAFF, _K),
    Op.KB_EXPORT: (_S,),
    Op.KB_UNANSWERED: (_H, _S),
    Op.SYNC_RUN: _ADMIN,
    Op.SYNC_STATUS: (_S, _C),  # the counter's sync indicator (counts only)
    Op.SYNC_RECONCILE: _ADMIN,
    Op.SYNC_DEAD: (_S,),
    Op.SYNC_RETRY: (_S,),
    Op.SYNC_RESOLVE: (_S,),
    Op.SYNC_PURGE: _ADMIN,
    Op.DEVICE_LIST: (_S,),
    Op.DEVICE_ADD: _ADMIN,
    Op.DEVICE_REMOVE: _ADMIN,
    Op.DEVICE_TEST: _ADMIN,
    Op.DEVICE_SIMULATE: _ADMIN,
    Op.IDCARD_READ: (*_STAFF, _K),
    Op.DEVICE_TOKEN_CREATE: _ADMIN,
    Op.DEVICE_TOKEN_LIST: _ADMIN,
    Op.DEVICE_TOKEN_REVOKE: _ADMIN,
    Op.DEVICE_REPORT: (*_STAFF, _K, _D, _E),
    Op.EVALUATION_INVITE: (_C,),
    Op.EVALUATION_PAD: (_E,),
}

PERMISSIONS: dict[Operation, frozenset[Role]] = {
    op: frozenset((Role.ADMIN, *roles)) for op, roles in _TABLE.items()
}

# contracts.md "Public commands": no credentials ever.
PUBLIC_OPERATIONS: frozenset[Operation] = frozenset(
    {
        Op.TICKET_ISSUE,
        Op.QUEUE_STATUS,
        Op.CALENDAR_SHOW,
        Op.APPT_SLOTS,
        Op.APPT_CHECKIN,
        Op.KB_SEARCH,
        Op.CATALOG_LIST,
        Op.CATALOG_CHECKLIST,
        Op.DB_CHECK,
    }
)


def allowed(role: Role | str, op: Operation | str) -> bool:
    """True when ``role`` may do ``op``; admin may do everything; unknown names are refused."""
    try:
        role, op = Role(role), Operation(op)
    except ValueError:
        return False
    return role is Role.ADMIN or role in PERMISSIONS[op]


def is_public(op: Operation | str) -> bool:
    """True when ``op`` needs no credentials (a caller without an identity may do it)."""
    try:
        return Operation(op) in PUBLIC_OPERATIONS
    except ValueError:
        return False


@dataclass(frozen=True)
class Actor:
    """Who acts: a staff account (``staff_id`` set) or a device (``device``, kiosk/display)."""

    staff_id: int | None
    code: str
    role: Role
    device: bool = False
    # A device token's narrower rights (security/device_tokens.py): the operations it may do
    # at most, whatever the role behind it may; None: the role's own.
    scope: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if self.device != (self.role in DEVICE_ROLES):
            raise ValueError("device actors have a device role, and only they do")

    def may(self, op: Operation | str) -> bool:
        """:func:`allowed` for this actor's role, within its token's scope if it has one."""
        if self.scope is not None and str(op) not in self.scope:
            return False
        return allowed(self.role, op)


class PermissionDenied(PermissionError):
    """The acting person's role may not do the operation; one line, Chinese then English."""

    def __init__(self, actor: Actor | None, op: Operation | str) -> None:
        self.actor = actor
        self.operation = str(op)
        who = "未登录" if actor is None else f"{actor.code}({actor.role})"
        who_en = "not logged in" if actor is None else f"{actor.code} ({actor.role})"
        super().__init__(f"{who} 无权执行 {op} / {who_en} may not do {op}")


def require(actor: Actor | None, op: Operation | str) -> None:
    """Raise :class:`PermissionDenied` unless ``actor`` may do ``op`` (None: public ops only)."""
    if actor is None:
        if not is_public(op):
            raise PermissionDenied(None, op)
        return
    if not actor.may(op):
        raise PermissionDenied(actor, op)


# The workstation's own machinery (the background sync loop): no person, all sync rights.
SYSTEM_ACTOR = Actor(staff_id=None, code="system", role=Role.ADMIN)
