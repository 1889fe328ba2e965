"""Rating scopes (issue 16 item 3): one mark and one reason over items ①–④ of
（２）サービス水準の向上 in Tokyo's FY2024 report — entered once, counted once,
suggested from all four items' KPIs, reviewed as one unit, printed as one merged
mark cell, and carried through plan JSON, work files, submissions and HQ's
consolidation."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from desktop.domain.errors import UserError
from desktop.domain.model import Direction, Kpi, Measurement, PeriodKind, TargetKind
from desktop.domain.review import Role, SectionState
from desktop.domain.series import mark_counts
from desktop.services import editing, export, plan_editing, plan_exchange, plans, review
from desktop.services.changes import PlanRef
from desktop.services.check import check_database
from desktop.services.consolidation import consolidate_folder
from desktop.services.workspace import load_report
from desktop.store.database import open_database
from desktop.workbooks.machine import Kind
from desktop.workbooks.print_sheets import REPORT_SHEETS
from desktop.workbooks.reader import read_workbook
from tests.helpers.reports import REF, export_work, sign_off_all

HEADING = "1.II.2"  # （２）サービス水準の向上
HOLDER = "1.II.2.1"  # ①: the scope's first item holds its mark and reason
MEMBERS = ("1.II.2.2", "1.II.2.3", "1.II.2.4")  # ②–④
SCOPE = (HOLDER, *MEMBERS)
PLAN = PlanRef("13", 2024)
REASON = "四項目とも目標を上回ったため（まとめ評価）"
DATA = Path(__file__).parents[1] / "data"


def _item_kpi(i: int, key: str) -> Kpi:
    return Kpi(
        key=f"{key}.k1",
        node_key=key,
        label="",
        name=f"項目{i}の処理件数",
        unit="件",
        decimals=0,
        direction=Direction.AT_LEAST,
        target_kind=TargetKind.FIXED,
        target=Decimal(100),
    )


@pytest.fixture
def db(demo_db):
    """Each of ①–④ with a KPI of its own: ①–③ 20 % beyond the target, ④ short of it;
    ②–④ without marks of their own."""
    plan = plans.get_plan(demo_db, "13", 2024)
    report = plan.report(PeriodKind.MIDYEAR)
    kpis = [_item_kpi(i, key) for i, key in enumerate(SCOPE, start=1)]
    values = {k.key: Decimal(120) for k in kpis[:3]} | {kpis[3].key: Decimal(80)}
    measurements = (*report.measurements, *(Measurement(k, v) for k, v in values.items()))
    entries = tuple(
        replace(e, mark=None, mark_reason=None) if e.node_key in SCOPE else e
        for e in report.entries
    )
    report = replace(report, measurements=measurements, entries=entries)
    plan = replace(plan, kpis=(*plan.kpis, *kpis), reports=(report,))
    plans.install_plan(demo_db, plan, actor="tester", replace=True)
    return demo_db


def _join(db) -> None:
    for key in MEMBERS:
        plan_editing.set_node_field(db, PLAN, key, "rated_with", HOLDER, actor="planner")


def _marks(db) -> dict[str, str | None]:
    return {e.node_key: e.mark for e in load_report(db, REF).entries.values()}


def test_one_rating_over_four_items_is_entered_once_and_counted_once(db):
    before = mark_counts(load_report(db, REF).plan, _marks(db))["1"]
    _join(db)
    plan = plans.get_plan(db, "13", 2024)
    assert [plan.node(k).rated_with for k in SCOPE] == [None, HOLDER, HOLDER, HOLDER]
    # The mark and its reason are entered once, on the scope's first item.
    editing.set_entry_field(db, REF, HOLDER, "mark", "○", actor="staff")
    editing.set_entry_field(db, REF, HOLDER, "mark_reason", REASON, actor="staff")
    with pytest.raises(UserError) as refused:
        editing.set_entry_field(db, REF, "1.II.2.3", "mark", "△", actor="staff")
    assert "①" in refused.value.message("ja") and "まとめて評価" in refused.value.message("ja")
    snap = load_report(db, REF)
    assert [snap.entry(k).mark for k in SCOPE] == ["○", None, None, None]
    # Counted once on the dashboard: ①–④ (four blanks before) are one rated unit, ○.
    after = mark_counts(snap.plan, _marks(db))["1"]
    assert sum(after.values()) == sum(before.values()) - 3
    assert after[""] == before[""] - 4 and after["○"] == before["○"] + 1
    report = check_database(db)  # the audit trail vouches for every stored scope
    assert report.ok, [(f.label.en, f.detail) for f in report.findings if not f.ok]


def test_an_item_with_a_mark_of_its_own_cannot_join_and_headings_cannot(db):
    editing.set_entry_field(db, REF, "1.II.2.2", "mark", "○", actor="staff")
    with pytest.raises(UserError) as refused:
        plan_editing.set_node_field(db, PLAN, "1.II.2.2", "rated_with", HOLDER, actor="p")
    assert "評価が入力されています" in refused.value.message("ja")
    with pytest.raises(UserError):  # a heading is not rated
        plan_editing.set_node_field(db, PLAN, "1.II.2.3", "rated_with", HEADING, actor="p")
    with pytest.raises(UserError):  # only siblings
        plan_editing.set_node_field(db, PLAN, "1.II.2.3", "rated_with", "1.II.3.1", actor="p")
    assert plans.get_plan(db, "13", 2024).node("1.II.2.3").rated_with is None


def test_the_suggestion_weighs_every_kpi_of_every_item_of_the_scope(db):
    alone = load_report(db, REF).suggestion(HOLDER)
    assert alone.symbol == "◎"  # ① alone: 20 % beyond its target
    _join(db)
    snap = load_report(db, REF)
    found = snap.suggestion(HOLDER)
    assert found.symbol == "△"  # ④ is short of its target
    words = " ".join(d.ja for d in found.details)
    assert all(f"項目{i}の処理件数" in words for i in range(1, 5))
    assert "項目4の処理件数" in found.reason("ja")
    # The same suggestion from any item of the scope.
    assert snap.suggestion("1.II.2.4") == found


def test_review_submits_and_approves_the_scope_as_one_unit(db):
    _join(db)
    review.add_user(db, login="admin", display_name="管理", role=Role.STAFF, password="a-pw")
    review.add_user(db, login="head", display_name="支部長", role=Role.BRANCH_HEAD,
                    password="head-pass", admin_login="admin", admin_password="a-pw")  # fmt: skip
    review.add_user(db, login="staff", display_name="担当", role=Role.STAFF,
                    admin_login="admin", admin_password="a-pw")  # fmt: skip
    done = review.submit(db, REF, [HOLDER], login="staff")
    assert len(done.records) == 4
    states = review.section_states(db, REF)
    assert {states[k] for k in SCOPE} == {SectionState.SUBMITTED}
    review.approve(db, REF, ["1.II.2.3"], login="head", password="head-pass")
    states = review.section_states(db, REF)
    assert {states[k] for k in SCOPE} == {SectionState.APPROVED}
    review.reopen(db, REF, "1.II.2.2", login="head", password="head-pass", reason="直し")
    assert {review.section_states(db, REF)[k] for k in SCOPE} == {SectionState.REOPENED}


def _report_rows(sheet, titles: list[str]) -> list[int]:
    """The row of each item, found by its title in the plan column."""
    rows = []
    for title in titles:
        rows.append(
            next(
                r
                for r in range(1, sheet.max_row + 1)
                if isinstance(sheet.cell(r, 1).value, str) and title in sheet.cell(r, 1).value
            )
        )
    return rows


def test_the_scope_prints_as_one_merged_mark_cell_and_once_in_the_pdf(db, tmp_path: Path):
    _join(db)
    editing.set_entry_field(db, REF, HOLDER, "mark", "◎", actor="staff")
    editing.set_entry_field(db, REF, HOLDER, "mark_reason", REASON, actor="staff")
    path = export.export_workbook(
        db, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR, kind=Kind.WORK,
        out=tmp_path, actor="staff", sections=[HEADING],
    ).path  # fmt: skip
    sheet = openpyxl.load_workbook(path)[REPORT_SHEETS[PeriodKind.MIDYEAR]]
    plan = plans.get_plan(db, "13", 2024)
    first, *_others, last = _report_rows(sheet, [plan.node(k).display_title for k in SCOPE])
    mark_column = 3  # 事業計画 | 実施状況 | 評価 | 今後の実施予定等
    merged = [m for m in sheet.merged_cells.ranges if m.min_col == m.max_col == mark_column]
    assert len(merged) == 1
    cell = merged[0]
    assert cell.min_row == first and cell.max_row >= last
    assert sheet.cell(first, mark_column).value == "◎"
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    from desktop.workbooks.pdf_render import write_pdf  # fpdf2 takes 0.7 s to import

    pdf = tmp_path / "scope.pdf"
    write_pdf(read_workbook(path), pdf)  # the work file's pages, laid out as a PDF
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8")
    assert "評価記入 1／1件" in text  # the cover counts the scope as one rated unit
    table = text.index("今後の実施予定等")  # the report table, after the cover
    section = text[
        text.index("（２）サービス水準の向上", table) : text.index("ＫＰＩ設定項目一覧表")
    ]
    assert len(re.findall("◎", section)) == 1  # one mark for ①–④
    assert re.sub(r"\s+", "", section).count(REASON) == 1


def test_scopes_travel_through_work_file_submission_and_consolidation(db, tmp_path: Path):
    _join(db)
    # The group's PC gets the section in a work file, enters the scope's mark there.
    out = export_work(db, tmp_path, [HEADING], actor="planner")
    from desktop.services import exchange

    with open_database(tmp_path / "group.sqlite3", create=True) as other:
        exchange.apply_import(other, exchange.preview_import(other, out), actor="g")
        there = plans.get_plan(other, "13", 2024)
        assert [there.node(k).rated_with for k in MEMBERS] == [HOLDER] * 3
        editing.set_entry_field(other, REF, HOLDER, "mark", "△", actor="g")
        editing.set_entry_field(other, REF, HOLDER, "mark_reason", REASON, actor="g")
        (tmp_path / "back").mkdir()
        back = export_work(other, tmp_path / "back", [HEADING], actor="g")
    exchange.apply_import(db, exchange.preview_import(db, back), actor="planner")
    snap = load_report(db, REF)
    assert (snap.entry(HOLDER).mark, snap.entry(HOLDER).mark_reason) == ("△", REASON)
    assert [snap.entry(k).mark for k in MEMBERS] == [None] * 3
    # The signed-off submission carries the scope; HQ counts it once.
    sign_off_all(db)
    folder = tmp_path / "hq"
    folder.mkdir()
    sent = export.export_workbook(
        db, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR, kind=Kind.SUBMISSION,
        out=folder, actor="head",
    ).path  # fmt: skip
    data = read_workbook(sent)
    assert [data.plan.node(k).rated_with for k in MEMBERS] == [HOLDER] * 3
    result = consolidate_folder(folder, fiscal_year=2024, period=PeriodKind.MIDYEAR)
    sections = result.figures.sections
    assert sections[HOLDER].counts["△"] == 1
    assert not set(MEMBERS) & set(sections)
    assert set(result.results["13"].marks) & set(SCOPE) == {HOLDER}


def test_scopes_round_trip_through_plan_json(db, tmp_path: Path):
    _join(db)
    out = plan_exchange.export_plan(db, "13", 2024, tmp_path / "tokyo.json")
    document = json.loads(out.read_text(encoding="utf-8"))
    heading = next(
        s for p in document["nodes"] for c in p["children"] for s in c["children"]
        if s["key"] == HEADING
    )  # fmt: skip
    assert [c.get("rated_with") for c in heading["children"]] == [None, *[HOLDER] * 3]
    read = plan_exchange.read_plan_document(out)
    assert read.nodes == plans.get_plan(db, "13", 2024).nodes
    # A scope naming no node, or a chain, is refused naming the place.
    heading["children"][1]["rated_with"] = "1.II.9"
    out.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(UserError) as bad:
        plan_exchange.read_plan_document(out)
    assert "rated_with" in bad.value.message("en")
    heading["children"][1]["rated_with"] = "1.II.2.3"  # ③ is itself rated with ①
    out.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(UserError):
        plan_exchange.read_plan_document(out)


def test_hq_template_scopes_reach_branch_plans_and_template_workbooks(demo_db, tmp_path: Path):
    template = plans.get_plan(demo_db, "00", 2025)
    items = next(
        [c.key for c in template.children(n.key)]
        for n in template.nodes
        if len(template.children(n.key)) >= 3
        and all(template.is_reportable(c.key) for c in template.children(n.key))
    )
    first, second, third = items[:3]
    hq = PlanRef("00", 2025)
    for key in (second, third):
        plan_editing.set_node_field(demo_db, hq, key, "rated_with", first, actor="hq")
    branch = plans.create_from_template(demo_db, "08", actor="hq")
    made = plans.get_plan(demo_db, branch.branch, branch.fiscal_year)
    assert (made.node(second).rated_with, made.node(third).rated_with) == (first, first)
    path = export.export_workbook(
        demo_db, branch="00", fiscal_year=2025, kind=Kind.TEMPLATE, out=tmp_path, actor="hq"
    ).path
    assert read_workbook(path).plan.node(third).rated_with == first


def test_a_format_4_workbook_still_reads_every_item_rated_on_its_own():
    """Written by PlanDesk before rating scopes (format 4, the full example submission)."""
    data = read_workbook(DATA.parent / "workbooks" / "data" / "format4_submission.xlsx")
    assert data.manifest.format_version == 4
    assert data.plan.nodes and all(n.rated_with is None for n in data.plan.nodes)
    assert data.report is not None and data.report.entries
