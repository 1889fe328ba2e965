"""The national workbook: HQ's consolidation of one fiscal year and period, for people.

Sheets, in order:

- 概要 — what was consolidated, how many branches were counted, how the
  figures are computed;
- 全国値 — per KPI: the national rate weighted from the branches' numerators
  and denominators, the simple mean, quartiles, minimum, maximum, how many
  branches reported and met their target;
- 全国順位 — each branch's rank per KPI (ties share a rank);
- 支部別一覧 — the KPI × branch matrix: value, target, achievement;
- 評価集計 — per section, how many branches gave each mark or self-rating;
- 提出状況 — all 47 branches, and every file that was not counted, with why;
- グラフ — one native Excel bar chart per KPI across the 47 branches, with the
  national average as a line (data on the hidden sheet グラフデータ);
- one sheet per counted branch: its KPIs with value, target, rank and the
  national average.

Unlike the exchange workbooks this file is not re-imported: figures are
written as numbers, formatted with the KPI's decimals. They are written as
the Decimal values themselves (openpyxl accepts Decimal and writes its exact
digits), so no float ever rounds a figure. Every text goes through
``cell_writer.put_text`` (text starting with = + - @ stays text). Every sheet
prints on A4 landscape, fitted to the width, header rows repeated, page
numbers in the footer; styles are NamedStyles.

No services and no database here: the caller passes plain data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RichTextProperties,
)
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from desktop.domain.achievement import Status
from desktop.domain.branches import BRANCHES, HQ_CODE
from desktop.domain.calendar import fiscal_year_label
from desktop.domain.model import Direction, Kpi, PeriodKind, Plan, TargetKind
from desktop.domain.national import BranchFigure, BranchResult, KpiNational, NationalFigures
from desktop.domain.parsing import format_decimal
from desktop.files import write_atomically
from desktop.workbooks.hq_sheets import (
    STYLES,
    number_cell,
    number_format,
    print_setup,
    set_widths,
    text_cell,
)
from desktop.workbooks.kpi_rows import Figure, kpi_row
from desktop.workbooks.national_seal import NationalSeal, seal_workbook
from desktop.workbooks.print_sheets import line_count, row_height
from desktop.workbooks.saving import save_workbook
from desktop.workbooks.styles import register_styles

SUMMARY_SHEET = "概要"
FIGURES_SHEET = "全国値"
RANKS_SHEET = "全国順位"
MATRIX_SHEET = "支部別一覧"
MARKS_SHEET = "評価集計"
BOARD_SHEET = "提出状況"
CHARTS_SHEET = "グラフ"
CHART_DATA_SHEET = "グラフデータ"
JST = timezone(timedelta(hours=9), "JST")
BRANCH_CODES = tuple(code for code in BRANCHES if code != HQ_CODE)

# Columns of 全国値, in order (the tests and the lead's HQ board read them by name).
FIGURE_COLUMNS = (
    "項目",
    "KPI設定項目",
    "単位",
    "目標の向き",
    "全国値（加重）",
    "単純平均",
    "第1四分位",
    "中央値",
    "第3四分位",
    "最小",
    "最大",
    "報告支部数",
    "達成支部数",
    "判定支部数",
    "分子合計",
    "分母合計",
    "前年度の全国平均",
    "算出方法の変更",
)


@dataclass(frozen=True, slots=True)
class BoardLine:
    """One line of 提出状況: a branch's status, or a file that was not counted."""

    branch: str | None  # "01".."47"; None when a file names no branch
    status_ja: str
    status_en: str = ""
    file_name: str = ""
    reason_ja: str = ""
    reason_en: str = ""
    signed_off_name: str = ""
    counted: bool = False


@dataclass(frozen=True, slots=True)
class NationalBook:
    """Everything the national workbook shows."""

    fiscal_year: int
    period: PeriodKind
    figures: NationalFigures
    kpis: Sequence[Kpi]  # HQ's definitions, in order
    plan: Plan | None  # the reference plan: section titles for 評価集計
    results: Mapping[str, BranchResult]  # the counted branches, by code
    branches: Sequence[BoardLine]  # one per branch 01–47
    files: Sequence[BoardLine]  # files not counted (invalid, unsigned, superseded, skipped)
    created_at: datetime
    created_by: str = ""
    # Each counted branch's own plan and report, by code: its KPIs' reference figures
    # (前年度実績, 前々年度実績, last year's national figures, a changed definition).
    branch_plans: Mapping[str, Plan] = field(default_factory=dict)


# --- helpers ---------------------------------------------------------------------------


def _fit(*cells: tuple[str, float]) -> float:
    """Row height for wrapped texts: openpyxl-written rows are not auto-fitted by
    Excel or LibreOffice, so the tallest (text, column width) decides."""
    return row_height(max(line_count(text, width) for text, width in cells))


def _column_width(ws: Worksheet, column: int) -> float:
    return ws.column_dimensions[get_column_letter(column)].width or 10


def _period_text(book: NationalBook) -> str:
    return f"{fiscal_year_label(book.fiscal_year)} {book.period.label_ja}"


def _title(book: NationalBook) -> str:
    return f"{_period_text(book)} 全国集計"


def _kpi_title(kpi: Kpi) -> str:
    return f"{kpi.label}{kpi.name}" if kpi.label else kpi.name


def _kpi_head(kpi: Kpi) -> str:
    return f"{_kpi_title(kpi)}（{kpi.unit}）" if kpi.unit else _kpi_title(kpi)


def _direction_text(kpi: Kpi) -> str:
    return {
        Direction.AT_LEAST: "高いほど良い（以上）",
        Direction.AT_MOST: "低いほど良い（以下）",
        Direction.EXACTLY: "目標との差が小さいほど良い",
        Direction.QUALITATIVE: "実施／未実施（順位なし）",
    }[kpi.direction]


def _branch_name(code: str) -> str:
    return BRANCHES[code].name_ja


def _status_text(n: KpiNational, code: str) -> str:
    """A branch's verdict as its own report shows it: a verdict by hand says so, a
    reference indicator is 参考指標 (never judged)."""
    status = n.status.get(code, Status.NO_DATA)
    if code in n.manual:
        return f"{status.label_ja}（手動判定）"
    return status.label_ja


def _target_cell(
    ws: Worksheet, row: int, column: int, kpi: Kpi, figure: BranchFigure | None
) -> None:
    """The branch's target this year: its number, or a goal in words as written."""
    own = figure.kpi if figure is not None else None
    if own is not None and own.target_kind is TargetKind.MANUAL:
        text_cell(ws, row, column, own.target_text, "nd_text")
        return
    number_cell(ws, row, column, figure.target if figure else None, fmt=number_format(kpi))


def _status_style(status: Status) -> str:
    if status is Status.MET or status is Status.ON_PACE:
        return "nd_met"
    if status in (Status.NOT_MET, Status.BEHIND_PACE):
        return "nd_not_met"
    return "nd_centre"


def _figure_value(kpi: Kpi, figure: BranchFigure | None) -> str | Decimal | None:
    if figure is None:
        return None
    if kpi.direction is Direction.QUALITATIVE:
        return None if figure.done is None else ("実施" if figure.done else "未実施")
    return figure.value


def _put_value(ws: Worksheet, row: int, column: int, kpi: Kpi, value: object) -> None:
    if isinstance(value, str):
        text_cell(ws, row, column, value, "nd_centre")
    else:
        number_cell(ws, row, column, value, fmt=number_format(kpi))  # type: ignore[arg-type]


# --- sheets ----------------------------------------------------------------------------


def _summary(wb: Workbook, book: NationalBook) -> None:
    ws = wb.create_sheet(SUMMARY_SHEET)
    set_widths(ws, (26, 70))
    text_cell(ws, 1, 1, _title(book), "nd_title")
    ws.row_dimensions[1].height = 28
    counted = sum(1 for b in book.branches if b.counted)
    lines = [
        ("年度", fiscal_year_label(book.fiscal_year)),
        ("報告期間", book.period.label_ja),
        ("集計した支部", f"{counted} / {len(BRANCH_CODES)} 支部"),
        ("集計しなかったファイル", f"{len(book.files)} 件（「{BOARD_SHEET}」シート）"),
        ("KPI", f"{len(book.kpis)} 項目"),
        ("作成日時", book.created_at.astimezone(JST).strftime("%Y-%m-%d %H:%M JST")),
        ("作成者", book.created_by),
    ]
    row = 2
    for label, value in lines:
        row += 1
        text_cell(ws, row, 1, label, "nd_head")
        text_cell(ws, row, 2, value, "nd_text")
    notes = (
        "全国値（加重）: 全支部の分子の合計 ÷ 分母の合計（率のKPIは ×100）。集計したすべての支部が"
        "分子と分母を報告した KPI だけに表示します。",
        "単純平均: 支部の値の平均。四分位は両端を含む線形補間（Excel の QUARTILE.INC と同じ）。",
        "全国平均として支部に返す値: 全国値（加重）があればそれ、なければ単純平均。",
        "全国順位: 目標の向きに従い（以上: 高い順、以下: 低い順、100％など: 目標との差の小さい順）、"
        "表示桁に丸めた値で比較し、同じ値は同じ順位です（1, 2, 2, 4 …）。値のない支部は順位なし。",
        "達成: 各支部が自ら設定した目標に対する判定。上期の累積KPIは年度目標に達していなければ"
        "未達成と数え、ペースどおりの支部は「順調」と表示します。",
        "無効・未決裁・旧版のファイルは一切集計していません。",
    )
    row += 2
    for note in notes:
        row += 1
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        text_cell(ws, row, 1, "※ " + note, "nd_note")
        ws.row_dimensions[row].height = 28
    print_setup(ws, _title(book))


def _figures(wb: Workbook, book: NationalBook) -> None:
    ws = wb.create_sheet(FIGURES_SHEET)
    set_widths(ws, (12, 40, 7, 22, 14, 11, 11, 11, 11, 11, 11, 8, 8, 8, 13, 13, 13, 30))
    text_cell(ws, 1, 1, f"{_title(book)} — KPIごとの全国値", "nd_subtitle")
    for column, name in enumerate(FIGURE_COLUMNS, start=1):
        text_cell(ws, 2, column, name, "nd_head")
    ws.row_dimensions[2].height = 30
    for row, kpi in enumerate(book.kpis, start=3):
        n = book.figures.kpis[kpi.key]
        fmt = number_format(kpi)
        text_cell(ws, row, 1, kpi.key, "nd_text")
        text_cell(ws, row, 2, _kpi_title(kpi), "nd_text")
        text_cell(ws, row, 3, kpi.unit, "nd_centre")
        text_cell(ws, row, 4, _direction_text(kpi), "nd_text")
        number_cell(ws, row, 5, n.weighted, "nd_national", fmt)
        for column, value in enumerate((n.mean, n.q1, n.median, n.q3, n.minimum, n.maximum), 6):
            number_cell(ws, row, column, value, fmt=fmt)
        number_cell(ws, row, 12, n.count)
        number_cell(ws, row, 13, n.met_count)
        number_cell(ws, row, 14, n.judged_count)
        number_cell(ws, row, 15, n.numerator_total)
        number_cell(ws, row, 16, n.denominator_total)
        refs = kpi_row(kpi)  # HQ's definition: last year's national average, a changed method
        number_cell(ws, row, 17, _number(refs.last_year_national_average), fmt=fmt)
        text_cell(ws, row, 18, refs.definition(), "nd_text")
        ws.row_dimensions[row].height = _fit(
            (_kpi_title(kpi), 40), (_direction_text(kpi), 22), (refs.definition(), 30)
        )
    print_setup(ws, _title(book), title_rows="2:2", freeze="C3")


def _ranks(wb: Workbook, book: NationalBook) -> None:
    ws = wb.create_sheet(RANKS_SHEET)
    set_widths(ws, (5, 12, *([10] * len(book.kpis))))
    text_cell(ws, 1, 1, f"{_title(book)} — 全国順位（同値は同順位）", "nd_subtitle")
    text_cell(ws, 2, 1, "コード", "nd_head")
    text_cell(ws, 2, 2, "支部", "nd_head")
    for column, kpi in enumerate(book.kpis, start=3):
        text_cell(ws, 2, column, _kpi_title(kpi), "nd_head")
    ws.row_dimensions[2].height = 80
    for row, code in enumerate(BRANCH_CODES, start=3):
        counted = code in book.results
        text_cell(ws, row, 1, code, "nd_centre")
        text_cell(ws, row, 2, _branch_name(code), "nd_text" if counted else "nd_missing")
        for column, kpi in enumerate(book.kpis, start=3):
            rank = book.figures.kpis[kpi.key].ranks.get(code) if counted else None
            number_cell(ws, row, column, rank, fmt="0")
    row = 3 + len(BRANCH_CODES)
    text_cell(ws, row, 2, "順位のある支部数", "nd_head")
    for column, kpi in enumerate(book.kpis, start=3):
        number_cell(ws, row, column, book.figures.kpis[kpi.key].ranked_count, "nd_national")
    print_setup(ws, _title(book), title_rows="2:2", title_cols="A:B", freeze="C3")


_KPIS_PER_PAGE = 5
_MATRIX_SCALE = 85  # 5 KPIs × 3 columns and the branch columns fill an A4 landscape page


def _matrix(wb: Workbook, book: NationalBook) -> None:
    ws = wb.create_sheet(MATRIX_SHEET)
    set_widths(ws, (5, 12, *([10, 10, 8] * len(book.kpis))))
    text_cell(ws, 1, 1, f"{_title(book)} — 支部別の実績・目標・達成", "nd_subtitle")
    text_cell(ws, 2, 1, "コード", "nd_head")
    text_cell(ws, 2, 2, "支部", "nd_head")
    text_cell(ws, 3, 1, None, "nd_head")
    text_cell(ws, 3, 2, None, "nd_head")
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    for i, kpi in enumerate(book.kpis):
        first = 3 + i * 3
        for offset, name in enumerate(("実績", "目標", "達成")):
            text_cell(ws, 2, first + offset, _kpi_head(kpi) if offset == 0 else None, "nd_group")
            text_cell(ws, 3, first + offset, name, "nd_head")
        ws.merge_cells(start_row=2, start_column=first, end_row=2, end_column=first + 2)
    ws.row_dimensions[2].height = 54
    for row, code in enumerate(BRANCH_CODES, start=4):
        result = book.results.get(code)
        text_cell(ws, row, 1, code, "nd_centre")
        text_cell(ws, row, 2, _branch_name(code), "nd_text" if result else "nd_missing")
        for i, kpi in enumerate(book.kpis):
            first = 3 + i * 3
            if result is None:
                for offset in range(3):
                    text_cell(ws, row, first + offset, None, "nd_missing")
                continue
            figure = result.figure(kpi.key)
            _put_value(ws, row, first, kpi, _figure_value(kpi, figure))
            _target_cell(ws, row, first + 1, kpi, figure)
            n = book.figures.kpis[kpi.key]
            status = n.status.get(code, Status.NO_DATA)
            text_cell(ws, row, first + 2, _status_text(n, code), _status_style(status))
    row = 4 + len(BRANCH_CODES)
    text_cell(ws, row, 2, "全国平均", "nd_head")
    for i, kpi in enumerate(book.kpis):
        first = 3 + i * 3
        n = book.figures.kpis[kpi.key]
        number_cell(ws, row, first, n.national_average, "nd_national", number_format(kpi))
        text_cell(ws, row, first + 1, None, "nd_national")
        text_cell(ws, row, first + 2, f"{n.met_count}/{n.judged_count}", "nd_national")
    # Five KPIs per printed page across (a break after each fifth); the code
    # and branch columns and the two header rows repeat on every page.
    for i in range(_KPIS_PER_PAGE, len(book.kpis), _KPIS_PER_PAGE):
        ws.col_breaks.append(Break(id=2 + i * 3))
    print_setup(
        ws, _title(book), title_rows="2:3", title_cols="A:B", freeze="C4", scale=_MATRIX_SCALE
    )


def _sections(book: NationalBook) -> list[tuple[str, str]]:
    """(node key, printed title) of each section with marks, in report order."""
    titles: dict[str, str] = {}
    if book.plan is not None:
        for node in book.plan.nodes:
            titles[node.key] = node.display_title
    return [(key, titles.get(key, key)) for key in book.figures.sections]


def _marks(wb: Workbook, book: NationalBook) -> None:
    ws = wb.create_sheet(MARKS_SHEET)
    symbols: list[str] = []
    for s in book.figures.sections.values():
        symbols.extend(x for x in s.counts if x not in symbols)
    columns = ["項目", "事業計画", *symbols, "その他", "未記入", "計"]
    set_widths(ws, (12, 60, *([7] * (len(columns) - 2))))
    text_cell(ws, 1, 1, f"{_title(book)} — 評価の集計（支部数）", "nd_subtitle")
    for column, name in enumerate(columns, start=1):
        text_cell(ws, 2, column, name, "nd_head")
    for row, (key, title) in enumerate(_sections(book), start=3):
        s = book.figures.sections[key]
        text_cell(ws, row, 1, key, "nd_text")
        text_cell(ws, row, 2, title, "nd_text")
        for column, symbol in enumerate(symbols, start=3):
            number_cell(ws, row, column, s.counts.get(symbol, 0))
        base = 3 + len(symbols)
        number_cell(ws, row, base, s.other)
        number_cell(ws, row, base + 1, s.blank)
        number_cell(ws, row, base + 2, s.total, "nd_national")
        ws.row_dimensions[row].height = _fit((title, _column_width(ws, 2)))
    print_setup(ws, _title(book), title_rows="2:2", freeze="C3")


def _reason_height(reason: str) -> float:
    """Row height for a wrapped reason in the 70-wide column (~34 Japanese characters a line)."""
    return 15.0 if not reason else 14.0 * (1 + len(reason) // 34) + 2


def _board(wb: Workbook, book: NationalBook) -> None:
    ws = wb.create_sheet(BOARD_SHEET)
    set_widths(ws, (6, 12, 14, 46, 16, 70))
    text_cell(ws, 1, 1, f"{_title(book)} — 提出状況", "nd_subtitle")
    head = ("コード", "支部", "状況", "ファイル", "決裁者", "理由")
    for column, name in enumerate(head, start=1):
        text_cell(ws, 2, column, name, "nd_head")
    row = 2
    for line in book.branches:
        row += 1
        style = "nd_text" if line.counted else ("nd_missing" if not line.file_name else "nd_bad")
        values = (
            line.branch or "",
            _branch_name(line.branch) if line.branch else "",
            line.status_ja,
            line.file_name,
            line.signed_off_name,
            line.reason_ja,
        )
        for column, value in enumerate(values, start=1):
            text_cell(ws, row, column, value, style)
        ws.row_dimensions[row].height = _reason_height(line.reason_ja)
    row += 2
    text_cell(ws, row, 1, "集計しなかったファイル（無効・未決裁・旧版・対象外）", "nd_subtitle")
    row += 1
    for column, name in enumerate(head, start=1):
        text_cell(ws, row, column, name, "nd_head")
    if not book.files:
        row += 1
        text_cell(ws, row, 1, "なし", "nd_text")
    for line in book.files:
        row += 1
        values = (
            line.branch or "",
            _branch_name(line.branch) if line.branch else "（不明）",
            line.status_ja,
            line.file_name,
            line.signed_off_name,
            line.reason_ja,
        )
        for column, value in enumerate(values, start=1):
            text_cell(ws, row, column, value, "nd_bad" if not line.counted else "nd_text")
        ws.row_dimensions[row].height = _reason_height(line.reason_ja)
    print_setup(ws, _title(book), title_rows="2:2", freeze="A3")


def _chart_data(wb: Workbook, book: NationalBook) -> Worksheet:
    """Per KPI two columns: each branch's value and the national average (the line)."""
    ws = wb.create_sheet(CHART_DATA_SHEET)
    ws.sheet_state = "hidden"
    text_cell(ws, 1, 1, "支部", "nd_head")
    for row, code in enumerate(BRANCH_CODES, start=2):
        text_cell(ws, row, 1, BRANCHES[code].name_ja.removesuffix("支部"), "nd_text")
    for i, kpi in enumerate(book.kpis):
        column = 2 + 2 * i
        n = book.figures.kpis[kpi.key]
        text_cell(ws, 1, column, _kpi_title(kpi), "nd_head")
        text_cell(ws, 1, column + 1, "全国平均", "nd_head")
        for row, code in enumerate(BRANCH_CODES, start=2):
            result = book.results.get(code)
            figure = result.figure(kpi.key) if result else None
            value = _figure_value(kpi, figure)
            number_cell(ws, row, column, value if isinstance(value, Decimal) else None)
            number_cell(ws, row, column + 1, n.national_average)
    return ws


_CHART_ROWS = 16  # rows (of 15 pt) per chart on the charts sheet: two charts per printed page


_VERTICAL_LABELS = RichText(
    bodyPr=RichTextProperties(rot=-5400000, vert="horz"),
    p=[
        Paragraph(
            pPr=ParagraphProperties(defRPr=CharacterProperties(sz=800)),
            endParaRPr=CharacterProperties(sz=800),
        )
    ],
)


def _charts(wb: Workbook, book: NationalBook) -> None:
    data = _chart_data(wb, book)
    ws = wb.create_sheet(CHARTS_SHEET, index=wb.sheetnames.index(BOARD_SHEET) + 1)
    text_cell(ws, 1, 1, f"{_title(book)} — KPIごとの支部別グラフ（線: 全国平均）", "nd_subtitle")
    last = 1 + len(BRANCH_CODES)
    categories = Reference(data, min_col=1, min_row=2, max_row=last)
    charted = [k for k in book.kpis if k.direction is not Direction.QUALITATIVE]
    for i, kpi in enumerate(charted):
        column = 2 + 2 * list(book.kpis).index(kpi)
        n = book.figures.kpis[kpi.key]
        bar = BarChart()
        bar.type = "col"
        bar.style = 10
        average = (
            "－" if n.national_average is None else format_decimal(n.national_average, kpi.decimals)
        )
        bar.title = f"{_kpi_title(kpi)}（全国平均 {average}{kpi.unit}）"
        bar.y_axis.title = kpi.unit
        bar.y_axis.number_format = number_format(kpi)
        bar.x_axis.tickLblSkip = 1
        bar.legend = None
        bar.add_data(
            Reference(data, min_col=column, min_row=1, max_row=last), titles_from_data=True
        )
        bar.set_categories(categories)
        bar.gapWidth = 40
        line = LineChart()
        line.add_data(
            Reference(data, min_col=column + 1, min_row=1, max_row=last), titles_from_data=True
        )
        line.series[0].marker.symbol = "none"
        line.series[0].smooth = False
        bar += line
        # openpyxl ≥ 3.1 marks axes deleted unless told otherwise: Excel would hide them.
        bar.x_axis.delete = False
        bar.y_axis.delete = False
        bar.x_axis.txPr = _VERTICAL_LABELS  # every branch's name, written downwards
        bar.width = 25
        bar.height = 7.8
        anchor_row = 3 + i * _CHART_ROWS
        ws.add_chart(bar, f"A{anchor_row}")
        if i % 2 == 1 and i + 1 < len(charted):
            ws.row_breaks.append(Break(id=anchor_row + _CHART_ROWS - 1))
    print_setup(ws, _title(book))


# The branch sheets' columns after the consolidation's own: the branch's reference figures
# (``kpi_rows``, as every workbook prints them beside a KPI).
REFERENCE_COLUMNS = (
    "前年度実績",
    "前々年度実績",
    "前年度の全国平均",
    "前年度の全国順位",
    "算出方法の変更",
)


def _branch_sheet(wb: Workbook, book: NationalBook, code: str) -> None:
    result = book.results[code]
    plan = book.branch_plans.get(code)
    own = {k.key: k for k in plan.kpis} if plan is not None else {}
    report = plan.report(book.period) if plan is not None else None
    measured = {m.kpi_key: m for m in report.measurements} if report is not None else {}
    ws = wb.create_sheet(f"{code} {BRANCHES[code].name_ja}"[:31])
    set_widths(ws, (12, 44, 11, 11, 10, 11, 9, 11, 11, 11, 11, 10, 30))
    text_cell(ws, 1, 1, f"{BRANCHES[code].name_ja}　{_period_text(book)}", "nd_title")
    ws.row_dimensions[1].height = 26
    line = next((b for b in book.branches if b.branch == code), None)
    if line is not None:
        text_cell(ws, 2, 1, f"ファイル: {line.file_name}　決裁: {line.signed_off_name}", "nd_note")
    head = ("項目", "KPI設定項目", "実績", "目標", "達成", "全国平均", "全国順位", "時点")
    for column, name in enumerate((*head, *REFERENCE_COLUMNS), start=1):
        text_cell(ws, 3, column, name, "nd_head")
    for row, kpi in enumerate(book.kpis, start=4):
        n: KpiNational = book.figures.kpis[kpi.key]
        figure = result.figure(kpi.key)
        fmt = number_format(kpi)
        text_cell(ws, row, 1, kpi.key, "nd_text")
        text_cell(ws, row, 2, _kpi_head(kpi), "nd_text")
        _put_value(ws, row, 3, kpi, _figure_value(kpi, figure))
        _target_cell(ws, row, 4, kpi, figure)
        status = n.status.get(code, Status.NO_DATA)
        text_cell(ws, row, 5, _status_text(n, code), _status_style(status))
        number_cell(ws, row, 6, n.national_average, "nd_national", fmt)
        rank = n.ranks.get(code)
        text_cell(ws, row, 7, f"{rank}位/{n.ranked_count}" if rank else "－", "nd_centre")
        as_of = figure.as_of if figure else None
        text_cell(ws, row, 8, as_of.era_label() if as_of else "", "nd_centre")
        # The branch's own definition holds its last year's figures (HQ's, if it has none).
        refs = kpi_row(own.get(kpi.key, kpi), None, measured.get(kpi.key))
        for column, held in enumerate(
            (refs.last_year, refs.prior_year, refs.last_year_national_average), start=9
        ):
            number_cell(ws, row, column, _number(held), fmt=fmt)
        last_rank = refs.last_year_national_rank
        text_cell(ws, row, 12, last_rank.text if last_rank else "－", "nd_centre")
        definition = refs.definition()
        if refs.old_method is not None:
            definition = f"{definition}\n{refs.old_method.words}"
        text_cell(ws, row, 13, definition, "nd_text")
        ws.row_dimensions[row].height = _fit(
            (_kpi_head(kpi), _column_width(ws, 2)), (definition, _column_width(ws, 13))
        )
    print_setup(ws, _title(book), title_rows="3:3", freeze="C4")


def _number(held: Figure | None) -> Decimal | int | None:
    return held.value if held is not None else None


# --- the workbook ----------------------------------------------------------------------


def build_national_workbook(book: NationalBook) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    register_styles(wb, STYLES)
    _summary(wb, book)
    _figures(wb, book)
    _ranks(wb, book)
    _matrix(wb, book)
    _marks(wb, book)
    _board(wb, book)
    _charts(wb, book)
    for code in BRANCH_CODES:
        if code in book.results:
            _branch_sheet(wb, book, code)
    # The hidden chart data goes last, out of the way of the branch sheets.
    wb.move_sheet(
        CHART_DATA_SHEET, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(CHART_DATA_SHEET)
    )
    wb.active = 0
    return wb


def write_national_workbook(
    book: NationalBook,
    path: str | Path,
    sign: Callable[[NationalSeal], NationalSeal] | None = None,
) -> Path:
    """Write the national workbook to ``path`` atomically (temporary file, fsync, rename);
    sealed and signed by ``sign`` when given (``national_seal``)."""
    wb = build_national_workbook(book)
    if sign is not None:
        seal_workbook(wb, fiscal_year=book.fiscal_year, period=book.period,
                      created_by=book.created_by, created_at=book.created_at, sign=sign)  # fmt: skip
    return write_atomically(path, lambda temp: save_workbook(wb, temp))
