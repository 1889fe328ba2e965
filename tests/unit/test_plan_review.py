"""The plan lifecycle rules (desktop/domain/plan_review.py), without a database."""

from __future__ import annotations

import pytest

from desktop.domain.model import Group
from desktop.domain.plan_review import (
    PlanState,
    check_approve,
    check_reopen,
    check_send_back,
    check_submit,
    check_withdraw,
    locked_refusal,
    may_approve,
    may_submit,
)
from desktop.domain.review import ReviewRefused, Role, User

PLANNER = User("kikaku", "企画 太郎", Role.STAFF, Group.PLANNING)
HEALTH = User("hoken", "保健 花子", Role.STAFF, Group.HEALTH)
SUPERVISOR = User("gl", "企画GL", Role.SUPERVISOR, Group.PLANNING)
HEAD = User("head", "支部長", Role.BRANCH_HEAD)
ADMIN = User("admin", "管理", Role.ADMIN)
GONE = User("old", "退職", Role.BRANCH_HEAD, active=False)


def test_the_planning_group_and_the_branch_head_submit():
    assert may_submit(PLANNER) and may_submit(SUPERVISOR) and may_submit(HEAD)
    assert not may_submit(HEALTH) and not may_submit(GONE) and not may_submit(None)
    check_submit(PLANNER, PlanState.DRAFT)
    with pytest.raises(ReviewRefused) as refused:
        check_submit(HEALTH, PlanState.DRAFT)
    assert "企画総務" in refused.value.text.ja and "planning group" in refused.value.text.en


@pytest.mark.parametrize("state", [PlanState.SUBMITTED, PlanState.APPROVED])
def test_only_a_draft_is_submitted(state):
    with pytest.raises(ReviewRefused):
        check_submit(PLANNER, state)


def test_only_the_branch_head_decides():
    assert may_approve(HEAD) and may_approve(ADMIN)
    assert not may_approve(SUPERVISOR) and not may_approve(PLANNER) and not may_approve(GONE)
    check_approve(HEAD, PlanState.SUBMITTED)
    for user in (SUPERVISOR, PLANNER):
        with pytest.raises(ReviewRefused):
            check_approve(user, PlanState.SUBMITTED)
    with pytest.raises(ReviewRefused):
        check_approve(HEAD, PlanState.DRAFT)
    with pytest.raises(ReviewRefused):
        check_approve(HEAD, PlanState.APPROVED)


def test_sending_back_and_reopening_need_a_reason():
    assert check_send_back(HEAD, PlanState.SUBMITTED, "  目標を見直して ") == "目標を見直して"
    with pytest.raises(ReviewRefused) as refused:
        check_send_back(HEAD, PlanState.SUBMITTED, "  ")
    assert "理由" in refused.value.text.ja
    assert check_reopen(HEAD, PlanState.APPROVED, "KPI追加") == "KPI追加"
    with pytest.raises(ReviewRefused):
        check_reopen(HEAD, PlanState.APPROVED, None)
    with pytest.raises(ReviewRefused):
        check_reopen(HEAD, PlanState.SUBMITTED, "理由")  # not approved yet
    with pytest.raises(ReviewRefused):
        check_send_back(HEAD, PlanState.APPROVED, "理由")  # approved: reopen instead
    with pytest.raises(ReviewRefused):
        check_reopen(PLANNER, PlanState.APPROVED, "理由")


def test_the_submitter_takes_a_submission_back_before_the_decision():
    check_withdraw(PLANNER, PlanState.SUBMITTED, "kikaku")
    with pytest.raises(ReviewRefused):
        check_withdraw(HEAD, PlanState.SUBMITTED, "kikaku")
    with pytest.raises(ReviewRefused):
        check_withdraw(PLANNER, PlanState.APPROVED, "kikaku")


def test_a_submitted_or_approved_plan_is_locked_with_a_reason_in_both_languages():
    assert not PlanState.DRAFT.locked
    assert PlanState.SUBMITTED.locked and PlanState.APPROVED.locked
    approved = locked_refusal(PlanState.APPROVED, "東京支部 計画")
    assert "承認済み" in approved.text.ja and "reopen" in approved.text.en
    submitted = locked_refusal(PlanState.SUBMITTED, "東京支部 計画")
    assert "承認待ち" in submitted.text.ja and "submitted" in submitted.text.en
    assert PlanState.APPROVED.label("en") == "Approved" and PlanState.DRAFT.label() == "作成中"
