"""Workbook exchange on real SQLite files and real xlsx files."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from desktop.domain.errors import UserError
from desktop.domain.merge import Outcome
from desktop.domain.model import Group, PeriodKind
from desktop.domain.review import ReviewRefused
from desktop.services import editing, exchange, plans
from desktop.services.check import check_database
from desktop.store.database import open_database
from desktop.workbooks.machine import Kind, WorkbookError
from tests.helpers.reports import (
    HEALTH,
    REF,
    edited_by_the_group,
    export_work,
    export_work_result,
    group_sections,
    sign_off_all,
)


def test_work_file_round_trip_into_a_fresh_database(demo_db, tmp_path: Path):
    sections = group_sections(demo_db, Group.HEALTH)
    result = export_work_result(demo_db, tmp_path, sections, actor="planner")
    assert result.path.name == "2024_13_東京支部_上期進捗_作業ファイル_v01.xlsx"
    with open_database(tmp_path / "second.sqlite3", create=True) as other:
        preview = exchange.preview_import(other, result.path)
        assert preview.creates_plan and not preview.conflicts
        applied = exchange.apply_import(other, preview, actor="hoken")
        assert applied.created_plan and applied.applied == len(preview.new)
        mine = plans.get_plan(demo_db, "13", 2024).report(PeriodKind.MIDYEAR)
        theirs = plans.get_plan(other, "13", 2024).report(PeriodKind.MIDYEAR)
        nodes, _kpis = exchange.section_scope(plans.get_plan(demo_db, "13", 2024), sections)
        assert {e.node_key: e for e in theirs.entries} == {
            e.node_key: e for e in mine.entries if e.node_key in nodes and not e.is_empty
        } | {e.node_key: e for e in theirs.entries if e.is_empty}
        # The same file again changes nothing.
        again = exchange.preview_import(other, result.path)
        assert again.nothing_to_do
        assert check_database(other).ok


def test_a_conflict_is_shown_and_resolved_by_a_person(demo_db, tmp_path: Path):
    sections = group_sections(demo_db, Group.HEALTH)
    first = export_work(demo_db, tmp_path, sections, actor="planner")
    other = open_database(tmp_path / "group.sqlite3", create=True)
    exchange.apply_import(other, exchange.preview_import(other, first), actor="hoken")
    # The group edits two fields; the planning PC edits one of them too.
    editing.set_entry_field(other, REF, HEALTH, "status_text", "グループの文章", actor="hoken")
    editing.set_entry_field(other, REF, HEALTH, "next_steps", "グループの予定", actor="hoken")
    editing.set_entry_field(demo_db, REF, HEALTH, "status_text", "企画の文章", actor="planner")
    back = export_work(other, tmp_path, sections, actor="hoken")
    assert back.name.endswith("_v02.xlsx")
    preview = exchange.preview_import(demo_db, back)
    assert [(c.field, c.ours, c.theirs) for c in preview.conflicts] == [
        (f"entry/{HEALTH}/status_text", "企画の文章", "グループの文章")
    ]
    assert [c.field for c in preview.changes + preview.new] == [f"entry/{HEALTH}/next_steps"]
    with pytest.raises(UserError):  # every conflict needs a choice
        exchange.apply_import(demo_db, preview, actor="planner")
    exchange.apply_import(
        demo_db, preview, actor="planner", choices={f"entry/{HEALTH}/status_text": "theirs"}
    )
    entry = {e.node_key: e for e in plans.get_plan(demo_db, "13", 2024).reports[0].entries}
    assert entry[HEALTH].status_text == "グループの文章"
    assert entry[HEALTH].next_steps == "グループの予定"
    assert exchange.preview_import(demo_db, back).nothing_to_do
    other.close()


def test_keeping_ours_is_remembered(demo_db, tmp_path: Path):
    back = edited_by_the_group(demo_db, tmp_path, status_text="あちら")
    editing.set_entry_field(demo_db, REF, HEALTH, "status_text", "こちら", actor="p")
    preview = exchange.preview_import(demo_db, back)
    exchange.apply_import(
        demo_db, preview, actor="p", choices={f"entry/{HEALTH}/status_text": "ours"}
    )
    again = exchange.preview_import(demo_db, back)
    assert again.nothing_to_do
    assert [m.outcome for m in again.merges if m.field.endswith(f"{HEALTH}/status_text")] == [
        Outcome.KEEP
    ]


def test_submission_needs_sign_off_and_verifies(demo_db, tmp_path: Path):
    with pytest.raises(UserError) as err:
        exchange.export_workbook(
            demo_db, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR,
            kind=Kind.SUBMISSION, out=tmp_path, actor="p",
        )  # fmt: skip
    assert "決裁" in err.value.message("ja")
    sign_off_all(demo_db)
    result = exchange.export_workbook(
        demo_db, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR,
        kind=Kind.SUBMISSION, out=tmp_path, actor="head",
    )  # fmt: skip
    verdict = exchange.verify_file(result.path)
    assert verdict.ok, verdict.problems("en")
    assert verdict.data.manifest.signed_off_name == "支部長 山田"
    # The cover names people; the logins stay in the data (issue 12 B22).
    assert verdict.data.manifest.created_by == "head"
    assert verdict.data.manifest.created_name == "支部長 山田"
    cover = openpyxl.load_workbook(result.path)["表紙"]
    fields = {r[0].value: r[1].value for r in cover.iter_rows() if r[0].value}
    assert fields["作成者"] == "支部長 山田" and fields["種別"] == "提出版"

    # Refuses to overwrite a signed-off submission unless confirmed.
    with pytest.raises(exchange.OverwriteRefused):
        exchange.export_workbook(
            demo_db, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR,
            kind=Kind.SUBMISSION, out=result.path, actor="p",
        )  # fmt: skip
    exchange.export_workbook(
        demo_db, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR,
        kind=Kind.SUBMISSION, out=result.path, actor="p", overwrite_signed_off=True,
    )  # fmt: skip

    # One number changed by hand in the hidden data: verify names the KPI and field.
    wb = openpyxl.load_workbook(result.path)
    ws = wb["_measurements"]
    ws["B2"].value = "99.9"
    kpi = next(k for k in verdict.data.plan.kpis if k.key == ws["A2"].value)
    wb.save(result.path)
    verdict = exchange.verify_file(result.path)
    assert not verdict.ok
    assert f"KPI「{kpi.label}{kpi.name}」の「実績値」" in verdict.problems("ja")[0]
    assert f"figure of KPI '{kpi.label}{kpi.name}'" in verdict.problems("en")[0]
    assert "_measurements" not in verdict.problems("en")[0]


def test_import_respects_locks_and_expectations(demo_db, tmp_path: Path):
    sections = group_sections(demo_db, Group.HEALTH)
    out = export_work(demo_db, tmp_path, sections, actor="p")
    with pytest.raises(WorkbookError) as err:
        exchange.preview_import(demo_db, out, exchange.Expectation(fiscal_year=2023))
    assert "年度" in err.value.message("ja") and "fiscal year" in err.value.message("en")
    with pytest.raises(WorkbookError):
        exchange.preview_import(demo_db, out, exchange.Expectation(branch="01"))
    with pytest.raises(WorkbookError):
        exchange.preview_import(demo_db, out, exchange.Expectation(kinds=(Kind.TEMPLATE,)))

    with open_database(tmp_path / "g.sqlite3", create=True) as other:
        exchange.apply_import(other, exchange.preview_import(other, out), actor="g")
        editing.set_entry_field(other, REF, HEALTH, "status_text", "変更", actor="g")
        back = export_work(other, tmp_path, sections, actor="g")
    sign_off_all(demo_db)
    preview = exchange.preview_import(demo_db, back)
    assert [b.field for b in preview.blocked] == [f"entry/{HEALTH}/status_text"]
    assert not preview.changes
    before = plans.get_plan(demo_db, "13", 2024)
    result = exchange.apply_import(demo_db, preview, actor="p")
    assert result.applied == 0 and result.blocked == 1
    assert plans.get_plan(demo_db, "13", 2024) == before
    with pytest.raises(ReviewRefused):
        editing.set_entry_field(demo_db, REF, HEALTH, "status_text", "x", actor="p")


def test_template_import_creates_the_plan_once(demo_db, tmp_path: Path):
    out = exchange.export_workbook(
        demo_db, branch="00", fiscal_year=2025, kind=Kind.TEMPLATE, out=tmp_path, actor="hq"
    ).path
    assert out.name == "2025_00_本部_計画_計画テンプレート_v01.xlsx"
    expect = exchange.Expectation(kinds=(Kind.TEMPLATE,))
    with open_database(tmp_path / "new.sqlite3", create=True) as fresh:
        preview = exchange.preview_import(fresh, out, expect)
        assert preview.creates_plan
        exchange.apply_import(fresh, preview, actor="x", expect=expect)
        assert plans.get_plan(fresh, "00", 2025) == plans.get_plan(demo_db, "00", 2025)
        assert exchange.preview_import(fresh, out, expect).nothing_to_do


def test_a_change_here_after_the_preview_stops_the_import(demo_db, tmp_path: Path):
    back = edited_by_the_group(demo_db, tmp_path, status_text="あちら")
    preview = exchange.preview_import(demo_db, back)
    editing.set_entry_field(demo_db, REF, HEALTH, "status_text", "割り込み", actor="p")
    with pytest.raises(UserError) as err:
        exchange.apply_import(demo_db, preview, actor="p")
    assert "もう一度" in err.value.message("ja")


def test_a_file_replaced_after_the_preview_stops_the_import(demo_db, tmp_path: Path):
    sections = group_sections(demo_db, Group.HEALTH)
    out = export_work(demo_db, tmp_path, sections, actor="p")
    with open_database(tmp_path / "g.sqlite3", create=True) as other:
        exchange.apply_import(other, exchange.preview_import(other, out), actor="g")
        editing.set_entry_field(other, REF, HEALTH, "status_text", "一回目", actor="g")
        back = export_work(other, tmp_path, sections, actor="g")
        preview = exchange.preview_import(demo_db, back)
        editing.set_entry_field(other, REF, HEALTH, "status_text", "二回目", actor="g")
        exchange.export_workbook(
            other,
            branch="13",
            fiscal_year=2024,
            period=PeriodKind.MIDYEAR,
            kind=Kind.WORK,
            out=back,
            actor="g",
            sections=sections,
        )  # fmt: skip  (the same file name: someone saved over it)
    with pytest.raises(UserError):
        exchange.apply_import(demo_db, preview, actor="p")
    entry = {e.node_key: e for e in plans.get_plan(demo_db, "13", 2024).reports[0].entries}
    assert entry.get(HEALTH) is None or entry[HEALTH].status_text not in ("一回目", "二回目")
