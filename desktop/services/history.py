"""A branch's other fiscal years, for year-over-year views."""

from __future__ import annotations

from collections.abc import Mapping

from desktop.domain.achievement import Assessment, assess
from desktop.domain.model import Measurement, Plan, ReportRef
from desktop.services.plans import get_plan, list_plans
from desktop.store.database import Database

YearFigures = tuple[Plan, Mapping[str, Measurement], Mapping[str, Assessment]]


def other_years(db: Database, ref: ReportRef) -> list[YearFigures]:
    """Every other stored fiscal year of the branch with the same period's figures
    (a year without that report yields its plan with no figures)."""
    out: list[YearFigures] = []
    for branch, year, _title in list_plans(db):
        if branch != ref.branch or year == ref.fiscal_year:
            continue
        plan = get_plan(db, branch, year)
        report = plan.report(ref.period)
        measurements = {m.kpi_key: m for m in report.measurements} if report else {}
        as_of = report.as_of if report else ref.period.closing_month(year)
        assessments = {
            k.key: assess(k, measurements.get(k.key), fiscal_year=year, report_as_of=as_of)
            for k in plan.kpis
        }
        out.append((plan, measurements, assessments))
    return out
