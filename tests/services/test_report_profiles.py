"""Print profiles end to end (issue 16 items 1 and 4): the layout HQ's template
chooses per period travels into branch plans, prints on the sheets and in the PDF,
and 具体的な取り組み (actions) travels like every other text of a report."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from desktop.domain.achievement import format_value
from desktop.domain.kpi_lines import kpi_lines
from desktop.domain.model import PeriodKind
from desktop.domain.plan_document import from_document, to_document
from desktop.domain.print_profiles import PROFILES, ReportProfiles
from desktop.services import editing, exchange, export, plan_exchange, plans
from desktop.services.editing import ReportRef
from desktop.store.database import open_database
from desktop.workbooks.machine import Kind
from desktop.workbooks.print_sheets import REPORT_SHEETS
from tests.helpers.poppler import needs_poppler
from tests.helpers.reports import HEALTH, REF, edited_by_the_group, sign_off_all

ACTIONS = "事業所訪問を12回実施し、健康宣言の勧奨を行った。"


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pdf_text(path: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return _flat(out.stdout.decode("utf-8"))


def _what_must_print(db) -> list[str]:
    """Every section title, mark and figure of the demo report, and the actions."""
    plan = plans.get_plan(db, "13", 2024)
    report = plan.report(PeriodKind.MIDYEAR)
    assert report is not None
    lines = kpi_lines(plan, PeriodKind.MIDYEAR)
    return [
        *(n.display_title for n in plan.nodes),
        *(e.mark for e in report.entries if e.mark),
        *(line.actual_text() for line in lines),
        *(line.target_text() for line in lines),
        *(format_value(k, k.last_year_actual) for k in plan.kpis if k.last_year_actual is not None),
        ACTIONS,
    ]


@needs_poppler
@pytest.mark.parametrize("key", sorted(PROFILES))
def test_each_profile_prints_every_title_mark_figure_and_the_actions_in_the_pdf(
    demo_db, tmp_path: Path, key: str
):
    editing.set_entry_field(demo_db, REF, HEALTH, "actions", ACTIONS, actor="t")
    result = export.export_pdf(
        demo_db, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR, profile=key,
        out=tmp_path, actor="t",
    )  # fmt: skip
    text = _pdf_text(result.path)
    missing = [t for t in _what_must_print(demo_db) if _flat(t) not in text]
    assert not missing
    profile = PROFILES[key]
    header = "".join(c.title for c in profile.columns)
    assert header in text  # the profile's own column titles, in order
    if profile.kpi_box:
        assert "KPI（目標）実績前年度前々年度" in text


def _with_profiles(db, profiles: ReportProfiles) -> None:
    """The demo plan as if its template had chosen ``profiles`` (installed again)."""
    plan = plans.get_plan(db, "13", 2024)
    plans.install_plan(db, replace(plan, print_profiles=profiles), actor="t", replace=True)


@pytest.mark.parametrize("key", sorted(PROFILES))
def test_each_profile_is_the_workbooks_print_sheet_and_it_verifies(
    demo_db, tmp_path: Path, key: str
):
    editing.set_entry_field(demo_db, REF, HEALTH, "actions", ACTIONS, actor="t")
    _with_profiles(demo_db, ReportProfiles(midyear=key))
    sign_off_all(demo_db)
    result = exchange.export_workbook(
        demo_db, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR,
        kind=Kind.SUBMISSION, out=tmp_path, actor="head",
    )  # fmt: skip
    verdict = exchange.verify_file(result.path)
    assert verdict.ok, verdict.problems("en")  # the seal covers what the profile prints
    sheet = openpyxl.load_workbook(result.path)[REPORT_SHEETS[PeriodKind.MIDYEAR]]
    text = _flat("".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c))
    missing = [t for t in _what_must_print(demo_db) if _flat(t) not in text]
    if key == "progress4":  # the sheets print every section title, the KPI table the rest
        missing = [t for t in missing if t != ACTIONS]
    assert not missing
    assert _flat(ACTIONS) in text
    titles = [c.title for c in PROFILES[key].columns]
    header = next(
        row for row in sheet.iter_rows(values_only=True) if row[0] == titles[0] and row[1]
    )
    assert [c for c in header if c] == titles


def test_a_template_choosing_annual6_makes_a_branch_plan_print_it(tmp_path: Path):
    template = plan_exchange.template_for(plans.init_database(tmp_path / "x.sqlite3"), 2025)
    chosen = replace(template, print_profiles=ReportProfiles(annual="annual6"))
    # HQ's template as a plan document: the choice travels in plan JSON.
    document = to_document(chosen)
    assert document["print_profiles"] == {"midyear": "progress4", "annual": "annual6"}
    with open_database(tmp_path / "branch.sqlite3", create=True) as db:
        plan_exchange.new_plan(db, "01", 2025, actor="t", template=from_document(document))
        plan = plans.get_plan(db, "01", 2025)
        assert plan.print_profiles == ReportProfiles(annual="annual6")
        item = next(n.key for n in plan.nodes if plan.is_reportable(n.key) and n.plan_text)
        annual = ReportRef("01", 2025, PeriodKind.ANNUAL)
        editing.set_entry_field(db, annual, item, "actions", ACTIONS, actor="t")
        result = exchange.export_workbook(
            db, branch="01", fiscal_year=2025, period=PeriodKind.ANNUAL, kind=Kind.WORK,
            out=tmp_path, actor="t",
        )  # fmt: skip
        assert exchange.verify_file(result.path).ok
        sheet = openpyxl.load_workbook(result.path)[REPORT_SHEETS[PeriodKind.ANNUAL]]
        rows = [[c for c in row if c] for row in sheet.iter_rows(values_only=True)]
        assert [c.title for c in PROFILES["annual6"].columns] in rows
        assert any(ACTIONS in str(c) for row in rows for c in row)
        # The mid-year report keeps today's four columns.
        midyear = ReportRef("01", 2025, PeriodKind.MIDYEAR)
        editing.set_entry_field(db, midyear, item, "status_text", "実施した", actor="t")
        result = exchange.export_workbook(
            db, branch="01", fiscal_year=2025, period=PeriodKind.MIDYEAR, kind=Kind.WORK,
            out=tmp_path, actor="t",
        )  # fmt: skip
        sheet = openpyxl.load_workbook(result.path)[REPORT_SHEETS[PeriodKind.MIDYEAR]]
        rows = [[c for c in row if c] for row in sheet.iter_rows(values_only=True)]
        assert ["事業計画", "実施状況", "評価", "今後の実施予定等"] in rows
        if shutil.which("pdftotext"):
            pdf = export.export_pdf(
                db, branch="01", fiscal_year=2025, period=PeriodKind.ANNUAL, out=tmp_path,
                actor="t",
            )  # fmt: skip
            assert _flat("".join(c.title for c in PROFILES["annual6"].columns)) in _pdf_text(
                pdf.path
            )


def test_actions_travel_through_a_work_file_and_merge(demo_db, tmp_path: Path):
    back = edited_by_the_group(demo_db, tmp_path, actions=ACTIONS)
    preview = exchange.preview_import(demo_db, back)
    assert [c.field for c in preview.changes + preview.new] == [f"entry/{HEALTH}/actions"]
    exchange.apply_import(demo_db, preview, actor="p")
    entries = {e.node_key: e for e in plans.get_plan(demo_db, "13", 2024).reports[0].entries}
    assert entries[HEALTH].actions == ACTIONS
    assert exchange.preview_import(demo_db, back).nothing_to_do
    # Both sides change it: a conflict a person resolves, like any text.
    again = edited_by_the_group(demo_db, tmp_path / "again", actions="あちらの取り組み")
    editing.set_entry_field(demo_db, REF, HEALTH, "actions", "こちらの取り組み", actor="p")
    preview = exchange.preview_import(demo_db, again)
    assert [(c.field, c.ours, c.theirs) for c in preview.conflicts] == [
        (f"entry/{HEALTH}/actions", "こちらの取り組み", "あちらの取り組み")
    ]


def test_actions_travel_in_a_submission_into_a_fresh_database(demo_db, tmp_path: Path):
    editing.set_entry_field(demo_db, REF, HEALTH, "actions", ACTIONS, actor="t")
    sign_off_all(demo_db)
    result = exchange.export_workbook(
        demo_db, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR,
        kind=Kind.SUBMISSION, out=tmp_path, actor="head",
    )  # fmt: skip
    with open_database(tmp_path / "hq.sqlite3", create=True) as other:
        exchange.apply_import(other, exchange.preview_import(other, result.path), actor="hq")
        entries = {e.node_key: e for e in plans.get_plan(other, "13", 2024).reports[0].entries}
        assert entries[HEALTH].actions == ACTIONS


def test_actions_and_profiles_travel_in_plan_json(demo_db):
    editing.set_entry_field(demo_db, REF, HEALTH, "actions", ACTIONS, actor="t")
    plan = replace(plans.get_plan(demo_db, "13", 2024), print_profiles=ReportProfiles("annual6"))
    again = from_document(to_document(plan))
    assert again.print_profiles == plan.print_profiles
    assert {e.node_key: e.actions for e in again.reports[0].entries}[HEALTH] == ACTIONS
    # A document without the fields (every one before them): the defaults.
    bare = to_document(plans.get_plan(demo_db, "13", 2024))
    assert "print_profiles" not in bare
    assert from_document(bare).print_profiles == ReportProfiles()


@pytest.mark.parametrize(
    ("key", "old", "new"), [("plan_results2", "98.4％", "99.9％"), ("annual6", ACTIONS, "改ざん")]
)
def test_the_seal_covers_the_kpi_box_and_the_actions(
    demo_db, tmp_path: Path, key: str, old: str, new: str
):
    """A figure changed by hand in plan_results2's KPI box, or the actions in annual6's
    column, is caught: the seal holds what each profile prints."""
    editing.set_entry_field(demo_db, REF, HEALTH, "actions", ACTIONS, actor="t")
    _with_profiles(demo_db, ReportProfiles(midyear=key))
    sign_off_all(demo_db)
    result = exchange.export_workbook(
        demo_db, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR,
        kind=Kind.SUBMISSION, out=tmp_path, actor="head",
    )  # fmt: skip
    assert exchange.verify_file(result.path).ok
    book = openpyxl.load_workbook(result.path)
    sheet = book[REPORT_SHEETS[PeriodKind.MIDYEAR]]
    cell = next(c for row in sheet.iter_rows() for c in row if old in str(c.value or ""))
    cell.value = str(cell.value).replace(old, new)
    book.save(result.path)
    assert not exchange.verify_file(result.path).ok


# --- choosing the profiles (plan_editing.set_print_profiles) ----------------------------


def test_the_profiles_are_chosen_per_period_audited_and_locked_by_the_plans_approval(demo_db):
    from desktop.domain.errors import BadInput
    from desktop.domain.review import ReviewRefused
    from desktop.services import plan_approval, plan_editing
    from desktop.services.changes import StructureChanged
    from desktop.services.check import check_database
    from tests.helpers.plan_people import HEAD, add_plan_people

    changes = plan_editing.set_print_profiles(demo_db, REF, annual="annual6", actor="planner")
    assert changes.one(StructureChanged).kind == "plan"
    stored = plans.get_plan(demo_db, "13", 2024).print_profiles
    assert stored == ReportProfiles(midyear="progress4", annual="annual6")
    assert check_database(demo_db).ok  # the audit trail accounts for the new value
    # A key no profile has: refused with the known keys named, nothing changed.
    with pytest.raises(BadInput) as bad:
        plan_editing.set_print_profiles(demo_db, REF, midyear="annual7", actor="planner")
    assert "annual7" in bad.value.text.ja and "plan_results2" in bad.value.text.en
    assert plans.get_plan(demo_db, "13", 2024).print_profiles == stored
    # While the plan is submitted, and approved: refused.
    add_plan_people(demo_db)
    plan_approval.submit_plan(demo_db, "13", 2024, login="planner")
    with pytest.raises(ReviewRefused) as refused:
        plan_editing.set_print_profiles(demo_db, REF, midyear="plan_results2", actor="planner")
    assert "承認待ち" in refused.value.text.ja
    plan_approval.approve_plan(demo_db, "13", 2024, **HEAD)
    with pytest.raises(ReviewRefused) as refused:
        plan_editing.set_print_profiles(demo_db, REF, annual="progress4", actor="planner")
    assert "承認済み" in refused.value.text.ja
    assert plans.get_plan(demo_db, "13", 2024).print_profiles == stored
