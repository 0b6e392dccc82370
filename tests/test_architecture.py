"""The core imports no Qt; headless commands start without it."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import desk_app

ROOT = Path(__file__).resolve().parent.parent
CORE = ["desk_app.domain", "desk_app.store", "desk_app.services", "desk_app.sync", "printing"]


def _core_modules() -> list[str]:
    names = []
    for pkg in CORE:
        module = __import__(pkg, fromlist=["_"])
        names.append(pkg)
        for info in pkgutil.walk_packages(module.__path__, prefix=pkg + "."):
            if ".migrations" in info.name:
                continue  # Alembic's env.py runs only inside a migration
            names.append(info.name)
    return names


def test_core_imports_with_pyside6_blocked():
    modules = _core_modules()
    assert "desk_app.services.queue" in modules and "desk_app.store.models" in modules
    code = (
        "import sys\n"
        "sys.modules['PySide6'] = None  # any 'import PySide6...' now raises ImportError\n"
        f"for name in {modules!r}:\n"
        "    __import__(name)\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_headless_command_does_not_load_qt(tmp_path):
    code = (
        "import sys\n"
        "from desk_app.cli import main\n"
        f"rc = main(['--db', 'sqlite:///{tmp_path / 'h.db'}', 'queue', 'status', '--json'])\n"
        "assert rc == 0, rc\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_version_is_the_projects():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{desk_app.__version__}"' in text
