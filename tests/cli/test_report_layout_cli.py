"""The report by group on the command line: `plandesk plan report-layout` and
`plandesk review status/approve --group` (issue 16 item 2)."""

from __future__ import annotations

from desktop.domain.model import Group, ReportAxis
from desktop.domain.report_order import keys_of_group
from desktop.services import plans
from desktop.store.database import open_database
from tests.cli.helpers import REPORT


def _plan(db):
    with open_database(db) as opened:
        return plans.get_plan(opened, "13", 2024)


def test_plan_report_layout_organises_the_report_by_group(cli, people_db):
    plan = ["plan", "report-layout", "--db", people_db, "--branch", "13", "--year", "2024"]
    done = cli(*plan, "--axis", "group", "--number-per-group", "--place", "2.II.3=0")
    assert done.code == 0, done.err
    assert "グループ別" in done.out
    stored = _plan(people_db)
    assert stored.report_axis is ReportAxis.GROUP and stored.number_per_group
    assert stored.node("2.II.3").report_position == 0
    assert keys_of_group(stored, Group.HEALTH)[0] == "2.II.3"
    # Full-width digits are typed too; a bad place changes nothing.
    assert cli(*plan, "--place", "2.II.3=１２").code == 0
    assert _plan(people_db).node("2.II.3").report_position == 12
    bad = cli(*plan, "--place", "2.II.3=-1")
    assert bad.code == 2 and "0 から 1000000" in bad.err
    assert _plan(people_db).node("2.II.3").report_position == 12
    back = cli(*plan, "--axis", "tree", "--place", "2.II.3=")
    assert back.code == 0 and "階層順" in back.out
    assert _plan(people_db).report_axis is ReportAxis.TREE
    assert _plan(people_db).node("2.II.3").report_position is None


def test_review_by_group_on_the_command_line(cli, people_db):
    review = ["review", "--db", str(people_db)]
    health = keys_of_group(_plan(people_db), Group.OPERATIONS)
    assert cli(*review, "submit", *REPORT, "--all", "--as", "sato").code == 0
    status = cli(*review, "status", *REPORT, "--group", "業務")
    assert status.code == 0
    assert all(k in status.out for k in health) and "1.I.1" not in status.out
    refused = cli(*review, "approve", *REPORT, "--group", "企画総務", "--as", "suzuki",
                  "--password-stdin", stdin="gyomu-pass\n")  # fmt: skip
    assert refused.code == 2, refused.out
    done = cli(*review, "approve", *REPORT, "--group", "operations", "--as", "suzuki",
               "--password-stdin", stdin="gyomu-pass\n")  # fmt: skip
    assert done.code == 0, done.err
    assert f"承認しました（{len(health)} 件）" in done.out
    unknown = cli(*review, "status", *REPORT, "--group", "経理")
    assert unknown.code == 2 and "グループではありません" in unknown.err


def test_plan_report_layout_chooses_the_print_profile_per_period(cli, people_db):
    plan = ["plan", "report-layout", "--db", people_db, "--branch", "13", "--year", "2024"]
    done = cli(*plan, "--annual-profile", "annual6")
    assert done.code == 0, done.err
    assert "具体的な取り組み" in done.out and "（annual6）" in done.out
    profiles = _plan(people_db).print_profiles
    assert (profiles.midyear, profiles.annual) == ("progress4", "annual6")
    assert _plan(people_db).report_axis is ReportAxis.TREE  # the rest kept
    bad = cli(*plan, "--midyear-profile", "annual9")
    assert bad.code == 2 and "annual9" in bad.err and "plan_results2" in bad.err
    assert _plan(people_db).print_profiles == profiles
