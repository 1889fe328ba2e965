"""A workbook's data as the rows of its hidden tables, and back.

Everything here is derived from the declarations in ``hidden_tables``: a
row is its record's attributes, one per column, through the column's codec;
reading a row decodes each cell, then checks what the declarations say —
references to rows of other tables, values that must be unique, the domain's
text limits — and names any fault in words (``places``). What is left by
hand is how the tables make up the domain objects (a KPI's monthly figures
are rows of their own; a report exists only for a period). No I/O: ``writer``
and ``reader`` move the rows in and out of xlsx.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from operator import attrgetter
from typing import Any, NamedTuple

from desktop.domain import limits
from desktop.domain.branch_targets import TargetTableError, format_cell, parse_cells
from desktop.domain.branches import BRANCHES
from desktop.domain.model import (
    Benchmark,
    BranchTargets,
    Kpi,
    Measurement,
    Plan,
    PlanNode,
    Report,
    SectionEntry,
)
from desktop.workbooks.cell_codecs import Codec, Ref, Text
from desktop.workbooks.hidden_tables import (
    BASES,
    BENCHMARKS,
    BRANCH_TARGETS,
    ENTRIES,
    KPI_MONTHS,
    KPIS,
    MANIFEST,
    MANIFEST_SUPPLIED,
    MEASUREMENTS,
    NODES,
    PAGES,
    SIGNATURE_KEY,
    SIGNING_KEY_KEY,
    TABLES,
    Column,
    LimitBy,
    Table,
)
from desktop.workbooks.machine import (
    FORMAT_NAME,
    FORMAT_VERSION,
    Cell,
    Kind,
    Manifest,
    Rows,
    WorkbookData,
    WorkbookError,
)
from desktop.workbooks.places import Names, Place


class MonthValue(NamedTuple):
    """One row of ``_kpi_months``: a KPI's figure of one fiscal month."""

    kpi_key: str
    series: str  # "profile" (last year's curve) or "monthly" (this year's)
    fiscal_index: int  # 1 = April
    value: Any


class TargetCell(NamedTuple):
    """One row of ``_branch_targets``: a branch's target for a KPI, as its cell's text."""

    branch: str
    kpi_key: str
    target: str


class Base(NamedTuple):
    """One row of ``_bases``: a field's value when this PC last took it from a file."""

    field: str
    value: str | None


_TABLE = {t.sheet: t for t in TABLES}
# Per table, once: the values of a record's columns in one call, and the columns
# with something to check before writing (a range, a set of values, a text limit;
# with the position of the column a text's limit depends on).
_VALUES = {t.sheet: attrgetter(*(c.attribute for c in t.columns)) for t in TABLES}
_CHECKED = {
    t.sheet: [
        (i, c, t.position(c.limit.column) if isinstance(c.limit, LimitBy) else None)
        for i, c in enumerate(t.columns)
        if c.limit is not None or type(c.codec).valid is not Codec.valid
    ]
    for t in TABLES
}


# --- domain → rows -----------------------------------------------------------------


def records_of(data: WorkbookData) -> dict[str, Sequence[Any]]:
    """The objects each table has a row for, in order (not the printed rows)."""
    plan, report = data.plan, data.report
    months = [
        MonthValue(k.key, series, index, value)
        for k in plan.kpis
        for series, values in (("profile", k.last_year_profile), ("monthly", k.monthly_actuals))
        for index, value in values
    ]
    return {
        NODES.sheet: plan.nodes,
        KPIS.sheet: plan.kpis,
        KPI_MONTHS.sheet: months,
        ENTRIES.sheet: report.entries if report else (),
        MEASUREMENTS.sheet: report.measurements if report else (),
        BENCHMARKS.sheet: report.benchmarks if report else (),
        BASES.sheet: [Base(k, v) for k, v in sorted(data.bases.items())],
        BRANCH_TARGETS.sheet: target_cells(plan),
    }


def target_cells(plan: Plan) -> list[TargetCell]:
    """HQ's table of targets per branch as rows (the cells that are not the default)."""
    kpis = {k.key: k for k in plan.kpis}
    return [
        TargetCell(branch, key, format_cell(target, kpis[key]))
        for branch, key, target in plan.branch_targets.cells
    ]


def tables_of(data: WorkbookData, pages: Rows | None = None) -> dict[str, Rows]:
    """The rows of every table; ``pages`` are the sealed printed rows (built by
    ``print_sheets``, which knows the layout; this module only carries them)."""
    records = records_of(data)
    out: dict[str, Rows] = {}
    for table in TABLES:
        if table is PAGES:
            out[table.sheet] = list(pages or [])
        else:
            out[table.sheet] = _encode(table, records[table.sheet], data)
    return out


def _encode(table: Table, records: Sequence[Any], data: WorkbookData) -> Rows:
    values, encoders = _VALUES[table.sheet], [c.codec.encode for c in table.columns]
    try:
        return [
            [encode(value) for encode, value in zip(encoders, values(r), strict=True)]
            for r in records
        ]
    except WorkbookError as exc:
        raise _unwritable(table, records, data) or exc from exc


def _unwritable(table: Table, records: Sequence[Any], data: WorkbookData) -> WorkbookError | None:
    """The first value that cannot be written, named in words."""
    names = Names.of_plan(data.plan)
    for line, record in enumerate(records, start=2):
        values = _VALUES[table.sheet](record)
        for column, value in zip(table.columns, values, strict=True):
            try:
                column.codec.encode(value)
            except WorkbookError as exc:
                return Place(table, column.name, line, values, names).unwritable(exc)
    return None


def _value(data: WorkbookData, path: str) -> Any:
    """``data`` at a dotted path ("report.title"); None below a missing report."""
    value: Any = data
    for part in path.split("."):
        if value is None:
            return None
        value = getattr(value, part)
    return value


def manifest_rows(data: WorkbookData, pages: int = 0) -> list[tuple[str, Cell]]:
    """The manifest's (key, cell) pairs; ``pages``: how many sealed printed rows."""
    supplied: dict[str, Cell] = {
        "format": FORMAT_NAME,
        "row_counts": json.dumps(row_counts(data, pages), separators=(",", ":")),
    }
    assert supplied.keys() == set(MANIFEST_SUPPLIED)
    out = []
    for column in MANIFEST.columns:
        if column.name in supplied:
            out.append((column.name, supplied[column.name]))
            continue
        try:
            out.append((column.name, column.codec.encode(_value(data, column.attribute))))
        except WorkbookError as exc:
            raise Place(None, column.name).unwritable(exc) from exc
    return out


def row_counts(data: WorkbookData, pages: int = 0) -> dict[str, int]:
    """How many rows each table of ``data`` has."""
    counts = {sheet: len(records) for sheet, records in records_of(data).items()}
    counts[PAGES.sheet] = pages
    return counts


# --- what a workbook can carry ------------------------------------------------------


def check_writable(data: WorkbookData) -> None:
    """Refuse data that a workbook cannot carry whole (it would come back different),
    or that PlanDesk would refuse when reading the file back: the manifest and the
    plan must agree, only the manifest's period is kept, every value is within its
    column's range and every text within the domain's limit."""
    m, plan = data.manifest, data.plan
    problems: list[tuple[str, str]] = []
    if plan.branch != m.branch or plan.fiscal_year != m.fiscal_year:
        problems.append(
            (
                "計画の支部・年度がファイルの基本情報と違います",
                "plan branch/year differ from the manifest",
            )
        )
    if len(plan.reports) > 1:
        problems.append(("報告が2つ以上あります", "more than one report"))
    report = data.report
    if (report is None) != (m.period is None):
        problems.append(
            (
                "報告と報告期間の一方しかありません",
                "a report without a period in the manifest, or the other way round",
            )
        )
    elif report is not None and report.period is not m.period:
        problems.append(
            (
                "報告の期間がファイルの基本情報と違います",
                "the report's period differs from the manifest's",
            )
        )
    if m.format_version != FORMAT_VERSION:
        problems.append(
            (f"ファイル形式の版 {m.format_version}", f"format version {m.format_version}")
        )
    for column in MANIFEST.columns:
        if column.name in MANIFEST_SUPPLIED:
            continue
        value = _value(data, column.attribute)
        if not column.codec.valid(value):
            problems.append(_out_of_range(Place(None, column.name), value))
        if refused := _refused(column, value):
            raise _over_limit(Place(None, column.name), refused)
    for sheet, records in records_of(data).items():
        table, get, checked = _TABLE[sheet], _VALUES[sheet], _CHECKED[sheet]
        for line, record in enumerate(records, start=2):
            values = get(record)
            for i, column, by in checked:
                value = values[i]
                if not column.codec.valid(value):
                    place = Place(table, column.name, line, values, Names.of_plan(plan))
                    problems.append(_out_of_range(place, value))
                if column.limit is None or value is None:
                    continue
                if refused := _refused(column, value, None if by is None else values[by]):
                    place = Place(table, column.name, line, values, Names.of_plan(plan))
                    raise _over_limit(place, refused)
    if problems:
        detail_ja = "、".join(ja for ja, _en in problems)
        detail_en = "; ".join(en for _ja, en in problems)
        raise WorkbookError(
            f"この内容はブックに書けません（{detail_ja}）。",
            f"This content cannot be written to a workbook ({detail_en}).",
        )


def _out_of_range(place: Place, value: object) -> tuple[str, str]:
    where_ja, where_en = place.words()
    return f"{where_ja}「{value}」", f"{where_en} ({value})"


def _refused(column: Column, value: object, other: object = None) -> limits.TextRefused | None:
    """Why a text is over the domain's limit for its kind, or None (``other``: the
    value of the column a ``LimitBy`` limit depends on)."""
    if column.limit is None or value is None:
        return None
    kind = (
        column.limit if isinstance(column.limit, limits.TextKind) else column.limit.kind_of(other)
    )
    try:
        if isinstance(value, tuple):
            limits.check_texts(kind, value, typed=False)
        else:
            limits.check_text(kind, str(value), typed=False)
    except limits.TextRefused as refused:
        return refused
    return None


def _within_limit(column: Column, values: list[Any], by_attribute: dict[str, list[Any]]) -> bool:
    """Whether no value of a column is over the domain's limit for its kind (as
    ``_refused`` says, row by row): a column of texts all within their kind's length
    needs no call per value."""
    limit = column.limit
    if (
        isinstance(limit, limits.TextKind)
        and isinstance(column.codec, Text)
        and max(map(len, filter(None, values)), default=0) <= limit.limit
    ):
        return True
    # By attribute under the column's name, as the row by row reading looks it up.
    others = by_attribute[limit.column] if isinstance(limit, LimitBy) else [None] * len(values)
    return not any(_refused(column, v, o) for v, o in zip(values, others, strict=True))


def _over_limit(place: Place, refused: limits.TextRefused) -> WorkbookError:
    """The text's fault, naming the section or KPI in words (the hidden cell, for
    the log, in ``cell``)."""
    if place.table is None:
        return WorkbookError(refused.text.ja, refused.text.en, cell=place.cell)
    subject_ja, subject_en = place.subject
    return WorkbookError(
        f"{subject_ja}の{refused.text.ja}",
        f"{subject_en}: {refused.text.en}",
        cell=place.cell,
    )


# --- rows → domain ------------------------------------------------------------------

_FAULTS = (ValueError, TypeError, ArithmeticError, KeyError, RecursionError)


class _Reading:
    """Decodes the tables of one file, row by row, keeping the keys seen so far
    (references point to them) and naming the place of the first fault."""

    def __init__(self, tables: dict[str, Rows], version: int) -> None:
        self.tables = tables
        self.version = version
        self.keys: dict[str, set[Any]] = {}  # sheet → the values of its unique first column
        self._names: Names | None = None

    @property
    def names(self) -> Names:  # the titles, read only when a message needs them
        if self._names is None:
            self._names = Names(self.tables)
        return self._names

    def place(self, table: Table, column: Column, line: int, row: Sequence[Cell]) -> Place:
        return Place(table, column.name, line, row, self.names)

    def records(self, declared: Table) -> list[dict[str, Any]]:
        table = declared.in_version(self.version)
        rows = self.tables.get(table.sheet, [])
        quick = self._by_column(declared, table, rows)
        return quick if quick is not None else self._by_row(declared, table, rows)

    def _by_column(self, declared: Table, table: Table, rows: Rows) -> list[dict[str, Any]] | None:
        """The records decoded and checked a column at once (a C loop for most of
        them: every cell of every row HQ reads passes here), or None when any check
        fails: then ``_by_row`` reads the table again, row by row, and names the
        first fault in the order it always did."""
        columns = table.columns
        width = len(columns)
        if any(len(row) != width for row in rows):
            return None
        cells = list(zip(*rows, strict=True)) if rows else [() for _column in columns]
        try:
            values = [
                c.codec.decode_column(column) for c, column in zip(columns, cells, strict=True)
            ]
        except (WorkbookError, *_FAULTS):
            return None
        by_attribute = {c.attribute: v for c, v in zip(columns, values, strict=True)}
        for column, column_values in zip(columns, values, strict=True):
            if isinstance(column.codec, Ref) and not self._refer(
                table, column.codec, column_values, values[0]
            ):
                return None
            if column.unique and len(set(column_values)) != len(column_values):
                return None
            try:
                if column.limit is not None and not _within_limit(
                    column, column_values, by_attribute
                ):
                    return None
            except KeyError:
                return None
        if columns[0].unique:
            self.keys[table.sheet] = set(values[0])
        attributes = [c.attribute for c in columns]
        earlier = {c.attribute: c.before for c in declared.missing_in(self.version)}
        out = [dict(zip(attributes, record, strict=True)) for record in zip(*values, strict=True)]
        if earlier:
            for record in out:
                record.update(earlier)
        return out

    def _refer(self, table: Table, ref: Ref, values: list[Any], keys: list[Any]) -> bool:
        """Whether every reference of a column points to a row of its table — to an
        earlier row, when it points into its own table (a section's parent)."""
        target = _TABLE[ref.table].sheet
        if target != table.sheet:
            present = set(values)
            present.discard(None)
            return present.issubset(self.keys.get(target, ()))
        position = {key: line for line, key in enumerate(keys)}
        return not any(
            value is not None and position.get(value, line) >= line
            for line, value in enumerate(values)
        )

    def _by_row(self, declared: Table, table: Table, rows: Rows) -> list[dict[str, Any]]:
        earlier = {c.attribute: c.before for c in declared.missing_in(self.version)}
        columns = table.columns
        refs = [(c, _TABLE[c.codec.table]) for c in columns if isinstance(c.codec, Ref)]
        unique = {c.name: set() for c in columns if c.unique}
        if unique and columns[0].name in unique:
            self.keys[table.sheet] = unique[columns[0].name]
        # A plain text within its kind's limit needs no call (what _refused would say).
        limited = [
            (
                c,
                c.attribute,
                c.limit.column if isinstance(c.limit, LimitBy) else None,
                c.limit.limit if isinstance(c.limit, limits.TextKind) else -1,
            )
            for c in columns
            if c.limit is not None
        ]
        refs = [(c, c.attribute, target) for c, target in refs]
        # Every cell of every row HQ reads passes here: the decoders are looked up once,
        # and a row is decoded in one comprehension; only a row that fails is decoded
        # again cell by cell, to name the cell.
        decoders = [(c.attribute, c.codec.decode) for c in columns]
        out = []
        for line, row in enumerate(rows, start=2):
            if len(row) != len(decoders):
                raise ValueError(f"{table.sheet} row {line}: {len(row)} cells")
            try:
                record: dict[str, Any] = {
                    attribute: decode(cell)
                    for (attribute, decode), cell in zip(decoders, row, strict=True)
                }
            except WorkbookError:
                raise
            except _FAULTS:
                for column, cell in zip(columns, row, strict=True):
                    try:
                        column.codec.decode(cell)
                    except WorkbookError:
                        raise
                    except _FAULTS as exc:
                        raise self.place(table, column, line, row).unreadable(cell) from exc
                raise
            for column, attribute, target in refs:
                value = record[attribute]
                if value is not None and value not in self.keys.get(target.sheet, ()):
                    raise self.place(table, column, line, row).missing(value, target)
            for name, seen in unique.items():
                value = record[name]
                if value in seen:
                    raise self.place(table, table.column(name), line, row).twice(value)
                seen.add(value)
            for column, attribute, by, cap in limited:
                value = record[attribute]
                if value is None or (type(value) is str and len(value) <= cap):
                    continue
                other = None if by is None else record[by]
                if refused := _refused(column, value, other):
                    raise _over_limit(self.place(table, column, line, row), refused)
            if earlier:
                record.update(earlier)
            out.append(record)
        return out

    def manifest(self, cells: dict[str, Cell]) -> dict[str, Any]:
        """The manifest's values by attribute ("manifest.kind", "plan.title")."""
        out: dict[str, Any] = {}
        for column in MANIFEST.columns:
            if column.name in MANIFEST_SUPPLIED:
                continue  # the reader checks the format; the counts only name a change
            if column.since > self.version:
                out[column.attribute] = column.before
                continue
            cell = cells.get(column.name)
            place = Place(None, column.name)
            try:
                value = column.codec.decode(cell)
            except WorkbookError:
                raise
            except _FAULTS as exc:
                raise place.unreadable(cell) from exc
            if refused := _refused(column, value):
                raise _over_limit(place, refused)
            out[column.attribute] = value
        return out


def manifest_from_cells(cells: dict[str, Cell]) -> Manifest:
    """The manifest of a file from its ``_manifest`` key/value cells (checked)."""
    return _manifest(cells, _Reading({}, _version(cells)).manifest(cells))


def _version(cells: dict[str, Cell]) -> int:
    try:
        return int(cells.get("format_version") or FORMAT_VERSION)
    except ValueError:
        return FORMAT_VERSION  # refused, naming the cell, when the manifest is read


def _manifest(cells: dict[str, Cell], values: dict[str, Any]) -> Manifest:
    manifest = Manifest(
        **{attr.split(".", 1)[1]: v for attr, v in values.items() if attr.startswith("manifest.")},
        digest=str(cells.get("digest") or ""),
        signature=str(cells.get(SIGNATURE_KEY) or ""),
        signing_key=str(cells.get(SIGNING_KEY_KEY) or ""),
    )
    if manifest.kind is not Kind.TEMPLATE and manifest.period is None:
        raise Place(None, "period").unreadable(cells.get("period"))
    return manifest


def data_from_tables(manifest: dict[str, Cell], tables: dict[str, Rows]) -> WorkbookData:
    """Domain objects from checked rows; raises WorkbookError naming the section or
    KPI and the field in words (and the hidden cell in ``cell``)."""
    reading = _Reading(tables, _version(manifest))
    values = reading.manifest(manifest)
    m = _manifest(manifest, values)
    nodes = tuple(PlanNode(**r) for r in reading.records(NODES))
    kpi_records = reading.records(KPIS)
    months: dict[tuple[str, str], list[tuple[int, Any]]] = {}
    for r in reading.records(KPI_MONTHS):
        months.setdefault((r["kpi_key"], r["series"]), []).append((r["fiscal_index"], r["value"]))
    kpis = tuple(
        Kpi(
            **r,
            last_year_profile=tuple(months.get((r["key"], "profile"), ())),
            monthly_actuals=tuple(months.get((r["key"], "monthly"), ())),
        )
        for r in kpi_records
    )
    reports: tuple[Report, ...] = ()
    if m.period is not None:
        as_of = values["report.as_of"]
        if as_of is None:
            raise Place(None, "as_of").unreadable(None)
        reports = (
            Report(
                period=m.period,
                as_of=as_of,
                title=values["report.title"],
                entries=tuple(SectionEntry(**r) for r in reading.records(ENTRIES)),
                measurements=tuple(Measurement(**r) for r in reading.records(MEASUREMENTS)),
                benchmarks=tuple(Benchmark(**r) for r in reading.records(BENCHMARKS)),
            ),
        )
    plan = Plan(
        branch=m.branch,
        fiscal_year=m.fiscal_year,
        title=values["plan.title"],
        basic_policy=values["plan.basic_policy"],
        mark_rules=values["plan.mark_rules"],
        report_axis=values["plan.report_axis"],
        number_per_group=values["plan.number_per_group"],
        print_profiles=values["plan.print_profiles"],
        nodes=nodes,
        kpis=kpis,
        reports=reports,
    )
    if reading.version >= BRANCH_TARGETS.since:
        plan = replace(plan, branch_targets=_branch_targets(plan, reading.records(BRANCH_TARGETS)))
    bases = {r["field"]: r["value"] for r in reading.records(BASES)}
    return WorkbookData(manifest=m, plan=plan, bases=bases)


def _branch_targets(plan: Plan, records: list[dict[str, Any]]) -> BranchTargets:
    """The rows of ``_branch_targets`` read against the KPIs: every cell must be a
    target for its KPI (the whole table is refused, naming each bad cell)."""
    texts: dict[tuple[str, str], str | None] = {}
    for r in records:
        cell = (r["branch"], r["kpi_key"])
        if cell in texts:
            kpi = next(k for k in plan.kpis if k.key == cell[1])
            unit = BRANCHES[cell[0]]
            raise WorkbookError(
                f"{unit.name_ja}の「{kpi.name}」の目標が2回あります。",
                f"The target of {unit.name_en} for '{kpi.name}' appears twice.",
                "支部別目標 / targets per branch",
                cell=BRANCH_TARGETS.sheet,
            )
        texts[cell] = r["target"]
    try:
        parsed = parse_cells(plan, texts)
    except TargetTableError as exc:
        raise WorkbookError(
            exc.text.ja, exc.text.en, "支部別目標 / targets per branch", cell=BRANCH_TARGETS.sheet
        ) from None
    return BranchTargets(tuple((b, k, t) for (b, k), t in parsed.items() if t is not None))
