"""Reading a PlanDesk workbook: only the hidden tables, checked cell by cell.

Order of checks: the archive (``safety``), then openpyxl (with defusedxml),
then the manifest (format, version), each table's header, every cell (text
only — a formula where a value belongs is refused), every row's own hash and
finally the digest over everything. The sheets for people are never read.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from desktop.workbooks.machine import (
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST_KEYS,
    MANIFEST_SHEET,
    ROW_HASH,
    TABLES,
    Cell,
    Rows,
    Table,
    WorkbookData,
    WorkbookError,
    data_from_tables,
    digest,
    row_hash,
)
from desktop.workbooks.safety import load_checked

MAX_ROWS = 50_000  # per table; a branch plan has a few hundred


@dataclass(frozen=True, slots=True)
class ChangedRow:
    """A row whose content no longer matches its hash (edited by hand)."""

    sheet: str
    line: int
    key: str

    def describe(self) -> str:
        return f"{self.sheet}!{self.line} ({self.key})"


@dataclass(frozen=True, slots=True)
class CountChange:
    """A table that has more or fewer rows than when it was written."""

    sheet: str
    written: int
    found: int

    def describe(self) -> str:
        return f"{self.sheet} ({self.written} → {self.found})"


class DigestMismatch(WorkbookError):
    """The data was edited after PlanDesk wrote it; says which rows or tables."""

    def __init__(
        self, name: str, rows: list[ChangedRow], counts: list[CountChange] | None = None
    ) -> None:
        counts = counts or []
        if rows:
            listed = ", ".join(r.describe() for r in rows[:10])
            more = f" …(+{len(rows) - 10})" if len(rows) > 10 else ""
            ja = f"「{name}」は作成後に書き換えられています。変更された行: {listed}{more}"
            en = f"'{name}' was changed after it was written. Changed rows: {listed}{more}"
        elif counts:
            listed = ", ".join(c.describe() for c in counts)
            ja = f"「{name}」は作成後に書き換えられています。行が削除または追加された表: {listed}"
            en = f"'{name}' was changed after it was written. Rows deleted or added in: {listed}"
        else:
            ja = (
                f"「{name}」は作成後に書き換えられています（ダイジェスト不一致：{MANIFEST_SHEET} の"
                "情報が変更されたか、行の順序が入れ替えられています）。"
            )
            en = (
                f"'{name}' was changed after it was written (digest mismatch: the "
                f"{MANIFEST_SHEET} data was changed, or rows were reordered)."
            )
        super().__init__(ja, en, rows[0].sheet if rows else counts[0].sheet if counts else "")
        self.rows = rows
        self.counts = counts


def read_workbook(path: str | Path) -> WorkbookData:
    """The data of a PlanDesk workbook, or WorkbookError saying what is wrong."""
    path = Path(path)
    if not openpyxl.DEFUSEDXML:  # e.g. OPENPYXL_DEFUSEDXML=False, or defusedxml missing
        raise WorkbookError(
            "XML の保護（defusedxml）が無効なため、ブックを読み込めません。",
            "Workbooks cannot be read: XML protection (defusedxml) is not active.",
        )
    content = load_checked(path)
    try:
        wb = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=False, keep_links=False
        )
    except Exception as exc:  # openpyxl raises many kinds on damaged files (TRAPS.md)
        raise _unreadable(path.name, exc) from exc
    try:
        # Read-only sheets are parsed while they are read: a damaged sheet fails here.
        return _read(wb, path.name)
    except WorkbookError:
        raise
    except Exception as exc:
        raise _unreadable(path.name, exc) from exc
    finally:
        wb.close()


def _unreadable(name: str, exc: BaseException) -> WorkbookError:
    return WorkbookError(
        f"「{name}」を Excel ブックとして読めません。壊れているか、PlanDesk の形式ではありません"
        f"（{type(exc).__name__}）。",
        f"Cannot read '{name}' as an Excel workbook: it is damaged or not in PlanDesk's "
        f"format ({type(exc).__name__}).",
    )


def sheet_rows(wb: openpyxl.Workbook, sheet: str, width: int, name: str) -> Rows:
    if sheet not in wb.sheetnames:
        raise WorkbookError(
            f"「{name}」に PlanDesk のデータシート「{sheet}」がありません（PlanDesk が書いたファイルではないか、壊れています）。",
            f"'{name}' has no PlanDesk data sheet '{sheet}' (not written by PlanDesk, or damaged).",
        )
    ws = wb[sheet]
    if not hasattr(ws, "reset_dimensions"):  # a chartsheet under a data sheet's name
        raise WorkbookError(
            f"「{name}」のシート「{sheet}」は表ではありません。",
            f"Sheet '{sheet}' of '{name}' is not a worksheet.",
            sheet,
        )
    ws.reset_dimensions()  # never trust a stored <dimension> (TRAPS.md)
    rows: Rows = []
    for line, row in enumerate(ws.iter_rows(max_col=width + 5), start=1):
        if line > MAX_ROWS + 1:
            raise WorkbookError(
                f"シート「{sheet}」の行が多すぎます。",
                f"Sheet '{sheet}' has too many rows.",
            )
        values: list[Cell] = []
        for column, cell in enumerate(row, start=1):
            if getattr(cell, "data_type", None) == "f":
                where = f"{sheet}!{get_column_letter(column)}{line}"
                raise WorkbookError(
                    "値が入るべきセルに数式があります。",
                    "A formula stands where a value belongs.",
                    where,
                )
            value = getattr(cell, "value", None)
            if value is not None and not isinstance(value, str):
                value = str(value)  # a hand-typed number: the row hash will name it
            values.append(value)
        values = (values + [None] * width)[:width] if len(values) < width else values
        if any(v is not None for v in values[width:]):
            raise WorkbookError(
                "データシートの表の外に値があります。",
                "A value stands outside the data table.",
                f"{sheet}!{line}",
            )
        # A blank row stays (its hash no longer matches, which names it); only
        # blank rows after the last value are dropped.
        rows.append(values[:width])
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return rows


def _read(wb: openpyxl.Workbook, name: str) -> WorkbookData:
    manifest_cells = sheet_rows(wb, MANIFEST_SHEET, 2, name)
    manifest: dict[str, Cell] = {}
    for key, value in manifest_cells[1:]:
        if key is not None:
            manifest[key] = value
    if manifest.get("format") != FORMAT_NAME:
        raise WorkbookError(
            f"「{name}」は PlanDesk のブックではありません。",
            f"'{name}' is not a PlanDesk workbook.",
            f"{MANIFEST_SHEET}!format",
        )
    version = manifest.get("format_version")
    if version != str(FORMAT_VERSION):
        raise WorkbookError(
            f"「{name}」の形式の版（{version}）はこの PlanDesk では読めません（対応: {FORMAT_VERSION}）。"
            "PlanDesk を更新してください。",
            f"'{name}' has format version {version}; this PlanDesk reads version "
            f"{FORMAT_VERSION}. Update PlanDesk.",
            f"{MANIFEST_SHEET}!format_version",
        )
    tables: dict[str, Rows] = {}
    headers: dict[str, tuple[str, ...]] = {}
    changed: list[ChangedRow] = []
    for table in TABLES:
        rows = sheet_rows(wb, table.sheet, len(table.all_columns) + 1, name)
        columns = _header(table, rows[0] if rows else [])
        width = len(columns)
        body: Rows = []
        for line, row in enumerate(rows[1:], start=2):
            data, stored = row[:width], row[width]
            if any(v is not None for v in row[width + 1 :]):
                raise WorkbookError(
                    "データシートの表の外に値があります。",
                    "A value stands outside the data table.",
                    f"{table.sheet}!{line}",
                )
            if row_hash(table.sheet, data) != stored:
                changed.append(ChangedRow(table.sheet, line, _row_key(table, data)))
            body.append(data)
        tables[table.sheet] = body
        headers[table.sheet] = columns
    pairs = [(key, manifest.get(key)) for key in MANIFEST_KEYS]
    if changed or digest(pairs, tables, headers) != manifest.get("digest"):
        raise DigestMismatch(name, changed, _count_changes(manifest.get("row_counts"), tables))
    return data_from_tables(manifest, tables)


def _header(table: Table, row: list[Cell]) -> tuple[str, ...]:
    """The table's columns as the header row names them (older files lack the
    optional ones); WorkbookError for any other header."""
    for columns in table.headers():
        expected = [*columns, ROW_HASH]
        if row[: len(expected)] == expected and all(v is None for v in row[len(expected) :]):
            return columns
    raise WorkbookError(
        f"シート「{table.sheet}」の見出し行が違います。",
        f"The header row of sheet '{table.sheet}' is wrong.",
        f"{table.sheet}!1",
    )


def _count_changes(stored: Cell, tables: dict[str, Rows]) -> list[CountChange]:
    try:
        counts = json.loads(stored or "{}")
    except (ValueError, RecursionError):
        return []
    if not isinstance(counts, dict):
        return []
    out = []
    for table in TABLES:
        written = counts.get(table.sheet)
        found = len(tables.get(table.sheet, []))
        if isinstance(written, int) and written != found:
            out.append(CountChange(table.sheet, written, found))
    return out


def _row_key(table: Table, row: list[Cell]) -> str:
    first = row[0] if row else None
    return f"{table.columns[0]}={first}"
