"""A resident command agent for call-pads, kiosks and scripts that run ``desk-app`` often.

Starting Python and importing SQLAlchemy costs most of a second on a hall PC; the work of
``ticket issue`` or ``call next`` is a few milliseconds. ``desk-app agent serve`` keeps one
process warm on 127.0.0.1; with ``DESK_APP_AGENT=127.0.0.1:PORT`` set, ``desk-app`` hands its
arguments to it (stdlib only, nothing heavy imported) and prints what the agent answers, with
the same exit status. When the agent is not running the command runs in-process as before.
Commands run one at a time in the agent, in arrival order, each as its own unit of work.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import socketserver
import sys
import threading
from collections.abc import Sequence

CONNECT_TIMEOUT_S = 0.3
ANSWER_TIMEOUT_S = 60.0
_lock = threading.Lock()


def forward(argv: Sequence[str], address: str) -> int | None:
    """Run ``argv`` in the agent at ``address`` (host:port); None when it is not reachable."""
    host, _, port = address.rpartition(":")
    try:
        conn = socket.create_connection((host or "127.0.0.1", int(port)), CONNECT_TIMEOUT_S)
    except (OSError, ValueError):
        return None
    with conn:
        conn.settimeout(ANSWER_TIMEOUT_S)
        env = {k: v for k, v in os.environ.items() if k.startswith("DESK_APP_")}
        conn.sendall(json.dumps({"argv": list(argv), "env": env}).encode() + b"\n")
        data = b""
        while not data.endswith(b"\n"):
            chunk = conn.recv(65536)
            if not chunk:
                return None  # the agent died mid-way; nothing was answered
            data += chunk
    answer = json.loads(data)
    sys.stdout.write(answer["stdout"])
    sys.stderr.write(answer["stderr"])
    return int(answer["code"])


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        line = self.rfile.readline()
        if not line:
            return
        request = json.loads(line)
        out, err = io.StringIO(), io.StringIO()
        from desk_app.cli import main

        with (
            _lock,
            _env(request.get("env", {})),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            try:
                code = main(request["argv"])
            except SystemExit as exc:  # e.g. "gui", which the agent does not run
                code = int(exc.code or 0)
        answer = {"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}
        self.wfile.write(json.dumps(answer).encode() + b"\n")


@contextlib.contextmanager
def _env(values: dict[str, str]):  # type: ignore[no-untyped-def]
    """The caller's DESK_APP_* settings for the duration of one command (``--db`` defaults)."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("DESK_APP_")}
    for k in saved:
        os.environ.pop(k)
    os.environ.update({k: v for k, v in values.items() if k != "DESK_APP_AGENT"})
    try:
        yield
    finally:
        for k in [k for k in os.environ if k.startswith("DESK_APP_")]:
            os.environ.pop(k)
        os.environ.update(saved)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(port: int) -> None:
    """Serve on 127.0.0.1:``port`` until interrupted; prints the address when listening."""
    import desk_app.services.queue  # noqa: F401 - warm the imports before the first caller

    with _Server(("127.0.0.1", port), _Handler) as server:
        host, real_port = server.server_address[:2]
        print(json.dumps({"agent": f"{host}:{real_port}", "pid": os.getpid()}), flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
