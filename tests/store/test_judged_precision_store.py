"""The KPI rule "judged at the printed precision" in the database (migration 0006)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from desktop.services import plans
from desktop.store.database import open_database
from tests.helpers.migrations import downgrade

SERVICE = "1.II.2.k1"


def test_the_rule_is_stored_and_read_back(db):
    plan = plans.bundled_plan("plans/tokyo_2024.json")
    kpis = tuple(replace(k, judged_decimals=0) if k.key == SERVICE else k for k in plan.kpis)
    plans.install_plan(db, replace(plan, kpis=kpis), actor="t")
    stored = plans.get_plan(db, "13", 2024)
    assert {k.key: k.judged_decimals for k in stored.kpis if k.judged_decimals is not None} == {
        SERVICE: 0
    }


def test_a_database_from_before_the_rule_is_upgraded_and_judges_as_entered(demo_db, tmp_path):
    path = tmp_path / "demo.sqlite3"
    demo_db.close()
    downgrade(path, "0005")
    columns = [r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(kpis)")]
    assert "judged_decimals" not in columns
    with open_database(path) as again:  # the upgrade runs on opening
        plan = plans.get_plan(again, "13", 2024)
    assert len(plan.kpis) == 17 and all(k.judged_decimals is None for k in plan.kpis)
    assert list((Path(tmp_path) / "backups").glob("demo.*.before-upgrade.sqlite3"))
