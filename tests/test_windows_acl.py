"""On Windows the mode bits mean nothing: the database, its writer lock and the hall key get an
ACL of their owner alone through icacls, and ``db check`` reads the ACL to warn. Simulated
here (the suite runs on Linux): the commands made and the answers read."""

from __future__ import annotations

import subprocess
from types import SimpleNamespace

import pytest

from desk_app import paths
from desk_app.store import filelock


@pytest.fixture
def windows(monkeypatch):
    calls: list[list[str]] = []
    answers = {"icacls_output": "", "code": 0}

    def run(cmd, **_kw):  # type: ignore[no-untyped-def]
        calls.append(list(cmd))
        return SimpleNamespace(
            returncode=answers["code"], stdout=answers["icacls_output"], stderr=""
        )

    monkeypatch.setattr("sys.platform", "win32")
    monkeypatch.setattr(subprocess, "run", run)
    monkeypatch.setenv("USERNAME", "clerk01")
    monkeypatch.setenv("USERDOMAIN", "HALL-PC3")
    return calls, answers


def test_a_new_database_file_gets_an_owner_only_acl(windows, tmp_path):
    calls, _ = windows
    db = tmp_path / "hall.db"
    filelock.create_owner_only(str(db))
    assert calls == [["icacls", str(db), "/inheritance:r", "/grant:r", "HALL-PC3\\clerk01:(F)"]]
    filelock.create_owner_only(str(db))  # exists: left as it is
    assert len(calls) == 1


def test_the_writer_lock_is_made_owner_only_before_first_use(windows, tmp_path, monkeypatch):
    calls, _ = windows
    lock = tmp_path / "hall.db.writelock"

    class Stop(Exception):
        pass

    made = filelock.create_owner_only

    def create_then_stop(path: str) -> None:
        made(path)
        raise Stop  # before msvcrt's locking, which Linux has not

    monkeypatch.setattr(filelock, "create_owner_only", create_then_stop)
    with pytest.raises(Stop), filelock.exclusive(str(lock), timeout=1):
        pass
    assert calls and calls[0][:3] == ["icacls", str(lock), "/inheritance:r"]


def test_the_hall_key_file_is_made_owner_only(windows, tmp_path):
    from desk_app.security.keys import create_key_file

    calls, _ = windows
    create_key_file(tmp_path / "hall.key")
    assert any(c[0] == "icacls" and "/grant:r" in c for c in calls)


@pytest.mark.parametrize(
    ("acl", "open_"),
    [
        ("C:\\hall.db HALL-PC3\\clerk01:(F)\n", False),
        ("C:\\hall.db HALL-PC3\\clerk01:(F)\n         BUILTIN\\Users:(RX)\n", True),
        ("C:\\hall.db Everyone:(R)\n", True),
        ("C:\\hall.db NT AUTHORITY\\Authenticated Users:(M)\n", True),
    ],
)
def test_db_check_reads_the_acl(windows, tmp_path, acl, open_):
    _, answers = windows
    answers["icacls_output"] = acl
    assert filelock.readable_by_others(str(tmp_path / "hall.db")) is open_


def test_a_refused_icacls_is_logged_not_fatal(windows, tmp_path, caplog):
    _, answers = windows
    answers["code"] = 5
    paths.restrict_to_owner(str(tmp_path / "x"))
    assert "icacls refused" in caplog.text
