"""Editing services against a real database: validation, atomicity, audit."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest

from desktop.domain.errors import UserError
from desktop.domain.model import PeriodKind
from desktop.domain.parsing import ParseError
from desktop.services import editing, plans
from desktop.services.changes import EntryChanged, MeasurementChanged
from desktop.services.editing import CellError, ReportRef
from desktop.services.workspace import load_report

REF = ReportRef("13", 2025, PeriodKind.MIDYEAR)


@pytest.fixture
def plan_db(db):
    plans.install_plan(db, plans.bundled_plan(plans.HQ_TEMPLATE), actor="hq")
    plans.create_from_template(db, "13", actor="suzuki")
    return db


def _kpi(db, unit: str = "％") -> str:
    snap = load_report(db, REF)
    return next(
        k.key for k in snap.plan.kpis if k.unit == unit and k.direction.value != "qualitative"
    )


def _audit(db) -> list[tuple]:
    con = sqlite3.connect(db.path)
    try:
        return con.execute(
            "SELECT actor, entity, field, old_value, new_value FROM audit_log ORDER BY id"
        ).fetchall()
    finally:
        con.close()


def test_template_plan_for_a_branch(plan_db):
    snap = load_report(plan_db, REF)
    assert snap.plan.branch == "13"
    assert snap.plan.title.startswith("東京支部") or "東京支部" in snap.plan.title
    assert snap.entries == {} and snap.measurements == {}
    with pytest.raises(UserError):
        plans.create_from_template(plan_db, "13", actor="suzuki")  # exists already


def test_set_measurement_parses_and_audits(plan_db):
    key = _kpi(plan_db)
    change = editing.set_measurement(
        plan_db, REF, key, actor="suzuki", value="６３．８％", as_of="R7.9"
    ).one(MeasurementChanged)
    assert change.measurement.value == Decimal("63.8")
    assert change.measurement.as_of.iso() == "2025-09"
    assert change.measurement.entered_by == "suzuki"
    stored = load_report(plan_db, REF).measurements[key]
    assert stored.value == Decimal("63.8") and str(stored.value) == "63.8"
    rows = [r for r in _audit(plan_db) if r[1] == "measurement"]
    assert ("suzuki", "measurement", "value", None, "63.8") in rows
    assert ("suzuki", "measurement", "as_of", None, "2025-09") in rows


def test_same_value_twice_writes_no_second_audit_row(plan_db):
    key = _kpi(plan_db)
    editing.set_measurement(plan_db, REF, key, actor="a", value="1")
    count = len(_audit(plan_db))
    editing.set_measurement(plan_db, REF, key, actor="a", value="1.0")  # equal Decimal
    assert len(_audit(plan_db)) == count


def test_batch_is_all_or_nothing(plan_db):
    snap = load_report(plan_db, REF)
    keys = [k.key for k in snap.plan.kpis if k.unit == "％"][:2]
    with pytest.raises(CellError) as err:
        editing.set_measurements(
            plan_db,
            REF,
            [(keys[0], {"value": "50"}), (keys[1], {"value": "98.4.1"})],
            actor="a",
        )
    assert err.value.kpi_key == keys[1] and err.value.field == "value"
    assert "98.4.1" in err.value.message("ja")
    assert load_report(plan_db, REF).measurements == {}


@pytest.mark.parametrize(
    ("fields", "needle"),
    [
        ({"as_of": "2022/5"}, "範囲外"),
        ({"as_of": "令和7年13月"}, "13月"),
        ({"value": "98円"}, "円"),
        ({"denominator": "0"}, "分母"),
    ],
)
def test_refusals_change_nothing(plan_db, fields, needle):
    key = _kpi(plan_db)
    before = _audit(plan_db)
    with pytest.raises((UserError, ParseError)) as err:
        editing.set_measurements(plan_db, REF, [(key, fields)], actor="a")
    assert needle in err.value.message("ja")
    assert _audit(plan_db) == before
    assert load_report(plan_db, REF).measurements == {}


def test_entry_fields_and_marks(plan_db):
    snap = load_report(plan_db, REF)
    node = next(n.key for n in snap.plan.nodes if snap.plan.is_reportable(n.key))
    editing.set_entry_field(plan_db, REF, node, "status_text", "実施した。\r\n次に", actor="a")
    change = editing.set_entry_field(plan_db, REF, node, "mark", "〇", actor="a").one(EntryChanged)
    assert change.entry.mark == "○"  # U+3007 typed, U+25CB stored
    assert change.entry.status_text == "実施した。\n次に"
    with pytest.raises(UserError) as err:
        editing.set_entry_field(plan_db, REF, node, "mark", "S", actor="a")  # annual scale
    assert "◎" in err.value.message("ja")
    annual = ReportRef("13", 2025, PeriodKind.ANNUAL)
    marked = editing.set_entry_field(plan_db, annual, node, "mark", "a", actor="a")
    assert marked.one(EntryChanged).entry.mark == "A"
    stored = load_report(plan_db, REF).entries[node]
    assert stored.mark == "○"


def test_plan_text_edit(plan_db):
    snap = load_report(plan_db, REF)
    node = snap.plan.nodes[1].key
    editing.set_plan_text(plan_db, REF, node, "新しい計画", actor="a")
    assert load_report(plan_db, REF).plan.node(node).plan_text == "新しい計画"


def test_text_too_long_is_refused(plan_db):
    snap = load_report(plan_db, REF)
    node = snap.plan.nodes[1].key
    with pytest.raises(UserError):
        editing.set_entry_field(plan_db, REF, node, "status_text", "あ" * 20_001, actor="a")


def test_qualitative_kpi_takes_done_not_numbers(plan_db):
    snap = load_report(plan_db, REF)
    key = next(k.key for k in snap.plan.kpis if k.direction.value == "qualitative")
    with pytest.raises(CellError):
        editing.set_measurements(plan_db, REF, [(key, {"value": "1"})], actor="a")
    changes = editing.set_measurements(plan_db, REF, [(key, {"done": True})], actor="a")
    change = changes.one(MeasurementChanged)
    assert change.measurement.done is True


def test_numeric_kpi_takes_numbers_not_done(plan_db):
    key = _kpi(plan_db)
    with pytest.raises(CellError, match="not as done / not done"):
        editing.set_measurements(plan_db, REF, [(key, {"done": True})], actor="a")
    assert load_report(plan_db, REF).measurements.get(key) is None
