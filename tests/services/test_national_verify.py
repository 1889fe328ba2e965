"""`verify` on HQ's national workbook (issue 17 item 1): real submissions consolidated,
the national workbook written by the writer `consolidate` uses, signed with a real HQ
key; a branch that imported HQ's public key checks it. Also where the app meets one
by mistake: the workbook import and the import of national averages and ranks."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest

from desktop.domain.errors import BadFile, UserError
from desktop.domain.model import PeriodKind
from desktop.services import benchmarks, exchange, key_registry, signing_keys
from desktop.services import verify as verify_service
from desktop.services.key_registry import Registry, load_registry
from desktop.services.signatures import check_national_workbook
from desktop.services.verify import verify_file, verify_files
from desktop.store.database import Database
from desktop.workbooks import national, national_seal
from desktop.workbooks.machine import WorkbookError
from desktop.workbooks.national_seal import SEAL_SHEET, digest_of
from tests.helpers.national_files import FAST, Hq
from tests.workbooks.archive_edits import ENTITIES, crafted, member, members_of, rezip, sheet_part
from tests.workbooks.resavers import needs_soffice, resave_libreoffice, resave_openpyxl


@pytest.fixture(scope="module")
def hq(tmp_path_factory: pytest.TempPathFactory) -> Hq:
    return Hq(tmp_path_factory.mktemp("national"))


@pytest.fixture(scope="module")
def signed(hq: Hq) -> Path:
    return hq.write("2024_全国集計_上期.xlsx", hq.key)


@pytest.fixture(scope="module")
def unsigned(hq: Hq) -> Path:
    return hq.write("2024_全国集計_上期_署名なし.xlsx")


@pytest.fixture
def branch(hq: Hq, tmp_path: Path) -> Path:
    """A branch's keys folder that imported HQ's public key (confirmed by phone)."""
    folder = tmp_path / "branch" / "keys"
    key_registry.import_key(folder, hq.public_file)
    return folder


def _copy(path: Path, tmp_path: Path, content: bytes) -> Path:
    out = tmp_path / path.name
    out.write_bytes(content)
    return out


def _text(verdict: verify_service.Verdict) -> str:
    return " ".join(verdict.problems_ja + verdict.problems_en)


def test_a_signed_national_workbook_is_valid_with_hqs_key(signed: Path, hq: Hq, branch: Path):
    verdict = verify_file(signed, load_registry(branch))
    assert verdict.ok, verdict.problems_en
    assert verdict.national is not None and verdict.data is None
    seal = verdict.national.seal
    assert seal is not None and seal.signing_key == hq.public.fingerprint
    assert (seal.fiscal_year, seal.period, seal.created_by) == (2024, PeriodKind.MIDYEAR, "hq")
    assert not verdict.notes_en
    # Among submissions, each file gets its own verdict (the chain check skips it).
    together = verify_files([signed, *hq.submissions], load_registry(branch))
    assert together[0].ok and together[0].national is not None
    assert all(v.national is None and v.data is not None for v in together[1:])


def test_the_seal_is_read_behind_the_charts_the_reader_refuses(signed: Path):
    """The file really holds charts (what a branch file's archive check refuses)."""
    with zipfile.ZipFile(signed) as archive:
        assert any(n.startswith("xl/charts/chart") for n in archive.namelist())


def test_an_unsigned_national_workbook_is_invalid_saying_so(unsigned: Path, branch: Path):
    verdict = verify_file(unsigned, load_registry(branch))
    assert not verdict.ok and verdict.national is not None and verdict.national.seal is None
    assert "電子署名がありません" in _text(verdict) and "no signature" in _text(verdict)
    # Also on a PC that trusts no key yet: nothing vouches for an unsigned one.
    assert not verify_file(unsigned).ok


def test_one_cell_changed_after_signing_is_invalid(signed: Path, branch: Path, tmp_path: Path):
    """A figure changed in the sheet's XML, charts and seal left as they are."""
    content = signed.read_bytes()
    part = sheet_part(content, national.FIGURES_SHEET)
    xml = member(content, part).decode("utf-8")
    number = re.search(r'<c r="[A-Z]+[0-9]+"[^>]* t="n"><v>([^<]+)</v>', xml)
    assert number is not None
    changed = xml[: number.start(1)] + number.group(1) + "1" + xml[number.end(1) :]
    path = _copy(signed, tmp_path, rezip(content, {part: changed.encode("utf-8")}))
    verdict = verify_file(path, load_registry(branch))
    assert not verdict.ok
    assert "署名の後に書き換えられています" in _text(verdict)
    assert "changed after it was signed" in _text(verdict)


def test_a_changed_cell_with_the_seals_digest_recomputed_is_invalid(
    signed: Path, branch: Path, tmp_path: Path
):
    """Someone who knows the format changes a cell and writes the new digest into the
    seal: the signature (over the digest) no longer matches."""
    wb = openpyxl.load_workbook(signed)
    ws = wb[national.BOARD_SHEET]
    cell = next(c for row in ws.iter_rows(min_row=4) for c in row if isinstance(c.value, str))
    cell.value += "（書き換え）"
    scratch = io.BytesIO()
    wb.save(scratch)
    seal = wb[SEAL_SHEET]
    row = next(r for r in range(1, 10) if seal.cell(r, 1).value == "digest")
    seal.cell(row, 2).value = digest_of(scratch.getvalue())
    path = tmp_path / "forged.xlsx"
    wb.save(path)
    verdict = verify_file(path, load_registry(branch))
    assert not verdict.ok and "signature does not match" in _text(verdict)


def test_a_key_not_hqs_is_invalid(hq: Hq, branch: Path, tmp_path: Path):
    """Signed with branch 13's key (registered, but for branch 13), and with an HQ key
    the branch never imported."""
    keys13 = tmp_path / "b13"
    signing_keys.create_key(keys13, "13", "branch-passphrase", cost=FAST)
    signing_keys.export_public_key(keys13, tmp_path / "13.pub.json")
    key_registry.import_key(branch, tmp_path / "13.pub.json")
    by_branch = hq.write("by-branch.xlsx", signing_keys.unlock(keys13, "branch-passphrase"))
    verdict = verify_file(by_branch, load_registry(branch))
    assert not verdict.ok and "signed with the key of branch 13" in _text(verdict)

    other_hq = tmp_path / "other-hq"
    signing_keys.create_key(other_hq, "00", "another-hq-passphrase", cost=FAST)
    by_other = hq.write("by-other.xlsx", signing_keys.unlock(other_hq, "another-hq-passphrase"))
    verdict = verify_file(by_other, load_registry(branch))
    assert not verdict.ok and "登録されていません" in _text(verdict)
    assert "not registered" in _text(verdict)


def test_a_revoked_key_refuses_later_files_and_notes_earlier_ones(
    signed: Path, hq: Hq, branch: Path, tmp_path: Path
):
    written = verify_file(signed, load_registry(branch)).national.seal.created_at
    later = tmp_path / "revoked-later"
    shutil.copytree(branch, later)
    key_registry.revoke_key(later, hq.public.fingerprint[:8], at=written + timedelta(hours=1))
    verdict = verify_file(signed, load_registry(later))
    assert verdict.ok and any("失効" in n for n in verdict.notes_ja)

    key_registry.revoke_key(branch, hq.public.fingerprint[:8], at=written - timedelta(hours=1))
    verdict = verify_file(signed, load_registry(branch))
    assert not verdict.ok and "revoked" in _text(verdict)


def test_an_untouched_file_resaved_by_openpyxl_stays_valid(
    signed: Path, branch: Path, tmp_path: Path
):
    again = resave_openpyxl(signed, tmp_path / "resaved")
    verdict = verify_file(again, load_registry(branch))
    assert verdict.ok, verdict.problems_en
    assert verdict.national is not None


def test_without_its_charts_it_passes_the_branch_files_archive_checks_and_stays_valid(
    signed: Path, branch: Path, tmp_path: Path
):
    """The seal covers the cells, not the charts (docs/TRUST.md): a copy saved without
    them goes through ``safety.check_content`` whole, and is still HQ's figures."""
    wb = openpyxl.load_workbook(signed)
    wb[national.CHARTS_SHEET]._charts.clear()
    path = tmp_path / "no-charts.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as archive:
        assert not any(n.startswith("xl/charts/") for n in archive.namelist())
    verdict = verify_file(path, load_registry(branch))
    assert verdict.ok, verdict.problems_en


@needs_soffice
def test_an_untouched_file_resaved_by_libreoffice_is_judged_as_a_national_workbook(
    signed: Path, branch: Path, tmp_path: Path
):
    """LibreOffice keeps the charts and the very hidden seal; its file is still known as
    a national workbook and read through the archive checks (no other error)."""
    again = resave_libreoffice(signed, tmp_path / "lo")
    verdict = verify_file(again, load_registry(branch))
    assert verdict.national is not None and verdict.national.seal is not None
    assert verdict.ok, verdict.problems_en


# --- the archive checks before any parser ---------------------------------------------------


@pytest.fixture
def no_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl may not see a file the archive checks refuse (observed, not faked: the
    checks run for real, a load would fail the test)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl opened a file the archive checks should refuse")

    monkeypatch.setattr(national_seal, "load_workbook", refuse)


EXTERNAL = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/oleObject" Target="file:///C:/other.xlsx" '
    b'TargetMode="External"/></Relationships>'
)
DANGEROUS = pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda c: rezip(c, {"xl/media/image1.png": b"\x89PNG"}), "xl/media/image1.png"),
        (lambda c: rezip(c, {"xl/vbaProject.bin": b"macros"}), "マクロ"),
        (lambda c: rezip(c, {"xl/charts/chart1.xml": ENTITIES + b"<x>&b;</x>"}), "DOCTYPE"),
        (
            lambda c: crafted(c, [("xl/worksheets/sheet2.xml", b"<x/>"), *members_of(c)]),
            "2つ以上",
        ),
        (lambda c: rezip(c, {"xl/charts/../../evil.xml": b"<x/>"}), "evil.xml"),
        (lambda c: rezip(c, {"xl/charts/chart1.xml": "<x/>".encode("utf-16")}), "UTF-8"),
        (lambda c: c[: len(c) // 2], "壊れて"),
        (lambda c: rezip(c, {"xl/charts/_rels/chart1.xml.rels": EXTERNAL}), "外へのリンク"),
    ],
    ids=["picture", "macros", "doctype", "duplicate", "climbing", "utf16", "cut-short", "link"],
)


@DANGEROUS
def test_a_national_workbook_with_foreign_or_dangerous_parts_is_refused_before_parsing(
    signed: Path, branch: Path, tmp_path: Path, no_openpyxl: None, change, said: str
):
    path = _copy(signed, tmp_path, change(signed.read_bytes()))
    verdict = verify_file(path, load_registry(branch))
    assert not verdict.ok
    assert said in " ".join(verdict.problems_ja), verdict.problems_ja


@DANGEROUS
def test_the_seal_reader_itself_refuses_them_before_parsing(
    signed: Path, tmp_path: Path, no_openpyxl: None, change, said: str
):
    """``check_national_workbook`` (what verify calls, and any later caller) does not
    rely on the workbook reader having looked first."""
    path = _copy(signed, tmp_path, change(signed.read_bytes()))
    with pytest.raises(WorkbookError) as caught:
        check_national_workbook(path, Registry())
    assert said in caught.value.message("ja")


def test_a_zip_bomb_is_refused_before_parsing(
    signed: Path, branch: Path, tmp_path: Path, no_openpyxl: None
):
    bomb = b"<x>" + b" " * (30 * 2**20) + b"</x>"
    path = _copy(signed, tmp_path, rezip(signed.read_bytes(), {"xl/charts/chart1.xml": bomb}))
    verdict = verify_file(path, load_registry(branch))
    assert not verdict.ok and "大きくなりすぎます" in " ".join(verdict.problems_ja)


# --- ordinary files pay nothing ------------------------------------------------------------


def test_an_ordinary_workbook_is_never_looked_at_as_a_national_one(
    hq: Hq, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The national look (the workbook part's sheet names) only after the reader refused
    a file; a damaged or foreign file keeps the reader's own message."""
    asked: list[Path] = []
    real = verify_service.national_sheets
    monkeypatch.setattr(verify_service, "national_sheets", lambda p: asked.append(p) or real(p))
    assert all(v.ok for v in verify_files(hq.submissions))
    assert asked == []
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    verdict = verify_file(junk)
    assert not verdict.ok and verdict.national is None
    assert "Excel ブック（.xlsx）ではありません" in verdict.problems_ja[0]
    pack = benchmarks.write_pack(hq.result, tmp_path / "pack.xlsx", actor="hq")
    verdict = verify_file(pack)
    assert verdict.national is None and not verdict.ok


def test_the_marks_of_a_national_workbook_are_its_sheets():
    assert national_seal.MARK_SHEETS == (national.SUMMARY_SHEET, national.FIGURES_SHEET)


# --- where the app meets one by mistake ------------------------------------------------------


def _refusal(call) -> BadFile:
    with pytest.raises(UserError) as caught:
        call()
    assert isinstance(caught.value, BadFile)
    return caught.value


def test_importing_a_national_workbook_says_what_it_is_and_its_verdict(
    demo_db: Database, signed: Path, unsigned: Path, hq: Hq
):
    key_registry.import_key(signing_keys.keys_dir(demo_db.path), hq.public_file)
    error = _refusal(lambda: exchange.preview_import(demo_db, signed))
    assert "本部の全国集計のファイルです" in error.message("ja")
    assert "検証: 正常です" in error.message("ja")
    assert signing_keys.spoken(hq.public.fingerprint) in error.message("ja")
    assert "national workbook" in error.message("en") and "PlanDesk" not in error.message("en")

    error = _refusal(
        lambda: benchmarks.import_benchmark_pack(demo_db, unsigned, branch="13", actor="staff")
    )
    assert "全国平均・順位」のファイル" in error.message("ja")
    assert "no signature" in error.message("en") and "FAILED" in error.message("en")
