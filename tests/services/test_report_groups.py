"""Groups as a report axis (issue 16 item 2) through the services and files: the
plan's axis, numbering and order stored, in plan JSON, in workbooks, carried into
branch plans; printed by group in the xlsx and the PDF; approved per group; and a
plan by groups consolidated at HQ with nothing lost."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from desktop.domain.model import Group, PeriodKind, ReportAxis
from desktop.domain.report_order import ReportHeading, keys_of_group, report_order
from desktop.domain.review import ReviewRefused, Role, SectionState
from desktop.services import exchange, export, plan_exchange, plans, review, rollover
from desktop.services.check import check_database
from desktop.services.consolidation import BranchStatus, consolidate_folder, scan_folder
from desktop.services.demo_submissions import demo_submission
from desktop.services.exchange import file_stem, next_free_path
from desktop.store.database import Database, open_database
from desktop.workbooks.machine import FORMAT_VERSION, Kind
from desktop.workbooks.print_sheets import REPORT_SHEETS
from desktop.workbooks.reader import read_workbook
from desktop.workbooks.writer import write_workbook
from tests.group_plan import FIRST_GROUP, by_groups
from tests.helpers.poppler import needs_poppler
from tests.helpers.reports import REF

DATA = Path(__file__).parents[1] / "workbooks" / "data"


def _install(db: Database):
    plan = by_groups(plans.get_plan(db, "13", 2024))
    plans.install_plan(db, plan, actor="it", replace=True)
    return plans.get_plan(db, "13", 2024)


def _expected_titles(plan) -> list[str]:
    """The report's lines as printed: group headings and 'number + title'."""
    return [
        line.text if isinstance(line, ReportHeading) else line.title for line in report_order(plan)
    ]


# --- stored, in plan JSON, in workbooks, carried -----------------------------------------


def test_the_axis_and_order_are_stored_and_accounted_for(demo_db):
    before = plans.get_plan(demo_db, "13", 2024)
    stored = _install(demo_db)
    assert stored.report_axis is ReportAxis.GROUP and stored.number_per_group
    assert stored == by_groups(before)
    placed = [n for n in stored.nodes if n.report_position is not None]
    assert len(placed) > 20
    report = check_database(demo_db)  # the audit trail vouches for the new columns
    assert report.ok, [(f.label.en, f.detail) for f in report.findings if not f.ok]


def test_plan_json_round_trip_and_documents_without_the_fields(demo_db, tmp_path: Path):
    stored = _install(demo_db)
    out = plan_exchange.export_plan(demo_db, "13", 2024, tmp_path / "tokyo.json")
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["report_axis"] == "group" and document["number_per_group"] is True
    again = plan_exchange.read_plan_document(out)
    assert (again.report_axis, again.number_per_group) == (ReportAxis.GROUP, True)
    assert again.nodes == stored.nodes
    # A plan by tree writes none of them: older documents and readers stay as they were.
    plain = plan_exchange.export_plan(demo_db, "13", 2023, tmp_path / "old.json")
    text = plain.read_text(encoding="utf-8")
    assert "report_axis" not in text and "report_position" not in text
    assert plan_exchange.read_plan_document(plain).report_axis is ReportAxis.TREE
    document["report_axis"] = "pillar"
    out.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(Exception) as refused:
        plan_exchange.read_plan_document(out)
    assert "$.report_axis" in str(refused.value.text.en)


def test_workbook_round_trip_and_a_format_4_file_reads_by_tree(demo_db, tmp_path: Path):
    stored = _install(demo_db)
    path = exchange.export_workbook(
        demo_db, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR,
        kind=Kind.WORK, out=tmp_path, actor="it",
    ).path  # fmt: skip
    data = read_workbook(path)
    assert data.manifest.format_version == FORMAT_VERSION == 5
    assert data.plan.report_axis is ReportAxis.GROUP and data.plan.number_per_group
    assert {n.key: n.report_position for n in data.plan.nodes} == {
        n.key: n.report_position for n in stored.nodes
    }
    old = read_workbook(DATA / "format4_submission.xlsx")
    assert old.manifest.format_version == 4
    assert old.plan.report_axis is ReportAxis.TREE and not old.plan.number_per_group
    assert all(n.report_position is None for n in old.plan.nodes)
    assert exchange.verify_file(DATA / "format4_submission.xlsx").ok


def test_the_templates_axis_goes_into_branch_plans(demo_db, tmp_path: Path):
    template = by_groups(plans.get_plan(demo_db, "00", 2025))
    plans.install_plan(demo_db, template, actor="hq", replace=True)
    plan_exchange.new_plan(demo_db, "27", 2025, actor="it")
    made = plans.get_plan(demo_db, "27", 2025)
    assert made.report_axis is ReportAxis.GROUP and made.number_per_group
    assert [n.report_position for n in made.nodes] == [n.report_position for n in template.nodes]
    rollover.roll_over(demo_db, "13", actor="suzuki")
    rolled = plans.get_plan(demo_db, "13", 2025)
    assert rolled.report_axis is ReportAxis.GROUP
    assert [n.report_position for n in rolled.nodes] == [n.report_position for n in template.nodes]
    # ... and through the template workbook to another PC.
    out = exchange.export_workbook(
        demo_db, branch="00", fiscal_year=2025, kind=Kind.TEMPLATE, out=tmp_path, actor="hq"
    ).path
    expect = exchange.Expectation(kinds=(Kind.TEMPLATE,))
    with open_database(tmp_path / "branch.sqlite3", create=True) as branch:
        preview = exchange.preview_import(branch, out, expect)
        exchange.apply_import(branch, preview, actor="x", expect=expect)
        assert plans.get_plan(branch, "00", 2025) == plans.get_plan(demo_db, "00", 2025)


# --- printed -----------------------------------------------------------------------------


def _sheet_texts(path: Path, sheet: str) -> list[str]:
    ws = openpyxl.load_workbook(path)[sheet]
    return [str(c.value) for row in ws.iter_rows(max_col=1) for c in row if c.value]


def test_the_xlsx_report_prints_group_headings_and_numbers_per_group(demo_db, tmp_path: Path):
    stored = _install(demo_db)
    path = exchange.export_workbook(
        demo_db, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR,
        kind=Kind.WORK, out=tmp_path, actor="it",
    ).path  # fmt: skip
    column_a = _sheet_texts(path, REPORT_SHEETS[PeriodKind.MIDYEAR])
    expected = _expected_titles(stored)
    found = [
        next(i for i, text in enumerate(column_a) if text.split("\n")[0] == want)
        for want in expected
    ]
    assert found == sorted(found), "the rows are printed in the report's order"
    assert expected[0] == f"{FIRST_GROUP.value}グループ" and expected[1].startswith("①")
    headings = [t for t in expected if t.endswith("グループ")]
    assert len(headings) >= 3
    for heading in headings:  # numbering restarts under each heading
        assert expected[expected.index(heading) + 1].startswith("①")
    assert exchange.verify_file(path).ok  # its printed pages match its data


@needs_poppler
def test_the_pdf_prints_the_same_order(demo_db, tmp_path: Path):
    stored = _install(demo_db)
    result = export.export_pdf(
        demo_db, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR, out=tmp_path,
        actor="it",
    )  # fmt: skip
    out = subprocess.run(
        ["pdftotext", "-layout", str(result.path), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    flat = re.sub(r"\s+", "", out.stdout.decode("utf-8"))
    at = 0
    for title in _expected_titles(stored):
        want = re.sub(r"\s+", "", title)[:10]  # a long title wraps in its cell
        found = flat.find(want, at)
        assert found >= 0, f"{want!r} not after position {at}"
        at = found + 1


# --- reviewed per group ------------------------------------------------------------------


def _people(db: Database) -> None:
    review.add_user(db, login="admin", display_name="管理", role=Role.ADMIN, password="a-pw")
    for login, name, role, group, password in (
        ("staff", "担当", Role.STAFF, None, None),
        ("hoken", "保健グループ長", Role.SUPERVISOR, Group.HEALTH, "hoken-pass"),
        ("gyomu", "業務グループ長", Role.SUPERVISOR, Group.OPERATIONS, "gyomu-pass"),
    ):
        review.add_user(db, login=login, display_name=name, role=role, group=group,
                        password=password, admin_login="admin", admin_password="a-pw")  # fmt: skip


def test_a_supervisor_approves_one_groups_sections_at_once(demo_db):
    plan = _install(demo_db)
    _people(demo_db)
    health = keys_of_group(plan, Group.HEALTH)
    operations = keys_of_group(plan, Group.OPERATIONS)
    review.submit(demo_db, REF, [*health, *operations], login="staff")
    with pytest.raises(ReviewRefused):  # not their group: nothing approved
        review.approve_group(demo_db, REF, Group.OPERATIONS, login="hoken", password="hoken-pass")
    changes = review.approve_group(demo_db, REF, Group.HEALTH, login="hoken", password="hoken-pass")
    assert [r.node_key for r in changes.records] == health  # one envelope, report order
    states = review.section_states(demo_db, REF)
    assert all(states[k] is SectionState.APPROVED for k in health)
    assert all(states[k] is SectionState.SUBMITTED for k in operations)
    with pytest.raises(ReviewRefused) as nothing:  # nothing of theirs waits any more
        review.approve_group(demo_db, REF, Group.HEALTH, login="hoken", password="hoken-pass")
    assert "保健グループ" in nothing.value.text.ja
    report = check_database(demo_db)
    assert report.ok, [(f.label.en, f.detail) for f in report.findings if not f.ok]


# --- consolidated at HQ --------------------------------------------------------------------


def test_a_plan_by_groups_is_consolidated_with_nothing_lost(demo_db, tmp_path: Path):
    """Tokyo exports its submission of a plan by groups, HQ imports it and consolidates
    it with the other branches' (demo) submissions of the same plan."""
    stored = _install(demo_db)
    share = tmp_path / "share"
    share.mkdir()
    from tests.helpers.reports import sign_off_all

    sign_off_all(demo_db)
    tokyo = exchange.export_workbook(
        demo_db, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR,
        kind=Kind.SUBMISSION, out=share, actor="head",
    ).path  # fmt: skip
    for code in ("01", "27", "47"):
        data = demo_submission(code, plan=stored)
        assert data.plan.report_axis is ReportAxis.GROUP
        write_workbook(data, next_free_path(share, file_stem(data.manifest)))
    board = scan_folder(share, fiscal_year=2024, period=PeriodKind.MIDYEAR)
    assert {b.code for b in board.branches_with(BranchStatus.VALID)} == {"01", "13", "27", "47"}
    result = consolidate_folder(share, fiscal_year=2024, period=PeriodKind.MIDYEAR)
    assert {k.key for k in result.kpis} == {k.key for k in stored.kpis}
    # HQ's copy of Tokyo's file: the same plan and report as Tokyo's database holds.
    with open_database(tmp_path / "hq.sqlite3", create=True) as hq:
        expect = exchange.Expectation(kinds=(Kind.SUBMISSION,))
        preview = exchange.preview_import(hq, tokyo, expect)
        exchange.apply_import(hq, preview, actor="hq", expect=expect)
        assert _content(plans.get_plan(hq, "13", 2024)) == _content(
            stored_again := (plans.get_plan(demo_db, "13", 2024))
        )
    assert _content(read_workbook(tokyo).plan) == _content(stored_again)
    assert stored_again.report_axis is ReportAxis.GROUP


def _content(plan):
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
