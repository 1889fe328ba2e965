"""The start loads only what the first window needs (issue 14 item 6): no workbook
code (openpyxl, desktop.workbooks, the exchange services), no Alembic when the
database is at the current schema, no command-line families, no chart or tab
that is not on screen (the demo opens on a section without KPIs), and no
SQLAlchemy: the window paints from the quick first reads and opens the database
after its first paint. Checked in a fresh process started like the app
(``plandesk`` without a command, with the smoke report), where sys.modules at
the moment of the first paint tells what was imported."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from desktop.store.database import backup_database
from tests.helpers.migrations import downgrade
from tests.packaging.running import clean_env

NOT_AT_START = (
    "openpyxl",
    "alembic",
    "desktop.workbooks",
    "desktop.services.export",
    "desktop.services.import_preview",
    "desktop.services.import_apply",
    "desktop.services.verify",
    "desktop.services.consolidation",
    "desktop.services.benchmarks",
    "desktop.services.rollover",
    "desktop.cli.hq",
    "desktop.cli.workbooks",
    "desktop.ui.dashboard",
    "desktop.ui.review_screen",
    "desktop.ui.export_dialog",
    "desktop.ui.import_dialog",
    "desktop.ui.hq_board",
    "pyqtgraph",
    "sqlalchemy",
    "desktop.store.models",
    "desktop.store.repository",
    "desktop.services.editing",
)

START = textwrap.dedent(
    """
    import json, sys
    import desktop.app
    from desktop.cli import main

    at_paint = []
    watch = desktop.app._FirstPaint.eventFilter

    def noting(self, watched, event):  # what was loaded when the window first painted
        painted = self.painted_at is not None
        result = watch(self, watched, event)
        if not painted and self.painted_at is not None:
            at_paint.extend(sorted(sys.modules))
        return result

    desktop.app._FirstPaint.eventFilter = noting
    code = main(["--db", sys.argv[1]])
    print(json.dumps({"at_paint": at_paint, "at_end": sorted(sys.modules)}))
    sys.exit(code)
    """
)


def _start(db: Path, home: Path) -> tuple[dict, set[str], set[str]]:
    report = home / "smoke.json"
    env = clean_env(home, PLANDESK_SMOKE_TEST=str(report))
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    ran = subprocess.run(
        [sys.executable, "-c", START, str(db)], env=env, capture_output=True, text=True
    )
    assert ran.returncode == 0, ran.stderr
    modules = json.loads(ran.stdout.strip().splitlines()[-1])
    facts = json.loads(report.read_text(encoding="utf-8"))
    return facts, set(modules["at_paint"]), set(modules["at_end"])


def _loaded(modules: set[str], name: str) -> bool:
    return any(m == name or m.startswith(name + ".") for m in modules)


def test_the_start_loads_only_what_the_first_window_needs(_demo_template, tmp_path):
    db = tmp_path / "demo.sqlite3"
    backup_database(_demo_template, db)
    facts, modules, _ = _start(db, tmp_path / "home")
    assert facts["visible"] and facts["painted_at"]  # the window was really shown
    assert "desktop.ui.main_window" in modules and "desktop.ui.section_form" in modules
    assert "desktop.store.quick_read" in modules  # it painted from the quick first reads
    assert [name for name in NOT_AT_START if _loaded(modules, name)] == []


def test_a_database_due_for_migration_still_opens(_demo_template, tmp_path):
    """Alembic is loaded when the file's schema is older, and the window starts."""
    db = tmp_path / "old.sqlite3"
    backup_database(_demo_template, db)
    downgrade(db, "0006")
    facts, modules, _ = _start(db, tmp_path / "home")
    assert facts["visible"] and facts["painted_at"]
    assert _loaded(modules, "alembic")
    assert _loaded(modules, "sqlalchemy")  # opened (and migrated) before the window
