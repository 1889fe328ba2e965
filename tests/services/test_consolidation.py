"""HQ consolidation on real files: 47 demo submissions, some of them broken on purpose."""

from __future__ import annotations

import shutil
import warnings
import zipfile
from dataclasses import replace
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from desktop.domain.errors import UserError
from desktop.domain.model import PeriodKind
from desktop.domain.national import BRANCH_CODES
from desktop.services import benchmarks, plans
from desktop.services.check import check_database
from desktop.services.consolidation import (
    BranchStatus,
    FileStatus,
    Problem,
    consolidate_folder,
    folder_periods,
    scan_folder,
    write_national,
)
from desktop.services.demo_submissions import demo_submission, write_demo_submissions
from desktop.services.editing import ReportRef
from desktop.services.exchange import file_stem, next_free_path
from desktop.services.workspace import load_report
from desktop.store.models import AuditRow, BenchmarkRow
from desktop.workbooks.benchmark_pack import read_benchmark_pack
from desktop.workbooks.machine import WorkbookError
from desktop.workbooks.national import FIGURE_COLUMNS, FIGURES_SHEET, RANKS_SHEET
from desktop.workbooks.peek import peek_manifest
from desktop.workbooks.reader import read_workbook
from desktop.workbooks.writer import write_workbook

FY = 2024
MID = PeriodKind.MIDYEAR
PARTS_KPI = "2.II.2.k1"  # 生活習慣病予防健診実施率: a ％ rate with numerator and denominator


@pytest.fixture(scope="module")
def clean_folder(tmp_path_factory) -> Path:
    """47 signed-off demo submissions, written once per module."""
    folder = tmp_path_factory.mktemp("submissions") / "all47"
    paths = write_demo_submissions(folder, fiscal_year=FY, period=MID)
    assert len(paths) == 47
    return folder


@pytest.fixture(scope="module")
def clean_result(clean_folder: Path):
    return consolidate_folder(clean_folder, fiscal_year=FY, period=MID)


@pytest.fixture
def folder(clean_folder: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "share"
    shutil.copytree(clean_folder, copy)
    return copy


def _file(folder: Path, code: str) -> Path:
    (path,) = folder.glob(f"{FY}_{code}_*.xlsx")
    return path


def _tamper(path: Path, sheet: str = "_measurements", cell: str = "B3", value: str = "99.9"):
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell].value = value
    wb.save(path)


def _write(folder: Path, data) -> Path:
    path = next_free_path(folder, file_stem(data.manifest))
    write_workbook(data, path)
    return path


# --- the board -------------------------------------------------------------------------


def test_done_when_two_deleted_and_one_edited_by_hand(folder: Path):
    _file(folder, "05").unlink()
    _file(folder, "22").unlink()
    _tamper(_file(folder, "13"))
    board = scan_folder(folder, fiscal_year=FY, period=MID)
    counts = board.counts()
    assert counts[BranchStatus.VALID] == 44
    assert counts[BranchStatus.MISSING] == 2
    assert counts[BranchStatus.INVALID] == 1
    assert [b.code for b in board.missing] == ["05", "22"]
    (bad,) = board.invalid_files
    assert bad.branch == "13" and bad.branch_from_name  # the manifest could not be trusted
    assert bad.problem is Problem.TAMPERED
    assert "「実績値」" in bad.reason_ja and "書き換え" in bad.reason_ja  # KPI and field in words
    assert "figure of KPI" in bad.reason_en and "_measurements" not in bad.reason_en
    assert not board.clean


def test_printed_sheets_older_files_and_crafted_archives_are_refused(folder: Path):
    """HQ reads the printed sheets: a forged signer on the cover is refused like a
    changed figure; a file of format 1 (whose pages cannot be checked) must be sent
    again; an archive with a second copy of a sheet is refused before it is read."""
    wb = openpyxl.load_workbook(_file(folder, "17"))
    ws = wb["表紙"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "決裁")
    ws.cell(row, 2).value = "支部長 偽名"
    wb.save(_file(folder, "17"))
    _file(folder, "13").unlink()
    old = folder / "2024_13_東京支部_上期進捗_提出版_v01.xlsx"
    shutil.copy(Path(__file__).parents[1] / "workbooks" / "data" / "format1_submission.xlsx", old)
    doubled = _file(folder, "23")
    with zipfile.ZipFile(doubled) as src:
        members = [(i.filename, src.read(i)) for i in src.infolist()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        with zipfile.ZipFile(doubled, "w") as dst:
            dst.writestr(members[-1][0], members[-1][1])
            for name, content in members:
                dst.writestr(name, content)

    board = scan_folder(folder, fiscal_year=FY, period=MID)
    forged = board.branches["17"].files[0]
    assert (forged.status, forged.problem) == (FileStatus.INVALID, Problem.TAMPERED)
    assert "「表紙」の「決裁」" in forged.reason_ja and "支部長 偽名" in forged.reason_ja
    assert "sign-off" in forged.reason_en
    older = board.branches["13"].files[0]
    assert (older.status, older.problem) == (FileStatus.INVALID, Problem.OLD_FORMAT)
    assert "書き出し直して" in older.reason_ja and "export it again" in older.reason_en
    crafted = board.branches["23"].files[0]
    assert (crafted.status, crafted.problem) == (FileStatus.INVALID, Problem.TAMPERED)
    assert "同じ名前の部品" in crafted.reason_ja
    assert board.counts()[BranchStatus.VALID] == 44


def test_each_broken_file_is_reported_with_its_reason_and_none_is_counted(folder: Path):
    _file(folder, "05").unlink()
    _file(folder, "22").unlink()
    _tamper(_file(folder, "13"))
    # 08 sent its report without the branch head's sign-off.
    _file(folder, "08").unlink()
    unsigned = _write(folder, demo_submission("08", signed=False))
    # 27 sent twice: the newer file counts, whatever its name.
    first = demo_submission("27")
    newer = demo_submission("27", seed=99, created_at=first.manifest.created_at + timedelta(days=2))
    second = _write(folder, newer)
    older = _file_named(folder, "2024_27_", "_v01.xlsx")
    # 31 also left last year's file in the share; 40 an annual report.
    last_year = _write(folder, demo_submission("31", fiscal_year=2023))
    annual = _write(folder, demo_submission("40", period=PeriodKind.ANNUAL))
    # 45's KPI has another unit than everybody else's.
    _file(folder, "45").unlink()
    data = demo_submission("45")
    odd = tuple(replace(k, unit="件") if k.key == "1.II.4.k2" else k for k in data.plan.kpis)
    wrong_unit = _write(folder, replace(data, plan=replace(data.plan, kpis=odd)))
    # Not workbooks, and what Excel and our own writer leave behind.
    (folder / "メモ.txt").write_text("not a workbook", encoding="utf-8")
    (folder / "garbage.xlsx").write_bytes(b"this is no zip archive")
    plain = openpyxl.Workbook()
    plain.active["A1"] = "a workbook somebody saved here"
    plain.save(folder / "集計メモ.xlsx")
    (folder / "~$2024_13_東京支部_上期進捗_提出版_v01.xlsx").write_bytes(b"owner")
    (folder / ".2024_13_東京支部.abc123.tmp").write_bytes(b"half")

    result = consolidate_folder(folder, fiscal_year=FY, period=MID)
    board = result.board
    by_name = {f.name: f for f in board.files}
    assert "~$2024_13_東京支部_上期進捗_提出版_v01.xlsx" not in by_name
    assert ".2024_13_東京支部.abc123.tmp" not in by_name

    def check(path: Path, status: FileStatus, problem: Problem, branch: str | None) -> None:
        f = by_name[path.name]
        assert (f.status, f.problem, f.branch) == (status, problem, branch), f
        assert f.reason_ja and f.reason_en

    check(_file_named(folder, "2024_13_"), FileStatus.INVALID, Problem.TAMPERED, "13")
    check(unsigned, FileStatus.UNSIGNED, Problem.UNSIGNED, "08")
    check(older, FileStatus.SUPERSEDED, Problem.SUPERSEDED, "27")
    check(last_year, FileStatus.OTHER_PERIOD, Problem.WRONG_YEAR, "31")
    check(annual, FileStatus.OTHER_PERIOD, Problem.WRONG_PERIOD, "40")
    assert by_name[last_year.name].status_label("ja") == "令和5年度・上期のファイル"
    assert by_name[annual.name].status_label("en") == "for FY2024, annual report"
    check(wrong_unit, FileStatus.INVALID, Problem.STRUCTURE, "45")
    check(folder / "garbage.xlsx", FileStatus.INVALID, Problem.UNREADABLE, None)
    check(folder / "集計メモ.xlsx", FileStatus.INVALID, Problem.FORMAT, None)
    check(folder / "メモ.txt", FileStatus.SKIPPED, Problem.NOT_XLSX, None)
    assert by_name[second.name].status is FileStatus.VALID
    assert "1.II.4.k2" in by_name[wrong_unit.name].reason_ja
    assert "未決裁" in by_name[unsigned.name].status.label_ja

    cells = board.branches
    assert cells["08"].status is BranchStatus.UNSIGNED
    assert cells["13"].status is BranchStatus.INVALID
    assert cells["45"].status is BranchStatus.INVALID
    assert cells["05"].status is cells["22"].status is BranchStatus.MISSING
    assert cells["27"].status is BranchStatus.VALID and cells["27"].chosen.path == second
    assert cells["31"].status is cells["40"].status is BranchStatus.VALID  # their right files

    counted = set(BRANCH_CODES) - {"05", "22", "13", "08", "45"}
    assert set(result.results) == counted
    assert set(result.figures.branches) == counted
    assert board.counts()[BranchStatus.VALID] == 42
    # The newer file of 27 is the one whose figures count.
    newer_value = next(
        m.value for m in newer.plan.reports[0].measurements if m.kpi_key == "1.II.4.k2"
    )
    assert result.results["27"].figure("1.II.4.k2").value == newer_value
    # Nothing refused reaches the national figures: every rank belongs to a counted branch.
    for n in result.figures.kpis.values():
        assert set(n.ranks) == counted


def _file_named(folder: Path, prefix: str, suffix: str = ".xlsx") -> Path:
    (path,) = [p for p in folder.iterdir() if p.name.startswith(prefix) and p.name.endswith(suffix)]
    return path


def test_a_clean_folder_counts_all_47_and_superseded_alone_is_not_a_problem(folder: Path):
    board = scan_folder(folder, fiscal_year=FY, period=MID)
    assert board.counts()[BranchStatus.VALID] == 47 and board.clean
    first = read_workbook(_file(folder, "01"))
    _write(folder, replace(first, manifest=replace(first.manifest, created_at=first.manifest.created_at + timedelta(hours=1))))  # fmt: skip
    board = scan_folder(folder, fiscal_year=FY, period=MID)
    assert len(board.superseded_files) == 1 and board.clean
    assert board.branches["01"].chosen.name.endswith("_v02.xlsx")


def test_kpi_definitions_follow_a_template_when_one_is_given(folder: Path):
    template = plans.bundled_plan("plans/tokyo_2024.json")
    odd = tuple(replace(k, decimals=3) if k.key == "3.7.k1" else k for k in template.kpis)
    board = scan_folder(folder, fiscal_year=FY, period=MID, template=replace(template, kpis=odd))
    assert board.counts()[BranchStatus.VALID] == 0
    assert {f.problem for f in board.files} == {Problem.STRUCTURE}


def test_a_missing_folder_is_a_user_error(tmp_path: Path):
    with pytest.raises(UserError):
        scan_folder(tmp_path / "nowhere", fiscal_year=FY, period=MID)


# --- the national workbook against figures recomputed by hand ----------------------------


def _measurements(path: Path) -> dict[str, dict[str, str | None]]:
    """The hidden measurement rows of a submission, read without PlanDesk's reader."""
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb["_measurements"].iter_rows(values_only=True))
    wb.close()
    header = rows[0]
    return {r[0]: dict(zip(header, r, strict=False)) for r in rows[1:] if r[0]}


def test_weighted_national_rate_and_ranks_in_the_workbook(folder: Path, tmp_path: Path):
    _file(folder, "05").unlink()
    _tamper(_file(folder, "13"))
    result = consolidate_folder(folder, fiscal_year=FY, period=MID)
    out = write_national(result, tmp_path / "national.xlsx", actor="hq")

    # By hand: Σ numerators × 100 / Σ denominators over the counted files.
    numerators = denominators = Decimal(0)
    for cell in result.board.valid:
        row = _measurements(cell.chosen.path)[PARTS_KPI]
        if row["value"] is None:
            continue
        numerators += Decimal(row["numerator"])
        denominators += Decimal(row["denominator"])
    by_hand = (numerators * 100 / denominators).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    wb = openpyxl.load_workbook(out)
    ws = wb[FIGURES_SHEET]
    header = [c.value for c in ws[2]]
    assert tuple(header) == FIGURE_COLUMNS
    row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == PARTS_KPI)
    weighted = row[FIGURE_COLUMNS.index("全国値（加重）")]
    assert Decimal(str(weighted.value)) == by_hand == result.figures.kpis[PARTS_KPI].weighted
    assert weighted.number_format == "#,##0.0"  # the KPI's one decimal
    assert row[FIGURE_COLUMNS.index("分子合計")].value == int(numerators)
    assert row[FIGURE_COLUMNS.index("分母合計")].value == int(denominators)

    ranks = wb[RANKS_SHEET]
    keys = [k.key for k in result.kpis]
    for r in ranks.iter_rows(min_row=3, max_row=2 + 47):
        code = r[0].value
        for i, key in enumerate(keys):
            expected = result.figures.kpis[key].ranks.get(code)
            assert r[2 + i].value == expected, (code, key)
    assert ranks.cell(row=3 + 12, column=1).value == "13"
    assert all(c.value is None for c in ranks[3 + 12][2:])  # the tampered file: no ranks


def test_each_branch_sheet_prints_the_branchs_own_reference_figures(clean_result, tmp_path):
    """Issue 16 item 4: 前年度実績 and the other reference figures of each counted branch,
    from its own submission, on its sheet of the national workbook."""
    out = write_national(clean_result, tmp_path / "national.xlsx", actor="hq")
    cell = clean_result.board.branches["13"]
    own = {k.key: k for k in cell.chosen.data.plan.kpis}
    ws = openpyxl.load_workbook(out)["13 東京支部"]
    head = [c.value for c in ws[3]]
    column = head.index("前年度実績")
    printed = {r[0].value: r[column].value for r in ws.iter_rows(min_row=4) if r[0].value}
    held = {key: k.last_year_actual for key, k in own.items() if k.last_year_actual is not None}
    assert held and printed.keys() >= held.keys()
    for key, value in held.items():
        assert Decimal(str(printed[key])) == value, key


# --- benchmark pack round trip --------------------------------------------------------------


def _audit_count(db) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(AuditRow))


def test_benchmark_pack_fills_tokyo_and_a_second_import_changes_nothing(
    clean_result, demo_db, tmp_path: Path
):
    result = clean_result
    path = benchmarks.write_pack(result, tmp_path, actor="hq")
    assert path.name == "2024_全国平均・順位_上期.xlsx"
    pack = read_benchmark_pack(path)
    assert pack.fiscal_year == FY and pack.period is MID and len(pack.branches) == 47

    before = _audit_count(demo_db)
    first = benchmarks.import_benchmark_pack(demo_db, path, branch="13", actor="planner")
    assert len(first.changed) == len(result.kpis) and not first.skipped
    after_first = _audit_count(demo_db)
    assert after_first > before

    report = plans.get_plan(demo_db, "13", FY).report(MID)
    stored = {b.kpi_key: b for b in report.benchmarks}
    for key, n in result.figures.kpis.items():
        assert stored[key].national_average == n.national_average
        assert stored[key].national_rank == n.ranks["13"]
        assert stored[key].branch_count == n.ranked_count
    # The Tokyo demo submission carries the Tokyo demo figures: its rank is theirs.
    assert stored["1.II.2.k2"].national_rank is not None

    # What the dashboard and KPI grid show come from the report snapshot.
    snapshot = load_report(demo_db, ReportRef("13", FY, MID))
    assert snapshot.benchmarks["1.II.2.k2"].national_rank == stored["1.II.2.k2"].national_rank

    second = benchmarks.import_benchmark_pack(demo_db, path, branch="13", actor="planner")
    assert second.changed == () and len(second.unchanged) == len(result.kpis)
    assert _audit_count(demo_db) == after_first
    with demo_db.read() as session:
        assert session.scalar(select(func.count()).select_from(BenchmarkRow)) == len(result.kpis)
    assert check_database(demo_db).ok  # the national figures are accounted for in the audit


def test_benchmark_import_refuses_other_years_missing_reports_and_edited_packs(
    clean_result, demo_db, tmp_path: Path
):
    result = clean_result
    path = benchmarks.write_pack(result, tmp_path / "pack.xlsx", actor="hq")
    with pytest.raises(UserError, match="FY2024"):
        benchmarks.import_benchmark_pack(
            demo_db, path, branch="13", actor="planner", fiscal_year=2023
        )
    with pytest.raises(UserError):  # no FY2024 plan for Hokkaido in the Tokyo database
        benchmarks.import_benchmark_pack(demo_db, path, branch="01", actor="planner")

    annual_folder = tmp_path / "annual"
    write_demo_submissions(annual_folder, period=PeriodKind.ANNUAL, branches=["01", "02", "13"])
    annual = consolidate_folder(annual_folder, fiscal_year=FY, period=PeriodKind.ANNUAL)
    assert len(annual.results) == 3
    annual_pack = benchmarks.write_pack(annual, tmp_path / "annual.xlsx", actor="hq")
    with pytest.raises(UserError) as refused:  # Tokyo has no FY2024 annual report yet
        benchmarks.import_benchmark_pack(demo_db, annual_pack, branch="13", actor="planner")
    assert "報告" in refused.value.text.ja

    wb = openpyxl.load_workbook(path)
    cell = wb["_pack_ranks"]["C2"]
    cell.value = str(int(cell.value or 0) % 47 + 1)  # another rank than HQ's
    wb.save(tmp_path / "edited.xlsx")
    with pytest.raises(UserError, match="digest"):
        benchmarks.import_benchmark_pack(
            demo_db, tmp_path / "edited.xlsx", branch="13", actor="planner"
        )
    with pytest.raises(WorkbookError):
        read_benchmark_pack(tmp_path / "edited.xlsx")
    with demo_db.read() as session:
        assert session.scalar(select(func.count()).select_from(BenchmarkRow)) == 0


def test_benchmarks_are_filled_even_after_sign_off(clean_result, demo_db, tmp_path: Path):
    from tests.helpers.reports import sign_off_all

    sign_off_all(demo_db, ReportRef("13", FY, MID))
    result = clean_result
    path = benchmarks.write_pack(result, tmp_path / "pack.xlsx", actor="hq")
    done = benchmarks.import_benchmark_pack(demo_db, path, branch="13", actor="planner")
    assert len(done.changed) == len(result.kpis)


# --- demo submissions --------------------------------------------------------------------


def test_demo_submissions_are_plausible_and_deterministic(clean_folder: Path):
    again = demo_submission("01")
    stored = read_workbook(_file(clean_folder, "01"))
    assert stored.report.measurements == again.report.measurements
    assert stored.manifest.signed_off_by and stored.manifest.signed_off_name.startswith("支部長")
    for code in ("01", "27", "47"):
        data = read_workbook(_file(clean_folder, code))
        kpis = {k.key: k for k in data.plan.kpis}
        for m in data.report.measurements:
            kpi = kpis[m.kpi_key]
            if m.value is None:
                assert m.unavailable_reason
                continue
            assert m.value >= 0
            if kpi.is_rate:
                assert m.value <= 100
            assert -m.value.as_tuple().exponent <= kpi.decimals
            if m.numerator is not None:
                assert m.numerator <= m.denominator
                rate = (m.numerator * 100 / m.denominator).quantize(
                    Decimal(1).scaleb(-kpi.decimals), rounding=ROUND_HALF_UP
                )
                assert rate == m.value
        marks = {e.mark for e in data.report.entries}
        assert marks <= {"◎", "○", "△", "－", "×", None}


def test_scanning_reports_its_progress_file_by_file(tmp_path: Path):
    share = tmp_path / "share"
    write_demo_submissions(share, branches=["01", "02", "03"])
    (share / "notes.txt").write_text("memo", encoding="utf-8")
    steps: list[tuple[int, int]] = []
    scan_folder(
        share,
        fiscal_year=2024,
        period=PeriodKind.MIDYEAR,
        progress=lambda d, t: steps.append((d, t)),
    )
    assert steps == [(1, 4), (2, 4), (3, 4), (4, 4)]


# --- which year and period a folder is for ------------------------------------------------


def test_a_folder_of_two_years_defaults_to_the_most_common_and_names_the_others(
    tmp_path: Path,
):
    share = tmp_path / "share"
    write_demo_submissions(share, fiscal_year=2024, branches=["01", "13", "27", "40"])
    write_demo_submissions(share, fiscal_year=2023, branches=["01", "02"])
    write_demo_submissions(share, period=PeriodKind.ANNUAL, branches=["13"])
    (share / "garbage.xlsx").write_bytes(b"no zip")
    (share / "メモ.txt").write_text("not read", encoding="utf-8")

    periods = folder_periods(share)
    assert periods.most_common == (2024, MID)
    assert periods.counts == {(2024, MID): 4, (2023, MID): 2, (2024, PeriodKind.ANNUAL): 1}
    assert periods.unreadable == 1
    assert (
        periods.describe("ja")
        == "令和6年度・上期 4件、令和5年度・上期 2件、令和6年度・事業報告 1件"
    )

    board = scan_folder(share, fiscal_year=2024, period=MID)
    others = {f.name: f for f in board.other_period_files}
    assert len(others) == 3
    assert [f.name for f in board.invalid_files] == ["garbage.xlsx"]
    # 02 sent only last year's file: missing this year, not invalid.
    assert board.branches["02"].status is BranchStatus.MISSING
    assert board.branches["01"].status is BranchStatus.VALID
    last_year = next(f for name, f in others.items() if name.startswith("2023_02_"))
    assert last_year.status_label("ja") == "令和5年度・上期のファイル"
    assert "令和5年度" in last_year.reason_ja and "令和6年度" in last_year.reason_ja
    # The same folder at 2023: those files count, and the 2024 ones are the others.
    older = scan_folder(share, fiscal_year=2023, period=MID)
    assert [b.code for b in older.valid] == ["01", "02"]
    assert len(older.other_period_files) == 5


def test_a_tie_goes_to_the_latest_year_and_an_empty_folder_has_none(tmp_path: Path):
    share = tmp_path / "share"
    write_demo_submissions(share, fiscal_year=2023, branches=["01"])
    write_demo_submissions(share, fiscal_year=2024, branches=["02"])
    assert folder_periods(share).most_common == (2024, MID)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert folder_periods(empty).most_common is None


def test_peeking_reads_the_same_manifest_as_a_full_read_and_refuses_the_same_files(
    clean_folder: Path, tmp_path: Path
):
    path = _file(clean_folder, "13")
    assert peek_manifest(path) == read_workbook(path).manifest
    plain = openpyxl.Workbook()
    plain.active["A1"] = "a workbook somebody saved here"
    plain.save(tmp_path / "memo.xlsx")
    for bad in (tmp_path / "memo.xlsx", tmp_path / "missing.xlsx"):
        with pytest.raises(WorkbookError):
            peek_manifest(bad)
