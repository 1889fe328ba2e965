"""Putting text into openpyxl cells: as typed, never a formula, never cut.

Every text PlanDesk writes into a workbook goes through ``put_text``: the
hidden tables (``writer``), the printed sheets (``page_render``), HQ's
national workbook and the benchmark pack.
"""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from desktop.workbooks.cell_text import FORMULA_START, MAX_CELL, printable, store, text_length
from desktop.workbooks.machine import WorkbookError


def put_text(ws: Worksheet, row: int, column: int, value: str | None) -> None:
    """Set a cell to text that Excel shows as typed: a leading = + - @ must
    never turn into a formula (formula injection). Characters no xlsx cell can
    hold become U+FFFD (texts for people only; see ``cell_text.UNWRITABLE``); a
    text that looks like Excel's own escape (_x0041_) is stored escaped so that
    it comes back as typed; a text over Excel's 32,767 characters is refused."""
    cell = ws.cell(row=row, column=column)
    if value is None:
        return
    value = store(printable(value))
    length = text_length(value)
    if length > MAX_CELL:
        raise too_long(
            f"{ws.title}!{cell.coordinate} ", length, "", cell=f"{ws.title}!{cell.coordinate}"
        )
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True


def too_long(
    what_ja: str, length: int, where: str, what_en: str | None = None, *, cell: str = ""
) -> WorkbookError:
    """A text longer than an Excel cell holds: say whose, and how long it is."""
    return WorkbookError(
        f"{what_ja}の文章が長すぎます（{length:,}文字、Excel の上限は{MAX_CELL:,}文字）。"
        "短くしてください。",
        f"The text of {what_en or what_ja} is too long ({length:,} characters; Excel's limit "
        f"is {MAX_CELL:,}). Shorten it.",
        where,
        cell=cell,
    )
