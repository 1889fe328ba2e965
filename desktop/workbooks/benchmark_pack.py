"""The benchmark pack: HQ's national averages and ranks, sent back to the branches.

A small workbook HQ publishes after consolidating a fiscal year and period:
each KPI's national average (全国平均) and every branch's national rank
(全国N位). One pack serves all 47 branches; importing it into a branch
database fills that branch's benchmark fields.

Like the exchange workbooks it carries its data twice: on visible sheets for
people, and as plain-text tables on very hidden sheets that import reads —
its own format ("plandesk.benchmarks", version 1), not one of the exchange
kinds. Every hidden cell is text; a SHA-256 digest over the canonical form of
the manifest and both tables tells a hand-edited pack from HQ's.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from desktop.domain.branches import BRANCHES, HQ_CODE
from desktop.domain.calendar import fiscal_year_label
from desktop.domain.model import Benchmark, Direction, Kpi, PeriodKind
from desktop.domain.national import NationalFigures
from desktop.files import write_atomically
from desktop.workbooks.cell_codecs import (
    KEY_CELL,
    decode_decimal,
    decode_text,
    encode_number,
    encode_stamp,
    encode_text,
)
from desktop.workbooks.cell_writer import put_text
from desktop.workbooks.hq_sheets import STYLES, number_cell, print_setup, set_widths, text_cell
from desktop.workbooks.machine import Cell, Rows, WorkbookError
from desktop.workbooks.reader import table_rows  # the checked cell reader of the exchange
from desktop.workbooks.safety import load_checked_parts
from desktop.workbooks.saving import save_workbook
from desktop.workbooks.styles import register_styles
from desktop.workbooks.xlsx_cells import Book

FORMAT_NAME = "plandesk.benchmarks"
FORMAT_VERSION = 1
MANIFEST_SHEET = "_pack"
KPI_SHEET = "_pack_kpis"
RANK_SHEET = "_pack_ranks"
KPI_COLUMNS = ("kpi_key", "name", "unit", "decimals", "direction", "national_average", "ranked")
RANK_COLUMNS = ("kpi_key", "branch", "national_rank")
MANIFEST_KEYS = (
    "format",
    "format_version",
    "fiscal_year",
    "period",
    "branches",  # the consolidated branches, JSON list
    "app_version",
    "created_by",
    "created_at",
)
AVERAGES_SHEET = "全国平均"
RANKS_SHEET = "全国順位"
BRANCH_CODES = tuple(code for code in BRANCHES if code != HQ_CODE)
_INT = re.compile(r"[0-9]{1,3}", re.ASCII)
MAX_ROWS = 10_000


@dataclass(frozen=True, slots=True)
class PackKpi:
    key: str
    name: str
    unit: str
    decimals: int
    direction: Direction
    national_average: Decimal | None
    ranked: int  # branches with a rank (the N of 全国N位 / ranked)


@dataclass(frozen=True, slots=True)
class BenchmarkPack:
    fiscal_year: int
    period: PeriodKind
    kpis: tuple[PackKpi, ...]
    ranks: Mapping[str, Mapping[str, int | None]]  # kpi key → branch code → rank
    branches: tuple[str, ...]  # the consolidated branches
    app_version: str
    created_by: str
    created_at: datetime
    digest: str = field(default="", compare=False)
    # HQ's signature over the digest (desktop/services/signatures.py), and its key's
    # fingerprint: after the digest, outside it; empty in an unsigned pack.
    signature: str = field(default="", compare=False)
    signing_key: str = field(default="", compare=False)

    def benchmarks_for(self, branch: str) -> tuple[Benchmark, ...]:
        """What one branch imports: each KPI's national average and its own rank."""
        return tuple(
            Benchmark(
                kpi_key=k.key,
                national_average=k.national_average,
                national_rank=self.ranks.get(k.key, {}).get(branch),
                branch_count=k.ranked,
            )
            for k in self.kpis
        )


def pack_from_figures(
    figures: NationalFigures,
    kpis: Sequence[Kpi],
    *,
    app_version: str,
    created_by: str,
    created_at: datetime,
) -> BenchmarkPack:
    """The pack of a consolidation. ``figures.period`` must be set."""
    if figures.period is None:
        raise ValueError("a benchmark pack needs the reporting period")
    items = []
    ranks: dict[str, dict[str, int | None]] = {}
    for kpi in kpis:
        n = figures.kpis[kpi.key]
        items.append(
            PackKpi(
                key=kpi.key,
                name=f"{kpi.label}{kpi.name}",
                unit=kpi.unit,
                decimals=kpi.decimals,
                direction=kpi.direction,
                national_average=n.national_average,
                ranked=n.ranked_count,
            )
        )
        ranks[kpi.key] = {code: n.ranks.get(code) for code in figures.branches}
    return BenchmarkPack(
        fiscal_year=figures.fiscal_year,
        period=figures.period,
        kpis=tuple(items),
        ranks=ranks,
        branches=tuple(figures.branches),
        app_version=app_version,
        created_by=created_by,
        created_at=created_at,
    )


# --- canonical tables and digest ---------------------------------------------------------


def _tables(pack: BenchmarkPack) -> tuple[list[tuple[str, Cell]], Rows, Rows]:
    manifest: list[tuple[str, Cell]] = [
        ("format", FORMAT_NAME),
        ("format_version", str(FORMAT_VERSION)),
        ("fiscal_year", str(pack.fiscal_year)),
        ("period", pack.period.value),
        ("branches", json.dumps(list(pack.branches))),
        ("app_version", encode_text(pack.app_version)),
        ("created_by", encode_text(pack.created_by)),
        ("created_at", encode_stamp(pack.created_at)),
    ]
    kpis: Rows = [
        [
            k.key,
            encode_text(k.name),  # '' and control characters survive the round trip
            encode_text(k.unit),
            str(k.decimals),
            k.direction.value,
            encode_number(k.national_average),
            str(k.ranked),
        ]
        for k in pack.kpis
    ]
    ranks: Rows = [
        [k.key, code, None if rank is None else str(rank)]
        for k in pack.kpis
        for code, rank in sorted(pack.ranks.get(k.key, {}).items())
    ]
    return manifest, kpis, ranks


def _digest(manifest: Sequence[tuple[str, Cell]], kpis: Rows, ranks: Rows) -> str:
    content = [
        [[k, v] for k, v in manifest],
        [KPI_SHEET, list(KPI_COLUMNS), kpis],
        [RANK_SHEET, list(RANK_COLUMNS), ranks],
    ]
    canonical = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- writing -------------------------------------------------------------------------------


def _hidden_table(wb: Workbook, sheet: str, columns: Sequence[str], rows: Rows) -> None:
    ws = wb.create_sheet(sheet)
    ws.sheet_state = "veryHidden"
    for column, name in enumerate(columns, start=1):
        put_text(ws, 1, column, name)
    for line, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            put_text(ws, line, column, value)


def _title(pack: BenchmarkPack) -> str:
    return f"{fiscal_year_label(pack.fiscal_year)} {pack.period.label_ja} 全国平均・全国順位"


def _people_sheets(wb: Workbook, pack: BenchmarkPack) -> None:
    title = _title(pack)
    ws = wb.create_sheet(AVERAGES_SHEET)
    set_widths(ws, (12, 50, 8, 14, 12))
    text_cell(ws, 1, 1, title, "nd_title")
    text_cell(
        ws, 2, 1, f"集計した支部: {len(pack.branches)}　本部作成: {pack.created_by}", "nd_note"
    )
    for column, name in enumerate(
        ("項目", "KPI設定項目", "単位", "全国平均", "順位のある支部数"), 1
    ):
        text_cell(ws, 3, column, name, "nd_head")
    for row, k in enumerate(pack.kpis, start=4):
        text_cell(ws, row, 1, k.key, "nd_text")
        text_cell(ws, row, 2, k.name, "nd_text")
        text_cell(ws, row, 3, k.unit, "nd_centre")
        fmt = "#,##0" if k.decimals <= 0 else "#,##0." + "0" * k.decimals
        number_cell(ws, row, 4, k.national_average, "nd_national", fmt)
        number_cell(ws, row, 5, k.ranked)
    print_setup(ws, title, title_rows="3:3", freeze="A4")

    ws = wb.create_sheet(RANKS_SHEET)
    set_widths(ws, (5, 12, *([10] * len(pack.kpis))))
    text_cell(ws, 1, 1, title, "nd_subtitle")
    text_cell(ws, 2, 1, "コード", "nd_head")
    text_cell(ws, 2, 2, "支部", "nd_head")
    for column, k in enumerate(pack.kpis, start=3):
        text_cell(ws, 2, column, k.name, "nd_head")
    ws.row_dimensions[2].height = 80
    for row, code in enumerate(BRANCH_CODES, start=3):
        text_cell(ws, row, 1, code, "nd_centre")
        text_cell(ws, row, 2, BRANCHES[code].name_ja, "nd_text")
        for column, k in enumerate(pack.kpis, start=3):
            number_cell(ws, row, column, pack.ranks.get(k.key, {}).get(code), fmt="0")
    print_setup(ws, title, title_rows="2:2", title_cols="A:B", freeze="C3")


def build_benchmark_pack(
    pack: BenchmarkPack, sign: Callable[[BenchmarkPack], BenchmarkPack] | None = None
) -> tuple[Workbook, BenchmarkPack]:
    """The pack's workbook and the pack with its digest (signed by ``sign`` when given)."""
    manifest, kpis, ranks = _tables(pack)
    value = _digest(manifest, kpis, ranks)
    pack = BenchmarkPack(**{**_fields(pack), "digest": value})
    if sign is not None:
        pack = sign(pack)
    wb = Workbook()
    wb.remove(wb.active)
    register_styles(wb, STYLES)
    _people_sheets(wb, pack)
    _hidden_table(wb, MANIFEST_SHEET, ("key", "value"), [[k, v] for k, v in manifest])
    ws = wb[MANIFEST_SHEET]
    after = [("digest", value)]
    if pack.signature:
        after += [("signature", pack.signature), ("signing_key", pack.signing_key)]
    for line, (key, cell) in enumerate(after, start=len(manifest) + 2):
        put_text(ws, line, 1, key)
        put_text(ws, line, 2, cell)
    _hidden_table(wb, KPI_SHEET, KPI_COLUMNS, kpis)
    _hidden_table(wb, RANK_SHEET, RANK_COLUMNS, ranks)
    wb.active = 0
    return wb, pack


def _fields(pack: BenchmarkPack) -> dict[str, object]:
    return {name: getattr(pack, name) for name in BenchmarkPack.__dataclass_fields__}


def write_benchmark_pack(
    pack: BenchmarkPack,
    path: str | Path,
    sign: Callable[[BenchmarkPack], BenchmarkPack] | None = None,
) -> BenchmarkPack:
    """Write the pack atomically (signed by ``sign`` when given); returns it with its
    digest."""
    wb, pack = build_benchmark_pack(pack, sign)
    write_atomically(path, lambda temp: save_workbook(wb, temp))
    return pack


# --- reading -------------------------------------------------------------------------------


def _bad(name: str, where: str, value: object) -> WorkbookError:
    return WorkbookError(
        f"「{name}」の値「{value}」を読めません。",
        f"Cannot read the value {value!r} in '{name}'.",
        where,
    )


def read_benchmark_pack(path: str | Path) -> BenchmarkPack:
    """The pack in ``path``, or WorkbookError saying what is wrong."""
    path = Path(path)
    name = path.name
    parts = load_checked_parts(path)
    try:
        book = Book(parts)
        if book.entry(MANIFEST_SHEET) is None:
            raise WorkbookError(
                f"「{name}」は全国平均・順位のファイル（ベンチマークパック）ではありません。",
                f"'{name}' is not a benchmark pack.",
            )
        manifest_rows = table_rows(book, MANIFEST_SHEET, 2, name)
        kpi_rows = table_rows(book, KPI_SHEET, len(KPI_COLUMNS), name)
        rank_rows = table_rows(book, RANK_SHEET, len(RANK_COLUMNS), name)
    except WorkbookError:
        raise
    except Exception as exc:  # a damaged part: fuzzed files raise a dozen kinds of error
        raise WorkbookError(
            f"「{name}」を読めません（{type(exc).__name__}）。",
            f"Cannot read '{name}' ({type(exc).__name__}).",
        ) from exc
    return _parse(name, manifest_rows, kpi_rows, rank_rows)


def _parse(name: str, manifest_rows: Rows, kpi_rows: Rows, rank_rows: Rows) -> BenchmarkPack:
    values: dict[str, Cell] = {}
    for row in manifest_rows[1:]:
        if row[0] is not None:
            values[row[0]] = row[1]
    if values.get("format") != FORMAT_NAME:
        raise WorkbookError(
            f"「{name}」は全国平均・順位のファイル（ベンチマークパック）ではありません。",
            f"'{name}' is not a benchmark pack.",
            f"{MANIFEST_SHEET}!format",
        )
    if values.get("format_version") != str(FORMAT_VERSION):
        raise WorkbookError(
            f"「{name}」の形式の版（{values.get('format_version')}）はこの PlanDesk では読めません。",
            f"'{name}' has format version {values.get('format_version')}; this PlanDesk "
            f"reads version {FORMAT_VERSION}.",
            f"{MANIFEST_SHEET}!format_version",
        )
    for rows, columns, sheet in (
        (kpi_rows, KPI_COLUMNS, KPI_SHEET),
        (rank_rows, RANK_COLUMNS, RANK_SHEET),
    ):
        if not rows or rows[0] != list(columns):
            raise WorkbookError(
                f"シート「{sheet}」の見出し行が違います。",
                f"The header row of sheet '{sheet}' is wrong.",
                f"{sheet}!1",
            )
        if len(rows) > MAX_ROWS:
            raise WorkbookError(
                f"シート「{sheet}」の行が多すぎます。", f"Sheet '{sheet}' has too many rows.", sheet
            )
    manifest = [(key, values.get(key)) for key in MANIFEST_KEYS]
    if _digest(manifest, kpi_rows[1:], rank_rows[1:]) != values.get("digest"):
        raise WorkbookError(
            f"「{name}」は本部が作成した後に書き換えられています（ダイジェスト不一致）。",
            f"'{name}' was changed after HQ wrote it (digest mismatch).",
            MANIFEST_SHEET,
        )
    try:
        return _pack(values, kpi_rows[1:], rank_rows[1:])
    except (ValueError, TypeError, KeyError, ArithmeticError) as exc:
        raise _bad(name, MANIFEST_SHEET, exc) from exc


def _count(text: Cell, low: int, high: int) -> int:
    if text is None or not _INT.fullmatch(text) or not low <= int(text) <= high:
        raise ValueError(text)
    return int(text)


def _pack(values: dict[str, Cell], kpi_rows: Rows, rank_rows: Rows) -> BenchmarkPack:
    year = values.get("fiscal_year") or ""
    if not (year.isascii() and year.isdigit() and 1990 <= int(year) <= 2100):
        raise ValueError(f"fiscal_year {year!r}")
    branches = json.loads(values.get("branches") or "[]")
    if not isinstance(branches, list) or not set(branches) <= set(BRANCH_CODES):
        raise ValueError("branches")
    kpis: list[PackKpi] = []
    for key, kpi_name, unit, decimals, direction, average, ranked in kpi_rows:
        if key is None or not KEY_CELL.fullmatch(key) or any(k.key == key for k in kpis):
            raise ValueError(f"kpi_key {key!r}")
        kpis.append(
            PackKpi(
                key=key,
                name=decode_text(kpi_name) or "",
                unit=decode_text(unit) or "",
                decimals=_count(decimals, 0, 10),
                direction=Direction(direction),
                national_average=None if average is None else decode_decimal(average),
                ranked=_count(ranked, 0, len(BRANCH_CODES)),
            )
        )
    keys = {k.key for k in kpis}
    ranks: dict[str, dict[str, int | None]] = {k.key: {} for k in kpis}
    for key, code, rank in rank_rows:
        if key not in keys or code not in BRANCH_CODES or code in ranks[key]:
            raise ValueError(f"rank row {key!r} {code!r}")
        ranks[key][code] = None if rank is None else _count(rank, 1, len(BRANCH_CODES))
    created_at = datetime.fromisoformat(values.get("created_at") or "")
    if created_at.tzinfo is None:
        raise ValueError("created_at has no time zone")
    return BenchmarkPack(
        fiscal_year=int(year),
        period=PeriodKind(values.get("period")),
        kpis=tuple(kpis),
        ranks=ranks,
        branches=tuple(branches),
        app_version=decode_text(values.get("app_version")) or "",
        created_by=decode_text(values.get("created_by")) or "",
        created_at=created_at,
        digest=values.get("digest") or "",
        signature=values.get("signature") or "",
        signing_key=values.get("signing_key") or "",
    )
