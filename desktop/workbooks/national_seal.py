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
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook

from desktop.domain.errors import UserError
from desktop.domain.model import PeriodKind
from desktop.workbooks.machine import WorkbookError
from desktop.workbooks.safety import BRANCH_PARTS, MAX_FILE_BYTES, check_content

SEAL_SHEET = "_署名"
SEAL_FORMAT = "plandesk.national-seal/1"
# Sheets every national workbook has (``national.SUMMARY_SHEET`` and ``FIGURES_SHEET``),
# by which an unsigned one is known.
MARK_SHEETS = ("概要", "全国値")
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


# What a national workbook may hold: the parts of a branch file (``safety``: what
# openpyxl writes, and what Excel and LibreOffice add when they save it again) and
# its charts — openpyxl's charts and the drawing that places them on the charts
# sheet, with the style and colour parts and relationships Excel writes for them.
# No pictures, shapes, comments, external links, embedded objects or macros: the
# seal covers cell values only, so a part added to a signed file must not pass.
NATIONAL_PARTS = re.compile(
    BRANCH_PARTS.pattern + r"|xl/charts/(?:chart|style|colors)[0-9]{1,4}\.xml"
    r"|xl/charts/_rels/chart[0-9]{1,4}\.xml\.rels"
    r"|xl/drawings/drawing[0-9]{1,4}\.xml"
    r"|xl/drawings/_rels/drawing[0-9]{1,4}\.xml\.rels",
    re.ASCII,
)


def _bad(name: str, why_ja: str, why_en: str) -> WorkbookError:
    return WorkbookError(
        f"「{name}」は全国集計のファイルとして読めません（{why_ja}）。",
        f"'{name}' cannot be read as a national workbook ({why_en}).",
    )


def load_national(path: Path) -> bytes:
    """The bytes of the national workbook ``path`` once they passed the checks every
    incoming workbook gets before a parser sees it (``safety.check_content``: size,
    parts and their names, no encrypted part, no zip bomb, every part decompressed
    once with its CRC checked, no UTF-16, DOCTYPE/ENTITY or macros), with its chart
    parts allowed, and no link out of the file."""
    name = path.name
    try:
        with open(path, "rb") as handle:
            content = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise WorkbookError(
            f"「{name}」を開けません（{exc.strerror or exc}）。",
            f"Cannot open '{name}' ({exc.strerror or exc}).",
        ) from exc
    check_content(name, content, parts=NATIONAL_PARTS)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            links = [
                info.filename
                for info in archive.infolist()
                if info.filename.endswith(".rels") and b"External" in archive.read(info)
            ]
    except Exception as exc:  # checked whole above: only a file changed under us fails here
        raise _bad(name, "壊れています", "damaged") from exc
    # A link out of the file (external chart data, a linked picture or workbook):
    # PlanDesk writes none, and a chart fed from elsewhere would show other figures.
    if links:
        raise _bad(
            name,
            f"{links[0]} にファイルの外へのリンクがあります",
            f"{links[0]} links to something outside the file",
        )
    return content


def national_sheets(path: Path) -> bool:
    """Whether ``path`` looks like a national workbook, from its sheet names alone (the
    workbook part, read with a size cap; nothing is parsed further): asked only of a
    file the workbook reader refused, so an ordinary file pays nothing for it."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("xl/workbook.xml")
            if info.file_size > 2**20:
                return False
            part = archive.read(info).decode("utf-8", errors="replace")
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, RuntimeError, EOFError):
        return False
    names = set(re.findall(r'<(?:\w+:)?sheet [^>]*name="([^"]+)"', part))
    return SEAL_SHEET in names or set(MARK_SHEETS) <= names


def _seal_cells(content: bytes) -> tuple[dict[str, str] | None, str]:
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
    return values, digest_of(content)


def read_seal(path: Path) -> tuple[NationalSeal | None, str]:
    """The seal a national workbook carries (None: not signed) and the digest of what
    it holds now. UserError when the file is no sound workbook or the seal unreadable."""
    content = load_national(path)
    try:
        values, digest = _seal_cells(content)
    except Exception as exc:  # a damaged part: openpyxl raises a dozen kinds of error
        raise _bad(
            path.name, f"壊れています: {type(exc).__name__}", f"damaged: {type(exc).__name__}"
        ) from exc
    if values is None:
        return None, digest
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
    return seal, digest
