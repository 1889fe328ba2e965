"""A plan is handed in complete (issue 15): the details editor stores a KPI one field at
a time, so a draft may hold a multi-year goal without its goal year, a goal in words
without its words, a 支部設定 target not set yet. The submission refuses such a plan,
naming every incomplete KPI by its printed label and name, and the plan document's
reader keeps the same rule (domain/plan_completeness.py), so a submitted plan can always
be exported and imported again."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from desktop.domain.model import BranchTarget, BranchTargetKind, BranchTargets, TargetKind
from desktop.domain.plan_completeness import plan_gaps
from desktop.domain.plan_document import PlanDocumentError, dump_plan, parse_plan_text
from desktop.domain.plan_review import PlanState
from desktop.domain.review import ReviewRefused
from desktop.services import plan_approval, plan_editing, plan_exchange, plans
from desktop.services.changes import PlanRef
from desktop.store.database import open_database
from tests.helpers.plan_people import HEAD, add_plan_people

MULTI = "2.II.2.k1"  # １） 生活習慣病予防健診実施率
WORDS = "2.II.2.k2"  # ２） 事業者健診データ取得率
MONTHLY = "2.II.2.k3"  # ３） 被扶養者の特定健診実施率


@pytest.fixture
def db(demo_db):
    add_plan_people(demo_db)
    return demo_db


def _edit(db, key: str, values: dict[str, object]) -> None:
    plan_editing.set_kpi_fields(db, PlanRef("13", 2024), key, values, actor="planner")


def test_an_incomplete_plan_is_refused_naming_every_gap_by_its_printed_name(db):
    _edit(db, MULTI, {"target_kind": "multi_year", "baseline_year": 2022})  # no goal year
    _edit(db, WORDS, {"target_kind": "manual"})  # no words
    _edit(db, MONTHLY, {"target_kind": "monthly", "target": None})  # no monthly number
    with pytest.raises(ReviewRefused) as refused:
        plan_approval.submit_plan(db, "13", 2024, login="planner")
    ja, en = refused.value.text.ja, refused.value.text.en
    for name in ("１）生活習慣病予防健診実施率", "２）事業者健診データ取得率",
                 "３）被扶養者の特定健診実施率"):  # fmt: skip
        assert name in ja and name in en
    assert "目標年度" in ja and "基準値" in ja and "文言" in ja and "毎月の目標値" in ja
    assert "goal year" in en and "baseline's value" in en and "words" in en
    assert MULTI not in ja and MULTI not in en  # never the internal key
    assert plan_approval.plan_status(db, "13", 2024).state is PlanState.DRAFT
    # Completed, the same plan goes in and can be exported and imported again.
    _edit(db, MULTI, {"baseline_value": "50.0", "goal_year": 2029, "target": "70.0"})
    _edit(db, WORDS, {"target_text": "前年度の水準を上回る"})
    _edit(db, MONTHLY, {"target": "32.0"})
    plan_approval.submit_plan(db, "13", 2024, login="planner")
    plan_approval.approve_plan(db, "13", 2024, **HEAD)


def test_a_branch_target_left_unset_blocks_the_submission_not_the_draft(db, tmp_path: Path):
    template = plan_exchange.template_for(db, 2025)
    left = next(k for k in template.kpis if k.target_kind is TargetKind.FIXED and k.target)
    cell = ("08", left.key, BranchTarget(BranchTargetKind.BY_BRANCH))
    template = replace(template, branch_targets=BranchTargets((cell,)))
    plan_exchange.new_plan(db, "08", 2025, actor="it", template=template)
    plan = plans.get_plan(db, "08", 2025)
    unset = [k for k in plan.kpis if k.target_by_branch and k.target is None]
    assert [k.key for k in unset] == [left.key]
    with pytest.raises(ReviewRefused) as refused:
        plan_approval.submit_plan(db, "08", 2025, login="planner")
    assert f"{left.label}{left.name}" in refused.value.text.ja
    # A draft with the target unset is a valid plan document (import, export).
    assert parse_plan_text(dump_plan(plan)) == plan
    gaps = plan_gaps(plan, submitting=True)
    assert {g.key for g in gaps} == {k.key for k in unset}
    assert all("支部設定" in g.missing.ja for g in gaps)
    assert not plan_gaps(plan, submitting=False)
    # HQ's template leaves such a target open: complete as it is.
    hq_left = replace(left, target=None, target_by_branch=True)
    hq = replace(template, kpis=tuple(hq_left if k.key == left.key else k for k in template.kpis))
    assert not plan_gaps(hq, submitting=True)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"target_kind": TargetKind.MULTI_YEAR, "goal_year": None}, "goal_year"),
        (
            {"target_kind": TargetKind.MULTI_YEAR, "goal_year": 2029, "baseline_year": 2022},
            "baseline_value",
        ),
        ({"target_kind": TargetKind.MONTHLY, "target": None}, "target"),
        ({"target_kind": TargetKind.MANUAL, "target": None, "target_text": " "}, "target_text"),
    ],
)
def test_the_reader_refuses_what_the_submission_refuses(db, values: dict, field: str):
    plan = plans.get_plan(db, "13", 2024)
    kpis = tuple(replace(k, **values) if k.key == MULTI else k for k in plan.kpis)
    incomplete = replace(plan, kpis=kpis)
    gaps = plan_gaps(incomplete, submitting=False)
    assert [(g.key, g.field) for g in gaps] == [(MULTI, field)]
    with pytest.raises(PlanDocumentError) as refused:
        parse_plan_text(dump_plan(incomplete))
    assert refused.value.where.endswith(f"kpis[0].{field}")


def test_a_submitted_plan_round_trips_through_a_plan_document(db, tmp_path: Path):
    _edit(db, MULTI, {"target_kind": "multi_year", "baseline_year": 2022,
                      "baseline_value": "50.0", "goal_year": 2029, "target": "70.0"})  # fmt: skip
    plan_approval.submit_plan(db, "13", 2024, login="planner")
    out = plan_exchange.export_plan(db, "13", 2024, tmp_path)
    with open_database(tmp_path / "empty.sqlite3", create=True) as empty:
        plan_exchange.apply_plan_import(empty, plan_exchange.read_plan_document(out), actor="it")
        assert plans.get_plan(empty, "13", 2024).kpis == plans.get_plan(db, "13", 2024).kpis
