"""线上线下融合 at the hall, without the network: online applications taken in as cases, their
states reported once each, the pick-up booked, and 12345 work orders with their deadlines
(the exchange with a real central-ref: tests/test_online_sync.py)."""

from __future__ import annotations

import io
import json
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from desk_app.services.cases import actions as cases
from desk_app.services.cases import online
from desk_app.services.common.errors import Refused
from desk_app.services.hall import setup as hall
from desk_app.services.workorders import orders as workorders
from desk_app.store.case_models import Case, CaseFile
from desk_app.store.online_models import OnlineReport, WorkOrder
from tests.ids import resident_id
from tests.tools import add_staff

# Thursday 2026-09-24 10:00 in the hall (02:00 UTC); the National Day holidays follow.
T = datetime(2026, 9, 24, 2, 0, tzinfo=UTC)
NEWBORN_PAPER = [
    "application_form",
    "parents_id_cards",
    "household_register",
    "marriage_certificate",
]


def jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (800, 1100), "white").save(buf, "JPEG")
    return buf.getvalue()


def application(**kw):  # type: ignore[no-untyped-def]
    app = {
        "seq": 1,
        "id": str(uuid.uuid4()),
        "bundle": "newborn",
        "mode": "online",
        "applicant": {"kind": "person", "name": "张三丰", "id": resident_id(), "phone": None},
        "answers": {},
        "materials": [
            {"index": 0, "code": "application_form", "file": {"name": "form.jpg"}},
            {"index": 1, "code": "household_register", "file": {"name": "hukou.jpg"}},
            {"index": 2, "code": "delivery_record", "resource": "health.delivery_record"},
        ],
        "received_at": "2026-09-24T01:30:00Z",
    }
    app.update(kw)
    return app


@pytest.fixture
def counter(db):
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall.add_window(db, 1, ["newborn"])
    add_staff(db, "s01", "王芳")
    hall.open_window(db, 1, "s01")
    return db


def reports(db, case_no):  # type: ignore[no-untyped-def]
    with db.read() as s:
        case = s.scalar(select(Case).where(Case.case_no == case_no))
        rows = s.scalars(
            select(OnlineReport).where(OnlineReport.case_id == case.id).order_by(OnlineReport.seq)
        ).all()
        return [(r.seq, r.state, json.loads(r.detail) if r.detail else {}) for r in rows]


def test_an_application_becomes_a_case_once_with_its_files_and_shared_materials(counter):
    app = application()
    files = {0: jpeg(), 1: jpeg()}
    no = online.take_in(counter, app, files, now=T)
    assert no is not None and online.take_in(counter, app, files, now=T) is None
    view = cases.show(counter, no)
    by = {m.code: m for m in view.materials}
    assert by["application_form"].status == "electronic"
    assert by["household_register"].status == "electronic"
    assert by["delivery_record"].share == "pending"  # fetched like 免证办
    assert by["parents_id_cards"].status == "missing"
    with counter.read() as s:
        case = s.scalar(select(Case).where(Case.case_no == no))
        assert (case.channel, case.online_mode, str(case.online_id)) == (
            "online",
            "online",
            app["id"],
        )
        assert len(s.scalars(select(CaseFile).where(CaseFile.source == "online")).all()) == 2
    assert reports(counter, no) == [(1, "received", {})]
    [row] = online.inbox(counter, now=T)
    # Received on Thursday 2026-09-24; Friday is 中秋节 in 2026: due by the end of Monday.
    assert row.case_no == no and row.due == date(2026, 9, 28) and not row.overdue
    assert row.applicant == "张*丰" and row.to_json()["channel"] == "online"
    assert online.waiting(counter, now=T) == (1, 0)
    # Nine days later (the holidays in between), still open: overdue.
    assert online.inbox(counter, now=T + timedelta(days=9))[0].overdue
    assert online.waiting(counter, now=T + timedelta(days=9)) == (1, 1)


def test_a_kill_between_the_case_and_its_files_is_made_good_by_the_next_pull(counter, monkeypatch):
    from desk_app.services.cases import files as case_files

    app = application()
    real = case_files.attach
    calls = []

    def dies_on_the_second(*a, **kw):  # type: ignore[no-untyped-def]
        calls.append(a[2])
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process is gone
        return real(*a, **kw)

    monkeypatch.setattr(case_files, "attach", dies_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        online.take_in(counter, app, {0: jpeg(), 1: jpeg()}, now=T)
    monkeypatch.setattr(case_files, "attach", real)
    assert online.take_in(counter, app, {0: jpeg(), 1: jpeg()}, now=T) is None  # not twice
    with counter.read() as s:
        got = sorted(s.scalars(select(CaseFile.material_code)).all())
    assert got == ["application_form", "household_register"]


def test_every_decision_of_an_online_case_is_reported_once_in_order(counter):
    no = online.take_in(counter, application(), {0: jpeg(), 1: jpeg()}, now=T)
    cases.decide(counter, no, "notice", now=T)
    states = reports(counter, no)
    assert [s[1] for s in states] == ["received", "notice"]
    assert (
        set(states[1][2]["missing"]) == {"父母双方居民身份证", "结婚证"} or states[1][2]["missing"]
    )
    cases.receive(counter, no, ["parents_id_cards", "marriage_certificate"], now=T)
    cases.decide(counter, no, "accept", now=T)
    cases.conclude(counter, no, now=T)
    assert [s[:2] for s in reports(counter, no)] == [
        (1, "received"),
        (2, "notice"),
        (3, "accepted"),
        (4, "concluded"),
    ]
    owed = online.unsent(counter)
    assert [b["state"] for _, _, b in owed] == ["received", "notice", "accepted", "concluded"]
    for row_id, _app, _body in owed[:2]:
        online.mark_sent(counter, row_id)
    assert [b["seq"] for _, _, b in online.unsent(counter)] == [3, 4]


def test_a_walk_in_case_reports_nothing(counter):
    no = cases.open_case(counter, "newborn", "李四", applicant_id=resident_id(), now=T).case_no
    cases.decide(counter, no, "reject", reason="不属于本中心受理范围", now=T)
    assert online.unsent(counter) == []


def test_an_application_the_hall_cannot_take_is_refused(counter):
    with pytest.raises(Refused):
        online.take_in(counter, application(bundle="no_such_bundle"), {}, now=T)
    bad = application(applicant={"kind": "person", "name": "张三", "id": "110101199003071234"})
    with pytest.raises(Refused):
        online.take_in(counter, bad, {}, now=T)


def test_a_pickup_case_books_its_pickup_once_after_conclusion(counter):
    app = application(mode="pickup")
    no = online.take_in(counter, app, {0: jpeg(), 1: jpeg()}, now=T)
    assert online.book_pickup(counter, no, now=T) is None  # not concluded yet
    cases.receive(counter, no, ["parents_id_cards", "marriage_certificate"], now=T)
    cases.decide(counter, no, "accept", now=T)
    cases.conclude(counter, no, now=T)
    pickup = online.book_pickup(counter, no, now=T)
    assert pickup is not None and pickup["date"] > "2026-09-24"
    assert online.book_pickup(counter, no, now=T) == pickup  # reported before: the same
    from desk_app.store.appointment_models import Appointment

    with counter.read() as s:
        booked = s.scalars(select(Appointment)).all()
    assert len(booked) == 1 and booked[0].online_ref == f"pickup:{app['id']}"
    assert [s[1] for s in reports(counter, no)][-1] == "pickup_booked"


def order(**kw):  # type: ignore[no-untyped-def]
    wo = {
        "seq": 1,
        "id": str(uuid.uuid4()),
        "number": "12345-20260924-0001",
        "kind": "consult",
        "bundle": "newborn",
        "text": "新生儿落户需要带什么材料?我叫王五,电话13812345678",
        "citizen": {"name": "王五", "phone": "13812345678"},
        "deadline": "2026-10-09",
        "dispatched_at": "2026-09-24T01:00:00Z",
    }
    wo.update(kw)
    return wo


def test_signing_is_due_two_opening_hours_after_arrival(counter):
    # Friday 2026-11-20 16:30: 30 minutes of that day, then Monday 2026-11-23 (regular hours
    # 9-12, 13:30-17): due at 10:30.
    friday = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
    first = order()
    assert workorders.take_in(counter, first, now=friday)
    assert not workorders.take_in(counter, first, now=friday)
    # The same number under another id (a platform's resend) is not a second work order.
    assert not workorders.take_in(counter, order(), now=friday)
    with counter.read() as s:
        due = s.scalar(select(WorkOrder.sign_due))
    assert due.astimezone(UTC) == datetime(2026, 11, 23, 2, 30, tzinfo=UTC)
    # Arriving at 11:00 on a Monday: 1 h before the midday break, 1 h after it (14:30).
    monday = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    workorders.take_in(counter, order(id=str(uuid.uuid4()), number="12345-2"), now=monday)
    with counter.read() as s:
        due = s.scalar(select(WorkOrder.sign_due).where(WorkOrder.number == "12345-2"))
    assert due.astimezone(UTC) == datetime(2026, 11, 23, 6, 30, tzinfo=UTC)


def test_a_work_order_is_signed_replied_once_and_each_step_owed_to_the_platform(counter):
    wo = order()
    assert workorders.take_in(counter, wo, now=T)
    assert not workorders.take_in(counter, wo, now=T)  # pulled twice: stored once
    [v] = workorders.list_orders(counter, now=T)
    assert v.citizen == "王* 138****5678" and v.state == "received"
    assert "13812345678" not in json.dumps(v.to_json(), ensure_ascii=False).replace(v.text, "")
    late = T + timedelta(days=1)
    assert [o.number for o in workorders.list_orders(counter, "overdue", now=late)] == [v.number]
    workorders.sign(counter, v.number, now=late)
    with pytest.raises(Refused):
        workorders.sign(counter, v.number, now=late)
    with pytest.raises(Refused, match="知识库"):
        workorders.reply(counter, v.number, "请携带出生医学证明", kb="nope-001", now=late)
    done = workorders.reply(counter, v.number, "请携带出生医学证明", kb="newborn-001", now=late)
    assert done.state == "replied" and done.kb_entry == "newborn-001"
    with pytest.raises(Refused):
        workorders.reply(counter, v.number, "再答一次", now=late)
    with pytest.raises(Refused):
        workorders.return_order(counter, v.number, "不属于本中心", now=late)
    owed = workorders.unsent_events(counter)
    assert [(b["seq"], b["action"]) for _, _, b in owed] == [(1, "sign"), (2, "reply")]
    assert owed[1][2]["text"] == "请携带出生医学证明"
    workorders.mark_sent(counter, owed[0][0])
    assert [b["seq"] for _, _, b in workorders.unsent_events(counter)] == [2]


def test_reply_overdue_after_the_deadline_and_return_with_a_reason(counter):
    workorders.take_in(counter, order(deadline="2026-09-24"), now=T)
    workorders.take_in(counter, order(id=str(uuid.uuid4()), number="12345-X"), now=T)
    next_day = T + timedelta(days=1)
    over = workorders.list_orders(counter, "overdue", now=next_day)
    assert {o.number for o in over} == {"12345-20260924-0001", "12345-X"}
    assert next(o for o in over if o.number == "12345-20260924-0001").reply_overdue
    with pytest.raises(Refused, match="理由"):
        workorders.return_order(counter, "12345-X", " ", now=next_day)
    back = workorders.return_order(counter, "12345-X", "属于公积金中心", now=next_day)
    assert back.state == "returned"
    assert [b["action"] for _, _, b in workorders.unsent_events(counter)] == ["return"]


def test_the_command_lines_choices_are_the_services():
    from desk_app.cli import online as cli_online

    assert cli_online.INBOX_STATES == online.INBOX_STATES
    assert cli_online.FILTERS == workorders.FILTERS


def test_the_sealed_texts_are_not_in_the_database(counter, db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("reads the SQLite file")
    workorders.take_in(counter, order(), now=T)
    workorders.reply(counter, "12345-20260924-0001", "请携带出生医学证明原件", now=T)
    raw = open(db_url.removeprefix("sqlite:///"), "rb").read()  # noqa: SIM115
    for secret in ("13812345678", "王五", "出生医学证明原件", "落户"):
        assert secret.encode() not in raw


def test_late_work_orders_are_alerts(counter):
    from desk_app.services.supervision import alerts

    workorders.take_in(counter, order(deadline="2026-09-24"), now=T)
    ids = [a.id for a in alerts.list_alerts(counter, now=T)]
    assert not [i for i in ids if i.startswith("workorder_overdue")]
    later = T + timedelta(days=1)
    ids = [a.id for a in alerts.list_alerts(counter, now=later)]
    assert "workorder_overdue:12345-20260924-0001:sign" in ids
    workorders.sign(counter, "12345-20260924-0001", now=later)
    ids = [a.id for a in alerts.list_alerts(counter, now=later)]
    assert "workorder_overdue:12345-20260924-0001:reply" in ids
    workorders.reply(counter, "12345-20260924-0001", "已电话答复", now=later)
    assert not [a for a in alerts.list_alerts(counter, now=later) if a.kind == "workorder_overdue"]


def test_consults_replied_without_an_answer_join_the_unanswered_questions(counter):
    from desk_app.services.kb import answers

    workorders.take_in(counter, order(), now=T)
    other = order(id=str(uuid.uuid4()), number="12345-K", text="退休要带什么?")
    workorders.take_in(counter, other, now=T)
    workorders.reply(counter, "12345-20260924-0001", "请带出生医学证明", now=T)
    workorders.reply(counter, "12345-K", "见知识库", kb="retirement-001", now=T)
    listed = answers.unanswered(counter).to_json()["unanswered"]
    from_12345 = [u for u in listed if u["source"] == "12345"]
    assert [u["question"][:7] for u in from_12345] == ["新生儿落户需要"]
    assert "13812345678" not in from_12345[0]["question"]  # the citizen's phone: masked


def test_the_retention_purge_removes_a_finished_work_orders_texts(counter):
    from desk_app.sync.retention import purge_personal_data

    workorders.take_in(counter, order(), now=T)
    workorders.take_in(counter, order(id=str(uuid.uuid4()), number="12345-open"), now=T)
    workorders.reply(counter, "12345-20260924-0001", "请带出生医学证明", now=T)
    purge_personal_data(counter, 30, now=T + timedelta(days=60))
    with counter.read() as s:
        done = s.scalar(select(WorkOrder).where(WorkOrder.number == "12345-20260924-0001"))
        still = s.scalar(select(WorkOrder).where(WorkOrder.number == "12345-open"))
    assert (done.text, done.citizen_name, done.reply) == ("", None, None) and done.purged_at
    assert still.purged_at is None and still.text  # not finished: kept


def test_figures_split_cases_by_channel_and_time_the_reviews_and_the_work_orders(counter):
    from desk_app.services.queue import operations as queue
    from desk_app.services.supervision import online_stats

    ticket = queue.issue_ticket(counter, "newborn", now=T)
    cases.open_case(
        counter, "newborn", "李四", applicant_id=resident_id(), ticket_id=str(ticket.id), now=T
    )
    first = online.take_in(counter, application(), {0: jpeg(), 1: jpeg()}, now=T)
    second = online.take_in(
        counter, application(received_at="2026-09-24T00:30:00Z"), {0: jpeg(), 1: jpeg()}, now=T
    )
    cases.decide(counter, first, "notice", now=T)  # 30 min after it was received
    cases.decide(counter, second, "notice", now=T + timedelta(hours=2))  # 210 min
    workorders.take_in(counter, order(deadline="2026-09-24"), now=T)
    workorders.reply(counter, "12345-20260924-0001", "已答复", now=T + timedelta(hours=1))
    workorders.take_in(counter, order(id=str(uuid.uuid4()), number="12345-L"), now=T)
    f = online_stats.figures(counter, T.date(), T.date(), now=T + timedelta(days=30))
    assert f.by_bundle["newborn"] == {"walk-in": 1, "appointment": 0, "online": 2}
    assert f.share("newborn") == round(2 / 3, 4)
    assert (f.review_p50, f.review_p90) == (30.0, 210.0)
    assert f.orders == {
        "received": 2,
        "signed_on_time": 1,
        "replied": 1,
        "replied_on_time": 1,
        "returned": 0,
        "open_late": 1,
    }
    assert f.to_json()["bundles"][0]["online_share"] == round(2 / 3, 4)


def test_the_monthly_report_prints_the_online_figures(counter, tmp_path):
    import subprocess

    from desk_app.services.supervision import report

    no = online.take_in(counter, application(), {0: jpeg(), 1: jpeg()}, now=T)
    cases.decide(counter, no, "notice", now=T)
    workorders.take_in(counter, order(), now=T)
    workorders.reply(counter, "12345-20260924-0001", "已答复", now=T)
    first, last = report.month_bounds("2026-09")
    pdf = tmp_path / "report.pdf"
    report.monthly_report(counter, first, last, pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "五、线上线下融合" in text
    flat = "".join(text.split("\n"))
    assert "网办件审核 1 件" in flat and "p50 30.0 分钟" in flat
    assert "12345 工单 1 件: 按时签收 1 件, 答复 1 件 (按时 1)" in flat
    line = next(x for x in text.splitlines() if "新生儿出生一件事" in x and "%" in x)
    assert line.split()[-1] == "100.0%"


@pytest.mark.gui
def test_the_counter_shows_the_inbox_and_opens_an_application_for_review(counter, qtbot, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from desk_app.ui.counter.window import CounterWindow

    fresh = datetime.now(UTC).isoformat()
    no = online.take_in(counter, application(received_at=fresh), {0: jpeg(), 1: jpeg()})
    late = online.take_in(counter, application(), {0: jpeg(), 1: jpeg()})  # from September
    win = CounterWindow(counter, 1, refresh_ms=200, document_dir=str(tmp_path / "docs"))
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    line = win.appointments.inbox
    qtbot.waitUntil(lambda: "2" in line.label.text(), timeout=5000)
    assert line.label.text() == "网办件待审 2 件（逾期 1）"
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=10000)
    qtbot.keyClick(win, Qt.Key.Key_F10, Qt.KeyboardModifier.ControlModifier)
    dialog = line.dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=5000)
    assert dialog.table.item(0, 0).text() == late  # the oldest due first
    assert dialog.table.item(0, 5).text().endswith("（逾期）")
    assert dialog.table.item(1, 0).text() == no and dialog.table.item(1, 2).text() == "全程网办"
    assert dialog.table.item(1, 3).text() == "张*丰"
    dialog.table.selectRow(1)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: getattr(win, "case_dialog", None) is not None, timeout=10000)
    case_dialog = win.case_dialog
    qtbot.addWidget(case_dialog)
    qtbot.waitUntil(lambda: case_dialog.view is not None, timeout=5000)
    assert case_dialog.view.case_no == no and case_dialog.stack.currentIndex() == 2


@pytest.mark.gui
def test_the_supervisor_signs_and_replies_from_the_work_orders_page(counter, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from desk_app.security.roles import Actor, Role
    from desk_app.ui.supervisor.window import SupervisorWindow

    now = datetime.now(UTC)
    workorders.take_in(counter, order(deadline=(now + timedelta(days=5)).date().isoformat()))
    sup = counter.acting_as(Actor(None, "sup01", Role.SUPERVISOR))
    win = SupervisorWindow(sup, refresh_ms=60_000)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=10000)
    qtbot.keyClick(win, Qt.Key.Key_F7)
    page = win.workorders
    assert win.tabs.currentWidget() is page
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=5000)
    assert page.table.item(0, 0).text() == "12345-20260924-0001"
    assert "13812345678" not in page.table.item(0, 3).text()  # the number masked in the text
    assert page.table.item(0, 4).text() == "王* 138****5678"
    assert page.table.item(0, 7).text() == "待签收"  # not late: no mark
    page.act("sign")
    qtbot.waitUntil(lambda: page.rows and page.rows[0].state == "signed", timeout=5000)
    page.ask = lambda *_a, **_k: ("请携带出生医学证明到窗口办理", "newborn-001")  # the dialog
    page.act("reply")
    qtbot.waitUntil(lambda: page.table.rowCount() == 0, timeout=5000)  # no longer open
    [done] = workorders.list_orders(counter, "replied")
    assert done.reply == "请携带出生医学证明到窗口办理" and done.kb_entry == "newborn-001"
