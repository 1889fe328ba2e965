"""The national workbook and the benchmark pack file, from figures built in memory."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from desktop.domain.model import Direction, Kpi, PeriodKind, Plan, Report, TargetKind, YearMonth
from desktop.domain.national import BranchFigure, BranchResult, consolidate
from desktop.workbooks import national
from desktop.workbooks.benchmark_pack import (
    pack_from_figures,
    read_benchmark_pack,
    write_benchmark_pack,
)
from desktop.workbooks.machine import WorkbookError
from desktop.workbooks.national import BoardLine, NationalBook, write_national_workbook

FY = 2024
STAMP = datetime(2024, 10, 20, 3, 0, tzinfo=UTC)


def _kpi(key: str, **kw) -> Kpi:
    base = dict(
        key=key,
        node_key="n1",
        label="１）",
        name=f"KPI {key}",
        unit="％",
        decimals=1,
        direction=Direction.AT_LEAST,
        target_kind=TargetKind.FIXED,
        target=D("60.0"),
    )
    base.update(kw)
    return Kpi(**base)


KPIS = (
    _kpi("rate", numerator_label="受診者数", denominator_label="対象者数"),
    _kpi("cost", unit="円", decimals=0, direction=Direction.AT_MOST, target=D(5000)),
    _kpi("share", decimals=3, target=D("0.090")),
    _kpi("done", unit="", decimals=0, direction=Direction.QUALITATIVE, target=None),
)


def _results() -> list[BranchResult]:
    def branch(code, rate, num, den, cost, share, done, mark):
        return BranchResult(
            code,
            (
                BranchFigure("rate", D(rate), D(num), D(den), target=D("60.0")),
                BranchFigure("cost", D(cost), target=D(5000)),
                BranchFigure("share", D(share), target=D("0.090")),
                BranchFigure("done", done=done),
            ),
            {"n1": mark},
        )

    return [
        branch("01", "62.5", "625", "1000", "4800", "0.091", True, "○"),
        branch("13", "55.0", "5500", "10000", "5100", "0.089", False, "△"),
        branch("27", "62.5", "1250", "2000", "4800", "0.095", True, None),
    ]


@pytest.fixture
def book() -> NationalBook:
    figures = consolidate(
        KPIS, _results(), fiscal_year=FY, period=PeriodKind.MIDYEAR, section_keys=["n1"]
    )
    results = {r.branch: r for r in _results()}
    branches = [
        BoardLine(
            code, "受領（有効）", file_name=f"{code}.xlsx", signed_off_name="支部長", counted=True
        )
        if code in results
        else BoardLine(code, "未提出")
        for code in national.BRANCH_CODES
    ]
    files = [
        BoardLine("08", "無効", file_name='=HYPERLINK("x")', reason_ja="@SUM(A1) 書き換え"),
    ]
    return NationalBook(
        fiscal_year=FY,
        period=PeriodKind.MIDYEAR,
        figures=figures,
        kpis=KPIS,
        plan=None,
        results=results,
        branches=branches,
        files=files,
        created_at=STAMP,
        created_by="hq",
    )


def _row(ws, key: str):
    return next(r for r in ws.iter_rows(min_row=3) if r[0].value == key)


def test_sheets_print_setup_and_charts(book: NationalBook, tmp_path: Path):
    path = write_national_workbook(book, tmp_path / "national.xlsx")
    assert not list(tmp_path.glob("*.tmp"))  # written atomically, nothing left behind
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:7] == [
        national.SUMMARY_SHEET,
        national.FIGURES_SHEET,
        national.RANKS_SHEET,
        national.MATRIX_SHEET,
        national.MARKS_SHEET,
        national.BOARD_SHEET,
        national.CHARTS_SHEET,
    ]
    assert wb.sheetnames[7:] == ["01 北海道支部", "13 東京支部", "27 大阪支部", "グラフデータ"]
    assert wb["グラフデータ"].sheet_state == "hidden"
    for name in wb.sheetnames[:-1]:
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape", name
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4, name
        assert "&P" in ws.oddFooter.center.text, name
    assert wb[national.FIGURES_SHEET].print_title_rows == "$2:$2"
    assert wb[national.FIGURES_SHEET].page_setup.fitToWidth == 1
    matrix = wb[national.MATRIX_SHEET]
    assert matrix.print_title_rows == "$2:$3" and matrix.print_title_cols == "$A:$B"
    # One bar chart per KPI with figures (not the done / not-done one), in the file.
    with zipfile.ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        drawings = [
            n for n in archive.namelist() if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n)
        ]
    assert len(charts) == 3 and len(drawings) == 1  # all drawn on one sheet
    assert set(wb.named_styles) >= {"nd_head", "nd_number", "nd_national"}


def test_figures_are_numbers_with_the_kpis_decimals(book: NationalBook, tmp_path: Path):
    path = write_national_workbook(book, tmp_path / "national.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[national.FIGURES_SHEET]
    col = {name: i for i, name in enumerate(national.FIGURE_COLUMNS)}
    rate = _row(ws, "rate")
    # (625 + 5500 + 1250) × 100 / (1000 + 10000 + 2000) = 56.73… → 56.7
    assert rate[col["全国値（加重）"]].value == pytest.approx(56.7)
    assert rate[col["全国値（加重）"]].number_format == "#,##0.0"
    assert rate[col["単純平均"]].value == pytest.approx(60.0)
    assert rate[col["分子合計"]].value == 7375 and rate[col["分母合計"]].value == 13000
    assert rate[col["達成支部数"]].value == 2  # 62.5 ≥ 60 twice; 55.0 not
    assert rate[col["判定支部数"]].value == 3
    share = _row(ws, "share")
    assert share[col["単純平均"]].number_format == "#,##0.000"
    assert share[col["中央値"]].value == pytest.approx(0.091)
    cost = _row(ws, "cost")
    assert cost[col["最小"]].value == 4800 and cost[col["最小"]].number_format == "#,##0"
    assert cost[col["全国値（加重）"]].value is None  # no parts: no weighted rate

    ranks = wb[national.RANKS_SHEET]
    by_code = {r[0].value: [c.value for c in r[2:]] for r in ranks.iter_rows(min_row=3, max_row=49)}
    # rate: 62.5, 55.0, 62.5 → 1, 3, 1 (ties share); cost (lower is better): 4800, 5100, 4800.
    assert by_code["01"][:3] == [1, 1, 2]
    assert by_code["13"][:3] == [3, 3, 3]
    assert by_code["27"][:3] == [1, 1, 1]
    assert by_code["01"][3] is None  # done / not done is never ranked
    assert by_code["02"] == [None] * 4  # missing branch

    matrix = wb[national.MATRIX_SHEET]
    tokyo = next(r for r in matrix.iter_rows(min_row=4) if r[0].value == "13")
    assert tokyo[2].value == pytest.approx(55.0) and tokyo[2].number_format == "#,##0.0"
    assert tokyo[3].value == pytest.approx(60.0)
    assert tokyo[4].value == "未達成"
    assert tokyo[11].value == "未実施"  # the qualitative KPI's value column

    branch = wb["13 東京支部"]
    line = next(r for r in branch.iter_rows(min_row=4) if r[0].value == "rate")
    assert line[6].value == "3位/3"
    assert line[5].value == pytest.approx(56.7)  # the national average handed back


def test_marks_and_refused_files_with_formula_like_text_kept_as_text(
    book: NationalBook, tmp_path: Path
):
    path = write_national_workbook(book, tmp_path / "national.xlsx")
    wb = openpyxl.load_workbook(path)
    marks = wb[national.MARKS_SHEET]
    header = [c.value for c in marks[2]]
    row = {h: c.value for h, c in zip(header, marks[3], strict=True)}
    assert row["○"] == 1 and row["△"] == 1 and row["未記入"] == 1 and row["計"] == 3
    board = wb[national.BOARD_SHEET]
    texts = [c for r in board.iter_rows() for c in r if isinstance(c.value, str)]
    injected = [c for c in texts if c.value.startswith(("=", "@"))]
    assert len(injected) == 2
    assert all(c.data_type == "s" and c.quotePrefix for c in injected)
    statuses = [r[2].value for r in board.iter_rows(min_row=3, max_row=49)]
    assert statuses.count("受領（有効）") == 3 and statuses.count("未提出") == 44


def test_benchmark_pack_file_round_trip_and_refusals(book: NationalBook, tmp_path: Path):
    pack = pack_from_figures(
        book.figures, KPIS, app_version="test", created_by="hq", created_at=STAMP
    )
    written = write_benchmark_pack(pack, tmp_path / "pack.xlsx")
    back = read_benchmark_pack(tmp_path / "pack.xlsx")
    assert back == pack and back.digest == written.digest != ""
    tokyo = {b.kpi_key: b for b in back.benchmarks_for("13")}
    assert tokyo["rate"].national_average == D("56.7") and tokyo["rate"].national_rank == 3
    assert tokyo["cost"].national_average == D("4900") and tokyo["cost"].branch_count == 3
    assert tokyo["done"].national_rank is None
    assert {b.national_rank for b in back.benchmarks_for("02")} == {None}

    wb = openpyxl.load_workbook(tmp_path / "pack.xlsx")
    assert wb["_pack"].sheet_state == "veryHidden"
    wb["_pack_kpis"]["F2"].value = "99.9"  # a national average changed by hand
    wb.save(tmp_path / "edited.xlsx")
    with pytest.raises(WorkbookError, match="digest"):
        read_benchmark_pack(tmp_path / "edited.xlsx")

    wb = openpyxl.load_workbook(tmp_path / "pack.xlsx")
    wb["_pack"]["B2"].value = "plandesk.workbook"
    wb.save(tmp_path / "other.xlsx")
    with pytest.raises(WorkbookError, match="not a benchmark pack"):
        read_benchmark_pack(tmp_path / "other.xlsx")
    (tmp_path / "junk.xlsx").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(WorkbookError):
        read_benchmark_pack(tmp_path / "junk.xlsx")


def test_the_branch_sheets_print_each_branchs_reference_figures(book: NationalBook, tmp_path):
    """Issue 16 item 4: beside each KPI, the branch's own 前年度実績, 前々年度実績, last
    year's national figures and a changed definition's note (``kpi_rows``)."""
    note = "随意契約を分母から除外"
    rate = replace(
        KPIS[0],
        last_year_actual=D("58.1"),
        prior_year_actual=D("57.2"),
        last_year_national_average=D("56.0"),
        last_year_national_rank=12,
        definition_changed=True,
        definition_note=note,
    )
    tokyo = Plan(
        branch="13",
        fiscal_year=FY,
        title="",
        kpis=(rate, *KPIS[1:]),
        reports=(Report(PeriodKind.MIDYEAR, YearMonth(2024, 9)),),
    )
    path = write_national_workbook(replace(book, branch_plans={"13": tokyo}), tmp_path / "n.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["13 東京支部"]
    head = [c.value for c in ws[3]]
    row = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "rate")
    value = {name: row[i].value for i, name in enumerate(head)}
    assert value["前年度実績"] == pytest.approx(58.1)
    assert value["前々年度実績"] == pytest.approx(57.2)
    assert value["前年度の全国平均"] == pytest.approx(56.0)
    assert value["前年度の全国順位"] == "全国12位"
    assert value["算出方法の変更"] == f"※算出方法の変更：{note}"
    # A branch whose plan is not at hand: HQ's definitions, which hold no such figures.
    osaka = next(r for r in wb["27 大阪支部"].iter_rows(min_row=4) if r[0].value == "rate")
    assert osaka[head.index("前年度実績")].value is None
