"""The seals of a workbook's hidden tables: a hash per row and per cell, and the digest.

The manifest holds a SHA-256 over the canonical form of everything (the
digest), and each row carries a short hash of its own, then four hex digits
per cell, so that a hand edit can be named: the row, and the fields in it.
The digest has no key — it tells an edit from a damaged or re-saved file, not
a forger from PlanDesk: every value is still checked when it is read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import replace
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]

from desktop.workbooks.hidden_tables import Table, tables_for
from desktop.workbooks.machine import FORMAT_VERSION, Cell, Rows, WorkbookData
from desktop.workbooks.row_codec import manifest_rows, tables_of

# json.dumps with these options builds an encoder per call; a row hash per row
# of every file HQ reads makes that count.
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
# A row of cells (text or None) as _ENCODE spells it, by json's C encoder made once:
# JSONEncoder.encode makes one per call, which is most of a row's cost.
_C_ROW = (
    c_make_encoder(None, None, encode_basestring, None, ":", ",", False, False, True)
    if c_make_encoder is not None
    else None
)


def _row_json(row: Sequence[Cell]) -> str:
    return "".join(_C_ROW(row, 0)) if _C_ROW is not None else _ENCODE(row)


def _canonical(obj: object) -> bytes:
    return _ENCODE(obj).encode("utf-8")


def row_hash(sheet: str, row: Sequence[Cell]) -> str:
    """A short hash of one row; names the rows a hand edit touched."""
    return hashlib.sha256(_canonical([sheet, list(row)])).hexdigest()[:16]


def _cell_hash(sheet: str, column: str, value: Cell) -> str:
    return hashlib.sha256(_canonical([sheet, column, value])).hexdigest()[:4]


def row_seal(table: Table, row: Sequence[Cell]) -> str:
    """What the row_sha256 cell holds (version 2): the row's hash, then four hex
    digits per cell, so that a changed row can be told by field, not only by row."""
    cells = "".join(_cell_hash(table.sheet, c, v) for c, v in zip(table.names, row, strict=True))
    return f"{row_hash(table.sheet, row)}:{cells}"


def seal_matches(table: Table, row: Sequence[Cell], seal: Cell) -> bool:
    """The row is as written (its cell hashes only help name what changed)."""
    return seal is not None and seal[:16] == row_hash(table.sheet, row)


def changed_columns(table: Table, row: Sequence[Cell], seal: Cell) -> list[str]:
    """The columns of a changed row whose own hash no longer matches (none known
    for a version 1 row, whose seal is the row hash alone)."""
    if not seal or len(seal) != 17 + 4 * len(table.columns):
        return []
    stored = seal[17:]
    return [
        column
        for i, (column, value) in enumerate(zip(table.names, row, strict=True))
        if stored[4 * i : 4 * i + 4] != _cell_hash(table.sheet, column, value)
    ]


def digest(
    manifest: Sequence[tuple[str, Cell]], tables: dict[str, Rows], version: int = FORMAT_VERSION
) -> str:
    """SHA-256 over the manifest (without the digest) and every table, in order."""
    h = hashlib.sha256()
    h.update(_canonical([[k, v] for k, v in manifest]))
    for table in tables_for(version):
        h.update(_canonical([table.sheet, list(table.names), tables.get(table.sheet, [])]))
    return h.hexdigest()


def checked_digest(
    manifest: Sequence[tuple[str, Cell]],
    tables: dict[str, Rows],
    seals: dict[str, list[Cell]],
    version: int = FORMAT_VERSION,
) -> tuple[str, dict[str, list[int]]]:
    """``digest`` and, by sheet, the indexes of the rows whose seal does not match
    (``seal_matches``), with each row encoded once for both: the digest's encoding
    of a table is its rows' encodings joined, and a row's hash is over the same
    encoding (what a reader does for every row of every file)."""
    h = hashlib.sha256()
    h.update(_canonical([[k, v] for k, v in manifest]))
    changed: dict[str, list[int]] = {}
    sha256 = hashlib.sha256
    for table in tables_for(version):
        rows = tables.get(table.sheet, [])
        sheet = _ENCODE(table.sheet)
        encoded = [_row_json(row).encode() for row in rows]
        h.update(f"[{sheet},{_ENCODE(list(table.names))},[".encode())
        h.update(b",".join(encoded))
        h.update(b"]]")
        head = f"[{sheet},".encode()
        bad = [
            i
            for i, (row, seal) in enumerate(zip(encoded, seals.get(table.sheet, ()), strict=True))
            if seal is None or seal[:16] != sha256(head + row + b"]").hexdigest()[:16]
        ]
        if bad:
            changed[table.sheet] = bad
    return h.hexdigest(), changed


def with_digest(data: WorkbookData, pages: Rows | None = None) -> WorkbookData:
    """``data`` with its digest over the data and the sealed printed rows ``pages``."""
    pages = list(pages or [])
    value = digest(manifest_rows(data, len(pages)), tables_of(data, pages))
    return replace(data, manifest=replace(data.manifest, digest=value))
