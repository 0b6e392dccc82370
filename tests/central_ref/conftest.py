"""Fixtures for the reference central backend: an in-process client and a real server process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "t1"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
AUDITOR_TOKEN = "audit-7f3a"
AUDITOR = {"Authorization": f"Bearer {AUDITOR_TOKEN}"}
STARTUP_TIMEOUT_S = 15.0  # importing FastAPI on a loaded CI machine; normally well under 1 s


def make_case(**overrides: Any) -> dict[str, Any]:
    """A valid uploaded case with a fresh UUID."""
    case: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "case_no": "NB-20250301-0007",
        "concluded_at": "2025-03-01T09:30:00+08:00",
        "payload": {"bundle": "newborn", "items": ["birth", "hukou"], "applicant": "王芳"},
    }
    case.update(overrides)
    return case


def _client(url: str) -> Iterator[Any]:
    from starlette.testclient import TestClient

    from central_ref.app import create_app

    app = create_app(
        url,
        {TOKEN, "ws02=t2", "hall-a/pc1=t4", "hall-a/pc2=t5"},
        auditor_tokens=[AUDITOR_TOKEN],
    )
    with TestClient(app) as test_client:
        yield test_client
    app.state.store.dispose()


@pytest.fixture
def client(db_url: str) -> Iterator[Any]:
    """A TestClient on a fresh store (SQLite, and PostgreSQL when DESK_APP_TEST_PG is set)."""
    yield from _client(db_url)


@pytest.fixture
def sqlite_client(sqlite_url: str) -> Iterator[Any]:
    """A TestClient on a fresh SQLite store (rules that do not depend on the database)."""
    yield from _client(sqlite_url)


@dataclass
class Server:
    """A running ``central-ref serve`` subprocess."""

    process: subprocess.Popen[bytes]
    url: str
    stderr_path: Path
    extra: dict[str, Any] = field(default_factory=dict)

    def log(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start real servers (``python -m central_ref serve``); all are stopped at teardown."""
    processes: list[subprocess.Popen[bytes]] = []

    def start(*args: str, db: str | None = None, port: int = 0, token: str = TOKEN) -> Server:
        db = db or f"sqlite:///{tmp_path / 'c.db'}"
        n = len(processes)
        out_path, err_path = tmp_path / f"server{n}.out", tmp_path / f"server{n}.err"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "central_ref", "serve", "--host", "127.0.0.1"]
        command += ["--port", str(port), "--db", db, "--token", token, *args]
        with out_path.open("wb") as out, err_path.open("wb") as err:
            process = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT, env=env)
        processes.append(process)
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        url = None
        while time.monotonic() < deadline:  # bounded: the ready line, then the health check
            if process.poll() is not None:
                pytest.fail(f"server exited {process.returncode}: {err_path.read_text()}")
            if url is None:
                first = out_path.read_text(encoding="utf-8").split("\n", 1)
                if len(first) == 2:
                    url = json.loads(first[0])["url"]
            if url is not None:
                try:
                    if requests.get(f"{url}/api/v1/health", timeout=1).ok:
                        return Server(process, url, err_path)
                except requests.ConnectionError:
                    pass
            time.sleep(0.05)
        pytest.fail(f"server did not start in {STARTUP_TIMEOUT_S} s: {err_path.read_text()}")

    yield start
    for process in processes:
        _stop(process)
