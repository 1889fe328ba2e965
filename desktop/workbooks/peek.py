"""What a workbook says it is, from its manifest alone: cheap, and NOT verified.

HQ's board uses it to choose the fiscal year and period a folder is for before
the files are checked; nothing read here is ever counted. The archive passes
the same safety checks as a full read; then only the manifest sheet is parsed
(no other sheet, no row hashes, no digest, no printed pages).
"""

from __future__ import annotations

from pathlib import Path

from desktop.workbooks.machine import (
    FORMAT_NAME,
    MANIFEST_SHEET,
    READABLE_VERSIONS,
    Cell,
    Manifest,
    WorkbookError,
)
from desktop.workbooks.reader import table_rows, unreadable
from desktop.workbooks.row_codec import manifest_from_cells
from desktop.workbooks.safety import load_checked_parts
from desktop.workbooks.xlsx_cells import Book


def peek_manifest(path: str | Path) -> Manifest:
    """The manifest of a PlanDesk workbook, unverified; WorkbookError when the file
    is not one (or cannot be read)."""
    path = Path(path)
    parts = load_checked_parts(path)
    try:
        rows = table_rows(Book(parts), MANIFEST_SHEET, 2, path.name, ("key", "value"))
        values: dict[str, Cell] = {key: value for key, value in rows[1:] if key is not None}
        readable = {str(v) for v in READABLE_VERSIONS}
        if values.get("format") != FORMAT_NAME or values.get("format_version") not in readable:
            raise WorkbookError(
                f"「{path.name}」は PlanDesk のブックではありません。",
                f"'{path.name}' is not a PlanDesk workbook.",
                cell=f"{MANIFEST_SHEET}!format",
            )
        return manifest_from_cells(values)
    except WorkbookError:
        raise
    except Exception as exc:  # a damaged part: fuzzed files raise a dozen kinds of error
        raise unreadable(path.name, exc) from exc
