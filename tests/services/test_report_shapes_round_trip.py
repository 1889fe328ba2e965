"""Issue 16's report shapes together, once round: Tokyo's FY2024 plan organised by
group, one rating scope over ①–④ of （２）サービス水準の向上 and the annual report
printed in annual6 — entered, reviewed by group, signed off, sent as a submission,
verified, read into a fresh database with nothing lost, and consolidated at HQ with
the scope counted once."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl

from desktop.domain.model import Group, PeriodKind, ReportAxis, ReportRef
from desktop.domain.print_profiles import ReportProfiles
from desktop.domain.report_order import keys_of_group
from desktop.domain.review import Role, SectionState
from desktop.services import editing, exchange, export, plan_editing, plans, review
from desktop.services.changes import PlanRef
from desktop.services.check import check_database
from desktop.services.consolidation import consolidate_folder
from desktop.services.workspace import load_report
from desktop.store.database import open_database
from desktop.workbooks.machine import Kind
from desktop.workbooks.print_sheets import REPORT_SHEETS
from desktop.workbooks.reader import read_workbook
from tests.group_plan import by_groups

ANNUAL = ReportRef("13", 2024, PeriodKind.ANNUAL)
PLAN = PlanRef("13", 2024)
HOLDER = "1.II.2.1"
MEMBERS = ("1.II.2.2", "1.II.2.3", "1.II.2.4")
SCOPE = (HOLDER, *MEMBERS)
REASON = "四項目とも計画どおり実施し、目標を上回ったため（まとめ評価）"


def _people(db) -> None:
    review.add_user(db, login="admin", display_name="管理", role=Role.STAFF, password="a-pw")
    for login, name, role, group, password in (
        ("head", "支部長", Role.BRANCH_HEAD, None, "head-pass"),
        ("staff", "担当", Role.STAFF, None, None),
        ("hoken", "保健GL", Role.SUPERVISOR, Group.HEALTH, "hoken-pass"),
    ):
        review.add_user(db, login=login, display_name=name, role=role, group=group,
                        password=password, admin_login="admin", admin_password="a-pw")  # fmt: skip


def _the_scope_prints_once_by_group(path: Path, plan) -> None:
    """In the report by group (the scope's items in the plan's printed order, the
    holder last here) the scope's mark prints once, in one cell down its rows."""
    sheet = openpyxl.load_workbook(path)[REPORT_SHEETS[PeriodKind.ANNUAL]]
    titles = {plan.node(k).title: k for k in SCOPE}
    rows = {
        titles[t]: r
        for r in range(1, sheet.max_row + 1)
        for t in titles
        if isinstance(sheet.cell(r, 1).value, str) and t in sheet.cell(r, 1).value.split("\n")[0]
    }
    mark, reason = 4, 5  # 事業計画 | 具体的な取り組み | KPI | 自己評価 | 評価の理由 | 今後の方針
    first, last = min(rows.values()), max(rows.values())
    assert sheet.cell(first, mark).value == "A"
    assert sheet.cell(first, reason).value == REASON
    merged = [m for m in sheet.merged_cells.ranges if m.min_col == m.max_col == mark]
    assert [(m.min_row, m.max_row >= last) for m in merged] == [(first, True)]
    marks = [sheet.cell(r, mark).value for r in range(1, sheet.max_row + 1)]
    reasons = [sheet.cell(r, reason).value for r in range(1, sheet.max_row + 1)]
    assert marks.count("A") == 1 and reasons.count(REASON) == 1


def _sorted(plan):
    """A plan with its reports' rows in key order (stores may list them in another)."""
    reports = tuple(
        replace(
            r,
            entries=tuple(sorted(r.entries, key=lambda e: e.node_key)),
            measurements=tuple(sorted(r.measurements, key=lambda m: m.kpi_key)),
            benchmarks=tuple(sorted(r.benchmarks, key=lambda b: b.kpi_key)),
        )
        for r in plan.reports
    )
    return replace(plan, reports=reports)


def test_a_plan_by_group_with_a_scope_in_annual6_goes_round_with_nothing_lost(
    demo_db, tmp_path: Path
):
    db = demo_db
    plan = by_groups(plans.get_plan(db, "13", 2024))
    midyear = plan.report(PeriodKind.MIDYEAR)
    entries = tuple(  # ②–④ hold no marks of their own: they are rated with ①
        replace(e, mark=None, mark_reason=None) if e.node_key in MEMBERS else e
        for e in midyear.entries
    )
    plan = replace(plan, reports=(replace(midyear, entries=entries),))
    plans.install_plan(db, plan, actor="it", replace=True)
    for key in MEMBERS:
        plan_editing.set_node_field(db, PLAN, key, "rated_with", HOLDER, actor="planner")
    plan_editing.set_print_profiles(db, PLAN, annual="annual6", actor="planner")
    _people(db)

    # Entered: 具体的な取り組み for every item of the scope, one mark and reason on it.
    for i, key in enumerate(SCOPE, start=1):
        editing.set_entry_field(db, ANNUAL, key, "actions", f"取組{i}を実施した。", actor="staff")
    editing.set_entry_field(db, ANNUAL, HOLDER, "mark", "A", actor="staff")
    editing.set_entry_field(db, ANNUAL, HOLDER, "mark_reason", REASON, actor="staff")

    # Reviewed: submitted, approved group by group (保健 by its supervisor), signed off.
    plan = plans.get_plan(db, "13", 2024)
    review.submit(db, ANNUAL, list(review.section_states(db, ANNUAL)), login="staff")
    review.approve_group(db, ANNUAL, Group.HEALTH, login="hoken", password="hoken-pass")
    for group in (*Group, None):
        waiting = review.section_states(db, ANNUAL)
        if any(waiting.get(k) is SectionState.SUBMITTED for k in keys_of_group(plan, group)):
            review.approve_group(db, ANNUAL, group, login="head", password="head-pass")
    states = review.section_states(db, ANNUAL)
    assert {states[k] for k in SCOPE} == {SectionState.APPROVED}
    review.sign_off(db, ANNUAL, login="head", password="head-pass")
    assert check_database(db).ok

    # Exported as the submission, and it verifies.
    share = tmp_path / "share"
    share.mkdir()
    sent = export.export_workbook(
        db, branch="13", fiscal_year=2024, period=PeriodKind.ANNUAL, kind=Kind.SUBMISSION,
        out=share, actor="head",
    ).path  # fmt: skip
    verdict = exchange.verify_file(sent)
    assert verdict.ok, verdict
    stored = plans.get_plan(db, "13", 2024)
    _the_scope_prints_once_by_group(sent, stored)
    data = read_workbook(sent)
    assert data.manifest.signed_off_by == "head"  # the review travels as the sign-off
    assert data.plan.print_profiles == ReportProfiles(annual="annual6")

    # Read into a fresh database: nothing lost.
    with open_database(tmp_path / "hq.sqlite3", create=True) as hq:
        expect = exchange.Expectation(kinds=(Kind.SUBMISSION,))
        exchange.apply_import(hq, exchange.preview_import(hq, sent, expect), actor="hq",
                              expect=expect)  # fmt: skip
        again = plans.get_plan(hq, "13", 2024)
        assert again.print_profiles == ReportProfiles(annual="annual6")
        assert (again.report_axis, again.number_per_group) == (ReportAxis.GROUP, True)
        assert [n.report_position for n in again.nodes] == [n.report_position for n in stored.nodes]
        assert [again.node(k).rated_with for k in MEMBERS] == [HOLDER] * 3
        there = load_report(hq, ANNUAL)
        assert (there.entry(HOLDER).mark, there.entry(HOLDER).mark_reason) == ("A", REASON)
        assert [there.entry(k).actions for k in SCOPE] == [
            f"取組{i}を実施した。" for i in range(1, 5)
        ]
        assert _sorted(again).report(PeriodKind.ANNUAL) == _sorted(stored).report(PeriodKind.ANNUAL)
        # The plan whole (a submission carries its own period's report, not the other).
        assert [r.period for r in again.reports] == [PeriodKind.ANNUAL]
        assert replace(again, reports=()) == replace(stored, reports=())
        assert check_database(hq).ok

    # Consolidated at HQ: the scope counted once.
    result = consolidate_folder(share, fiscal_year=2024, period=PeriodKind.ANNUAL)
    sections = result.figures.sections
    assert sections[HOLDER].counts["A"] == 1
    assert not set(MEMBERS) & set(sections)
    assert set(result.results["13"].marks) & set(SCOPE) == {HOLDER}
