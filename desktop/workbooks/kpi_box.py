"""The KPI box of the plan | results layout (print profile ``plan_results2``).

The report table has two columns for people, 計画 | 実績・取組結果, and under each
section a small table of its KPIs: KPI（目標）| 実績 | 前年度 | 前々年度. On a sheet
that is one grid: the results column is cut into the box's three figure columns,
and the rows of text merge them again (``spans``). The PDF prints the same merges
(``pdf_render``), so the box looks the same on paper from Excel and from the PDF.
``print_sheets`` lays the rows out; this module says what the box holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from desktop.domain.achievement import format_value
from desktop.domain.kpi_lines import STATUS_SYMBOLS, KpiLine
from desktop.domain.model import PeriodKind
from desktop.domain.print_profiles import PrintProfile

# The figure columns of the box, as shares of the results column's width.
BOX_COLUMNS = (("実績", 0.36), ("前年度", 0.32), ("前々年度", 0.32))
BOX_HEAD = "KPI（目標）"


class Lines(Protocol):
    """The part of print_sheets' table builder the box writes through."""

    columns: Sequence[object]

    def line(
        self, values: Sequence[str | None], styles: Sequence[str | None] | None = ..., *,
        about: str,
    ) -> int: ...  # fmt: skip


def grid_columns(profile: PrintProfile, period: PeriodKind) -> list[tuple[str, float, str]]:
    """The sheet's columns (title, width, style): the profile's first columns, then its
    last (the results) cut into the box's figure columns."""
    *first, last = profile.columns
    columns = [(c.title_for(period), c.width, c.style) for c in first]
    columns += [
        (last.title_for(period), last.width * share, "pd_text") for _t, share in BOX_COLUMNS
    ]
    return columns


def spans(columns: int) -> list[int]:
    """How many grid columns each of the profile's columns covers: the last, the box's."""
    return [1] * (columns - len(BOX_COLUMNS)) + [len(BOX_COLUMNS)]


def box(sheet: Lines, lines: Sequence[KpiLine], *, about: str) -> None:
    """The section's KPI box: a header row, then per KPI its name and target beside
    the plan, its actual (as of, judgement), last year's and the year before's."""
    about = f"{about}のKPI"
    lead = len(sheet.columns) - len(BOX_COLUMNS)
    pad = ["" for _ in range(lead - 1)]
    heads = [BOX_HEAD, *pad, *(t for t, _s in BOX_COLUMNS)]
    sheet.line(heads, ["pd_head"] * len(heads), about=about)
    for kpi_line in lines:
        kpi = kpi_line.kpi
        status = kpi_line.assessment.status
        manual = "（手動判定）" if kpi_line.assessment.manual else ""
        values = [
            f"{kpi.label}{kpi.name}\n目標：{kpi_line.target_text()}",
            *pad,
            f"{kpi_line.actual_text()}（{kpi_line.as_of_text()}）\n"
            f"{STATUS_SYMBOLS[status]} {status.label_ja}{manual}",
            _figure(kpi_line, kpi.last_year_actual),
            _figure(kpi_line, kpi.prior_year_actual),
        ]
        styles = ["pd_kpi_text", *("pd_kpi_text" for _ in pad), "pd_kpi_text"]
        styles += ["pd_number", "pd_number"]
        sheet.line(values, styles, about=f"{about}：{kpi.label}{kpi.name}")


def _figure(kpi_line: KpiLine, value: Decimal | None) -> str:
    return "—" if value is None else format_value(kpi_line.kpi, value)
