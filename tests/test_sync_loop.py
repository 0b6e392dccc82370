"""One sync loop for ``sync run`` and the counter: purge on schedule, stop on a 401, clean exit."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from desk_app.sync.loop import SyncLoop
from desk_app.sync.worker import SyncThread
from tests.test_sync_outbox import FakeCentral, conclude_cases, hall_db  # noqa: F401
from tests.test_sync_retention import NOW, T, masked, rejected

ROOT = Path(__file__).resolve().parent.parent


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_purge_runs_at_start_then_on_its_schedule(hall_db):  # noqa: F811
    clock = FakeClock()
    loop = SyncLoop(hall_db, FakeCentral(), purge_every_s=3600, monotonic=clock, now=lambda: NOW)
    first = rejected(hall_db)
    loop.one_pass()
    assert masked(hall_db, first) and loop.purged == 1
    second = rejected(hall_db)
    clock.t += 600
    loop.one_pass()
    assert not masked(hall_db, second)  # not due yet
    clock.t += 3000
    loop.one_pass()
    assert masked(hall_db, second) and loop.purged == 2 and loop.passes == 3


def test_a_401_ends_the_loop_and_the_thread(hall_db):  # noqa: F811
    conclude_cases(hall_db, 1)
    central = FakeCentral()
    central.auth_fail = True
    loop = SyncLoop(hall_db, central, interval_s=0.01)
    result = loop.run()
    assert result.stopped_by == "auth" and result.pending == 1 and result.passes == 0
    thread = SyncThread(SyncLoop(hall_db, central, interval_s=0.01))
    thread.start()
    thread.join(5)
    assert not thread.is_alive() and thread.result.stopped_by == "auth"


def test_stop_wakes_a_waiting_loop_at_once(hall_db):  # noqa: F811
    loop = SyncLoop(hall_db, FakeCentral(), interval_s=60)
    thread = SyncThread(loop)
    thread.start()
    while loop.passes == 0:
        time.sleep(0.01)
    started = time.monotonic()
    thread.stop()
    assert not thread.is_alive() and time.monotonic() - started < 2
    assert thread.result.stopped_by == "stop"


def test_a_failing_pass_does_not_end_the_loop(hall_db, monkeypatch):  # noqa: F811
    from desk_app.sync import outbox

    calls = []
    real = outbox.drain

    def flaky(db, client):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database away for a moment")
        return real(db, client)

    monkeypatch.setattr(outbox, "drain", flaky)
    loop = SyncLoop(hall_db, FakeCentral(), interval_s=0.01)
    threading.Timer(0.5, loop.stop_now).start()
    assert loop.run().stopped_by == "stop" and len(calls) > 1


# The command line against the reference backend (real processes).
pytest.importorskip("fastapi", reason="the reference backend needs the [central] extra")
from tests.test_sync_faults import Server, client_hall, sync_env  # noqa: E402, F401


def _run(env, *args, timeout=60):
    return subprocess.run(
        [sys.executable, "-m", "desk_app", "sync", "run", *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )


def test_sync_run_stops_on_a_401_with_one_line(client_hall, tmp_path):  # noqa: F811
    conclude_cases(client_hall, 1)
    server = Server(f"sqlite:///{tmp_path / 'central.db'}")
    try:
        env = sync_env(client_hall, server) | {"DESK_APP_CENTRAL_TOKEN": "wrong-token-7f3a"}
        out = _run(env, "--interval", "0.05")  # the long-running form, not --once
    finally:
        server.stop()
    assert out.returncode == 2, out.stderr
    from desk_app.cli.identity import SETUP_WARNING

    lines = [line for line in out.stderr.strip().splitlines() if line != SETUP_WARNING]
    assert len(lines) == 1 and "401" in out.stderr  # beside the setup-mode notice
    assert "wrong-token-7f3a" not in out.stderr + out.stdout


def test_sync_run_purges_on_schedule_and_exits_cleanly_on_sigterm(client_hall, tmp_path):  # noqa: F811
    old = rejected(client_hall, T)
    server = Server(f"sqlite:///{tmp_path / 'central.db'}")
    try:
        env = sync_env(client_hall, server) | {"DESK_APP_RETENTION_DAYS": "30"}
        proc = subprocess.Popen(
            [sys.executable, "-m", "desk_app", "sync", "run", "--json"]
            + ["--interval", "0.05", "--purge-every", "0.5"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        try:
            deadline = time.monotonic() + 30
            while not masked(client_hall, old) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert masked(client_hall, old), "not purged at start"
            later = rejected(client_hall, T)  # another old case while it runs ...
            ids = conclude_cases(client_hall, 2)  # ... and new work to send
            deadline = time.monotonic() + 30
            while not masked(client_hall, later) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert masked(client_hall, later), "not purged on the schedule"
            while {c["uuid"] for c in server.cases()} != set(ids) and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            proc.send_signal(signal.SIGTERM)
            stdout, stderr = proc.communicate(timeout=30)
    finally:
        server.stop()
    assert proc.returncode == 0, stderr
    assert json.loads(stdout) == {"sent": 2, "pending": 0, "failed": 0, "dead": 0}


def test_sync_run_exits_cleanly_on_sigint(client_hall, tmp_path):  # noqa: F811
    ids = conclude_cases(client_hall, 1)
    server = Server(f"sqlite:///{tmp_path / 'central.db'}")
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "desk_app", "sync", "run", "--interval", "30"],
            env=sync_env(client_hall, server),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        try:  # interrupted once running (its first pass delivered the case), not while starting
            deadline = time.monotonic() + 60
            while {c["uuid"] for c in server.cases()} != set(ids) and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            proc.send_signal(signal.SIGINT)
            stdout, stderr = proc.communicate(timeout=30)
    finally:
        server.stop()
    assert proc.returncode == 0, stderr
    assert stdout.startswith("sent 1, pending 0") and "Traceback" not in stderr
