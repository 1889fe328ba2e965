"""Writing the page model (``print_sheets``) into an openpyxl workbook.

Styles are registered once per workbook as NamedStyles (per-cell fonts and
borders are slow). Every text goes through ``cell_writer.put_text`` so that text
starting with = + - @ stays text. Nothing here decides what a cell says: the
page model did, and the sealed ``_pages`` table holds it.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from desktop.workbooks.cell_writer import put_text
from desktop.workbooks.print_sheets import STYLE_SIZES, Page
from desktop.workbooks.styles import register_styles

_FONT = "ＭＳ Ｐゴシック"  # on every Japanese Windows; compact line spacing (Yu Gothic is ~1.7 em)
_MONO = "Consolas"

_thin = Side(style="thin", color="808080")
_BOX = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TOP_CENTRE = Alignment(horizontal="center", vertical="top", wrap_text=True)
_TOP_RIGHT = Alignment(horizontal="right", vertical="top", wrap_text=True)
_MID_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def _fill(colour: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def _font(style: str, *, bold: bool = False, name: str = _FONT, **kw: object) -> Font:
    return Font(name=name, size=STYLE_SIZES[style], bold=bold, charset=128, **kw)


# name → (font, fill, border, alignment); the sizes are the page model's.
STYLES: dict[str, tuple[Font, PatternFill | None, Border | None, Alignment]] = {
    "pd_title": (_font("pd_title", bold=True), None, None, _MID_LEFT),
    "pd_subtitle": (_font("pd_subtitle"), None, None, _MID_LEFT),
    "pd_note": (_font("pd_note", color="404040"), None, None, _TOP_LEFT),
    "pd_head": (_font("pd_head", bold=True), _fill("D9D9D9"), _BOX, _CENTRE),
    "pd_pillar": (_font("pd_pillar", bold=True), _fill("BDD7EE"), _BOX, _MID_LEFT),
    "pd_section": (_font("pd_section", bold=True), _fill("DDEBF7"), _BOX, _MID_LEFT),
    "pd_subsection": (_font("pd_subsection", bold=True), _fill("F2F2F2"), _BOX, _MID_LEFT),
    "pd_text": (_font("pd_text"), None, _BOX, _TOP_LEFT),
    "pd_kpi_text": (_font("pd_kpi_text"), _fill("FAFAF0"), _BOX, _TOP_LEFT),
    "pd_mark": (_font("pd_mark", bold=True), None, _BOX, _CENTRE),
    "pd_centre": (_font("pd_centre"), None, _BOX, _TOP_CENTRE),
    "pd_number": (_font("pd_number"), None, _BOX, _TOP_RIGHT),
    "pd_label": (_font("pd_label", bold=True), _fill("F2F2F2"), _BOX, _TOP_LEFT),
    "pd_value": (_font("pd_value"), None, _BOX, _TOP_LEFT),
    "pd_value_big": (_font("pd_value_big", bold=True), None, _BOX, _TOP_LEFT),
    "pd_digest": (_font("pd_digest", name=_MONO), None, _BOX, _TOP_LEFT),
}


def add_pages(wb: Workbook, pages: list[Page], digest: str) -> None:
    """The visible sheets for ``pages``, in order; the cover's digest cell shows ``digest``."""
    register_styles(wb, STYLES)
    for page in pages:
        _add_page(wb, page, digest)


def _add_page(wb: Workbook, page: Page, digest: str) -> None:
    ws = wb.create_sheet(page.name)
    for i, column in enumerate(page.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    for (row, column), (text, style) in page.cells.items():
        cell = ws.cell(row=row, column=column)
        cell.style = style  # before the text: a named style resets quotePrefix
        put_text(ws, row, column, digest if (row, column) == page.digest_cell else text)
    for row, height in page.heights.items():
        ws.row_dimensions[row].height = height
    for first_row, first_column, last_row, last_column in page.merges:
        ws.merge_cells(
            start_row=first_row, start_column=first_column, end_row=last_row, end_column=last_column
        )
    for row in page.breaks:
        ws.row_breaks.append(Break(id=row))
    ws.sheet_view.showGridLines = page.show_grid
    _print_setup(ws, page)


def _header_text(value: str) -> str:
    return value.replace("&", "&&")  # & starts a code in header and footer text


def _print_setup(ws: Worksheet, page: Page) -> None:
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if page.one_page else 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.25
    ws.print_options.horizontalCentered = True
    ws.print_options.gridLines = False
    if page.title_row is not None and not page.one_page:
        ws.print_title_rows = f"{page.title_row}:{page.title_row}"
    if page.freeze_row is not None:
        ws.freeze_panes = f"A{page.freeze_row}"
    for part in (ws.oddHeader, ws.evenHeader):
        part.left.text = _header_text(page.header_left)
        part.left.size = 9
        part.right.text = _header_text(page.header_right)
        part.right.size = 9
    for part in (ws.oddFooter, ws.evenFooter):
        part.center.text = page.footer_center  # page fields: codes, not text
        part.center.size = 9
