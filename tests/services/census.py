"""The census of writing services: every public function of ``desktop.services``
that writes to the database (it opens ``db.write()`` itself, or calls one that does).

Shared by the tests that hold every writing service to a rule (the envelope of
what changed: test_change_records.py). Found by reading the code, so a new
writing service is held to the rules without anyone remembering to list it.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import textwrap
from types import FunctionType, ModuleType

import desktop.services


def service_modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"desktop.services.{m.name}")
        for m in pkgutil.iter_modules(desktop.services.__path__)
    ]


def _functions(module: ModuleType) -> dict[str, FunctionType]:
    """Module-level functions and class methods defined in ``module``."""
    out: dict[str, FunctionType] = {}
    for name, obj in vars(module).items():
        if inspect.isfunction(obj) and obj.__module__ == module.__name__:
            out[name] = obj
        elif inspect.isclass(obj) and obj.__module__ == module.__name__:
            for attr, member in vars(obj).items():
                if inspect.isfunction(member):
                    out[f"{name}.{attr}"] = member
    return out


def _resolve(node: ast.expr, namespace: dict[str, object]) -> object:
    if isinstance(node, ast.Name):
        return namespace.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _resolve(node.value, namespace)
        return getattr(base, node.attr, None) if base is not None else None
    return None


def writing_services() -> dict[str, FunctionType]:
    """'module.function' → function, of every public service function that writes."""
    names: dict[FunctionType, str] = {}
    for module in service_modules():
        short = module.__name__.rsplit(".", 1)[1]
        for name, fn in _functions(module).items():
            names[fn] = f"{short}.{name}"
    writes_itself: set[FunctionType] = set()
    calls: dict[FunctionType, set[FunctionType]] = {}
    for fn in names:
        calls[fn] = set()
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
        except OSError:  # generated (a dataclass's __init__): writes nothing
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            if (
                isinstance(node.func, ast.Attribute)
                and node.func.attr == "write"
                and not node.args
                and not node.keywords
            ):
                writes_itself.add(fn)  # db.write(): a write transaction
            target = _resolve(node.func, fn.__globals__)
            if target in names:
                calls[fn].add(target)  # type: ignore[arg-type]
    writers = set(writes_itself)
    while True:
        more = {fn for fn, callees in calls.items() if callees & writers} - writers
        if not more:
            break
        writers |= more
    return {names[fn]: fn for fn in writers if _public(names[fn])}


def _public(name: str) -> bool:
    return not any(part.startswith("_") for part in name.split(".")[1:])
