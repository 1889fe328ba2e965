"""plandesk.plan/1 carries the new target kinds (KPI fields) and the per-report
verdict by hand and old-method figure: optional fields, round trip exact, faults
named; documents without them read as before."""

from __future__ import annotations

import copy
import json

import pytest

from desktop.domain.plan_document import (
    PlanDocumentError,
    dump_plan,
    from_document,
    parse_plan_text,
    to_document,
)
from desktop.services import plans
from tests.helpers.target_plans import CHANGED, MANUAL, MONTHLY, MULTI_YEAR, REFERENCE, targets_plan


def _kpi_doc(doc: dict, key: str) -> dict:
    def walk(nodes):
        for n in nodes:
            for k in n["kpis"]:
                if k["key"] == key:
                    return k
            found = walk(n["children"])
            if found:
                return found
        return None

    return walk(doc["nodes"])


def _measurement_doc(doc: dict, key: str) -> dict:
    return next(m for m in doc["reports"][0]["measurements"] if m["kpi"] == key)


def test_round_trip_is_exact():
    plan = targets_plan()
    assert parse_plan_text(dump_plan(plan)) == plan
    doc = to_document(plan)
    assert to_document(from_document(doc)) == doc
    multi = _kpi_doc(doc, MULTI_YEAR)
    assert (multi["target_kind"], multi["baseline_year"], multi["baseline_value"]) == (
        "multi_year",
        2023,
        "50.0",
    )
    assert multi["goal_year"] == 2029 and multi["target"] == "62.0"
    assert _kpi_doc(doc, MONTHLY)["target_kind"] == "monthly"
    assert _kpi_doc(doc, MANUAL)["target_text"] == "前年度の水準を上回る"
    assert _kpi_doc(doc, CHANGED)["definition_note"] == "分母に電子申請を含める"
    assert _kpi_doc(doc, REFERENCE)["reference_indicator"] is True
    assert _measurement_doc(doc, MANUAL)["manual_status"] == "behind_pace"
    assert _measurement_doc(doc, CHANGED)["old_method_value"] == "99.1"


def test_plain_plans_do_not_grow_new_fields():
    doc = to_document(plans.bundled_plan("plans/tokyo_2024.json"))
    text = json.dumps(doc, ensure_ascii=False)
    for name in ("reference_indicator", "baseline_year", "goal_year", "target_text",
                 "definition_note", "manual_status", "old_method_value"):  # fmt: skip
        assert name not in text


def _refused(change) -> PlanDocumentError:
    doc = copy.deepcopy(to_document(targets_plan()))
    change(doc)
    with pytest.raises(PlanDocumentError) as refused:
        from_document(doc)
    return refused.value


def test_faults_are_named():
    def no_goal_year(doc):
        del _kpi_doc(doc, MULTI_YEAR)["goal_year"]

    assert _refused(no_goal_year).where.endswith(".goal_year")

    def baseline_after_goal(doc):
        _kpi_doc(doc, MULTI_YEAR)["baseline_year"] = 2030

    assert "before the goal year" in _refused(baseline_after_goal).problem

    def half_a_baseline(doc):
        del _kpi_doc(doc, MULTI_YEAR)["baseline_value"]

    assert _refused(half_a_baseline).where.endswith(".baseline_value")

    def words_without_words(doc):
        _kpi_doc(doc, MANUAL)["target_text"] = " "

    assert _refused(words_without_words).where.endswith(".target_text")

    def verdict_without_reason(doc):
        del _measurement_doc(doc, MANUAL)["manual_reason"]

    assert _refused(verdict_without_reason).where.endswith(".manual_reason")

    def partly(doc):
        _measurement_doc(doc, MANUAL)["manual_status"] = "partly"

    assert _refused(partly).where.endswith(".manual_status")

    def verdict_on_a_computed_kpi(doc):
        _measurement_doc(doc, CHANGED).update(manual_status="met", manual_reason="x")

    assert "judged by hand" in _refused(verdict_on_a_computed_kpi).problem

    def old_method_unchanged(doc):
        _measurement_doc(doc, MULTI_YEAR)["old_method_value"] = "1"

    assert _refused(old_method_unchanged).where.endswith(".old_method_value")

    def goal_on_fixed(doc):
        _kpi_doc(doc, CHANGED)["goal_year"] = 2029

    assert _refused(goal_on_fixed).where.endswith(".target_kind")
