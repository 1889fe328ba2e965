"""Finishing the job on the command line: submit, return, approve, sign off, export,
and done / not done KPIs, under the same rules as the app."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests.cli.helpers import REPORT

GYOMU = "1.II.2.1"  # ①迅速な業務処理とサービススタンダードの遵守 (業務)
KIKAKU = "1.I.1"  # ①支部評議会での保険料率に関する議論 (企画総務)


def _states(db: Path) -> dict[str, str]:
    con = sqlite3.connect(db)
    try:
        return dict(
            con.execute(
                "SELECT n.key, r.state FROM section_reviews r JOIN plan_nodes n ON n.id = r.node_id"
            )
        )
    finally:
        con.close()


def _audit_rows(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    finally:
        con.close()


def test_the_whole_path_from_people_to_an_exported_submission(cli, tmp_path):
    db = tmp_path / "branch.sqlite3"
    assert cli("demo", "--db", db).code == 0

    # People, added as the README says (passwords on stdin, one per line).
    def add(login: str, name: str, *options: str, stdin: str) -> None:
        result = cli("user", "add", "--db", db, "--login", login, "--name", name,
                     *options, "--password-stdin", stdin=stdin)  # fmt: skip
        assert result.code == 0, result.err

    add("admin", "管理 太郎", "--role", "admin", stdin="admin-pass\n")
    add("tanaka", "田中", "--role", "branch_head", "--admin", "admin",
        stdin="admin-pass\nhead-pass\n")  # fmt: skip
    add("suzuki", "鈴木", "--role", "supervisor", "--group", "業務", "--admin", "admin",
        stdin="admin-pass\ngyomu-pass\n")  # fmt: skip
    add("takahashi", "高橋", "--role", "supervisor", "--group", "企画総務", "--admin", "admin",
        stdin="admin-pass\nkikaku-pass\n")  # fmt: skip
    add("sato", "佐藤", "--group", "業務", "--admin", "admin", stdin="admin-pass\n")

    review = ["review", "--db", str(db)]
    status = cli(*review, "status", *REPORT)
    assert status.code == 0 and "未決裁" in status.out and "作成中 86" in status.out
    # Group names in the language asked for (the Japanese one stays what is stored).
    people_en = cli("user", "list", "--db", db, "--lang", "en").out
    assert "Operations" in people_en and "Planning and general affairs" in people_en
    assert "業務" not in people_en
    status_en = cli(*review, "status", *REPORT, "--lang", "en").out
    assert "Claims review" in status_en
    assert not re.search(r"^\S+\s+(業務|レセプト|保健|企画総務)\s", status_en, re.M)

    # The staff member hands every section in.
    submitted = cli(*review, "submit", *REPORT, "--all", "--as", "sato")
    assert submitted.code == 0, submitted.err
    assert "提出しました（86 件）" in submitted.out
    assert set(_states(db).values()) == {"submitted"}

    # Refusals change nothing: a wrong password, the wrong group, an unapproved report.
    before = (_states(db), _audit_rows(db))
    wrong = cli(*review, "approve", *REPORT, "--all", "--as", "suzuki", "--password-stdin",
                stdin="nope\n")  # fmt: skip
    assert wrong.code == 2 and "パスワードが違います" in wrong.err
    other_group = cli(*review, "approve", *REPORT, "--section", GYOMU, "--as", "takahashi",
                      "--password-stdin", stdin="kikaku-pass\n")  # fmt: skip
    assert other_group.code == 2 and "業務グループの項目を確認できません" in other_group.err
    staff = cli(*review, "approve", *REPORT, "--section", GYOMU, "--as", "sato",
                "--password-stdin", stdin="\n")  # fmt: skip
    assert staff.code == 2 and "Traceback" not in staff.err
    early = cli(*review, "sign-off", *REPORT, "--as", "tanaka", "--password-stdin",
                stdin="head-pass\n")  # fmt: skip
    assert early.code == 2
    assert "未承認の項目が86件あります" in early.err and GYOMU in early.err
    heading = cli(*review, "approve", *REPORT, "--section", "1.II.2", "--as", "tanaka",
                  "--password-stdin", stdin="head-pass\n")  # fmt: skip
    assert heading.code == 2 and "見出し" in heading.err
    no_reason = cli(*review, "return", *REPORT, "--section", GYOMU, "--reason", " ",
                    "--as", "suzuki", "--password-stdin", stdin="gyomu-pass\n")  # fmt: skip
    assert no_reason.code == 2 and "理由" in no_reason.err
    assert (_states(db), _audit_rows(db)) == before

    # The supervisor returns one section with a reason; the author hands it in again.
    returned = cli(*review, "return", *REPORT, "--section", GYOMU, "--reason", "時点を確認",
                   "--as", "suzuki", "--password-stdin", stdin="gyomu-pass\n")  # fmt: skip
    assert returned.code == 0, returned.err
    assert _states(db)[GYOMU] == "returned"
    again = cli(*review, "submit", *REPORT, "--section", GYOMU, "--as", "sato")
    assert again.code == 0 and "提出しました（1 件）" in again.out

    # Each supervisor approves their group's queue; the branch head the rest.
    gyomu = cli(*review, "approve", *REPORT, "--all", "--as", "suzuki", "--password-stdin",
                stdin="gyomu-pass\n")  # fmt: skip
    assert gyomu.code == 0, gyomu.err
    states = _states(db)
    assert states[GYOMU] == "approved" and states[KIKAKU] == "submitted"
    # An approved section's KPI figures are locked, on the command line as in the app.
    locked = cli("set", "--db", db, "--year", "2024", "--branch", "13", "--kpi", "1.II.2.k2", "99")
    assert locked.code == 2 and "承認済み" in locked.err
    rest = cli(*review, "approve", *REPORT, "--all", "--as", "tanaka", "--password-stdin",
               "--comment", "確認しました", stdin="head-pass\n")  # fmt: skip
    assert rest.code == 0, rest.err
    assert set(_states(db).values()) == {"approved"}

    signed = cli(*review, "sign-off", *REPORT, "--as", "tanaka", "--password-stdin",
                 stdin="head-pass\n")  # fmt: skip
    assert signed.code == 0, signed.err
    assert "決裁しました: 13 東京支部" in signed.out and "田中" in signed.out
    assert "決裁済み: 田中" in cli(*review, "status", *REPORT).out
    reopened = cli(*review, "reopen", *REPORT, "--section", GYOMU, "--reason", "訂正",
                   "--as", "tanaka", "--password-stdin", stdin="head-pass\n")  # fmt: skip
    assert reopened.code == 2 and "決裁済み" in reopened.err

    # The signed-off submission can be exported and verifies.
    out = tmp_path / "share"
    out.mkdir()
    export = cli("export", "--db", db, *REPORT, "--kind", "submission", "--out", out)
    assert export.code == 0, export.err
    (written,) = out.glob("*.xlsx")
    verified = cli("verify", written)
    assert verified.code == 0 and "決裁: 田中" in verified.out and "検証: 正常です" in verified.out


def test_sections_must_be_named(cli, people_db):
    result = cli("review", "submit", "--db", people_db, *REPORT, "--as", "sato")
    assert result.code == 2  # argparse: --section or --all is required
    unknown = cli("review", "submit", "--db", people_db, *REPORT, "--section", "9.9.9",
                  "--as", "sato", "--lang", "en")  # fmt: skip
    assert unknown.code == 2 and "no section 9.9.9" in unknown.err


def test_acting_as_someone_with_a_password_needs_it(cli, people_db):
    """--as is switching user: a person with a password gives it, even to submit."""
    before = _audit_rows(people_db)
    result = cli("review", "submit", "--db", people_db, *REPORT, "--section", GYOMU,
                 "--as", "suzuki", "--password-stdin", stdin="wrong\n")  # fmt: skip
    assert result.code == 2 and "パスワードが違います" in result.err
    assert _audit_rows(people_db) == before
    result = cli("review", "submit", "--db", people_db, *REPORT, "--section", GYOMU,
                 "--as", "suzuki", "--password-stdin", stdin="gyomu-pass\n")  # fmt: skip
    assert result.code == 0 and _states(people_db)[GYOMU] == "submitted"


def test_except_is_for_the_branch_head(cli, people_db):
    refused = cli("review", "except", "--db", people_db, *REPORT, "--section", GYOMU,
                  "--reason", "該当なし", "--as", "suzuki", "--password-stdin",
                  stdin="gyomu-pass\n")  # fmt: skip
    assert refused.code == 2 and "支部長" in refused.err
    done = cli("review", "except", "--db", people_db, *REPORT, "--section", GYOMU,
               "--reason", "該当なし", "--as", "tanaka", "--password-stdin",
               stdin="head-pass\n", )  # fmt: skip
    assert done.code == 0 and _states(people_db)[GYOMU] == "excepted"


# --- done / not done KPIs ----------------------------------------------------------------------

QUALITATIVE = "2.IV.k2"  # ２）全支部でSNS（LINE公式アカウント）を運用し、毎月情報発信を行う
NUMERIC = "2.IV.k1"  # １）ホームページアクセス数


@pytest.fixture
def fy2025(cli, people_db) -> Path:
    """The Tokyo plan for FY2025 from HQ's template: it has done / not done KPIs."""
    assert cli("rollover", "--db", people_db, "--branch", "13").code == 0
    return people_db


def _set(cli, db: Path, *args: str):
    return cli("set", "--db", db, "--year", "2025", "--branch", "13", *args)


def _shown(cli, db: Path) -> str:
    out = cli("show", "--db", db, "--year", "2025", "--branch", "13").out
    (line,) = [ln for ln in out.splitlines() if "SNS" in ln]
    return line


def test_done_and_not_done(cli, fy2025):
    done = _set(cli, fy2025, "--kpi", QUALITATIVE, "--done")
    assert done.code == 0, done.err
    assert f"保存しました: {QUALITATIVE} = 実施" in done.out
    assert "実施" in _shown(cli, fy2025) and "達成" in _shown(cli, fy2025)
    not_done = _set(cli, fy2025, "--kpi", QUALITATIVE, "--not-done", "--lang", "en")
    assert not_done.code == 0 and f"Saved: {QUALITATIVE} = not done" in not_done.out
    assert "未実施" in _shown(cli, fy2025) and "未達成" in _shown(cli, fy2025)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--kpi", NUMERIC, "--done"], "数値で入力します"),
        (["--kpi", QUALITATIVE, "12"], "実施・未実施で入力します"),
        (["--kpi", QUALITATIVE, "--done", "--not-done"], ""),
    ],
)
def test_done_only_where_the_kpi_is_done_or_not(cli, fy2025, args, needle):
    before = _audit_rows(fy2025)
    result = _set(cli, fy2025, *args)
    assert result.code == 2 and needle in result.err
    assert _audit_rows(fy2025) == before
