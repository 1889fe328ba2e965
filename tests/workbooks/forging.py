"""What a forger who has read the format does: recompute the seals after an edit."""

from __future__ import annotations

import openpyxl

from desktop.workbooks import seals
from desktop.workbooks.hidden_tables import MANIFEST_KEYS, TABLES
from desktop.workbooks.machine import MANIFEST_SHEET


def manifest_line(ws, key: str) -> int:
    return next(line for line in range(2, ws.max_row + 1) if ws.cell(line, 1).value == key)


def resign(wb: openpyxl.Workbook) -> None:
    """Recompute every row hash and the digest, as a forger who read the code
    would: the data checks must then still catch a bad value."""
    tables = {}
    for table in TABLES:
        ws = wb[table.sheet]
        width = len(table.columns)
        rows = []
        for line in range(2, ws.max_row + 1):
            row = [ws.cell(line, c).value for c in range(1, width + 1)]
            ws.cell(line, width + 1).value = seals.row_hash(table.sheet, row)
            rows.append(row)
        tables[table.sheet] = rows
    ws = wb[MANIFEST_SHEET]
    values = {ws.cell(line, 1).value: ws.cell(line, 2).value for line in range(2, ws.max_row + 1)}
    pairs = [(key, values.get(key)) for key in MANIFEST_KEYS]
    ws.cell(manifest_line(ws, "digest"), 2).value = seals.digest(pairs, tables)
