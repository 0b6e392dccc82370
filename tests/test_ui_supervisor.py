"""The supervisor's screen and the progress wall driven like a supervisor does: log in, watch
the hall change within a second, acknowledge an alert, load the statistics, save the charts and
the figures, look at the reform's cards."""

from __future__ import annotations

import csv
from datetime import timedelta

import pytest
from sqlalchemy import select

from desk_app.domain import clock
from desk_app.security.roles import Actor, Role
from desk_app.services.accounts import staff as accounts
from desk_app.services.hall import setup as hall
from desk_app.services.queue import operations as queue
from desk_app.store.identity_models import AuditEntry

pytestmark = pytest.mark.gui
SETUP = Actor(staff_id=None, code="setup", role=Role.ADMIN)
PASSWORD = "Supervise-2026"


@pytest.fixture
def sup_hall(db):
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall.add_window(db, 1, ["newborn"])
    hall.add_window(db, 2, ["newborn"])
    accounts.create_account(db.acting_as(SETUP), "s01", "王芳", "counter", PASSWORD)
    accounts.create_account(db.acting_as(SETUP), "sup01", "孙伟", "supervisor", PASSWORD)
    return db


def _login(qtbot, db, role, staff):
    from desk_app.ui.common.login import LoginDialog

    dialog = LoginDialog(db, role=role)
    qtbot.addWidget(dialog)
    dialog.staff_edit.setText(staff)
    dialog.password_edit.setText(PASSWORD)
    return dialog


def test_a_counter_cannot_open_the_supervisor_screen(qtbot, sup_hall):
    dialog = _login(qtbot, sup_hall, "supervisor", "s01")
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.error_label.isHidden(), timeout=5000)
    assert dialog.actor is None


def _supervisor(qtbot, db):
    from desk_app.ui.supervisor.window import SupervisorWindow

    dialog = _login(qtbot, db, "supervisor", "sup01")
    with qtbot.waitSignal(dialog.logged_in, timeout=5000) as got:
        dialog.submit()
    assert got.args[0] == "supervisor"
    win = SupervisorWindow(db.acting_as(dialog.actor), refresh_ms=200)
    qtbot.addWidget(win)
    win.show()
    return win


def test_live_hall_follows_the_queue_and_alerts_are_acknowledged(qtbot, sup_hall):
    db = sup_hall
    hall.set_setting(db, "alert_waiting", "2")
    win = _supervisor(qtbot, db)
    qtbot.waitUntil(lambda: win.live.services.rowCount() == 1, timeout=10000)
    queue.issue_ticket(db, "newborn")
    queue.issue_ticket(db, "newborn")
    # Shown within a refresh or two (200 ms here, a second in the hall).
    qtbot.waitUntil(lambda: win.live.services.item(0, 1).text() == "2", timeout=10000)
    hall.open_window(db, 1, "s01")
    queue.call_next(db, 1)
    qtbot.waitUntil(lambda: win.live.windows.item(0, 3).text() == "A001", timeout=10000)
    assert win.live.windows.item(0, 2).text() == "王芳"
    # The waiting alert (2 >= 2) shows, then is acknowledged with a note: audited.
    queue.issue_ticket(db, "newborn")
    qtbot.waitUntil(lambda: win.alerts.open_count == 1, timeout=5000)
    assert "(F2)" in win.tabs.tabText(1) and "1" in win.tabs.tabText(1)
    win.tabs.setCurrentIndex(1)
    shown = [win.alerts.table.item(0, c).text() for c in range(win.alerts.table.columnCount())]
    assert not any(":" in text and "waiting" in text for text in shown)  # no internal key
    assert "等候人数" in shown
    win.alerts.table.selectRow(0)
    win.alerts.note.setText("已开 2 号窗口")
    win.alerts.ack_button.click()
    qtbot.waitUntil(lambda: win.alerts.open_count == 0 and bool(win.alerts.alerts), timeout=5000)
    with db.read() as s:
        assert (
            s.scalar(select(AuditEntry.actor).where(AuditEntry.action == "alerts.ack")) == "sup01"
        )


def test_the_alerts_page_warns_while_the_progress_url_is_the_example(qtbot, sup_hall):
    db = sup_hall
    win = _supervisor(qtbot, db)
    qtbot.waitUntil(lambda: win.alerts.setup_warning.text() != "", timeout=10000)
    assert win.alerts.setup_warning.isVisibleTo(win.alerts)
    assert "hall.example.gov.cn" in win.alerts.setup_warning.text()
    assert win.alerts.open_count == 0  # a standing warning, not an alert to acknowledge
    hall.set_setting(db, "progress_base_url", "https://zwfw.qingdao.gov.cn/q")
    qtbot.waitUntil(lambda: not win.alerts.setup_warning.isVisibleTo(win.alerts), timeout=10000)


def test_statistics_charts_and_exports(qtbot, sup_hall, tmp_path):
    db = sup_hall
    hall.open_window(db, 1, "s01")
    now = clock.now()
    # Issued within today, even just after midnight (yesterday's would expire at the first call).
    first = max(now - timedelta(minutes=30), clock.day_start(clock.today()))
    for i in range(3):
        queue.issue_ticket(db, "newborn", now=min(now, first + timedelta(seconds=i)))
    for _ in range(2):
        queue.call_next(db, 1)
        queue.start(db, 1)
        queue.complete(db, 1)
    win = _supervisor(qtbot, db)
    win.tabs.setCurrentIndex(2)
    page = win.stats
    qtbot.waitUntil(lambda: page.data is not None, timeout=10000)
    assert page.data.summary.total["arrivals"] == 3
    assert page.table.item(0, 0).text() == "新生儿出生一件事"
    assert page.table.item(1, 0).text() == "合计" and page.table.item(1, 3).text() == "2"
    hourly = page.charts.hourly.chart().series()[0]
    assert sum(s.sum() for s in hourly.barSets()) == 3 + 2  # arrivals and served
    saved = page.save_charts(tmp_path)
    assert len(saved) == 4 and all(p.stat().st_size > 1000 for p in saved)
    target = tmp_path / "figures.csv"
    page.export("csv", target)
    qtbot.waitUntil(target.exists, timeout=5000)
    qtbot.waitUntil(lambda: "已导出" in page.status.text(), timeout=5000)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel on Chinese Windows reads it
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[1][1] == "新生儿出生一件事" and rows[-1][0] == "合计 all"


def test_progress_wall_shows_the_claims(qtbot, sup_hall):
    from desk_app.ui.display.progress_wall import ProgressWall

    wall = ProgressWall(sup_hall.acting_as(_actor(sup_hall)))
    qtbot.addWidget(wall)
    wall.show()
    qtbot.waitUntil(lambda: wall.report is not None, timeout=5000)
    texts = " ".join(w.text() for w in wall.findChildren(type(wall.title)))
    assert "新生儿出生一件事" in texts and "10→1" in texts and "目标 -90%" in texts


def test_progress_wall_pages_through_every_bundle(qtbot, sup_hall):
    import dataclasses

    from desk_app.services.common.catalog import catalog
    from desk_app.ui.display.progress_wall import PAGE_SIZE, ProgressWall

    wall = ProgressWall(sup_hall.acting_as(_actor(sup_hall)), page_ms=3_600_000)
    qtbot.addWidget(wall)
    wall.resize(1366, 768)
    wall.show()
    qtbot.waitUntil(lambda: wall.report is not None, timeout=5000)
    # A hall with cases in every bundle (the demo's month): one card per bundle of the catalog.
    model = wall.report.bundles[0]
    every = [dataclasses.replace(model, code=b.code, name=b.name) for b in catalog().bundles]
    wall.show_report(dataclasses.replace(wall.report, bundles=every))
    names = {b.name for b in every}
    assert len(names) > PAGE_SIZE and wall.pages == -(-len(names) // PAGE_SIZE)
    seen: set[str] = set()
    for page in range(wall.pages):
        assert wall.page == page
        assert wall.page_mark.text().startswith(f"第 {page + 1}/{wall.pages} 页")
        qtbot.wait(50)  # the replaced cards are deleted later
        cards = [w for w in wall.findChildren(type(wall.title)) if w.isVisible()]
        seen |= {w.text() for w in cards} & names
        wall.next_page()
    assert seen == names  # 社保卡, 残疾人, 就医, 公民身后 ... all come round
    assert wall.page == 0  # after the last page, the first


def _actor(db):
    return accounts.authenticate(db, "sup01", PASSWORD).actor


def test_follow_up_recorded_from_the_ratings_page_and_reform_page(qtbot, db):
    from desk_app.services.evaluation import ratings as evaluations
    from desk_app.ui.supervisor.window import SupervisorWindow
    from tests.test_reform_and_evaluations import FRI2, MON, at, build_cases

    build_cases(db)
    evaluations.evaluate(db, "YJS-TEST-C2", 2, now=at(FRI2, "16:05"), comment="等太久")
    evaluations.evaluate(db, "YJS-TEST-C1", 1, now=at(MON, "15:05"), comment="材料说不清")
    accounts.create_account(db.acting_as(SETUP), "sup01", "孙伟", "supervisor", PASSWORD)
    win = SupervisorWindow(db.acting_as(_actor(db)), refresh_ms=500)
    qtbot.addWidget(win)
    win.show()
    win.tabs.setCurrentIndex(3)
    page = win.evaluations
    qtbot.waitUntil(lambda: page.follow.rowCount() == 2, timeout=5000)
    order = [page.follow.item(i, 3).text() for i in range(2)]
    assert sorted(order) == ["YJS-TEST-C1", "YJS-TEST-C2"]
    page.grouping.setCurrentIndex(2)  # by bundle
    page.follow.selectRow(0)
    chosen = order[0]
    page.outcome.setCurrentIndex(1)  # explained
    page.note.setText("电话回访, 已解释")
    page.record_button.click()

    def row_of(case_no: str) -> int:
        return next(i for i in range(2) if page.follow.item(i, 3).text() == case_no)

    qtbot.waitUntil(lambda: page.follow.item(row_of(chosen), 1).text() == "已回访", timeout=5000)
    assert page.follow.item(row_of(chosen), 7).text() == "已解释说明"
    # The one just followed up moved below the open one, and stays the one chosen.
    assert row_of(chosen) == 1
    assert [r.row() for r in page.follow.selectionModel().selectedRows()] == [1]
    win.tabs.setCurrentIndex(4)
    qtbot.waitUntil(lambda: win.reform.table.rowCount() >= 2, timeout=5000)
    rows = {win.reform.table.item(i, 0).text(): i for i in range(win.reform.table.rowCount())}
    newborn = rows["新生儿出生一件事"]
    assert win.reform.table.item(newborn, 7).text() == "材料"  # worse than claimed
    assert "19→4" in win.reform.table.item(newborn, 3).text()


@pytest.mark.parametrize("size", [(1280, 720), (1366, 768), (1920, 1080)])
def test_progress_wall_fits_the_hall_screens(qtbot, sup_hall, size):
    import dataclasses

    from desk_app.services.common.catalog import catalog
    from desk_app.ui.display.progress_wall import ProgressWall

    wall = ProgressWall(sup_hall.acting_as(_actor(sup_hall)), page_ms=3_600_000)
    qtbot.addWidget(wall)
    wall.resize(*size)
    wall.show()
    qtbot.waitUntil(lambda: wall.report is not None, timeout=5000)
    model = wall.report.bundles[0]
    longest = sorted(catalog().bundles, key=lambda b: -len(b.name))[:8]
    wall.show_report(
        dataclasses.replace(
            wall.report,
            bundles=[dataclasses.replace(model, code=b.code, name=b.name) for b in longest],
        )
    )
    qtbot.wait(50)
    hint = wall.minimumSizeHint()
    assert hint.width() <= size[0] and hint.height() <= size[1], (size, hint)
    assert (wall.width(), wall.height()) == size
