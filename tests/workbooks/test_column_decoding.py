"""HQ decodes the hidden tables a column at a time (``Codec.decode_column``,
``_Reading._by_column``): the same records as row by row, and any fault found
row by row, naming the same cell as ever."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.workbooks.cell_codecs import Codec
from desktop.workbooks.hidden_tables import NODES, TABLES, Table
from desktop.workbooks.machine import Kind, WorkbookError
from desktop.workbooks.row_codec import _Reading, data_from_tables, manifest_rows, tables_of
from tests.workbooks.full_example import full_data
from tests.workbooks.strategies import workbook_data

# Every codec a column uses, once.
CODECS: dict[str, Codec] = {}
for _table in TABLES:
    for _column in _table.columns:
        CODECS.setdefault(f"{_table.sheet}.{_column.name}", _column.codec)

# Cells a codec meets: what the writer writes, and what a hand edit could leave.
_JUNK = st.sampled_from(
    [
        None,
        "",
        "0",
        "1",
        "2",
        "-1",
        "01",
        "1.5",
        "1e3",
        "abc",
        "a b",
        "json:",
        'json:""',
        'json:"x"',
        "json:1",
        "json:[",
        "[]",
        '["a"]',
        "[1]",
        "midyear",
        "annual",
        "2024-10",
        "2024-13",
        "2024-10-02T07:30:00.000000+00:00",
        "1.II.2",
        "１",
        "x" * 70,
        "999999999",
        "9999999999",
        "-0",
        "0.0000000001",
    ]
)


def _decode_each(codec: Codec, cells: list) -> list | type[Exception]:
    try:
        return [codec.decode(cell) for cell in cells]
    except (ValueError, TypeError, ArithmeticError, KeyError, RecursionError, WorkbookError):
        return Exception


def _decode_column(codec: Codec, cells: list) -> list | type[Exception]:
    try:
        return codec.decode_column(cells)
    except (ValueError, TypeError, ArithmeticError, KeyError, RecursionError, WorkbookError):
        return Exception


@pytest.mark.parametrize("name", sorted(CODECS))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_column_decodes_as_its_cells_do_one_by_one(name: str, data: st.DataObject) -> None:
    codec = CODECS[name]
    written = [codec.encode(v) for v in _VALUES.get(name, [])]
    cells = data.draw(st.lists(st.one_of(_JUNK, st.sampled_from(written or [None])), max_size=8))
    assert _decode_column(codec, cells) == _decode_each(codec, cells)


# Values each column's writer writes, from a workbook with every column set.
_VALUES: dict[str, list] = {}
_example_tables = tables_of(full_data(Kind.SUBMISSION))
for _table in TABLES:
    for _index, _column in enumerate(_table.columns):
        _cells = [row[_index] for row in _example_tables.get(_table.sheet, [])]
        _VALUES[f"{_table.sheet}.{_column.name}"] = [_column.codec.decode(c) for c in _cells]


def _both_ways(manifest: dict, tables: dict, table: Table) -> tuple[object, object]:
    """The table's records by column and by row, after the tables it refers to."""
    results = []
    for way in ("_by_column", "_by_row"):
        reading = _Reading(tables, int(manifest["format_version"]))
        for earlier in TABLES[: TABLES.index(table)]:
            if earlier.sheet in tables:
                reading.records(earlier)
        rows = tables.get(table.sheet, [])
        results.append(getattr(reading, way)(table, table.in_version(reading.version), rows))
    return results[0], results[1]


def _manifest_and_tables(data) -> tuple[dict, dict]:
    manifest = dict(manifest_rows(data))
    return manifest, tables_of(data)


@pytest.mark.parametrize("kind", [Kind.SUBMISSION, Kind.TEMPLATE, Kind.WORK])
def test_every_table_of_a_full_workbook_reads_the_same_by_column(kind: Kind) -> None:
    manifest, tables = _manifest_and_tables(full_data(kind))
    for table in TABLES:
        by_column, by_row = _both_ways(manifest, tables, table)
        assert by_column is not None, table.sheet  # the quick way was taken
        assert by_column == by_row, table.sheet


@settings(max_examples=40, deadline=None)
@given(data=workbook_data())
def test_generated_workbooks_read_the_same_by_column(data) -> None:
    manifest, tables = _manifest_and_tables(data)
    for table in TABLES:
        by_column, by_row = _both_ways(manifest, tables, table)
        assert by_column == by_row, table.sheet
    assert data_from_tables(manifest, tables) == data


def _node_column(name: str) -> int:
    return NODES.names.index(name)


def test_a_section_whose_parent_comes_later_is_refused_as_before() -> None:
    """A reference into its own table must point to an earlier row: checked for the
    whole column at once too (a section's parent listed after it)."""
    manifest, tables = _manifest_and_tables(full_data(Kind.SUBMISSION))
    rows = [list(row) for row in tables[NODES.sheet]]
    key, parent = _node_column("key"), _node_column("parent_key")
    child = next(i for i, row in enumerate(rows) if row[parent] is not None)
    parent_line = next(i for i, row in enumerate(rows) if row[key] == rows[child][parent])
    rows.insert(parent_line, rows.pop(child))  # the child now comes before its parent
    tables = {**tables, NODES.sheet: rows}
    reading = _Reading(tables, int(manifest["format_version"]))
    assert reading._by_column(NODES, NODES.in_version(reading.version), rows) is None
    with pytest.raises(WorkbookError) as caught:
        data_from_tables(manifest, tables)
    assert "_nodes" in (caught.value.cell or "")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("key", None),  # an empty key
        ("level", "chapter"),  # not a level
        ("position", "1.5"),  # not a whole number
        ("own", "yes"),  # not a flag
        ("title", "x" * 301),  # over the title's limit
        ("footnotes", '["a", 1]'),  # not a list of texts
    ],
)
def test_a_bad_cell_is_named_as_row_by_row(column: str, value: str | None) -> None:
    manifest, tables = _manifest_and_tables(full_data(Kind.SUBMISSION))
    rows = [list(row) for row in tables[NODES.sheet]]
    rows[3][_node_column(column)] = value
    tables = {**tables, NODES.sheet: rows}
    reading = _Reading(tables, int(manifest["format_version"]))
    assert reading._by_column(NODES, NODES.in_version(reading.version), rows) is None
    with pytest.raises(WorkbookError) as caught:
        data_from_tables(manifest, tables)
    assert (
        caught.value.cell == f"{NODES.sheet}!{'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[_node_column(column)]}5"
    )
