"""HQ's consolidation judges each branch's KPI exactly as the branch's own report does
(issue 15): multi-year milestones, rules over months, verdicts by hand (手動判定, shown
as such) and reference indicators (参考指標, never judged) travel in the submission and
are judged by the one judge (achievement.assess), not re-targeted at one number."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from desktop.domain.kpi_lines import kpi_lines
from desktop.domain.model import PeriodKind, Plan
from desktop.domain.verdicts import Status
from desktop.services import plans
from desktop.services.consolidation import consolidate_folder, write_national
from desktop.services.demo_submissions import demo_submission
from desktop.services.exchange import file_stem, next_free_path
from desktop.store.database import open_database
from desktop.workbooks.writer import write_workbook
from tests.helpers.target_plans import MANUAL, MONTHLY, MULTI_YEAR, REFERENCE, targets_plan

MID = PeriodKind.MIDYEAR


def _ibaraki(plan: Plan) -> Plan:
    """Another branch on the same plan: a path from a lower baseline, every month met,
    a verdict by hand of its own."""
    kpis = tuple(
        replace(k, baseline_value=D("40.0"), target=D("55.0"))
        if k.key == MULTI_YEAR
        else replace(k, monthly_actuals=((1, D("151")), (2, D("150")), (3, D("170"))))
        if k.key == MONTHLY
        else k
        for k in plan.kpis
    )
    report = plan.reports[0]
    measurements = tuple(
        replace(m, manual_status="met", manual_reason="前年度の水準を上回った")
        if m.kpi_key == MANUAL
        else replace(m, value=D("46.0"))
        if m.kpi_key == MULTI_YEAR
        else m
        for m in report.measurements
    )
    reports = (replace(report, measurements=measurements),)
    return replace(plan, branch="08", kpis=kpis, reports=reports)


def _branches() -> dict[str, Plan]:
    tokyo = targets_plan()
    tokyo = replace(tokyo, reports=tuple(r for r in tokyo.reports if r.period is MID))
    return {"13": tokyo, "08": _ibaraki(tokyo)}


def _shown_by_the_branch(plan: Plan, tmp_path: Path) -> dict[str, Status]:
    """What `plandesk show` judges on the branch's own database."""
    with open_database(tmp_path / f"{plan.branch}.sqlite3", create=True) as db:
        plans.install_plan(db, plan, actor="branch")
        stored = plans.get_plan(db, plan.branch, plan.fiscal_year)
    return {line.kpi.key: line.assessment.status for line in kpi_lines(stored, MID)}


def test_hq_judges_every_target_kind_as_the_branch_shows_it(tmp_path: Path):
    folder = tmp_path / "share"
    folder.mkdir()
    branches = _branches()
    for code, plan in branches.items():
        data = demo_submission(code, fiscal_year=plan.fiscal_year, period=MID, plan=plan)
        write_workbook(data, next_free_path(folder, file_stem(data.manifest)))
    result = consolidate_folder(folder, fiscal_year=2024, period=MID)
    shown = {code: _shown_by_the_branch(plan, tmp_path) for code, plan in branches.items()}
    for code in branches:
        hq = {key: n.status[code] for key, n in result.figures.kpis.items()}
        assert hq == {key: shown[code][key] for key in hq}, code
    # The kinds really differ from one fixed number, and from branch to branch.
    kpis = result.figures.kpis
    assert kpis[REFERENCE].status == {"08": Status.REFERENCE, "13": Status.REFERENCE}
    assert kpis[REFERENCE].judged_count == 0
    assert kpis[MANUAL].status == {"08": Status.MET, "13": Status.BEHIND_PACE}
    assert kpis[MANUAL].manual == {"08", "13"}
    assert kpis[MONTHLY].status == {"08": Status.MET, "13": Status.NOT_MET}
    # Each against its year's milestone (52.0 / 42.5), not the final goal (62.0 / 55.0).
    assert kpis[MULTI_YEAR].status == {"08": Status.MET, "13": Status.MET}
    # HQ's workbook says which verdicts a person gave and which are reference only.
    out = write_national(result, tmp_path / "national.xlsx")
    texts = {
        str(c.value)
        for ws in openpyxl.load_workbook(out, read_only=True).worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    }
    assert "達成（手動判定）" in texts and "参考指標" in texts
    assert "前年度の水準を上回る" in texts  # the goal in words as the target


@pytest.mark.parametrize("code", ["13", "08"])
def test_the_milestone_not_the_final_goal_is_the_years_target(tmp_path: Path, code: str):
    plan = _branches()[code]
    folder = tmp_path / "share"
    folder.mkdir()
    data = demo_submission(code, fiscal_year=2024, period=MID, plan=plan)
    write_workbook(data, next_free_path(folder, file_stem(data.manifest)))
    result = consolidate_folder(folder, fiscal_year=2024, period=MID)
    figure = result.results[code].figure(MULTI_YEAR)
    assert figure is not None
    goal = next(k for k in plan.kpis if k.key == MULTI_YEAR).target
    assert figure.target is not None and figure.target != goal
