"""HQ's targets per branch × KPI: stored with HQ's template (every cell accounted
for by the audit trail), carried whole by the template workbook (47 × KPIs,
export → import → identical), and taken by each branch's plan made from it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from desktop.domain.achievement import Status, assess
from desktop.domain.branch_targets import TargetTableError
from desktop.domain.branches import prefecture_branches
from desktop.domain.model import BranchTargetKind, TargetKind
from desktop.services import branch_targets, exchange, plans, rollover
from desktop.services.export import export_workbook
from desktop.store import content
from desktop.store.database import open_database
from desktop.workbooks.machine import Kind
from desktop.workbooks.reader import read_workbook

YEAR = 2025


def _full_table(db) -> dict[tuple[str, str], str]:
    """A cell for every branch and KPI: each kind the table holds, by turns."""
    plan = branch_targets.target_sheet(db, YEAR).plan
    texts: dict[tuple[str, str], str] = {}
    for i, unit in enumerate(prefecture_branches()):
        for j, kpi in enumerate(plan.kpis):
            if kpi.direction.value == "qualitative":
                texts[(unit.code, kpi.key)] = "実施" if (i + j) % 2 else "支部設定"
                continue
            turn = (i + j) % 4
            if turn == 0:
                texts[(unit.code, kpi.key)] = f"{i}.{j}{kpi.unit}"
            elif turn == 1 and kpi.direction.value != "exactly":
                texts[(unit.code, kpi.key)] = "対前年度" + kpi.direction.suffix_ja
            elif turn == 2 and kpi.direction.value != "exactly":
                texts[(unit.code, kpi.key)] = "対前年度末" + kpi.direction.suffix_ja
            else:
                texts[(unit.code, kpi.key)] = "支部設定"
    return texts


def _accounted(db) -> list:
    with db.read() as session:
        found, _played = content.differences(session)
    return found


def test_the_table_is_stored_and_every_cell_accounted_for(demo_db):
    texts = _full_table(demo_db)
    changes = branch_targets.set_branch_targets(demo_db, YEAR, texts, actor="hq")
    assert len(changes.records) == 47 * 25
    stored = branch_targets.target_sheet(demo_db, YEAR)
    assert len(stored.plan.branch_targets) == 47 * 25
    assert all(
        stored.text(b, k) == t or stored.text(b, k).startswith(t) for (b, k), t in texts.items()
    )
    assert _accounted(demo_db) == []
    # One cell changed, one back to the default: two records, still accounted for.
    first = next(iter(texts))
    again = branch_targets.set_branch_targets(
        demo_db,
        YEAR,
        {
            first: "支部設定",
            ("27", "2.II.2.k2"): None,
            ("28", "2.II.2.k2"): texts[("28", "2.II.2.k2")],
        },
        actor="hq",
    )
    assert {(r.branch, r.kpi_key) for r in again.records} == {first, ("27", "2.II.2.k2")}
    assert (
        branch_targets.target_sheet(demo_db, YEAR).plan.branch_targets.get("27", "2.II.2.k2")
        is None
    )
    assert _accounted(demo_db) == []


def test_a_bad_cell_refuses_the_whole_write(demo_db):
    with pytest.raises(TargetTableError):
        branch_targets.set_branch_targets(
            demo_db, YEAR, {("27", "2.II.2.k2"): "65", ("28", "2.II.2.k2"): "だめ"}, actor="hq"
        )
    assert not branch_targets.target_sheet(demo_db, YEAR).plan.branch_targets


def test_the_47_by_kpi_table_round_trips_through_the_template_workbook(demo_db, tmp_path: Path):
    branch_targets.set_branch_targets(demo_db, YEAR, _full_table(demo_db), actor="hq")
    table = branch_targets.target_sheet(demo_db, YEAR).plan.branch_targets
    out = export_workbook(demo_db, branch="00", fiscal_year=YEAR, kind=Kind.TEMPLATE,
                          out=tmp_path / "hq.xlsx", actor="hq")  # fmt: skip
    data = read_workbook(out.path)
    assert data.plan.branch_targets == table
    # The sheet people read: 47 branch rows, a column per KPI.
    with zipfile.ZipFile(out.path) as archive:
        names = archive.read("xl/workbook.xml").decode()
    assert "支部別目標" in names
    # Imported into an empty database: the template there holds the same table …
    with open_database(tmp_path / "branch.sqlite3", create=True) as db:
        templates = exchange.Expectation(kinds=(Kind.TEMPLATE,))
        preview = exchange.preview_import(db, out.path, templates)
        exchange.apply_import(db, preview, actor="osaka", expect=templates)
        assert _accounted(db) == []
        assert plans.get_plan(db, "00", YEAR).branch_targets == table
        # … and the branch's plan made from it takes the branch's row.
        plans.create_from_template(db, "27", actor="osaka")
        osaka = {k.key: k for k in plans.get_plan(db, "27", YEAR).kpis}
        assert not plans.get_plan(db, "27", YEAR).branch_targets
        for kpi_key, target in table.of_branch("27").items():
            kpi = osaka[kpi_key]
            if target.kind is BranchTargetKind.FIXED:
                assert (kpi.target_kind, kpi.target) == (TargetKind.FIXED, target.value)
            elif target.kind is BranchTargetKind.BY_BRANCH:
                assert kpi.target_by_branch and kpi.target is None
            elif target.kind is BranchTargetKind.PREV_YEAR_END:
                assert kpi.target_kind is TargetKind.PREV_YEAR_END


def test_a_rollover_into_the_template_takes_the_branchs_row(demo_db):
    branch_targets.set_branch_targets(
        demo_db, YEAR,
        {("13", "2.II.2.k2"): "71.5％以上", ("13", "2.II.2.k4"): "支部設定",
         ("27", "2.II.2.k2"): "60.0"},
        actor="hq",
    )  # fmt: skip
    rollover.roll_over(demo_db, "13", actor="planner")
    tokyo = {k.key: k for k in plans.get_plan(demo_db, "13", YEAR).kpis}
    assert (
        tokyo["2.II.2.k2"].target == pytest.approx(71.5)
        and str(tokyo["2.II.2.k2"].target) == "71.5"
    )
    left = tokyo["2.II.2.k4"]
    assert left.target_by_branch and left.target is None
    judged = assess(left, None, fiscal_year=YEAR)
    assert judged.status is Status.NO_DATA
    assert _accounted(demo_db) == []
