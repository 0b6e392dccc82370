"""Device tokens: made by an admin and shown once, kept as a hash, revocable, audited; a window
token acts as the person logged in at its window within a call-pad's operations (through the
quick path on SQLite and the full one on PostgreSQL), a kiosk token as the kiosk."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desk_app.services.accounts import device_tokens
from desk_app.services.queue import operations as queue
from desk_app.store.device_models import DeviceToken
from desk_app.store.identity_models import AuditEntry
from tests.test_cli import refusal_lines, run


@pytest.fixture
def hall(small_hall, db_url):
    """Windows 1 (s01) and 2 (s02) open, an admin account (no setup mode), two tickets."""
    from desk_app.services.accounts import staff as accounts
    from tests.test_ui_helper import SETUP

    accounts.create_account(small_hall.acting_as(SETUP), "adm", "管理员", "admin", "Adm-2026x")
    queue.issue_ticket(small_hall, "newborn")
    queue.issue_ticket(small_hall, "newborn")
    return small_hall, db_url


def test_a_window_token_calls_at_its_window_only(hall, capsys, monkeypatch):
    db, url = hall
    token, view = device_tokens.create_token(db, "window", window=1, label="1号窗呼叫器")
    with db.read() as s:
        stored = s.scalar(select(DeviceToken.token_hash))
    assert token.startswith("dt_") and token not in stored and len(stored) == 64
    monkeypatch.setenv("DESK_APP_TOKEN", token)
    rc, called, _ = run(capsys, "--db", url, "call", "next", "--window", "1", "--json")
    assert rc == 0 and called["number"] == "A001"
    rc, _, err = run(capsys, "--db", url, "call", "next", "--window", "2", "--json")
    assert rc != 0 and len(refusal_lines(err)) == 1  # s02's window
    rc, _, err = run(capsys, "--db", url, "case", "open", "newborn", "--applicant", "张三",
                     "--json")  # fmt: skip
    assert rc != 0  # a call-pad opens no case
    rc, _, err = run(capsys, "--db", url, "stats", "summary", "--from", "2026-12-01", "--to",
                     "2026-12-01", "--json")  # fmt: skip
    assert rc != 0
    device_tokens.revoke_token(db, view.id)
    rc, _, err = run(capsys, "--db", url, "call", "next", "--window", "1", "--json")
    assert rc == 2 and "revoked" in err
    with db.read() as s:
        actions = s.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("device.token.%"))
        ).all()
    assert actions == ["device.token.create", "device.token.revoke"]


def test_a_window_token_does_nothing_while_nobody_is_logged_in_there(hall, capsys, monkeypatch):
    from desk_app.services.hall import setup as hall_setup

    db, url = hall
    hall_setup.add_window(db, 4, ["newborn"])
    token, _ = device_tokens.create_token(db, "window", window=4)
    monkeypatch.setenv("DESK_APP_TOKEN", token)
    rc, _, err = run(capsys, "--db", url, "call", "next", "--window", "4", "--json")
    assert rc == 2 and "nobody is logged in" in err


def test_a_kiosk_token_issues_tickets_and_calls_nobody(hall, capsys, monkeypatch):
    db, url = hall
    token, _ = device_tokens.create_token(db, "kiosk")
    monkeypatch.setenv("DESK_APP_TOKEN", token)
    rc, t, _ = run(capsys, "--db", url, "ticket", "issue", "--service", "newborn", "--json")
    assert rc == 0 and t["number"] == "A003"
    rc, _, err = run(capsys, "--db", url, "call", "next", "--window", "1", "--json")
    assert rc != 0


def test_tokens_from_the_command_line(hall, capsys):
    db, url = hall
    import os

    env = {"DESK_APP_USER": "adm", "DESK_APP_PASSWORD": "Adm-2026x"}
    os.environ.update(env)
    try:
        rc, made, _ = run(capsys, "--db", url, "device", "token", "create", "--window", "1",
                          "--label", "pad", "--json")  # fmt: skip
        assert rc == 0 and made["token"].startswith("dt_") and made["window"] == 1
        rc, listed, _ = run(capsys, "--db", url, "device", "token", "list", "--json")
        assert [t["id"] for t in listed["tokens"]] == [made["id"]]
        assert made["token"] not in str(listed)  # never shown again
        rc, r, _ = run(capsys, "--db", url, "device", "token", "revoke", str(made["id"]),
                       "--json")  # fmt: skip
        assert rc == 0 and r["revoked"]
        rc, _, err = run(capsys, "--db", url, "device", "token", "create", "--kiosk",
                         "--window", "1")  # fmt: skip
        assert rc == 2
    finally:
        for k in env:
            os.environ.pop(k, None)


def test_the_quick_path_knows_a_window_token(small_hall):
    """On SQLite the call-pad's call next runs through the standard library: the token is
    recognised there too (else every press would load the whole application)."""
    from desk_app.services.accounts.quick_token import window_token_actor
    from desk_app.store import lite

    if not small_hall.url.startswith("sqlite"):
        pytest.skip("the quick path is SQLite's")
    token, view = device_tokens.create_token(small_hall, "window", window=1)
    conn = lite.connect(small_hall.url)
    assert conn is not None
    try:
        actor = window_token_actor(conn, token, 1)
        assert actor is not None and actor.code == "s01" and actor.scope
        assert window_token_actor(conn, token, 2) is None
        assert window_token_actor(conn, "dt_" + "x" * 43, 1) is None
        device_tokens.revoke_token(small_hall, view.id)
        assert window_token_actor(conn, token, 1) is None
    finally:
        conn.close()
