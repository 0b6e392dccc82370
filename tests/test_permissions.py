"""Every (role, operation) pair the services offer, against the permission table.

Each use case is called with a handle acting for each role: an allowed role must get past the
permission check (it may still be refused for the hall's state), a refused one must get a
Forbidden and leave every table exactly as it was. The table itself is tested line by line in
test_security_roles.py; this proves the services apply it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from desk_app.security.authz import Forbidden
from desk_app.security.roles import Actor, Operation, Role, allowed
from desk_app.services.accounts import device_tokens, key_rotation
from desk_app.services.accounts import staff as accounts
from desk_app.services.appointments import booking as appointments
from desk_app.services.appointments import checkin as appointment_checkin
from desk_app.services.assist import pain_points
from desk_app.services.assist import sessions as assist
from desk_app.services.assist import stats as assist_stats
from desk_app.services.cases import actions as cases
from desk_app.services.cases import documents as case_print
from desk_app.services.cases import files as case_files
from desk_app.services.cases import online as online_cases
from desk_app.services.cases import sharing
from desk_app.services.catalog import upkeep as catalog_upkeep
from desk_app.services.common import audit
from desk_app.services.common.errors import Refused
from desk_app.services.demo import seed as demo
from desk_app.services.devices import cards as device_cards
from desk_app.services.devices import checks as device_checks
from desk_app.services.devices import registry as device_registry
from desk_app.services.evaluation import follow_up
from desk_app.services.evaluation import pad as evaluation_pad
from desk_app.services.evaluation import stats as evaluation_stats
from desk_app.services.hall import calendar
from desk_app.services.hall import setup as hall
from desk_app.services.kb import answers as kb
from desk_app.services.queue import boards
from desk_app.services.queue import operations as queue
from desk_app.services.queue import rollover as queue_rollover
from desk_app.services.supervision import alerts, live_hall, reform, rollup, statistics
from desk_app.services.supervision import report as stats_report
from desk_app.services.workorders import orders as workorders
from desk_app.store.models import Base
from desk_app.sync import outbox, retention
from desk_app.sync.client import CentralClient, CentralError
from desk_app.sync.config import SyncConfig
from tests.appt_tools import at
from tests.ids import resident_id

Op = Operation
PW = "Hall-2026x"


DAY = date(2026, 12, 1)


def _client() -> CentralClient:
    return CentralClient(SyncConfig(url="https://central.invalid", token="t" * 16))


# operation -> a call of the use case on a handle (the hall below provides what it needs).
CALLS: dict[Operation, Callable[[Any], Any]] = {
    Op.SERVICE_ADD: lambda db: hall.add_service(db, "x_svc", "测试", "X"),
    Op.SERVICE_LIST: hall.list_services,
    Op.WINDOW_ADD: lambda db: hall.add_window(db, 9, ["newborn"]),
    Op.WINDOW_LIST: hall.list_windows,
    Op.WINDOW_OPEN: lambda db: hall.open_window(db, 2, "s01"),
    Op.WINDOW_PAUSE: lambda db: hall.pause_window(db, 1),
    Op.WINDOW_RESUME: lambda db: hall.resume_window(db, 1),
    Op.WINDOW_CLOSE: lambda db: hall.close_window(db, 3),
    Op.STAFF_ADD: lambda db: accounts.create_account(db, "x01", "某", "helper", PW),
    Op.STAFF_PASSWD: lambda db: accounts.reset_password(db, "h01"),
    Op.STAFF_LOCK: lambda db: accounts.set_locked(db, "h01", True, "test"),
    Op.STAFF_UNLOCK: lambda db: accounts.set_locked(db, "h01", False, "test"),
    Op.STAFF_LIST: accounts.list_accounts,
    Op.TICKET_ISSUE: lambda db: queue.issue_ticket(db, "newborn"),
    Op.TICKET_REQUEUE: lambda db: queue.requeue(db, "A999"),
    Op.TICKET_SHOW: lambda db: queue.window_current(db, 1),
    Op.CALL_NEXT: lambda db: queue.call_next(db, 1),
    Op.CALL_RECALL: lambda db: queue.recall(db, 1),
    Op.CALL_NO_SHOW: lambda db: queue.no_show(db, 1),
    Op.CALL_START: lambda db: queue.start(db, 1),
    Op.CALL_COMPLETE: lambda db: queue.complete(db, 1),
    Op.CALL_HOLD: lambda db: queue.hold(db, 1),
    Op.CALL_TICKET: lambda db: queue.call_ticket(db, 1, "A999"),
    Op.CALL_TRANSFER: lambda db: queue.transfer(db, 1, to_service="newborn"),
    Op.QUEUE_STATUS: queue.queue_status,
    Op.QUEUE_CLEAR: queue.clear_queue,
    Op.QUEUE_ROLLOVER: queue_rollover.rollover,
    Op.BOARD_READ: lambda db: boards.recent_calls(db),
    Op.SETTINGS_SHOW: hall.settings,
    Op.SETTINGS_SET: lambda db: hall.set_setting(db, "recall_limit", "3"),
    Op.AUDIT_LIST: audit.entries,
    Op.AUDIT_VERIFY: audit.verify,
    Op.KEY_ROTATE: key_rotation.rotate_key,  # DESK_APP_KEY is set: refused past the check
    Op.DEMO_SEED: lambda db: demo.seed_demo(db, days=0, windows=1),  # hall not empty: refused
    Op.CASE_OPEN: lambda db: cases.open_case(
        db, "newborn", "张三丰", applicant_id=resident_id(), window=None
    ),
    Op.CASE_RECEIVE: lambda db: cases.receive(db, "YJS-00000000-0000", ["application_form"]),
    Op.CASE_DECIDE: lambda db: cases.decide(db, "YJS-00000000-0000", "accept"),
    Op.CASE_CONCLUDE: lambda db: cases.conclude(db, "YJS-00000000-0000"),
    Op.CASE_EVALUATE: lambda db: cases.evaluate(db, "YJS-00000000-0000", 5),
    Op.CASE_TERMINATE: lambda db: cases.terminate(db, "YJS-00000000-0000", "test"),
    Op.CASE_SHOW: lambda db: cases.show(db, "YJS-00000000-0000"),
    Op.CASE_ALERTS: cases.negative_evaluations,
    Op.CASE_PRINT: lambda db: case_print.print_case_document(
        db, "YJS-00000000-0000", "notice", "/nonexistent/x.pdf"
    ),
    Op.STATS_SUMMARY: lambda db: statistics.summary(db, date(2026, 1, 1), date(2026, 1, 31)),
    Op.STATS_REFORM: reform.reform,
    Op.STATS_EVALUATIONS: lambda db: evaluation_stats.evaluations(
        db, date(2026, 1, 1), date(2026, 1, 31)
    ),
    Op.STATS_REPORT: lambda db: stats_report.monthly_report(
        db, date(2026, 1, 1), date(2026, 1, 31), Path("/nonexistent/report.pdf")
    ),
    Op.STATS_REBUILD: lambda db: rollup.rebuild(db, date(2026, 1, 1), date(2026, 1, 31)),
    Op.ALERTS_LIST: alerts.list_alerts,
    Op.ALERTS_ACK: lambda db: alerts.acknowledge(db, "waiting:none:2026-01-01", "test"),
    Op.LIVE_HALL: live_hall.live_hall,
    Op.FOLLOWUP_LIST: follow_up.follow_ups,
    Op.FOLLOWUP_RECORD: lambda db: follow_up.record(db, 999, "fixed", "test"),
    Op.FOLLOWUP_APPEAL: lambda db: follow_up.appeal(db, 999, "test"),
    Op.FOLLOWUP_REVIEW: lambda db: follow_up.review(db, 999, "upheld", "test"),
    Op.CALENDAR_SHOW: lambda db: calendar.show(db, DAY),
    Op.CALENDAR_SESSION_ADD: lambda db: calendar.add_session(
        db, "special", "2026-12-24", "09:00", "12:00", services=["unknown"]
    ),
    Op.CALENDAR_SESSION_LIST: calendar.list_sessions,
    Op.CALENDAR_SESSION_REMOVE: lambda db: calendar.remove_session(db, 999),
    Op.APPT_SLOTS: lambda db: appointments.slots(db, "newborn", DAY),
    Op.APPT_BOOK: lambda db: appointments.book(
        db, "newborn", DAY, "09:10", "张三", resident_id(), now=at("2026-11-30 10:00")
    ),
    Op.APPT_CANCEL: lambda db: appointments.cancel(db, "NOPE2345"),
    Op.APPT_RESCHEDULE: lambda db: appointments.reschedule(db, "NOPE2345", DAY, "09:00"),
    Op.APPT_LIST: lambda db: appointment_checkin.list_day(db, DAY),
    Op.APPT_CHECKIN: lambda db: appointment_checkin.checkin(db, code="NOPE2345"),
    Op.APPT_SWEEP: appointment_checkin.sweep,
    Op.APPT_UNBLOCK: lambda db: appointment_checkin.unblock(db, resident_id(), "test"),
    Op.APPT_BLACKOUT_ADD: lambda db: appointments.add_blackout(
        db, at("2026-12-01 09:00"), at("2026-12-01 10:00"), " "
    ),
    Op.ASSIST_START: lambda db: assist.start_session(db, "accompany", "张三", resident_id()),
    Op.ASSIST_AUTHORIZE: lambda db: assist.authorize(
        db, 999, "李四", resident_id(), ["vaccination"], date(2099, 1, 1)
    ),
    Op.ASSIST_STEP: lambda db: assist.add_step(db, 999, "递交", department="市医保局"),
    Op.ASSIST_SUSPEND: lambda db: assist.suspend(db, 999, "等待"),
    Op.ASSIST_RESUME: lambda db: assist.resume(db, 999),
    Op.ASSIST_TERMINATE: lambda db: assist.terminate(db, 999, "不办了"),
    Op.ASSIST_CONCLUDE: lambda db: assist.conclude(db, 999),
    Op.ASSIST_SHOW: lambda db: assist.show(db, 999),
    Op.ASSIST_LIST: lambda db: assist.list_sessions(db),
    Op.ASSIST_STATS: lambda db: (
        assist_stats.assist_statistics(db),
        assist_stats.walkthrough_figures(db),
    ),
    Op.PAIN_ADD: lambda db: pain_points.add_pain(db, "process", "newborn", "多跑一次"),
    Op.PAIN_LIST: pain_points.list_pains,
    Op.PAIN_ASSIGN: lambda db: pain_points.assign(db, 999, "市公安局"),
    Op.PAIN_RESOLVE: lambda db: pain_points.resolve(db, 999, "已解决"),
    Op.PAIN_EXPLAIN: lambda db: pain_points.explain(db, 999, "已解释"),
    Op.SYNC_RUN: lambda db: outbox.run_once(db, _client()),
    Op.SYNC_STATUS: outbox.status,
    Op.SYNC_DEAD: outbox.dead_letters,
    Op.SYNC_RETRY: lambda db: outbox.retry_dead(db, 999),
    Op.SYNC_RESOLVE: lambda db: outbox.resolve_dead(db, 999, "test"),
    Op.SYNC_RECONCILE: lambda db: outbox.reconcile(db, _client(), date(2026, 1, 1)),
    Op.SYNC_PURGE: lambda db: retention.purge_personal_data(db, 30),
    Op.KB_SEARCH: lambda db: kb.search(db, "生孩子要带什么"),
    Op.KB_EXPORT: lambda db: kb.export(db, "/nonexistent/kb.json", "json"),
    Op.KB_UNANSWERED: kb.unanswered,
    Op.CATALOG_EXPORT: lambda db: catalog_upkeep.export(db, "/nonexistent/catalog.json"),
    Op.CATALOG_IMPORT: lambda db: catalog_upkeep.import_file(db, "/nonexistent/c.json"),
    Op.CATALOG_VERIFY: lambda db: catalog_upkeep.verify(db, "newborn", "bundle", "国发〔2024〕3号"),
    Op.CATALOG_EDIT: lambda db: catalog_upkeep.edit(
        db, "newborn", "questions.nope", None, source="国发〔2024〕3号"
    ),
    Op.CATALOG_HISTORY: lambda db: catalog_upkeep.history(db, "newborn"),
    Op.CATALOG_ROLLBACK: lambda db: catalog_upkeep.rollback(db, "0"),
    Op.DEVICE_LIST: device_registry.list_devices,
    Op.DEVICE_ADD: lambda db: device_registry.add_device(db, "perm-x", "callpad", "/dev/nope"),
    Op.DEVICE_REMOVE: lambda db: device_registry.remove_device(db, "perm-none"),
    Op.DEVICE_TEST: lambda db: device_checks.test_device(db, "perm-none"),
    Op.DEVICE_REPORT: lambda db: device_registry.report_state(db, "perm-none", "ok"),
    Op.CASE_ATTACH: lambda db: case_files.attach(
        db, "YJS-00000000-0000", "x", [Path("/nonexistent")]
    ),
    Op.IDCARD_READ: lambda db: device_cards.read_here(db, timeout=0.1),
    Op.CASE_SHARE: lambda db: sharing.jobs(db, "YJS-00000000-0000"),
    Op.SHARE_VIEW: lambda db: sharing.reveal(db, "YJS-00000000-0000", "x"),
    Op.SHARE_LIST: lambda db: sharing.calls(db, "YJS-00000000-0000"),
    Op.SHARE_STATS: lambda db: sharing.stats(db),
    Op.CASE_INBOX: lambda db: online_cases.inbox(db),
    Op.WORKORDER_LIST: lambda db: workorders.list_orders(db),
    Op.WORKORDER_SIGN: lambda db: workorders.sign(db, "12345-00000000-0000"),
    Op.WORKORDER_REPLY: lambda db: workorders.reply(db, "12345-00000000-0000", "答复"),
    Op.WORKORDER_RETURN: lambda db: workorders.return_order(db, "12345-00000000-0000", "x"),
    Op.DEVICE_TOKEN_CREATE: lambda db: device_tokens.create_token(db, "kiosk"),
    Op.DEVICE_TOKEN_LIST: device_tokens.list_tokens,
    Op.DEVICE_TOKEN_REVOKE: lambda db: device_tokens.revoke_token(db, 999),
    Op.EVALUATION_INVITE: lambda db: evaluation_pad.invite(db, "YJS-00000000-0000", 1),
    Op.EVALUATION_PAD: lambda db: evaluation_pad.pad_view(db, 1),
}

PEOPLE = {
    Role.ADMIN: "adm",
    Role.SUPERVISOR: "sup",
    Role.COUNTER: "s01",
    Role.HELPER: "h01",
    Role.RECEPTION: "r01",
}


@pytest.fixture(scope="module")
def hall_db(tmp_path_factory):
    """One small hall on SQLite with an account per role, window 1 open for s01 (the counter
    role's person), window 3 open for s02."""
    base = _build_hall(f"sqlite:///{tmp_path_factory.mktemp('perm') / 'hall.db'}")
    yield base
    base.dispose()


@pytest.fixture
def fresh_hall(tmp_path):
    base = _build_hall(f"sqlite:///{tmp_path / 'hall.db'}")
    yield base
    base.dispose()


def _build_hall(url: str):
    from desk_app.store import Database
    from desk_app.store.schema import upgrade
    from tests.tools import ADMIN

    base = Database(url)
    upgrade(base)
    db = base.acting_as(ADMIN)
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    for n in (1, 2, 3):
        hall.add_window(db, n, ["newborn"])
    for role, code in PEOPLE.items():
        accounts.create_account(db, code, code, role, PW)
    accounts.create_account(db, "s02", "s02", "counter", PW)
    hall.open_window(db, 1, "s01")
    hall.open_window(db, 3, "s02")
    queue.issue_ticket(db, "newborn")
    # Log everyone in once, before any test changes a password or locks an account.
    base.people = {
        role: accounts.authenticate(base, code, PW).actor for role, code in PEOPLE.items()
    }
    return base


def _actor(db, role: Role) -> Actor:
    if role in (Role.KIOSK, Role.DISPLAY, Role.EVALUATOR):
        return Actor(staff_id=None, code=str(role), role=role, device=True)
    return db.people[role]


def _snapshot(db) -> dict[str, int]:
    with db.read() as s:
        return {
            t.name: s.scalar(select(func.count()).select_from(t))
            for t in Base.metadata.sorted_tables
        }


# Checked by the command line itself (no hall data behind them), or not built yet.
CLI_ONLY = {Op.DB_UPGRADE, Op.DB_CHECK, Op.CATALOG_LIST, Op.CATALOG_SHOW, Op.CATALOG_CHECKLIST}
CLI_ONLY |= {Op.CALENDAR_ADD_WORKDAYS, Op.DEVICE_SIMULATE}
NOT_BUILT_PREFIXES: tuple[str, ...] = ()


def test_every_operation_is_covered_or_named_as_not_here():
    rest = set(Operation) - set(CALLS) - CLI_ONLY - {Op.CASE_REVEAL}
    assert {op for op in rest if not op.value.startswith(NOT_BUILT_PREFIXES)} == set()


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("operation", list(CALLS), ids=str)
def test_the_services_apply_the_permission_table(hall_db, operation, role):
    actor = _actor(hall_db, role)
    db = hall_db.acting_as(actor)
    call = CALLS[operation]
    if allowed(role, operation):
        try:
            call(db)
        except Forbidden as exc:  # pragma: no cover - the failure message says which pair
            pytest.fail(f"{role} was refused {operation}: {exc}")
        except (Refused, OSError, CentralError):
            pass  # allowed, then refused for the hall's state or the file: not our concern
    else:
        before = _snapshot(hall_db)
        with pytest.raises(Forbidden):
            call(db)
        assert _snapshot(hall_db) == before, "a refusal wrote something"


@pytest.mark.parametrize("operation", list(CALLS), ids=str)
def test_nobody_may_do_only_the_public_operations(hall_db, operation):
    from desk_app.security.roles import is_public

    if is_public(operation):
        try:
            CALLS[operation](hall_db)
        except Forbidden as exc:  # pragma: no cover
            pytest.fail(f"public {operation} refused: {exc}")
        except Refused:
            pass
    else:
        with pytest.raises(Forbidden):
            CALLS[operation](hall_db)


def test_a_counter_acts_only_at_its_own_window(fresh_hall):
    hall_db = fresh_hall
    s01 = hall_db.acting_as(_actor(hall_db, Role.COUNTER))
    with pytest.raises(Forbidden, match="window 3"):
        queue.call_next(s01, 3)  # s02's window
    with pytest.raises(Forbidden, match="window 3"):
        hall.pause_window(s01, 3)
    with pytest.raises(Forbidden):
        hall.open_window(s01, 2, "s02")  # logging someone else in
    sup = hall_db.acting_as(_actor(hall_db, Role.SUPERVISOR))
    assert hall.close_window(sup, 3).state == "closed"  # a window someone left logged in
