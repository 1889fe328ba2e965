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

from desktop.workbooks.machine import FORMAT_VERSION, MANIFEST_SHEET, PRINT_LAYOUT, Kind
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
    "_branch_targets",
)

# Recorded from the build before the tables were declared column by column (7f0a0f8):
# SHA-256 over the hidden sheets' XML, in order, and the manifest's digest.
# Keyed by (format version, print layout): the _pages table and the manifest's
# print_layout change with the layout too (machine.PRINT_LAYOUT, which does not need a
# new format: test_printed_pages.py pins the layout itself).
FINGERPRINTS = {
    (2, 1): {
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
    # 5: rating scopes (_nodes.rated_with); print layout 2.
    # 4: HQ's targets per branch (_branch_targets), _kpis.target_by_branch; print layout 2.
    (4, 2): {
        Kind.TEMPLATE: (
            "8c6487ecf4a569e9dac2ea0163628d7f0e2073aeaf8c20dafeff87cf25dc458e",
            "a7a48137bf6dc50e188c1d315d9ac024590801c86c2cec4789efe86cd6552cc0",
        ),
        Kind.WORK: (
            "52f50feed1b0fc54ca0578fccae856773a27c7aff31128eb5f3390a5cbe89f50",
            "65047f4005e2d8dbd8e253c2594f462785d6910526f2fd0a1b4d445c9662184c",
        ),
        Kind.SUBMISSION: (
            "7f2f2cac342c37aaf9eab28f5320567b0fce4ec51830d2e2b24c347c7063aeb9",
            "f52dbf5f1ac794aba8af79eaa6204c0682cca12f48920bca5446a7e091df77d7",
        ),
    },
    # 3: the reference figures (issue 15 item 3) in _kpis and _benchmarks.
    (3, 1): {
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
    # print layout 2: the report table's KPI rows print 前年度実績 and the national figures.
    (3, 2): {
        Kind.TEMPLATE: (
            "987774eebddaf72adf751bd588cf24eafe7519ae85e5b24998b3dbcc89b784c7",
            "45ce7a5ffd43b55ba56d3546f15023970006d672d86e6b471599d49524f143ac",
        ),
        Kind.WORK: (
            "6ead5bc744c32ad7ffa3867a8e49ba7f5797ad7500a4461d0144934e911001f7",
            "293ae05b591306b9ac75827ea01881cb1b3097f6ac11eaa4c63e17a7df549ff5",
        ),
        Kind.SUBMISSION: (
            "060ea9745873e894c1c9405332ac031289bf4f05e0735955d86796106cd4c993",
            "c7fc53ba0d8a7edfe3bc1dec87b3f8fc93b9829e258521ff51cf802e179a1372",
        ),
    },
    # 5: print profiles and 具体的な取り組み, the report by group, rating scopes, signed
    # files (audit_head, audit_checkpoints); print layout 3 (by group, every KPI row's
    # references, the reason apart).
    (5, 3): {
        Kind.TEMPLATE: (
            "a0e5ee7e30eea1a7ddaa8da75fe5c8b942ab053430f6f4fa1c5993882867b54b",
            "811ed19c49cd29020063a4453e17395338d4377f9ab0d73021ab4f93f0dbdbe7",
        ),
        Kind.WORK: (
            "e339e8edbd7f848e25c557f16ae95883e186be16f13af9b7e262231f22ed2478",
            "024028ebcbea7cd6a434b9493c56e2be2f5944bf4a9a0c3d98ef0a9d63f63386",
        ),
        Kind.SUBMISSION: (
            "76fec8882bd70165ea298a1951d53d92f35f3f7b8605dd4241d2bddffd33ce21",
            "73fc75b7bbc94edde0433c6c7d22d8f23ab0f7a84c0d2f12ead981b539d09059",
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
    assert (sheets, written.manifest.digest) == FINGERPRINTS[FORMAT_VERSION, PRINT_LAYOUT][kind], (
        "The hidden tables changed: a new format version (see this module's docstring). "
        f"Now: {kind}: ({sheets!r}, {written.manifest.digest!r})"
    )
