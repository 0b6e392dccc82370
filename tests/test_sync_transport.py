"""Sync talks plain http only to this machine, and its token never shows in a message or log."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from desk_app.sync import outbox
from desk_app.sync.client import CentralClient, CentralError, CentralRejected
from desk_app.sync.config import SyncConfig, SyncConfigError, check_url
from desk_app.sync.loop import SyncLoop
from tests.test_sync_outbox import conclude_cases, hall_db  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
SECRET = "tok-5e3fA9-never-shown"


@pytest.mark.parametrize(
    "url",
    [
        "https://central.example/",
        "https://10.0.0.7:8443",
        "http://127.0.0.1:8000",
        "http://127.5.5.5/",
        "http://[::1]:9000/",
        "http://localhost:8000",
        "HTTP://LOCALHOST",
    ],
)
def test_https_anywhere_and_http_to_loopback_are_accepted(url):
    assert check_url(url) == url
    CentralClient(SyncConfig(url, SECRET))


@pytest.mark.parametrize(
    "url",
    [
        "http://192.0.2.1/",
        "http://central.example",
        "http://127.0.0.1.example.com/",
        "http://localhost.evil.example/",
        "http://[::2]/",
        "ftp://127.0.0.1/",
        "central.example/api",
        "https://user:pw@central.example/",
    ],
)
def test_plain_http_elsewhere_and_odd_urls_are_refused(url):
    with pytest.raises(SyncConfigError) as info:
        CentralClient(SyncConfig(url, SECRET))
    assert "pw" not in str(info.value) and SECRET not in str(info.value)


@pytest.mark.parametrize("args", [["--once"], []])
def test_cli_refuses_remote_http_with_one_line_and_writes_nothing(tmp_path, args):
    db = tmp_path / "hall.db"
    env = {
        "PATH": "/usr/bin:/bin",
        "DESK_APP_DB": f"sqlite:///{db}",
        "DESK_APP_CENTRAL_URL": "http://192.0.2.1/",
        "DESK_APP_CENTRAL_TOKEN": SECRET,
    }
    out = subprocess.run(
        [sys.executable, "-m", "desk_app", "sync", "run", *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=30,
    )
    assert out.returncode == 2 and out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1 and "https" in out.stderr
    assert SECRET not in out.stderr and not db.exists()


def test_config_and_client_repr_hide_the_token():
    config = SyncConfig("https://central.example", SECRET)
    for text in (repr(config), str(config), repr(CentralClient(config))):
        assert SECRET not in text and "***" in text


class Echo(BaseHTTPRequestHandler):
    """A backend (or proxy) that answers with the request's Authorization header in the body."""

    status = 500

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = f"bad request from {self.headers.get('Authorization')}".encode()
        self.send_response(self.status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def echo():
    servers = []

    def start(status: int) -> str:
        handler = type("E", (Echo,), {"status": status})
        server = HTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for s in servers:
        s.shutdown()
        s.server_close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _assert_clean(hall, caplog, *texts: str) -> None:
    st = outbox.status(hall)
    dead = outbox.dead_letters(hall)
    seen = [caplog.text, repr(st), *(repr(d) for d in dead), *texts]
    assert not [t for t in seen if SECRET in t]


@pytest.mark.parametrize("status", [500, 400, 401])
def test_token_never_in_messages_or_logs_of_a_failing_sync(hall_db, echo, caplog, status):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    conclude_cases(hall_db, 1)
    client = CentralClient(SyncConfig(echo(status), SECRET, backoff_base_s=0, backoff_max_s=0))
    loop = SyncLoop(hall_db, client, interval_s=0.01)
    texts = []
    for _ in range(5):  # enough failed batches to isolate the case and PUT it alone
        try:
            outbox.run_once(hall_db, client)
        except CentralError as exc:
            texts += [str(exc), repr(exc)]
        try:
            client.upload_one({"uuid": "00000000-0000-0000-0000-000000000000"})
        except (CentralError, CentralRejected) as exc:
            texts += [str(exc), repr(exc)]
    if status == 401:
        texts.append(str(loop.run()))
    assert texts or status == 500
    _assert_clean(hall_db, caplog, *texts)
    if status == 400:  # the scrubbed body still says what happened
        assert "bad request from Bearer ***" in outbox.status(hall_db).last_error


def test_token_never_in_messages_when_the_backend_is_unreachable(hall_db, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    conclude_cases(hall_db, 1)
    client = CentralClient(SyncConfig(f"http://127.0.0.1:{_closed_port()}", SECRET))
    report = outbox.run_once(hall_db, client)
    assert report.failed == 1
    with pytest.raises(CentralError) as info:
        client.upload_one({"uuid": "x"})
    assert "Connection" in str(info.value)
    _assert_clean(hall_db, caplog, str(info.value), repr(info.value))


def test_token_never_on_stderr_of_a_failing_sync_run(tmp_path, echo):
    for url in (echo(401), echo(500), f"http://127.0.0.1:{_closed_port()}"):
        env = {
            "PATH": "/usr/bin:/bin",
            "DESK_APP_DB": f"sqlite:///{tmp_path / 'hall.db'}",
            "DESK_APP_CENTRAL_URL": url,
            "DESK_APP_CENTRAL_TOKEN": SECRET,
        }
        out = subprocess.run(
            [sys.executable, "-m", "desk_app", "sync", "reconcile", "--since", "2026-01-01"],
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
        assert out.returncode != 0 and out.stderr.strip()
        assert SECRET not in out.stderr + out.stdout
        assert "unexpected error" not in out.stderr  # the platform is away, and it says so
