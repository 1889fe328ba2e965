"""Monthly figures (月次実績): stored per fiscal month, audited, carried by documents."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from desktop.domain.errors import UserError
from desktop.domain.model import PeriodKind
from desktop.domain.plan_document import PlanDocumentError, from_document, to_document
from desktop.services import editing, plans
from desktop.services.editing import CellError, MonthlyChanged, ReportRef
from desktop.services.workspace import load_report
from desktop.store.models import Base

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)
RATE = "2.II.2.k1"  # 生活習慣病予防健診実施率, cumulative ％


@pytest.fixture
def demo(db):
    plans.install_demo(db, actor="suzuki")
    return db


def test_set_update_and_clear_a_month(demo):
    change = editing.set_monthly_actual(demo, REF, RATE, 3, "１２．５％", actor="suzuki")
    assert change.records == (MonthlyChanged(REF, RATE, 3, Decimal("12.5")),)
    editing.set_monthly_actual(demo, REF, RATE, 3, "13.0", actor="tanaka")
    editing.set_monthly_actual(demo, REF, RATE, 4, "18", actor="tanaka")
    kpi = next(k for k in plans.get_plan(demo, "13", 2024).kpis if k.key == RATE)
    assert kpi.monthly_actuals == ((3, Decimal("13.0")), (4, Decimal("18")))
    # The series belongs to the year: the annual report sees the same months.
    annual = load_report(demo, ReportRef("13", 2024, PeriodKind.ANNUAL))
    assert annual.monthly[RATE] == {3: Decimal("13.0"), 4: Decimal("18")}

    cleared = editing.set_monthly_actual(demo, REF, RATE, 3, "", actor="tanaka")
    assert cleared.one(MonthlyChanged).value is None
    assert load_report(demo, REF).monthly[RATE] == {4: Decimal("18")}

    con = sqlite3.connect(demo.path)
    rows = con.execute(
        "SELECT actor, entity_key, old_value, new_value FROM audit_log "
        "WHERE entity = 'monthly' ORDER BY id"
    ).fetchall()
    con.close()
    assert rows == [
        ("suzuki", "13/2024/2.II.2.k1/2024-06", None, "12.5"),
        ("tanaka", "13/2024/2.II.2.k1/2024-06", "12.5", "13.0"),
        ("tanaka", "13/2024/2.II.2.k1/2024-07", None, "18"),
        ("tanaka", "13/2024/2.II.2.k1/2024-06", "13.0", None),
    ]


def test_bad_monthly_input_changes_nothing(demo):
    before = load_report(demo, REF).monthly[RATE]
    with pytest.raises(CellError) as err:
        editing.set_monthly_actual(demo, REF, RATE, 5, "12円", actor="suzuki")
    assert "単位" in err.value.message("ja")
    # 2.4.k1 (FY2023) is reported as done / not done: it has no monthly numbers.
    with pytest.raises(UserError):
        editing.set_monthly_actual(
            demo, ReportRef("13", 2023, PeriodKind.MIDYEAR), "2.4.k1", 5, "1", actor="suzuki"
        )
    assert load_report(demo, REF).monthly[RATE] == before


def test_snapshot_folds_monthly_changes(demo):
    snap = load_report(demo, REF)
    snap.apply(editing.set_monthly_actual(demo, REF, RATE, 2, "7.7", actor="suzuki"))
    assert snap.monthly[RATE] == {2: Decimal("7.7")}
    snap.apply(editing.set_monthly_actual(demo, REF, RATE, 2, None, actor="suzuki"))
    assert snap.monthly[RATE] == {}


def test_documents_carry_series_and_reject_bad_ones(demo):
    editing.set_monthly_actual(demo, REF, RATE, 2, "7.7", actor="suzuki")
    plan = plans.get_plan(demo, "13", 2024)
    doc = to_document(plan)
    assert from_document(doc).kpis == plan.kpis  # (who entered figures is not in documents)
    kpi_doc = doc["nodes"][1]["children"][1]["children"][1]["kpis"][0]
    assert kpi_doc["key"] == RATE and kpi_doc["monthly_actuals"] == [[2, "7.7"]]
    for bad in ([[13, "1"]], [[2, "1"], [2, "2"]], [[2, 1.5]], [["2", "1"]], "x"):
        kpi_doc["monthly_actuals"] = bad
        with pytest.raises(PlanDocumentError):
            from_document(doc)


def test_models_and_migrations_agree(demo):
    """Autogenerate finds nothing to do: the migrations build exactly the models."""
    with demo.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
