"""Every (role, operation) pair against a matrix written out here, independently of the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desk_app.security.roles import (
    DEVICE_ROLES,
    PERMISSIONS,
    PUBLIC_OPERATIONS,
    STAFF_ROLES,
    Actor,
    Operation,
    PermissionDenied,
    Role,
    allowed,
    is_public,
    require,
)

COLUMNS = ["admin", "supervisor", "counter", "helper", "reception", "kiosk", "display", "evaluator"]

# x = allowed, . = refused. Columns: admin supervisor counter helper reception kiosk display
# evaluator.
EXPECTED = """
db.upgrade                 x . . . . . . .
db.check                   x x x x x . . .
demo.seed                  x . . . . . . .
service.add                x . . . . . . .
service.list               x x x x x . . .
window.add                 x . . . . . . .
window.list                x x x x x . x .
window.open                x . x . . . . .
window.pause               x . x . . . . .
window.resume              x . x . . . . .
window.close               x x x . . . . .
staff.add                  x . . . . . . .
staff.passwd               x . . . . . . .
staff.lock                 x . . . . . . .
staff.unlock               x . . . . . . .
staff.list                 x x . . . . . .
ticket.issue               x x x x x x . .
ticket.requeue             x x x . x . . .
ticket.show                x x x x x . . .
call.next                  x . x . . . . .
call.recall                x . x . . . . .
call.no-show               x . x . . . . .
call.start                 x . x . . . . .
call.complete              x . x . . . . .
call.hold                  x . x . . . . .
call.ticket                x . x . . . . .
call.transfer              x . x . . . . .
queue.status               x x x x x x x .
queue.clear                x x . . . . . .
queue.rollover             x x x x x . . .
board.read                 x x x x x . x .
settings.show              x x . . . . . .
settings.set               x . . . . . . .
audit.list                 x x . . . . . .
audit.verify               x . . . . . . .
key.rotate                 x . . . . . . .
catalog.list               x x x x x x . .
catalog.show               x x x x x . . .
catalog.checklist          x x x x x x . .
catalog.export             x x . . . . . .
catalog.import             x x . . . . . .
catalog.verify             x x . . . . . .
catalog.edit               x x . . . . . .
catalog.history            x x . . . . . .
catalog.rollback           x x . . . . . .
calendar.show              x x x x x x . .
calendar.add-workdays      x x x x x . . .
calendar.session.add       x . . . . . . .
calendar.session.list      x x . . x . . .
calendar.session.remove    x . . . . . . .
case.open                  x . x x . . . .
case.receive               x . x x . . . .
case.attach                x . x x . . . .
case.share                 x . x x . . . .
share.view                 x x x x . . . .
share.list                 x x x x . . . .
share.stats                x x . . . . . .
case.inbox                 x x x . . . . .
workorder.list             x x . . . . . .
workorder.sign             x x . . . . . .
workorder.reply            x x . . . . . .
workorder.return           x x . . . . . .
case.decide                x . x . . . . .
case.conclude              x . x . . . . .
case.evaluate              x x . . . . . .
case.terminate             x x . . . . . .
case.show                  x x x x . . . .
case.reveal                x x . . . . . .
case.alerts                x x . . . . . .
case.print                 x . x . . . . .
appt.slots                 x x x x x x . .
appt.book                  x . x . x . . .
appt.cancel                x . . . x . . .
appt.reschedule            x . . . x . . .
appt.list                  x x x . x . . .
appt.checkin               x x x x x x . .
appt.sweep                 x x . . . . . .
appt.unblock               x x . . . . . .
appt.blackout.add          x x . . . . . .
stats.summary              x x . . . . . .
stats.reform               x x . . . . . .
stats.evaluations          x x . . . . . .
stats.report               x x . . . . . .
stats.rebuild              x x . . . . . .
alerts.list                x x . . . . . .
alerts.ack                 x x . . . . . .
live.hall                  x x . . . . . .
followup.list              x x . . . . . .
followup.record            x x . . . . . .
followup.appeal            x x x . . . . .
followup.review            x x . . . . . .
assist.start               x . . x . . . .
assist.authorize           x . . x . . . .
assist.step                x . . x . . . .
assist.suspend             x . . x . . . .
assist.resume              x . . x . . . .
assist.terminate           x . . x . . . .
assist.conclude            x . . x . . . .
assist.show                x x . x . . . .
assist.list                x x . x . . . .
assist.stats               x x . x . . . .
pain.add                   x . . x . . . .
pain.list                  x x . x . . . .
pain.assign                x x . . . . . .
pain.resolve               x x . . . . . .
pain.explain               x x . x . . . .
kb.search                  x x x x x x . .
kb.export                  x x . . . . . .
kb.unanswered              x x . x . . . .
sync.run                   x . . . . . . .
sync.status                x x x . . . . .
sync.reconcile             x . . . . . . .
sync.dead                  x x . . . . . .
sync.retry                 x x . . . . . .
sync.resolve               x x . . . . . .
sync.purge                 x . . . . . . .
device.list                x x . . . . . .
device.add                 x . . . . . . .
device.remove              x . . . . . . .
device.test                x . . . . . . .
device.simulate            x . . . . . . .
idcard.read                x x x x x x . .
device.token.create        x . . . . . . .
device.token.list          x . . . . . . .
device.token.revoke        x . . . . . . .
device.report              x x x x x x x x
evaluation.invite          x . x . . . . .
evaluation.pad             x . . . . . . x
"""


def _grid() -> dict[str, dict[str, bool]]:
    rows: dict[str, dict[str, bool]] = {}
    for line in EXPECTED.strip().splitlines():
        op, *marks = line.split()
        assert len(marks) == len(COLUMNS), line
        assert op not in rows, f"{op} twice in the grid"
        rows[op] = {role: mark == "x" for role, mark in zip(COLUMNS, marks, strict=True)}
    return rows


GRID = _grid()
PAIRS = [(op, role) for op in GRID for role in COLUMNS]


def test_grid_and_enums_cover_the_same_names():
    assert set(GRID) == {op.value for op in Operation}
    assert set(PERMISSIONS) == set(Operation)
    assert [r.value for r in Role] == COLUMNS


@pytest.mark.parametrize(("op", "role"), PAIRS, ids=[f"{o}-{r}" for o, r in PAIRS])
def test_every_role_operation_pair(op, role):
    assert allowed(Role(role), Operation(op)) is GRID[op][role]
    assert (Role(role) in PERMISSIONS[Operation(op)]) is GRID[op][role]


def test_admin_may_do_everything():
    assert all(allowed(Role.ADMIN, op) for op in Operation)


def test_public_operations_are_the_contracts_list():
    assert {op.value for op in PUBLIC_OPERATIONS} == {
        "ticket.issue",
        "queue.status",
        "calendar.show",
        "appt.slots",
        "appt.checkin",
        "kb.search",
        "catalog.list",
        "catalog.checklist",
        "db.check",
    }
    assert all(is_public(op) for op in PUBLIC_OPERATIONS)
    assert not is_public("case.show") and not is_public("no.such")


def test_every_staff_role_may_do_every_public_operation():
    for role in STAFF_ROLES:
        for op in PUBLIC_OPERATIONS:
            assert allowed(role, op), (role, op)


def test_devices_do_only_their_fixed_things():
    kiosk = {op for op in Operation if allowed(Role.KIOSK, op)}
    display = {op for op in Operation if allowed(Role.DISPLAY, op)}
    assert {op.value for op in kiosk} == {
        "device.report",
        "idcard.read",  # 刷身份证签到: the card on the kiosk's own reader
        "ticket.issue",
        "calendar.show",
        "appt.slots",
        "appt.checkin",
        "kb.search",
        "queue.status",
        "catalog.list",
        "catalog.checklist",
    }
    assert {op.value for op in display} == {
        "queue.status",
        "board.read",
        "window.list",
        "device.report",
    }
    pad = {op.value for op in Operation if allowed(Role.EVALUATOR, op)}
    assert pad == {"evaluation.pad", "device.report"}  # its window's pending request only
    assert kiosk - {Operation.DEVICE_REPORT, Operation.IDCARD_READ} <= PUBLIC_OPERATIONS
    device_ops = (
        Operation.IDCARD_READ,
        Operation.BOARD_READ,
        Operation.WINDOW_LIST,
        Operation.DEVICE_REPORT,
        Operation.EVALUATION_PAD,
    )
    for op in Operation:
        if not is_public(op) and op not in device_ops:
            assert not any(allowed(d, op) for d in DEVICE_ROLES), op


def test_personal_data_and_keys_are_narrow():
    assert {r for r in Role if allowed(r, "case.reveal")} == {Role.ADMIN, Role.SUPERVISOR}
    for op in ("key.rotate", "audit.verify", "staff.add", "settings.set", "sync.run"):
        assert {r for r in Role if allowed(r, op)} == {Role.ADMIN}, op


def test_unknown_names_are_refused():
    assert not allowed("root", "case.show")
    assert not allowed("admin", "case.delete")
    assert allowed("counter", "call.next")  # plain strings work too


ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
COMMANDS = ROOT / "docs" / "commands.md"  # the reference, generated from the parser
CONTRACTS = Path("/work/shared/design/contracts.md")  # design notes beside the checkout


@pytest.mark.parametrize(
    "doc", [README, COMMANDS, CONTRACTS], ids=["README", "commands", "contracts"]
)
def test_operations_cover_the_documented_command_line(doc):
    """Every documented command the program has is in the permission grid. The design notes
    also fix the names of commands still to be built; those are checked once they exist."""
    if not doc.exists():
        pytest.skip(f"{doc} not present")
    names = set(re.findall(r"desk-app ([a-z]+) ([a-z][a-z-]*)", doc.read_text(encoding="utf-8")))
    assert len(names) > (0 if doc is README else 20)
    from desk_app.cli.reference import command_paths

    built = {path[:2] for path in command_paths()}
    assert len(built) > 50
    if doc is CONTRACTS:
        names &= built
    for group, command in names:
        if group == "agent" or command in {"session", "blackout", "token"}:
            continue  # the agent is being replaced; sub-groups are listed with their verb
        assert f"{group}.{command}" in GRID, f"{group} {command}"


def test_actor_and_require():
    counter = Actor(staff_id=7, code="s01", role=Role.COUNTER)
    kiosk = Actor(staff_id=None, code="kiosk-1", role=Role.KIOSK, device=True)
    assert counter.may(Operation.CALL_NEXT) and not counter.may(Operation.CASE_REVEAL)
    require(counter, Operation.CASE_DECIDE)
    with pytest.raises(PermissionDenied) as exc:
        require(counter, Operation.CASE_REVEAL)
    message = str(exc.value)
    assert (
        "s01" in message
        and "case.reveal" in message
        and message.index("无权") < message.index("may not")
    )
    assert isinstance(exc.value, PermissionError)
    require(None, Operation.TICKET_ISSUE)  # public: no identity needed
    with pytest.raises(PermissionDenied, match="not logged in"):
        require(None, Operation.CASE_SHOW)
    require(kiosk, Operation.APPT_CHECKIN)
    with pytest.raises(PermissionDenied):
        require(kiosk, Operation.CASE_SHOW)  # not in the kiosk's fixed row
    with pytest.raises(ValueError):
        Actor(staff_id=1, code="x", role=Role.KIOSK, device=False)
    with pytest.raises(ValueError):
        Actor(staff_id=None, code="x", role=Role.ADMIN, device=True)
