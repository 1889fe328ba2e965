"""`plandesk consolidate` over a folder tree of many years and periods, with
progress on stderr, and the exit codes when there is nothing to consolidate."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from desktop.domain.model import PeriodKind
from desktop.services import key_registry, signing_keys
from desktop.services.consolidation_tree import consolidate_tree
from desktop.services.demo_submissions import write_demo_submissions
from desktop.services.key_registry import trusted_keys
from desktop.services.signatures import check_national_workbook, check_signature
from desktop.services.signing_keys import KdfCost, keys_dir
from desktop.workbooks.benchmark_pack import read_benchmark_pack
from tests.cli.helpers import run

BRANCHES = ["01", "13", "27", "40", "47"]
FAST = KdfCost(n=2**10)  # scrypt's cost for tests


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2023 (annual), 2024 (mid-year and annual) in folders of their own, a
    broken file in 2024/上期, and last year's file left among this year's."""
    root = tmp_path_factory.mktemp("tree") / "share"
    write_demo_submissions(root / "2023" / "年度", fiscal_year=2023, period=PeriodKind.ANNUAL, branches=BRANCHES)  # fmt: skip
    write_demo_submissions(root / "2024" / "上期", fiscal_year=2024, period=PeriodKind.MIDYEAR, branches=BRANCHES)  # fmt: skip
    write_demo_submissions(root / "2024" / "年度", fiscal_year=2024, period=PeriodKind.ANNUAL, branches=BRANCHES[:3])  # fmt: skip
    (root / "2024" / "上期" / "2024_08_茨城支部_壊れた.xlsx").write_bytes(b"not a workbook")
    last_year = next((root / "2023" / "年度").glob("2023_13_*"))
    shutil.copy(last_year, root / "2024" / "年度" / last_year.name)
    return root


def test_one_consolidation_per_year_and_period_with_progress(tree: Path, tmp_path: Path):
    out = tmp_path / "national"
    result = run("consolidate", str(tree), "--all", "--out", str(out))
    assert result.returncode == 1, result.stderr  # the broken file was not counted
    lines = result.stderr.splitlines()
    total = 5 + 5 + 1 + 3 + 1
    assert lines[0] == f"[1/{total}] 2023/年度/2023_01_北海道支部_年度報告_提出版_v01.xlsx"
    assert f"[{total}/{total}] 2024/年度/2024_27_大阪支部_年度報告_提出版_v01.xlsx" in lines
    assert sum(line.startswith("[") for line in lines) == total
    text = result.stdout
    assert "令和5年度・事業報告: 有効 5 支部 / 47、未提出 42、無効 0 件" in text
    assert "令和6年度・上期: 有効 5 支部 / 47、未提出 41、無効 1 件" in text
    assert "令和6年度・事業報告: 有効 3 支部 / 47、未提出 44、無効 0 件" in text
    assert "2024_08_茨城支部_壊れた.xlsx" in text and "08 茨城支部" in text
    assert (
        f"合計: 3 件の集計（年度・報告期間）、{total} ファイル、集計しなかったファイル 1 件" in text
    )
    written = sorted(p.name for p in out.iterdir())
    assert written == [
        "2023_全国集計_年度.xlsx",
        "2024_全国集計_上期.xlsx",
        "2024_全国集計_年度.xlsx",
    ]
    book = openpyxl.load_workbook(out / "2024_全国集計_年度.xlsx", read_only=True)
    assert "提出状況" in book.sheetnames

    english = run("consolidate", str(tree), "--all", lang="en")
    assert "FY2024, mid-year: valid 5 of 47, missing 41, invalid 1" in english.stdout


def test_last_years_file_in_this_years_folder_counts_for_last_year(tree: Path):
    result = consolidate_tree(tree)
    runs = {(r.fiscal_year, r.period): r for r in result.runs}
    assert sorted(r.board.counts()["valid"] for r in result.runs) == [3, 5, 5]
    annual_2023 = runs[(2023, PeriodKind.ANNUAL)].board
    tokyo = annual_2023.branches["13"]
    assert len(tokyo.files) == 2 and tokyo.chosen is not None  # the copy is the same file
    assert not result.unplaced and len(result.problems) == 1


def test_nothing_to_consolidate_is_a_message_and_exit_code_2(tmp_path: Path):
    empty = tmp_path / "empty"
    (empty / "2024").mkdir(parents=True)
    (empty / "readme.txt").write_text("ここに提出版を置く", encoding="utf-8")
    tree = run("consolidate", str(empty), "--all")
    assert tree.returncode == 2 and "提出版がありません" in tree.stderr
    single = run("consolidate", str(empty), "--year", "2024", "--period", "midyear")
    assert single.returncode == 2 and "提出ファイル（.xlsx）がありません" in single.stderr
    assert "Traceback" not in tree.stderr + single.stderr
    both = run("consolidate", str(empty), "--all", "--year", "2024")
    assert both.returncode == 2 and "--all" in both.stderr
    neither = run("consolidate", str(empty))
    assert neither.returncode == 2 and "--year" in neither.stderr


def test_no_submission_for_the_year_asked_is_exit_code_2_and_nothing_written(
    tree: Path, tmp_path: Path
):
    result = run(
        "consolidate", str(tree / "2024" / "上期"), "--year", "2022", "--period", "midyear",
    )  # fmt: skip
    assert result.returncode == 1  # the broken file is still refused
    out = tmp_path / "national.xlsx"
    folder = tree / "2023" / "年度"
    result = run("consolidate", str(folder), "--year", "2022", "--period", "midyear", "--out", str(out))  # fmt: skip
    assert result.returncode == 2 and "有効な提出版がありません" in result.stderr
    assert "[5/5]" in result.stderr and not out.exists()


def test_all_with_sign_signs_every_national_workbook_and_pack_with_hqs_key(
    tree: Path, tmp_path: Path
):
    """`--all --sign`: the passphrase asked once, before any file is read; every
    national workbook and benchmark pack of every year and period signed with HQ's
    key (--sign was ignored before), and a PC that trusts HQ's key accepts them. A
    national workbook changed after signing is refused; re-saved untouched, it is not."""
    hq = tmp_path / "hq" / "hq.sqlite3"
    hq_keys = keys_dir(hq)
    key = signing_keys.create_key(hq_keys, "00", "hq-passphrase", cost=FAST)
    packs, out = tmp_path / "packs", tmp_path / "national"
    args = ["--db", str(hq), "consolidate", str(tree), "--all"]
    wrong = run(*args, "--out", str(out), "--pack", str(packs), "--sign", "--password-stdin",
                stdin="not-it\n")  # fmt: skip
    assert wrong.returncode != 0 and "パスフレーズが違います" in wrong.stderr
    assert "[1/" not in wrong.stderr and not packs.exists() and not out.exists()  # nothing read
    bare = run(*args, "--sign", "--password-stdin", stdin="hq-passphrase\n")
    assert bare.returncode == 2 and "--pack" in bare.stderr and "[1/" not in bare.stderr

    done = run(*args, "--out", str(out), "--pack", str(packs), "--sign", "--password-stdin",
               stdin="hq-passphrase\n")  # fmt: skip
    assert done.returncode == 1, done.stderr  # the broken file, as without --sign
    branch = tmp_path / "branch" / "keys"
    signing_keys.export_public_key(hq_keys, tmp_path / "hq.pub.json")
    key_registry.import_key(branch, tmp_path / "hq.pub.json")
    registry = trusted_keys(branch)
    written = sorted(packs.glob("*.xlsx"))
    assert len(written) == 3
    for path in written:
        pack = read_benchmark_pack(path)
        assert pack.signing_key == key.fingerprint, path.name
        assert check_signature(pack, registry).ok, path.name
    books = sorted(out.glob("*.xlsx"))
    assert len(books) == 3
    for path in books:
        assert check_national_workbook(path, registry).ok, path.name

    resaved, changed = tmp_path / "resaved.xlsx", tmp_path / "changed.xlsx"
    wb = openpyxl.load_workbook(books[0])
    wb.save(resaved)  # untouched values: still valid (openpyxl drops the charts)
    assert check_national_workbook(resaved, registry).ok
    ws = wb["提出状況"]
    cell = next(c for row in ws.iter_rows(min_row=4) for c in row if isinstance(c.value, str))
    cell.value += "（書き換え）"
    wb.save(changed)
    check = check_national_workbook(changed, registry)
    assert not check.ok and "changed after it was signed" in check.problem.en
    unsigned = run("consolidate", str(tree / "2023"), "--all", "--out", str(tmp_path / "u"))
    assert unsigned.returncode == 0, unsigned.stderr
    (plain,) = (tmp_path / "u").glob("*.xlsx")
    assert not check_national_workbook(plain, registry).ok
