"""The digest and the row seals checked over one encoding of each row (``checked_digest``)
say what ``digest`` and ``seal_matches`` say, row by row, on a real file's tables."""

from __future__ import annotations

from desktop.services.demo_submissions import write_demo_submissions
from desktop.workbooks import seals
from desktop.workbooks.hidden_tables import manifest_keys, tables_for
from desktop.workbooks.machine import FORMAT_VERSION, MANIFEST_SHEET, ROW_HASH
from desktop.workbooks.reader import table_rows
from desktop.workbooks.safety import load_checked_parts
from desktop.workbooks.xlsx_cells import Book


def test_checked_digest_says_what_digest_and_the_row_seals_say(tmp_path):
    (path,) = write_demo_submissions(tmp_path, branches=["27"])
    book = Book(load_checked_parts(path))
    manifest = {k: v for k, v in table_rows(book, MANIFEST_SHEET, 2, "x")[1:] if k}
    tables, sealed = {}, {}
    for table in tables_for(FORMAT_VERSION):
        rows = table_rows(book, table.sheet, len(table.columns) + 1, "x")[1:]
        tables[table.sheet] = [row[:-1] for row in rows]
        sealed[table.sheet] = [row[-1] for row in rows]
    pairs = [(k, manifest.get(k)) for k in manifest_keys(FORMAT_VERSION)]
    value, changed = seals.checked_digest(pairs, tables, sealed)
    assert value == seals.digest(pairs, tables) == manifest["digest"] and changed == {}
    assert ROW_HASH not in tables["_nodes"][0]

    tables["_nodes"][3][4] = "書き換え"  # a title
    sealed["_entries"][1] = sealed["_entries"][1][:15] + "0"  # a seal
    sealed["_kpis"][0] = None
    value, changed = seals.checked_digest(pairs, tables, sealed)
    assert value == seals.digest(pairs, tables) != manifest["digest"]
    assert changed == {"_nodes": [3], "_kpis": [0], "_entries": [1]}
    for table in tables_for(FORMAT_VERSION):
        for i, (row, seal) in enumerate(zip(tables[table.sheet], sealed[table.sheet], strict=True)):
            assert seals.seal_matches(table, row, seal) is (i not in changed.get(table.sheet, []))
