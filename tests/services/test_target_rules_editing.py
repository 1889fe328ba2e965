"""Per-report inputs of the new target kinds through the editing services: a verdict
by hand (with its required reason) and the old-method figure — validated, audited,
folded into the open report, and judged."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest

from desktop.domain.achievement import Status
from desktop.domain.model import PeriodKind, ReportRef
from desktop.services import editing, plans
from desktop.services.editing import CellError
from desktop.services.workspace import load_report
from desktop.store import content
from tests.helpers.target_plans import CHANGED, MANUAL, MONTHLY, MULTI_YEAR, targets_plan

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)


@pytest.fixture
def tdb(db):
    plans.install_plan(db, targets_plan(), actor="t")
    return db


def _edit(db, key: str, **fields):
    return editing.set_measurements(db, REF, [(key, fields)], actor="suzuki")


def test_a_verdict_by_hand_needs_a_reason_and_nothing_is_stored_without(tdb):
    with pytest.raises(CellError) as refused:
        _edit(tdb, MANUAL, manual_status="met", manual_reason="")
    assert "理由" in refused.value.message("ja")
    assert "reason" in refused.value.message("en")
    assert load_report(tdb, REF).measurements[MANUAL].manual_status == "behind_pace"


def test_a_verdict_by_hand_is_stored_audited_and_judged(tdb):
    changes = _edit(tdb, MANUAL, manual_status="達成", manual_reason="前年度を2件上回った")
    snap = load_report(tdb, REF)
    before = snap.assessment(MANUAL)
    assert snap.measurements[MANUAL].manual_status == "met"
    a = snap.assessment(MANUAL)
    assert a.status is Status.MET and a.manual and "前年度を2件上回った" in a.rule_ja
    assert before == a
    fresh = load_report(tdb, REF)
    fresh_snap = fresh.copy()
    fresh_snap.apply(changes)
    assert fresh_snap.measurements[MANUAL].manual_reason == "前年度を2件上回った"
    con = sqlite3.connect(tdb.path)
    rows = con.execute(
        "SELECT actor, field, old_value, new_value FROM audit_log WHERE entity = 'measurement' "
        "AND field LIKE 'manual%' ORDER BY id DESC LIMIT 2"
    ).fetchall()
    con.close()
    assert ("suzuki", "manual_status", "behind_pace", "met") in rows
    with tdb.read() as session:
        assert content.differences(session)[0] == []


def test_a_verdict_in_words_that_is_no_verdict_is_refused(tdb):
    with pytest.raises(CellError) as refused:
        _edit(tdb, MANUAL, manual_status="まあまあ", manual_reason="x")
    assert "未達成" in refused.value.message("ja")


def test_a_computed_kpi_takes_no_verdict_by_hand(tdb):
    for key in (MULTI_YEAR, MONTHLY):
        with pytest.raises(CellError) as refused:
            _edit(tdb, key, manual_status="met", manual_reason="x")
        assert "手動判定" in refused.value.message("ja")


def test_the_old_method_figure_only_for_a_changed_definition(tdb):
    _edit(tdb, CHANGED, old_method_value="９９．５％")
    snap = load_report(tdb, REF)
    assert snap.measurements[CHANGED].old_method_value == Decimal("99.5")
    a = snap.assessment(CHANGED)
    assert a.old_method is not None and a.old_method.status is Status.MET
    with pytest.raises(CellError) as refused:
        _edit(tdb, MULTI_YEAR, old_method_value="50")
    assert "算出方法" in refused.value.message("ja")


def test_a_monthly_figure_rejudges_a_rule_over_months_in_the_open_report(tdb):
    snap = load_report(tdb, REF)
    assert snap.assessment(MONTHLY).status is Status.NOT_MET  # May: 149
    snap.apply(editing.set_monthly_actual(tdb, REF, MONTHLY, 2, "150", actor="suzuki"))
    a = snap.assessment(MONTHLY)
    assert a.status is Status.MET and (a.months_met, a.months_judged) == (3, 3)
    assert a.months_missing == ()  # the report is as of June
