"""`plandesk verify` on HQ's national workbook, as a branch (HQ's public key imported)
and HQ itself would type it: exit 0 for a valid signed one, 1 for unsigned, changed,
another key or a revoked key — the codes and wording of verify's other verdicts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from desktop.services import signing_keys
from desktop.workbooks import national
from tests.cli.helpers import CliResult
from tests.helpers.national_files import Hq

Cli = Callable[..., CliResult]


@pytest.fixture(scope="module")
def hq(tmp_path_factory: pytest.TempPathFactory) -> Hq:
    return Hq(tmp_path_factory.mktemp("national-cli"))


@pytest.fixture(scope="module")
def signed(hq: Hq) -> Path:
    return hq.write("2024_全国集計_上期.xlsx", hq.key)


@pytest.fixture(scope="module")
def unsigned(hq: Hq) -> Path:
    return hq.write("2024_全国集計_上期_署名なし.xlsx")


@pytest.fixture
def branch(cli: Cli, hq: Hq, tmp_path: Path) -> list[object]:
    """`--db` of a branch PC that imported HQ's public key."""
    db = ["--db", tmp_path / "branch" / "branch.sqlite3"]
    assert cli("keys", "import", hq.public_file, *db).code == 0
    return db


def test_a_signed_national_workbook_verifies_with_hqs_fingerprint(
    cli: Cli, hq: Hq, signed: Path, branch: list[object]
):
    fingerprint = signing_keys.spoken(hq.public.fingerprint)
    ok = cli("verify", signed, *branch)
    assert ok.code == 0, ok.err
    assert "種類: 全国集計（本部）　年度: 2024　期間: 上期" in ok.out
    assert f"電子署名の鍵の指紋: {fingerprint}" in ok.out
    assert "検証: 正常です。" in ok.out and not ok.err
    english = cli("verify", signed, *branch, "--lang", "en")
    assert english.code == 0
    assert "Kind: national workbook (HQ)  FY: 2024" in english.out
    assert f"Signing key fingerprint: {fingerprint}" in english.out
    assert "Verified: OK." in english.out
    # On HQ's own PC its own key vouches for it.
    assert cli("verify", signed, "--db", hq.db).code == 0


def test_an_unsigned_national_workbook_fails(cli: Cli, unsigned: Path, branch: list[object]):
    refused = cli("verify", unsigned, *branch)
    assert refused.code == 1
    assert "種類: 全国集計（本部）" in refused.out and "検証: 不合格です。" in refused.out
    assert "電子署名がありません" in refused.err and "--sign" in refused.err
    english = cli("verify", unsigned, *branch, "--lang", "en")
    assert english.code == 1 and "The file has no signature" in english.err
    assert "Verification FAILED." in english.out


def test_a_cell_changed_after_signing_fails(
    cli: Cli, signed: Path, branch: list[object], tmp_path: Path
):
    wb = openpyxl.load_workbook(signed)
    ws = wb[national.MATRIX_SHEET]
    cell = next(c for row in ws.iter_rows(min_row=4) for c in row if isinstance(c.value, int))
    cell.value += 1
    changed = tmp_path / signed.name
    wb.save(changed)
    refused = cli("verify", changed, *branch, "--lang", "en")
    assert refused.code == 1 and "changed after it was signed" in refused.err


def test_a_revoked_hq_key_fails_what_it_signed_after(
    cli: Cli, hq: Hq, signed: Path, branch: list[object]
):
    revoked = cli("keys", "revoke", hq.public.fingerprint[:9], "--at", "2000-01-01T00:00", *branch)
    assert revoked.code == 0, revoked.err
    refused = cli("verify", signed, *branch, "--lang", "en")
    assert refused.code == 1 and "revoked" in refused.err


def test_with_submissions_each_file_gets_its_verdict(
    cli: Cli, hq: Hq, signed: Path, unsigned: Path, branch: list[object]
):
    """The demo submission is unsigned: refused on a PC that trusts keys, as ever."""
    result = cli("verify", signed, hq.submissions[0], unsigned, *branch)
    assert result.code == 1
    blocks = dict(b.split("\n", 1) for b in result.out.split("== ")[1:])
    assert "全国集計" in blocks[signed.name] and "検証: 正常です。" in blocks[signed.name]
    assert "種類: 提出版" in blocks[hq.submissions[0].name]
    assert "検証: 不合格です。" in blocks[unsigned.name]
    assert "署名のない提出版" in result.err and "署名なしで書き出された全国集計" in result.err
    assert "Traceback" not in result.out + result.err


def test_importing_a_national_workbook_by_mistake_says_what_it_is(
    cli: Cli, unsigned: Path, people_db: Path
):
    """`import` and `benchmark-import`: exit 1 (the file's fault), the verdict said."""
    for args in (("import", unsigned), ("benchmark-import", unsigned, "--branch", "13")):
        refused = cli(*args, "--db", people_db)
        assert refused.code == 1, refused.err
        assert "本部の全国集計のファイルです" in refused.err
        assert "電子署名がありません" in refused.err
        assert "PlanDesk のブックにない部品" not in refused.err
