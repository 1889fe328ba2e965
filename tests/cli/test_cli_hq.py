"""HQ on the command line: demo submissions, consolidate, benchmark pack and import.

Runs through the real entry point (``python -m desktop``).
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import openpyxl
import pytest

from desktop.cli.hq import cmd_demo_submissions
from desktop.services import plans
from desktop.store.database import open_database
from tests.cli.helpers import run

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def submissions(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hq") / "share"
    # The demo HQ's own database: the demo branches' public keys go into its registry
    # (a module fixture runs before the per-test data folder is set).
    result = run("demo", "--submissions", str(folder), "--db", str(folder.parent / "hq.sqlite3"))
    assert result.returncode == 0, result.stderr
    assert (
        "47 支部分" in result.stdout and "公開鍵をこの PC の登録簿に登録しました" in result.stdout
    )
    assert len(list(folder.glob("2024_*_上期進捗_提出版_v01.xlsx"))) == 47
    return folder


@pytest.fixture
def share(submissions: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "share"
    shutil.copytree(submissions, copy)
    return copy


def test_done_when_44_valid_2_missing_1_invalid(share: Path, tmp_path: Path):
    # As a new user would: delete two files, edit one by hand in Excel.
    next(share.glob("2024_05_*")).unlink()
    next(share.glob("2024_22_*")).unlink()
    edited = next(share.glob("2024_40_*"))
    wb = openpyxl.load_workbook(edited)
    wb["_measurements"]["B4"].value = "0.2"  # a figure typed over
    wb.save(edited)

    out = tmp_path / "national.xlsx"
    result = run(
        "consolidate", str(share), "--year", "2024", "--period", "midyear", "--out", str(out)
    )
    assert result.returncode == 1, result.stderr  # something was invalid
    text = result.stdout
    assert "有効: 44 支部 / 47" in text
    assert "未提出: 2 支部 — 05 秋田支部, 22 静岡支部" in text
    assert "無効: 1 件" in text
    assert "40 福岡支部" in text and edited.name in text
    assert "書き換えられています" in text and "の「実績値」" in text  # the KPI's field, in words
    assert "未決裁: 0 件" in text
    assert f"全国集計を書き出しました: {out}" in text
    wb = openpyxl.load_workbook(out)
    board = wb["提出状況"]
    fukuoka = next(r for r in board.iter_rows(min_row=3) if r[0].value == "40")
    assert fukuoka[2].value == "無効" and "書き換え" in fukuoka[5].value

    english = run("consolidate", str(share), "--year", "2024", "--period", "midyear", lang="en")
    assert english.returncode == 1
    assert "Valid: 44 of 47 branches" in english.stdout
    assert "Missing: 2 — 05 Akita branch, 22 Shizuoka branch" in english.stdout


def test_clean_folder_exits_zero_and_pack_fills_the_tokyo_demo(submissions: Path, tmp_path: Path):
    pack = tmp_path / "pack.xlsx"
    result = run(
        "benchmark-pack",
        str(submissions),
        "--year",
        "2024",
        "--period",
        "midyear",
        "--out",
        str(pack),
    )
    assert result.returncode == 0, result.stderr
    assert "有効: 47 支部 / 47" in result.stdout and pack.exists()

    db = tmp_path / "tokyo.sqlite3"
    assert run("demo", "--db", str(db)).returncode == 0
    first = run("benchmark-import", str(pack), "--branch", "13", "--db", str(db))
    assert first.returncode == 0, first.stderr
    assert "17 件更新" in first.stdout
    assert "郵送化率: 全国平均" in first.stdout and "全国" in first.stdout and "位/" in first.stdout
    again = run("benchmark-import", str(pack), "--branch", "13", "--db", str(db))
    assert again.returncode == 0 and "0 件更新" in again.stdout and "変更なし 17 件" in again.stdout

    with open_database(db) as database:
        report = plans.get_plan(database, "13", 2024).report(plans.default_period(plans.get_plan(database, "13", 2024)))  # fmt: skip
        ranks = {b.kpi_key: b.national_rank for b in report.benchmarks}
    assert len(ranks) == 17 and ranks["1.II.2.k2"] is not None
    # `plandesk show` prints the KPI table from the same database, unchanged by the import.
    assert run("show", "--db", str(db), "--year", "2024", "--branch", "13").returncode == 0

    wrong_year = run(
        "benchmark-import", str(pack), "--branch", "13", "--year", "2023", "--db", str(db)
    )
    assert wrong_year.returncode == 2 and "令和6年度" in wrong_year.stderr


def test_usage_errors_are_messages_not_tracebacks(tmp_path: Path):
    result = run("consolidate", str(tmp_path / "nowhere"), "--year", "2024", "--period", "midyear")
    assert (
        result.returncode == 2 and "フォルダ" in result.stderr and "Traceback" not in result.stderr
    )
    result = run("consolidate", str(tmp_path), "--year", "24", "--period", "midyear")
    assert result.returncode == 2 and "西暦4桁" in result.stderr
    result = run("consolidate", str(tmp_path), "--year", "2024", "--period", "spring")
    assert result.returncode == 2
    empty = run("consolidate", str(tmp_path), "--year", "2024", "--period", "midyear")
    assert empty.returncode == 2 and "提出ファイル（.xlsx）がありません" in empty.stderr
    no_pack = run(
        "benchmark-pack",
        str(tmp_path),
        "--year",
        "2024",
        "--period",
        "midyear",
        "--out",
        str(tmp_path),
    )
    assert no_pack.returncode == 2 and "提出ファイル（.xlsx）がありません" in no_pack.stderr


def test_the_demo_hq_finds_the_demo_submissions_signed_and_valid(submissions: Path):
    hq_db = submissions.parent / "hq.sqlite3"
    result = run(
        "consolidate", str(submissions), "--year", "2024", "--period", "midyear", "--db", str(hq_db)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "有効: 47 支部 / 47" in result.stdout
    verdict = run("verify", str(next(submissions.glob("2024_13_*"))), "--db", str(hq_db))
    assert verdict.returncode == 0, verdict.stdout + verdict.stderr
    assert "電子署名の鍵の指紋" in verdict.stdout and "正常です" in verdict.stdout
    # Checked, not merely passed: a PC without the demo keys says it could not check.
    assert "登録されていません" not in verdict.stdout and "確認していません" not in verdict.stdout


def test_demo_submissions_command_for_the_demo_option(tmp_path: Path, capsys):
    """What `plandesk demo --submissions DIR --period annual` calls once wired."""
    args = argparse.Namespace(
        submissions=str(tmp_path / "annual"), year="2024", period="annual", lang="en", db=None
    )
    assert cmd_demo_submissions(args) == 0
    assert "47 branches" in capsys.readouterr().out
    assert len(list((tmp_path / "annual").glob("2024_*_年度報告_提出版_v01.xlsx"))) == 47


def test_hqs_own_files_in_the_folder_are_skipped_not_invalid(share: Path):
    first = run(
        "consolidate", str(share), "--year", "2024", "--period", "midyear",
        "--out", str(share / "national.xlsx"), "--pack", str(share / "pack.xlsx"),
    )  # fmt: skip
    assert first.returncode == 0, first.stdout + first.stderr
    again = run("consolidate", str(share), "--year", "2024", "--period", "midyear")
    assert again.returncode == 0, again.stdout
    assert "national.xlsx" in again.stdout and "pack.xlsx" in again.stdout
