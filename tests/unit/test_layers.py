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
        ("cli.py", (*QT, "desktop.ui", "desktop.app")),
        # The error log serves the store, the CLI and the app alike: nothing heavy in it.
        (
            "error_log.py",
            (*QT, "sqlalchemy", "desktop.store", "desktop.services", "desktop.ui", "desktop.app"),
        ),
    ],
)
def test_layer_imports(sub, forbidden):
    assert _offenders(sub, forbidden) == []


def test_cli_does_not_load_qt_at_run_time():
    import subprocess
    import sys

    code = "import sys, desktop.cli; desktop.cli.main(['--version'])"
    result = subprocess.run([sys.executable, "-c", code + "\n"], capture_output=True, text=True)
    assert "PlanDesk" in result.stdout
    probe = "import sys, desktop.cli; print([m for m in sys.modules if m.startswith('PySide6')])"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr
