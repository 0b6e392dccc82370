"""免证办 against a real ``central-ref serve`` process (its sharing gateway, with faults): the
counter's calls (desk_app/sync/share_fetch.py), what each answer does to the case, the
platform's record of the calls, and nothing personal in a URL or a log line."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from desk_app.services.cases import actions as cases
from desk_app.services.cases import sharing
from desk_app.services.hall import setup as hall
from desk_app.sync import share_fetch
from desk_app.sync.client import CentralClient
from desk_app.sync.config import SyncConfig
from tests.ids import resident_id
from tests.test_sync_faults import ROOT, TOKEN, Server
from tests.tools import add_staff

pytest.importorskip("fastapi", reason="the reference backend needs the [central] extra")

RETIREMENT = {
    "pension_contribution_record": "hrss.pension_contribution",
    "social_security_card": "hrss.social_security_card",
    "medical_contribution_record": "medical_insurance.enrolment",
}


@pytest.fixture
def counter(db):
    for code, prefix in (("retirement", "R"), ("newborn", "A")):
        hall.add_service(db, code, code, prefix)
    hall.add_window(db, 1, ["retirement", "newborn"])
    add_staff(db, "s01", "王芳")
    hall.open_window(db, 1, "s01")
    return db


@pytest.fixture
def central(tmp_path):
    servers: list[Server] = []

    def start(*args: str) -> Server:
        db = f"sqlite:///{tmp_path / f'central{len(servers)}.db'}"
        server = Server(db, "--auditor-token", "ops=audit-1", *args)
        servers.append(server)
        return server

    yield start
    for s in servers:
        s.stop()


def maker(url: str, **kw):  # type: ignore[no-untyped-def]
    return lambda: CentralClient(SyncConfig(url, TOKEN, **kw))


def open_case(db, bundle="retirement", consent=True):  # type: ignore[no-untyped-def]
    return cases.open_case(
        db, bundle, "张三丰", applicant_id=resident_id(), window=1, share_consent=consent
    )


def states(db, case_no):  # type: ignore[no-untyped-def]
    return {m.code: (m.status, m.share) for m in cases.show(db, case_no).materials if m.share}


def test_a_case_fetches_its_shared_materials_and_the_licence_is_a_real_pdf(counter, central):
    server = central("--share-synthetic")
    no = open_case(counter).case_no
    report = share_fetch.fetch_case(counter, maker(server.url), no)
    assert report.to_json() == {"fetched": 3, "no_record": 0, "failed": 0, "offline": 0}
    assert states(counter, no) == {c: ("obtained", "fetched") for c in RETIREMENT}
    fields, licence, pdf = sharing.reveal(counter, no, "social_security_card")
    assert fields and all({"key", "label", "value"} <= set(f) for f in fields)
    assert licence["verification_code"] and pdf.startswith(b"%PDF")
    shown = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert licence["verification_code"] in shown
    assert [r["outcome"] for r in sharing.calls(counter, no)] == ["ok"] * 3
    # Fetching again asks for nothing: every material is in.
    assert share_fetch.fetch_case(counter, maker(server.url), no).to_json()["fetched"] == 0


def test_no_record_and_a_department_down_fall_back_to_paper_and_a_retry_recovers(counter, central):
    down = central(
        "--share-synthetic",
        "--share-no-record",
        "hrss.pension_contribution",
        "--share-down",
        "medical_insurance.enrolment",
    )
    no = open_case(counter).case_no
    report = share_fetch.fetch_case(counter, maker(down.url), no)
    assert report.to_json() == {"fetched": 1, "no_record": 1, "failed": 1, "offline": 0}
    view = cases.show(counter, no)
    by = {m.code: m for m in view.materials}
    assert by["pension_contribution_record"].status == "missing"
    assert "未查到" in by["pension_contribution_record"].missing_reason
    assert by["medical_contribution_record"].status == "missing"
    assert "接口" in by["medical_contribution_record"].missing_reason
    assert {"pension_contribution_record", "medical_contribution_record"} <= {
        m.code for m in view.missing
    }
    # Without --retry nothing is asked again; with it, a healthy gateway brings them back.
    up = central("--share-synthetic")
    assert share_fetch.fetch_case(counter, maker(up.url), no).to_json()["fetched"] == 0
    again = share_fetch.fetch_case(counter, maker(up.url), no, retry=True)
    assert again.to_json()["fetched"] == 2
    assert states(counter, no) == {c: ("obtained", "fetched") for c in RETIREMENT}


def test_an_unreachable_platform_leaves_the_materials_pending_for_the_sync_to_fetch(
    counter, central
):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    no = open_case(counter).case_no
    t0 = time.monotonic()
    report = share_fetch.fetch_case(counter, maker(dead, connect_timeout_s=1.0), no)
    assert report.offline == 3 and time.monotonic() - t0 < 10
    assert states(counter, no) == {c: ("obtained", "pending") for c in RETIREMENT}
    assert sharing.calls(counter, no) == []  # nothing answered, nothing recorded
    # The background catch-up (sync run, the counter's sync loop) fetches them later.
    server = central("--share-synthetic")
    client = maker(server.url)()
    first = share_fetch.fetch_pending(counter, client)
    assert first.fetched == 3
    assert states(counter, no) == {c: ("obtained", "fetched") for c in RETIREMENT}


def test_failures_of_the_platform_itself_never_lose_a_material(counter, central):
    """30 % of the calls fail (503, a hang past the timeout, a dropped answer): after enough
    passes every material is fetched, and no call recorded more than answered."""
    server = central(
        "--share-synthetic", "--fail-rate", "0.3", "--seed", "7", "--hang-seconds", "3"
    )
    numbers = [open_case(counter).case_no for _ in range(6)]
    mk = maker(server.url, read_timeout_s=1.0)
    for _ in range(30):
        for no in numbers:
            share_fetch.fetch_case(counter, mk, no, retry=True)
        if all(
            st == ("obtained", "fetched") for no in numbers for st in states(counter, no).values()
        ):
            break
    assert all(
        st == ("obtained", "fetched") for no in numbers for st in states(counter, no).values()
    )


def test_nothing_personal_is_in_a_url_a_log_line_or_the_platforms_call_records(
    counter, central, caplog, tmp_path
):
    caplog.set_level(logging.DEBUG)
    server = central("--share-synthetic")
    no = open_case(counter).case_no
    share_fetch.fetch_case(counter, maker(server.url), no)
    assert resident_id() not in caplog.text and "张三丰" not in caplog.text
    engine = create_engine(f"sqlite:///{server.url_db}")
    with engine.connect() as c:
        rows = c.execute(text("select * from share_calls")).all()
    engine.dispose()
    assert len(rows) == 3 and resident_id() not in repr(rows)
    raw = Path(server.url_db).read_bytes()
    assert resident_id().encode() not in raw


def test_without_consent_nothing_is_asked(counter, central):
    server = central("--share-synthetic")
    no = open_case(counter, consent=False).case_no
    assert share_fetch.fetch_case(counter, maker(server.url), no, retry=True).to_json() == {
        "fetched": 0,
        "no_record": 0,
        "failed": 0,
        "offline": 0,
    }


def test_the_command_line(counter, central, db_url, tmp_path):
    from desk_app.security.roles import Role
    from desk_app.services.accounts import staff as accounts

    accounts.create_account(counter, "sup", "主任", Role.SUPERVISOR, "Hall-2026x")
    accounts.create_account(counter, "c02", "李娜", Role.COUNTER, "Hall-2026x")
    server = central("--share-synthetic", "--share-no-record", "health.delivery_record")
    no = open_case(counter, "newborn").case_no
    env = {
        **os.environ,
        "DESK_APP_DB": db_url,
        "DESK_APP_CENTRAL_URL": server.url,
        "DESK_APP_CENTRAL_TOKEN": TOKEN,
        "DESK_APP_PASSWORD": "Hall-2026x",
    }

    def run(*args: str, user: str = "c02") -> dict:
        import json

        done = subprocess.run(
            [sys.executable, "-m", "desk_app", *args, "--json"],
            capture_output=True, text=True, cwd=ROOT, env=env | {"DESK_APP_USER": user},
            timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    out = run("case", "share", no)
    assert out["materials"] == [
        {
            "code": "delivery_record",
            "resource": "health.delivery_record",
            "state": "no_record",
            "licence": False,
        }
    ]
    assert [r["outcome"] for r in run("share", "list", no)["rows"]] == ["no_record"]
    rows = run("share", "stats", "--by", "department", user="sup")["rows"]
    assert rows == [
        {"key": "health", "calls": 1, "ok": 0, "no_record": 1, "failed": 0, "materials_saved": 0}
    ]


@pytest.mark.gui
def test_the_counter_fetches_in_the_background_and_shows_each_state(
    counter, central, qtbot, monkeypatch
):
    from desk_app.ui.cases.dialog import CaseDialog

    server = central(
        "--share-synthetic", "--share-no-record", "hrss.pension_contribution", "--share-latency-ms",
        "300",
    )  # fmt: skip
    monkeypatch.setenv("DESK_APP_CENTRAL_URL", server.url)
    monkeypatch.setenv("DESK_APP_CENTRAL_TOKEN", TOKEN)
    no = open_case(counter).case_no
    dialog = CaseDialog(counter, 1, case_no=no)
    qtbot.addWidget(dialog)
    dialog.show()
    panel = dialog.materials.shared
    qtbot.waitUntil(lambda: panel.isVisible() and panel.busy, timeout=5000)
    # While the department answers slowly, the dialog's own work is not queued behind it.
    assert dialog.runner.pending == 0
    qtbot.waitUntil(lambda: not panel.busy, timeout=15000)
    shown = {panel.codes[r]: panel.table.item(r, 1).text() for r in range(panel.table.rowCount())}
    assert shown == {
        "medical_contribution_record": "已通过共享获取",
        "pension_contribution_record": "无记录，需提交",
        "social_security_card": "已通过共享获取",
    }
    # The one without a record is now on the list to tick, with its reason.
    assert "pension_contribution_record" in dialog.materials.checks
    row = list(dialog.materials.checks).index("pension_contribution_record")
    assert "未查到" in dialog.table.item(row, 4).text()
    panel.table.selectRow(panel.codes.index("social_security_card"))
    assert panel.view_button.isEnabled() and panel.retry_button.isEnabled()
