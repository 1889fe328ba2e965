"""Reading a PlanDesk workbook: the hidden tables, checked cell by cell, and the
printed sheets, checked against what PlanDesk printed.

Order of checks: the archive (``safety``: sizes, member names, XML traps),
then the workbook's parts (``xlsx_cells``, expat), the manifest (format,
version), each table's header, every cell (text only — a formula where a value
belongs is refused), every row's own hash, the digest over everything, every
value (``row_codec.data_from_tables``) and finally the printed sheets
(``printed``): they must say what the sealed ``_pages`` table says.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.workbooks import printed
from desktop.workbooks.hidden_tables import (
    PAGES,
    SIGNATURE_KEY,
    SIGNING_KEY_KEY,
    Table,
    field_words,
    manifest_keys,
    table_words,
    tables_for,
)
from desktop.workbooks.machine import (
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST_SHEET,
    READABLE_VERSIONS,
    ROW_HASH,
    Cell,
    ChangedAfterWriting,
    Manifest,
    Rows,
    WorkbookData,
    WorkbookError,
)
from desktop.workbooks.places import Names
from desktop.workbooks.row_codec import data_from_tables
from desktop.workbooks.safety import load_checked_parts
from desktop.workbooks.seals import changed_columns, checked_digest, seal_matches
from desktop.workbooks.xlsx_cells import Book, TooManyRows, column_letter

__all__ = ["ChangedAfterWriting", "DigestMismatch", "read_workbook", "table_rows"]

MAX_ROWS = 50_000  # per table; a branch plan has a few hundred
_MANIFEST_HEADER = ("key", "value")  # as the writer writes it


@dataclass(frozen=True, slots=True)
class ChangedRow:
    """A row whose content no longer matches its hash (edited by hand)."""

    sheet: str
    line: int
    key: str
    subject_ja: str = ""
    subject_en: str = ""
    columns: tuple[str, ...] = ()  # the fields whose own hash no longer matches

    def describe(self, lang: str = "ja") -> str:
        fields = [field_words(self.sheet, c)[0 if lang == "ja" else 1] for c in self.columns]
        if lang == "ja":
            subject = self.subject_ja or f"{self.sheet} {self.line}行目"
            return f"{subject}の「{'・'.join(fields)}」" if fields else subject
        subject = self.subject_en or f"{self.sheet} row {self.line}"
        return f"{', '.join(fields)} of {subject}" if fields else subject


@dataclass(frozen=True, slots=True)
class CountChange:
    """A table that has more or fewer rows than when it was written."""

    sheet: str
    written: int
    found: int

    def describe(self, lang: str = "ja") -> str:
        words = table_words(self.sheet)
        return f"{words[0 if lang == 'ja' else 1]} ({self.written} → {self.found})"


class DigestMismatch(ChangedAfterWriting):
    """The data was edited after PlanDesk wrote it; says which rows or tables."""

    def __init__(
        self, name: str, rows: list[ChangedRow], counts: list[CountChange] | None = None
    ) -> None:
        counts = counts or []
        if rows:

            def listed(lang: str) -> str:
                more = f" …(+{len(rows) - 10})" if len(rows) > 10 else ""
                sep = "、" if lang == "ja" else "; "
                return sep.join(r.describe(lang) for r in rows[:10]) + more

            ja = f"「{name}」は作成後に書き換えられています。変更された内容: {listed('ja')}"
            en = f"'{name}' was changed after it was written. Changed: {listed('en')}"
        elif counts:
            ja = (
                f"「{name}」は作成後に書き換えられています。行が削除または追加された表: "
                + "、".join(c.describe("ja") for c in counts)
            )
            en = f"'{name}' was changed after it was written. Rows deleted or added in: " + (
                "; ".join(c.describe("en") for c in counts)
            )
        else:
            ja = (
                f"「{name}」は作成後に書き換えられています（確認用の値が一致しません。"
                "支部・年度・作成者・決裁などのファイルの基本情報が変更されたか、"
                "行の順序が入れ替えられています）。"
            )
            en = (
                f"'{name}' was changed after it was written (the digest does not match: the "
                "file's basic data — branch, year, author, sign-off — was changed, or rows "
                "were reordered)."
            )
        first = rows[0] if rows else None
        super().__init__(
            ja,
            en,
            cell=(
                f"{first.sheet}!{first.line}"
                if first
                else counts[0].sheet
                if counts
                else MANIFEST_SHEET
            ),
        )
        self.rows = rows
        self.counts = counts


# Whether a file's signature vouches for its sealed record of the printed pages
# (desktop/services/signatures.py ``vouches_for``): asked once the digest matched.
Vouched = Callable[[Manifest], bool]


def read_workbook(path: str | Path, vouched: Vouched | None = None) -> WorkbookData:
    """The data of a PlanDesk workbook, or WorkbookError saying what is wrong.

    Files of format version 1 (before the printed sheets were sealed) are read;
    their printed sheets cannot be checked, which ``verify`` and HQ's
    consolidation say (``manifest.format_version``).

    ``vouched(manifest)``, asked after the row hashes and the digest matched: True
    when a valid signature vouches for the sealed record of the printed pages, so
    they are not laid out again from the data (the printed cells are still compared
    with the record; docs/TRUST.md)."""
    path = Path(path)
    parts = load_checked_parts(path)
    try:
        return _read(Book(parts), path.name, vouched)
    except WorkbookError:
        raise
    except Exception as exc:  # a damaged part: fuzzed files raise a dozen kinds of error
        raise unreadable(path.name, exc) from exc


def unreadable(name: str, exc: BaseException) -> WorkbookError:
    return WorkbookError(
        f"「{name}」を Excel ブックとして読めません。壊れているか、PlanDesk の形式ではありません"
        f"（{type(exc).__name__}）。",
        f"Cannot read '{name}' as an Excel workbook: it is damaged or not in PlanDesk's "
        f"format ({type(exc).__name__}).",
        cell=str(exc)[:200],
    )


def table_rows(book: Book, sheet: str, width: int, name: str, columns: Sequence[str] = ()) -> Rows:
    """The rows of a hidden table (header included), ``width`` cells each: text or
    None. A formula, or a value right of the table, is refused; ``columns`` name
    the fields in the message."""
    entry = book.entry(sheet)
    words_ja, words_en = table_words(sheet)
    if entry is None:
        raise WorkbookError(
            f"「{name}」に PlanDesk のデータ（{words_ja}）がありません"
            "（PlanDesk が書いたファイルではないか、壊れています）。",
            f"'{name}' has no PlanDesk data sheet for {words_en} (not written by PlanDesk, "
            "or damaged).",
            cell=sheet,
        )
    if entry.part is None:  # a chartsheet under a data sheet's name
        raise WorkbookError(
            f"「{name}」のデータ（{words_ja}）のシートが表ではありません（壊れています）。",
            f"The data sheet for {words_en} in '{name}' is not a worksheet (damaged).",
            cell=sheet,
        )
    quick = book.table(entry, width, MAX_ROWS + 1)
    if quick is not None:  # PlanDesk's own flat rows: as the cells below would give them
        return quick
    try:
        cells = book.sheet(entry, MAX_ROWS + 1).cells
    except TooManyRows as exc:
        raise WorkbookError(
            f"「{name}」のデータ（{words_ja}）の行が多すぎます。",
            f"The data for {words_en} in '{name}' has too many rows.",
            cell=f"{sheet}!{exc.row}",
        ) from exc
    last = max((row for row, _column in cells), default=0)
    rows: Rows = [[None] * width for _ in range(last)]
    for (row, column), value in cells.items():
        if value.formula:
            field_ja, field_en = (
                field_words(sheet, columns[column - 1]) if column <= len(columns) else ("", "")
            )
            raise WorkbookError(
                f"「{name}」のデータ（{words_ja}）の {row - 1} 件目の「{field_ja}」に数式が"
                "あります（値が入るべきところです。作成後に書き換えられています）。",
                f"The data for {words_en} in '{name}' has a formula in the {field_en} of "
                f"record {row - 1}, where a value belongs (changed after it was written).",
                cell=f"{sheet}!{column_letter(column)}{row}",
            )
        if column > width:
            raise WorkbookError(
                f"「{name}」のデータ（{words_ja}）の {row - 1} 件目で、表の外に値があります"
                "（作成後に書き換えられています）。",
                f"The data for {words_en} in '{name}' has a value outside its table in record "
                f"{row - 1} (changed after it was written).",
                cell=f"{sheet}!{row}",
            )
        rows[row - 1][column - 1] = value.text
    # A blank row stays (its hash no longer matches, which names it); only blank
    # rows after the last value are gone already.
    return rows


def _read(book: Book, name: str, vouched: Vouched | None = None) -> WorkbookData:
    manifest_cells = table_rows(book, MANIFEST_SHEET, 2, name, _MANIFEST_HEADER)
    # The header is checked like every table's: no cell of a sealed file may change.
    if not manifest_cells or manifest_cells[0] != list(_MANIFEST_HEADER):
        words_ja, words_en = table_words(MANIFEST_SHEET)
        raise WorkbookError(
            f"「{name}」のデータ（{words_ja}）の見出し行が違います（作成後に書き換えられて"
            "います）。",
            f"The header row of the data for {words_en} in '{name}' is wrong (changed "
            "after it was written).",
            cell=f"{MANIFEST_SHEET}!1",
        )
    manifest: dict[str, Cell] = {}
    keys: list[Cell] = []
    for key, value in manifest_cells[1:]:
        keys.append(key)
        if key is not None:
            manifest[key] = value
    if manifest.get("format") != FORMAT_NAME:
        raise WorkbookError(
            f"「{name}」は PlanDesk のブックではありません。",
            f"'{name}' is not a PlanDesk workbook.",
            cell=f"{MANIFEST_SHEET}!format",
        )
    version_cell = manifest.get("format_version")
    version = int(version_cell) if version_cell in {str(v) for v in READABLE_VERSIONS} else None
    if version is None:
        raise WorkbookError(
            f"「{name}」の形式の版（{version_cell}）はこの PlanDesk では読めません"
            f"（対応: {FORMAT_VERSION}）。PlanDesk を更新してください。",
            f"'{name}' has format version {version_cell}; this PlanDesk reads version "
            f"{FORMAT_VERSION}. Update PlanDesk.",
            cell=f"{MANIFEST_SHEET}!format_version",
        )
    _check_manifest_keys(keys, version, name)
    tables: dict[str, Rows] = {}
    seals: dict[str, list[Cell]] = {}
    for table in tables_for(version):
        width = len(table.columns) + 1
        header = [*table.names, ROW_HASH]
        rows = table_rows(book, table.sheet, width, name, header)
        if not rows or rows[0] != header:
            words_ja, words_en = table.words
            raise WorkbookError(
                f"「{name}」のデータ（{words_ja}）の見出し行が違います（作成後に書き換えられて"
                "います）。",
                f"The header row of the data for {words_en} in '{name}' is wrong (changed "
                "after it was written).",
                cell=f"{table.sheet}!1",
            )
        tables[table.sheet] = [row[:-1] for row in rows[1:]]
        seals[table.sheet] = [row[-1] for row in rows[1:]]
    pairs = [(key, manifest.get(key)) for key in manifest_keys(version)]
    value, changed_at = checked_digest(pairs, tables, seals, version)
    if changed_at or value != manifest.get("digest"):
        changed = _changed_rows(tables, seals, version)
        raise DigestMismatch(name, changed, _count_changes(manifest.get("row_counts"), tables))
    data = data_from_tables(manifest, tables)
    if version >= 2:
        signed = vouched is not None and vouched(data.manifest)
        printed.check(book, tables[PAGES.sheet], data, name, lay_out_again=not signed)
    return data


def _check_manifest_keys(keys: list[Cell], version: int, name: str) -> None:
    """Each key the writer writes, at most once, and no other: the reader looks up
    the keys it knows, so a key renamed, emptied or written twice would otherwise
    change a cell without changing what is read (a key of a newer release fails the
    digest anyway, which covers the keys this release knows)."""
    known = {*manifest_keys(version), "digest", SIGNATURE_KEY, SIGNING_KEY_KEY}
    seen: set[str] = set()
    for line, key in enumerate(keys, start=2):
        if key in seen or key not in known:
            words_ja, words_en = table_words(MANIFEST_SHEET)
            raise WorkbookError(
                f"「{name}」のデータ（{words_ja}）の {line} 行目の項目名（{key}）は PlanDesk の"
                "書くものではありません（作成後に書き換えられています）。",
                f"Row {line} of the data for {words_en} in '{name}' has a key PlanDesk does "
                f"not write ({key}): changed after it was written.",
                cell=f"{MANIFEST_SHEET}!A{line}",
            )
        seen.add(key)


def _changed_rows(
    tables: dict[str, Rows], seals: dict[str, list[Cell]], version: int
) -> list[ChangedRow]:
    names: Names | None = None
    changed: list[ChangedRow] = []
    for table in tables_for(version):
        for line, (row, seal) in enumerate(
            zip(tables[table.sheet], seals[table.sheet], strict=True), start=2
        ):
            if seal_matches(table, row, seal):
                continue
            names = names or Names(tables)
            if row and row[0] is not None:
                ja, en = names.row(table, row)
            else:  # a row emptied by hand: only its place is left
                words_ja, words_en = table.words
                ja, en = f"{words_ja}の {line - 1} 件目", f"record {line - 1} of {words_en}"
            columns = tuple(changed_columns(table, row, seal))
            changed.append(ChangedRow(table.sheet, line, _row_key(table, row), ja, en, columns))
    return changed


def _count_changes(stored: Cell, tables: dict[str, Rows]) -> list[CountChange]:
    try:
        counts = json.loads(stored or "{}")
    except (ValueError, RecursionError):
        return []
    if not isinstance(counts, dict):
        return []
    out = []
    for sheet, rows in tables.items():
        written = counts.get(sheet)
        if isinstance(written, int) and written != len(rows):
            out.append(CountChange(sheet, written, len(rows)))
    return out


def _row_key(table: Table, row: list[Cell]) -> str:
    first = row[0] if row else None
    return f"{table.names[0]}={first}"
