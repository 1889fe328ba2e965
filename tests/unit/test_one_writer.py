"""One writer per kind of row, one place for the audit key formats, no private
helpers borrowed across modules — read from the code (issue 13, item 2).

Typing (services.editing) and a workbook import (services.import_apply) once
wrote the same rows with writers of their own, each building the audit keys
with its own f-string and the import borrowing editing's private check.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "desktop"
ROW_WRITER = PACKAGE / "services" / "edit_scope.py"
REPORT_ROWS = ("EntryRow", "MeasurementRow", "KpiMonthlyRow")
KEY_BUILDERS = PACKAGE / "store" / "audit.py"


def _modules(*subs: str) -> list[Path]:
    return sorted(p for sub in subs for p in (PACKAGE / sub).rglob("*.py"))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(PACKAGE.parent)}:{getattr(node, 'lineno', '?')}"


def test_report_rows_are_created_by_the_edit_scope_alone():
    """Entry, figure and monthly rows of a report: only the edit scope makes them."""
    offenders = []
    for path in _modules("services"):
        if path == ROW_WRITER:
            continue
        for node in ast.walk(_tree(path)):
            called = node.func if isinstance(node, ast.Call) else None
            if isinstance(called, ast.Name) and called.id in REPORT_ROWS:
                offenders.append(f"{_where(path, node)} makes a {called.id}")
    assert offenders == []


def _slash_key(node: ast.AST) -> bool:
    """An f-string made of values joined by "/" only: "{a}/{b}/{c}" — a key format."""
    if not isinstance(node, ast.JoinedStr) or len(node.values) < 3:
        return False
    separators = [p.value for p in node.values if isinstance(p, ast.Constant)]
    return bool(separators) and all(s == "/" for s in separators)


def test_audit_keys_are_built_in_one_place():
    """Every "13/2024/midyear/1.II.2"-style key comes from store/audit.py's builders."""
    offenders = [
        _where(path, node)
        for path in _modules("services", "store")
        if path != KEY_BUILDERS
        for node in ast.walk(_tree(path))
        if _slash_key(node)
    ]
    assert offenders == []


def test_the_key_check_finds_a_key_format():
    assert _slash_key(ast.parse('f"{ref.key}/{node_key}"', mode="eval").body)
    assert not _slash_key(ast.parse('f"{a} / {b}"', mode="eval").body)
    assert not _slash_key(ast.parse('f"{name}.xlsx"', mode="eval").body)


def test_no_private_helper_is_imported_from_another_module():
    offenders = []
    for path in _modules("services", "ui", "cli"):
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("desktop"):
                private = [
                    a.name
                    for a in node.names
                    if a.name.startswith("_") and not a.name.endswith("__")
                ]
                if private:
                    offenders.append(f"{_where(path, node)} imports {private} from {node.module}")
    assert offenders == []
