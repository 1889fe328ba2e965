"""Checking that the printed sheets still say what PlanDesk printed.

People at HQ read the cover, the report table and the KPI table; import reads
the hidden tables. The ``_pages`` table (sealed by the digest) holds, for every
printed row, a fingerprint of each cell's text, and of the header and footer.
That table is first compared with the pages laid out again from the file's data
(as the file's print layout laid them out: ``machine.LAID_OUT_AGAIN``), so a record
re-sealed to match edited pages is caught; then the sheets of the file are compared with it:

- the visible sheets are exactly PlanDesk's, in order; no other sheet exists,
  no print area hides part of one;
- every printed cell says what was printed (compared after what re-saving
  legitimately changes: shared or inline strings, rich-text runs, \\r\\n), is
  text (not a number or a formula), and no other cell shows text;
- no row or column with text is hidden, no number format or conditional
  format makes a cell show something else, no phonetic guide is added;
- the header and footer say the same (their formatting codes aside).

The first difference, in printed order, is named in words: the sheet, the
section or KPI (or cover field) and the column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.workbooks.cell_codecs import decode_text
from desktop.workbooks.cell_text import UNWRITABLE, printable
from desktop.workbooks.hidden_tables import TABLES
from desktop.workbooks.machine import (
    MANIFEST_SHEET,
    ChangedAfterWriting,
    Rows,
    WorkbookData,
    WorkbookError,
    print_not_provable,
)
from desktop.workbooks.print_sheets import (
    COVER_SHEET,
    DIGEST_MARK,
    HEADER_SUBJECT,
    WORDS_EN,
    build_pages,
    seal_rows,
    text_seal,
)
from desktop.workbooks.xlsx_cells import (
    MAX_ROW,
    Book,
    CellValue,
    SheetCells,
    column_letter,
    column_number,
    header_sections,
    text_section_hides,
)

_SEAL = r"[A-Z]{1,3}:(?:[0-9a-f]{16}|" + DIGEST_MARK + ")"
_SEALED_CELLS = re.compile(f"(?:{_SEAL})(?: {_SEAL})*", re.ASCII)
_MACHINE_SHEETS = {MANIFEST_SHEET, *(t.sheet for t in TABLES)}
_SECTIONS = {"L": ("左", "left"), "C": ("中央", "centre"), "R": ("右", "right")}
_SNIPPET = 30


@dataclass(frozen=True, slots=True)
class _Row:
    subject: str


@dataclass(slots=True)
class _Sheet:
    rows: dict[int, _Row]
    seals: dict[tuple[int, int], str]  # (row, column) → seal (or DIGEST_MARK)
    header: dict[str, str]  # section → seal
    footer: dict[str, str]
    shows_digest: set[tuple[int, int]]  # the cells sealed as DIGEST_MARK

    def row_seals(self) -> dict[int, dict[int, str]]:
        """The seals by row, then column."""
        out: dict[int, dict[int, str]] = {}
        for (row, column), seal in self.seals.items():
            out.setdefault(row, {})[column] = seal
        return out


class PrintedPageMismatch(ChangedAfterWriting):
    """A printed sheet no longer says what PlanDesk printed; names the place in words."""

    def __init__(
        self, name: str, sheet: str, ja: str, en: str, *, ref: str = "", subject: str = ""
    ) -> None:
        where = f"{sheet}!{ref}" if ref else sheet
        super().__init__(
            f"「{name}」の印刷される内容が、PlanDesk が書いたときと違います"
            f"（作成後に書き換えられています）：{ja}"
            "印刷用のシートでの変更は取り込まれません。PlanDesk で入力して書き出し直してください。",
            f"The printed sheets of '{name}' no longer say what PlanDesk wrote (changed "
            f"after it was written): {en} Changes on the printed sheets are never imported: "
            "enter them in PlanDesk and export again.",
            where,
        )
        self.sheet = sheet
        self.ref = ref
        self.subject = subject


def _snippet(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= _SNIPPET else text[: _SNIPPET - 1] + "…"


_COLUMN_NUMBERS: dict[str, int] = {}  # "AB" → 28; at most 26³ keys (_SEALED_CELLS)


def _sealed(rows: Rows, name: str) -> dict[str, _Sheet]:
    """The sealed rows by sheet, in the order the sheets were printed."""
    sheets: dict[str, _Sheet] = {}
    numbers = _COLUMN_NUMBERS
    for sheet, row, subject, cells in rows:
        page = sheets.get(str(sheet))
        if page is None:
            page = sheets[str(sheet)] = _Sheet({}, {}, {}, {}, set())
        if cells and not _SEALED_CELLS.fullmatch(cells):
            raise _damaged(name)
        found = [part.split(":") for part in cells.split(" ")] if cells else []
        if row in ("header", "footer"):
            parts = {k: v for k, v in found if k in _SECTIONS}
            if len(parts) != len(found):
                raise _damaged(name)
            setattr(page, row, parts)
            continue
        try:
            number = int(str(row))
            for letters, _seal in found:
                if letters not in numbers:
                    numbers[letters] = column_number(letters)
        except ValueError as exc:
            raise _damaged(name) from exc
        if not 1 <= number <= MAX_ROW:  # a row a sheet can have
            raise _damaged(name)
        if number in page.rows:  # a row sealed twice: the later stands, as a whole
            for place in [p for p in page.seals if p[0] == number]:
                del page.seals[place]
                page.shows_digest.discard(place)
        page.rows[number] = _Row(decode_text(subject) or "")
        for letters, seal in found:
            place = (number, numbers[letters])
            page.seals[place] = seal
            if seal == DIGEST_MARK:
                page.shows_digest.add(place)
            else:
                page.shows_digest.discard(place)
    return sheets


def _damaged(name: str) -> WorkbookError:
    return WorkbookError(
        f"「{name}」の印刷内容の記録（_pages）を読めません（壊れています）。",
        f"The record of the printed sheets (_pages) of '{name}' cannot be read (damaged).",
        cell="_pages",
    )


def check(
    book: Book, rows: Rows, data: WorkbookData, name: str, *, lay_out_again: bool = True
) -> None:
    """Raise PrintedPageMismatch unless the printed sheets of ``book`` say what
    ``rows`` (the sealed ``_pages`` table) says, and — when the file was laid out
    as this PlanDesk lays pages out — ``rows`` is what ``data`` prints as: then
    the printed sheets provably say what the data says, whoever re-sealed it.
    ``lay_out_again=False`` (a valid signature vouches for ``rows``: only its
    signer could have made them disagree with the data; docs/TRUST.md) skips the
    second half."""
    expected = _sealed(rows, name)
    if lay_out_again and print_not_provable(data.manifest) is None:
        _check_laid_out(rows, seal_rows(build_pages(data)), name)
    _check_sheets(book, list(expected), name)
    disguised: dict[int, bool] = {}  # style → shows a text cell as other text (per file)
    for entry in book.sheets:
        if entry.name in expected:
            sheet = book.sheet(entry)
            _Check(
                name, entry.name, expected[entry.name], sheet, book, data.manifest.digest, disguised
            ).run()


def _check_laid_out(rows: Rows, laid_out: Rows, name: str) -> None:
    """The sealed record of the pages against the pages laid out again from the data:
    the first difference is named by its sheet and what the row is about."""
    if rows == laid_out:
        return
    index = next(
        (i for i, (a, b) in enumerate(zip(rows, laid_out, strict=False)) if a != b),
        min(len(rows), len(laid_out)),
    )
    row = (laid_out if index < len(laid_out) else rows)[index]
    sheet, subject = str(row[0]), decode_text(row[2]) or ""
    where_ja = f"シート「{sheet}」" + (f"の「{_snippet(subject)}」" if subject else "")
    where_en = f"sheet {sheet}" + (f", 「{_snippet(subject)}」" if subject else "")
    if subject in WORDS_EN and WORDS_EN[subject] != subject:
        where_en += f" ({WORDS_EN[subject]})"
    raise PrintedPageMismatch(
        name,
        sheet,
        f"{where_ja}に印刷される内容が、ファイルのデータと一致しません"
        "（データか印刷内容の記録が書き換えられています）。",
        f"what {where_en} prints does not match the file's data (its data or the record "
        "of its printed sheets was changed).",
        subject=subject,
    )


def _check_sheets(book: Book, printed: list[str], name: str) -> None:
    visible = [e.name for e in book.sheets if e.state not in ("hidden", "veryHidden")]
    for entry in book.sheets:
        if entry.name not in printed and entry.name not in _MACHINE_SHEETS:
            raise PrintedPageMismatch(
                name,
                entry.name,
                f"PlanDesk の書いていないシート「{entry.name}」が追加されています。",
                f"a sheet PlanDesk did not write, '{entry.name}', was added.",
            )
    for sheet in visible:
        if sheet not in printed:  # one of the data sheets, made visible
            raise PrintedPageMismatch(
                name,
                sheet,
                f"データ用の非表示のシート「{sheet}」が表示されています。",
                f"the hidden data sheet '{sheet}' was made visible.",
            )
    for sheet in printed:
        if sheet not in visible:
            raise PrintedPageMismatch(
                name,
                sheet,
                f"印刷されるシート「{sheet}」がないか、非表示にされています。",
                f"the printed sheet '{sheet}' is missing or hidden.",
            )
    if visible != printed:
        raise PrintedPageMismatch(
            name,
            visible[0],
            f"シートの順序が変えられています（{'・'.join(visible)}）。",
            f"the sheets were reordered ({', '.join(visible)}).",
        )
    for entry in book.sheets:
        if entry.name in printed and ({entry.index, -1} & book.print_areas):
            raise PrintedPageMismatch(
                name,
                entry.name,
                f"シート「{entry.name}」に印刷範囲が設定され、一部が印刷されません。",
                f"a print area was set on the sheet '{entry.name}': part of it does not print.",
            )


class _Check:
    """One printed sheet against its sealed rows."""

    def __init__(
        self,
        name: str,
        sheet: str,
        sealed: _Sheet,
        cells: SheetCells,
        book: Book,
        digest: str,
        disguised: dict[int, bool] | None = None,
    ) -> None:
        self.name, self.sheet, self.sealed, self.file = name, sheet, sealed, cells
        self.book, self.digest = book, digest
        self._found: dict[int, dict[int, CellValue]] | None = None
        self.header_row = next(
            (r for r, row in sealed.rows.items() if row.subject == HEADER_SUBJECT), None
        )
        # style → shows a text cell as other text
        self.disguised: dict[int, bool] = {} if disguised is None else disguised

    @property
    def found(self) -> dict[int, dict[int, CellValue]]:
        """The file's cells by row, then column (made when a cell is looked at alone)."""
        if self._found is None:
            self._found = {}
            for (row, column), value in self.file.cells.items():
                self._found.setdefault(row, {})[column] = value
        return self._found

    def fail(self, row: int, column: int, ja: str, en: str) -> PrintedPageMismatch:
        place_ja, place_en = self.place(row, column)
        ref = f"{column_letter(column)}{row}" if column else f"{row}:{row}"
        subject = self.sealed.rows[row].subject if row in self.sealed.rows else ""
        return PrintedPageMismatch(
            self.name,
            self.sheet,
            f"{place_ja}{ja}",
            f"{place_en} {en}",
            ref=ref,
            subject=subject,
        )

    def place(self, row: int, column: int) -> tuple[str, str]:
        """The sheet, what the row is about and the column, in words."""
        ja = f"シート「{self.sheet}」"
        en = f"sheet {self.sheet}"
        sealed = self.sealed.rows.get(row)
        subject = sealed.subject if sealed else ""
        if subject:
            ja += f"の「{_snippet(subject)}」"
            en += f", 「{_snippet(subject)}」"
            if subject in WORDS_EN and WORDS_EN[subject] != subject:
                en += f" ({WORDS_EN[subject]})"
        else:
            ja += f"の {row} 行目"
            en += f", row {row}"
        field = self.field(row, column)
        if field and field != subject:
            ja += f"の「{field}」"
            en += f", column {field}" + (f" ({WORDS_EN[field]})" if field in WORDS_EN else "")
        return ja, en

    def field(self, row: int, column: int) -> str:
        if not column or self.sheet == COVER_SHEET or self.header_row is None:
            return ""
        if row == self.header_row:
            return ""
        title = self.found.get(self.header_row, {}).get(column)
        return title.text if title is not None and title.text else ""

    def run(self) -> None:
        self.check_sheet_wide()
        self.check_header_footer()
        if not self.all_as_sealed():
            self.cell_by_cell()

    def all_as_sealed(self) -> bool:
        """Whether every cell of the sheet passes every check of ``check_cell``,
        decided for the whole sheet at once (every printed cell of every file HQ reads
        comes here): the same cells as sealed, each a shown text with no formula, in
        a style that shows it as it is, and the seals of the texts equal to the sealed
        ones — compared as two dicts, in C. False leaves the verdict, and the naming of
        the first fault, to ``cell_by_cell``."""
        file, sealed = self.file, self.sealed
        if file.hidden_rows or file.hidden_columns or file.rows_hidden_by_default:
            return False
        cells = file.cells
        if cells.keys() != sealed.seals.keys():
            return False
        values = cells.values()
        if any(v.kind != "s" or v.formula or not v.text for v in values):
            return False
        disguised = self.disguised
        for style in {v.style for v in values}:
            verdict = disguised.get(style)
            if verdict is None:
                verdict = disguised[style] = _shows_other_text(self.book, style)
            if verdict:
                return False
        texts = "\n".join(v.text for v in values)
        if "\r" in texts or UNWRITABLE.search(texts):
            return False  # a text that prints otherwise than stored (``printable``)
        found = {place: text_seal(value.text) for place, value in cells.items()}
        for place in sealed.shows_digest:
            if cells[place].text != self.digest:
                return False
            found[place] = DIGEST_MARK
        return found == sealed.seals

    def cell_by_cell(self) -> None:
        """Each cell in printed order, the first fault named."""
        sealed_rows = self.sealed.row_seals()
        # Every sealed cell's row is a sealed row: the rows sealed and the rows found.
        rows = sorted(set(self.sealed.rows) | set(self.found))
        file, digest, disguised = self.file, self.digest, self.disguised
        hidden_columns: dict[int, bool] = {}
        for row in rows:
            found = self.found.get(row, {})
            seals = sealed_rows.get(row, {})
            shown = not file.row_hidden(row)
            for column in sorted(set(seals) | set(found)):
                seal = seals.get(column)
                value = found.get(column)
                # A cell that passes every check of check_cell, decided inline (every
                # printed cell of every file comes here); any other goes through
                # check_cell, which names its first fault in the same order as ever.
                if (
                    shown
                    and seal is not None
                    and value is not None
                    and value.text
                    and not value.formula
                    and value.kind == "s"
                ):
                    text = printable(value.text)
                    hidden = hidden_columns.get(column)
                    if hidden is None:
                        hidden = hidden_columns[column] = file.column_hidden(column)
                    if (
                        (text == digest if seal == DIGEST_MARK else text_seal(text) == seal)
                        and not hidden
                        and disguised.get(value.style) is False
                    ):
                        continue
                self.check_cell(row, column, seal, found)

    def check_sheet_wide(self) -> None:
        ja = en = ""
        if self.file.data_parts != 1:
            ja, en = "の表の部分が壊れています。", "has a damaged table part."
        elif self.file.conditional_formats:
            ja = "に条件付き書式が設定されています（表示される内容が変わります）。"
            en = "has conditional formats (they change what cells show)."
        elif self.file.phonetic:
            ja, en = "にふりがなが加えられています。", "has phonetic guides added."
        if ja:
            raise PrintedPageMismatch(
                self.name, self.sheet, f"シート「{self.sheet}」{ja}", f"the sheet {self.sheet} {en}"
            )

    def check_header_footer(self) -> None:
        stored = self.file.header_footer
        parts = [("Header", "ヘッダー", "header"), ("Footer", "フッター", "footer")]
        for kind, kind_ja, kind_en in parts:
            expected = getattr(self.sealed, kind.lower())
            variants = ["odd"]
            if self.file.different_odd_even:
                variants.append("even")
            if self.file.different_first:
                variants.append("first")
            for variant in variants:
                found = header_sections(stored.get(f"{variant}{kind}", ""))
                for section, (sec_ja, sec_en) in _SECTIONS.items():
                    text = found[section]
                    seal = expected.get(section)
                    if (seal is None and not text) or (seal and text_seal(text) == seal):
                        continue
                    raise PrintedPageMismatch(
                        self.name,
                        self.sheet,
                        f"シート「{self.sheet}」の{kind_ja}（{sec_ja}）が変えられています"
                        f"（「{_snippet(text)}」）。",
                        f"the {kind_en} ({sec_en}) of the sheet {self.sheet} was changed "
                        f"('{_snippet(text)}').",
                    )

    def check_cell(self, row: int, column: int, seal: str | None, found: dict) -> None:
        value = found.get(column)
        text = printable(value.text) if value is not None and value.text else None
        if value is not None and value.formula:
            raise self.fail(row, column, "に数式が入れられています。", "holds a formula.")
        if seal is None:
            if text is not None:
                raise self.fail(
                    row,
                    column,
                    f"に文字が書き加えられています（「{_snippet(text)}」）。",
                    f"has text added: '{_snippet(text)}'.",
                )
            return
        if text is None:
            raise self.fail(row, column, "の文字が消されています。", "was emptied.")
        if value.kind != "s":
            raise self.fail(
                row,
                column,
                f"が文字でなく数値などに変えられています（「{_snippet(text)}」）。",
                f"was turned into a number or another non-text value ('{_snippet(text)}').",
            )
        matches = text == self.digest if seal == DIGEST_MARK else text_seal(text) == seal
        if not matches:
            raise self.fail(
                row,
                column,
                f"が書き換えられています（印刷される文字:「{_snippet(text)}」）。",
                f"was changed; it prints '{_snippet(text)}'.",
            )
        if self.file.row_hidden(row):
            raise self.fail(row, 0, "の行が非表示にされています。", "was hidden.")
        if self.file.column_hidden(column):
            raise self.fail(row, column, "の列が非表示にされています。", "is in a hidden column.")
        disguised = self.disguised.get(value.style)
        if disguised is None:
            disguised = self.disguised[value.style] = _shows_other_text(self.book, value.style)
        if disguised:
            raise self.fail(
                row,
                column,
                "に、別の文字を表示させる表示形式が設定されています。",
                "has a number format that shows something else.",
            )


def _shows_other_text(book: Book, style: int) -> bool:
    """Whether the cell style's number format shows a text cell as other text."""
    styles = book.styles()
    if not styles.number_formats and style == 0:
        return False
    if style >= len(styles.number_formats):
        return True  # a style the file does not define: not what any program writes
    code = styles.custom.get(styles.number_formats[style])
    return code is not None and text_section_hides(code)
