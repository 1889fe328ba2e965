"""Writing a PlanDesk workbook: the sheets for people, then the hidden tables.

The file is built in memory and saved through ``desktop.files.write_atomically``
(temporary file in the destination folder, fsync, one rename), so a crash,
a full disk or a file held open by Excel never leaves half a workbook. Before
the rename the temporary file is read back and compared with what was meant to
be written: a file that would not import as written is never put in place.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from desktop.files import write_atomically
from desktop.workbooks import page_render, print_sheets
from desktop.workbooks.cell_text import FORMULA_START, MAX_CELL, printable, store, text_length
from desktop.workbooks.machine import (
    MANIFEST_SHEET,
    PAGES,
    ROW_HASH,
    TABLES,
    Names,
    WorkbookData,
    WorkbookError,
    check_text_limits,
    check_writable,
    digest,
    field_words,
    manifest_rows,
    row_seal,
    tables_of,
)
from desktop.workbooks.reader import read_workbook
from desktop.workbooks.saving import save_workbook

__all__ = ["build_workbook", "put_text", "text_length", "write_workbook"]


def build_workbook(data: WorkbookData) -> tuple[Workbook, WorkbookData]:
    """The workbook for ``data`` and the data with its digest filled in.

    The pages for people are laid out first (they do not depend on the digest),
    what they say is sealed in the ``_pages`` table, and the digest covers the
    data and that table; then the pages are written with the digest on the cover."""
    check_writable(data)
    tables = tables_of(data)  # every value fits the format, or a clear message
    # Texts PlanDesk would refuse when reading the file back: say so before writing.
    check_text_limits(dict(manifest_rows(data)), tables)
    pages = print_sheets.build_pages(data)
    tables[PAGES.sheet] = print_sheets.seal_rows(pages)
    value = digest(manifest_rows(data, len(tables[PAGES.sheet])), tables)
    data = replace(data, manifest=replace(data.manifest, digest=value))
    _check_lengths(data, tables)  # before the sheets for people: name the field, not a cell
    wb = Workbook()
    wb.remove(wb.active)
    page_render.add_pages(wb, pages, data.manifest.digest)
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
        save_workbook(wb, temp)
        _verify(temp, data)

    write_atomically(path, save)
    return data


def _verify(temp: Path, data: WorkbookData) -> None:
    try:
        back = read_workbook(temp)
    except WorkbookError as exc:
        raise _not_as_written(exc.reason.ja, exc.reason.en) from exc
    if back != data:
        raise _not_as_written("内容の不一致", "content differs")


def _not_as_written(detail_ja: str, detail_en: str) -> WorkbookError:
    return WorkbookError(
        f"書き出したブックを読み直すと内容が一致しないため、保存しませんでした（PlanDesk の不具合）：{detail_ja}",
        f"The workbook did not read back as written, so it was not saved (a PlanDesk bug): "
        f"{detail_en}",
    )


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
        raise _too_long(
            f"{ws.title}!{cell.coordinate} ", length, "", cell=f"{ws.title}!{cell.coordinate}"
        )
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True


def _too_long(
    what_ja: str, length: int, where: str, what_en: str | None = None, *, cell: str = ""
) -> WorkbookError:
    return WorkbookError(
        f"{what_ja}の文章が長すぎます（{length:,}文字、Excel の上限は{MAX_CELL:,}文字）。"
        "短くしてください。",
        f"The text of {what_en or what_ja} is too long ({length:,} characters; Excel's limit "
        f"is {MAX_CELL:,}). Shorten it.",
        where,
        cell=cell,
    )


def _check_lengths(data: WorkbookData, tables: dict[str, list[list[str | None]]]) -> None:
    """Every machine cell fits in Excel; the message names the section or KPI and the
    field in words. (Escaped texts are longer as stored than as typed: each \\r
    counts twice.)"""
    for key, value in manifest_rows(data, len(tables[PAGES.sheet])):
        if value is not None and text_length(value) > MAX_CELL:
            ja, en = field_words(MANIFEST_SHEET, key)
            raise _too_long(f"「{ja}」", text_length(value), "", en, cell=f"{MANIFEST_SHEET}!{key}")
    names: Names | None = None
    for table in TABLES:
        for line, row in enumerate(tables[table.sheet], start=2):
            for column, value in enumerate(row):
                if value is not None and text_length(value) > MAX_CELL:
                    names = names or Names(tables)
                    subject_ja, subject_en = names.row(table, row)
                    field_ja, field_en = field_words(table.sheet, table.columns[column])
                    raise _too_long(
                        f"{subject_ja}の「{field_ja}」",
                        text_length(value),
                        "",
                        f"the {field_en} of {subject_en}",
                        cell=f"{table.sheet}!{line}",
                    )


def _add_machine_sheets(
    wb: Workbook, data: WorkbookData, tables: dict[str, list[list[str | None]]]
) -> None:
    ws = wb.create_sheet(MANIFEST_SHEET)
    ws.sheet_state = "veryHidden"
    put_text(ws, 1, 1, "key")
    put_text(ws, 1, 2, "value")
    rows = [*manifest_rows(data, len(tables[PAGES.sheet])), ("digest", data.manifest.digest)]
    for line, (key, value) in enumerate(rows, start=2):
        put_text(ws, line, 1, key)
        put_text(ws, line, 2, value)
    for table in TABLES:
        ws = wb.create_sheet(table.sheet)
        ws.sheet_state = "veryHidden"
        header = [*table.columns, ROW_HASH]
        for column, name in enumerate(header, start=1):
            put_text(ws, 1, column, name)
        for line, row in enumerate(tables[table.sheet], start=2):
            for column, value in enumerate(row, start=1):
                put_text(ws, line, column, value)
            put_text(ws, line, len(header), row_seal(table, row))
