"""The machine part of a PlanDesk workbook: normalized tables, manifest, digest.

Every workbook PlanDesk writes (template, work file, submission) carries its
data twice: laid out for people on the visible sheets, and as plain tables on
hidden sheets. Import reads only the tables. Every cell of a table is text (or
empty), so no number ever passes through a float and Excel never reformats a
value; the manifest holds a SHA-256 over the canonical form of everything, and
each row carries a short hash of its own so that a hand edit can be named.

This module knows the shape of the tables and how domain objects map to rows.
It does no I/O: ``writer`` and ``reader`` move the rows in and out of xlsx.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from desktop.domain import limits
from desktop.domain.branches import BRANCHES
from desktop.domain.calendar import YearMonth
from desktop.domain.errors import BadFile
from desktop.domain.model import (
    Benchmark,
    Direction,
    Group,
    Kpi,
    Level,
    Measurement,
    PeriodKind,
    Plan,
    PlanNode,
    Report,
    SectionEntry,
    TargetKind,
)
from desktop.domain.text import Text

FORMAT_NAME = "plandesk.workbook"
# 2: the printed sheets are sealed (the _pages table), the creator's display name
# (created_name), per-cell hashes after each row hash. Version 1 files still read.
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
# What the printed sheets look like for given data (print_sheets.build_pages). A file
# is verified by laying its pages out again from its data and comparing: that proves
# the printed sheets say what the data says, but only with the same layout. Raise
# this number whenever build_pages prints anything differently (a golden test in
# tests/workbooks/test_printed_pages.py fails until you do).
PRINT_LAYOUT = 1
ROW_HASH = "row_sha256"
MANIFEST_SHEET = "_manifest"
# Excel refuses control characters other than tab and newline in cells, XML 1.0
# cannot carry U+FFFE/U+FFFF at all, and a stored \r comes back as \n: texts
# with any of these are written escaped (see ``encode_text``).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r\ufffe\uffff]")
# Inside an escaped (JSON) cell these must be \u-escaped as well.
_JSON_UNSAFE = re.compile(r"[\ufffe\uffff]")
# A lone surrogate cannot be encoded at all (not in UTF-8, not in the database).
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_ESCAPE = "json:"
MAX_CELL = 32_767  # Excel's limit, in UTF-16 code units
_DECIMAL = re.compile(r"-?[0-9]{1,18}(\.[0-9]{1,10})?", re.ASCII)
_INT = re.compile(r"-?[0-9]{1,9}", re.ASCII)
_KEY = re.compile(r"[A-Za-z0-9_.\-]{1,64}", re.ASCII)


class Kind(StrEnum):
    TEMPLATE = "template"  # HQ's plan structure, KPI definitions and targets
    WORK = "work"  # some sections of one period, from one PC
    SUBMISSION = "submission"  # the whole branch report of a period, signed off

    @property
    def label_ja(self) -> str:
        return {"template": "計画テンプレート", "work": "作業ファイル", "submission": "提出版"}[
            self.value
        ]

    @property
    def label_en(self) -> str:
        return {"template": "Template", "work": "Work file", "submission": "Submission"}[self.value]


class WorkbookError(BadFile, ValueError):
    """A workbook that cannot be used; says why in both languages and where.

    ``reason`` is the why alone; ``text`` (what a person reads) adds the place.
    A ValueError too: the decoders' own failures are ValueErrors.
    """

    def __init__(
        self, message_ja: str, message_en: str, where: str = "", *, cell: str = ""
    ) -> None:
        self.reason = Text(message_ja, message_en)
        place = Text(f"（{where}）", f" ({where})") if where else Text.same("")
        super().__init__(self.reason + place)
        self.where = where  # shown with the message: a place a person can find
        # The hidden sheet and cell (e.g. "_measurements!B5"): for the error log and
        # tests, never shown — the message names the section or KPI and field in words.
        self.cell = cell

    def __str__(self) -> str:
        at = self.where or self.cell
        return f"{at}: {self.reason.en}" if at else self.reason.en


class ChangedAfterWriting(WorkbookError):
    """The file was edited after PlanDesk wrote it: its data, or its printed sheets."""


@dataclass(frozen=True, slots=True)
class Manifest:
    kind: Kind
    branch: str
    fiscal_year: int
    period: PeriodKind | None  # None for templates
    app_version: str
    created_by: str  # the login, for the audit trail
    created_at: datetime
    sections: tuple[str, ...] = ()  # work files: the node keys they carry
    signed_off_by: str | None = None  # the login
    signed_off_at: datetime | None = None
    signed_off_name: str | None = None  # display name, for the cover
    format_version: int = FORMAT_VERSION
    digest: str = ""
    created_name: str | None = None  # display name, for the cover
    print_layout: int = PRINT_LAYOUT  # 0: not recorded (format 1)

    @property
    def creator(self) -> str:
        """Who wrote the file, as people know them (the login when no name is known)."""
        return self.created_name or self.created_by

    @property
    def signer(self) -> str:
        return self.signed_off_name or self.signed_off_by or ""


@dataclass(frozen=True, slots=True)
class WorkbookData:
    """What a workbook carries: a plan (structure, KPIs) with at most one report."""

    manifest: Manifest
    plan: Plan
    # Work files: the value each field had when this PC last took it from a file
    # (the common version for a three-way merge); see domain.merge.
    bases: dict[str, str | None] = field(default_factory=dict)

    @property
    def report(self) -> Report | None:
        return self.plan.reports[0] if self.plan.reports else None


@dataclass(frozen=True, slots=True)
class Table:
    """A hidden table; ``since`` names the columns a later format version added
    (a file of an earlier version is read with the columns it was written with)."""

    sheet: str
    columns: tuple[str, ...]
    since: tuple[tuple[str, int], ...] = ()

    def in_version(self, version: int) -> Table:
        later = {column for column, added in self.since if added > version}
        if not later:
            return self
        return Table(self.sheet, tuple(c for c in self.columns if c not in later))


NODES = Table(
    "_nodes",
    (
        "key",
        "parent_key",
        "level",
        "label",
        "title",
        "plan_text",
        "group",
        "importance",
        "difficulty",
        "footnotes",
        "position",
    ),
)
KPIS = Table(
    "_kpis",
    (
        "key",
        "node_key",
        "label",
        "name",
        "unit",
        "decimals",
        "direction",
        "target_kind",
        "target",
        "cumulative",
        "is_new",
        "definition_changed",
        "numerator_label",
        "denominator_label",
        "numerator_target",
        "denominator_target",
        "last_year_actual",
        "reference",
        "note",
        "judged_decimals",
    ),
    since=(("judged_decimals", 2),),  # "judged at the printed precision"
)
KPI_MONTHS = Table("_kpi_months", ("kpi_key", "series", "fiscal_index", "value"))
ENTRIES = Table("_entries", ("node_key", "status_text", "mark", "mark_reason", "next_steps"))
MEASUREMENTS = Table(
    "_measurements",
    (
        "kpi_key",
        "value",
        "numerator",
        "denominator",
        "done",
        "as_of",
        "preliminary",
        "unavailable_reason",
        "entered_by",
        "entered_at",
    ),
)
BENCHMARKS = Table("_benchmarks", ("kpi_key", "national_average", "national_rank", "branch_count"))
BASES = Table("_bases", ("field", "value"))
# What the printed sheets show, sealed: per printed row, the sheet, the row
# ("header" / "footer" for those), what the row is about in words, and per
# cell with text "B:<16 hex of SHA-256 of the text>" (see print_sheets).
PAGES = Table("_pages", ("sheet", "row", "subject", "cells"))
TABLES = (NODES, KPIS, KPI_MONTHS, ENTRIES, MEASUREMENTS, BENCHMARKS, BASES, PAGES)
MANIFEST_KEYS = (
    "format",
    "format_version",
    "kind",
    "branch",
    "fiscal_year",
    "period",
    "as_of",
    "plan_title",
    "basic_policy",
    "report_title",
    "sections",
    "app_version",
    "created_by",
    "created_name",
    "created_at",
    "signed_off_by",
    "signed_off_name",
    "signed_off_at",
    "print_layout",
    "row_counts",  # rows per table: names the table a row was deleted from or added to
)


def print_not_provable(manifest: Manifest) -> tuple[str, str] | None:
    """Why it cannot be proven that a file's printed sheets say what its data says
    (Japanese, English), or None. Such a file's data is sealed as before and
    imports; ``verify`` and HQ's consolidation refuse it."""
    if manifest.format_version >= FORMAT_VERSION:
        if manifest.print_layout == PRINT_LAYOUT:
            return None
        layout = manifest.print_layout
        return (
            f"別の版の PlanDesk（印刷レイアウト 第{layout}版、この PlanDesk は第{PRINT_LAYOUT}版）"
            "で書かれたファイルのため、印刷される内容がデータと同じかを確認できません。"
            "本部と支部で同じ版の PlanDesk を使って、書き出し直してください。",
            f"Written by another version of PlanDesk (print layout {layout}; this one prints "
            f"layout {PRINT_LAYOUT}): whether its printed sheets say what its data says cannot "
            "be checked. Use the same PlanDesk version as HQ and export it again.",
        )
    version = manifest.format_version
    return (
        f"以前の PlanDesk（ファイル形式 第{version}版）で書かれたファイルのため、印刷される内容が"
        "データと同じかを確認できません。PlanDesk を更新して、書き出し直してください。",
        f"Written by an older PlanDesk (file format {version}): whether its printed sheets "
        "say what its data says cannot be checked. Update PlanDesk and export it again.",
    )


def tables_for(version: int) -> tuple[Table, ...]:
    """The hidden tables a file of format ``version`` holds, with its columns."""
    return tuple(t.in_version(version) for t in TABLES if version >= 2 or t is not PAGES)


def table_in(version: int, table: Table) -> Table:
    return table.in_version(version)


def manifest_keys(version: int) -> tuple[str, ...]:
    added_in_2 = ("created_name", "print_layout")
    return MANIFEST_KEYS if version >= 2 else tuple(k for k in MANIFEST_KEYS if k not in added_in_2)


Cell = str | None
Rows = list[list[Cell]]

# The domain's limit of every text a workbook carries (desktop/domain/limits.py):
# a file is untrusted, and a text PlanDesk would not store — or could not write
# into a workbook again — is refused when the file is read, naming the cell.
TEXT_LIMITS: dict[str, dict[str, limits.TextKind]] = {
    MANIFEST_SHEET: {
        "plan_title": limits.PLAN_TITLE,
        "basic_policy": limits.BASIC_POLICY,
        "report_title": limits.REPORT_TITLE,
        "created_by": limits.LOGIN,
        "signed_off_by": limits.LOGIN,
        "signed_off_name": limits.DISPLAY_NAME,
    },
    NODES.sheet: {
        "label": limits.NODE_LABEL,
        "title": limits.NODE_TITLE,
        "plan_text": limits.PLAN_TEXT,
        "importance": limits.TAG_REASON,
        "difficulty": limits.TAG_REASON,
        "footnotes": limits.FOOTNOTE,
    },
    KPIS.sheet: {
        "label": limits.KPI_LABEL,
        "name": limits.KPI_NAME,
        "unit": limits.KPI_UNIT,
        "numerator_label": limits.KPI_PART_LABEL,
        "denominator_label": limits.KPI_PART_LABEL,
        "reference": limits.KPI_REFERENCE,
        "note": limits.KPI_NOTE,
    },
    ENTRIES.sheet: {
        "status_text": limits.STATUS_TEXT,
        "mark": limits.MARK,
        "mark_reason": limits.MARK_REASON,
        "next_steps": limits.NEXT_STEPS,
    },
    MEASUREMENTS.sheet: {
        "unavailable_reason": limits.UNAVAILABLE_REASON,
        "entered_by": limits.LOGIN,
    },
}
_LIST_COLUMNS = frozenset({"footnotes", "basic_policy"})  # JSON lists in one cell


def _base_kind(field_name: Cell) -> limits.TextKind:
    """A merge base holds a report field's value (``entry/{node}/status_text``)."""
    name = (field_name or "").rsplit("/", 1)[-1]
    return TEXT_LIMITS[ENTRIES.sheet].get(name) or TEXT_LIMITS[MEASUREMENTS.sheet].get(
        name, limits.MERGE_BASE
    )


def check_text_limits(manifest: dict[str, Cell], tables: dict[str, Rows]) -> None:
    """Every text within its kind's limit, else WorkbookError naming the section or
    KPI in words (the hidden cell, for the log, in ``cell``). Cells that do not
    decode are left to the reader's own checks."""
    names: list[Names] = []

    def check(kind: limits.TextKind, cell: Cell, column: str) -> limits.TextRefused | None:
        try:
            value: object = _footnotes(cell) if column in _LIST_COLUMNS else decode_text(cell)
        except (ValueError, RecursionError):
            return None
        try:
            if isinstance(value, tuple):
                limits.check_texts(kind, value, typed=False)
            elif isinstance(value, str):
                limits.check_text(kind, value, typed=False)
        except limits.TextRefused as exc:
            return exc
        return None

    for key, kind in TEXT_LIMITS[MANIFEST_SHEET].items():
        if refused := check(kind, manifest.get(key), key):
            raise WorkbookError(refused.text.ja, refused.text.en, cell=f"{MANIFEST_SHEET}!{key}")
    for table in TABLES:
        columns = dict(TEXT_LIMITS.get(table.sheet, {}))
        if table is BASES:
            columns["value"] = limits.MERGE_BASE  # refined per row below
        for line, row in enumerate(tables.get(table.sheet, []), start=2):
            cells = dict(zip(table.columns, row, strict=False))
            for column, kind in columns.items():
                if table is BASES:
                    kind = _base_kind(_decoded(cells.get("field")))
                if not (refused := check(kind, cells.get(column), column)):
                    continue
                names = names or [Names(tables)]
                subject_ja, subject_en = names[0].row(table, row)
                letter = _column_letter(table.columns.index(column) + 1)
                raise WorkbookError(
                    f"{subject_ja}の{refused.text.ja}",
                    f"{subject_en}: {refused.text.en}",
                    cell=f"{table.sheet}!{letter}{line}",
                )


def _decoded(cell: Cell) -> str | None:
    try:
        return decode_text(cell)
    except (ValueError, RecursionError):
        return None


# --- cell encoding ---------------------------------------------------------------


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


def _json_safe(text: str) -> str:
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _refuse_surrogates(value: str) -> None:
    if _SURROGATE.search(value):
        raise WorkbookError(
            "文章に保存できない文字（対になっていないサロゲート）が含まれています。",
            "A text contains a character that cannot be saved (a lone surrogate).",
        )


def encode_list(items: Sequence[str]) -> Cell:
    """A list of strings as one JSON cell (footnotes, basic policy, sections)."""
    for item in items:
        _refuse_surrogates(item)
    return _json_safe(json.dumps(list(items), ensure_ascii=False))


def _num(value: Decimal | int | None) -> Cell:
    """A number in plain notation (never 1E+3), within the format's range."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("a flag is not a number")
    if isinstance(value, int):
        text = str(value)
        if _INT.fullmatch(text):
            return text
    elif value.is_finite():
        for candidate in (value, value.normalize()):
            text = format(candidate, "f")
            if _DECIMAL.fullmatch(text):
                return text
    raise WorkbookError(
        f"数値「{value}」はファイルに書けません（整数部18桁・小数部10桁まで）。",
        f"The number {value} cannot be written (at most 18 digits before and 10 after "
        "the decimal point).",
    )


def _int_cell(value: int) -> Cell:
    text = str(value)
    if isinstance(value, bool) or not _INT.fullmatch(text):
        raise WorkbookError(
            f"整数「{value}」はファイルに書けません。",
            f"The whole number {value} cannot be written.",
        )
    return text


def _key_cell(value: str | None, what_ja: str, what_en: str) -> Cell:
    if value is None or not _KEY.fullmatch(value):
        raise WorkbookError(
            f"{what_ja}のキー「{value}」はファイルに書けません（英数字と _ . - で64文字まで）。",
            f"The {what_en} key {value!r} cannot be written (letters, digits, _ . -; at most 64).",
        )
    return value


def _flag(value: bool | None) -> Cell:
    return None if value is None else ("1" if value else "0")


def _stamp(value: datetime | None) -> Cell:
    if value is None:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        raise WorkbookError(
            f"日時「{value}」にタイムゾーンがありません。",
            f"The time {value} has no time zone.",
        )
    return value.isoformat(timespec="microseconds")


# --- domain → rows -----------------------------------------------------------------


def tables_of(data: WorkbookData, pages: Rows | None = None) -> dict[str, Rows]:
    """The rows of every table; ``pages`` are the sealed printed rows (built by
    ``print_sheets``, which knows the layout; this module only carries them)."""
    plan = data.plan
    nodes: Rows = [
        [
            _key_cell(n.key, "項目", "item"),
            None if n.parent_key is None else _key_cell(n.parent_key, "項目", "item"),
            n.level.value,
            encode_text(n.label),
            encode_text(n.title),
            encode_text(n.plan_text),
            n.group.value if n.group else None,
            encode_text(n.importance),
            encode_text(n.difficulty),
            encode_list(n.footnotes),
            _int_cell(n.position),
        ]
        for n in plan.nodes
    ]
    kpis: Rows = []
    months: Rows = []
    for k in plan.kpis:
        kpis.append(
            [
                _key_cell(k.key, "KPI", "KPI"),
                _key_cell(k.node_key, "項目", "item"),
                encode_text(k.label),
                encode_text(k.name),
                encode_text(k.unit),
                _int_cell(k.decimals),
                k.direction.value,
                k.target_kind.value,
                _num(k.target),
                _flag(k.cumulative),
                _flag(k.is_new),
                _flag(k.definition_changed),
                encode_text(k.numerator_label),
                encode_text(k.denominator_label),
                _num(k.numerator_target),
                _num(k.denominator_target),
                _num(k.last_year_actual),
                encode_text(k.reference),
                encode_text(k.note),
                None if k.judged_decimals is None else _int_cell(k.judged_decimals),
            ]
        )
        for series, values in (("profile", k.last_year_profile), ("monthly", k.monthly_actuals)):
            months.extend([k.key, series, _int_cell(i), _num(v)] for i, v in values)
    entries: Rows = []
    measurements: Rows = []
    benchmarks: Rows = []
    report = data.report
    if report is not None:
        entries = [
            [
                _key_cell(e.node_key, "項目", "item"),
                encode_text(e.status_text),
                encode_text(e.mark),
                encode_text(e.mark_reason),
                encode_text(e.next_steps),
            ]
            for e in report.entries
        ]
        measurements = [
            [
                _key_cell(m.kpi_key, "KPI", "KPI"),
                _num(m.value),
                _num(m.numerator),
                _num(m.denominator),
                _flag(m.done),
                m.as_of.iso() if m.as_of else None,
                _flag(m.preliminary),
                encode_text(m.unavailable_reason),
                encode_text(m.entered_by),
                _stamp(m.entered_at),
            ]
            for m in report.measurements
        ]
        benchmarks = [
            [
                _key_cell(b.kpi_key, "KPI", "KPI"),
                _num(b.national_average),
                _num(b.national_rank),
                _num(b.branch_count),
            ]
            for b in report.benchmarks
        ]
    bases: Rows = [[encode_text(k), encode_text(v)] for k, v in sorted(data.bases.items())]
    return {
        NODES.sheet: nodes,
        KPIS.sheet: kpis,
        KPI_MONTHS.sheet: months,
        ENTRIES.sheet: entries,
        MEASUREMENTS.sheet: measurements,
        BENCHMARKS.sheet: benchmarks,
        BASES.sheet: bases,
        PAGES.sheet: list(pages or []),
    }


def manifest_rows(data: WorkbookData, pages: int = 0) -> list[tuple[str, Cell]]:
    """The manifest's (key, cell) pairs; ``pages``: how many sealed printed rows."""
    m, plan, report = data.manifest, data.plan, data.report
    values: dict[str, Cell] = {
        "format": FORMAT_NAME,
        "format_version": str(m.format_version),
        "kind": m.kind.value,
        "branch": encode_text(m.branch),
        "fiscal_year": _int_cell(m.fiscal_year),
        "period": m.period.value if m.period else None,
        "as_of": report.as_of.iso() if report else None,
        "plan_title": encode_text(plan.title),
        "basic_policy": encode_list(plan.basic_policy),
        "report_title": encode_text(report.title) if report else None,
        "sections": encode_list(m.sections),
        "app_version": encode_text(m.app_version),
        "created_by": encode_text(m.created_by),
        "created_name": encode_text(m.created_name),
        "created_at": _stamp(m.created_at),
        "signed_off_by": encode_text(m.signed_off_by),
        "signed_off_name": encode_text(m.signed_off_name),
        "signed_off_at": _stamp(m.signed_off_at),
        "print_layout": str(m.print_layout),
        "row_counts": json.dumps(row_counts(data, pages), separators=(",", ":")),
    }
    return [(key, values[key]) for key in MANIFEST_KEYS]


def row_counts(data: WorkbookData, pages: int = 0) -> dict[str, int]:
    """How many rows each table of ``data`` has (without building the rows)."""
    plan, report = data.plan, data.report
    return {
        NODES.sheet: len(plan.nodes),
        KPIS.sheet: len(plan.kpis),
        KPI_MONTHS.sheet: sum(len(k.last_year_profile) + len(k.monthly_actuals) for k in plan.kpis),
        ENTRIES.sheet: len(report.entries) if report else 0,
        MEASUREMENTS.sheet: len(report.measurements) if report else 0,
        BENCHMARKS.sheet: len(report.benchmarks) if report else 0,
        BASES.sheet: len(data.bases),
        PAGES.sheet: pages,
    }


def check_writable(data: WorkbookData) -> None:
    """Refuse data that a workbook cannot carry whole (it would come back different):
    the manifest and the plan must agree, and only the manifest's period is kept."""
    m, plan = data.manifest, data.plan
    problems = []
    if plan.branch != m.branch or plan.fiscal_year != m.fiscal_year:
        problems.append("plan branch/year differ from the manifest")
    if len(plan.reports) > 1:
        problems.append("more than one report")
    report = data.report
    if (report is None) != (m.period is None):
        problems.append("a report without a period in the manifest, or the other way round")
    elif report is not None and report.period is not m.period:
        problems.append("the report's period differs from the manifest's")
    if m.format_version != FORMAT_VERSION:
        problems.append(f"format version {m.format_version}")
    # The ranges the reader enforces (a file is untrusted there): refuse them here
    # with a clear message instead of writing a file that would not read back.
    if m.branch not in BRANCHES or not 1990 <= m.fiscal_year <= 2100:
        problems.append(f"branch {m.branch} / fiscal year {m.fiscal_year}")
    problems += [
        f"KPI {k.key}: decimals {k.decimals}" for k in plan.kpis if not 0 <= k.decimals <= 6
    ]
    problems += [
        f"KPI {k.key}: judged at {k.judged_decimals} decimals"
        for k in plan.kpis
        if k.judged_decimals is not None and not 0 <= k.judged_decimals <= 6
    ]
    for b in report.benchmarks if report is not None else ():
        if b.national_rank is not None and not 1 <= b.national_rank <= 47:
            problems.append(f"KPI {b.kpi_key}: rank {b.national_rank}")
        if b.branch_count is not None and not 0 <= b.branch_count <= 47:
            problems.append(f"KPI {b.kpi_key}: branch count {b.branch_count}")
    if problems:
        detail = "; ".join(problems)
        raise WorkbookError(
            f"この内容はブックに書けません（{detail}）。",
            f"This content cannot be written to a workbook ({detail}).",
        )


# --- digests -----------------------------------------------------------------------


def _canonical(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def row_hash(sheet: str, row: Sequence[Cell]) -> str:
    """A short hash of one row; names the rows a hand edit touched."""
    return hashlib.sha256(_canonical([sheet, list(row)])).hexdigest()[:16]


def _cell_hash(sheet: str, column: str, value: Cell) -> str:
    return hashlib.sha256(_canonical([sheet, column, value])).hexdigest()[:4]


def row_seal(table: Table, row: Sequence[Cell]) -> str:
    """What the row_sha256 cell holds (version 2): the row's hash, then four hex
    digits per cell, so that a changed row can be told by field, not only by row."""
    cells = "".join(_cell_hash(table.sheet, c, v) for c, v in zip(table.columns, row, strict=True))
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
        for i, (column, value) in enumerate(zip(table.columns, row, strict=True))
        if stored[4 * i : 4 * i + 4] != _cell_hash(table.sheet, column, value)
    ]


def digest(
    manifest: Sequence[tuple[str, Cell]], tables: dict[str, Rows], version: int = FORMAT_VERSION
) -> str:
    """SHA-256 over the manifest (without the digest) and every table, in order."""
    h = hashlib.sha256()
    h.update(_canonical([[k, v] for k, v in manifest]))
    for table in tables_for(version):
        h.update(_canonical([table.sheet, list(table.columns), tables.get(table.sheet, [])]))
    return h.hexdigest()


def with_digest(data: WorkbookData, pages: Rows | None = None) -> WorkbookData:
    """``data`` with its digest over the data and the sealed printed rows ``pages``."""
    pages = list(pages or [])
    value = digest(manifest_rows(data, len(pages)), tables_of(data, pages))
    return replace(data, manifest=replace(data.manifest, digest=value))


# --- rows → domain -----------------------------------------------------------------


# Each column (and manifest key) in words, for messages that reach a person: the
# HQ board and the import dialog name a section or KPI and a field, never a
# hidden sheet's cell.
FIELD_WORDS: dict[str, tuple[str, str]] = {
    "key": ("キー", "key"),
    "parent_key": ("親項目", "parent item"),
    "level": ("階層", "level"),
    "label": ("番号", "number"),
    "title": ("見出し", "title"),
    "plan_text": ("事業計画", "plan text"),
    "group": ("担当グループ", "group"),
    "importance": ("重要度の理由", "importance"),
    "difficulty": ("困難度の理由", "difficulty"),
    "footnotes": ("注記", "footnotes"),
    "position": ("並び順", "position"),
    "node_key": ("項目", "item"),
    "name": ("KPI名", "name"),
    "unit": ("単位", "unit"),
    "decimals": ("小数の桁数", "decimals"),
    "direction": ("目標の向き", "direction"),
    "target_kind": ("目標の種類", "kind of target"),
    "target": ("目標", "target"),
    "cumulative": ("累積", "cumulative flag"),
    "is_new": ("新設", "new flag"),
    "definition_changed": ("算出方法の変更", "definition-changed flag"),
    "numerator_label": ("分子の名称", "numerator label"),
    "denominator_label": ("分母の名称", "denominator label"),
    "numerator_target": ("分子の目標", "numerator target"),
    "denominator_target": ("分母の目標", "denominator target"),
    "last_year_actual": ("前年度実績", "last year's actual"),
    "reference": ("備考", "note"),
    "note": ("注記", "footnote"),
    "kpi_key": ("KPI", "KPI"),
    "series": ("系列", "series"),
    "fiscal_index": ("月", "month"),
    "status_text": ("実施状況", "status"),
    "mark": ("評価", "mark"),
    "mark_reason": ("評価の理由", "reason for the mark"),
    "next_steps": ("今後の実施予定等", "next steps"),
    "value": ("実績値", "figure"),
    "numerator": ("分子", "numerator"),
    "denominator": ("分母", "denominator"),
    "done": ("実施・未実施", "done / not done"),
    "as_of": ("時点", "as-of month"),
    "preliminary": ("速報値", "preliminary flag"),
    "unavailable_reason": ("未確定の理由", "reason it is not available"),
    "entered_by": ("入力者", "entered by"),
    "entered_at": ("入力日時", "entered at"),
    "national_average": ("全国平均", "national average"),
    "national_rank": ("全国順位", "national rank"),
    "branch_count": ("支部数", "number of branches"),
    "field": ("項目", "field"),
    "sheet": ("シート", "sheet"),
    "row": ("行", "row"),
    "subject": ("内容", "subject"),
    "cells": ("印刷される文字", "printed text"),
    "format": ("ファイル形式", "file format"),
    "format_version": ("ファイル形式の版", "format version"),
    "print_layout": ("印刷レイアウトの版", "print layout version"),
    "kind": ("種別", "kind"),
    "branch": ("支部", "branch"),
    "fiscal_year": ("年度", "fiscal year"),
    "period": ("報告期間", "report period"),
    "plan_title": ("計画の表題", "plan title"),
    "basic_policy": ("基本方針", "basic policy"),
    "report_title": ("報告の表題", "report title"),
    "sections": ("収録範囲", "sections"),
    "app_version": ("作成アプリの版", "app version"),
    "created_by": ("作成者", "created by"),
    "created_name": ("作成者名", "creator's name"),
    "created_at": ("作成日時", "created at"),
    "signed_off_by": ("決裁者", "signed off by"),
    "signed_off_name": ("決裁者名", "signer's name"),
    "signed_off_at": ("決裁日時", "signed off at"),
    "row_counts": ("行数", "row counts"),
    "digest": ("確認用の値", "digest"),
}
_TABLE_FIELD_WORDS = {
    ("_kpi_months", "value"): ("月の値", "monthly value"),
    ("_bases", "value"): ("取り込みの基準値", "merge base value"),
}


def field_words(sheet: str, column: str) -> tuple[str, str]:
    return _TABLE_FIELD_WORDS.get((sheet, column)) or FIELD_WORDS.get(column, (column, column))


def _short(text: object, limit: int = 40) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Names:
    """Titles of the sections and KPIs in a file's tables, before they are checked:
    only to name a row in a message (a damaged title is shown as its key)."""

    def __init__(self, tables: dict[str, Rows]) -> None:
        self.nodes = self._titles(tables.get(NODES.sheet, []), NODES, "title")
        self.kpis = self._titles(tables.get(KPIS.sheet, []), KPIS, "name")

    @staticmethod
    def _titles(rows: Rows, table: Table, second: str) -> dict[str, str]:
        at = table.columns.index(second)
        out = {}
        for row in rows:
            try:
                label = decode_text(row[3 if table is NODES else 2]) or ""
                out[str(row[0])] = _short(f"{label}{decode_text(row[at]) or ''}") or str(row[0])
            except (ValueError, IndexError, TypeError):
                continue
        return out

    def node(self, key: object) -> tuple[str, str]:
        title = self.nodes.get(str(key), str(key))
        return f"項目「{title}」", f"item '{title}'"

    def kpi(self, key: object) -> tuple[str, str]:
        title = self.kpis.get(str(key), str(key))
        return f"KPI「{title}」", f"KPI '{title}'"

    def row(self, table: Table, row: Sequence[Cell]) -> tuple[str, str]:
        """What one row of ``table`` is about, in words (Japanese, English)."""
        first = row[0] if row else None
        if table in (NODES, ENTRIES):
            return self.node(first)
        if table in (KPIS, KPI_MONTHS, MEASUREMENTS, BENCHMARKS):
            return self.kpi(first)
        if table is PAGES:
            subject = _short(decode_text(row[2]) if len(row) > 2 else "") if row else ""
            return (
                f"印刷される「{first}」の「{subject}」",
                f"the printed sheet {first}, '{subject}'",
            )
        if table is BASES:
            return f"取り込みの基準「{_short(first)}」", f"merge base '{_short(first)}'"
        return f"「{_short(first)}」", f"'{_short(first)}'"


_MANIFEST_SUBJECT = ("ファイルの基本情報", "the file's basic data")


class _At:
    """A value's place: in words for the message, as a hidden cell for the log.
    Made for every value read, so the words are worked out only for a fault."""

    __slots__ = ("column", "line", "row", "source")

    def __init__(self, source: _Rows | None, line: int, row: Sequence[Cell], column: str) -> None:
        self.source, self.line, self.row, self.column = source, line, row, column

    @property
    def sheet(self) -> str:
        return self.source.table.sheet if self.source else MANIFEST_SHEET

    @property
    def subject(self) -> tuple[str, str]:
        if self.source is None:
            return _MANIFEST_SUBJECT
        return self.source.names().row(self.source.table, self.row)

    @property
    def subject_ja(self) -> str:
        return self.subject[0]

    @property
    def subject_en(self) -> str:
        return self.subject[1]

    @property
    def cell(self) -> str:
        if self.source is None:
            return f"{MANIFEST_SHEET}!{self.column}"
        letter = _column_letter(self.source.table.columns.index(self.column) + 1)
        return f"{self.sheet}!{letter}{self.line}"

    def words(self) -> tuple[str, str]:
        field_ja, field_en = field_words(self.sheet, self.column)
        subject_ja, subject_en = self.subject
        return f"{subject_ja}の「{field_ja}」", f"the {field_en} of {subject_en}"


class _Rows:
    """Reads one table's rows and names the place of the first fault."""

    def __init__(self, table: Table, rows: Rows, names: Callable[[], Names]) -> None:
        self.table = table
        self.rows = rows
        self.names = names

    def __iter__(self) -> Iterable[tuple[int, dict[str, Cell], Callable[[str], _At]]]:
        columns = self.table.columns
        for index, row in enumerate(self.rows):
            line = index + 2  # row 1 = header

            def at(column: str, line: int = line, row: Sequence[Cell] = row) -> _At:
                return _At(self, line, row, column)

            yield line, dict(zip(columns, row, strict=True)), at


def _manifest_at(key: str) -> _At:
    return _At(None, 0, (), key)


def _column_letter(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _bad(at: _At, value: object) -> WorkbookError:
    where_ja, where_en = at.words()
    return WorkbookError(
        f"{where_ja}の値「{_short(value)}」を読めません。",
        f"Cannot read {where_en}: {_short(value)!r}.",
        cell=at.cell,
    )


def _parse(at: _At, value: Cell, convert: type | object) -> object:
    try:
        return convert(value)
    except WorkbookError:
        raise
    except (ValueError, TypeError, ArithmeticError, KeyError, RecursionError) as exc:
        raise _bad(at, value) from exc


def _decimal(value: str) -> Decimal:
    if not _DECIMAL.fullmatch(value):
        raise ValueError(value)
    return Decimal(value)


def _opt(convert: object) -> object:
    def parse(value: Cell) -> object:
        return None if value is None else convert(value)

    return parse


def _bool(value: str) -> bool:
    if value not in ("0", "1"):
        raise ValueError(value)
    return value == "1"


def _int(value: str) -> int:
    if not _INT.fullmatch(value):
        raise ValueError(value)
    return int(value)


def _text_required(value: Cell) -> str:
    text = decode_text(value)
    return "" if text is None else text


def _footnotes(value: Cell) -> tuple[str, ...]:
    items = json.loads(value or "[]")
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError(value)
    if any(_SURROGATE.search(i) for i in items):
        raise ValueError(value)
    return tuple(items)


def _stamp_parse(value: str) -> datetime:
    stamp = datetime.fromisoformat(value)
    if stamp.tzinfo is None:
        raise ValueError(value)
    return stamp


def data_from_tables(manifest: dict[str, Cell], tables: dict[str, Rows]) -> WorkbookData:
    """Domain objects from checked rows; raises WorkbookError naming the section or
    KPI and the field in words (and the hidden cell in ``cell``)."""
    check_text_limits(manifest, tables)
    known: list[Names] = []

    def names() -> Names:  # the titles, read only when a message needs them
        if not known:
            known.append(Names(tables))
        return known[0]

    nodes: list[PlanNode] = []
    node_keys: set[str] = set()
    reader = _Rows(NODES, tables.get(NODES.sheet, []), names)
    for _line, r, w in reader:
        key = _key(r["key"], w("key"))
        parent = r["parent_key"]
        if parent is not None and parent not in node_keys:
            at = w("parent_key")
            raise WorkbookError(
                f"{at.subject_ja}の親項目「{parent}」が、この項目より前にありません。",
                f"The parent item {parent!r} of {at.subject_en} does not come before it.",
                cell=at.cell,
            )
        if key in node_keys:
            at = w("key")
            raise WorkbookError(
                f"{at.subject_ja}が2回あります（キー {key}）。",
                f"{at.subject_en} appears twice (key {key!r}).",
                cell=at.cell,
            )
        node_keys.add(key)
        nodes.append(
            PlanNode(
                key=key,
                parent_key=parent,
                level=_parse(w("level"), r["level"], Level),
                label=_parse(w("label"), r["label"], _text_required),
                title=_parse(w("title"), r["title"], _text_required),
                plan_text=_parse(w("plan_text"), r["plan_text"], _text_required),
                group=_parse(w("group"), r["group"], _opt(Group)),
                importance=_parse(w("importance"), r["importance"], decode_text),
                difficulty=_parse(w("difficulty"), r["difficulty"], decode_text),
                footnotes=_parse(w("footnotes"), r["footnotes"], _footnotes),
                position=_parse(w("position"), r["position"], _int),
            )
        )
    months: dict[tuple[str, str], list[tuple[int, Decimal]]] = {}
    mreader = _Rows(KPI_MONTHS, tables.get(KPI_MONTHS.sheet, []), names)
    for _line, r, w in mreader:
        series = r["series"]
        if series not in ("profile", "monthly"):
            raise _bad(w("series"), series)
        index = _parse(w("fiscal_index"), r["fiscal_index"], _int)
        if not 1 <= index <= 12:
            raise _bad(w("fiscal_index"), index)
        value = _parse(w("value"), r["value"], _decimal)
        months.setdefault((str(r["kpi_key"]), series), []).append((index, value))
    kpis: list[Kpi] = []
    kpi_keys: set[str] = set()
    version = int(manifest.get("format_version") or FORMAT_VERSION)
    kreader = _Rows(KPIS.in_version(version), tables.get(KPIS.sheet, []), names)
    for _line, r, w in kreader:
        key = _key(r["key"], w("key"))
        if key in kpi_keys:
            at = w("key")
            raise WorkbookError(
                f"{at.subject_ja}が2回あります（キー {key}）。",
                f"{at.subject_en} appears twice (key {key!r}).",
                cell=at.cell,
            )
        kpi_keys.add(key)
        if r["node_key"] not in node_keys:
            at = w("node_key")
            raise WorkbookError(
                f"{at.subject_ja}の項目「{r['node_key']}」がこのファイルにありません。",
                f"The item {r['node_key']!r} of {at.subject_en} is not in this file.",
                cell=at.cell,
            )
        dec = _opt(_decimal)
        kpis.append(
            Kpi(
                key=key,
                node_key=str(r["node_key"]),
                label=_parse(w("label"), r["label"], _text_required),
                name=_parse(w("name"), r["name"], _text_required),
                unit=_parse(w("unit"), r["unit"], _text_required),
                decimals=_parse(w("decimals"), r["decimals"], _in_range(0, 6)),
                direction=_parse(w("direction"), r["direction"], Direction),
                target_kind=_parse(w("target_kind"), r["target_kind"], TargetKind),
                target=_parse(w("target"), r["target"], dec),
                cumulative=_parse(w("cumulative"), r["cumulative"], _bool),
                is_new=_parse(w("is_new"), r["is_new"], _bool),
                definition_changed=_parse(w("definition_changed"), r["definition_changed"], _bool),
                numerator_label=_parse(w("numerator_label"), r["numerator_label"], decode_text),
                denominator_label=_parse(
                    w("denominator_label"), r["denominator_label"], decode_text
                ),
                numerator_target=_parse(w("numerator_target"), r["numerator_target"], dec),
                denominator_target=_parse(w("denominator_target"), r["denominator_target"], dec),
                last_year_actual=_parse(w("last_year_actual"), r["last_year_actual"], dec),
                reference=_parse(w("reference"), r["reference"], decode_text),
                note=_parse(w("note"), r["note"], decode_text),
                judged_decimals=_parse(
                    w("judged_decimals"), r.get("judged_decimals"), _opt(_in_range(0, 6))
                ),
                last_year_profile=tuple(months.get((key, "profile"), ())),
                monthly_actuals=tuple(months.get((key, "monthly"), ())),
            )
        )
    for kpi_key, _series in months:
        if kpi_key not in kpi_keys:
            raise WorkbookError(
                f"月別の値の KPI「{kpi_key}」がこのファイルにありません。",
                f"Monthly values name a KPI {kpi_key!r} that is not in this file.",
                cell=KPI_MONTHS.sheet,
            )

    m = _manifest(manifest)
    reports: tuple[Report, ...] = ()
    if m.period is not None:
        reports = (_report(m.period, manifest, tables, node_keys, kpi_keys, names),)
    plan = Plan(
        branch=m.branch,
        fiscal_year=m.fiscal_year,
        title=_parse(
            _manifest_at("plan_title"),
            manifest.get("plan_title"),
            _text_required,
        ),
        basic_policy=_parse(
            _manifest_at("basic_policy"),
            manifest.get("basic_policy"),
            _footnotes,
        ),
        nodes=tuple(nodes),
        kpis=tuple(kpis),
        reports=reports,
    )
    bases: dict[str, str | None] = {}
    breader = _Rows(BASES, tables.get(BASES.sheet, []), names)
    for _line, r, w in breader:
        name = _parse(w("field"), r["field"], decode_text)
        if not name or name in bases:
            raise _bad(w("field"), r["field"])
        bases[name] = _parse(w("value"), r["value"], decode_text)
    return WorkbookData(manifest=m, plan=plan, bases=bases)


def _key(value: Cell, at: _At) -> str:
    if value is None or not _KEY.fullmatch(value):
        raise _bad(at, value)
    return value


def _manifest(values: dict[str, Cell]) -> Manifest:
    w = _manifest_at

    period_cell = values.get("period")
    sections = _parse(w("sections"), values.get("sections"), _footnotes)
    stamp = _opt(_stamp_parse)
    manifest = Manifest(
        kind=_parse(w("kind"), values.get("kind"), Kind),
        branch=_parse(w("branch"), values.get("branch"), _text_required),
        fiscal_year=_parse(w("fiscal_year"), values.get("fiscal_year"), _int),
        period=_parse(w("period"), period_cell, _opt(PeriodKind)),
        app_version=_parse(w("app_version"), values.get("app_version"), _text_required),
        created_by=_parse(w("created_by"), values.get("created_by"), _text_required),
        created_at=_parse(w("created_at"), values.get("created_at"), _stamp_parse),
        sections=sections,
        signed_off_by=_parse(w("signed_off_by"), values.get("signed_off_by"), decode_text),
        signed_off_at=_parse(w("signed_off_at"), values.get("signed_off_at"), stamp),
        signed_off_name=_parse(w("signed_off_name"), values.get("signed_off_name"), decode_text),
        created_name=_parse(w("created_name"), values.get("created_name"), decode_text),
        format_version=_parse(w("format_version"), values.get("format_version"), _int),
        print_layout=_parse(w("print_layout"), values.get("print_layout") or "0", _int),
        digest=str(values.get("digest") or ""),
    )
    # The digest has no key: a file can be crafted. Values the store would refuse
    # (or that would break the app later) are refused here, naming the cell.
    if manifest.branch not in BRANCHES:
        raise _bad(w("branch"), manifest.branch)
    if not 1990 <= manifest.fiscal_year <= 2100:
        raise _bad(w("fiscal_year"), manifest.fiscal_year)
    if manifest.kind is not Kind.TEMPLATE and manifest.period is None:
        raise _bad(w("period"), period_cell)
    return manifest


def _in_range(low: int, high: int) -> object:
    def parse(value: Cell) -> int:
        number = _int(value)  # type: ignore[arg-type]
        if not low <= number <= high:
            raise ValueError(value)
        return number

    return parse


def _report(
    period: PeriodKind,
    manifest: dict[str, Cell],
    tables: dict[str, Rows],
    node_keys: set[str],
    kpi_keys: set[str],
    names: Callable[[], Names],
) -> Report:
    as_of = _parse(_manifest_at("as_of"), manifest.get("as_of"), YearMonth.from_iso)
    entries = []
    ereader = _Rows(ENTRIES, tables.get(ENTRIES.sheet, []), names)
    seen: set[str] = set()
    for _line, r, w in ereader:
        key = r["node_key"]
        if key not in node_keys or key in seen:
            raise _bad(w("node_key"), key)
        seen.add(str(key))
        entries.append(
            SectionEntry(
                node_key=str(key),
                status_text=_parse(w("status_text"), r["status_text"], _text_required),
                mark=_parse(w("mark"), r["mark"], decode_text),
                mark_reason=_parse(w("mark_reason"), r["mark_reason"], decode_text),
                next_steps=_parse(w("next_steps"), r["next_steps"], _text_required),
            )
        )
    measurements = []
    mreader = _Rows(MEASUREMENTS, tables.get(MEASUREMENTS.sheet, []), names)
    seen = set()
    dec = _opt(_decimal)
    for _line, r, w in mreader:
        key = r["kpi_key"]
        if key not in kpi_keys or key in seen:
            raise _bad(w("kpi_key"), key)
        seen.add(str(key))
        measurements.append(
            Measurement(
                kpi_key=str(key),
                value=_parse(w("value"), r["value"], dec),
                numerator=_parse(w("numerator"), r["numerator"], dec),
                denominator=_parse(w("denominator"), r["denominator"], dec),
                done=_parse(w("done"), r["done"], _opt(_bool)),
                as_of=_parse(w("as_of"), r["as_of"], _opt(YearMonth.from_iso)),
                preliminary=_parse(w("preliminary"), r["preliminary"], _bool),
                unavailable_reason=_parse(
                    w("unavailable_reason"),
                    r["unavailable_reason"],
                    decode_text,
                ),
                entered_by=_parse(w("entered_by"), r["entered_by"], decode_text),
                entered_at=_parse(w("entered_at"), r["entered_at"], _opt(_stamp_parse)),
            )
        )
    benchmarks = []
    breader = _Rows(BENCHMARKS, tables.get(BENCHMARKS.sheet, []), names)
    for _line, r, w in breader:
        if r["kpi_key"] not in kpi_keys:
            raise _bad(w("kpi_key"), r["kpi_key"])
        benchmarks.append(
            Benchmark(
                kpi_key=str(r["kpi_key"]),
                national_average=_parse(w("national_average"), r["national_average"], dec),
                national_rank=_parse(
                    w("national_rank"), r["national_rank"], _opt(_in_range(1, 47))
                ),
                branch_count=_parse(w("branch_count"), r["branch_count"], _opt(_in_range(0, 47))),
            )
        )
    return Report(
        period=period,
        as_of=as_of,
        title=_parse(
            _manifest_at("report_title"),
            manifest.get("report_title"),
            _text_required,
        ),
        entries=tuple(entries),
        measurements=tuple(measurements),
        benchmarks=tuple(benchmarks),
    )
