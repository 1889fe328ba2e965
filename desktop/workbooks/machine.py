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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from desktop.domain import limits
from desktop.domain.branches import BRANCHES
from desktop.domain.calendar import YearMonth
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

FORMAT_NAME = "plandesk.workbook"
FORMAT_VERSION = 1
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


class WorkbookError(ValueError):
    """A workbook that cannot be used; says why in both languages and where."""

    def __init__(self, message_ja: str, message_en: str, where: str = "") -> None:
        super().__init__(f"{where}: {message_en}" if where else message_en)
        self.message_ja = message_ja
        self.message_en = message_en
        self.where = where

    def message(self, lang: str = "ja") -> str:
        text = self.message_ja if lang == "ja" else self.message_en
        return (
            f"{text}（{self.where}）"
            if self.where and lang == "ja"
            else (f"{text} ({self.where})" if self.where else text)
        )


@dataclass(frozen=True, slots=True)
class Manifest:
    kind: Kind
    branch: str
    fiscal_year: int
    period: PeriodKind | None  # None for templates
    app_version: str
    created_by: str
    created_at: datetime
    sections: tuple[str, ...] = ()  # work files: the node keys they carry
    signed_off_by: str | None = None
    signed_off_at: datetime | None = None
    signed_off_name: str | None = None  # display name, for the cover
    format_version: int = FORMAT_VERSION
    digest: str = ""


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
    """A hidden table. ``optional`` columns come last and are written only when a
    row has a value in them, so files that do not need them are exactly what older
    versions wrote (and read); the reader takes either header."""

    sheet: str
    columns: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def all_columns(self) -> tuple[str, ...]:
        return self.columns + self.optional

    def columns_for(self, rows: Rows) -> tuple[str, ...]:
        """The columns of a table holding ``rows`` (written rows are all this wide)."""
        width = len(rows[0]) if rows else len(self.columns)
        return self.all_columns[:width]

    def headers(self) -> list[tuple[str, ...]]:
        """Every header a file may have: the columns, then each optional column more."""
        return [self.all_columns[: len(self.columns) + n] for n in range(len(self.optional) + 1)]


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
    ),
    # Added with "judged at the printed precision" (Kpi.judged_decimals).
    optional=("judged_decimals",),
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
TABLES = (NODES, KPIS, KPI_MONTHS, ENTRIES, MEASUREMENTS, BENCHMARKS, BASES)
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
    "created_at",
    "signed_off_by",
    "signed_off_name",
    "signed_off_at",
    "row_counts",  # rows per table: names the table a row was deleted from or added to
)

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


def check_text_limits(
    manifest: dict[str, Cell], tables: dict[str, Rows], *, writing: bool = False
) -> None:
    """Every text within its kind's limit, else WorkbookError naming the place:
    the cell when reading a file, the table, field and row key when writing one.
    Cells that do not decode are left to the reader's own checks."""

    def check(kind: limits.TextKind, cell: Cell, column: str, where: str) -> None:
        try:
            value: object = _footnotes(cell) if column in _LIST_COLUMNS else decode_text(cell)
        except (ValueError, RecursionError):
            return
        try:
            if isinstance(value, tuple):
                limits.check_texts(kind, value, typed=False)
            elif isinstance(value, str):
                limits.check_text(kind, value, typed=False)
        except limits.TextRefused as exc:
            raise WorkbookError(exc.message_ja, exc.message_en, where) from exc

    for key, kind in TEXT_LIMITS[MANIFEST_SHEET].items():
        check(kind, manifest.get(key), key, f"{MANIFEST_SHEET}!{key}")
    for table in TABLES:
        columns = dict(TEXT_LIMITS.get(table.sheet, {}))
        if table is BASES:
            columns["value"] = limits.MERGE_BASE  # refined per row below
        for line, row in enumerate(tables.get(table.sheet, []), start=2):
            cells = dict(zip(table.all_columns, row, strict=False))
            for column, kind in columns.items():
                if table is BASES:
                    kind = _base_kind(_decoded(cells.get("field")))
                if writing:
                    where = f"{table.sheet}!{line} {column} ({table.columns[0]}={row[0]})"
                else:
                    index = table.all_columns.index(column) + 1
                    where = f"{table.sheet}!{_column_letter(index)}{line}"
                check(kind, cells.get(column), column, where)


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


def tables_of(data: WorkbookData) -> dict[str, Rows]:
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
        KPIS.sheet: _trimmed(KPIS, kpis),
        KPI_MONTHS.sheet: months,
        ENTRIES.sheet: entries,
        MEASUREMENTS.sheet: measurements,
        BENCHMARKS.sheet: benchmarks,
        BASES.sheet: bases,
    }


def _trimmed(table: Table, rows: Rows) -> Rows:
    """Rows without the optional columns no row has a value in."""
    width = len(table.all_columns)
    while width > len(table.columns) and all(row[width - 1] is None for row in rows):
        width -= 1
    return [row[:width] for row in rows]


def manifest_rows(data: WorkbookData) -> list[tuple[str, Cell]]:
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
        "created_at": _stamp(m.created_at),
        "signed_off_by": encode_text(m.signed_off_by),
        "signed_off_name": encode_text(m.signed_off_name),
        "signed_off_at": _stamp(m.signed_off_at),
        "row_counts": json.dumps(row_counts(data), separators=(",", ":")),
    }
    return [(key, values[key]) for key in MANIFEST_KEYS]


def row_counts(data: WorkbookData) -> dict[str, int]:
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


def digest(
    manifest: Sequence[tuple[str, Cell]],
    tables: dict[str, Rows],
    headers: dict[str, tuple[str, ...]] | None = None,
) -> str:
    """SHA-256 over the manifest (without the digest) and every table, in order,
    each with its header (as read from a file, else as its rows are wide)."""
    h = hashlib.sha256()
    h.update(_canonical([[k, v] for k, v in manifest]))
    for table in TABLES:
        rows = tables.get(table.sheet, [])
        columns = (headers or {}).get(table.sheet) or table.columns_for(rows)
        h.update(_canonical([table.sheet, list(columns), rows]))
    return h.hexdigest()


def with_digest(data: WorkbookData) -> WorkbookData:
    value = digest(manifest_rows(data), tables_of(data))
    return replace(data, manifest=replace(data.manifest, digest=value))


# --- rows → domain -----------------------------------------------------------------


class _Rows:
    """Reads one table's rows and names the cell of the first fault."""

    def __init__(self, table: Table, rows: Rows) -> None:
        self.table = table
        self.rows = rows

    def __iter__(self) -> Iterable[tuple[int, dict[str, Cell]]]:
        names = self.table.columns_for(self.rows)
        for index, row in enumerate(self.rows):
            cells = dict.fromkeys(self.table.optional) | dict(zip(names, row, strict=True))
            yield index + 2, cells  # row 1 = header

    def where(self, line: int, column: str) -> str:
        letter = _column_letter(self.table.all_columns.index(column) + 1)
        return f"{self.table.sheet}!{letter}{line}"


def _column_letter(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _bad(where: str, what: str, value: object) -> WorkbookError:
    return WorkbookError(
        f"{what}の値「{value}」を読めません。",
        f"Cannot read {what} value {value!r}.",
        where,
    )


def _parse(where: str, what: str, value: Cell, convert: type | object) -> object:
    try:
        return convert(value)
    except WorkbookError:
        raise
    except (ValueError, TypeError, ArithmeticError, KeyError, RecursionError) as exc:
        raise _bad(where, what, value) from exc


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
    """Domain objects from checked rows; raises WorkbookError naming the cell."""
    check_text_limits(manifest, tables)
    nodes: list[PlanNode] = []
    node_keys: set[str] = set()
    reader = _Rows(NODES, tables.get(NODES.sheet, []))
    for line, r in reader:
        w = lambda c, line=line: reader.where(line, c)  # noqa: E731 - names the cell
        key = _key(r["key"], w("key"))
        parent = r["parent_key"]
        if parent is not None and parent not in node_keys:
            raise WorkbookError(
                f"親項目「{parent}」がこの行より前にありません。",
                f"Parent item {parent!r} does not come before this row.",
                w("parent_key"),
            )
        if key in node_keys:
            raise WorkbookError(
                f"項目「{key}」が重複しています。", f"Duplicate item {key!r}.", w("key")
            )
        node_keys.add(key)
        nodes.append(
            PlanNode(
                key=key,
                parent_key=parent,
                level=_parse(w("level"), "level", r["level"], Level),
                label=_parse(w("label"), "label", r["label"], _text_required),
                title=_parse(w("title"), "title", r["title"], _text_required),
                plan_text=_parse(w("plan_text"), "plan_text", r["plan_text"], _text_required),
                group=_parse(w("group"), "group", r["group"], _opt(Group)),
                importance=_parse(w("importance"), "importance", r["importance"], decode_text),
                difficulty=_parse(w("difficulty"), "difficulty", r["difficulty"], decode_text),
                footnotes=_parse(w("footnotes"), "footnotes", r["footnotes"], _footnotes),
                position=_parse(w("position"), "position", r["position"], _int),
            )
        )
    months: dict[tuple[str, str], list[tuple[int, Decimal]]] = {}
    mreader = _Rows(KPI_MONTHS, tables.get(KPI_MONTHS.sheet, []))
    for line, r in mreader:
        w = lambda c, line=line: mreader.where(line, c)  # noqa: E731
        series = r["series"]
        if series not in ("profile", "monthly"):
            raise _bad(w("series"), "series", series)
        index = _parse(w("fiscal_index"), "fiscal_index", r["fiscal_index"], _int)
        if not 1 <= index <= 12:
            raise _bad(w("fiscal_index"), "fiscal_index", index)
        value = _parse(w("value"), "value", r["value"], _decimal)
        months.setdefault((str(r["kpi_key"]), series), []).append((index, value))
    kpis: list[Kpi] = []
    kpi_keys: set[str] = set()
    kreader = _Rows(KPIS, tables.get(KPIS.sheet, []))
    for line, r in kreader:
        w = lambda c, line=line: kreader.where(line, c)  # noqa: E731
        key = _key(r["key"], w("key"))
        if key in kpi_keys:
            raise WorkbookError(
                f"KPI「{key}」が重複しています。", f"Duplicate KPI {key!r}.", w("key")
            )
        kpi_keys.add(key)
        if r["node_key"] not in node_keys:
            raise WorkbookError(
                f"KPI の項目「{r['node_key']}」がありません。",
                f"The KPI's item {r['node_key']!r} does not exist.",
                w("node_key"),
            )
        dec = _opt(_decimal)
        kpis.append(
            Kpi(
                key=key,
                node_key=str(r["node_key"]),
                label=_parse(w("label"), "label", r["label"], _text_required),
                name=_parse(w("name"), "name", r["name"], _text_required),
                unit=_parse(w("unit"), "unit", r["unit"], _text_required),
                decimals=_parse(w("decimals"), "decimals", r["decimals"], _in_range(0, 6)),
                direction=_parse(w("direction"), "direction", r["direction"], Direction),
                target_kind=_parse(w("target_kind"), "target_kind", r["target_kind"], TargetKind),
                target=_parse(w("target"), "target", r["target"], dec),
                cumulative=_parse(w("cumulative"), "cumulative", r["cumulative"], _bool),
                is_new=_parse(w("is_new"), "is_new", r["is_new"], _bool),
                definition_changed=_parse(
                    w("definition_changed"), "definition_changed", r["definition_changed"], _bool
                ),
                numerator_label=_parse(
                    w("numerator_label"), "numerator_label", r["numerator_label"], decode_text
                ),
                denominator_label=_parse(
                    w("denominator_label"), "denominator_label", r["denominator_label"], decode_text
                ),
                numerator_target=_parse(
                    w("numerator_target"), "numerator_target", r["numerator_target"], dec
                ),
                denominator_target=_parse(
                    w("denominator_target"), "denominator_target", r["denominator_target"], dec
                ),
                last_year_actual=_parse(
                    w("last_year_actual"), "last_year_actual", r["last_year_actual"], dec
                ),
                reference=_parse(w("reference"), "reference", r["reference"], decode_text),
                note=_parse(w("note"), "note", r["note"], decode_text),
                judged_decimals=_parse(
                    w("judged_decimals"),
                    "judged_decimals",
                    r["judged_decimals"],
                    _opt(_in_range(0, 6)),
                ),
                last_year_profile=tuple(months.get((key, "profile"), ())),
                monthly_actuals=tuple(months.get((key, "monthly"), ())),
            )
        )
    for kpi_key, _series in months:
        if kpi_key not in kpi_keys:
            raise WorkbookError(
                f"月別の値の KPI「{kpi_key}」がありません。",
                f"Monthly values name an unknown KPI {kpi_key!r}.",
                KPI_MONTHS.sheet,
            )

    m = _manifest(manifest)
    reports: tuple[Report, ...] = ()
    if m.period is not None:
        reports = (_report(m.period, manifest, tables, node_keys, kpi_keys),)
    plan = Plan(
        branch=m.branch,
        fiscal_year=m.fiscal_year,
        title=_parse(
            f"{MANIFEST_SHEET}!plan_title",
            "plan_title",
            manifest.get("plan_title"),
            _text_required,
        ),
        basic_policy=_parse(
            f"{MANIFEST_SHEET}!basic_policy",
            "basic_policy",
            manifest.get("basic_policy"),
            _footnotes,
        ),
        nodes=tuple(nodes),
        kpis=tuple(kpis),
        reports=reports,
    )
    bases: dict[str, str | None] = {}
    breader = _Rows(BASES, tables.get(BASES.sheet, []))
    for line, r in breader:
        w = lambda c, line=line: breader.where(line, c)  # noqa: E731
        name = _parse(w("field"), "field", r["field"], decode_text)
        if not name or name in bases:
            raise _bad(w("field"), "field", r["field"])
        bases[name] = _parse(w("value"), "value", r["value"], decode_text)
    return WorkbookData(manifest=m, plan=plan, bases=bases)


def _key(value: Cell, where: str) -> str:
    if value is None or not _KEY.fullmatch(value):
        raise _bad(where, "key", value)
    return value


def _manifest(values: dict[str, Cell]) -> Manifest:
    def w(key: str) -> str:
        return f"{MANIFEST_SHEET}!{key}"

    period_cell = values.get("period")
    sections = _parse(w("sections"), "sections", values.get("sections"), _footnotes)
    stamp = _opt(_stamp_parse)
    manifest = Manifest(
        kind=_parse(w("kind"), "kind", values.get("kind"), Kind),
        branch=_parse(w("branch"), "branch", values.get("branch"), _text_required),
        fiscal_year=_parse(w("fiscal_year"), "fiscal_year", values.get("fiscal_year"), _int),
        period=_parse(w("period"), "period", period_cell, _opt(PeriodKind)),
        app_version=_parse(
            w("app_version"), "app_version", values.get("app_version"), _text_required
        ),
        created_by=_parse(w("created_by"), "created_by", values.get("created_by"), _text_required),
        created_at=_parse(w("created_at"), "created_at", values.get("created_at"), _stamp_parse),
        sections=sections,
        signed_off_by=_parse(
            w("signed_off_by"), "signed_off_by", values.get("signed_off_by"), decode_text
        ),
        signed_off_at=_parse(
            w("signed_off_at"), "signed_off_at", values.get("signed_off_at"), stamp
        ),
        signed_off_name=_parse(
            w("signed_off_name"), "signed_off_name", values.get("signed_off_name"), decode_text
        ),
        format_version=_parse(
            w("format_version"), "format_version", values.get("format_version"), _int
        ),
        digest=str(values.get("digest") or ""),
    )
    # The digest has no key: a file can be crafted. Values the store would refuse
    # (or that would break the app later) are refused here, naming the cell.
    if manifest.branch not in BRANCHES:
        raise _bad(w("branch"), "branch", manifest.branch)
    if not 1990 <= manifest.fiscal_year <= 2100:
        raise _bad(w("fiscal_year"), "fiscal_year", manifest.fiscal_year)
    if manifest.kind is not Kind.TEMPLATE and manifest.period is None:
        raise _bad(w("period"), "period", period_cell)
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
) -> Report:
    as_of = _parse(f"{MANIFEST_SHEET}!as_of", "as_of", manifest.get("as_of"), YearMonth.from_iso)
    entries = []
    ereader = _Rows(ENTRIES, tables.get(ENTRIES.sheet, []))
    seen: set[str] = set()
    for line, r in ereader:
        w = lambda c, line=line: ereader.where(line, c)  # noqa: E731
        key = r["node_key"]
        if key not in node_keys or key in seen:
            raise _bad(w("node_key"), "node_key", key)
        seen.add(str(key))
        entries.append(
            SectionEntry(
                node_key=str(key),
                status_text=_parse(
                    w("status_text"), "status_text", r["status_text"], _text_required
                ),
                mark=_parse(w("mark"), "mark", r["mark"], decode_text),
                mark_reason=_parse(w("mark_reason"), "mark_reason", r["mark_reason"], decode_text),
                next_steps=_parse(w("next_steps"), "next_steps", r["next_steps"], _text_required),
            )
        )
    measurements = []
    mreader = _Rows(MEASUREMENTS, tables.get(MEASUREMENTS.sheet, []))
    seen = set()
    dec = _opt(_decimal)
    for line, r in mreader:
        w = lambda c, line=line: mreader.where(line, c)  # noqa: E731
        key = r["kpi_key"]
        if key not in kpi_keys or key in seen:
            raise _bad(w("kpi_key"), "kpi_key", key)
        seen.add(str(key))
        measurements.append(
            Measurement(
                kpi_key=str(key),
                value=_parse(w("value"), "value", r["value"], dec),
                numerator=_parse(w("numerator"), "numerator", r["numerator"], dec),
                denominator=_parse(w("denominator"), "denominator", r["denominator"], dec),
                done=_parse(w("done"), "done", r["done"], _opt(_bool)),
                as_of=_parse(w("as_of"), "as_of", r["as_of"], _opt(YearMonth.from_iso)),
                preliminary=_parse(w("preliminary"), "preliminary", r["preliminary"], _bool),
                unavailable_reason=_parse(
                    w("unavailable_reason"),
                    "unavailable_reason",
                    r["unavailable_reason"],
                    decode_text,
                ),
                entered_by=_parse(w("entered_by"), "entered_by", r["entered_by"], decode_text),
                entered_at=_parse(
                    w("entered_at"), "entered_at", r["entered_at"], _opt(_stamp_parse)
                ),
            )
        )
    benchmarks = []
    breader = _Rows(BENCHMARKS, tables.get(BENCHMARKS.sheet, []))
    for line, r in breader:
        w = lambda c, line=line: breader.where(line, c)  # noqa: E731
        if r["kpi_key"] not in kpi_keys:
            raise _bad(w("kpi_key"), "kpi_key", r["kpi_key"])
        benchmarks.append(
            Benchmark(
                kpi_key=str(r["kpi_key"]),
                national_average=_parse(
                    w("national_average"), "national_average", r["national_average"], dec
                ),
                national_rank=_parse(
                    w("national_rank"), "national_rank", r["national_rank"], _opt(_in_range(1, 47))
                ),
                branch_count=_parse(
                    w("branch_count"), "branch_count", r["branch_count"], _opt(_in_range(0, 47))
                ),
            )
        )
    return Report(
        period=period,
        as_of=as_of,
        title=_parse(
            f"{MANIFEST_SHEET}!report_title",
            "report_title",
            manifest.get("report_title"),
            _text_required,
        ),
        entries=tuple(entries),
        measurements=tuple(measurements),
        benchmarks=tuple(benchmarks),
    )
