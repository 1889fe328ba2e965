"""The command line through its real entry point (`python -m desktop`)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.cli.helpers import run


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "demo.sqlite3"
    result = run("demo", "--db", str(path))
    assert result.returncode == 0, result.stderr
    assert "デモデータを用意しました" in result.stdout
    return path


def _line(output: str, needle: str) -> str:
    lines = [ln for ln in output.splitlines() if needle in ln]
    assert len(lines) == 1, (needle, lines)
    return lines[0]


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("PlanDesk ")


def test_show_tokyo_fy2024_kpi_table(demo):
    result = run("show", "--db", str(demo), "--year", "2024", "--branch", "13")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "東京支部" in out and "令和6年度" in out
    assert "未達成 (-0.2ポイント)" in _line(out, "郵送化率")
    assert "98.2％" in _line(out, "郵送化率") and "98.4％" in _line(out, "郵送化率")
    line = _line(out, "査定率")
    assert "0.091％" in line and "0.087％" in line and "達成" in line and "未達成" not in line
    line = _line(out, "１件当たり")
    assert "14,097円" in line and "9,109円" in line and "達成 (+4,988円)" in line
    line = _line(out, "返納金債権")
    assert "31.58％" in line and "50.35％" in line and "未達成" in line
    line = _line(out, "健康宣言事業所数")
    assert "2,719事業所" in line and "2,900事業所以上" in line and "未達成" in line
    line = _line(out, "一者応札")
    assert "0％" in line and "15％以下" in line and "達成" in line and "未達成" not in line
    line = _line(out, "サービススタンダード")
    assert "100％" in line and "達成" in line
    # KPIs with no actual yet are shown as such, not as zero.
    assert "実績なし" in _line(out, "生活習慣病予防健診実施率")


def test_show_tokyo_fy2023_judges_checkup_rate_by_pace(demo):
    result = run("show", "--db", str(demo), "--year", "2023", "--branch", "13")
    assert result.returncode == 0, result.stderr
    line = _line(result.stdout, "生活習慣病予防健診実施率")
    assert "8.4％" in line and "59.9％以上" in line
    assert "遅れ" in line and "想定 15.0％" in line and "年度末見込 33.6％" in line


def test_show_in_english_and_tsv(demo):
    result = run(
        "show", "--db", str(demo), "--year", "2024", "--branch", "13", "--format", "tsv", lang="en"
    )
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split("\t") == [
        "Section",
        "KPI",
        "Target",
        "Actual",
        "As of",
        "Status",
        "KPI key",
    ]
    assert all(r.split("\t")[-1].count(".") >= 2 for r in rows)  # the key, for `set --kpi`
    assert any("Not met" in r for r in rows) and any("\tMet" in r for r in rows)


def test_set_a_value_typed_full_width_then_show(tmp_path, demo):
    db = tmp_path / "copy.sqlite3"
    db.write_bytes(demo.read_bytes())
    result = run(
        "set",
        "--db",
        str(db),
        "--year",
        "2024",
        "--branch",
        "13",
        "--kpi",
        _postal_key(db),
        "--as-of",
        "令和6年9月",
        "９８．５％",
    )
    assert result.returncode == 0, result.stderr
    assert "保存しました" in result.stdout and "令和6年9月" in result.stdout
    out = run("show", "--db", str(db), "--year", "2024", "--branch", "13").stdout
    line = _line(out, "郵送化率")
    assert "98.5％" in line and "令和6年9月時点" in line and "達成 (+0.1ポイント)" in line


def _postal_key(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        return con.execute(
            "SELECT k.key FROM kpis k JOIN plans p ON p.id = k.plan_id "
            "WHERE p.fiscal_year = 2024 AND k.name LIKE '%郵送化率%'"
        ).fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("98.4.1", "98.4.1"),
        ("50%%", "50%%"),
        ("98円", "円"),
        ("NaN", "NaN"),
    ],
)
def test_bad_value_is_refused_and_nothing_changes(tmp_path, demo, value, message):
    db = tmp_path / "copy.sqlite3"
    db.write_bytes(demo.read_bytes())
    before = run("show", "--db", str(db), "--year", "2024", "--branch", "13").stdout
    result = run(
        "set", "--db", str(db), "--year", "2024", "--branch", "13", "--kpi", _postal_key(db), value
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert run("show", "--db", str(db), "--year", "2024", "--branch", "13").stdout == before


def test_bad_month_is_refused(tmp_path, demo):
    db = tmp_path / "copy.sqlite3"
    db.write_bytes(demo.read_bytes())
    result = run(
        "set",
        "--db",
        str(db),
        "--year",
        "2024",
        "--branch",
        "13",
        "--kpi",
        _postal_key(db),
        "--as-of",
        "令和6年13月",
        "98.5",
    )
    assert result.returncode == 2 and "13" in result.stderr
    result = run(
        "set",
        "--db",
        str(db),
        "--year",
        "2024",
        "--branch",
        "13",
        "--kpi",
        _postal_key(db),
        "--as-of",
        "2022/5",
        "98.5",
    )
    assert result.returncode == 2 and "範囲外" in result.stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--year", "二〇二四", "--branch", "13"], "西暦4桁"),
        (["--year", "2024", "--branch", "99"], "支部コード"),
        (["--year", "2019", "--branch", "13"], "計画はこのデータベースにありません"),
        (["--year", "2024", "--branch", "13", "--period", "q3"], "報告期間"),
    ],
)
def test_bad_arguments_give_clear_messages(demo, args, needle):
    result = run("show", "--db", str(demo), *args)
    assert result.returncode == 2
    assert needle in result.stderr and "Traceback" not in result.stderr


def test_missing_database(tmp_path):
    result = run("show", "--db", str(tmp_path / "none.sqlite3"), "--year", "2024", "--branch", "13")
    assert result.returncode == 1
    assert "見つかりません" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "none.sqlite3").exists()


def test_foreign_and_broken_files(tmp_path):
    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello", encoding="utf-8")
    result = run("check", "--db", str(text_file))
    assert result.returncode == 1 and "PlanDesk のデータベースではありません" in result.stderr
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    result = run("show", "--db", str(other), "--year", "2024", "--branch", "13", lang="en")
    assert result.returncode == 1 and "Not a PlanDesk database" in result.stderr
    assert "Traceback" not in result.stderr


def test_init_and_check(tmp_path, demo):
    db = tmp_path / "new.sqlite3"
    result = run("init", "--db", str(db))
    assert result.returncode == 0 and db.exists()
    assert run("list", "--db", str(db)).stdout.strip() == "計画はまだありません。"
    result = run("check", "--db", str(demo))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "問題は見つかりませんでした" in result.stdout


def test_check_names_a_tampered_audit_row(tmp_path, demo):
    db = tmp_path / "copy.sqlite3"
    db.write_bytes(demo.read_bytes())
    con = sqlite3.connect(db)
    con.execute("UPDATE audit_log SET actor = 'someone else' WHERE id = 2")
    con.commit()
    con.close()
    result = run("check", "--db", str(db))
    assert result.returncode == 1
    assert "監査ログ 2 番" in result.stdout and "NG" in result.stdout


def test_list_shows_demo_plans(demo):
    out = run("list", "--db", str(demo)).stdout
    assert "13 東京支部\t令和5年度 (2023)" in out
    assert "13 東京支部\t令和6年度 (2024)" in out
    assert "00 本部\t令和7年度 (2025)" in out


def test_user_add_and_list(tmp_path):
    db = str(tmp_path / "people.sqlite3")
    assert run("init", "--db", db).returncode == 0
    first = run(
        "user", "add", "--db", db, "--login", "boss", "--name", "田中",
        "--role", "branch_head", "--password-stdin", stdin="adminpw\n",
    )  # fmt: skip
    assert first.returncode == 0 and "管理者" in first.stdout  # the first person is admin
    second = run(
        "user", "add", "--db", db, "--login", "suzuki", "--name", "鈴木", "--role", "supervisor",
        "--group", "業務", "--admin", "boss", "--password-stdin", stdin="adminpw\nsv-pass\n",
    )  # fmt: skip
    assert second.returncode == 0, second.stderr
    refused = run(
        "user", "add", "--db", db, "--login", "x", "--name", "X", "--admin", "boss",
        "--password-stdin", stdin="wrong\n",
    )  # fmt: skip
    assert refused.returncode == 2 and "パスワード" in refused.stderr
    assert "Traceback" not in refused.stderr
    listed = run("user", "list", "--db", db)
    assert listed.stdout.splitlines() == ["boss\t田中\t管理者\t—", "suzuki\t鈴木\tグループ長\t業務"]
