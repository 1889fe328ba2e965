"""Tokyo's FY2024 plan with one KPI of each target kind beyond one number a year
(desktop/domain/target_rules.py), for round trips through the store, plan JSON and
workbooks."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

from desktop.domain.model import Kpi, Measurement, Plan, TargetKind
from desktop.services import plans

MULTI_YEAR = "2.II.2.k1"  # a six-year goal: 50.0％ (FY2023) → 62.0％ (FY2029)
MONTHLY = "2.II.2.k2"  # every month at least 150％
MANUAL = "2.II.2.k3"  # a goal in words, judged by hand
CHANGED = "1.II.2.k2"  # definition changed: the old-method figure beside the new
REFERENCE = "3.7.k1"  # 参考指標


def _kpi(k: Kpi) -> Kpi:
    if k.key == MULTI_YEAR:
        return replace(
            k,
            target_kind=TargetKind.MULTI_YEAR,
            target=D("62.0"),
            baseline_year=2023,
            baseline_value=D("50.0"),
            goal_year=2029,
        )
    if k.key == MONTHLY:
        months = ((1, D("160")), (2, D("149")), (3, D("151.5")))
        return replace(k, target_kind=TargetKind.MONTHLY, target=D("150"), monthly_actuals=months)
    if k.key == MANUAL:
        return replace(
            k, target_kind=TargetKind.MANUAL, target=None, target_text="前年度の水準を上回る"
        )
    if k.key == CHANGED:
        return replace(k, definition_changed=True, definition_note="分母に電子申請を含める")
    if k.key == REFERENCE:
        return replace(k, reference_indicator=True)
    return k


def _measurement(m: Measurement) -> Measurement:
    if m.kpi_key == MULTI_YEAR:
        return replace(m, value=D("52.4"), unavailable_reason=None)
    if m.kpi_key == MANUAL:
        return replace(m, manual_status="behind_pace", manual_reason="下期に集中して実施する")
    if m.kpi_key == CHANGED:
        return replace(m, old_method_value=D("99.1"))
    return m


def targets_plan() -> Plan:
    plan = plans.bundled_plan("plans/tokyo_2024.json")
    reports = tuple(
        replace(r, measurements=tuple(_measurement(m) for m in r.measurements))
        for r in plan.reports
    )
    return replace(plan, kpis=tuple(_kpi(k) for k in plan.kpis), reports=reports)
