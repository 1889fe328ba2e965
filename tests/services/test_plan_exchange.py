"""Whole plans as plandesk.plan/1 documents: export, a previewed import that merges
into what is stored (and refuses what the rules refuse), a new plan from HQ's template."""

from __future__ import annotations

import json
import warnings
from dataclasses import replace
from pathlib import Path

import pytest

from desktop.domain.errors import BadFile, BadInput, Refused, UserError
from desktop.domain.merge import Outcome
from desktop.domain.model import PeriodKind
from desktop.domain.plan_document import dump_plan
from desktop.domain.review import ReviewRefused
from desktop.services import editing, plan_exchange, plans
from desktop.services.changes import EntryChanged, PlanRef, PlanTextChanged
from desktop.services.check import check_database
from desktop.services.plan_exchange import Resolve
from desktop.store.database import Database, open_database
from tests.helpers.plan_documents import stored_with_entry, with_entry
from tests.helpers.reports import REF, sign_off_all

SECTION = "2.II.3"  # a 保健 section with its own plan text, nothing written in mid-year
WRITTEN = "1.I.1"  # a section with texts and a mark in the demo's mid-year report


def _texts(db: Database, branch: str = "13", year: int = 2024) -> str:
    return plan_exchange.plan_text(db, branch, year)


@pytest.mark.parametrize(("branch", "year"), [("13", 2024), ("13", 2023), ("00", 2025)])
def test_export_import_into_an_empty_database_export_is_identical(
    demo_db, tmp_path: Path, branch: str, year: int
):
    out = plan_exchange.export_plan(demo_db, branch, year, tmp_path)
    assert out.name == f"plan_{branch}_{year}.json"
    with open_database(tmp_path / "empty.sqlite3", create=True) as empty:
        plan = plan_exchange.read_plan_document(out)
        assert plan_exchange.preview_plan_import(empty, plan).creates_plan
        result = plan_exchange.apply_plan_import(empty, plan, actor="it")
        assert result.created_plan and result.changes.plans == {PlanRef(branch, year)}
        assert _texts(empty, branch, year) == out.read_text(encoding="utf-8")


def test_importing_the_stored_plan_again_changes_nothing(demo_db, tmp_path: Path):
    plan = plans.get_plan(demo_db, "13", 2024)
    preview = plan_exchange.preview_plan_import(demo_db, plan)
    assert preview.nothing_to_do and preview.left_alone and not preview.structure


def test_the_preview_lists_new_conflicting_and_left_alone_fields(demo_db):
    before = _texts(demo_db)
    plan = stored_with_entry(demo_db, WRITTEN, "status_text", "ファイルの実施状況")
    plan = with_entry(plan, "1.I.2", "status_text", "")  # not filled in the file
    plan = with_entry(plan, "1.II.1.1", "next_steps", "新しい予定")  # empty here
    preview = plan_exchange.preview_plan_import(demo_db, plan)
    assert [(p, m.field, m.theirs) for p, m in preview.conflicts] == [
        (PeriodKind.MIDYEAR, f"entry/{WRITTEN}/status_text", "ファイルの実施状況")
    ]
    assert [(p, m.field) for p, m in preview.new] == [
        (PeriodKind.MIDYEAR, "entry/1.II.1.1/next_steps")
    ]
    left_alone = {m.field: m.outcome for _p, m in preview.left_alone}
    assert left_alone["entry/1.I.2/status_text"] is Outcome.KEEP
    assert not preview.nothing_to_do
    assert _texts(demo_db) == before  # a preview changes nothing


def test_conflicts_need_a_choice_then_go_through_the_edit_scope(demo_db):
    plan = stored_with_entry(demo_db, WRITTEN, "status_text", "ファイルの実施状況")
    before = _texts(demo_db)
    with pytest.raises(Refused) as refused:
        plan_exchange.apply_plan_import(demo_db, plan, actor="it")
    assert "--prefer" in refused.value.text.ja and "--prefer" in refused.value.text.en
    assert _texts(demo_db) == before
    kept = plan_exchange.apply_plan_import(demo_db, plan, actor="it", resolve=Resolve.STORED)
    assert (kept.applied, kept.kept) == (0, 1) and _texts(demo_db) == before
    taken = plan_exchange.apply_plan_import(demo_db, plan, actor="it", resolve=Resolve.FILE)
    record = taken.changes.one(EntryChanged)
    assert (record.report, record.entry.status_text) == (REF, "ファイルの実施状況")
    assert plans.get_plan(demo_db, "13", 2024).report(PeriodKind.MIDYEAR) == plan.report(
        PeriodKind.MIDYEAR
    )


def test_a_plan_text_filled_by_the_file_is_a_plan_text_record(demo_db):
    editing.set_plan_text(demo_db, REF, SECTION, "", actor="a")
    stored = plans.get_plan(demo_db, "13", 2024)
    nodes = tuple(replace(n, plan_text="HQの計画") if n.key == SECTION else n for n in stored.nodes)
    result = plan_exchange.apply_plan_import(demo_db, replace(stored, nodes=nodes), actor="it")
    assert result.changes.one(PlanTextChanged).plan_text == "HQの計画"


def test_a_signed_off_report_is_not_overwritten(demo_db):
    sign_off_all(demo_db)
    plan = stored_with_entry(demo_db, SECTION, "status_text", "決裁後の書き換え")
    before = _texts(demo_db)
    preview = plan_exchange.preview_plan_import(demo_db, plan)
    assert [m.field for _p, m, _why in preview.blocked] == [f"entry/{SECTION}/status_text"]
    with pytest.raises(ReviewRefused) as refused:
        plan_exchange.apply_plan_import(demo_db, plan, actor="it", resolve=Resolve.FILE)
    assert "決裁済み" in refused.value.text.ja and "signed off" in refused.value.text.en
    assert _texts(demo_db) == before


def test_the_structure_of_a_plan_with_reports_is_not_replaced(demo_db):
    stored = plans.get_plan(demo_db, "13", 2024)
    kpis = tuple(
        replace(k, name=k.name + "（改）") if i == 0 else k for i, k in enumerate(stored.kpis)
    )
    before = _texts(demo_db)
    preview = plan_exchange.preview_plan_import(demo_db, replace(stored, kpis=kpis))
    assert preview.refused_structure and [c.key for c in preview.structure] == [kpis[0].key]
    with pytest.raises(Refused) as refused:
        plan_exchange.apply_plan_import(demo_db, replace(stored, kpis=kpis), actor="it")
    assert kpis[0].key in refused.value.text.en
    assert _texts(demo_db) == before


def test_a_plan_without_entered_data_is_replaced_whole(demo_db):
    stored = plans.get_plan(demo_db, "00", 2025)
    nodes = tuple(replace(n, title="新しい題") if i == 0 else n for i, n in enumerate(stored.nodes))
    incoming = replace(stored, nodes=nodes)
    preview = plan_exchange.preview_plan_import(demo_db, incoming)
    assert preview.replaces and not preview.refused_structure
    result = plan_exchange.apply_plan_import(demo_db, incoming, actor="it")
    assert result.replaced_plan and result.changes.plans == {PlanRef("00", 2025)}
    assert _texts(demo_db, "00", 2025) == dump_plan(incoming)


def test_branch_and_year_checks(demo_db):
    plan = plans.get_plan(demo_db, "13", 2024)
    with pytest.raises(BadFile):
        plan_exchange.preview_plan_import(demo_db, plan, branch="27")
    with pytest.raises(BadFile):
        plan_exchange.apply_plan_import(demo_db, plan, actor="it", fiscal_year=2025)


@pytest.mark.parametrize(
    ("content", "where"),
    [
        (b"{not json", "not valid JSON"),
        (json.dumps({"format": "plandesk.plan/2"}).encode(), "$.format"),
        ("テキスト".encode("cp932"), "UTF-8"),
    ],
)
def test_a_bad_file_is_refused_naming_the_fault(tmp_path: Path, content: bytes, where: str):
    path = tmp_path / "plan.json"
    path.write_bytes(content)
    with pytest.raises(BadFile) as refused:
        plan_exchange.read_plan_document(path)
    assert where in refused.value.text.en and "plan.json" in refused.value.text.ja


def test_a_figure_as_a_json_number_is_refused_by_name(demo_db, tmp_path: Path):
    text = _texts(demo_db).replace('"last_year_actual": "98.4"', '"last_year_actual": 98.4', 1)
    assert text != _texts(demo_db)
    path = tmp_path / "float.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BadFile) as refused:
        plan_exchange.read_plan_document(path)
    assert "last_year_actual" in refused.value.text.en


def test_new_plan_from_hq_template_for_another_branch(demo_db):
    installed = plan_exchange.new_plan(demo_db, "27", 2025, actor="it")
    plan = plans.get_plan(demo_db, "27", 2025)
    template = plans.get_plan(demo_db, "00", 2025)
    assert "大阪" in installed.title and not plan.reports
    assert [k.key for k in plan.kpis] == [k.key for k in template.kpis]
    with pytest.raises(UserError):
        plan_exchange.new_plan(demo_db, "27", 2025, actor="it")


def test_new_plan_from_a_branch_plan_document_drops_its_reports(demo_db, tmp_path: Path):
    out = plan_exchange.export_plan(demo_db, "13", 2024, tmp_path / "tokyo.json")
    template = plan_exchange.read_plan_document(out)
    plan_exchange.new_plan(demo_db, "08", 2024, actor="it", template=template)
    plan = plans.get_plan(demo_db, "08", 2024)
    assert not plan.reports and not any(k.monthly_actuals for k in plan.kpis)
    with pytest.raises(BadInput):
        plan_exchange.new_plan(demo_db, "09", 2025, actor="it", template=template)


def test_new_plan_without_a_template_for_the_year(demo_db):
    with pytest.raises(BadInput) as refused:
        plan_exchange.new_plan(demo_db, "27", 2031, actor="it")
    assert "--template" in refused.value.text.en


def test_replacing_a_plan_deletes_the_old_rows_without_a_warning(demo_db):
    """The ORM deleted nodes one by one while the database's cascade removed the child
    nodes already: SQLAlchemy warned "expected to delete 64 row(s); 3 were matched"
    (on stderr of `plandesk demo` run twice, and of every plan import that replaces)."""
    stored = plans.get_plan(demo_db, "00", 2025)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plans.install_plan(demo_db, stored, actor="it", replace=True)
        plan_exchange.apply_plan_import(demo_db, replace(stored, title="改訂"), actor="it")
    assert plans.get_plan(demo_db, "00", 2025).title == "改訂"
    assert len(plans.get_plan(demo_db, "00", 2025).nodes) == len(stored.nodes)


def _with_flags(plan):
    """``plan`` with an own section (and its KPIs) and HQ's 'branch may add' set."""
    nodes = tuple(
        replace(n, own=True) if n.key == SECTION
        else replace(n, branch_may_add=False) if n.key == "1.I"
        else replace(n, branch_may_add=True) if n.key == "1.I.1"
        else n
        for n in plan.nodes
    )  # fmt: skip
    kpis = tuple(replace(k, own=True) if k.node_key == SECTION else k for k in plan.kpis)
    return replace(plan, nodes=nodes, kpis=kpis, _index={})


def test_own_parts_and_branch_may_add_round_trip_into_an_empty_database(demo_db, tmp_path):
    stored = _with_flags(plans.get_plan(demo_db, "13", 2024))
    plan = replace(
        stored, reports=(), kpis=tuple(replace(k, monthly_actuals=()) for k in stored.kpis)
    )
    document = tmp_path / "plan.json"
    document.write_text(dump_plan(plan), encoding="utf-8")
    with open_database(tmp_path / "empty.sqlite3", create=True) as empty:
        plan_exchange.apply_plan_import(
            empty, plan_exchange.read_plan_document(document), actor="it"
        )
        back = plans.get_plan(empty, "13", 2024)
        assert dump_plan(back) == dump_plan(plan)
        assert [n.key for n in back.nodes if n.own] == [SECTION]
        assert {n.key: n.branch_may_add for n in back.nodes if n.branch_may_add is not None} == {
            "1.I": False, "1.I.1": True,
        }  # fmt: skip
        assert {k.key for k in back.kpis if k.own} == {k.key for k in plan.kpis_of(SECTION)}


def test_own_and_branch_may_add_are_merged_into_a_plan_with_reports(demo_db):
    """The flags lose nothing when they change: merged as fields (shown in the preview),
    not refused as a structure change of a plan that holds reports."""
    incoming = _with_flags(plans.get_plan(demo_db, "13", 2024))
    preview = plan_exchange.preview_plan_import(demo_db, incoming)
    assert not preview.structure and not preview.refused_structure
    shown = {(m.owner, m.label("ja"), m.theirs) for _p, m in preview.new}
    assert (SECTION, "支部独自", "true") in shown
    assert ("1.I", "支部の追加", "false") in shown and ("1.I.1", "支部の追加", "true") in shown
    assert ("2.II.3.k1", "支部独自", "true") in shown
    result = plan_exchange.apply_plan_import(demo_db, incoming, actor="it")
    assert result.applied == len(preview.new)
    assert dump_plan(plans.get_plan(demo_db, "13", 2024)) == dump_plan(incoming)
    assert plan_exchange.preview_plan_import(demo_db, incoming).nothing_to_do
    assert check_database(demo_db).ok
