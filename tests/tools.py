"""External command-line tools that document tests check printed output with.

On a developer's machine a missing tool skips the test with the package to install; on CI
(``CI`` set to anything but empty/``0``/``false``) it fails, so that a green CI run always means
the documents were really checked, never silently skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

#: Debian package providing each tool (what ``.ci/run`` installs).
TOOL_PACKAGES: dict[str, str] = {
    "pdffonts": "poppler-utils",
    "pdftotext": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "zbarimg": "zbar-tools",
}


def on_ci() -> bool:
    """True when running under CI, where every check must really run."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_tool(name: str) -> str:
    """The absolute path of command ``name``; skip the test (fail on CI) when it is missing."""
    path = shutil.which(name)
    if path:
        return path
    package = TOOL_PACKAGES.get(name, name)
    reason = f"{name} not found: install it with `apt-get install -y {package}`"
    if on_ci():
        pytest.fail(f"{reason} (CI is set: document checks must not be skipped)", pytrace=False)
    pytest.skip(reason)
    raise AssertionError("unreachable")  # pytest.skip raises; this keeps type checkers happy


def run_tool(name: str, *args: str | Path, timeout: float = 60) -> str:
    """Run tool ``name`` (see :func:`require_tool`) and return its stdout as text.

    A non-zero exit fails the test with the tool's stderr, which says what was wrong.
    """
    exe = require_tool(name)
    result = subprocess.run(
        [exe, *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"{name} {' '.join(map(str, args))} exited {result.returncode}: {result.stderr.strip()}"
        )
    return result.stdout


def pdf_fonts(pdf: Path) -> list[dict[str, str]]:
    """The fonts of ``pdf`` as ``pdffonts`` lists them: name, type, emb, sub, uni per font."""
    lines = run_tool("pdffonts", pdf).splitlines()
    # Columns are fixed-width, given by the dashes line; names and types may contain spaces.
    dashes = lines[1]
    spans: list[tuple[int, int]] = []
    start = 0
    for part in dashes.split(" "):
        spans.append((start, start + len(part)))
        start += len(part) + 1
    header = [lines[0][a:b].strip().lower() for a, b in spans]
    return [
        {key: line[a:b].strip() for key, (a, b) in zip(header, spans, strict=True)}
        for line in lines[2:]
    ]


def pdf_text(pdf: Path) -> str:
    """The text of ``pdf`` (``pdftotext``, reading order, UTF-8)."""
    return run_tool("pdftotext", "-enc", "UTF-8", pdf, "-")


def pdf_to_png(pdf: Path, out_dir: Path, dpi: int = 300) -> list[Path]:
    """Render every page of ``pdf`` to PNG files in ``out_dir`` and return them in page order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    prefix = out_dir / pdf.stem
    run_tool("pdftoppm", "-r", str(dpi), "-png", pdf, prefix)
    return sorted(out_dir.glob(f"{pdf.stem}-*.png"))


def decode_qr(png: Path) -> list[str]:
    """The QR/bar codes zbarimg finds in ``png``, one decoded text per code."""
    exe = require_tool("zbarimg")
    # zbarimg exits 4 when it finds no code: that is an answer (empty list), not an error.
    result = subprocess.run(
        [exe, "--raw", "-q", str(png)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    if result.returncode not in (0, 4):
        pytest.fail(f"zbarimg {png} exited {result.returncode}: {result.stderr!r}")
    # --raw prints each code's text alone on a line (no "QR-Code:" prefix).
    text = result.stdout.decode("utf-8")
    return [line for line in text.split("\n") if line]


def _admin():
    from desk_app.security.roles import Actor, Role

    return Actor(staff_id=None, code="tester", role=Role.ADMIN)


# The acting person of tests that exercise rules rather than permissions.
ADMIN = _admin()


def add_staff(db, code: str, name: str, role: str = "counter"):  # type: ignore[no-untyped-def]
    """A staff account as the hall makes one (services.accounts, audited; a temporary
    password nobody uses): tests that only need someone to sit at a window."""
    from desk_app.services.accounts import staff as accounts

    return accounts.create_account(db, code, name, role)


def kill_backend(url: str, pid: int) -> None:
    """End a PostgreSQL server process (a connection the server dropped), from another one."""
    from sqlalchemy import text

    from desk_app.store import Database

    killer = Database(url)
    with killer.engine.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
    killer.dispose()
