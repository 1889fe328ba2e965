"""`plandesk plan status|submit|withdraw|approve|send-back|reopen|diff`: a plan's own
approval on the command line."""

from __future__ import annotations

from pathlib import Path

from desktop.domain.model import PeriodKind, ReportRef
from desktop.services import editing, plans
from desktop.store.database import open_database

PLAN = ["--branch", "13", "--year", "2024"]
PLANNER = ["--as", "takahashi", "--password-stdin"]  # 企画GL
HEAD = ["--as", "tanaka", "--password-stdin"]  # 支部長


def test_submit_approve_reopen_and_the_diff(cli, people_db: Path):
    db = ["--db", people_db]
    status = cli(*db, "--lang", "en", "plan", "status", *PLAN)
    assert status.code == 0 and "State: Draft" in status.out
    submitted = cli(*db, "plan", "submit", *PLAN, *PLANNER, stdin="kikaku-pass\n")
    assert submitted.code == 0, submitted.err
    assert "計画を提出しました（承認待ち）" in submitted.out
    approved = cli(*db, "plan", "approve", *PLAN, *HEAD, stdin="head-pass\n")
    assert approved.code == 0 and "承認済み" in approved.out
    status = cli(*db, "plan", "status", *PLAN)
    assert "承認: tanaka" in status.out and "提出: takahashi" in status.out
    assert "承認後の変更はありません" in cli(*db, "plan", "diff", *PLAN).out

    # The plan text is locked now: the refusal says why, nothing changes.
    with open_database(people_db) as opened:
        ref = ReportRef("13", 2024, PeriodKind.MIDYEAR)
        before = plans.get_plan(opened, "13", 2024).node("2.II.3").plan_text
    no_reason = cli(*db, "plan", "reopen", *PLAN, *HEAD, "--reason", " ", stdin="head-pass\n")
    assert no_reason.code != 0 and "理由" in no_reason.err
    reopened = cli(
        *db, "plan", "reopen", *PLAN, *HEAD, "--reason", "目標の修正", stdin="head-pass\n"
    )
    assert reopened.code == 0 and "作成中" in reopened.out
    assert "理由: 目標の修正" in cli(*db, "plan", "status", *PLAN).out
    with open_database(people_db) as opened:
        editing.set_plan_text(opened, ref, "2.II.3", before + "を拡充する", actor="takahashi")
    diff = cli(*db, "--lang", "en", "plan", "diff", *PLAN)
    assert diff.code == 0
    assert "~ 2.II.3" in diff.out and "{+を拡充する+}" in diff.out


def test_refusals_are_said_and_nothing_changes(cli, people_db: Path):
    db = ["--db", people_db]
    wrong = cli(*db, "plan", "approve", *PLAN, *HEAD, stdin="head-pass\n")
    assert wrong.code != 0 and "承認できません" in wrong.err  # a draft is not approved
    cli(*db, "plan", "submit", *PLAN, *PLANNER, stdin="kikaku-pass\n")
    not_head = cli(*db, "--lang", "en", "plan", "approve", *PLAN, *PLANNER, stdin="kikaku-pass\n")
    assert not_head.code != 0 and "branch head" in not_head.err
    back = cli(*db, "plan", "withdraw", *PLAN, *PLANNER, stdin="kikaku-pass\n")
    assert back.code == 0 and "作成中" in back.out
    assert "Traceback" not in wrong.err + not_head.err
