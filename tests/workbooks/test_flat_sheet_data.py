"""The sheet data as PlanDesk writes it, read without a Python call per element.

``xlsx_cells.flat_sheet`` reads a part's <sheetData> with one regular expression
when it is the flat run of inline-string rows openpyxl writes, and gives up (None:
the part is read by expat) on anything else. What must hold: whenever it reads a
part, it reads exactly what expat reads — the same cells, the same sheet facts —
and a part expat refuses is never read. Checked on every sheet of real files, on
edits a forger or another program makes, and on random edits (hypothesis).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.services.demo_submissions import write_demo_submissions
from desktop.workbooks.safety import load_checked_parts
from desktop.workbooks.xlsx_cells import (
    MAX_ROW,
    Book,
    SheetCells,
    XlsxError,
    expat_sheet,
    flat_sheet,
    flat_table,
    read_sheet,
)


@pytest.fixture(scope="module")
def parts(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("flat")
    (path,) = write_demo_submissions(folder, branches=["13"])
    return dict(load_checked_parts(path))


def _sheets(parts: dict[str, bytes]) -> dict[str, bytes]:
    book = Book(parts)
    return {entry.name: parts[entry.part] for entry in book.sheets if entry.part}


def _strings() -> list[str]:
    return []


def _expat(content: bytes):
    try:
        return expat_sheet(content, _strings, MAX_ROW)
    except XlsxError as exc:
        return type(exc)


def _expat_table(content: bytes, width: int):
    """A hidden table's rows as the reader builds them from expat's cells."""
    sheet = _expat(content)
    if not isinstance(sheet, SheetCells) or any(
        column > width or value.formula for (_row, column), value in sheet.cells.items()
    ):
        return None  # refused, saying why, by the reader's own path
    rows = [[None] * width for _ in range(max((r for r, _c in sheet.cells), default=0))]
    for (row, column), value in sheet.cells.items():
        rows[row - 1][column - 1] = value.text
    return rows


def _same_as_expat(content: bytes, width: int = 4) -> bool:
    """The flat readings, when they read the part at all, are expat's."""
    flat = flat_sheet(content, _strings, MAX_ROW)
    table = flat_table(content, width, MAX_ROW)
    return (flat is None or flat == _expat(content)) and (
        table is None or table == _expat_table(content, width)
    )


def test_every_sheet_of_a_submission_reads_flat_and_as_expat_reads_it(parts):
    sheets = _sheets(parts)
    assert len(sheets) == 13
    for name, content in sheets.items():
        flat = flat_sheet(content, _strings, MAX_ROW)
        assert flat is not None, name  # what HQ reads takes the quick path
        assert flat == expat_sheet(content, _strings, MAX_ROW), name
        assert read_sheet(content, _strings) == flat
        width = max((c for _r, c in flat.cells), default=0)
        assert flat_table(content, width, MAX_ROW) == _expat_table(content, width), name
        if width:  # a value right of the table: left to the reader's path, which refuses it
            assert flat_table(content, width - 1, MAX_ROW) is None


def _cover(parts) -> bytes:
    return _sheets(parts)["表紙"]


# (what is done to the cover's XML, whether the quick path may still read it)
EDITS = {
    "a comment with cells in the sheet data": (
        lambda x: x.replace(
            b"</sheetData>",
            b'<!-- <row r="99"><c r="A99" t="inlineStr">'
            b"<is><t>x</t></is></c></row> --></sheetData>",
        ),
        False,
    ),
    "the sheet data's name in a comment before it": (
        lambda x: x.replace(b"<sheetData>", b"<!-- <sheetData> --><sheetData>", 1),
        False,
    ),
    "the real sheet data inside a comment only": (
        lambda x: x.replace(b"<sheetData>", b"<!--<sheetData>", 1).replace(
            b"</sheetData>", b"</sheetData>--><sheetData/>"
        ),
        False,
    ),
    "CDATA text": (lambda x: x.replace(b"<t>", b"<t><![CDATA[x]]>", 1), False),
    "a character reference": (lambda x: x.replace(b"<t>", b"<t>&#65;", 1), False),
    "a carriage return in a text": (lambda x: x.replace(b"<t>", b"<t>a\r\nb", 1), False),
    "a raw ]]> in a text": (lambda x: x.replace(b"<t>", b"<t>]]>", 1), False),
    "a hidden row": (lambda x: x.replace(b'<row r="4"', b'<row r="4" hidden="1"', 1), False),
    "a cell outside its row": (lambda x: x.replace(b'<c r="A5"', b'<c r="A6"', 1), False),
    "two cells at one place": (lambda x: x.replace(b'<c r="B5"', b'<c r="A5"', 1), False),
    "row 0": (lambda x: x.replace(b'<row r="1"', b'<row r="0"', 1), False),
    "a row inside a row": (lambda x: x.replace(b"</row><row", b"<row", 1), False),
    "a formula": (lambda x: x.replace(b"<is>", b"<f>1+1</f><is>", 1), False),
    "a shared string": (
        lambda x: x.replace(b't="inlineStr"><is><t>', b't="s"><v>0</v><is><t>', 1),
        False,
    ),
    "a prefix on the cells": (lambda x: x.replace(b"<c ", b"<x:c ", 1), False),
    "whitespace between cells": (lambda x: x.replace(b"</c><c", b"</c>\n<c", 1), False),
    "a bad byte": (lambda x: x.replace(b"<t>", b"<t>\xff", 1), False),
    "a byte-order mark": (lambda x: b"\xef\xbb\xbf" + x, False),
    "a control character": (lambda x: x.replace(b"<t>", b"<t>\x01", 1), False),
    "an unclosed element after the data": (lambda x: x.replace(b"</worksheet>", b""), False),
    "a second sheet data": (
        lambda x: x.replace(b"</sheetData>", b"</sheetData><sheetData/>"),
        False,
    ),
    "a DOCTYPE": (lambda x: b'<!DOCTYPE w [<!ENTITY e "x">]>' + x, False),
    # Still the flat run: read quickly, and as expat reads it.
    "entities in a text": (lambda x: x.replace(b"<t>", b"<t>&amp;&lt;&gt;&quot;&apos;", 1), True),
    "an escaped character": (lambda x: x.replace(b"<t>", b"<t>_x0001_", 1), True),
    "a zero-height row": (lambda x: x.replace(b'ht="32"', b'ht="0"', 1), True),
    "a comment outside the data": (
        lambda x: x.replace(b"<sheetData>", b"<!--x--><sheetData>", 1),
        False,
    ),
    "a processing instruction outside the data": (
        lambda x: x.replace(b"<sheetData>", b"<?pi x?><sheetData>", 1),
        False,
    ),
    "an XML declaration": (
        lambda x: b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + x,
        True,
    ),
    "a ] in a text": (lambda x: x.replace(b"<t>", b"<t>]]a]", 1), True),
    "]]> escaped in a text": (lambda x: x.replace(b"<t>", b"<t>]]&gt;", 1), True),
    "a hidden column": (lambda x: x.replace(b'customWidth="1"', b'hidden="1"', 1), True),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_an_edited_part_is_read_as_expat_reads_it(parts, name):
    edit, quick = EDITS[name]
    before = _cover(parts)
    content = edit(before)
    assert content != before, "the edit must change the part"
    flat = flat_sheet(content, _strings, MAX_ROW)
    assert (flat is not None) is quick
    assert _same_as_expat(content)
    expected = _expat(content)
    try:
        found = read_sheet(content, _strings)
    except XlsxError as exc:
        found = type(exc)
    assert found == expected


_FRAGMENTS = [b"<", b">", b"/", b'"', b"&", b";", b"amp", b"#", b"\r", b"\n", b" ", b"]]>",
              b"<!--", b"-->", b"<c r=\"A1\">", b"</c>", b"<row r=\"2\">", b"</row>", b"<t>",
              b"</t>", b"_x0041_", b"\x00", b"\xe3\x81", b"sheetData", b"r=\"B", b"9", b"s=\"1\"",
              b"t=\"n\"", b"<is>", b"</is>", b"x:", b"?>", b"<?"]  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 3), st.sampled_from(_FRAGMENTS)),
                      min_size=1, max_size=4))  # fmt: skip
def test_random_edits_are_read_as_expat_reads_them_or_left_to_expat(parts, edits):
    content = _cover(parts)
    for where, cut, fragment in edits:
        at = int(where * len(content))
        content = content[:at] + fragment + content[at + cut :]
    assert _same_as_expat(content)


def _nodes_part(parts) -> bytes:
    return _sheets(parts)["_nodes"]


def _renumber(content: bytes, old: int, new: int | str) -> bytes:
    """Row ``old`` (its row element and its cells' references) moved to row ``new``."""
    head = f'<row r="{old}"'.encode()
    start = content.index(head)
    end = content.index(b"</row>", start)
    row = re.sub(
        rb'( r="[A-Z]*)' + str(old).encode() + b'"',
        rb"\g<1>" + str(new).encode() + b'"',
        content[start:end],
    )
    return content[:start] + row + content[end:]


def _emptied(content: bytes, number: int) -> bytes:
    """Row ``number`` with its cells gone (the row element stays)."""
    head = f'<row r="{number}"'.encode()
    start = content.index(head)
    close = content.index(b">", start) + 1
    end = content.index(b"</row>", start)
    return content[:close] + content[end:]


def _dropped(content: bytes, number: int) -> bytes:
    """Row ``number`` gone, row element and all."""
    start = content.index(f'<row r="{number}"'.encode())
    end = content.index(b"</row>", start) + len(b"</row>")
    return content[:start] + content[end:]


# (edit of a hidden table, whether the rows are still 1, 2, 3 … in order)
TABLE_EDITS = {
    "as written": (lambda x: x, True),
    "a row in the middle emptied": (lambda x: _emptied(x, 5), True),
    "the last two rows emptied": (lambda x: _emptied(_emptied(x, _last(x)), _last(x) - 1), True),
    "every row emptied": (lambda x: _all_emptied(x), True),
    "a row left out (a gap)": (lambda x: _dropped(x, 4), False),
    "the last row moved further down": (lambda x: _renumber(x, _last(x), _last(x) + 3), False),
    "two rows in swapped order": (
        lambda x: _renumber(_renumber(_renumber(x, 3, 999), 4, 3), 999, 4),
        False,
    ),
    "a row numbered with a leading zero": (
        lambda x: _renumber(x, 3, "03"),
        False,
    ),
}


def _last(content: bytes) -> int:
    return max(int(n) for n in re.findall(rb'<row r="([0-9]+)"', content))


def _all_emptied(content: bytes) -> bytes:
    for number in range(1, _last(content) + 1):
        content = _emptied(content, number)
    return content


@pytest.mark.parametrize("name", list(TABLE_EDITS))
def test_a_hidden_table_reads_as_expat_reads_it_whatever_its_row_order(parts, name):
    """The rows of a table numbered 1, 2, 3 … (as PlanDesk writes them) are built
    at once; any other numbering row by row; both as expat's cells give them."""
    edit, counted = TABLE_EDITS[name]
    content = edit(_nodes_part(parts))
    width = max(c for _r, c in expat_sheet(_nodes_part(parts), _strings, MAX_ROW).cells)
    numbers = re.findall(rb'<row r="([0-9]+)"', content)
    assert (numbers == [str(n).encode() for n in range(1, len(numbers) + 1)]) is counted
    table = flat_table(content, width, MAX_ROW)
    assert table is not None, name  # both ways are the quick reader's
    assert table == _expat_table(content, width)
    assert flat_table(content, width - 1, MAX_ROW) is None or name == "every row emptied"
