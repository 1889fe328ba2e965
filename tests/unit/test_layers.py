"""The dependency direction, checked by walking every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "desktop"
QT = ("PySide6", "pyqtgraph", "shiboken6")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(sub: str) -> list[Path]:
    return sorted((PACKAGE / sub).rglob("*.py")) if (PACKAGE / sub).is_dir() else [PACKAGE / sub]


def _offenders(sub: str, forbidden: tuple[str, ...]) -> list[str]:
    out = []
    for path in _modules(sub):
        for name in _imports(path):
            if name.split(".")[0] in forbidden or name.startswith(forbidden):
                out.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    return out


@pytest.mark.parametrize(
    ("sub", "forbidden"),
    [
        (
            "domain",
            (
                *QT,
                "sqlalchemy",
                "alembic",
                "openpyxl",
                "desktop.store",
                "desktop.services",
                "desktop.workbooks",
                "desktop.ui",
                "desktop.cli",
                "desktop.app",
            ),
        ),
        ("store", (*QT, "openpyxl", "desktop.services", "desktop.workbooks", "desktop.ui")),
        ("workbooks", (*QT, "sqlalchemy", "desktop.store", "desktop.services", "desktop.ui")),
        ("services", (*QT, "desktop.ui", "desktop.app")),
        ("ui", ("sqlalchemy", "alembic", "desktop.store")),
        # The error log serves the store, the CLI and the app alike: nothing heavy in it.
        (
            "error_log.py",
            (*QT, "sqlalchemy", "desktop.store", "desktop.services", "desktop.ui", "desktop.app"),
        ),
    ],
)
def test_layer_imports(sub, forbidden):
    assert _modules(sub), sub
    assert _offenders(sub, forbidden) == []


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph(sub: str) -> dict[str, set[str]]:
    """Module → the modules of the same subpackage it imports, at any depth of the
    code (imports inside functions count: they run, later)."""
    modules = {_module_name(p): p for p in _modules(sub)}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets.add(node.module)
                targets.update(f"{node.module}.{a.name}" for a in node.names)
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


@pytest.mark.parametrize("sub", ["cli", "workbooks"])
def test_no_import_cycles(sub):
    """No module imports one that imports it back (the CLI package once had
    cli.py <-> cli_hq.py / cli_workbooks.py; the workbooks page_render.py <->
    writer.py, for put_text)."""
    graph = _import_graph(sub)
    assert len(graph) > 1
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_cycle_finder_finds_one():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_cli_does_not_load_qt_at_run_time(tmp_path):
    """Every module of the command-line package loaded and a command run: no Qt."""
    import subprocess
    import sys

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
