"""Who runs a command: setup mode, DESK_APP_USER/PASSWORD, desk-app login, refusals, audit."""

from __future__ import annotations

import io
import json
import os
import stat

import pytest
from sqlalchemy import text

from desk_app.cli import main

PW = "Hall-2026x"


def run(capsys, monkeypatch, *args: str, stdin: str | None = None) -> tuple[int, dict, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    rc = main(list(args))
    out, err = capsys.readouterr()
    payload = json.loads(out.strip().splitlines()[-1]) if "--json" in args and out.strip() else {}
    return rc, payload, err


@pytest.fixture
def cli(db_url, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # the session file's home
    monkeypatch.delenv("DESK_APP_USER", raising=False)
    monkeypatch.delenv("DESK_APP_PASSWORD", raising=False)

    def _run(*args: str, stdin: str | None = None) -> tuple[int, dict, str]:
        return run(capsys, monkeypatch, "--db", db_url, *args, stdin=stdin)

    return _run


@pytest.fixture
def with_admin(cli):
    rc, new, err = cli(
        "staff",
        "add",
        "adm",
        "--name",
        "管理员",
        "--role",
        "admin",
        "--password-stdin",
        "--json",
        stdin=PW + "\n",
    )
    assert rc == 0 and new == {"code": "adm", "role": "admin", "temporary_password": None}
    assert "设置模式" in err  # it ran in setup mode, and said so
    return cli


def test_setup_mode_runs_without_credentials_and_warns(cli):
    rc, out, err = cli("staff", "list", "--json")
    assert rc == 0 and out == {"staff": []}
    assert "setup mode" in err


def test_after_an_admin_exists_commands_need_credentials(with_admin, monkeypatch):
    cli = with_admin
    rc, _, err = cli("staff", "list", "--json")
    assert rc == 2 and len(err.strip().splitlines()) == 1 and "log in first" in err
    monkeypatch.setenv("DESK_APP_USER", "adm")
    monkeypatch.setenv("DESK_APP_PASSWORD", "wrong-pass-1")
    rc, _, err = cli("staff", "add", "s01", "--name", "王芳", "--json")
    assert rc == 2 and "wrong staff code or password" in err
    monkeypatch.setenv("DESK_APP_PASSWORD", PW)
    rc, out, _ = cli("staff", "list", "--json")
    assert rc == 0 and [s["code"] for s in out["staff"]] == ["adm"]  # nothing was added


def test_public_commands_need_no_credentials(with_admin):
    rc, out, err = with_admin("queue", "status", "--json")
    assert rc == 0 and out == {"services": [], "windows": []} and err == ""


def test_a_new_account_gets_a_temporary_password_it_must_change(with_admin, monkeypatch):
    cli = with_admin
    monkeypatch.setenv("DESK_APP_USER", "adm")
    monkeypatch.setenv("DESK_APP_PASSWORD", PW)
    rc, new, _ = cli("staff", "add", "sup01", "--name", "值班长", "--role", "supervisor", "--json")
    temporary = new["temporary_password"]
    assert rc == 0 and temporary and new["role"] == "supervisor"
    monkeypatch.setenv("DESK_APP_USER", "sup01")
    monkeypatch.setenv("DESK_APP_PASSWORD", temporary)
    rc, _, err = cli("staff", "list", "--json")
    assert rc == 2 and "staff passwd sup01" in err
    rc, _, _ = cli(
        "staff", "passwd", "sup01", "--password-stdin", "--json", stdin=f"{temporary}\nSuper-2026\n"
    )
    assert rc == 0
    monkeypatch.setenv("DESK_APP_PASSWORD", "Super-2026")
    rc, out, _ = cli("staff", "list", "--json")
    assert rc == 0 and {s["code"]: s["must_change"] for s in out["staff"]} == {
        "adm": False,
        "sup01": False,
    }
    # A supervisor may read the trail but not add accounts.
    rc, _, err = cli("staff", "add", "x1", "--name", "某", "--json")
    assert rc == 2 and "may not do staff.add" in err


def test_login_keeps_an_owner_only_session_and_logout_ends_it(with_admin, tmp_path):
    cli = with_admin
    rc, out, _ = cli("login", "--user", "adm", "--password-stdin", "--json", stdin=PW + "\n")
    assert rc == 0 and out["code"] == "adm"
    session_file = tmp_path / "data" / "desk-app" / "sessions.json"
    assert stat.S_IMODE(os.stat(session_file).st_mode) == 0o600
    token = next(iter(json.loads(session_file.read_text()).values()))
    rc, out, _ = cli("audit", "list", "--action", "login.ok", "--json")
    assert rc == 0 and [e["actor"] for e in out["entries"]] == ["adm"]
    assert token not in json.dumps(out)
    rc, out, _ = cli("logout", "--json")
    assert rc == 0 and out == {"logged_out": True}
    rc, _, err = cli("audit", "list", "--json")
    assert rc == 2 and "log in first" in err


def test_a_session_file_readable_by_others_is_not_used(with_admin, tmp_path):
    cli = with_admin
    assert cli("login", "--user", "adm", "--password-stdin", stdin=PW + "\n")[0] == 0
    session_file = tmp_path / "data" / "desk-app" / "sessions.json"
    os.chmod(session_file, 0o644)
    rc, _, err = cli("staff", "list", "--json")
    assert rc == 2 and "log in first" in err


def test_audit_verify_reports_tampering_with_exit_2(with_admin, db_url, monkeypatch):
    cli = with_admin
    monkeypatch.setenv("DESK_APP_USER", "adm")
    monkeypatch.setenv("DESK_APP_PASSWORD", PW)
    rc, out, _ = cli("audit", "verify", "--json")
    assert rc == 0 and out["ok"] is True and out["first_bad"] is None and out["entries"] >= 2
    from desk_app.store import Database

    db = Database(db_url)
    with db.begin() as s:
        s.execute(text("UPDATE audit_log SET actor = 'someone' WHERE seq = 1"))
    db.dispose()
    rc, out, err = cli("audit", "verify", "--json")
    assert rc == 2 and out["ok"] is False and out["first_bad"] == 1 and out["bad"] == [[1, 1]]
    assert "altered" in err
