"""Where a value of a workbook is, in words a person can follow.

Messages that reach a person (the import dialog, HQ's board, the command
line) name a section or KPI and a field — "KPI「①特定健診の受診率」の「目標」" —
never a hidden sheet's cell; the cell ("_kpis!I5") goes into ``cell`` of the
error, for the error log and the tests. The words of each field come from
its declaration (``hidden_tables``).
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.domain.model import Plan
from desktop.workbooks.cell_codecs import decode_text
from desktop.workbooks.hidden_tables import KPIS, MANIFEST, NODES, Table, Words, field_words
from desktop.workbooks.machine import MANIFEST_SHEET, Cell, Rows, WorkbookError
from desktop.workbooks.xlsx_cells import column_letter


def short(text: object, limit: int = 40) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Names:
    """Titles of the sections and KPIs, to name a row in a message. Made from a
    file's tables before they are checked (a damaged title is shown as its key),
    or from the plan being written."""

    def __init__(self, tables: dict[str, Rows] | None = None) -> None:
        tables = tables or {}
        self.nodes = self._titles(tables.get(NODES.sheet, []), NODES)
        self.kpis = self._titles(tables.get(KPIS.sheet, []), KPIS)

    @classmethod
    def of_plan(cls, plan: Plan) -> Names:
        names = cls()
        names.nodes = {n.key: short(f"{n.label}{n.title}") or n.key for n in plan.nodes}
        names.kpis = {k.key: short(f"{k.label}{k.name}") or k.key for k in plan.kpis}
        return names

    @staticmethod
    def _titles(rows: Rows, table: Table) -> dict[str, str]:
        label, title = (table.position(name) for name in table.titles)
        out = {}
        for row in rows:
            try:
                text = f"{decode_text(row[label]) or ''}{decode_text(row[title]) or ''}"
                out[str(row[0])] = short(text) or str(row[0])
            except (ValueError, IndexError, TypeError):
                continue
        return out

    def node(self, key: object) -> Words:
        title = self.nodes.get(str(key), str(key))
        return f"項目「{title}」", f"item '{title}'"

    def kpi(self, key: object) -> Words:
        title = self.kpis.get(str(key), str(key))
        return f"KPI「{title}」", f"KPI '{title}'"

    def row(self, table: Table, row: Sequence[object]) -> Words:
        """What one row of ``table`` is about, in words (Japanese, English); ``row``
        holds its cells (or, when writing, the values of its columns)."""
        first = row[0] if row else None
        if table.subject == "node":
            return self.node(first)
        if table.subject == "kpi":
            return self.kpi(first)
        if table.subject == "page":
            subject = short(_text(row[2]) if len(row) > 2 else "") if row else ""
            return (
                f"印刷される「{first}」の「{subject}」",
                f"the printed sheet {first}, '{subject}'",
            )
        if table.subject == "base":
            return f"取り込みの基準「{short(first)}」", f"merge base '{short(first)}'"
        return MANIFEST.words


def _text(cell: object) -> str:
    if not isinstance(cell, str):
        return "" if cell is None else str(cell)
    try:
        return decode_text(cell) or ""
    except ValueError:
        return cell


class Place:
    """One value's place: a column of one row of a table (``table`` None: a key
    of the manifest). Made only for a fault: the words are worked out then."""

    __slots__ = ("column", "line", "names", "row", "table")

    def __init__(
        self,
        table: Table | None,
        column: str,
        line: int = 0,
        row: Sequence[object] = (),
        names: Names | None = None,
    ) -> None:
        self.table, self.column, self.line, self.row = table, column, line, row
        self.names = names or Names()

    @property
    def sheet(self) -> str:
        return self.table.sheet if self.table else MANIFEST_SHEET

    @property
    def subject(self) -> Words:
        if self.table is None:
            return MANIFEST.words
        return self.names.row(self.table, self.row)

    @property
    def cell(self) -> str:
        if self.table is None:
            return f"{MANIFEST_SHEET}!{self.column}"
        return f"{self.sheet}!{column_letter(self.table.position(self.column) + 1)}{self.line}"

    def words(self) -> Words:
        """The field of the subject: 「KPI「…」の「目標」」, "the target of KPI '…'"."""
        field_ja, field_en = field_words(self.sheet, self.column)
        subject_ja, subject_en = self.subject
        return f"{subject_ja}の「{field_ja}」", f"the {field_en} of {subject_en}"

    # --- the faults, in words --------------------------------------------------------

    def unreadable(self, value: Cell | object) -> WorkbookError:
        where_ja, where_en = self.words()
        return WorkbookError(
            f"{where_ja}の値「{short(value)}」を読めません。",
            f"Cannot read {where_en}: {short(value)!r}.",
            cell=self.cell,
        )

    def unwritable(self, error: WorkbookError) -> WorkbookError:
        where_ja, where_en = self.words()
        return WorkbookError(
            f"{where_ja}：{error.reason.ja}",
            f"{where_en[0].upper()}{where_en[1:]}: {error.reason.en}",
            cell=self.cell,
        )

    def twice(self, value: object) -> WorkbookError:
        """A value that must be unique appears in an earlier row too."""
        table = self.table
        assert table is not None
        (subject_ja, subject_en), (field_ja, field_en) = self.subject, self.field()
        return WorkbookError(
            f"{table.words[0]}に{subject_ja}が2回あります（{field_ja} {value}）。",
            f"{subject_en[0].upper()}{subject_en[1:]} appears twice in the {table.words[1]} "
            f"({field_en} {value!r}).",
            cell=self.cell,
        )

    def missing(self, value: object, target: Table) -> WorkbookError:
        """A reference to a row that is not in the file (or, within one table, not
        before this row)."""
        table = self.table
        assert table is not None
        (subject_ja, subject_en), (field_ja, field_en) = self.subject, self.field()
        if target.sheet == table.sheet:
            this = {"node": "項目", "kpi": "KPI"}.get(table.subject, "行")
            ja = f"{subject_ja}の{field_ja}「{value}」が、この{this}より前にありません。"
            en = f"The {field_en} {value!r} of {subject_en} does not come before it."
        elif table.position(self.column) == 0:  # the row is about what it names
            ja = f"{table.words[0]}に、このファイルにない{subject_ja}があります。"
            en = f"The {table.words[1]} name {subject_en}, which is not in this file."
        else:
            ja = f"{subject_ja}の{field_ja}「{value}」がこのファイルにありません。"
            en = f"The {field_en} {value!r} of {subject_en} is not in this file."
        return WorkbookError(ja, en, cell=self.cell)

    def field(self) -> Words:
        return field_words(self.sheet, self.column)
