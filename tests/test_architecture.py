"""The core imports no Qt; headless commands start without it."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import desk_app

ROOT = Path(__file__).resolve().parent.parent
CORE = [
    "desk_app.domain",
    "desk_app.security",
    "desk_app.store",
    "desk_app.services",
    "desk_app.sync",
    "printing",
]


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
    assert "desk_app.services.queue.operations" in modules and "desk_app.store.models" in modules
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


# -- the house rules of the structure ---------------------------------------------------------

MAX_LINES = 500
PACKAGE_ROOTS = ["desk_app", "printing", "central_ref"]
# What the screens may take from the store: the database handle and the errors it raises.
UI_MAY_IMPORT_FROM_STORE = {"Database", "DatabaseUnavailable", "SchemaTooNew"}


def _sources(*roots: str) -> list[Path]:
    return sorted(
        p for root in roots for p in (ROOT / root).rglob("*.py") if "migrations" not in p.parts
    )


def _imports_from(path: Path) -> list[tuple[str, str]]:
    """(module, name) of every ``from module import name`` in the file, nested ones too."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.module or "", alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    ]


def test_no_module_imports_another_modules_private_names():
    offenders = [
        f"{p.relative_to(ROOT)}: from {module} import {name}"
        for p in _sources(*PACKAGE_ROOTS, "tests", "bench", "scripts")
        for module, name in _imports_from(p)
        if name.startswith("_") and not name.startswith("__")
    ]
    assert offenders == []


def test_ui_takes_only_the_database_handle_and_its_errors_from_the_store():
    offenders = [
        f"{p.relative_to(ROOT)}: from {module} import {name}"
        for p in _sources("desk_app/ui")
        for module, name in _imports_from(p)
        if module.startswith("desk_app.store") and name not in UI_MAY_IMPORT_FROM_STORE
    ]
    assert offenders == []


def test_no_module_is_over_the_line_limit():
    too_long = {
        str(p.relative_to(ROOT)): n
        for p in _sources("desk_app")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}


def test_the_readme_layout_names_every_top_level_folder_and_package():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout") :].split("\n## ", 1)[0]
    tracked = subprocess.run(
        ["git", "ls-files"], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.split()
    top = {f.split("/")[0] for f in tracked if "/" in f and not f.startswith(".")}
    packages = {
        "desk_app/" + f.split("/")[1]
        for f in tracked
        if f.startswith("desk_app/") and f.count("/") >= 2
    }
    missing = sorted(
        name for name in top | packages if f"`{name}/`" not in layout and f"`{name}`" not in layout
    )
    assert missing == []
