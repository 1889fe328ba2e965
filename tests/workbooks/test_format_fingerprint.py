"""The hidden tables of a fixed workbook, byte for byte: the file format is pinned.

A workbook of format 2 that PlanDesk wrote yesterday must read the same today,
and one written today must read in yesterday's PlanDesk of the same format:
so for fixed data (``full_example``: every kind, every column set, texts that
need escaping)
the XML of each hidden sheet and the digest are recorded here. A change to a
table's columns, a codec or the digest changes them. That is the moment to
raise ``FORMAT_VERSION`` (desktop/workbooks/machine.py), keep reading the
older versions (``since`` on the new columns) and record the new values.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from desktop.workbooks.machine import FORMAT_VERSION, MANIFEST_SHEET, Kind
from desktop.workbooks.reader import read_workbook
from desktop.workbooks.writer import write_workbook
from desktop.workbooks.xlsx_cells import Book
from tests.workbooks.full_example import full_data

HIDDEN = (
    MANIFEST_SHEET,
    "_nodes",
    "_kpis",
    "_kpi_months",
    "_entries",
    "_measurements",
    "_benchmarks",
    "_bases",
    "_pages",
)

# Recorded from the build before the tables were declared column by column (7f0a0f8):
# SHA-256 over the hidden sheets' XML, in order, and the manifest's digest.
FINGERPRINTS = {
    2: {
        Kind.TEMPLATE: (
            "6b8e5e16ce0a639ad90d9ab97e726f606130c52d8a28e0b2f43ba7ee98edcf2a",
            "a0d423531f2c667a7a70a8371425a08f1eaa00b8ab237b03fb4bcdc638bd9fda",
        ),
        Kind.WORK: (
            "729a4e9b97677574ba0c484858f73deb397c149603ceff4c6e8d4c464b658dbf",
            "220261ed5b95a63684549b87a9a871b965a94d4db7b618fefb2fd11ed1a4c3e1",
        ),
        Kind.SUBMISSION: (
            "ccde6c7582ce7af39c2b32b22bfaeb7ebffe5633cb19ef4786e1867bf268d337",
            "37993ff2a1a0dc6241226a0c7a960d2ceb7b6d229068d6a0ee26d58f0e485753",
        ),
    },
    # 3: the reference figures (issue 15 item 3) in _kpis and _benchmarks.
    3: {
        Kind.TEMPLATE: (
            "a60e3a6bbb54545129924a66768c8ddef9574d11cc0821dd713f96dd5881be33",
            "f0c4cb8a0a5a8aed541a375c922497b42e8bf9fccfd40f41624d37b51f5ab93b",
        ),
        Kind.WORK: (
            "9f710f683b1aa62972f447e0a6f0d5cea4ee0e9609d764847812ee0b7efcf345",
            "03d7deb67bb2090b52c47f927a6dbfb21d7a40af0e2d43adf68e49066c1cc88b",
        ),
        Kind.SUBMISSION: (
            "f967e90a0d9ebc159964cac3b996990906535fe2d25ca736d8d51a249b5f277b",
            "c10885ee8ddc02905190100a96c574fa27357c14c0236361ea5dad1f46a65643",
        ),
    },
    # 4: 支部独自 (own) in _nodes and _kpis, HQ's branch_may_add in _nodes (issue 15 item 2).
    4: {
        Kind.TEMPLATE: (
            "cbf7640cdd342ac5bdff33f522182a916a08e3319ad66a7ce5fa7b2991bf9d88",
            "832dbbc833ff1c2ec8b211323ba152b4745d3acf37d34fc01c75ef76c8c736ea",
        ),
        Kind.WORK: (
            "612e9966f808d0e8eb28edce00a6f51dcb276b2dbb515d70ac346d3910dc948c",
            "258bc315cba3f5b6d4941eb316ba6ed3d5c01558485228e48e4f16c23e47cf36",
        ),
        Kind.SUBMISSION: (
            "dfb346ecfa3f2674d679a8ed5c7d536b04c340e7e15ade28b647295ee607a112",
            "ae59d74b0763650b20fbe9d4701d462d03519c80ea78207962c89bb0cd14835e",
        ),
    },
}


def _hidden_sheets(path: Path) -> bytes:
    content = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        book = Book(archive)
        parts = []
        for sheet in HIDDEN:
            entry = book.entry(sheet)
            assert entry is not None and entry.part is not None, sheet
            assert entry.state == "veryHidden", sheet
            parts.append(archive.read(entry.part))
    return b"\0".join(parts)


@pytest.mark.parametrize("kind", list(Kind), ids=lambda k: k.value)
def test_the_hidden_tables_of_a_fixed_workbook_are_as_recorded(tmp_path: Path, kind: Kind):
    path = tmp_path / f"{kind.value}.xlsx"
    written = write_workbook(full_data(kind), path)
    assert read_workbook(path) == written
    sheets = hashlib.sha256(_hidden_sheets(path)).hexdigest()
    assert (sheets, written.manifest.digest) == FINGERPRINTS[FORMAT_VERSION][kind], (
        "The hidden tables changed: a new format version (see this module's docstring). "
        f"Now: {kind}: ({sheets!r}, {written.manifest.digest!r})"
    )
