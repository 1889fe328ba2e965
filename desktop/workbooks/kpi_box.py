"""The KPI box of the plan | results layout (print profile ``plan_results2``).

The report table has two columns for people, 計画 | 実績・取組結果, and under each
section a small table of its KPIs: KPI（目標）| 実績 | 前年度 | 前々年度. On a sheet
that is one grid: the results column is cut into the box's three figure columns,
and the rows of text merge them again. The PDF prints the same merges
(``pdf_render``), so the box looks the same on paper from Excel and from the PDF.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.domain.achievement import format_value
from desktop.domain.kpi_lines import STATUS_SYMBOLS, KpiLine
from desktop.domain.model import PeriodKind
from desktop.domain.print_profiles import PrintProfile
from desktop.workbooks.cell_text import printable
from desktop.workbooks.print_sheets import (
    HEADER_SUBJECT,
    STYLE_SIZES,
    Column,
    _Sheet,
    line_count,
    row_height,
    split_for_rows,
)

# The figure columns of the box, as shares of the results column's width.
BOX_COLUMNS = (("実績", 0.36), ("前年度", 0.32), ("前々年度", 0.32))
_BOX_HEAD = "KPI（目標）"


def grid_columns(profile: PrintProfile, period: PeriodKind) -> list[Column]:
    """The sheet's columns: the profile's first columns, then its last (the results)
    cut into the box's figure columns."""
    *first, last = profile.columns
    columns = [Column(c.title_for(period), c.width, c.style) for c in first]
    columns += [Column(last.title_for(period), last.width * share) for _t, share in BOX_COLUMNS]
    return columns


def _spans(sheet: _Sheet) -> list[int]:
    """How many grid columns each of the profile's columns covers."""
    return [1] * (len(sheet.columns) - len(BOX_COLUMNS)) + [len(BOX_COLUMNS)]


def header(sheet: _Sheet, profile: PrintProfile, period: PeriodKind) -> int:
    """The repeated header row: the profile's titles, the last over the box's columns."""
    titles = [c.title_for(period) for c in profile.columns]
    row = line(sheet, titles, about=HEADER_SUBJECT, style="pd_head")
    sheet.page.heights[row] = 22
    sheet.page.title_row = row
    return row


def line(
    sheet: _Sheet, values: Sequence[str | None], *, about: str, style: str | None = None
) -> int:
    """A row of the profile's columns, the last merged over the box's columns; a text
    taller than a row can be goes on in the rows below. Returns the first row."""
    spans = _spans(sheet)
    first = sheet.row + 1
    starts, widths, styles = [], [], []
    column = 1
    for span in spans:
        starts.append(column)
        widths.append(sum(c.width for c in sheet.columns[column - 1 : column - 1 + span]))
        styles.append(style or sheet.columns[column - 1].style)
        column += span
    sizes = [STYLE_SIZES[s] for s in styles]
    pieces = [
        split_for_rows(printable(v), w, size) if v else [v]
        for v, w, size in zip(values, widths, sizes, strict=True)
    ]
    for k in range(max(len(p) for p in pieces)):
        sheet.row += 1
        height = row_height(1)
        for start, span, parts, width, name, size in zip(
            starts, spans, pieces, widths, styles, sizes, strict=True
        ):
            value = parts[k] if k < len(parts) else None
            for c in range(start, start + span):
                sheet.text(sheet.row, c, value if c == start else None, name)
            if span > 1:
                sheet.page.merges.append((sheet.row, start, sheet.row, start + span - 1))
            if value:
                height = max(height, row_height(line_count(value, width, size), size))
        sheet.page.heights[sheet.row] = height
        sheet.page.subjects[sheet.row] = about
    return first


def box(sheet: _Sheet, lines: Sequence[KpiLine], *, about: str) -> None:
    """The section's KPI box: a header row, then per KPI its name and target beside
    the plan, its actual (as of, judgement), last year's and the year before's."""
    about = f"{about}のKPI"
    lead = len(sheet.columns) - len(BOX_COLUMNS)
    heads = [_BOX_HEAD, *("" for _ in range(lead - 1)), *(t for t, _s in BOX_COLUMNS)]
    sheet.line(heads, ["pd_head"] * len(heads), about=about)
    for kpi_line in lines:
        kpi = kpi_line.kpi
        status = kpi_line.assessment.status
        manual = "（手動判定）" if kpi_line.assessment.manual else ""
        actual = (
            f"{kpi_line.actual_text()}（{kpi_line.as_of_text()}）\n"
            f"{STATUS_SYMBOLS[status]} {status.label_ja}{manual}"
        )
        values = [
            f"{kpi.label}{kpi.name}\n目標：{kpi_line.target_text()}",
            *("" for _ in range(lead - 1)),
            actual,
            _figure(kpi_line, kpi.last_year_actual),
            _figure(kpi_line, kpi.prior_year_actual),
        ]
        styles = ["pd_kpi_text", *("pd_kpi_text" for _ in range(lead - 1))]
        styles += ["pd_kpi_text", "pd_number", "pd_number"]
        sheet.line(values, styles, about=f"{about}：{kpi.label}{kpi.name}")


def _figure(kpi_line: KpiLine, value: object) -> str:
    if value is None:
        return "—"
    return format_value(kpi_line.kpi, value)  # type: ignore[arg-type]
