#!/usr/bin/env python3
"""Smoke-test a one-folder build: run the frozen program as a hall would, then sign the folder.

    python scripts/smoke_build.py dist/desk-app-VERSION

Checks, each printed with its result (exit 1 if any fails):
- the Qt plugins and libraries the screens load are inside (platforms, text-to-speech,
  multimedia, PDF, print support, charts when the screens use them);
- the frozen ``desk-app`` runs ``db upgrade``/``db check``, ``demo seed``, ``catalog list``,
  ``ticket issue --print`` (the PDF embeds the CJK font) on a fresh SQLite hall in a temporary
  folder, nothing of the user's touched;
- every screen of ``desk-app gui --role`` renders offscreen (``--snapshot``), staff screens as the
  demo accounts; the PNGs stay in ``<folder>-smoke/`` to look at;
- start-up: ``queue status`` and ``db check`` of the frozen program against the same commands
  of the unfrozen one (``python -m desk_app``, the Python running this script), alternated run by
  run so load from elsewhere falls on both: the median ratio of 11 pairs within 1.3x;
- the folder's size against the budget (400 MB);
then writes ``SHA256SUMS`` (every file of the folder, relative paths, ``sha256sum -c`` format).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_MB = 400
START_RATIO = 1.3  # frozen start-up against unfrozen, median of START_RUNS alternated runs
START_RUNS = 11
DEVICE_ROLES = {"kiosk", "display", "evaluator", "strip"}  # no log-in; the progress wall needs one
ACCOUNTS = {"counter": "s01", "helper": "h01"}  # any other staff screen: the supervisor
PASSWORD = "Demo-1234"
# (what, glob under the folder) - any match will do; Linux and Windows names.
REQUIRED = [
    (
        "Qt platform xcb / windows",
        ["**/plugins/platforms/*qxcb*", "**/plugins/platforms/qwindows*"],
    ),
    ("Qt platform offscreen", ["**/plugins/platforms/*qoffscreen*"]),
    ("text-to-speech plugin", ["**/plugins/texttospeech/*"]),
    ("multimedia plugin", ["**/plugins/multimedia/*"]),
    ("QtPdf", ["**/*Qt6Pdf.*", "**/*Qt6Pdf.so*"]),
    ("print support", ["**/*Qt6PrintSupport*"]),
    ("image formats (PNG icons, JPEG)", ["**/plugins/imageformats/*"]),
    ("bundled CJK font", ["**/resources/fonts/*.ttf"]),
    ("catalog", ["**/resources/catalog/*"]),
    ("migrations", ["**/desk_app/store/migrations/versions/*.py"]),
]


def roles() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from desk_app.cli.gui import ROLES

    return list(ROLES)


def uses_charts() -> bool:
    return any(
        "QtCharts" in p.read_text(encoding="utf-8")
        for p in (ROOT / "desk_app" / "ui").rglob("*.py")
    )


def program(folder: Path) -> Path:
    for name in ("desk-app.exe", "desk-app"):
        if (folder / name).exists():
            return folder / name
    raise SystemExit(f"no desk-app program in {folder}")


class Smoke:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.exe = program(folder)
        self.failed: list[str] = []

    def check(self, what: str, ok: bool, detail: str = "") -> bool:
        print(f"{'ok  ' if ok else 'FAIL'} {what}{': ' + detail if detail else ''}", flush=True)
        if not ok:
            self.failed.append(what)
        return ok

    def run(self, what: str, *args: str, env: dict[str, str], expect: int = 0) -> str:
        t0 = time.perf_counter()
        done = subprocess.run(
            [str(self.exe), *args], capture_output=True, text=True, env=env, timeout=180
        )
        ms = (time.perf_counter() - t0) * 1000
        last = (done.stderr.strip().splitlines() or [""])[-1]
        self.check(
            what,
            done.returncode == expect,
            f"{ms:.0f} ms"
            + ("" if done.returncode == expect else f", exit {done.returncode}: {last}"),
        )
        return done.stdout


def start_ratio(smoke: Smoke, env: dict[str, str]) -> None:
    """Time the frozen and the unfrozen program on the same commands, alternating."""
    unfrozen = [sys.executable, "-m", "desk_app"]
    for args in (["queue", "status", "--json"], ["db", "check", "--json"]):
        times: dict[str, list[float]] = {"frozen": [], "unfrozen": []}
        for _ in range(START_RUNS):
            for kind, cmd in (("frozen", [str(smoke.exe)]), ("unfrozen", unfrozen)):
                t0 = time.perf_counter()
                subprocess.run(
                    [*cmd, *args], capture_output=True, env=env, cwd=ROOT, timeout=60, check=True
                )
                times[kind].append((time.perf_counter() - t0) * 1000)
        # Each frozen run against the unfrozen one just after it: a burst of load elsewhere
        # falls on both of a pair, so the median of the pairs' ratios is what freezing costs.
        pairs = zip(times["frozen"], times["unfrozen"], strict=True)
        ratio = statistics.median(f / u for f, u in pairs)
        frozen, plain = statistics.median(times["frozen"]), statistics.median(times["unfrozen"])
        smoke.check(
            f"start-up of {' '.join(args)} within {START_RATIO}x of unfrozen",
            ratio <= START_RATIO,
            f"{ratio:.2f}x (median of {START_RUNS} pairs; medians frozen {frozen:.0f} ms, "
            f"unfrozen {plain:.0f} ms)",
        )


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    folder = Path(argv[0]).resolve()
    smoke = Smoke(folder)
    for what, patterns in REQUIRED + ([("Qt Charts", ["**/*Qt6Charts*"])] if uses_charts() else []):
        found = next((p for pat in patterns for p in folder.glob(pat)), None)
        smoke.check(
            f"inside: {what}",
            found is not None,
            str(found.relative_to(folder)) if found else "missing",
        )

    shots = folder.parent / f"{folder.name}-smoke"
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir()
    with tempfile.TemporaryDirectory(prefix="desk-app-smoke-") as tmp:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DESK_APP_", "PYTHON", "QT_")) and k != "VIRTUAL_ENV"
        }
        env.update(
            DESK_APP_DB=f"sqlite:///{Path(tmp) / 'hall.db'}",
            XDG_DATA_HOME=str(Path(tmp) / "data"),  # the hall key and logs
            APPDATA=str(Path(tmp) / "data"),
            LOCALAPPDATA=str(Path(tmp) / "data"),
            QT_QPA_PLATFORM="offscreen",
            # A Tuesday morning: the demo hall's opening calendar lets the kiosk issue tickets.
            DESK_APP_NOW="2026-12-01T10:00:00+08:00",
        )
        smoke.run("db upgrade", "db", "upgrade", env=env)
        out = smoke.run("db check", "db", "check", "--json", env=env)
        smoke.check("db check says ok", '"ok": true' in out, out.strip())
        smoke.run("demo seed", "demo", "seed", "--days", "2", env=env)
        out = smoke.run("catalog list", "catalog", "list", "--json", env=env)
        smoke.check("catalog has the 新生儿 bundle", "新生儿" in out)
        status = smoke.run("queue status", "queue", "status", "--json", env=env)
        service = re.search(r'"code": "([^"]+)"', status)
        pdf = shots / "ticket.pdf"
        if smoke.check("a service to issue for", service is not None):
            smoke.run(
                "ticket issue --print",
                "ticket",
                "issue",
                "--service",
                service.group(1),
                "--print",
                str(pdf),
                "--json",
                env=env,
            )
            data = pdf.read_bytes() if pdf.exists() else b""
            smoke.check("ticket PDF embeds its font", b"/FontFile2" in data, f"{len(data)} bytes")
        # The statistics from the rollup (NumPy merges its histograms): the demo's two days.
        out = smoke.run(
            "stats summary from the rollup",
            "stats",
            "summary",
            "--from",
            "2026-11-29",
            "--to",
            "2026-12-01",
            "--by",
            "window",
            "--json",
            env={**env, "DESK_APP_USER": "sup01", "DESK_APP_PASSWORD": PASSWORD},
        )
        arrivals = re.search(r'"total": \{[^}]*"arrivals": (\d+)', out)
        smoke.check(
            "stats summary counts the demo's tickets",
            arrivals is not None and int(arrivals.group(1)) > 0,
            arrivals.group(0) if arrivals else out.strip()[-200:],
        )
        start_ratio(smoke, env)
        for role in roles():
            staff = (
                {}
                if role in DEVICE_ROLES
                else {"DESK_APP_USER": ACCOUNTS.get(role, "sup01"), "DESK_APP_PASSWORD": PASSWORD}
            )
            png = shots / f"{role}.png"
            smoke.run(
                f"screen {role} renders",
                "gui",
                "--role",
                role,
                "--window",
                "1",
                "--snapshot",
                str(png),
                env={**env, **staff},
            )
            smoke.check(
                f"screen {role} image",
                png.exists() and png.stat().st_size > 10_000,
                f"{png.stat().st_size if png.exists() else 0} bytes",
            )

    # Linux builds link a library's soname to its file: count each file once.
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    smoke.check(
        f"size within {BUDGET_MB} MB",
        size < BUDGET_MB * 1024 * 1024,
        f"{size / 1024 / 1024:.0f} MB",
    )
    sums = folder / "SHA256SUMS"
    lines = []
    for p in sorted(q for q in folder.rglob("*") if q.is_file() and q != sums):
        lines.append(
            f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(folder).as_posix()}\n"
        )
    sums.write_text("".join(lines), encoding="utf-8")
    print(f"wrote {sums} ({len(lines)} files); screenshots in {shots}")
    if smoke.failed:
        print(f"{len(smoke.failed)} check(s) failed: {', '.join(smoke.failed)}")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
