"""Targets beyond one number a year in the database (migration 0009): the KPI fields
(plan data) and the per-report verdict by hand and old-method figure."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop.domain.achievement import Status
from desktop.domain.kpi_lines import kpi_lines
from desktop.domain.model import PeriodKind
from desktop.services import plans
from desktop.store import content
from desktop.store.database import open_database
from tests.helpers.migrations import downgrade
from tests.helpers.target_plans import CHANGED, MANUAL, MONTHLY, MULTI_YEAR, REFERENCE, targets_plan


def test_every_new_field_is_stored_read_back_and_vouched_for_by_the_audit_trail(db):
    plan = targets_plan()
    plans.install_plan(db, plan, actor="t")
    stored = plans.get_plan(db, "13", 2024)
    assert stored.kpis == plan.kpis
    got = {m.kpi_key: m for m in stored.reports[0].measurements}
    want = {m.kpi_key: m for m in plan.reports[0].measurements}
    for key in (MANUAL, CHANGED, MULTI_YEAR):
        for name in ("manual_status", "manual_reason", "old_method_value", "value"):
            assert getattr(got[key], name) == getattr(want[key], name)
    with db.read() as session:
        assert content.differences(session)[0] == []
    status = {line.kpi.key: line.assessment for line in kpi_lines(stored, PeriodKind.MIDYEAR)}
    assert status[MULTI_YEAR].status is Status.MET  # 52.4 against FY2024's 52.0
    assert status[MONTHLY].status is Status.NOT_MET and status[MONTHLY].months_met == 2
    assert status[MANUAL].status is Status.BEHIND_PACE and status[MANUAL].manual
    assert status[CHANGED].old_method is not None
    assert status[REFERENCE].status is Status.REFERENCE


def test_the_database_refuses_a_verdict_outside_the_vocabulary(db):
    plans.install_plan(db, targets_plan(), actor="t")
    with pytest.raises(Exception, match="refused the change"), db.write() as session:
        session.execute(text("UPDATE measurements SET manual_status = 'partly'"))


def test_a_database_from_0008_is_upgraded_and_judges_as_before(demo_db, tmp_path):
    path = tmp_path / "demo.sqlite3"
    before = plans.get_plan(demo_db, "13", 2024)
    demo_db.close()
    downgrade(path, "0008")
    columns = [r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(kpis)")]
    assert "reference_indicator" not in columns
    with open_database(path) as again:
        after = plans.get_plan(again, "13", 2024)
        with again.read() as session:
            assert content.differences(session)[0] == []
    assert after == before
    assert all(not k.reference_indicator and k.goal_year is None for k in after.kpis)
    assert list((Path(tmp_path) / "backups").glob("demo.*.before-upgrade.sqlite3"))
