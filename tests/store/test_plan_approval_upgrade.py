"""The 0012 upgrade: plans stored before it were being reported on already, so they
come out approved (their content locked until the branch head reopens them), and the
audit trail accounts for that state; plans made afterwards start as drafts."""

from __future__ import annotations

import pytest

from desktop.domain.model import PeriodKind, ReportRef
from desktop.domain.plan_review import PlanState
from desktop.domain.review import ReviewRefused
from desktop.services import editing, plan_approval, plan_exchange, plans
from desktop.services.check import check_database
from desktop.store.database import SCHEMA_HEAD, current_revision, head_revision, open_database
from tests.helpers.migrations import downgrade
from tests.helpers.plan_people import HEAD, add_plan_people

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)
SECTION = "2.II.3"


@pytest.fixture
def upgraded(tmp_path):
    """The demo as PlanDesk at schema 0008 stored it, opened by this PlanDesk."""
    path = tmp_path / "old.sqlite3"
    with open_database(path, create=True) as db:
        plans.install_demo(db, actor="setup")
        add_plan_people(db)
    downgrade(path, "0008")
    with open_database(path) as db:
        yield db


def test_plans_stored_before_the_upgrade_are_approved(upgraded):
    assert current_revision(upgraded) == head_revision() == SCHEMA_HEAD
    for branch, year, _title in plans.list_plans(upgraded):
        status = plan_approval.plan_status(upgraded, branch, year)
        assert status.state is PlanState.APPROVED, (branch, year)
        assert status.approved_by == "PlanDesk" and not status.has_approved_content
    report = check_database(upgraded)
    assert report.ok, [(f.label_en, f.detail("en")) for f in report.findings if not f.ok]


def test_an_upgraded_plan_keeps_reporting_and_locks_its_content(upgraded):
    editing.set_entry_field(upgraded, REF, SECTION, "status_text", "引き続き報告", actor="a")
    with pytest.raises(ReviewRefused):
        editing.set_plan_text(upgraded, REF, SECTION, "書き換え", actor="a")


def test_reopening_an_upgraded_plan_saves_what_was_approved(upgraded):
    assert not plan_approval.changes_since_approval(upgraded, "13", 2024).approved_before
    plan_approval.reopen_plan(upgraded, "13", 2024, reason="計画の修正", **HEAD)
    editing.set_plan_text(upgraded, REF, SECTION, "書き換え", actor="planner")
    found = plan_approval.changes_since_approval(upgraded, "13", 2024)
    assert found.approved_before and [n.key for n in found.diff.nodes] == [SECTION]
    assert check_database(upgraded).ok


def test_a_plan_made_after_the_upgrade_is_a_draft(upgraded):
    plan_exchange.new_plan(upgraded, "08", 2025, actor="planner")
    assert plan_approval.plan_status(upgraded, "08", 2025).state is PlanState.DRAFT
    assert plan_approval.plan_status(upgraded, "00", 2025).state is PlanState.APPROVED
