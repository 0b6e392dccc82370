"""The supervisor's catalog page (目录维护, F6) driven as a supervisor would: find a bundle's
unverified facts, mark one verified with its source, edit a time limit (a bad one is refused
with its field), see a conflict a merge left, and the counter's checklist marks what is
unverified."""

from __future__ import annotations

import copy
import json

import pytest

from desk_app.security.roles import Actor, Role
from desk_app.services.catalog import upkeep, versions
from desk_app.services.common.catalog import catalog

pytestmark = pytest.mark.gui
SUPERVISOR = Actor(staff_id=None, code="sup01", role=Role.SUPERVISOR)
SOURCE = "青岛市人社局《退休一件事办事指南》2026-11-15 https://example.gov.cn/r"


@pytest.fixture
def page(qtbot, db):
    from desk_app.ui.common.tasks import TaskRunner
    from desk_app.ui.supervisor.catalog import CatalogPage

    runner = TaskRunner()
    p = CatalogPage(db.acting_as(SUPERVISOR), runner)
    qtbot.addWidget(p)
    p.resize(1300, 700)
    p.show()
    p.load_once()
    qtbot.waitUntil(lambda: p.version is not None and p.bundles.rowCount() > 30, timeout=5000)
    yield p
    runner.shutdown()


def _choose(qtbot, page, name: str, fact: str) -> None:
    for r in range(page.bundles.rowCount()):
        if page.bundles.item(r, 0).text() == name:
            page.bundles.selectRow(r)
            break
    else:
        raise AssertionError(name)
    rows = [r for r, (path, _) in enumerate(page.fact_rows) if path == fact]
    page.facts.selectRow(rows[0])
    qtbot.waitUntil(lambda: page.editor.toPlainText().strip().startswith("{"), timeout=10000)


def test_verify_and_edit_publish_versions(qtbot, page, db):
    assert "未核实" in page.head.text() and page.version.seq == 0
    _choose(qtbot, page, "退休一件事", "items.retirement_approval")
    assert page.facts.item(page.facts.currentRow(), 2).text() == "未核实"
    page.source.setText(SOURCE)
    page.verify()
    qtbot.waitUntil(lambda: page.version is not None and page.version.seq == 1, timeout=5000)
    assert "已发布版本" in page.status.text()
    row = next(r for r, (p, _) in enumerate(page.fact_rows) if p == "items.retirement_approval")
    assert page.facts.item(row, 2).text().startswith("sup01 ")
    assert catalog().bundle("retirement").item("retirement_approval").verified is not None

    _choose(qtbot, page, "退休一件事", "items.retirement_approval")
    item = json.loads(page.editor.toPlainText())
    item["time_limit_days"] = 0
    page.editor.setPlainText(json.dumps(item, ensure_ascii=False))
    page.save()
    qtbot.waitUntil(lambda: "time_limit_days" in page.status.text(), timeout=5000)
    assert page.version.seq == 1  # refused: nothing published
    item["time_limit_days"] = 4
    page.editor.setPlainText(json.dumps(item, ensure_ascii=False))
    page.save()
    qtbot.waitUntil(lambda: page.version.seq == 2, timeout=5000)
    edited = catalog().bundle("retirement").item("retirement_approval")
    assert edited.time_limit_days == 4 and edited.verified is None  # not ticked: unverified


def test_a_merge_conflict_is_shown_on_its_fact(qtbot, page, db):
    hall = db.acting_as(SUPERVISOR)
    upkeep.verify(hall, "retirement", "items.retirement_approval", SOURCE)
    incoming = copy.deepcopy(versions.shipped_package())
    incoming["version"] = "2027.1.1"
    bundle = next(b for b in incoming["bundles"] if b["code"] == "retirement")
    bundle["items"][0]["time_limit_days"] = 3
    r = upkeep.apply_incoming(hall, incoming, name="test", kind="import", dry_run=False)
    assert len(r["conflicts"]) == 1
    page.reload()
    qtbot.waitUntil(lambda: "待决冲突 1" in page.head.text(), timeout=5000)
    _choose(qtbot, page, "退休一件事", "items.retirement_approval")
    row = page.facts.currentRow()
    assert page.facts.item(row, 2).text().startswith("冲突")


def test_the_case_dialog_marks_unverified_materials(qtbot):
    from desk_app.ui.cases.materials import unverified_materials

    marks = unverified_materials("after_death")
    bundle = catalog().bundle("after_death")
    assert set(marks) == {m.code for m in bundle.materials if m.verified is None}
    assert all("未与官方文本核对" in text for text in marks.values())


def test_a_new_answer_is_written_on_the_page(qtbot, page, db):
    from desk_app.services.kb import answers as kb

    for r in range(page.bundles.rowCount()):
        if page.bundles.item(r, 0).text() == "育儿补贴申领一件事":
            page.bundles.selectRow(r)
    page.new_answer()
    draft = json.loads(page.editor.toPlainText())
    assert draft["id"] == "childcare_subsidy-x01"
    draft["question"] = "育儿补贴在本厅能申请吗?"
    draft["answer"] = "本厅暂未开通育儿补贴申领,请通过当地卫健部门公布的渠道申请。"
    page.editor.setPlainText(json.dumps(draft, ensure_ascii=False))
    page.source.setText(SOURCE)
    page.save()
    qtbot.waitUntil(lambda: page.version.seq == 1 or "有误" in page.status.text(), timeout=5000)
    assert page.version.seq == 1, page.status.text()
    assert page.selected_code() == "childcare_subsidy", page.selected_code()
    assert any(p == "answers.childcare_subsidy-x01" for p, _ in page.fact_rows), page.fact_rows
    assert kb.search(db, "育儿补贴在本厅能申请吗").hits[0].id == "childcare_subsidy-x01"
