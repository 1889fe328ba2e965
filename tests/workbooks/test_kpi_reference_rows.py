"""Issue 16 item 4: beside every KPI, in every kind of workbook and in the PDF,
the figures people compare it with — 前年度実績 (also under a fixed target, which
does not name it), 前々年度実績, the national average and rank of this year and of
last year, and the definition-change note — and the reason for a mark printed
on a row of its own, never inside 実施状況 (print layout 3). HQ's national
workbook: tests/workbooks/test_national_workbook.py.

The fixed-target KPI of Tokyo's demo (一般競争入札に占める一者応札案件の割合,
15％以下) is given every reference figure; its section's first item a reason."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from desktop.domain.model import Benchmark, PeriodKind, Plan, YearMonth
from desktop.services import exchange
from desktop.services.plans import bundled_plan
from desktop.workbooks.machine import PRINT_LAYOUT, Kind, Manifest, WorkbookData
from desktop.workbooks.pdf_render import write_pdf
from desktop.workbooks.print_sheets import (
    KPI_SHEET,
    PLAN_SHEET,
    REASON_LABELS,
    REPORT_SHEETS,
    build_pages,
)
from desktop.workbooks.reader import read_workbook
from desktop.workbooks.writer import write_workbook
from tests.helpers.poppler import needs_poppler

STAMP = datetime(2024, 10, 2, 7, 30, tzinfo=UTC)
FIXED = "一般競争入札に占める一者応札案件の割合"
KEY = "3.7.k1"  # its KPI key; its section 3.7, whose first item is 3.7.1
ITEM = "3.7.1"
REASON = "一者応札の減少に向けた声掛けを徹底し、目標を大きく上回ったため。"
NOTE = "随意契約を分母から除外"


def _plan(period: PeriodKind = PeriodKind.MIDYEAR) -> Plan:
    plan = bundled_plan("plans/tokyo_2024.json")
    kpis = tuple(
        replace(
            k,
            last_year_actual=Decimal("3.5"),
            prior_year_actual=Decimal("4.25"),
            last_year_national_average=Decimal("12.3"),
            last_year_national_rank=20,
            definition_changed=True,
            definition_note=NOTE,
        )
        if k.key == KEY
        else k
        for k in plan.kpis
    )
    report = plan.reports[0]
    annual = period is PeriodKind.ANNUAL
    entries = tuple(
        replace(
            e,
            mark=("A" if annual else "◎") if e.node_key == ITEM else ("B" if annual else e.mark),
            mark_reason=REASON if e.node_key == ITEM else e.mark_reason,
        )
        for e in report.entries
    )
    measurements = tuple(
        replace(m, old_method_value=Decimal("1.5")) if m.kpi_key == KEY else m
        for m in report.measurements
    )
    report = replace(
        report,
        period=period,
        as_of=YearMonth(2025, 3) if annual else report.as_of,
        entries=entries,
        measurements=measurements,
        benchmarks=(Benchmark(KEY, Decimal("10.5"), 7, 47),),
    )
    return replace(plan, kpis=kpis, reports=(report,))


def _data(kind: Kind, period: PeriodKind = PeriodKind.MIDYEAR) -> WorkbookData:
    plan = _plan(period)
    if kind is Kind.TEMPLATE:
        plan = replace(plan, reports=())
    signed = kind is Kind.SUBMISSION
    manifest = Manifest(
        kind=kind,
        branch=plan.branch,
        fiscal_year=plan.fiscal_year,
        period=plan.reports[0].period if plan.reports else None,
        app_version="0.1.0",
        created_by="planner13",
        created_at=STAMP,
        sections=("3.7",) if kind is Kind.WORK else (),
        signed_off_by="yamada" if signed else None,
        signed_off_at=STAMP if signed else None,
        signed_off_name="支部長 山田 太郎" if signed else None,
    )
    return WorkbookData(manifest=manifest, plan=plan)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[Kind, tuple[Path, WorkbookData]]:
    folder = tmp_path_factory.mktemp("references")
    out = {}
    for kind in Kind:
        path = folder / f"{kind.value}.xlsx"
        out[kind] = (path, write_workbook(_data(kind), path))
    return out


def _texts(ws) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def _find(ws, predicate):
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and predicate(cell.value):
                return cell
    raise AssertionError("no such cell")


def _column(ws, title: str) -> int:
    return _find(ws, lambda v: v == title).column


# --- every kind of workbook ---------------------------------------------------------------


@pytest.mark.parametrize("kind", list(Kind), ids=lambda k: k.value)
def test_the_kpi_table_of_every_kind_prints_the_reference_figures(written, kind: Kind):
    path, _data_written = written[kind]
    ws = openpyxl.load_workbook(path)[KPI_SHEET]
    name = _find(ws, lambda v: FIXED in v)
    row = name.row
    assert f"※算出方法の変更：{NOTE}" in name.value
    assert ws.cell(row, _column(ws, "目標")).value == "15％以下"  # the target names no 前年度
    assert ws.cell(row, _column(ws, "前年度実績")).value == "3.5％\n前々年度実績 4.25％"
    this_year = kind is not Kind.TEMPLATE
    average = ws.cell(row, _column(ws, "全国平均")).value
    rank = ws.cell(row, _column(ws, "全国順位")).value
    assert average == ("10.5％" if this_year else "—") + "\n前年度 12.3％"
    assert rank == ("全国7位" if this_year else "—") + "\n前年度 全国20位"
    if this_year:  # the figure by the old method beside the actual
        assert "旧算出方法 1.5％" in ws.cell(row, _column(ws, "実績")).value


@pytest.mark.parametrize("kind", list(Kind), ids=lambda k: k.value)
def test_the_report_table_of_every_kind_prints_the_reference_figures(written, kind: Kind):
    path, _data_written = written[kind]
    wb = openpyxl.load_workbook(path)
    ws = wb[PLAN_SHEET if kind is Kind.TEMPLATE else REPORT_SHEETS[PeriodKind.MIDYEAR]]
    blocks = [v for v in _texts(ws) if v.startswith("■ KPI：") and "前年度実績 3.5％" in v]
    assert len(blocks) == 1, blocks
    (block,) = blocks
    for words in (
        "前々年度実績 4.25％",
        "前年度の全国平均 12.3％",
        "前年度 全国20位",
    ):
        assert words in block
    plan_side = _find(ws, lambda v: v.startswith("■ KPI：") and FIXED in v).value
    assert f"※算出方法の変更：{NOTE}" in plan_side
    if kind is not Kind.TEMPLATE:
        assert "全国平均 10.5％　全国7位" in block


def test_a_fixed_target_keeps_last_years_actual_on_paper_in_the_submission(written):
    """The issue's case: the submission printed 前年度実績 only in templates."""
    path, _ = written[Kind.SUBMISSION]
    ws = openpyxl.load_workbook(path)[KPI_SHEET]
    assert "前年度実績" in _texts(ws)


# --- the reason for a mark ----------------------------------------------------------------


@pytest.mark.parametrize("period", list(PeriodKind), ids=lambda p: p.value)
def test_the_reason_for_a_mark_prints_on_a_row_of_its_own(tmp_path: Path, period: PeriodKind):
    path = tmp_path / "submission.xlsx"
    write_workbook(_data(Kind.SUBMISSION, period), path)
    ws = openpyxl.load_workbook(path)[REPORT_SHEETS[period]]
    status = _column(ws, "実施状況")
    label = REASON_LABELS[period]
    reason = _find(ws, lambda v: v == label)
    assert reason.column == 1
    assert ws.cell(reason.row, 2).value == REASON
    # Its text spans the columns after the label: a cell of its own.
    assert f"B{reason.row}:{openpyxl.utils.get_column_letter(ws.max_column)}{reason.row}" in {
        str(r) for r in ws.merged_cells.ranges
    }
    # Under its item's row (whose mark it explains), nowhere else.
    above = ws.cell(reason.row - 1, 1).value or ""
    assert above.startswith("①"), above
    assert ws.cell(reason.row - 1, 3).value == ("A" if period is PeriodKind.ANNUAL else "◎")
    holding = [v for v in _texts(ws) if REASON in v]
    assert holding == [REASON]
    assert REASON not in (ws.cell(reason.row - 1, status).value or "")
    assert "【評価の理由】" not in "".join(_texts(ws))
    assert exchange.verify_file(path).ok


def test_a_file_of_layout_2_still_prints_the_reason_as_it_did(tmp_path: Path):
    """Laid out again as its layout printed it (inside 実施状況), so it still verifies."""
    data = _data(Kind.SUBMISSION)
    data = replace(data, manifest=replace(data.manifest, print_layout=2))
    pages = build_pages(data)
    report = next(p for p in pages if p.name == REPORT_SHEETS[PeriodKind.MIDYEAR])
    texts = [t for row in report.texts().values() for t in row.values()]
    assert any(t.endswith(f"【評価の理由】{REASON}") for t in texts)
    assert not any(t == REASON_LABELS[PeriodKind.MIDYEAR] for t in texts)
    path = tmp_path / "layout2.xlsx"
    write_workbook(data, path)
    assert exchange.verify_file(path).ok
    assert PRINT_LAYOUT == 3


# --- the round trip -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(Kind), ids=lambda k: k.value)
def test_every_field_comes_back_from_every_kind(written, kind: Kind):
    path, data = written[kind]
    back = read_workbook(path)
    assert back == data
    kpi = next(k for k in back.plan.kpis if k.key == KEY)
    assert (kpi.last_year_actual, kpi.prior_year_actual) == (Decimal("3.5"), Decimal("4.25"))
    assert (kpi.last_year_national_average, kpi.last_year_national_rank) == (Decimal("12.3"), 20)
    assert kpi.definition_changed and kpi.definition_note == NOTE
    if kind is Kind.TEMPLATE:
        return
    report = back.report
    assert next(e for e in report.entries if e.node_key == ITEM).mark_reason == REASON
    assert next(m for m in report.measurements if m.kpi_key == KEY).old_method_value == Decimal(
        "1.5"
    )
    assert report.benchmarks == (Benchmark(KEY, Decimal("10.5"), 7, 47),)


# --- the PDF ------------------------------------------------------------------------------


@needs_poppler
def test_the_pdf_prints_the_reference_figures_and_the_reason(tmp_path: Path):
    path = write_pdf(_data(Kind.SUBMISSION, PeriodKind.ANNUAL), tmp_path / "report.pdf")
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, timeout=60)
    flat = re.sub(r"\s+", "", out.stdout.decode("utf-8"))
    for words in (
        "前年度実績3.5％",
        "前々年度実績4.25％",
        "全国平均10.5％",
        "全国7位",
        "前年度の全国平均12.3％",
        "前年度全国20位",
        f"※算出方法の変更：{NOTE}",
        "自己評価の理由",
        re.sub(r"\s+", "", REASON),
    ):
        assert words in flat, words
