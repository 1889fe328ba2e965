"""How HQ's workbooks look: the national workbook and the benchmark pack.

Both are read by people at HQ and in the branches, printed on A4 landscape:
the same named styles (MS P Gothic, boxed cells, the national figures on
yellow), the same text and number cells and the same print setup. Figures
go into cells as numbers with the KPI's decimals as their format; every text
goes through ``cell_writer.put_text``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from desktop.domain.model import Kpi
from desktop.workbooks.cell_writer import put_text

_FONT = "ＭＳ Ｐゴシック"
_thin = Side(style="thin", color="808080")
_BOX = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)


def _fill(colour: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def _font(size: float = 10, *, bold: bool = False, **kw: object) -> Font:
    return Font(name=_FONT, size=size, bold=bold, charset=128, **kw)


_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="top")

# name → (font, fill, border, alignment); registered once per workbook (``register_styles``)
STYLES: dict[str, tuple[Font, PatternFill | None, Border | None, Alignment]] = {
    "nd_title": (_font(16, bold=True), None, None, Alignment(vertical="center")),
    "nd_subtitle": (_font(11), None, None, Alignment(vertical="center")),
    "nd_note": (_font(9, color="404040"), None, None, _LEFT),
    "nd_head": (_font(bold=True), _fill("D9D9D9"), _BOX, _CENTRE),
    "nd_group": (_font(bold=True), _fill("DDEBF7"), _BOX, _CENTRE),
    "nd_text": (_font(), None, _BOX, _LEFT),
    "nd_centre": (_font(), None, _BOX, Alignment(horizontal="center", vertical="top")),
    "nd_number": (_font(), None, _BOX, _RIGHT),
    "nd_national": (_font(bold=True), _fill("FFF2CC"), _BOX, _RIGHT),
    "nd_met": (_font(color="1E6B30"), _fill("E2EFDA"), _BOX, _CENTRE),
    "nd_not_met": (_font(color="9C0006"), _fill("FCE4D6"), _BOX, _CENTRE),
    "nd_missing": (_font(color="808080"), _fill("F2F2F2"), _BOX, _LEFT),
    "nd_bad": (_font(color="9C0006"), _fill("FCE4D6"), _BOX, _LEFT),
}


def number_format(kpi: Kpi) -> str:
    """Excel's format for a KPI's figures: its decimals, thousands grouped."""
    return "#,##0" if kpi.decimals <= 0 else "#,##0." + "0" * kpi.decimals


def text_cell(ws: Worksheet, row: int, column: int, value: str | None, style: str) -> None:
    """A text cell in one of ``STYLES`` (text starting with = + - @ stays text)."""
    ws.cell(row=row, column=column).style = style  # first: a named style resets quotePrefix
    put_text(ws, row, column, value)


def number_cell(
    ws: Worksheet,
    row: int,
    column: int,
    value: Decimal | int | None,
    style: str = "nd_number",
    fmt: str = "#,##0",
) -> None:
    """A number cell with its number format; an empty cell for None."""
    cell = ws.cell(row=row, column=column)
    cell.style = style
    if value is None:
        return
    # A Decimal goes into the cell as is: openpyxl writes its exact digits.
    cell.value = value
    cell.number_format = fmt


def set_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _header_text(value: str) -> str:
    return value.replace("&", "&&")  # & starts a code in header and footer text


def print_setup(
    ws: Worksheet,
    title: str,
    *,
    title_rows: str | None = None,
    title_cols: str | None = None,
    freeze: str | None = None,
    scale: int | None = None,
) -> None:
    """A4 landscape, fitted to the page width (or, with ``scale``, printed at
    that scale so that manual page breaks hold: Excel ignores them when
    fitting), header rows repeated, page numbers in the footer."""
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if scale is None:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages down as it takes
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    else:
        ws.page_setup.scale = scale
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.25
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    if freeze:
        ws.freeze_panes = freeze
    for part in (ws.oddHeader, ws.evenHeader):
        part.left.text = _header_text(title)
        part.left.size = 9
        part.right.text = _header_text(ws.title)
        part.right.size = 9
    for part in (ws.oddFooter, ws.evenFooter):
        part.center.text = "&P / &N ページ"
        part.center.size = 9
