"""The dependency direction, checked by walking every module's imports.

Every module under ``desktop/`` belongs to one layer and may import only the
layers its rule allows. Imports inside functions count the same as those at
the top of a module: they run too, only later (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "desktop"
QT = ("PySide6", "pyqtgraph", "shiboken6")
SQL = ("sqlalchemy", "alembic")

# Small shared modules every layer may use: the version, the data folder, atomic
# files, the error log, the collector's pause. They are pure Python over the domain
# (checked below).
BASE = {"desktop", "desktop.paths", "desktop.files", "desktop.error_log", "desktop.collector"}
# Where everything is wired together; free to import any layer.
ENTRY = {"desktop.app", "desktop.__main__", "desktop.launcher"}

# layer -> (the project layers it may import, third-party top-level names it must not)
RULES: dict[str, tuple[set[str], tuple[str, ...]]] = {
    "domain": ({"domain"}, ()),  # and only the standard library: see _offenders
    "base": ({"base", "domain"}, (*QT, *SQL, "openpyxl")),
    "store": ({"store", "domain", "base"}, (*QT, "openpyxl")),
    "workbooks": ({"workbooks", "domain", "base"}, (*QT, *SQL)),
    "services": ({"services", "store", "workbooks", "domain", "base"}, (*QT, "openpyxl")),
    "ui": ({"ui", "services", "domain", "base"}, (*SQL, "openpyxl")),
    # desktop.launcher is the CLI's one door to the window (see the Qt test below).
    "cli": ({"cli", "services", "store", "workbooks", "domain", "base", "launcher"}, QT),
    "entry": ({"entry", "launcher", "cli", "ui", "services", "domain", "base"}, SQL),
}


def _module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _all_modules(root: Path = PACKAGE) -> dict[str, Path]:
    return {_module_name(p, root): p for p in sorted(root.rglob("*.py"))}


def layer_of(module: str) -> str | None:
    if module == "desktop.launcher":
        return "launcher"
    if module in ENTRY:
        return "entry"
    if module in BASE:
        return "base"
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in ("domain", "store", "workbooks", "services", "ui", "cli"):
        return parts[1]
    return None


def _is_type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(module: str, path: Path, *, type_checking: bool = True) -> set[str]:
    """Every name the module imports, at any depth of its code, relative imports
    resolved; ``from a import b`` gives both ``a`` and ``a.b`` (b may be a module)."""
    names: set[str] = set()
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]

    def visit(node: ast.AST) -> None:
        if not type_checking and _is_type_checking(node):
            for inner in node.orelse:  # type: ignore[attr-defined]
                visit(inner)
            return
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            names.add(source)
            names.update(f"{source}.{a.name}" for a in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return names


def _offenders() -> list[str]:
    modules = _all_modules()
    out = []
    for module, path in modules.items():
        layer = layer_of(module)
        if layer == "launcher":  # module level: nothing of the project; it only runs the app
            allowed, forbidden = {"entry"}, QT
        else:
            allowed, forbidden = RULES[layer]  # type: ignore[index]
        for name in _imports(module, path):
            top = name.split(".")[0]
            if top == "desktop":
                target = layer_of(name) if name in modules else None
                if target is not None and target not in allowed:
                    out.append(f"{module} ({layer}) imports {name} ({target})")
            elif top in forbidden or (layer == "domain" and top not in sys.stdlib_module_names):
                out.append(f"{module} ({layer}) imports {name}")
    return out


def test_every_module_has_a_layer():
    modules = _all_modules()
    assert len(modules) > 100
    assert [m for m in modules if layer_of(m) is None] == []
    for layer in (*RULES, "launcher"):
        assert any(layer_of(m) == layer for m in modules), layer
    assert {layer_of(m) for m in modules if m.startswith("desktop.cli")} == {"cli"}


def test_layer_imports():
    """domain pure Python; store and workbooks over the domain only; services over
    domain, store and workbooks (xlsx formats stay in workbooks); ui over services
    and domain types, never SQL or a workbook; the CLI never Qt."""
    assert _offenders() == []


def test_the_layer_check_sees_imports_inside_functions(tmp_path: Path):
    fake = tmp_path / "desktop" / "ui" / "late.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("def f():\n    from ..store import database\n    import sqlalchemy\n")
    names = _imports("desktop.ui.late", fake)
    assert {"desktop.store", "desktop.store.database", "sqlalchemy"} <= names


def test_the_cli_reaches_qt_only_through_the_launcher():
    """Following every import (function-level ones too) from every CLI module, Qt is
    reached only through desktop.launcher, which the CLI calls to open the window."""
    modules = _all_modules()
    graph = _import_graph()
    seen: set[str] = set()
    todo = [m for m in modules if layer_of(m) == "cli"]
    while todo:
        module = todo.pop()
        if module in seen or module == "desktop.launcher":
            continue
        seen.add(module)
        todo.extend(graph[module])
    with_qt = [
        m
        for m in sorted(seen)
        if any(n.split(".")[0] in QT for n in _imports(m, modules[m], type_checking=False))
    ]
    assert with_qt == []
    assert "desktop.services.editing" in seen  # the walk went somewhere


def _import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module → the package's modules it imports, at any depth of the code.

    Imports under ``if TYPE_CHECKING:`` are left out: that code never runs, so it
    cannot take part in a cycle at import time, and naming a type for annotations
    there is the standard way to keep the direction (the layer check above still
    counts them). The implicit import of a module's parent package is left out too:
    a package's ``__init__`` importing its own submodules is not a cycle.
    """
    modules = _all_modules(root)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = _imports(name, path, type_checking=False)
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_no_import_cycles():
    """No module of desktop imports one that imports it back, directly or round a
    longer loop (there were cli.py <-> cli_hq.py / cli_workbooks.py,
    services/editing.py <-> services/locks.py, workbooks/print_sheets.py <->
    writer.py; a shared module or a type moved to the domain ended each)."""
    graph = _import_graph()
    assert len(graph) > 100
    assert sum(len(targets) for targets in graph.values()) > 300
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_cycle_finder_finds_one():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_cycle_check_finds_a_cycle_through_a_late_import(tmp_path: Path):
    """A package whose only loop runs through an import inside a function and a
    relative import is caught; the same loop under TYPE_CHECKING is not a cycle."""
    pkg = tmp_path / "desktop"
    (pkg / "services").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "services" / "__init__.py").write_text("")
    (pkg / "services" / "editing.py").write_text("from . import locks\n")
    (pkg / "services" / "locks.py").write_text(
        "def guard():\n    from desktop.services.editing import ReportRef\n"
    )
    cycle = _cycle(_import_graph(pkg))
    assert cycle is not None and set(cycle) == {
        "desktop.services.editing",
        "desktop.services.locks",
    }
    (pkg / "services" / "locks.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from desktop.services.editing import ReportRef\n"
    )
    assert _cycle(_import_graph(pkg)) is None


def test_cli_does_not_load_qt_at_run_time(tmp_path):
    """Every module of the command-line package loaded and a command run: no Qt."""
    import subprocess

    code = "import sys, desktop.cli; desktop.cli.main(['--version'])"
    result = subprocess.run([sys.executable, "-c", code + "\n"], capture_output=True, text=True)
    assert "PlanDesk" in result.stdout
    probe = (
        "import importlib, pkgutil, sys, desktop.cli\n"
        "for m in pkgutil.walk_packages(desktop.cli.__path__, 'desktop.cli.'):\n"
        "    importlib.import_module(m.name)\n"
        f"assert desktop.cli.main(['init', '--db', {str(tmp_path / 'x.sqlite3')!r}]) == 0\n"
        "print([m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))])"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr
