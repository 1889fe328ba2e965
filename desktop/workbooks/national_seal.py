"""HQ's signature on a national workbook (`plandesk consolidate --out … --sign`).

The national workbook has no machine-readable tables: it is what HQ reads and
passes on. Its seal is a very hidden sheet (``SEAL_SHEET``) holding the digest of
every other sheet's cell values — as a reader gets them back from the saved file,
so that a value written as a Decimal and read back as a number digests the same —
with the year, period, writer, time, and HQ's signature over them
(``services.signatures``). Changing any cell, adding or removing a sheet, or
renaming one changes the digest; the signature binds the digest to HQ's key.

Charts and formatting are not covered (a reader sees only values), nor is the
file name. A workbook written without ``--sign`` has no seal sheet.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook

from desktop.domain.errors import UserError
from desktop.domain.model import PeriodKind
from desktop.workbooks.machine import WorkbookError
from desktop.workbooks.safety import MAX_FILE_BYTES, MAX_MEMBERS, MAX_TOTAL_UNCOMPRESSED

SEAL_SHEET = "_署名"
SEAL_FORMAT = "plandesk.national-seal/1"
_KEYS = ("format", "fiscal_year", "period", "created_by", "created_at", "digest",
         "signature", "signing_key")  # fmt: skip


@dataclass(frozen=True, slots=True)
class NationalSeal:
    """What a signed national workbook says of itself; signed like HQ's other files."""

    fiscal_year: int
    period: PeriodKind
    created_by: str
    created_at: datetime
    digest: str
    signature: str = ""
    signing_key: str = ""


def _cell(value: object) -> object:
    if isinstance(value, datetime):
        return ["d", value.isoformat()]
    if isinstance(value, bool):
        return ["b", value]
    if isinstance(value, int | float):
        return ["n", repr(value)]
    return ["s", str(value)]


def digest_of(content: bytes) -> str:
    """SHA-256 over every sheet but the seal's: names, order, and each non-empty cell's
    place and value as openpyxl reads them from ``content`` (canonical JSON)."""
    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    try:
        h = hashlib.sha256()
        for ws in wb.worksheets:
            if ws.title == SEAL_SHEET:
                continue
            ws.reset_dimensions()  # a stale <dimension> would hide rows (docs TRAPS)
            cells = [
                [cell.row, cell.column, _cell(cell.value)]
                for row in ws.iter_rows()
                for cell in row
                if cell.value is not None and hasattr(cell, "column")
            ]
            part = json.dumps([ws.title, cells], ensure_ascii=False, separators=(",", ":"))
            h.update(part.encode("utf-8"))
            h.update(b"\n")
        return h.hexdigest()
    finally:
        wb.close()


def seal_workbook(
    wb: Workbook,
    *,
    fiscal_year: int,
    period: PeriodKind,
    created_by: str,
    created_at: datetime,
    sign: Callable[[NationalSeal], NationalSeal],
) -> NationalSeal:
    """Add the signed seal sheet to ``wb`` (built, not yet written)."""
    scratch = io.BytesIO()
    wb.save(scratch)  # in memory (no disk to fill); the file is written after the seal
    seal = sign(
        NationalSeal(fiscal_year, period, created_by, created_at, digest_of(scratch.getvalue()))
    )
    ws = wb.create_sheet(SEAL_SHEET)
    ws.sheet_state = "veryHidden"
    for row, key in enumerate(_KEYS, start=1):
        ws.cell(row, 1, key)
        ws.cell(row, 2, _seal_value(seal, key)).data_type = "s"
    return seal


def _seal_value(seal: NationalSeal, key: str) -> str:
    if key == "format":
        return SEAL_FORMAT
    value = getattr(seal, key)
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, PeriodKind):
        return value.value
    return str(value)


def _load(path: Path) -> bytes:
    """The file's bytes once sized up: the national workbook holds charts, which the
    checks for branch files refuse (``safety``), so only the limits are kept here —
    file size, number of parts, total unpacked size, no encrypted or duplicate parts
    (openpyxl parses with defusedxml: no entities)."""
    content = path.read_bytes()
    bad = WorkbookError(
        f"「{path.name}」は全国集計のファイルとして読めません。",
        f"'{path.name}' cannot be read as a national workbook.",
    )
    if len(content) > MAX_FILE_BYTES or not content.startswith(b"PK"):
        raise bad
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise bad from exc
    names = [i.filename.casefold() for i in infos]
    if (
        len(infos) > MAX_MEMBERS
        or len(set(names)) != len(names)
        or sum(i.file_size for i in infos) > MAX_TOTAL_UNCOMPRESSED
        or any(i.flag_bits & 0x1 for i in infos)
    ):
        raise bad
    return content


def read_seal(path: Path) -> tuple[NationalSeal | None, str]:
    """The seal a national workbook carries (None: not signed) and the digest of what
    it holds now. UserError when the file is no sound workbook or the seal unreadable."""
    content = _load(path)
    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    try:
        if SEAL_SHEET not in wb.sheetnames:
            return None, digest_of(content)
        ws = wb[SEAL_SHEET]
        ws.reset_dimensions()
        values = {
            str(row[0]): str(row[1] or "")
            for row in ws.iter_rows(min_row=1, max_row=len(_KEYS), max_col=2, values_only=True)
            if row and row[0] is not None
        }
    finally:
        wb.close()
    try:
        if values.get("format") != SEAL_FORMAT:
            raise ValueError(values.get("format"))
        seal = NationalSeal(
            fiscal_year=int(values["fiscal_year"]),
            period=PeriodKind(values["period"]),
            created_by=values["created_by"],
            created_at=datetime.fromisoformat(values["created_at"]),
            digest=values["digest"],
            signature=values["signature"],
            signing_key=values["signing_key"],
        )
    except (KeyError, ValueError) as exc:
        raise UserError(
            f"「{path.name}」の署名欄を読めません（壊れています）。",
            f"Cannot read the signature sheet of '{path.name}' (damaged).",
        ) from exc
    return seal, digest_of(content)
