"""A plan's own approval (services.plan_approval): the lifecycle in a real database,
the content lock it puts on every writer of plan content, and the changes since
approval."""

from __future__ import annotations

from dataclasses import replace

import pytest

from desktop.domain.model import PeriodKind, ReportRef
from desktop.domain.plan_diff import Change
from desktop.domain.plan_review import PlanState
from desktop.domain.review import ReviewRefused
from desktop.services import editing, plan_approval, plan_exchange, plans, reference
from desktop.services.changes import PlanRef, PlanStateChanged
from desktop.services.check import check_database
from tests.helpers.plan_documents import stored_with_entry
from tests.helpers.plan_people import HEAD, add_plan_people

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)
SECTION = "2.II.3"
KPI = "2.II.3.k1"


@pytest.fixture
def db(demo_db):
    add_plan_people(demo_db)
    return demo_db


def _approved(db) -> None:
    plan_approval.submit_plan(db, "13", 2024, login="planner")
    plan_approval.approve_plan(db, "13", 2024, **HEAD)


def test_a_plan_made_here_starts_as_a_draft_and_goes_through_approval(db):
    assert plan_approval.plan_status(db, "13", 2024).state is PlanState.DRAFT
    changes = plan_approval.submit_plan(db, "13", 2024, login="planner")
    record = changes.one(PlanStateChanged)
    assert (record.plan, record.state, record.actor) == (
        PlanRef("13", 2024),
        PlanState.SUBMITTED,
        "planner",
    )
    status = plan_approval.plan_status(db, "13", 2024)
    assert status.state is PlanState.SUBMITTED and status.submitted_by == "planner"
    approved = plan_approval.approve_plan(db, "13", 2024, **HEAD).one(PlanStateChanged)
    assert approved.state is PlanState.APPROVED
    status = plan_approval.plan_status(db, "13", 2024)
    assert status.approved_by == "head" and status.has_approved_content
    # Every step is in the audit trail, and `plandesk check` accounts for the state.
    assert check_database(db).ok


def test_who_may_do_what(db):
    with pytest.raises(ReviewRefused):
        plan_approval.submit_plan(db, "13", 2024, login="hoken")  # not the planning group
    plan_approval.submit_plan(db, "13", 2024, login="planner")
    with pytest.raises(ReviewRefused):
        plan_approval.approve_plan(db, "13", 2024, login="head", password="wrong")
    with pytest.raises(ReviewRefused):
        plan_approval.withdraw_plan(db, "13", 2024, login="hoken")  # not the submitter
    with pytest.raises(ReviewRefused) as refused:
        plan_approval.send_back_plan(db, "13", 2024, reason=" ", **HEAD)
    assert "理由" in refused.value.text.ja
    assert plan_approval.plan_status(db, "13", 2024).state is PlanState.SUBMITTED


def test_send_back_and_withdraw_make_a_draft_again(db):
    plan_approval.submit_plan(db, "13", 2024, login="planner")
    plan_approval.send_back_plan(db, "13", 2024, reason="目標値を見直してください", **HEAD)
    status = plan_approval.plan_status(db, "13", 2024)
    assert status.state is PlanState.DRAFT and status.reason == "目標値を見直してください"
    plan_approval.submit_plan(db, "13", 2024, login="planner")
    plan_approval.withdraw_plan(db, "13", 2024, login="planner")
    assert plan_approval.plan_status(db, "13", 2024).state is PlanState.DRAFT


@pytest.mark.parametrize("how", ["submitted", "approved"])
def test_plan_content_is_locked_while_submitted_or_approved(db, how):
    plan_approval.submit_plan(db, "13", 2024, login="planner")
    if how == "approved":
        plan_approval.approve_plan(db, "13", 2024, **HEAD)
    before = plans.get_plan(db, "13", 2024)
    with pytest.raises(ReviewRefused) as refused:
        editing.set_plan_text(db, REF, SECTION, "書き換え", actor="planner")
    word = "承認済み" if how == "approved" else "承認待ち"
    assert word in refused.value.text.ja and how in refused.value.text.en
    # A plan document's texts, and a new structure replacing the plan: refused too.
    edited = stored_with_entry(db, SECTION, "status_text", "変更")
    texts = replace(edited, nodes=tuple(
        replace(n, plan_text="ファイルの計画") if n.key == SECTION else n for n in edited.nodes
    ))  # fmt: skip
    with pytest.raises(ReviewRefused):
        plan_exchange.apply_plan_import(db, texts, actor="a", resolve=plan_exchange.Resolve.FILE)
    assert plans.get_plan(db, "13", 2024) == before


def test_reporting_and_reference_figures_go_on_while_the_plan_is_approved(db):
    """Report entries and reference figures are not plan content."""
    _approved(db)
    editing.set_entry_field(db, REF, SECTION, "status_text", "実施した", actor="hoken")
    editing.set_measurement(db, REF, KPI, value="40.5", actor="hoken")
    reference.set_reference_figure(db, REF, KPI, "prior_year_actual", "38.0", actor="planner")
    reference.set_reference_figure(db, REF, KPI, "national_rank", "12", actor="planner")
    assert plans.get_plan(db, "13", 2024).kpis_of(SECTION)[0].prior_year_actual is not None


def test_reopen_needs_a_reason_and_changes_show_against_the_approved_plan(db):
    _approved(db)
    assert not plan_approval.changes_since_approval(db, "13", 2024).diff
    with pytest.raises(ReviewRefused):
        plan_approval.reopen_plan(db, "13", 2024, reason="", **HEAD)
    plan_approval.reopen_plan(db, "13", 2024, reason="KPIの目標を追記", **HEAD)
    status = plan_approval.plan_status(db, "13", 2024)
    assert status.state is PlanState.DRAFT and status.reason == "KPIの目標を追記"
    old_text = plans.get_plan(db, "13", 2024).node(SECTION).plan_text
    editing.set_plan_text(db, REF, SECTION, old_text + "（追記）", actor="planner")
    found = plan_approval.changes_since_approval(db, "13", 2024)
    assert found.approved_before and found.approved_by == "head"
    (node,) = found.diff.nodes
    assert node.key == SECTION and node.change is Change.CHANGED
    assert [(r.op, r.text) for r in node.plan_text if r.op != "same"] == [("added", "（追記）")]
    assert check_database(db).ok


def test_an_hq_template_goes_the_same_way(db):
    hq = plans.get_plan(db, "00", 2025)
    plan_approval.submit_plan(db, "00", 2025, login="planner")
    plan_approval.approve_plan(db, "00", 2025, **HEAD)
    node = next(n for n in hq.nodes if n.plan_text)
    with pytest.raises(ReviewRefused):
        editing.set_plan_text(
            db, ReportRef("00", 2025, PeriodKind.MIDYEAR), node.key, "本部の書換え", actor="a"
        )
    # HQ's template holds no reports: a new structure would replace it whole — refused.
    last = hq.nodes[-1]
    smaller = replace(
        hq, nodes=hq.nodes[:-1], kpis=tuple(k for k in hq.kpis if k.node_key != last.key),
        _index={},
    )  # fmt: skip
    with pytest.raises(ReviewRefused):
        plan_exchange.apply_plan_import(db, smaller, actor="a")
    assert plans.get_plan(db, "00", 2025) == hq


def test_a_new_branch_plan_from_the_template_is_a_draft(db):
    plan_approval.submit_plan(db, "00", 2025, login="planner")
    plan_approval.approve_plan(db, "00", 2025, **HEAD)  # HQ's template approved …
    plan_exchange.new_plan(db, "08", 2025, actor="planner")  # … the branch plan is its own
    assert plan_approval.plan_status(db, "08", 2025).state is PlanState.DRAFT


def test_next_years_plan_by_rollover_is_a_draft(db):
    from desktop.services import rollover

    _approved(db)
    rollover.roll_over(db, "13", actor="planner")
    assert plan_approval.plan_status(db, "13", 2025).state is PlanState.DRAFT
    assert plan_approval.plan_status(db, "13", 2024).state is PlanState.APPROVED
