"""Importing HQ's template workbook whose targets per branch differ from the stored
template (issue 15): a previewed merge — the preview names each branch × KPI target
that changes; applying updates HQ's table and, in the branch plans made from it, only
the targets the branch has not set itself."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from desktop.domain.model import Direction, TargetKind
from desktop.services import branch_targets, exchange, plan_editing, plans
from desktop.services.changes import BranchTargetChanged, PlanRef, StructureChanged
from desktop.services.export import export_workbook
from desktop.store import content
from desktop.workbooks.machine import Kind, WorkbookError

YEAR = 2025
TEMPLATES = exchange.Expectation(kinds=(Kind.TEMPLATE,))


def _fixed_kpis(db) -> list:
    plan = branch_targets.target_sheet(db, YEAR).plan
    return [k for k in plan.kpis if k.target_kind is TargetKind.FIXED
            and k.direction is Direction.AT_LEAST and k.target is not None][:2]  # fmt: skip


@pytest.fixture
def hq_file(demo_db, tmp_path: Path) -> Path:
    """HQ's template as a workbook with new cells for Osaka and Ibaraki; the database
    keeps the template as it was (the defaults) and has both branches' plans made
    from it, Ibaraki having set one of those targets itself."""
    a, b = _fixed_kpis(demo_db)
    cells = {("27", a.key): "71.5％以上", ("08", a.key): "66.0", ("27", b.key): "対前年度以上"}
    branch_targets.set_branch_targets(demo_db, YEAR, cells, actor="hq")
    out = export_workbook(demo_db, branch="00", fiscal_year=YEAR, kind=Kind.TEMPLATE,
                          out=tmp_path / "hq.xlsx", actor="hq").path  # fmt: skip
    branch_targets.set_branch_targets(demo_db, YEAR, dict.fromkeys(cells), actor="hq")
    for code in ("27", "08"):
        plans.create_from_template(demo_db, code, actor="planner")
    plan_editing.set_kpi_fields(demo_db, PlanRef("08", YEAR), a.key, {"target": "70.0"},
                                actor="planner")  # fmt: skip
    return out


def _kpi(db, branch: str, key: str):
    return next(k for k in plans.get_plan(db, branch, YEAR).kpis if k.key == key)


def test_the_preview_names_every_changed_target_and_what_each_branch_plan_takes(
    demo_db, hq_file: Path
):
    a, b = _fixed_kpis(demo_db)
    preview = exchange.preview_import(demo_db, hq_file, TEMPLATES)
    assert not preview.nothing_to_do
    changed = {(c.branch, c.kpi_key): c.new_text for c in preview.targets.cells}
    assert changed == {("27", a.key): "71.5％以上", ("08", a.key): "66.0％以上",
                       ("27", b.key): "対前年度以上"}  # fmt: skip
    effects = {(e.branch, e.kpi_key): e.applies for e in preview.targets.branch_plans}
    assert effects == {("27", a.key): True, ("08", a.key): False, ("27", b.key): True}
    ja = "\n".join(line.ja for line in preview.targets.lines())
    en = "\n".join(line.en for line in preview.targets.lines())
    assert "大阪支部" in ja and f"{a.label}{a.name}" in ja and "71.5％以上" in ja
    assert "支部が自ら設定した目標のため変更しません" in ja
    assert "the branch set this target itself" in en
    before = plans.get_plan(demo_db, "00", YEAR)
    assert plans.get_plan(demo_db, "00", YEAR) == before  # a preview changes nothing


def test_applying_updates_hq_and_the_targets_branches_have_not_set(demo_db, hq_file: Path):
    a, b = _fixed_kpis(demo_db)
    preview = exchange.preview_import(demo_db, hq_file, TEMPLATES)
    result = exchange.apply_import(demo_db, preview, actor="hq", expect=TEMPLATES)
    table = plans.get_plan(demo_db, "00", YEAR).branch_targets
    assert table.get("27", a.key).value == Decimal("71.5")
    assert table.get("08", a.key).value == Decimal("66.0")
    osaka = _kpi(demo_db, "27", a.key)
    assert (osaka.target_kind, osaka.target) == (TargetKind.FIXED, Decimal("71.5"))
    assert _kpi(demo_db, "27", b.key).target_kind is TargetKind.PREV_YEAR
    assert _kpi(demo_db, "08", a.key).target == Decimal("70.0")  # Ibaraki's own stays
    assert len(result.changes.of(BranchTargetChanged)) == 3
    assert {r.key for r in result.changes.of(StructureChanged)} == {a.key, b.key}
    with demo_db.read() as session:
        assert content.differences(session)[0] == []  # every change has its audit entry
    again = exchange.preview_import(demo_db, hq_file, TEMPLATES)
    assert again.nothing_to_do


def test_a_template_that_differs_beyond_its_targets_is_still_refused(demo_db, hq_file: Path):
    plan_editing.set_node_field(demo_db, PlanRef("00", YEAR), "1.I", "title", "変更した見出し",
                                actor="hq")  # fmt: skip
    with pytest.raises(WorkbookError):
        exchange.preview_import(demo_db, hq_file, TEMPLATES)
