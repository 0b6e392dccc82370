"""The training clock: DESK_APP_NOW fixes the hall's clock for demos, training and tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from desk_app.domain import clock


def test_unset_is_the_real_time(monkeypatch):
    monkeypatch.delenv("DESK_APP_NOW", raising=False)
    before = datetime.now(UTC)
    assert before <= clock.now() <= datetime.now(UTC)


def test_an_instant_with_offset_is_kept(monkeypatch):
    monkeypatch.setenv("DESK_APP_NOW", "2026-12-01T09:30:00+08:00")
    assert clock.now() == datetime(2026, 12, 1, 1, 30, tzinfo=UTC)
    assert clock.today().isoformat() == "2026-12-01"


def test_a_local_time_is_the_halls(monkeypatch):
    monkeypatch.setenv("DESK_APP_NOW", "2026-12-01T00:30")  # 00:30 in the hall = previous day UTC
    assert clock.now() == datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
    assert clock.today().isoformat() == "2026-12-01"


def test_garbage_is_an_error_not_the_real_time(monkeypatch):
    monkeypatch.setenv("DESK_APP_NOW", "tomorrow morning")
    with pytest.raises(clock.ClockError, match="DESK_APP_NOW"):
        clock.now()


def _cli(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "desk_app", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )


def test_a_ticket_is_issued_at_the_fixed_instant(tmp_path):
    url = f"sqlite:///{tmp_path / 'hall.db'}"
    env = {"DESK_APP_DB": url, "DESK_APP_NOW": "2026-12-01T09:30:00+08:00"}
    assert _cli("db", "upgrade", "--training", env=env).returncode == 0
    assert _cli("service", "add", "A", "--name", "综合", "--prefix", "A", env=env).returncode == 0
    done = _cli("ticket", "issue", "--service", "A", "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["issued_at"] == "2026-12-01T09:30:00+08:00"


def test_a_bad_clock_is_a_one_line_refusal(tmp_path):
    env = {"DESK_APP_DB": f"sqlite:///{tmp_path / 'hall.db'}", "DESK_APP_NOW": "soon"}
    done = _cli("queue", "status", "--json", env=env)
    assert done.returncode == 2
    assert [ln for ln in done.stderr.splitlines() if "DESK_APP_NOW" in ln]
    assert "Traceback" not in done.stderr
