"""The tests themselves: they cannot race, share helpers through helper modules, and
observe behaviour instead of private state (issue 13, item 6).

Every Python file under tests/ is parsed (not run) and checked for
- a fixed wait: ``time.sleep``, ``qtbot.wait(<n>)``, ``QTest.qWait``, ``QTimer.singleShot``
  with a delay other than 0 — wait for a condition (``qtbot.waitUntil``,
  ``qtbot.waitSignal``, tests/helpers/waiting.py) instead;
- an import from another test module (``tests.<folder>.test_*``) — shared helpers live
  in conftest.py, tests/helpers/ or a folder's helpers.py;
- private names of other objects (``widget._state``, ``from desktop.x import _helper``)
  — observe what a person or a caller can, or give the class a small public read-only
  way to ask. The few exceptions below say why there is none.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]

# File (relative to tests/) → why it may sleep.
MAY_SLEEP = {
    "helpers/waiting.py": "the one poll of a condition outside Qt (wait_until)",
    "reliability/store_rounds.py": "the random moment to kill a child (ForkServer.kill) is "
    "the experiment itself",
}

# (file relative to tests/, private name) → why there is no public way to observe it.
PRIVATE_ALLOWED = {
    ("cli/test_global_options.py", "_actions"): "argparse lists its subcommands nowhere public",
    ("cli/test_global_options.py", "_SubParsersAction"): "argparse, as above",
    ("cli/test_store_failures.py", "_configure_connection"): "fault injection: SQLite's own "
    "page limit on every connection the store opens (a full disk without root)",
    ("store/test_write_contention.py", "_Connection"): "the store's driver connection is "
    "the mechanism under test (COMMIT retried under SQLITE_BUSY)",
    ("data/make_old_databases.py", "_make_engine"): "re-enacts how an old store ran "
    "its migrations (foreign keys off), to make the upgrade fixtures",
    ("reliability/store_rounds.py", "_exit"): "os._exit: a forked child must leave "
    "without running the fork server's cleanup (its stdin, its atexit handlers)",
    ("workbooks/test_print_sheets.py", "_fit"): "a guard for printed cells that no data "
    "within the domain's limits reaches",
    ("workbooks/test_column_decoding.py", "_Reading"): "HQ's quick way of decoding the "
    "tables (by column) must agree with the reference way (row by row); the reader's "
    "public result shows only one of them",
    ("workbooks/test_column_decoding.py", "_by_column"): "as above: the quick way, "
    "and whether it was taken",
    ("services/test_national_verify.py", "_charts"): "openpyxl has no public way to take "
    "a chart off a sheet (a copy of the national workbook without its charts)",
}


def _files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if ".venv" not in p.parts)


def _name(path: Path) -> str:
    return path.relative_to(TESTS).as_posix()


def _dotted(node: ast.AST) -> str:
    """'time.sleep' for time.sleep, 'qtbot.wait' for qtbot.wait ('' if not a name)."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def _is_number(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, int | float)


def fixed_waits(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        imported = {a.name for a in node.names} if isinstance(node, ast.ImportFrom) else set()
        if getattr(node, "module", None) == "time" and "sleep" in imported:
            yield node.lineno, "from time import sleep"
        if not isinstance(node, ast.Call):
            continue
        called = _dotted(node.func)
        last = called.rsplit(".", 1)[-1]
        if called.endswith("time.sleep") or called == "sleep":
            yield node.lineno, f"{called}()"
        elif last == "wait" and "qtbot" in called and node.args and _is_number(node.args[0]):
            yield node.lineno, f"{called}({ast.unparse(node.args[0])})"
        elif last == "qWait":
            yield node.lineno, f"{called}()"
        elif last == "singleShot" and node.args and _is_number(node.args[0]) and node.args[0].value:
            yield node.lineno, f"{called}({node.args[0].value}, …)"


def imports_of_test_modules(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Imports of test modules (tests.x.test_y, or test_y itself)."""
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            if name.rsplit(".", 1)[-1].startswith("test_"):
                yield node.lineno, name


def private_names(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """``obj._name`` on anything but self / cls, and ``from project import _name``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            name = node.attr
            if not name.startswith("_") or name.startswith("__"):
                continue
            if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                continue
            yield node.lineno, name
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("desktop"):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    yield node.lineno, alias.name


@pytest.fixture(scope="module")
def trees() -> dict[str, ast.AST]:
    return {_name(p): ast.parse(p.read_text(encoding="utf-8"), str(p)) for p in _files()}


def test_no_fixed_waits(trees):
    found = [
        f"{name}:{line}: {what}"
        for name, tree in trees.items()
        if name not in MAY_SLEEP
        for line, what in fixed_waits(tree)
    ]
    assert found == [], "wait for a condition instead:\n" + "\n".join(found)


def test_no_imports_from_other_test_modules(trees):
    found = [
        f"{name}:{line}: {module}"
        for name, tree in trees.items()
        for line, module in imports_of_test_modules(tree)
    ]
    assert found == [], "move shared helpers to a helpers module:\n" + "\n".join(found)


def test_no_private_names_of_other_objects(trees):
    found = sorted(
        {
            f"{name}:{line}: {private}"
            for name, tree in trees.items()
            for line, private in private_names(tree)
            if (name, private) not in PRIVATE_ALLOWED
        }
    )
    assert found == [], "observe public behaviour instead:\n" + "\n".join(found)


def test_every_exception_is_still_needed(trees):
    used = {
        (name, private) for name, tree in trees.items() for _line, private in private_names(tree)
    }
    assert set(PRIVATE_ALLOWED) - used == set()
    sleeping = {name for name, tree in trees.items() if any(fixed_waits(tree))}
    assert set(MAY_SLEEP) - sleeping == set()


@pytest.mark.parametrize(
    ("source", "finds"),
    [
        ("import time\ntime.sleep(0.1)", ["time.sleep()"]),
        ("from time import sleep\nsleep(1)", ["from time import sleep", "sleep()"]),
        ("qtbot.wait(1200)", ["qtbot.wait(1200)"]),
        ("QTest.qWait(50)", ["QTest.qWait()"]),
        ("QTimer.singleShot(50, f)", ["QTimer.singleShot(50, …)"]),
        ("QTimer.singleShot(0, f)\nqtbot.waitUntil(f, timeout=5000)", []),
        ("qtbot.waitSignal(s, timeout=1000)", []),
    ],
)
def test_the_wait_check_finds_what_it_should(source, finds):
    assert [what for _line, what in fixed_waits(ast.parse(source))] == finds


def test_the_import_and_private_checks_find_what_they_should():
    imports = "from tests.ui.test_data_entry import REF\nfrom tests.ui.helpers import REF\n"
    assert [m for _l, m in imports_of_test_modules(ast.parse(imports))] == [
        "tests.ui.test_data_entry"
    ]
    private = "window._open_selected()\nself._x = 1\nobj.__class__\nfrom desktop.a import _b"
    assert sorted(n for _l, n in private_names(ast.parse(private))) == ["_b", "_open_selected"]
