"""What a workbook says it is, from its manifest alone: cheap, and NOT verified.

HQ's board uses it to choose the fiscal year and period a folder is for before
the files are checked; nothing read here is ever counted. The archive passes
the same safety checks as a full read; then only the manifest sheet is parsed
(no styles, no other sheet, no row hashes, no digest): about a tenth of the
time of ``read_workbook`` on a demo submission.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from openpyxl.reader.excel import ExcelReader
from openpyxl.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from desktop.workbooks.machine import (
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST_SHEET,
    Cell,
    Manifest,
    WorkbookError,
    _manifest,
)
from desktop.workbooks.reader import _unreadable, sheet_rows
from desktop.workbooks.safety import load_checked


def peek_manifest(path: str | Path) -> Manifest:
    """The manifest of a PlanDesk workbook, unverified; WorkbookError when the file
    is not one (or cannot be read)."""
    path = Path(path)
    if not openpyxl.DEFUSEDXML:
        raise WorkbookError(
            "XML の保護（defusedxml）が無効なため、ブックを読み込めません。",
            "Workbooks cannot be read: XML protection (defusedxml) is not active.",
        )
    content = load_checked(path)
    try:
        wb = _manifest_only(content)
    except WorkbookError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged files (TRAPS.md)
        raise _unreadable(path.name, exc) from exc
    try:
        rows = sheet_rows(wb, MANIFEST_SHEET, 2, path.name)
        values: dict[str, Cell] = {key: value for key, value in rows[1:] if key is not None}
        if values.get("format") != FORMAT_NAME or values.get("format_version") != str(
            FORMAT_VERSION
        ):
            raise WorkbookError(
                f"「{path.name}」は PlanDesk のブックではありません。",
                f"'{path.name}' is not a PlanDesk workbook.",
                f"{MANIFEST_SHEET}!format",
            )
        return _manifest(values)
    except WorkbookError:
        raise
    except Exception as exc:
        raise _unreadable(path.name, exc) from exc
    finally:
        wb.close()


def _manifest_only(content: bytes) -> Workbook:
    """A read-only workbook holding just the manifest sheet. ``load_workbook`` would
    also parse the styles and scan every sheet for its size (two thirds of its
    time on a submission); the steps kept here are its own, in its order."""
    reader = ExcelReader(io.BytesIO(content), read_only=True, data_only=False, keep_links=False)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    for sheet, rel in reader.parser.find_sheets():
        if sheet.name == MANIFEST_SHEET and rel.target in reader.valid_files:
            if "chartsheet" in rel.Type:
                break  # sheet_rows names a chartsheet under a data sheet's name
            worksheet = ReadOnlyWorksheet(reader.wb, sheet.name, rel.target, reader.shared_strings)
            reader.wb._sheets.append(worksheet)
            break
    return reader.wb
