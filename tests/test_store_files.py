"""The hall's SQLite files are the owner's alone, and the writer lock cannot freeze the hall:
the database, its -wal and -shm and the lock file are created 0600; a lock held past the timeout
is refused in one line naming its holder; ``db check`` warns about a file others can read."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time

import pytest

from desk_app.cli import main
from desk_app.store import Database
from desk_app.store.filelock import LockTimeout, exclusive, holder

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes and flock")


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_database_its_log_and_the_lock_are_created_owner_only(tmp_path):
    old = os.umask(0o022)  # the usual default, which would make 0644 files
    try:
        url = f"sqlite:///{tmp_path / 'hall.db'}"
        assert main(["--db", url, "db", "upgrade", "--json"]) == 0
        db = Database(url)
        with db.begin() as s:  # a write through the lock, leaving the WAL and SHM files
            from sqlalchemy import text

            s.execute(text("INSERT INTO settings (key, value) VALUES ('probe', '1')"))
        names = ["hall.db", "hall.db-wal", "hall.db-shm", "hall.db.writelock"]
        present = [n for n in names if (tmp_path / n).exists()]
        assert {"hall.db", "hall.db.writelock"} <= set(present)
        assert {n: _mode(tmp_path / n) for n in present} == {n: 0o600 for n in present}
        db.dispose()
    finally:
        os.umask(old)


def _hold(path, seconds: float) -> subprocess.Popen:
    code = (
        "import fcntl, os, sys, time\n"
        f"fd = os.open({str(path)!r}, os.O_RDWR | os.O_CREAT, 0o600)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\n"
        "print('held', flush=True)\n"
        f"time.sleep({seconds})\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_lock_held_too_long_is_refused_naming_its_holder(tmp_path):
    lock = tmp_path / "hall.db.writelock"
    proc = _hold(lock, 30)
    try:
        started = time.monotonic()
        with pytest.raises(LockTimeout) as exc, exclusive(str(lock), timeout=0.3):
            pass
        assert 0.3 <= time.monotonic() - started < 5
        message = str(exc.value)
        assert "\n" not in message and "0.3" in message
        if os.path.exists("/proc/locks"):
            assert f"process {proc.pid}" in message and holder(str(lock)) is not None
    finally:
        proc.kill()
        proc.wait()
    with exclusive(str(lock), timeout=0.3):  # free again: taken at once
        pass


def test_a_write_waits_for_a_short_holder(tmp_path):
    lock = tmp_path / "hall.db.writelock"
    proc = _hold(lock, 0.3)
    try:
        with exclusive(str(lock), timeout=10):
            assert proc.wait(timeout=10) == 0  # we got it only once the holder had gone
    finally:
        proc.kill()


def _real_progress_url(url: str) -> None:
    from desk_app.services.hall import setup as hall
    from desk_app.store import Database
    from tests.tools import ADMIN

    db = Database(url)
    hall.set_setting(db.acting_as(ADMIN), "progress_base_url", "https://zwfw.qingdao.gov.cn/q")
    db.dispose()


def test_db_check_warns_while_the_progress_url_is_the_example(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'hall.db'}"
    assert main(["--db", url, "db", "upgrade", "--json"]) == 0
    assert "QR codes on paper point nowhere" in capsys.readouterr().err  # at set-up already
    assert main(["--db", url, "db", "check", "--json"]) == 0
    out, err = capsys.readouterr()
    assert "example.gov.cn" in err and "QR codes on paper point nowhere" in err
    _real_progress_url(url)
    assert main(["--db", url, "db", "check", "--json"]) == 0
    assert '"warning": null' in capsys.readouterr().out


def test_db_check_warns_when_others_can_read_the_file(tmp_path, capsys):
    path = tmp_path / "hall.db"
    url = f"sqlite:///{path}"
    assert main(["--db", url, "db", "upgrade", "--json"]) == 0
    _real_progress_url(url)
    capsys.readouterr()
    assert main(["--db", url, "db", "check", "--json"]) == 0
    assert '"warning": null' in capsys.readouterr().out
    os.chmod(path, 0o644)
    assert main(["--db", url, "db", "check", "--json"]) == 0
    out, err = capsys.readouterr()
    assert "other users can read" in err and str(path) in err and err.count("\n") == 1
    assert '"warning": "' in out
