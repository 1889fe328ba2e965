"""Writing a PlanDesk workbook: the sheets for people, then the hidden tables.

The file is built in memory and saved through ``desktop.files.write_atomically``
(temporary file in the destination folder, fsync, one rename), so a crash,
a full disk or a file held open by Excel never leaves half a workbook. Before
the rename the temporary file is read back and compared with what was meant to
be written: a file that would not import as written is never put in place.
"""

from __future__ import annotations

import re
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
    check_text_limits,
    check_writable,
    manifest_rows,
    row_hash,
    tables_of,
    with_digest,
)
from desktop.workbooks.reader import read_workbook

_FORMULA_START = ("=", "+", "-", "@")
# What no xlsx cell can hold: control characters other than tab, newline and
# carriage return (openpyxl raises IllegalCharacterError), U+FFFE/U+FFFF and
# lone surrogates (the XML would be unreadable). Only texts for people can
# contain these; the machine tables escape them (machine.encode_text).
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def build_workbook(data: WorkbookData) -> tuple[Workbook, WorkbookData]:
    """The workbook for ``data`` and the data with its digest filled in."""
    check_writable(data)
    data = with_digest(data)
    tables = tables_of(data)
    # Texts PlanDesk would refuse when reading the file back: say so before writing.
    check_text_limits(dict(manifest_rows(data)), tables, writing=True)
    _check_lengths(data, tables)  # before the sheets for people: name the field, not a cell
    wb = Workbook()
    wb.remove(wb.active)
    print_sheets.add_people_sheets(wb, data)
    _add_machine_sheets(wb, data, tables)
    wb.active = 0
    return wb, data


def write_workbook(data: WorkbookData, path: str | Path) -> WorkbookData:
    """Write ``data`` to ``path`` atomically; returns it with its digest.

    Raises WorkbookError for content a workbook cannot carry and UserError
    (from ``desktop.files``) when the file cannot be written; either way the
    destination is as it was."""
    wb, data = build_workbook(data)

    def save(temp: Path) -> None:
        wb.save(temp)
        _verify(temp, data)

    write_atomically(path, save)
    return data


def _verify(temp: Path, data: WorkbookData) -> None:
    try:
        back = read_workbook(temp)
    except WorkbookError as exc:
        raise _not_as_written(exc.message_ja, exc.message_en) from exc
    if back != data:
        raise _not_as_written("内容の不一致", "content differs")


def _not_as_written(detail_ja: str, detail_en: str) -> WorkbookError:
    return WorkbookError(
        f"書き出したブックを読み直すと内容が一致しないため、保存しませんでした（PlanDesk の不具合）：{detail_ja}",
        f"The workbook did not read back as written, so it was not saved (a PlanDesk bug): "
        f"{detail_en}",
    )


def text_length(value: str) -> int:
    """Length as Excel counts it (UTF-16 code units: an emoji counts twice)."""
    return len(value.encode("utf-16-le", "surrogatepass")) // 2


def put_text(ws: Worksheet, row: int, column: int, value: str | None) -> None:
    """Set a cell to text that Excel shows as typed: a leading = + - @ must
    never turn into a formula (formula injection). Characters no xlsx cell can
    hold become U+FFFD (texts for people only; see ``_UNWRITABLE``); a text
    over Excel's 32,767 characters is refused."""
    cell = ws.cell(row=row, column=column)
    if value is None:
        return
    length = text_length(value)
    if length > MAX_CELL:
        raise _too_long(f"{ws.title}!{cell.coordinate}", length, f"{ws.title}!{cell.coordinate}")
    value = _UNWRITABLE.sub("\ufffd", value)
    cell.value = value
    cell.data_type = "s"
    if value.startswith(_FORMULA_START):
        cell.quotePrefix = True


def _too_long(what: str, length: int, where: str) -> WorkbookError:
    return WorkbookError(
        f"{what} の文章が長すぎます（{length:,}文字、Excel の上限は{MAX_CELL:,}文字）。"
        "短くしてください。",
        f"The text of {what} is too long ({length:,} characters; Excel's limit is "
        f"{MAX_CELL:,}). Shorten it.",
        where,
    )


def _check_lengths(data: WorkbookData, tables: dict[str, list[list[str | None]]]) -> None:
    """Every machine cell fits in Excel; the message names the field and row key.
    (Escaped texts are longer as stored than as typed: each \\r counts twice.)"""
    for key, value in manifest_rows(data):
        if value is not None and text_length(value) > MAX_CELL:
            raise _too_long(key, text_length(value), f"{MANIFEST_SHEET}!{key}")
    for table in TABLES:
        for line, row in enumerate(tables[table.sheet], start=2):
            for column, value in enumerate(row):
                if value is not None and text_length(value) > MAX_CELL:
                    name = table.all_columns[column]
                    what = f"{table.sheet} {name} ({table.columns[0]}={row[0]})"
                    raise _too_long(what, text_length(value), f"{table.sheet}!{line}")


def _add_machine_sheets(
    wb: Workbook, data: WorkbookData, tables: dict[str, list[list[str | None]]]
) -> None:
    ws = wb.create_sheet(MANIFEST_SHEET)
    ws.sheet_state = "veryHidden"
    put_text(ws, 1, 1, "key")
    put_text(ws, 1, 2, "value")
    rows = [*manifest_rows(data), ("digest", data.manifest.digest)]
    for line, (key, value) in enumerate(rows, start=2):
        put_text(ws, line, 1, key)
        put_text(ws, line, 2, value)
    for table in TABLES:
        ws = wb.create_sheet(table.sheet)
        ws.sheet_state = "veryHidden"
        header = [*table.columns_for(tables[table.sheet]), ROW_HASH]
        for column, name in enumerate(header, start=1):
            put_text(ws, 1, column, name)
        for line, row in enumerate(tables[table.sheet], start=2):
            for column, value in enumerate(row, start=1):
                put_text(ws, line, column, value)
            put_text(ws, line, len(header), row_hash(table.sheet, row))
