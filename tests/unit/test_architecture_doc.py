"""docs/ARCHITECTURE.md names real things: every path and module it names exists.

Cheap, and it keeps the map true when a module moves or is renamed.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "ARCHITECTURE.md"
PACKAGES = ("domain", "store", "workbooks", "services", "ui", "cli")


def _paths(text: str) -> set[str]:
    """Every `a/b.py`-like path in backticks, and the file names listed under a
    package in the layer map (``controller.py`` under ``ui/``)."""
    found = {p for p in re.findall(r"`([\w./-]+/[\w.-]*)`", text) if "/" in p}
    block = text.split("```", 2)[1]  # the layer map
    package = ""
    for line in block.splitlines():
        if match := re.match(r"\s{2}(\w+)/\s", line):
            package = match.group(1) if match.group(1) in PACKAGES else ""
        elif re.match(r"\s{2}\w", line) and not line.startswith("   "):
            package = ""
        for name in re.findall(r"\b([\w]+\.py)\b", line):
            found.add(f"desktop/{package}/{name}" if package else f"desktop/{name}")
        for name in re.findall(r"\b(\w+)/(?=[\s)])", line):
            if package and name not in PACKAGES:
                found.add(f"desktop/{package}/{name}/")
    return found


def test_every_path_the_architecture_doc_names_exists():
    text = DOC.read_text(encoding="utf-8")
    paths = _paths(text)
    assert len(paths) > 60
    missing = sorted(p for p in paths if not (ROOT / p.rstrip("/")).exists())
    assert missing == []


def test_every_class_and_method_the_doc_names_exists():
    """``ReportController.run``, ``EditScope``, ``Changes.of_records``: names in
    backticks that start with a capital letter are found where the doc says."""
    text = DOC.read_text(encoding="utf-8")
    where = {
        "ReportController": "desktop.ui.controller",
        "EditScope": "desktop.services.edit_scope",
        "Changes": "desktop.services.changes",
        "Database": "desktop.store.database",
        "ReportSnapshot": "desktop.services.workspace",
        "UserError": "desktop.domain.errors",
        "BadInput": "desktop.domain.errors",
        "Refused": "desktop.domain.errors",
        "BadFile": "desktop.domain.errors",
        "StoreError": "desktop.store.errors",
        "Text": "desktop.domain.text",
        "Column": "desktop.workbooks.hidden_tables",
        "Record": "desktop.services.changes",
    }
    named = set(re.findall(r"`([A-Z]\w*(?:\.\w+)?)", text))
    assert {"ReportController.run", "ReportController.attempt", "EditScope"} <= named
    for name in sorted(named):
        cls, _, attr = name.partition(".")
        if cls not in where:
            continue
        obj = getattr(importlib.import_module(where[cls]), cls)
        assert not attr or hasattr(obj, attr), name
    unknown = {n.partition(".")[0] for n in named} - set(where) - {"MeasurementChanged"}
    assert {u for u in unknown if not u.isupper()} == set(), "add them to `where`"


def test_the_readme_links_the_architecture_doc():
    assert "docs/ARCHITECTURE.md" in (ROOT / "README.md").read_text(encoding="utf-8")
