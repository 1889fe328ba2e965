"""The cells of an xlsx file, read straight from its XML with expat.

PlanDesk reads only text cells and a few sheet facts, so it does not need a
spreadsheet library to read: this module walks the parts of an archive that
``safety`` has already checked and returns, per sheet, every cell's text (as
Excel, LibreOffice and openpyxl store it: shared strings, inline strings with
rich-text runs, numbers, booleans), whether it holds a formula, its style, and
what decides whether a row or column is printed at all (hidden rows and
columns, the header and footer). Reading every sheet this way takes about a
tenth of the time openpyxl's read-only reader takes for the hidden sheets alone
(docs/PERFORMANCE.md), which is what lets verification read the printed
sheets too.

The XML is untrusted: a DOCTYPE, an entity declaration or an external entity
is refused (``safety`` refuses them by their bytes first); expat never
fetches anything. Every fault in a part is a ``XlsxError`` the caller turns
into its own message.
"""

from __future__ import annotations

import operator
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import chain, cycle, repeat
from typing import NamedTuple
from xml.parsers import expat

from desktop.workbooks.cell_text import unstore as unescape

MAX_ROW = 1_048_576  # Excel's sheet size
MAX_COLUMN = 16_384
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})", re.ASCII)
_HEADER_PARTS = ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter")
_STRING_TYPES = ("s", "inlineStr", "str", "n", "b", "e", "d")


class XlsxError(ValueError):
    """A part of the archive is missing or is not what an xlsx holds there."""


class CellValue(NamedTuple):
    text: str | None  # None: no value (an empty string is no value either)
    formula: bool = False
    style: int = 0
    kind: str = "s"  # "s" text, "n" number, "b" boolean, "e" error, "d" date


@dataclass(slots=True)
class SheetCells:
    """One worksheet: its cells by (row, column), both 1-based, and what hides rows."""

    cells: dict[tuple[int, int], CellValue] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)  # (first, last)
    rows_hidden_by_default: bool = False  # sheetFormatPr zeroHeight: rows of no set height
    set_heights: set[int] = field(default_factory=set)  # rows with their own height
    header_footer: dict[str, str] = field(default_factory=dict)  # oddHeader … as stored
    different_odd_even: bool = False
    different_first: bool = False
    conditional_formats: bool = False
    phonetic: bool = False  # a cell carries a phonetic guide (furigana) run
    data_parts: int = 0  # <sheetData> elements: exactly one in any real sheet

    def column_hidden(self, column: int) -> bool:
        return any(first <= column <= last for first, last in self.hidden_columns)

    def row_hidden(self, row: int) -> bool:
        return row in self.hidden_rows or (
            self.rows_hidden_by_default and row not in self.set_heights
        )


@dataclass(frozen=True, slots=True)
class SheetEntry:
    name: str
    state: str  # "visible", "hidden" or "veryHidden"
    part: str | None  # the member holding it; None when it is not a worksheet
    index: int  # 0-based position in the workbook


def _parser(start: Callable, end: Callable, data: Callable) -> expat.XMLParserType:
    # Every part is UTF-8 (``safety`` refuses UTF-16): the declaration's encoding is
    # ignored, so a part cannot make expat ask Python for a codec — an unknown or
    # multi-byte one raised LookupError, ValueError or UnicodeError, found by fuzzing
    # (tests/reliability/test_reader_fuzz.py), and a single-byte one would have read
    # bytes the safety scan never saw as such.
    parser = expat.ParserCreate("utf-8")
    parser.buffer_text = True
    parser.buffer_size = 65536
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    parser.StartDoctypeDeclHandler = _no_doctype
    parser.EntityDeclHandler = _no_doctype
    parser.ExternalEntityRefHandler = _no_doctype
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def _no_doctype(*_args: object) -> None:
    raise XlsxError("DOCTYPE or entity")


def _local(name: str) -> str:
    return name.rpartition(":")[2] if ":" in name else name


def _flag(value: str | None) -> bool:
    return value in ("1", "true", "True")


def _parse(content: bytes, start: Callable, end: Callable, data: Callable) -> None:
    try:
        _parser(start, end, data).Parse(content, True)
    except expat.ExpatError as exc:
        raise XlsxError(f"XML: {exc}") from exc


def parse_ref(ref: str) -> tuple[int, int]:
    """(row, column) of an A1 reference."""
    match = _REF.fullmatch(ref)
    if not match:
        raise XlsxError(f"cell reference {ref!r}")
    letters, digits = match.groups()
    column = 0
    for char in letters:
        column = column * 26 + ord(char) - 64
    row = int(digits)
    if not (1 <= row <= MAX_ROW and 1 <= column <= MAX_COLUMN):
        raise XlsxError(f"cell reference {ref!r}")
    return row, column


def column_letter(column: int) -> str:
    out = ""
    while column:
        column, rem = divmod(column - 1, 26)
        out = chr(65 + rem) + out
    return out


def number_text(value: str) -> str:
    """A number cell as openpyxl has always given it to PlanDesk (int or float, as text)."""
    try:
        if "." in value or "e" in value or "E" in value:
            return str(float(value))
        return str(int(value))
    except ValueError as exc:
        raise XlsxError(f"number {value!r}") from exc


class _TextCollector:
    """The text of a string item (<si> or <is>): its <t> and the <t> of its runs,
    never the phonetic guide (<rPh>) Japanese Excel keeps beside typed text."""

    def __init__(self) -> None:
        self.parts: list[str] | None = None
        self.phonetic = 0
        self.in_t = False

    def begin(self) -> None:
        self.parts = []
        self.phonetic = 0

    def start(self, tag: str) -> None:
        if tag == "rPh":
            self.phonetic += 1
        elif tag == "t" and not self.phonetic:
            self.in_t = True

    def end(self, tag: str) -> None:
        if tag == "rPh":
            self.phonetic -= 1
        elif tag == "t":
            self.in_t = False

    def data(self, text: str) -> None:
        if self.in_t and self.parts is not None:
            self.parts.append(text)

    def finish(self) -> str:
        text = unescape("".join(self.parts or ()))
        self.parts = None
        return text


def shared_strings(content: bytes) -> list[str]:
    strings: list[str] = []
    collector = _TextCollector()

    def start(name: str, _attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "si":
            collector.begin()
        elif collector.parts is not None:
            collector.start(tag)

    def end(name: str) -> None:
        tag = _local(name)
        if tag == "si":
            strings.append(collector.finish())
        elif collector.parts is not None:
            collector.end(tag)

    _parse(content, start, end, collector.data)
    return strings


class TooManyRows(XlsxError):
    def __init__(self, row: int) -> None:
        super().__init__(f"row {row}")
        self.row = row


_COLUMNS: dict[str, int] = {}


def column_number(letters: str) -> int:
    """The column of letters A…XFD; XlsxError beyond Excel's last column."""
    if not letters.isascii() or not letters.isupper() or not 1 <= len(letters) <= 3:
        raise XlsxError(f"column {letters!r}")
    return _column_of(letters)


def _column_of(letters: str) -> int:
    column = _COLUMNS.get(letters)
    if column is None:
        column = 0
        for char in letters:
            column = column * 26 + ord(char) - 64
        if column > MAX_COLUMN:
            raise XlsxError(f"column {letters!r}")
        if len(_COLUMNS) < 4096:
            _COLUMNS[letters] = column
    return column


def _cell_text(kind: str, raw: str | None, inline: str | None, strings: Callable) -> str | None:
    if kind == "inlineStr":
        return inline
    if raw is None:
        return None
    if kind == "s":
        try:
            index = int(raw)
            if index < 0:  # Python would count from the end; Excel calls the file damaged
                raise IndexError(index)
            return strings()[index]
        except (ValueError, IndexError) as exc:
            raise XlsxError(f"shared string {raw!r}") from exc
    if kind == "str":
        return unescape(raw)
    if kind == "n":
        return number_text(raw) if raw else None
    if kind == "b":
        if raw not in ("0", "1"):
            raise XlsxError(f"boolean {raw!r}")
        return "True" if raw == "1" else "False"
    return raw  # "e" (an error such as #N/A) and "d" (an ISO date): as stored


# Codes of the elements inside a cell, by name (a prefix is looked up once).
_V, _T, _IS, _RPH, _F, _C = range(6)
_INNER = {"v": _V, "t": _T, "is": _IS, "rPh": _RPH, "f": _F, "c": _C}


class _Codes(dict[str, int]):
    """A cell's inner element by name (``x:v`` or ``v``) → its code; -1 for others."""

    def __missing__(self, name: str) -> int:
        code = self[name] = _INNER.get(_local(name), -1)
        return code


class _Locals(dict[str, str]):
    """An element's name as written (``x:row``) → its local name (``row``)."""

    def __missing__(self, name: str) -> str:
        local = self[name] = _local(name)
        return local


_PLACES: dict[str, tuple[int, int]] = {}  # "B12" → (12, 2): the same refs recur in every file
_MAX_PLACES = 1 << 16
_CELL_TYPES = frozenset(_STRING_TYPES)
_new_cell = tuple.__new__  # CellValue without NamedTuple's Python-level __new__


def _place(ref: str) -> tuple[int, int]:
    """(row, column) of a cell's ``r``; XlsxError unless it is a reference a sheet can have."""
    place = _PLACES.get(ref)
    if place is None:
        match = _REF.fullmatch(ref)
        if match is None:
            raise XlsxError(f"cell reference {ref!r}")
        place = (int(match.group(2)), _column_of(match.group(1)))
        if not 1 <= place[0] <= MAX_ROW:
            raise XlsxError(f"cell reference {ref!r}")
        if len(_PLACES) < _MAX_PLACES:
            _PLACES[ref] = place
    return place


# --- the sheet data as PlanDesk writes it, without a Python call per element --------------
#
# expat calls Python three times per element; a PlanDesk sheet has about 2,000
# elements per 1,000 cells, and that is most of what HQ waits for (docs/PERFORMANCE.md).
# The <sheetData> that openpyxl writes (and that nothing else need be) is a flat run of
# rows of inline-string cells. Such a run is checked by one regular expression over all
# of it (C, no Python call per element: ``_FLAT_DATA`` must match the whole of it, rows
# holding only cells of their own row), and its texts are then picked out by another;
# anything else is read by expat after all. Outside <sheetData> the part is parsed by
# expat as always. The grammar's text allows what XML allows as character data (no
# markup, the five predefined entities, no character XML forbids, no "]]>"), less a
# carriage return (which XML turns into a newline), so a part it accepts is
# well-formed and reads to exactly the cells expat gives; anything else in
# <sheetData> — another writer's shared strings or attributes, comments, CDATA,
# character references, processing instructions, a malformed part — takes the expat
# path, which reads or refuses it as it always did. The <sheetData> split at must be
# the part's one such element (expat says so for the rest of the part, which may hold
# no comment, CDATA section or processing instruction).
# \t and \n, never \r; "]" only where "]>" does not follow. Unrolled (runs between
# single "]"), so that no text can be matched in more than one way, and every repeat
# possessive ("*+": what the grammar allows can be matched in one way only, so giving
# nothing back changes no result): the engine keeps no positions to go back to, which
# makes the match over a whole sheet about a quarter quicker.
_CHARS = r"[^<&\]\x00-\x08\x0b-\x1f\ufffe\uffff]*+"
_TEXT = rf"{_CHARS}(?:\](?!\]>){_CHARS})*+"
_VALUE = rf"{_TEXT}(?:&(?:amp|lt|gt|quot|apos);{_TEXT})*+"
_HEIGHT = r' ht="[0-9]{1,3}(?:\.[0-9]{1,6})?" customHeight="1"'
_STYLE = r'(?: s="[0-9]{1,6}")?'
_FLAT_DATA = re.compile(
    rf'(?:<row r="([0-9]{{1,7}})"(?:{_HEIGHT})?(?:/>|>'
    rf'(?:<c r="[A-Z]{{1,3}}\1"{_STYLE}'  # a cell of this row only
    r'(?:(?: t="n")? />| t="inlineStr" />'  # an empty cell (a merged range's, styled)
    rf'| t="inlineStr"><is><t(?: xml:space="preserve")?>{_VALUE}</t></is></c>))*+'
    r"</row>))*+"
)
_FLAT_ROWS = re.compile(r'<row r="([0-9]{1,7})"(?: ht="([0-9.]+)" customHeight="1")?')
# Once _FLAT_DATA matched, every cell holding a text is exactly this (the grammar
# leaves nothing else that could match), so the texts are picked out with a simpler,
# quicker pattern.
_FLAT_TEXTS = re.compile(r'<c r="([A-Z]+[0-9]+)"(?: s="([0-9]+)")?[^>]*><is><t[^>]*>([^<]*)<')
_FLAT_TABLE_TEXTS = re.compile(r'<c r="([A-Z]+[0-9]+)"[^>]*><is><t[^>]*>([^<]+)<')  # not empty
_LETTERS = tuple(column_letter(c) for c in range(1, 257))
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&"))


class _Flat(NamedTuple):
    text: str  # the part's text; its <sheetData> holds a flat run from start to end
    start: int
    end: int
    sheet: SheetCells  # the part read by expat without its <sheetData>
    rows: list[tuple[str, str]]  # each <row>'s number and its height ("" when none)


def _flat_data(content: bytes, strings: Callable[[], list[str]], max_row: int) -> _Flat | None:
    """The part's text and where its <sheetData> holds a flat run (above), with the
    sheet read by expat without it; None when the part is not in that shape."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    start = text.find("<sheetData>")
    end = text.rfind("</sheetData>")
    if start < 0 or end < start or text.startswith("\ufeff"):
        return None
    start += len("<sheetData>")
    # No comment, CDATA section or processing instruction (an XML declaration aside)
    # outside the data, where one could hold the "<sheetData>" split at: then that is
    # a tag, and expat below finds it the part's only <sheetData>.
    prefix, suffix = text[:start], text[end:]
    if "<!" in prefix or "<!" in suffix or prefix.find("<?", 1) >= 0 or "<?" in suffix:
        return None
    if _FLAT_DATA.fullmatch(text, start, end) is None:
        return None
    rows = _FLAT_ROWS.findall(text, start, end)
    numbers = [int(r) for r, _height in rows]
    if numbers and (min(numbers) < 1 or max(numbers) > min(max_row, MAX_ROW)):
        return None  # expat's path says what is wrong
    # The rest of the part, <sheetData> left empty, through expat: the sheet's facts,
    # and whether the part is well-formed at all.
    try:
        sheet = expat_sheet((prefix + suffix).encode("utf-8"), strings, max_row)
    except XlsxError:
        return None
    if sheet.data_parts != 1 or sheet.cells or sheet.hidden_rows or sheet.set_heights:
        return None  # another <sheetData>, or rows or cells outside it
    return _Flat(text, start, end, sheet, rows)


def _plain(text: str, start: int, end: int) -> bool:
    """No entity and no escape (_xHHHH_) in the data: its texts stand as they are.
    Looked for by single characters (a quick search; a two-character one is not)."""
    return text.find("&", start, end) < 0 and text.find("_", start, end) < 0


def _flat_value(value: str) -> str:
    if "&" in value:
        for entity, char in _ENTITIES:
            value = value.replace(entity, char)
    return unescape(value) if "_x" in value else value


def flat_sheet(content: bytes, strings: Callable[[], list[str]], max_row: int) -> SheetCells | None:
    """The sheet read with its <sheetData> as one flat run (above); None when the part
    is not in that shape (the caller reads it with expat)."""
    flat = _flat_data(content, strings, max_row)
    if flat is None:
        return None
    text, start, end, sheet, rows = flat
    for number, height in rows:
        if height:
            sheet.set_heights.add(int(number))
            if float(height) <= 0:
                sheet.hidden_rows.add(int(number))
    cells = sheet.cells
    plain = _plain(text, start, end)
    styles: dict[str, int] = {"": 0}
    for ref, style, value in _FLAT_TEXTS.findall(text, start, end):
        if not value:
            continue
        place = _PLACES.get(ref)
        if place is None:
            try:
                place = _place(ref)
            except XlsxError:
                return None
        if place in cells:
            return None  # expat's path says what is wrong
        number = styles.get(style)
        if number is None:
            number = styles[style] = int(style)
        cells[place] = _new_cell(
            CellValue, (value if plain else _flat_value(value), False, number, "s")
        )
    return sheet


def flat_table(content: bytes, width: int, max_row: int) -> list[list[str | None]] | None:
    """A hidden table's rows (``width`` cells each, text or None, up to the last row
    holding a text) when its part is a flat run (above) with nothing right of the
    table; None otherwise (read it through ``read_sheet``, which says what is wrong).

    Built without a Python step per cell: the texts by reference in one dict, each
    row looked up by its column letters, and the count of texts placed must be the
    count found (a text right of the table, or at a reference written otherwise,
    leaves one over: the reader's own path then says what is wrong)."""
    if width > len(_LETTERS):
        return None
    flat = _flat_data(content, list, max_row)
    if flat is None:
        return None
    text, start, end, _sheet, rows = flat
    found = _FLAT_TABLE_TEXTS.findall(text, start, end)
    by_ref = dict(found)
    numbers = [number for number, _height in rows]
    if len(by_ref) != len(found) or len({int(n) for n in numbers}) != len(numbers):
        return None  # two texts at one place
    letters = _LETTERS[:width]
    get = by_ref.get
    if numbers == _counted(len(numbers)):  # rows 1, 2, 3 … as PlanDesk writes them
        # Every reference of the table, row by row, made and looked up in C.
        refs = map(
            operator.add, cycle(letters), chain.from_iterable(map(repeat, numbers, repeat(width)))
        )
        values = list(map(get, refs))
        if len(values) - values.count(None) != len(found):
            return None
        if not _plain(text, start, end):
            values = [None if v is None else _flat_value(v) for v in values]
        table = [values[i : i + width] for i in range(0, len(values), width)]
        while table and table[-1].count(None) == width:
            table.pop()  # up to the last row holding a text
        return table
    placed = 0
    lines: dict[int, list[str | None]] = {}
    for number in numbers:
        line = [get(letter + number) for letter in letters]
        held = width - line.count(None)
        if held:
            placed += held
            lines[int(number)] = line
    if placed != len(found):
        return None
    if not _plain(text, start, end):
        for line in lines.values():
            line[:] = [None if v is None else _flat_value(v) for v in line]
    last = max(lines, default=0)
    return [lines.get(row) or [None] * width for row in range(1, last + 1)]


_COUNTED: list[str] = []  # "1", "2", "3" …: the row numbers of a table as written


def _counted(rows: int) -> list[str]:
    """The numbers 1 … ``rows`` as a sheet writes them (``rows`` at most a sheet's)."""
    if len(_COUNTED) < rows:
        _COUNTED.extend(str(n) for n in range(len(_COUNTED) + 1, rows + 1))
    return _COUNTED[:rows]


def read_sheet(
    content: bytes, strings: Callable[[], list[str]], max_row: int = MAX_ROW
) -> SheetCells:
    """The cells of one worksheet part: as one flat run when the part is as PlanDesk
    writes it (``flat_sheet``), else through expat."""
    flat = flat_sheet(content, strings, max_row)
    return flat if flat is not None else expat_sheet(content, strings, max_row)


def expat_sheet(
    content: bytes, strings: Callable[[], list[str]], max_row: int = MAX_ROW
) -> SheetCells:
    """The cells of one worksheet part, through expat.

    expat calls these handlers for every element of every sheet (about a million
    per consolidation of 47 files), so they are closures over local state, a
    cell's inner elements are looked up in one dict, a cell's reference once per
    distinct reference (``_place``), and a cell's facts are plain locals rather
    than an object: what they do beyond expat's own calls is what HQ waits for
    (docs/PERFORMANCE.md)."""
    sheet = SheetCells()
    cells = sheet.cells
    inner_codes = _Codes(_INNER)  # subscripted, not .get(): the handlers' most frequent step
    outer_tags = _Locals()
    row = column = 0
    in_cell = False
    place: tuple[int, int] = (0, 0)
    kind = "n"
    style = 0
    parts: list[str] = []
    collecting = False
    raw: str | None = None
    inline: str | None = None
    in_inline = False
    phonetic = 0
    formula = False
    header: str | None = None

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal row, column, in_cell, place, kind, style, parts, collecting, raw, inline
        nonlocal in_inline, phonetic, formula, header
        if in_cell:
            code = inner_codes[name]
            if code == _T:
                if in_inline and not phonetic:
                    collecting = True
            elif code == _IS:
                in_inline = True
                parts = []
            elif code == _V:
                parts = []
                collecting = True
            elif code == _RPH:
                phonetic += 1
                sheet.phonetic = True
            elif code == _F:
                formula = True
            elif code == _C:
                raise XlsxError("a cell inside a cell")
            return
        tag = outer_tags[name]
        if tag == "c":
            ref = attrs.get("r")
            if ref is not None:
                place = _PLACES.get(ref) or _place(ref)
                at = place[0]
                if at != row and row:
                    raise XlsxError(f"cell {ref} outside its row {row}")
                row, column = place
            else:
                row, column = row or 1, column + 1
                place = (row, column)
            if row > max_row:
                raise TooManyRows(row)
            kind = attrs.get("t", "n")
            if kind not in _CELL_TYPES:
                raise XlsxError(f"cell type {kind!r}")
            number = attrs.get("s")
            if number:
                try:
                    style = int(number)
                except ValueError as exc:
                    raise XlsxError("cell style") from exc
            else:
                style = 0
            in_cell = True
            raw = inline = None
            formula = in_inline = False
            phonetic = 0
        elif tag == "row":
            number = attrs.get("r")
            try:
                row = int(number) if number is not None else row + 1
            except ValueError as exc:
                raise XlsxError(f"row number {number!r}") from exc
            if not 1 <= row <= MAX_ROW:
                raise XlsxError(f"row number {number!r}")
            if row > max_row:
                raise TooManyRows(row)
            column = 0
            if _flag(attrs.get("hidden")):
                sheet.hidden_rows.add(row)
            height = attrs.get("ht")
            if height is not None and _flag(attrs.get("customHeight")):
                sheet.set_heights.add(row)
                try:
                    if float(height) <= 0:
                        sheet.hidden_rows.add(row)
                except ValueError as exc:
                    raise XlsxError(f"row height {height!r}") from exc
        elif tag == "col":
            try:
                first, last = int(attrs.get("min", "0")), int(attrs.get("max", "0"))
                width = float(attrs.get("width", "1"))
            except ValueError as exc:
                raise XlsxError("column range") from exc
            if _flag(attrs.get("hidden")) or width <= 0:
                sheet.hidden_columns.append((first, last))
        elif tag == "sheetData":
            sheet.data_parts += 1
        elif tag in _HEADER_PARTS:
            header = tag
            parts = []
            collecting = True
        elif tag == "headerFooter":
            sheet.different_odd_even = _flag(attrs.get("differentOddEven"))
            sheet.different_first = _flag(attrs.get("differentFirst"))
        elif tag == "sheetFormatPr":
            sheet.rows_hidden_by_default = _flag(attrs.get("zeroHeight"))
        elif tag == "conditionalFormatting":
            sheet.conditional_formats = True

    def end(name: str) -> None:
        nonlocal in_cell, collecting, raw, inline, in_inline, phonetic, header
        if in_cell:
            code = inner_codes[name]
            if code == _T:
                collecting = False
            elif code == _C:
                in_cell = False
                text = inline if kind == "inlineStr" else _cell_text(kind, raw, inline, strings)
                if text or formula:
                    if place in cells:  # which copy would Excel show?
                        raise XlsxError(f"two cells at row {place[0]} column {place[1]}")
                    cells[place] = _new_cell(
                        CellValue, (text or None, formula, style, _KINDS.get(kind, kind))
                    )
            elif code == _IS:
                in_inline = False
                inline = "".join(parts)
                if "_x" in inline:
                    inline = unescape(inline)
            elif code == _V:
                collecting = False
                raw = "".join(parts)
            elif code == _RPH:
                phonetic -= 1
            return
        if header is not None and outer_tags[name] == header:
            sheet.header_footer[header] = "".join(parts)
            header = None
            collecting = False

    def data(text: str) -> None:
        if collecting:
            parts.append(text)

    _parse(content, start, end, data)
    return sheet


_KINDS = {"s": "s", "inlineStr": "s", "str": "s"}


@dataclass(frozen=True, slots=True)
class Styles:
    """What a cell style does to the text it shows: its number format."""

    number_formats: tuple[int, ...]  # per cellXfs index
    custom: dict[int, str]  # numFmtId → format code


def read_styles(content: bytes) -> Styles:
    formats: list[int] = []
    custom: dict[int, str] = {}
    depth = {"cellXfs": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "cellXfs":
            depth["cellXfs"] += 1
        elif tag == "xf" and depth["cellXfs"]:
            try:
                formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError as exc:
                raise XlsxError("numFmtId") from exc
        elif tag == "numFmt":
            try:
                custom[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")
            except ValueError as exc:
                raise XlsxError("numFmtId") from exc

    def end(name: str) -> None:
        if _local(name) == "cellXfs":
            depth["cellXfs"] -= 1

    _parse(content, start, end, lambda _text: None)
    return Styles(tuple(formats), custom)


class Book:
    """An xlsx archive's sheets, read on demand from the checked bytes: the parts
    ``safety`` decompressed and checked (by member name), or an open archive."""

    def __init__(self, archive: zipfile.ZipFile | Mapping[str, bytes]) -> None:
        self.archive = archive
        self.sheets: list[SheetEntry] = []
        self.print_areas: set[int] = set()  # sheet positions with a print area
        self._strings: list[str] | None = None
        self._strings_part: str | None = None
        self._styles_part: str | None = None
        self._styles: Styles | None = None
        self._read_workbook()

    def _member(self, name: str) -> bytes:
        try:
            if isinstance(self.archive, zipfile.ZipFile):
                return self.archive.read(name)
            return self.archive[name]
        except KeyError as exc:
            raise XlsxError(f"missing part {name}") from exc

    def _read_workbook(self) -> None:
        targets: dict[str, tuple[str, str]] = {}  # relationship id → (type, part)

        def rel(name: str, attrs: dict[str, str]) -> None:
            if _local(name) == "Relationship" and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                targets[attrs.get("Id", "")] = (attrs.get("Type", ""), part)

        _parse(self._member("xl/_rels/workbook.xml.rels"), rel, lambda _n: None, lambda _t: None)
        for kind, part in targets.values():
            if kind.endswith("/sharedStrings"):
                self._strings_part = part
            elif kind.endswith("/styles"):
                self._styles_part = part
        defined: list[tuple[str, str | None]] = []
        in_name: list[str | None] = [None]

        def start(name: str, attrs: dict[str, str]) -> None:
            tag = _local(name)
            if tag == "sheet":
                rid = next((v for k, v in attrs.items() if _local(k) == "id" and ":" in k), "")
                kind, part = targets.get(rid, ("", ""))
                self.sheets.append(
                    SheetEntry(
                        name=attrs.get("name", ""),
                        state=attrs.get("state", "visible"),
                        part=part if kind.endswith("/worksheet") else None,
                        index=len(self.sheets),
                    )
                )
            elif tag == "definedName":
                in_name[0] = attrs.get("name", "")
                defined.append((in_name[0], attrs.get("localSheetId")))

        def end(name: str) -> None:
            if _local(name) == "definedName":
                in_name[0] = None

        _parse(self._member("xl/workbook.xml"), start, end, lambda _t: None)
        for name, local in defined:
            if name.lower() == "_xlnm.print_area":
                try:
                    self.print_areas.add(int(local) if local is not None else -1)
                except ValueError as exc:
                    raise XlsxError("localSheetId") from exc

    def strings(self) -> list[str]:
        if self._strings is None:
            part = self._strings_part
            self._strings = shared_strings(self._member(part)) if part else []
        return self._strings

    def styles(self) -> Styles:
        if self._styles is None:
            part = self._styles_part
            self._styles = read_styles(self._member(part)) if part else Styles((), {})
        return self._styles

    def entry(self, name: str) -> SheetEntry | None:
        return next((s for s in self.sheets if s.name == name), None)

    def sheet(self, entry: SheetEntry, max_row: int = MAX_ROW) -> SheetCells:
        if entry.part is None:
            raise XlsxError(f"sheet {entry.name!r} is not a worksheet")
        return read_sheet(self._member(entry.part), self.strings, max_row)

    def table(self, entry: SheetEntry, width: int, max_row: int) -> list[list[str | None]] | None:
        """The rows of a hidden table read quickly (``flat_table``), or None."""
        if entry.part is None:
            return None
        return flat_table(self._member(entry.part), width, max_row)


def header_sections(code: str) -> dict[str, str]:
    """The text of a header or footer per section (L, C, R), without its
    formatting codes (fonts, sizes, bold…): what prints, as Excel and
    LibreOffice write it in their own ways. Fields stay as codes (&P, &N…)."""
    sections = {"L": [], "C": [], "R": []}
    current = "C"
    i = 0
    while i < len(code):
        char = code[i]
        if char != "&" or i + 1 == len(code):
            sections[current].append(char)
            i += 1
            continue
        nxt = code[i + 1]
        if nxt in "LCR":
            current = nxt
            i += 2
        elif nxt == "&":
            sections[current].append("&")
            i += 2
        elif nxt == '"':
            close = code.find('"', i + 2)
            i = len(code) if close < 0 else close + 1
        elif nxt.isdigit():
            i += 2
            while i < len(code) and code[i].isdigit():
                i += 1
        elif nxt == "K":
            i += 8  # &K and a colour: RRGGBB, or a theme colour written in six characters
        elif nxt in "BIUESXYOHbiuesxyoh":
            i += 2
        else:  # a field (&P page, &N pages, &D date, &A sheet …): kept as printed code
            sections[current].append(code[i : i + 2])
            i += 2
    return {key: "".join(parts).strip() for key, parts in sections.items()}


def text_section_hides(code: str) -> bool:
    """Whether a number format shows a text cell as something other than its text:
    only a fourth section that is not exactly "@" does (";;;" shows nothing,
    ';;;"達成"' shows a word of its own)."""
    sections = _split_sections(code)
    return len(sections) >= 4 and sections[3].strip() != "@"


def _split_sections(code: str) -> list[str]:
    sections, current, quoted, i = [], [], False, 0
    while i < len(code):
        char = code[i]
        if char == '"':
            quoted = not quoted
        elif char == "\\" and not quoted:
            current.append(code[i : i + 2])
            i += 2
            continue
        elif char == ";" and not quoted:
            sections.append("".join(current))
            current = []
            i += 1
            continue
        current.append(char)
        i += 1
    sections.append("".join(current))
    return sections
