"""The counter resolves a scanned e-ID code through the platform (desk_app/sync/eid.py), spoken
to as a real ``central-ref serve`` process; codes come from ``central-ref eid-issue``."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from desk_app.services.common.errors import Refused
from desk_app.sync.client import CentralClient, CentralError
from desk_app.sync.config import SyncConfig
from desk_app.sync.eid import EID_PATTERN, is_code, resolve_code
from tests.central_ref.conftest import free_port
from tests.ids import resident_id
from tests.test_sync_faults import ROOT, TOKEN, Server

pytest.importorskip("fastapi", reason="the reference backend needs the [central] extra")

NAME = "李雷"
ID = resident_id("37020219851231001")  # 17th digit odd: 男
T0 = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


def issue(db: str, *args: str, now: datetime | None = None) -> str:
    env = {**os.environ} | ({"DESK_APP_NOW": now.isoformat()} if now else {})
    done = subprocess.run(
        [sys.executable, "-m", "central_ref", "eid-issue", "--db", db, "--name", NAME,
         "--id", ID, *args],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["code"]


@pytest.fixture
def central(tmp_path):
    db = f"sqlite:///{tmp_path / 'central.db'}"
    server = Server(db, "--auditor-token", "ops=audit-1")
    yield db, server
    server.stop()


def client_for(url: str, token: str = TOKEN) -> CentralClient:
    return CentralClient(SyncConfig(url, token))


def refusal(client: CentralClient, code: str) -> Refused:
    with pytest.raises(Refused) as info:
        resolve_code(client, code)
    return info.value


def test_the_pattern_is_the_platforms():
    from central_ref.eid import CODE_PATTERN, new_code

    assert EID_PATTERN.pattern == CODE_PATTERN
    code = new_code()
    assert EID_PATTERN.fullmatch(code) and is_code(f" {code.lower()}\r\n")
    for text in ("SDEID1", "SDEID1" + "A" * 31 + "0", ID, "NB-20250301-0007", code + "A"):
        assert not is_code(text)


def test_a_code_resolves_once_then_is_refused_as_used(central, caplog):
    db, server = central
    caplog.set_level(logging.DEBUG)
    code = issue(db, "--valid-to", "2035-06-30")
    client = client_for(server.url)
    # As a keyboard-wedge scanner types it: Caps Lock on, Enter at the end.
    person = resolve_code(client, code.lower() + "\r\n")
    assert person == {
        "name": NAME,
        "id_number": ID,
        "sex": "男",
        "birth": "1985-12-31",
        "valid_to": "2035-06-30",
        "expires_at": person["expires_at"],
    }
    used = refusal(client, code)
    assert used.zh == "该电子身份证码已使用, 请在手机上刷新后重新出示"
    assert used.en == "this e-ID code was already used: refresh it in the app"
    assert str(used).count("\n") == 0
    for secret in (code, code[6:], NAME, ID, TOKEN):
        assert secret not in caplog.text and secret not in str(used)


def test_an_expired_code_is_refused(tmp_path, monkeypatch):
    db = f"sqlite:///{tmp_path / 'central.db'}"
    code = issue(db, "--ttl", "60", now=T0)
    monkeypatch.setenv("DESK_APP_NOW", (T0 + timedelta(seconds=61)).isoformat())
    server = Server(db)  # the platform's clock, a minute and a second later
    try:
        expired = refusal(client_for(server.url), code)
    finally:
        server.stop()
    assert expired.zh.startswith("该电子身份证码已过期") and "expired" in expired.en


def test_an_unknown_or_malformed_code_is_refused(central):
    from central_ref.eid import new_code

    _db, server = central
    client = client_for(server.url)
    unknown = refusal(client, new_code())
    assert unknown.zh.startswith("无效的电子身份证码") and "unknown" in unknown.en
    malformed = refusal(client, "SDEID1-not-a-code")
    assert malformed.zh.startswith("不是电子身份证码")


def test_a_malformed_code_is_refused_without_asking(tmp_path):
    client = client_for(f"http://127.0.0.1:{free_port()}")  # nobody listens: not even tried
    assert refusal(client, ID).zh.startswith("不是电子身份证码")


def test_an_unreachable_platform_is_refused_with_the_fallback(central):
    db, _server = central
    code = issue(db)
    down = refusal(client_for(f"http://127.0.0.1:{free_port()}"), code)
    assert down.zh == "无法连接中心平台, 请改刷身份证或手工录入"
    assert "cannot be reached" in down.en and isinstance(down.__cause__, CentralError)


def test_an_injected_503_is_unreachable_and_leaves_the_code_unused(tmp_path):
    db = f"sqlite:///{tmp_path / 'central.db'}"
    code = issue(db)
    faulty = Server(db, "--fail-rate", "1.0", "--fault-modes", "error")
    try:
        assert "cannot be reached" in refusal(client_for(faulty.url), code).en
    finally:
        faulty.stop()
    healthy = Server(db)
    try:
        assert resolve_code(client_for(healthy.url), code)["id_number"] == ID
    finally:
        healthy.stop()


def test_a_token_that_may_not_resolve_is_refused(central):
    db, server = central
    code = issue(db)
    auditor = refusal(client_for(server.url, "audit-1"), code)
    assert "may not resolve" in auditor.en
    wrong = refusal(client_for(server.url, "not-the-token"), code)
    assert "rejected this workstation's token" in wrong.en and "not-the-token" not in str(wrong)
    assert resolve_code(client_for(server.url), code)["name"] == NAME  # neither used it


@pytest.mark.gui
def test_a_code_scanned_into_the_case_dialog_fills_the_applicant(qtbot, small_hall, central,
                                                                  monkeypatch):  # fmt: skip
    """The scanner types the code into the ID field and Enter: the platform says who it is,
    the field is filled with the person (never left holding the code); a second scan of the
    same code is refused in one line."""
    from desk_app.ui.cases.dialog import CaseDialog

    db_url, server = central
    monkeypatch.setenv("DESK_APP_CENTRAL_URL", server.url)
    monkeypatch.setenv("DESK_APP_CENTRAL_TOKEN", TOKEN)
    code = issue(db_url)
    dialog = CaseDialog(small_hall, 1)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.id_edit.setText(code)
    dialog.id_edit.editingFinished.emit()
    assert dialog.id_edit.text() == ""  # the code is not left in the field
    qtbot.waitUntil(lambda: dialog.id_edit.text() == ID, timeout=10000)
    assert dialog.name_edit.text() == NAME and not dialog.applicant.id_error.isVisible()
    dialog.id_edit.setText(code)
    dialog.id_edit.editingFinished.emit()
    qtbot.waitUntil(lambda: "已使用" in dialog.applicant.id_error.text(), timeout=10000)
    dialog.close()
