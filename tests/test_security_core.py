"""desk_app.security is core: it imports no Qt and no database layer (tests/test_architecture.py
covers the other core packages)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import desk_app.security

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 400


def _modules() -> list[str]:
    return ["desk_app.security"] + [
        info.name
        for info in pkgutil.walk_packages(desk_app.security.__path__, prefix="desk_app.security.")
    ]


def test_security_imports_with_qt_and_sqlalchemy_blocked():
    modules = _modules()
    assert {"desk_app.security.crypto", "desk_app.security.roles"} <= set(modules)
    code = (
        "import sys\n"
        "sys.modules['PySide6'] = None\n"
        "sys.modules['sqlalchemy'] = None\n"
        f"for name in {modules!r}:\n"
        "    __import__(name)\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_modules_stay_small():
    for path in Path(desk_app.security.__file__).parent.glob("*.py"):
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines < MAX_LINES, f"{path.name}: {lines} lines"
