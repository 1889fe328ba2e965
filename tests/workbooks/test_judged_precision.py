"""The optional "judged at the printed precision" rule in workbooks.

Format 2 carries it in the ``_kpis`` column ``judged_decimals`` (empty: judged
as entered); files of format 1, written before the column existed, still read.
The rule is printed wherever the verdict is printed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from desktop.domain.model import Measurement, PeriodKind
from desktop.services.plans import bundled_plan
from desktop.workbooks.hidden_tables import KPIS
from desktop.workbooks.machine import ROW_HASH, Kind, Manifest, WorkbookData
from desktop.workbooks.print_sheets import KPI_SHEET
from desktop.workbooks.reader import read_workbook
from desktop.workbooks.writer import write_workbook

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "workbooks"
SERVICE = "1.II.2.k1"  # サービススタンダードの達成状況: 100％, no decimals


def _data(judged: int | None, value: str = "98.4") -> WorkbookData:
    plan = bundled_plan("plans/tokyo_2024.json")
    kpis = tuple(replace(k, judged_decimals=judged) if k.key == SERVICE else k for k in plan.kpis)
    report = plan.reports[0]
    measurements = tuple(
        replace(m, value=Decimal(value)) if m.kpi_key == SERVICE else m for m in report.measurements
    )
    if not any(m.kpi_key == SERVICE for m in measurements):
        measurements += (Measurement(SERVICE, Decimal(value)),)
    plan = replace(plan, kpis=kpis, reports=(replace(report, measurements=measurements),))
    manifest = Manifest(
        kind=Kind.WORK, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR,
        app_version="test", created_by="tester", created_at=datetime(2024, 10, 1, tzinfo=UTC),
    )  # fmt: skip
    return WorkbookData(manifest=manifest, plan=plan)


def _header(path: Path) -> list[str]:
    ws = openpyxl.load_workbook(path)[KPIS.sheet]
    return [c.value for c in ws[1] if c.value is not None]


def test_a_file_written_before_the_rule_still_reads():
    """tests/fixtures/workbooks/tokyo_2024_work_format1.xlsx was written by the
    version before this column existed (commit 23fd3ca)."""
    data = read_workbook(FIXTURE / "tokyo_2024_work_format1.xlsx")
    assert all(k.judged_decimals is None for k in data.plan.kpis)
    assert data.plan == bundled_plan("plans/tokyo_2024.json")


@pytest.mark.parametrize("judged", [None, 0, 1])
def test_the_rule_travels_in_its_column_and_reads_back(tmp_path: Path, judged: int | None):
    path = tmp_path / "rule.xlsx"
    written = write_workbook(_data(judged), path)
    assert _header(path) == [*KPIS.names, ROW_HASH]
    assert "judged_decimals" in KPIS.names
    back = read_workbook(path)
    assert back == written
    assert next(k for k in back.plan.kpis if k.key == SERVICE).judged_decimals == judged


def _kpi_row(path: Path) -> list[str]:
    ws = openpyxl.load_workbook(path)[KPI_SHEET]
    for row in ws.iter_rows(values_only=True):
        if any(isinstance(v, str) and "サービススタンダード" in v for v in row):
            return [v for v in row if isinstance(v, str)]
    raise AssertionError("no サービススタンダード row")


def test_the_printed_kpi_table_shows_the_figure_as_entered(tmp_path: Path):
    path = tmp_path / "plain.xlsx"
    write_workbook(_data(None), path)
    row = _kpi_row(path)
    assert "98.4％" in row and "98％" not in row
    assert any("-1.6ポイント" in v for v in row)


def test_the_printed_kpi_table_says_when_the_rule_applies(tmp_path: Path):
    path = tmp_path / "rule.xlsx"
    write_workbook(_data(0), path)
    row = _kpi_row(path)
    assert "98.4％" in row
    assert any("-2ポイント（小数点以下を四捨五入して判定）" in v for v in row)
