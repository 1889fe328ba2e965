"""Writing a PlanDesk workbook: the sheets for people, then the hidden tables.

The file is built in memory and saved through ``desktop.files.write_atomically``
(temporary file in the destination folder, fsync, one rename), so a crash,
a full disk or a file held open by Excel never leaves half a workbook.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from desktop.files import write_atomically
from desktop.workbooks import print_sheets
from desktop.workbooks.machine import (
    MANIFEST_SHEET,
    MAX_CELL,
    ROW_HASH,
    TABLES,
    WorkbookData,
    WorkbookError,
    manifest_rows,
    row_hash,
    tables_of,
    with_digest,
)

_FORMULA_START = ("=", "+", "-", "@")


def build_workbook(data: WorkbookData) -> tuple[Workbook, WorkbookData]:
    """The workbook for ``data`` and the data with its digest filled in."""
    data = with_digest(data)
    wb = Workbook()
    wb.remove(wb.active)
    print_sheets.add_people_sheets(wb, data)
    _add_machine_sheets(wb, data)
    wb.active = 0
    return wb, data


def write_workbook(data: WorkbookData, path: str | Path) -> WorkbookData:
    """Write ``data`` to ``path`` atomically; returns it with its digest."""
    wb, data = build_workbook(data)
    write_atomically(path, lambda temp: wb.save(temp))
    return data


def put_text(ws: Worksheet, row: int, column: int, value: str | None) -> None:
    """Set a cell to text that Excel shows as typed: a leading = + - @ must
    never turn into a formula (formula injection)."""
    cell = ws.cell(row=row, column=column)
    if value is None:
        return
    if len(value) > MAX_CELL:
        raise WorkbookError(
            f"{ws.title}!{cell.coordinate} の文章が Excel の上限（{MAX_CELL:,}文字）を超えています。",
            f"The text for {ws.title}!{cell.coordinate} exceeds Excel's limit of {MAX_CELL:,} characters.",
        )
    cell.value = value
    cell.data_type = "s"
    if value.startswith(_FORMULA_START):
        cell.quotePrefix = True


def _add_machine_sheets(wb: Workbook, data: WorkbookData) -> None:
    ws = wb.create_sheet(MANIFEST_SHEET)
    ws.sheet_state = "veryHidden"
    put_text(ws, 1, 1, "key")
    put_text(ws, 1, 2, "value")
    rows = [*manifest_rows(data), ("digest", data.manifest.digest)]
    for line, (key, value) in enumerate(rows, start=2):
        put_text(ws, line, 1, key)
        put_text(ws, line, 2, value)
    tables = tables_of(data)
    for table in TABLES:
        ws = wb.create_sheet(table.sheet)
        ws.sheet_state = "veryHidden"
        header = [*table.columns, ROW_HASH]
        for column, name in enumerate(header, start=1):
            put_text(ws, 1, column, name)
        for line, row in enumerate(tables[table.sheet], start=2):
            for column, value in enumerate(row, start=1):
                put_text(ws, line, column, value)
            put_text(ws, line, len(header), row_hash(table.sheet, row))
