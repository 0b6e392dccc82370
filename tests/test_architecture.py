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


# -- layers, circles and rooms ------------------------------------------------------------------

# Low to high: a module may import from its own layer and the ones before it, never after.
LAYERS = [
    ("desk_app.paths",),
    ("desk_app.domain",),
    ("desk_app.security",),
    ("desk_app.store",),
    ("printing",),
    ("desk_app.services",),
    ("desk_app.sync",),
    ("desk_app.ui",),
    ("desk_app.cli",),
    ("desk_app.__main__", "desk_app"),
]
# Folders whose modules live in capability packages, never loose beside them.
ROOMS = ["desk_app/services", "desk_app/ui"]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph() -> dict[str, set[str]]:
    """Every application module and the application modules it imports, function-level imports
    included (a circle through a lazy import is still a circle); imports only a type checker
    reads (``if TYPE_CHECKING:``) are left out."""
    import ast

    files = {_module_name(p): p for root in ("desk_app", "printing") for p in _sources(root)}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(n)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
            for stmt in node.body
            for n in ast.walk(stmt)
        }
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        targets: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name in files}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    if full in files:
                        targets.add(full)
                    elif base in files:
                        targets.add(base)
        graph[name] = targets - {name}
    return graph


def _layer(module: str) -> int:
    for rank, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_circles_between_modules():
    graph = _import_graph()
    assert len(graph) > 150 and "desk_app.services.queue.operations" in graph
    assert _circles(graph) == []


def test_the_circle_finder_finds_a_circle():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _circles({"a": {"b"}, "b": set()}) == []


def test_no_import_runs_up_the_layers():
    graph = _import_graph()
    upward = sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        for target in targets
        if _layer(target) > _layer(module)
    )
    assert upward == []


def test_migrations_take_nothing_from_the_services_or_above():
    """A migration must do the same thing forever: a later change to a service cannot reach it."""
    offenders = [
        f"{p.relative_to(ROOT)}: {module}"
        for p in sorted((ROOT / "desk_app" / "store" / "migrations").rglob("*.py"))
        for module, _name in _imports_from(p)
        if module.startswith(("desk_app.services", "desk_app.sync", "desk_app.ui", "desk_app.cli"))
    ]
    assert offenders == []


def test_services_and_screens_live_in_capability_packages():
    loose = sorted(
        str(p.relative_to(ROOT))
        for room in ROOMS
        for p in (ROOT / room).glob("*.py")
        if p.name != "__init__.py"
    )
    assert loose == []
    for room in ROOMS:
        for package in sorted(q for q in (ROOT / room).iterdir() if q.is_dir()):
            if package.name == "__pycache__":
                continue
            init = package / "__init__.py"
            assert init.exists(), f"{package.relative_to(ROOT)} is not a package"
            doc = ast_docstring(init)
            assert doc and doc.count(". ") == 0 and doc.endswith("."), (
                f"{init.relative_to(ROOT)}: say in one sentence what the package holds"
            )
            assert not any(package.glob("*/")) or all(
                d.name == "__pycache__" for d in package.iterdir() if d.is_dir()
            ), f"{package.relative_to(ROOT)}: one level of packages is enough"


def ast_docstring(path: Path) -> str | None:
    import ast

    return ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))


# Attributes that carry a state the domain owns as an enum (TicketState, WindowState,
# AppointmentState, SessionState, CaseState ...) or a mode (AssistMode).
STATE_NAMES = ("state", "mode")


def _state_literals_compared(tree) -> list[str]:  # type: ignore[no-untyped-def]
    import ast

    def is_text(node: ast.expr) -> bool:
        if isinstance(node, ast.Constant):
            return isinstance(node.value, str)
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            return any(is_text(e) for e in node.elts)
        return False

    def names_state(node: ast.expr) -> bool:
        leaf = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
        if isinstance(node, ast.Call):
            return names_state(node.func)
        return any(leaf == n or leaf.endswith("_" + n) for n in STATE_NAMES)

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(is_text(s) for s in sides) and any(names_state(s) for s in sides):
                found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def test_screens_compare_the_domains_enums_not_state_strings():
    import ast

    offenders = [
        f"{p.relative_to(ROOT)}:{line}"
        for p in _sources("desk_app/ui")
        for line in _state_literals_compared(ast.parse(p.read_text(encoding="utf-8")))
    ]
    assert offenders == []


def test_the_state_literal_check_sees_what_it_must():
    import ast

    bad = ast.parse(
        "a = b.state == 'open'\nc = s.current_state in ('called', 'x')\nd = v.mode != 'proxy'\n"
        "e = self.state() == 'full'\n"
    )
    good = ast.parse("a = b.state == WindowState.OPEN\nk = kind == 'csv'\n")
    assert len(_state_literals_compared(bad)) == 4
    assert _state_literals_compared(good) == []
