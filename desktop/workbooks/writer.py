"""Writing a PlanDesk workbook: the sheets for people, then the hidden tables.

The file is built in memory and saved through ``desktop.files.write_atomically``
(temporary file in the destination folder, fsync, one rename), so a crash,
a full disk or a file held open by Excel never leaves half a workbook. Before
the rename the temporary file is read back and compared with what was meant to
be written: a file that would not import as written is never put in place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from openpyxl import Workbook

from desktop.files import write_atomically
from desktop.workbooks import page_render, print_sheets
from desktop.workbooks.cell_text import MAX_CELL, text_length
from desktop.workbooks.cell_writer import put_text, too_long
from desktop.workbooks.hidden_tables import (
    DIGEST_KEY,
    MANIFEST,
    PAGES,
    SIGNATURE_KEY,
    SIGNING_KEY_KEY,
    TABLES,
)
from desktop.workbooks.machine import (
    MANIFEST_SHEET,
    ROW_HASH,
    Manifest,
    Rows,
    WorkbookData,
    WorkbookError,
)
from desktop.workbooks.places import Names, Place
from desktop.workbooks.reader import read_workbook
from desktop.workbooks.row_codec import check_writable, manifest_rows, tables_of
from desktop.workbooks.saving import save_workbook
from desktop.workbooks.seals import digest, row_seal

__all__ = ["build_workbook", "write_workbook"]


# Signs a manifest whose digest is filled in (desktop/services/signatures.py): the
# signature goes after the digest, outside what it covers.
Signer = Callable[[Manifest], Manifest]


def build_workbook(data: WorkbookData, sign: Signer | None = None) -> tuple[Workbook, WorkbookData]:
    """The workbook for ``data`` and the data with its digest filled in (and signed
    by ``sign``, when given).

    The pages for people are laid out first (they do not depend on the digest),
    what they say is sealed in the ``_pages`` table, and the digest covers the
    data and that table; then the pages are written with the digest on the cover."""
    # What PlanDesk would refuse when reading the file back: say so before writing.
    check_writable(data)
    tables = tables_of(data)  # every value fits the format, or a clear message
    pages = print_sheets.build_pages(data)
    tables[PAGES.sheet] = print_sheets.seal_rows(pages)
    value = digest(manifest_rows(data, len(tables[PAGES.sheet])), tables)
    data = replace(data, manifest=replace(data.manifest, digest=value))
    if sign is not None:
        data = replace(data, manifest=sign(data.manifest))
    _check_lengths(data, tables)  # before the sheets for people: name the field, not a cell
    wb = Workbook()
    wb.remove(wb.active)
    page_render.add_pages(wb, pages, data.manifest.digest)
    _add_machine_sheets(wb, data, tables)
    wb.active = 0
    return wb, data


def write_workbook(
    data: WorkbookData, path: str | Path, sign: Signer | None = None
) -> WorkbookData:
    """Write ``data`` to ``path`` atomically (signed by ``sign`` when given); returns it
    with its digest.

    Raises WorkbookError for content a workbook cannot carry and UserError
    (from ``desktop.files``) when the file cannot be written; either way the
    destination is as it was."""
    wb, data = build_workbook(data, sign)

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


def _check_lengths(data: WorkbookData, tables: dict[str, Rows]) -> None:
    """Every machine cell fits in Excel; the message names the section or KPI and the
    field in words. (Escaped texts are longer as stored than as typed: each \\r
    counts twice.)"""
    for key, value in manifest_rows(data, len(tables[PAGES.sheet])):
        if value is not None and text_length(value) > MAX_CELL:
            ja, en = MANIFEST.column(key).words
            raise too_long(f"「{ja}」", text_length(value), "", en, cell=f"{MANIFEST_SHEET}!{key}")
    names: Names | None = None
    for table in TABLES:
        for line, row in enumerate(tables[table.sheet], start=2):
            for column, value in zip(table.names, row, strict=True):
                if value is not None and text_length(value) > MAX_CELL:
                    names = names or Names(tables)
                    place = Place(table, column, line, row, names)
                    where_ja, where_en = place.words()
                    raise too_long(where_ja, text_length(value), "", where_en, cell=place.cell)


def _add_machine_sheets(wb: Workbook, data: WorkbookData, tables: dict[str, Rows]) -> None:
    ws = wb.create_sheet(MANIFEST_SHEET)
    ws.sheet_state = "veryHidden"
    put_text(ws, 1, 1, "key")
    put_text(ws, 1, 2, "value")
    m = data.manifest
    rows = [*manifest_rows(data, len(tables[PAGES.sheet])), (DIGEST_KEY, m.digest)]
    if m.signature:
        rows += [(SIGNATURE_KEY, m.signature), (SIGNING_KEY_KEY, m.signing_key)]
    for line, (key, value) in enumerate(rows, start=2):
        put_text(ws, line, 1, key)
        put_text(ws, line, 2, value)
    for table in TABLES:
        ws = wb.create_sheet(table.sheet)
        ws.sheet_state = "veryHidden"
        header = [*table.names, ROW_HASH]
        for column, name in enumerate(header, start=1):
            put_text(ws, 1, column, name)
        for line, row in enumerate(tables[table.sheet], start=2):
            for column, value in enumerate(row, start=1):
                put_text(ws, line, column, value)
            put_text(ws, line, len(header), row_seal(table, row))
