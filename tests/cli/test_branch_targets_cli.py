"""A branch plan made on the command line from HQ's template takes the branch's
row of HQ's targets per branch, and `plandesk show` judges by it."""

from __future__ import annotations

from pathlib import Path

from desktop.services import branch_targets
from desktop.store.database import open_database


def test_osaka_is_judged_by_its_own_target(cli, tmp_path: Path):
    db_path = tmp_path / "demo.sqlite3"
    assert cli("--db", db_path, "demo").code == 0
    with open_database(db_path) as db:
        # HQ: Osaka's 生活習慣病予防健診実施率 is 65.0％ (the template's default 63.5％);
        # 事業者健診データ取得率 is left to Osaka.
        branch_targets.set_branch_targets(
            db, 2025, {("27", "2.II.2.k2"): "65.0", ("27", "2.II.2.k3"): "支部設定"}, actor="hq"
        )
    made = cli("--db", db_path, "--lang", "en", "plan", "new", "--branch", "27", "--year", "2025")
    assert made.code == 0, made.err
    for kpi, value in (("2.II.2.k2", "64.0"), ("2.II.2.k3", "9.5"), ("2.II.2.k4", "32.0")):
        done = cli("--db", db_path, "set", "--year", "2025", "--branch", "27", "--period",
                   "annual", "--kpi", kpi, "--as-of", "令和8年3月", value)  # fmt: skip
        assert done.code == 0, done.err
    shown = cli("--db", db_path, "show", "--branch", "27", "--year", "2025", "--format", "tsv")
    assert shown.code == 0, shown.err
    rows = {line.split("\t")[-1]: line for line in shown.out.splitlines()}  # the KPI key last
    osaka_rate = rows["2.II.2.k2"]
    assert "65.0％以上" in osaka_rate and "未達成" in osaka_rate  # 64.0 < 65.0 (63.5 would pass)
    left = rows["2.II.2.k3"]
    assert "支部設定（未設定）" in left and "目標未確定" in left
    default = rows["2.II.2.k4"]  # no cell for Osaka: HQ's 31.6％ stands
    assert "31.6％以上" in default and "\t達成" in default
    # Tokyo's plan from the same template keeps HQ's default where it has no row.
    with open_database(db_path) as db:
        assert not branch_targets.target_sheet(db, 2025).plan.branch_targets.of_branch("13")


def test_targets_export_and_import_as_tab_separated_text(cli, tmp_path: Path):
    db_path = tmp_path / "demo.sqlite3"
    assert cli("--db", db_path, "demo").code == 0
    edited = tmp_path / "targets.tsv"
    edited.write_text(
        "branch\t2.II.2.k2\t2.II.2.k3\n27\t65.0\t支部設定\n28\t66％以上\t\n", encoding="utf-8"
    )
    done = cli("--db", db_path, "--lang", "en", "targets", "import", edited, "--year", "2025")
    assert done.code == 0 and "Changed 3 target(s)" in done.out, done.err
    out = tmp_path / "out.tsv"
    assert cli("--db", db_path, "targets", "export", "--year", "2025", "--out", out).code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 48 and lines[0].split("\t")[8:10] == ["2.II.2.k2", "2.II.2.k3"]
    assert lines[27].split("\t")[:1] + lines[27].split("\t")[8:10] == [
        "27",
        "65.0％以上",
        "支部設定",
    ]
    # What export wrote imports again unchanged; a bad cell changes nothing.
    again = cli("--db", db_path, "--lang", "en", "targets", "import", out, "--year", "2025")
    assert again.code == 0 and "Changed 0 target(s)" in again.out
    edited.write_text("branch\t2.II.2.k2\n29\t15％以下\n27\t\n", encoding="utf-8")
    bad = cli("--db", db_path, "--lang", "en", "targets", "import", edited, "--year", "2025")
    assert bad.code == 2 and "Nara branch" in bad.err and "Nothing was changed" in bad.err
    with open_database(db_path) as db:
        assert len(branch_targets.target_sheet(db, 2025).plan.branch_targets) == 3
