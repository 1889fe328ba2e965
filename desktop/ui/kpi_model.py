"""The KPI grid's model: one row per KPI of the selected section.

data() reads only the controller's cached snapshot (no query ever runs
here); setData() hands what was typed to the controller, which stores it
through the services or refuses it. A refusal is kept per cell and shown
at the cell until the next successful edit there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.domain.achievement import (
    Status,
    format_actual,
    format_target,
    format_value,
    judgement_note,
    status_detail,
)
from desktop.domain.model import Benchmark, Direction, Kpi, TargetKind
from desktop.domain.parsing import format_decimal, written_places
from desktop.domain.reference import Field, shown_figures
from desktop.domain.target_rules import milestone
from desktop.services.changes import (
    Changes,
    MeasurementChanged,
    MonthlyChanged,
    ReferenceChanged,
    same_plan,
    shown_in,
)
from desktop.ui.controller import ReportController
from desktop.ui.status_style import status_brush, status_symbol

Index = QModelIndex | QPersistentModelIndex
ErrorRole = Qt.ItemDataRole.UserRole + 1
KpiKeyRole = Qt.ItemDataRole.UserRole + 2
ManualRole = Qt.ItemDataRole.UserRole + 3  # the status cell: True when a person set it


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    field: str | None  # the measurement field an edit writes, None if read-only


COLUMNS = (
    Column("name", None),
    Column("target", None),
    Column("last_year", None),
    Column("value", "value"),
    Column("numerator", "numerator"),
    Column("denominator", "denominator"),
    Column("as_of", "as_of"),
    Column("preliminary", "preliminary"),
    Column("reason", "unavailable_reason"),
    Column("status", "manual_status"),  # editable only for a goal in words (手動判定)
    Column("national_average", None),
    Column("national_rank", None),
    # A KPI whose definition changed: this period's figure by the old method.
    Column("old_method", "old_method_value"),
)
COL = {c.key: i for i, c in enumerate(COLUMNS)}

_DONE_WORDS = {
    "実施": True,
    "済": True,
    "実施済": True,
    "done": True,
    "yes": True,
    "○": True,
    "未実施": False,
    "not done": False,
    "no": False,
    "×": False,
}


class KpiTableModel(QAbstractTableModel):
    def __init__(self, controller: ReportController, parent: Any = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.kpis: list[Kpi] = []
        self.errors: dict[tuple[int, int], str] = {}
        self.read_only = False  # approved or signed off: shown, not edited
        self.revision = 0  # counts the writes seen: what the grid shows may have changed
        # How a write runs: the form that shows this routes its refusals to its own line.
        self.saying: Callable[[Callable[[], Any]], Any] = lambda run: run()
        controller.changed.connect(self._on_changed)

    # --- content ---------------------------------------------------------------------------

    def set_kpis(self, kpis: list[Kpi]) -> None:
        self.beginResetModel()
        self.kpis = list(kpis)
        self.errors.clear()
        self.endResetModel()

    def content(self) -> tuple[object, int, str, tuple[str, ...]]:
        """What the cells' texts follow from: the report (the snapshot object), the
        writes seen since, the language and the KPIs shown."""
        snap = self.controller.snapshot
        return (snap, self.revision, self.controller.lang, tuple(k.key for k in self.kpis))

    def row_of(self, kpi_key: str) -> int | None:
        for i, k in enumerate(self.kpis):
            if k.key == kpi_key:
                return i
        return None

    def _on_changed(self, changes: Changes) -> None:
        """A stored figure repaints its row (the form sets the KPIs anew when the whole
        report was read again)."""
        self.revision += 1
        snap = self.controller.snapshot
        if snap is None:
            return
        for change in changes.of(MeasurementChanged):
            row = self.row_of(change.measurement.kpi_key) if change.report == snap.ref else None
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        for month in changes.of(MonthlyChanged):  # a rule over months is judged again
            row = self.row_of(month.kpi_key) if same_plan(month.report, snap.ref) else None
            if row is not None and self.kpis[row].target_kind is TargetKind.MONTHLY:
                status = self.index(row, COL["status"])
                self.dataChanged.emit(status, status)
        for ref_change in changes.of(ReferenceChanged):
            row = self.row_of(ref_change.kpi_key) if shown_in(ref_change, snap.ref) else None
            if row is not None:  # the plan's figures live on the KPI: take it as now held
                self.kpis[row] = snap.kpi(ref_change.kpi_key)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # --- Qt model API ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.kpis)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        key = COLUMNS[section].key
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers()[key]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._header_tips().get(key)
        return None

    def _headers(self) -> dict[str, str]:
        return {
            "name": self.tr("KPI"),
            "target": self.tr("Target"),
            "last_year": self.tr("Last year"),
            "value": self.tr("Actual"),
            "numerator": self.tr("Numerator"),
            "denominator": self.tr("Denominator"),
            "as_of": self.tr("As of"),
            "preliminary": self.tr("Prelim."),
            "reason": self.tr("Why no value"),
            "status": self.tr("Status"),
            "national_average": self.tr("National avg."),
            "national_rank": self.tr("Rank"),
            "old_method": self.tr("Old method"),
        }

    def _header_tips(self) -> dict[str, str]:
        return {
            "value": self.tr("Type the figure as you like: 98.4, ９８．４％, 14,097円, ▲5"),
            "as_of": self.tr("Month of the figure: 令和6年9月, R6.9, 2024/9"),
            "preliminary": self.tr("Preliminary figure (速報値)"),
            "reason": self.tr("Why there is no figure yet, e.g. 下期実施予定"),
            "status": self.tr(
                "How the figure stands against the target. A goal in words is judged by a "
                "person: double-click its status to give the verdict and the reason."
            ),
            "old_method": self.tr(
                "The figure by the old method of a KPI whose definition changed; shown "
                "beside the new one, for reference"
            ),
        }

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.is_editable(index.row(), index.column()):
            if COLUMNS[index.column()].key == "preliminary":
                return base | Qt.ItemFlag.ItemIsUserCheckable
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def is_editable(self, row: int, column: int) -> bool:
        col = COLUMNS[column]
        if self.read_only or col.field is None or not 0 <= row < len(self.kpis):
            return False
        kpi = self.kpis[row]
        if col.key == "numerator":
            return kpi.numerator_label is not None
        if col.key == "denominator":
            return kpi.denominator_label is not None
        if col.key == "status":  # a person's verdict (手動判定), through its dialog
            return self.is_manual(row)
        if col.key == "old_method":
            return kpi.definition_changed
        return True

    def is_manual(self, row: int) -> bool:
        """Is the KPI of ``row`` a goal in words, judged by a person?"""
        kpi = self.kpis[row]
        return kpi.target_kind is TargetKind.MANUAL and not kpi.reference_indicator

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        kpi = self.kpis[index.row()]
        key = COLUMNS[index.column()].key
        snap = self.controller.snapshot
        if snap is None:
            return None
        m = snap.measurements.get(kpi.key)
        error = self.errors.get((index.row(), index.column()))
        if role == KpiKeyRole:
            return kpi.key
        if role == ErrorRole:
            return error
        if role == ManualRole:
            return key == "status" and snap.assessment(kpi.key).manual
        if role == Qt.ItemDataRole.FontRole and key == "status":
            if snap.assessment(kpi.key).manual:  # a person's verdict looks unlike a computed one
                font = QFont()
                font.setItalic(True)
                return font
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if error:
                return error
            if key == "status":
                return snap.assessment(kpi.key).rule(self.controller.lang)
            if key == "target":  # how the figure is judged, when the KPI has a rule
                return target_tip(kpi, snap.plan.fiscal_year, self.controller.lang)
            if key == "name":
                return name_tip(kpi, self.controller.lang)
            if key in _REFERENCE_TIPS:  # the reference figures, each with its source
                return reference_tip(kpi, snap.benchmarks.get(kpi.key), key, self.controller.lang)
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            if error:
                return QBrush(QColor("#fde2e1"))
            if key == "status":
                return status_brush(snap.assessment(kpi.key).status)
            if not self.is_editable(index.row(), index.column()):
                return QBrush(QColor("#f4f5f7"))
            return None
        if role == Qt.ItemDataRole.CheckStateRole and key == "preliminary":
            return Qt.CheckState.Checked if (m and m.preliminary) else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole and key in (
            "target",
            "last_year",
            "value",
            "numerator",
            "denominator",
            "national_average",
            "national_rank",
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_text(kpi, key, m)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self._display(kpi, key, m, snap)

    def _edit_text(self, kpi: Kpi, key: str, m: Any) -> str:
        if m is None:
            return ""
        if key == "value":
            if kpi.direction is Direction.QUALITATIVE:
                return "" if m.done is None else ("実施" if m.done else "未実施")
            return "" if m.value is None else format_decimal(m.value, written_places(m.value))
        if key in ("numerator", "denominator"):
            v = getattr(m, key)
            return "" if v is None else format_decimal(v, written_places(v))
        if key == "as_of":
            return m.as_of.era_label() if m.as_of else ""
        if key == "reason":
            return m.unavailable_reason or ""
        if key == "old_method":
            v = m.old_method_value
            return "" if v is None else format_decimal(v, written_places(v))
        if key == "status":
            return Status(m.manual_status).label(self.controller.lang) if m.manual_status else ""
        return ""

    def _display(self, kpi: Kpi, key: str, m: Any, snap: Any) -> str | None:
        lang = self.controller.lang
        if key == "name":
            flags = ""
            if kpi.is_new:
                flags += self.tr(" [new]")
            if kpi.definition_changed:
                flags += self.tr(" [definition changed]")
            if kpi.reference_indicator:
                flags += self.tr(" [reference indicator]")
            return f"{kpi.label}{kpi.name}{flags}"
        if key == "target":
            return format_target(kpi, lang)
        if key == "last_year":
            return (
                format_value(kpi, kpi.last_year_actual) if kpi.last_year_actual is not None else ""
            )
        if key == "value":
            if kpi.direction is Direction.QUALITATIVE:
                if m is None or m.done is None:
                    return ""
                return self.tr("Done") if m.done else self.tr("Not done")
            value = m.effective_value() if m else None
            return format_actual(kpi, m) if value is not None else ""
        if key in ("numerator", "denominator"):
            v = getattr(m, key) if m else None
            return format_decimal(v, written_places(v)) if v is not None else ""
        if key == "as_of":
            if m is None or m.as_of is None:
                return ""
            return f"{m.as_of.era_label()}" if lang == "ja" else m.as_of.iso()
        if key == "preliminary":
            return None
        if key == "reason":
            return (m.unavailable_reason or "") if m else ""
        if key == "status":
            a = snap.assessment(kpi.key)
            detail = status_detail(kpi, a, lang)
            text = f"{status_symbol(a.status)} {a.status.label(lang)}"
            return f"{text}  {detail}" if detail else text
        if key == "old_method":
            v = m.old_method_value if m else None
            return format_value(kpi, v) if v is not None else ""
        bench = snap.benchmarks.get(kpi.key)
        if key == "national_average":
            if bench is None or bench.national_average is None:
                return ""
            return format_value(kpi, bench.national_average)
        if key == "national_rank":
            if bench is None or bench.national_rank is None:
                return ""
            return self.tr("No. {rank}").format(rank=bench.national_rank)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not self.is_editable(index.row(), index.column()):
            return False
        col = COLUMNS[index.column()]
        if col.key == "preliminary":
            if role != Qt.ItemDataRole.CheckStateRole:
                return False
            checked = Qt.CheckState(value) == Qt.CheckState.Checked
            return self.submit_cells([(index.row(), index.column(), checked)])
        if role != Qt.ItemDataRole.EditRole:
            return False
        return self.submit_cells([(index.row(), index.column(), value)])

    def submit_cells(self, cells: list[tuple[int, int, Any]]) -> bool:
        """Store several typed cells at once, all or nothing."""
        edits: dict[str, dict[str, Any]] = {}
        positions: dict[tuple[str, str], tuple[int, int]] = {}
        for row, column, raw in cells:
            kpi = self.kpis[row]
            col = COLUMNS[column]
            assert col.field is not None
            field, parsed = col.field, raw
            if col.key == "value" and kpi.direction is Direction.QUALITATIVE:
                text = str(raw or "").strip()
                if text and text not in _DONE_WORDS and text.lower() not in _DONE_WORDS:
                    self._set_error(
                        row,
                        column,
                        self.tr(
                            "Type 実施 (done) or 未実施 (not done) for this KPI, not '{text}'."
                        ).format(text=text),
                    )
                    return False
                field = "done"
                parsed = None if not text else _DONE_WORDS.get(text, _DONE_WORDS.get(text.lower()))
            elif col.key != "preliminary":
                parsed = "" if raw is None else str(raw)
            if field == "manual_status" and not parsed:
                edits.setdefault(kpi.key, {})["manual_reason"] = ""  # cleared together
            edits.setdefault(kpi.key, {})[field] = parsed
            positions[(kpi.key, field)] = (row, column)
        return self._store(edits, positions)

    def set_manual_verdict(self, row: int, status: Status | None, reason: str) -> bool:
        """Store a person's verdict on a goal in words with its reason (None clears both)."""
        kpi = self.kpis[row]
        fields = {
            "manual_status": status.value if status else "",
            "manual_reason": reason if status else "",
        }
        column = COL["status"]
        return self._store({kpi.key: fields}, {(kpi.key, f): (row, column) for f in fields})

    def _store(
        self, edits: dict[str, dict[str, Any]], positions: dict[tuple[str, str], tuple[int, int]]
    ) -> bool:
        error = self.saying(lambda: self.controller.set_measurements(list(edits.items())))
        if error is not None:
            where = positions.get((error.kpi_key, error.field)) or next(iter(positions.values()))
            self._set_error(*where, error.message(self.controller.lang))
            return False
        for row, column in positions.values():
            if self.errors.pop((row, column), None) is not None:
                idx = self.index(row, column)
                self.dataChanged.emit(idx, idx)
        return True

    def _set_error(self, row: int, column: int, message: str) -> None:
        self.errors[(row, column)] = message
        idx = self.index(row, column)
        self.dataChanged.emit(idx, idx)


__all__ = ["COL", "COLUMNS", "ErrorRole", "KpiKeyRole", "KpiTableModel", "ManualRole", "Status"]


def target_tip(kpi: Kpi, fiscal_year: int, lang: str) -> str | None:
    """How the target is judged: the rule of precision, the year's point on the path to
    a multi-year goal, a rule over months, a goal in words."""
    lines = [judgement_note(kpi, lang)]
    if kpi.target_kind is TargetKind.MULTI_YEAR:
        step = milestone(kpi, fiscal_year)
        lines.append(step.why_ja if lang == "ja" else step.why_en)
    elif kpi.target_kind is TargetKind.MONTHLY:
        lines.append(
            "毎月の実績（月次実績）で判定します。未入力の月は判定に含めません。"
            if lang == "ja"
            else "Judged month by month (monthly figures); months without a figure are not counted."
        )
    elif kpi.target_kind is TargetKind.MANUAL:
        lines.append(
            "文章の目標です。担当者が判定し、理由を記入します（手動判定）。"
            if lang == "ja"
            else "A goal in words: a person gives the verdict with a reason."
        )
    return "\n".join(x for x in lines if x) or None


def name_tip(kpi: Kpi, lang: str) -> str:
    """The KPI's name, note, what changed in its definition and whether it is judged."""
    lines = [kpi.name, kpi.note or ""]
    if kpi.definition_changed and kpi.definition_note:
        head = "算出方法の変更：" if lang == "ja" else "Definition changed: "
        lines.append(head + kpi.definition_note)
    if kpi.reference_indicator:
        lines.append(
            "参考指標（判定しません）" if lang == "ja" else "Reference indicator (not judged)"
        )
    return "\n".join(x for x in lines if x)


# Which reference figures a column's tooltip lists (desktop/domain/reference.py).
_REFERENCE_TIPS = {
    "last_year": (Field.LAST_YEAR_ACTUAL, Field.PRIOR_YEAR_ACTUAL),
    "national_average": (Field.NATIONAL_AVERAGE, Field.LAST_YEAR_NATIONAL_AVERAGE),
    "national_rank": (Field.NATIONAL_RANK, Field.LAST_YEAR_NATIONAL_RANK),
}


def reference_tip(kpi: Kpi, bench: Benchmark | None, key: str, lang: str) -> str | None:
    """The column's reference figures with where each came from, e.g.
    前年度実績 98.4％（前年度から繰越）; None when there are none."""
    lines = []
    for figure in shown_figures(kpi, bench):
        if figure.field not in _REFERENCE_TIPS[key]:
            continue
        value = (
            f"{figure.value}" if figure.field.is_rank else format_value(kpi, figure.value)  # type: ignore[arg-type]
        )
        source = figure.source_text.get(lang)
        shown = f"（{source}）" if lang == "ja" else f" ({source})"
        lines.append(f"{figure.field.text.get(lang)} {value}{shown}")
    return "\n".join(lines) or None
