"""How one value becomes one cell of a hidden table, and back.

Every cell of a hidden table is text (or empty), so no number ever passes
through a float and Excel never reformats a value. A codec is the pair of
rules for one type of value: ``encode`` writes the value as a cell (a
WorkbookError when the format cannot hold it: a 19-digit number, a lone
surrogate), ``decode`` reads a cell back (ValueError, TypeError … for a cell
``encode`` could not have written; the caller names the place). ``valid``
says whether a value is within the range the format promises (a KPI's
decimals 0–6, a branch code): ``decode`` refuses what ``valid`` refuses, so
a file written by other software cannot bring it in, and PlanDesk's writer
checks ``valid`` first so that it never writes a file it would refuse.

The tables (``hidden_tables``) name one codec per column; nothing else in
the format knows how a value is spelled in a cell.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from desktop.domain.calendar import YearMonth
from desktop.domain.mark_rules import MarkRules, dump_rules, load_rules
from desktop.domain.print_profiles import (
    DEFAULT_PROFILES,
    ReportProfiles,
    dump_profiles,
    profiles_from_data,
)
from desktop.workbooks.machine import Cell, WorkbookError

# Excel refuses control characters other than tab and newline in cells, XML 1.0
# cannot carry U+FFFE/U+FFFF at all, and a stored \r comes back as \n: texts
# with any of these are written escaped (see ``encode_text``).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r\ufffe\uffff]")
# Inside an escaped (JSON) cell these must be \u-escaped as well.
_JSON_UNSAFE = re.compile(r"[\ufffe\uffff]")
# A lone surrogate cannot be encoded at all (not in UTF-8, not in the database).
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_ESCAPE = "json:"
_EMPTY_TEXT = _ESCAPE + '""'  # '' as ``encode_text`` writes it
DECIMAL_CELL = re.compile(r"-?[0-9]{1,18}(\.[0-9]{1,10})?", re.ASCII)
INT_CELL = re.compile(r"-?[0-9]{1,9}", re.ASCII)
KEY_CELL = re.compile(r"[A-Za-z0-9_.\-]{1,64}", re.ASCII)


# --- texts -------------------------------------------------------------------------


def encode_text(value: str | None) -> Cell:
    """A string as a cell can hold it, reversibly: '' and texts Excel would
    mangle (control characters, \\r, U+FFFE/U+FFFF) are written as an escaped
    JSON string. Raises WorkbookError for a lone surrogate (no file can hold it)."""
    if value is None:
        return None
    _refuse_surrogates(value)
    if value == "" or value.startswith(_ESCAPE) or _ILLEGAL.search(value):
        return _ESCAPE + _json_safe(json.dumps(value, ensure_ascii=False))
    return value


def decode_text(cell: Cell) -> str | None:
    """The string ``encode_text`` wrote; ValueError for a malformed escape."""
    if cell is None:
        return None
    if cell.startswith(_ESCAPE):
        try:
            value = json.loads(cell[len(_ESCAPE) :])
        except RecursionError as exc:
            raise ValueError("escaped cell is nested too deeply") from exc
        if not isinstance(value, str):
            raise ValueError("escaped cell is not a string")
        if _SURROGATE.search(value):
            raise ValueError("escaped cell holds a lone surrogate")
        return value
    return cell


def encode_list(items: Sequence[str]) -> Cell:
    """A list of strings as one JSON cell (footnotes, basic policy, sections)."""
    for item in items:
        _refuse_surrogates(item)
    return _json_safe(json.dumps(list(items), ensure_ascii=False))


def decode_list(cell: Cell) -> tuple[str, ...]:
    """The strings ``encode_list`` wrote (an empty cell: none)."""
    items = json.loads(cell or "[]")
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError(cell)
    if any(_SURROGATE.search(i) for i in items):
        raise ValueError(cell)
    return tuple(items)


def _json_safe(text: str) -> str:
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _refuse_surrogates(value: str) -> None:
    if _SURROGATE.search(value):
        raise WorkbookError(
            "文章に保存できない文字（対になっていないサロゲート）が含まれています。",
            "A text contains a character that cannot be saved (a lone surrogate).",
        )


# --- numbers, flags, times -----------------------------------------------------------


def encode_number(value: Decimal | int | None) -> Cell:
    """A number in plain notation (never 1E+3), within the format's range."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("a flag is not a number")
    if isinstance(value, int):
        text = str(value)
        if INT_CELL.fullmatch(text):
            return text
    elif value.is_finite():
        for candidate in (value, value.normalize()):
            text = format(candidate, "f")
            if DECIMAL_CELL.fullmatch(text):
                return text
    raise WorkbookError(
        f"数値「{value}」はファイルに書けません（整数部18桁・小数部10桁まで）。",
        f"The number {value} cannot be written (at most 18 digits before and 10 after "
        "the decimal point).",
    )


def decode_decimal(cell: str) -> Decimal:
    if not DECIMAL_CELL.fullmatch(cell):
        raise ValueError(cell)
    return Decimal(cell)


def encode_int(value: int) -> Cell:
    text = str(value)
    if isinstance(value, bool) or not INT_CELL.fullmatch(text):
        raise WorkbookError(
            f"整数「{value}」はファイルに書けません。",
            f"The whole number {value} cannot be written.",
        )
    return text


def decode_int(cell: str) -> int:
    if not INT_CELL.fullmatch(cell):
        raise ValueError(cell)
    return int(cell)


def encode_stamp(value: datetime | None) -> Cell:
    if value is None:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        raise WorkbookError(
            f"日時「{value}」にタイムゾーンがありません。",
            f"The time {value} has no time zone.",
        )
    return value.isoformat(timespec="microseconds")


def decode_stamp(cell: str) -> datetime:
    stamp = datetime.fromisoformat(cell)
    if stamp.tzinfo is None:
        raise ValueError(cell)
    return stamp


# --- codecs ------------------------------------------------------------------------


class Codec:
    """One type of value in a cell. ``optional``: None is a value (an empty cell)."""

    __slots__ = ("optional",)
    what = "value"  # the type, in the format's own words (docs, tests)

    def __init__(self, *, optional: bool = False) -> None:
        self.optional = optional

    def encode(self, value: Any) -> Cell:
        if value is None:
            return None
        return self.write(value)

    def decode(self, cell: Cell) -> Any:
        if cell is None:
            if self.optional:
                return None
            raise ValueError("empty")
        return self.read(cell)

    def valid(self, value: Any) -> bool:
        return True

    def decode_column(self, cells: Sequence[Cell]) -> list[Any]:
        """``decode`` of every cell of a column, the same values; a codec whose cells
        can be checked for a whole column at once (in C) overrides it. Raises as
        ``decode`` does (the caller then decodes row by row to name the cell)."""
        decode = self.decode
        return [decode(cell) for cell in cells]

    def write(self, value: Any) -> Cell:  # a value that is not None
        raise NotImplementedError

    def read(self, cell: str) -> Any:  # a cell that is not empty
        raise NotImplementedError


class Text(Codec):
    """A text, escaped where Excel would change it. Not optional: an empty cell
    reads as '' (a text that is always there, possibly empty); ``blank=False``:
    it must say something (a name)."""

    __slots__ = ("blank",)
    what = "text"

    def __init__(self, *, optional: bool = False, blank: bool = True) -> None:
        super().__init__(optional=optional)
        self.blank = blank

    def encode(self, value: str | None) -> Cell:
        return encode_text(value)

    def decode(self, cell: Cell) -> str | None:
        text = decode_text(cell)
        if text is None and not self.optional:
            text = ""
        if not self.blank and not text:
            raise ValueError("blank")
        return text

    def decode_column(self, cells: Sequence[Cell]) -> list[str | None]:
        # Most cells are their text as it is (neither empty nor escaped); most of the
        # others are '' as ``encode_text`` writes it.
        decode, escape = self.decode, _ESCAPE
        if not self.blank:
            return [
                cell if cell and not cell.startswith(escape) else decode(cell) for cell in cells
            ]
        return [
            cell
            if cell and not cell.startswith(escape)
            else ""
            if cell == _EMPTY_TEXT
            else decode(cell)
            for cell in cells
        ]

    def valid(self, value: Any) -> bool:
        return self.blank or bool(value)


class TextList(Codec):
    """A list of texts as one JSON cell; an empty cell is no texts."""

    __slots__ = ()
    what = "list of texts"

    def encode(self, value: Sequence[str]) -> Cell:
        return encode_list(value)

    def decode(self, cell: Cell) -> tuple[str, ...]:
        return decode_list(cell)

    def decode_column(self, cells: Sequence[Cell]) -> list[Any]:
        decode = self.decode
        return [() if cell == "[]" else decode(cell) for cell in cells]  # mostly none


class Rules(Codec):
    """HQ's rules for suggested marks as one compact JSON cell (checked when read);
    an empty cell: the plan has none (the default rules)."""

    __slots__ = ()
    what = "rules for suggested marks (JSON)"

    def __init__(self) -> None:
        super().__init__(optional=True)

    def write(self, value: MarkRules) -> Cell:
        return _json_safe(dump_rules(value))

    def read(self, cell: str) -> MarkRules:
        return load_rules(cell)  # MarkRulesError is a ValueError: the caller names the cell


class Profiles(Codec):
    """The print profile per period as one compact JSON cell,
    {"annual":"annual6","midyear":"progress4"}; an empty cell: the default layout."""

    __slots__ = ()
    what = "print profile per period (JSON)"

    def __init__(self) -> None:
        super().__init__(optional=True)

    def encode(self, value: ReportProfiles | None) -> Cell:
        text = dump_profiles(value) if value is not None else None
        return None if text is None else _json_safe(text)

    def decode(self, cell: Cell) -> ReportProfiles:
        if cell is None:
            return DEFAULT_PROFILES
        return profiles_from_data(json.loads(cell))  # ProfileError is a ValueError


class Key(Codec):
    """A key (a section's, a KPI's): letters, digits, _ . - and at most 64."""

    __slots__ = ()
    what = "key"

    def encode(self, value: str | None) -> Cell:
        if value is None and self.optional:
            return None
        if value is None or not KEY_CELL.fullmatch(value):
            raise WorkbookError(
                f"キー「{value}」はファイルに書けません（英数字と _ . - で64文字まで）。",
                f"The key {value!r} cannot be written (letters, digits, _ . -; at most 64).",
            )
        return value

    def read(self, cell: str) -> str:
        if not KEY_CELL.fullmatch(cell):
            raise ValueError(cell)
        return cell

    def decode_column(self, cells: Sequence[Cell]) -> list[Any]:
        if None in cells:
            return super().decode_column(cells)
        if not all(map(KEY_CELL.fullmatch, cells)):  # type: ignore[arg-type]
            raise ValueError("not a key")
        return list(cells)


class Ref(Key):
    """The key of a row of another table (or an earlier row of the same one)."""

    __slots__ = ("table",)
    what = "reference"

    def __init__(self, table: str, *, optional: bool = False) -> None:
        super().__init__(optional=optional)
        self.table = table  # the sheet of the table it points into


class Choice(Codec):
    """One of a fixed set of words, written as they are (an Enum's values, or
    a list of codes such as the branches)."""

    __slots__ = ("enum", "members", "values")
    what = "choice"

    def __init__(self, values: type[StrEnum] | Collection[str], *, optional: bool = False) -> None:
        super().__init__(optional=optional)
        self.enum = values if isinstance(values, type) else None
        self.values = frozenset(values) if self.enum is None else frozenset()
        # value → member: what calling the enum gives, by a dict lookup per cell
        self.members = {m.value: m for m in self.enum} if self.enum is not None else {}

    def write(self, value: Any) -> Cell:
        return value.value if self.enum is not None else encode_text(value)

    def read(self, cell: str) -> Any:
        if self.enum is not None:
            return self.enum(cell)
        value = decode_text(cell)
        if value not in self.values:
            raise ValueError(cell)
        return value

    def valid(self, value: Any) -> bool:
        if value is None:
            return self.optional
        return self.enum is not None or value in self.values

    def decode_column(self, cells: Sequence[Cell]) -> list[Any]:
        if self.enum is None or None in cells:
            return super().decode_column(cells)
        return list(map(self.members.__getitem__, cells))  # KeyError: not a choice


class Int(Codec):
    """A whole number; ``low``/``high`` the range the format promises."""

    __slots__ = ("high", "low")
    what = "whole number"

    def __init__(
        self, low: int | None = None, high: int | None = None, *, optional: bool = False
    ) -> None:
        super().__init__(optional=optional)
        self.low, self.high = low, high

    def write(self, value: int) -> Cell:
        return encode_int(value)

    def read(self, cell: str) -> int:
        number = decode_int(cell)
        if not self.valid(number):
            raise ValueError(cell)
        return number

    def decode_column(self, cells: Sequence[Cell]) -> list[Any]:
        if None in cells or not cells:
            return super().decode_column(cells)
        if not all(map(INT_CELL.fullmatch, cells)):  # type: ignore[arg-type]
            raise ValueError("not a whole number")
        numbers = list(map(int, cells))  # type: ignore[arg-type]
        if not (self.valid(min(numbers)) and self.valid(max(numbers))):
            raise ValueError("out of range")
        return numbers

    def valid(self, value: Any) -> bool:
        if value is None:
            return self.optional
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


class Number(Codec):
    """A decimal number in plain notation: up to 18 digits before the point, 10 after."""

    __slots__ = ()
    what = "decimal"

    def write(self, value: Decimal) -> Cell:
        return encode_number(value)

    def read(self, cell: str) -> Decimal:
        return decode_decimal(cell)

    def decode_column(self, cells: Sequence[Cell]) -> list[Any]:
        if None in cells:
            return super().decode_column(cells)
        if not all(map(DECIMAL_CELL.fullmatch, cells)):  # type: ignore[arg-type]
            raise ValueError("not a decimal")
        return list(map(Decimal, cells))  # type: ignore[arg-type]


class Flag(Codec):
    """A yes/no: '1' or '0'."""

    __slots__ = ()
    what = "flag"

    def write(self, value: bool) -> Cell:
        return "1" if value else "0"

    def read(self, cell: str) -> bool:
        if cell not in ("0", "1"):
            raise ValueError(cell)
        return cell == "1"

    def decode_column(self, cells: Sequence[Cell]) -> list[Any]:
        if None in cells:
            return super().decode_column(cells)
        if not {*cells} <= {"0", "1"}:
            raise ValueError("not a flag")
        return list(map("1".__eq__, cells))


class Month(Codec):
    """A month, 'YYYY-MM'."""

    __slots__ = ()
    what = "month"

    def write(self, value: YearMonth) -> Cell:
        return value.iso()

    def read(self, cell: str) -> YearMonth:
        return YearMonth.from_iso(cell)


class Stamp(Codec):
    """A moment with its time zone, ISO 8601 to the microsecond."""

    __slots__ = ()
    what = "time"

    def write(self, value: datetime) -> Cell:
        return encode_stamp(value)

    def read(self, cell: str) -> datetime:
        return decode_stamp(cell)


class Verbatim(Codec):
    """A cell written and read as it is: values the format builds itself (the
    sealed printed rows, the row counts), never a person's text."""

    __slots__ = ()
    what = "as written"

    def encode(self, value: Any) -> Cell:
        return value

    def decode(self, cell: Cell) -> Cell:
        return cell

    def decode_column(self, cells: Sequence[Cell]) -> list[Any]:
        return list(cells)
