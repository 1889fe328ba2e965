"""The dashboard's table: every KPI of the open report, live.

Rows are fixed per report; values are read from the controller's snapshot at
paint time, so a stored edit only has to announce its row (one dataChanged),
never rebuild the table.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont

from desktop.domain.achievement import (
    Status,
    format_actual,
    format_percent,
    format_target,
    format_value,
    status_detail,
)
from desktop.domain.model import Direction, Group, Kpi, TargetKind
from desktop.domain.series import top_ancestor
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
SortRole = Qt.ItemDataRole.UserRole + 10
NodeKeyRole = Qt.ItemDataRole.UserRole + 11
KpiKeyRole = Qt.ItemDataRole.UserRole + 12
PillarRole = Qt.ItemDataRole.UserRole + 13
GroupRole = Qt.ItemDataRole.UserRole + 14
StatusRole = Qt.ItemDataRole.UserRole + 15

COLUMNS = (
    "pillar",
    "section",
    "group",
    "kpi",
    "target",
    "actual",
    "as_of",
    "status",
    "achievement",
    "last_year",
    "national_average",
    "rank",
)
COL = {name: i for i, name in enumerate(COLUMNS)}
_NUMERIC = {"target", "actual", "achievement", "last_year", "national_average", "rank"}
_STATUS_ORDER = {
    s: i
    for i, s in enumerate(
        (
            Status.NOT_MET,
            Status.BEHIND_PACE,
            Status.TARGET_UNKNOWN,
            Status.NO_DATA,
            Status.ON_PACE,
            Status.MET,
            Status.REFERENCE,
        )
    )
}


@dataclass(frozen=True, slots=True)
class Row:
    kpi: Kpi
    order: int  # position in the printed plan
    pillar_key: str
    pillar: str
    section_key: str  # the node a double-click opens
    section: str
    group: str


class DashboardModel(QAbstractTableModel):
    def __init__(self, controller: ReportController, parent: Any = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.rows: list[Row] = []
        self._row_of: dict[str, int] = {}
        controller.reportLoaded.connect(self.reload)
        controller.changed.connect(self._on_changed)

    def reload(self) -> None:
        self.beginResetModel()
        self.rows = []
        snap = self.controller.snapshot
        if snap is not None:
            plan = snap.plan
            order = {n.key: i for i, n in enumerate(plan.nodes)}
            for kpi in sorted(plan.kpis, key=lambda k: order[k.node_key]):
                pillar = plan.node(top_ancestor(plan, kpi.node_key, 0))
                section = plan.node(kpi.node_key)
                group = plan.effective_group(kpi.node_key)
                self.rows.append(
                    Row(
                        kpi=kpi,
                        order=len(self.rows),
                        pillar_key=pillar.key,
                        pillar=pillar.display_title,
                        section_key=section.key,
                        section=section.display_title,
                        group=group.value if group else "",
                    )
                )
        self._row_of = {r.kpi.key: i for i, r in enumerate(self.rows)}
        self.endResetModel()

    def row_of(self, kpi_key: str) -> int | None:
        return self._row_of.get(kpi_key)

    def _on_changed(self, changes: Changes) -> None:
        snap = self.controller.snapshot
        if snap is None:
            return
        if changes.replaces(snap.ref):  # read again: plan, figures, national figures
            self.reload()
            return
        for change in changes.of(MeasurementChanged):
            row = self._row_of.get(change.measurement.kpi_key)
            if row is not None and change.report == snap.ref:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        for month in changes.of(MonthlyChanged):  # a rule over months is judged again
            row = self._row_of.get(month.kpi_key) if same_plan(month.report, snap.ref) else None
            if row is not None and self.rows[row].kpi.target_kind is TargetKind.MONTHLY:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        for ref_change in changes.of(ReferenceChanged):
            row = self._row_of.get(ref_change.kpi_key) if shown_in(ref_change, snap.ref) else None
            if row is not None:  # the plan's figures live on the KPI: take it as now held
                self.rows[row] = replace(self.rows[row], kpi=snap.kpi(ref_change.kpi_key))
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # --- Qt model API --------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            "pillar": self.tr("Pillar"),
            "section": self.tr("Section"),
            "group": self.tr("Group"),
            "kpi": self.tr("KPI"),
            "target": self.tr("Target"),
            "actual": self.tr("Actual"),
            "as_of": self.tr("As of"),
            "status": self.tr("Status"),
            "achievement": self.tr("Achievement"),
            "last_year": self.tr("Last year"),
            "national_average": self.tr("National avg."),
            "rank": self.tr("Rank"),
        }[COLUMNS[section]]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        snap = self.controller.snapshot
        if not index.isValid() or snap is None:
            return None
        row = self.rows[index.row()]
        column = COLUMNS[index.column()]
        if role == NodeKeyRole:
            return row.section_key
        if role == KpiKeyRole:
            return row.kpi.key
        if role == PillarRole:
            return row.pillar_key
        if role == GroupRole:
            return row.group
        assessment = snap.assessment(row.kpi.key)
        if role == StatusRole:
            return assessment.status.value
        if role == SortRole:
            return self._sort_key(row, column, assessment)
        if role == Qt.ItemDataRole.BackgroundRole and column == "status":
            return status_brush(assessment.status)
        if role == Qt.ItemDataRole.FontRole and column == "status" and assessment.manual:
            font = QFont()  # a person's verdict looks unlike a computed one
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            # The full text of any cell a narrow column cuts; the rule behind a status.
            text = self._display(row, column, assessment)
            if column == "status":
                return f"{text}\n{assessment.rule(self.controller.lang)}"
            return text or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column, assessment)
        return None

    def _display(self, row: Row, column: str, a: Any) -> str:
        snap = self.controller.snapshot
        assert snap is not None
        lang = self.controller.lang
        kpi = row.kpi
        m = snap.measurements.get(kpi.key)
        bench = snap.benchmarks.get(kpi.key)
        if column == "pillar":
            return row.pillar
        if column == "section":
            return row.section
        if column == "group":
            return Group(row.group).label(lang) if row.group else ""
        if column == "kpi":
            return f"{kpi.label}{kpi.name}"
        if column == "target":
            return format_target(kpi, lang)
        if column == "actual":
            if kpi.direction is Direction.QUALITATIVE:
                if m is None or m.done is None:
                    return ""
                return self.tr("Done") if m.done else self.tr("Not done")
            value = m.effective_value() if m else None
            return format_actual(kpi, m) if value is not None else ""
        if column == "as_of":
            if m is None or m.as_of is None:
                return ""
            return m.as_of.era_label() if lang == "ja" else m.as_of.iso()
        if column == "status":
            detail = status_detail(kpi, a, lang)
            text = f"{status_symbol(a.status)} {a.status.label(lang)}"
            return f"{text}  {detail}" if detail else text
        if column == "achievement":
            return format_percent(a.ratio) if a.ratio is not None else ""
        if column == "last_year":
            return format_value(kpi, kpi.last_year_actual) if kpi.last_year_actual else ""
        if column == "national_average":
            if bench is None or bench.national_average is None:
                return ""
            return format_value(kpi, bench.national_average)
        if column == "rank":
            if bench is None or bench.national_rank is None:
                return ""
            return self.tr("No. {rank}").format(rank=bench.national_rank)
        return ""

    def _sort_key(self, row: Row, column: str, a: Any) -> Any:
        """A key of one type per column (None sorts last, by the proxy)."""
        snap = self.controller.snapshot
        assert snap is not None
        m = snap.measurements.get(row.kpi.key)
        bench = snap.benchmarks.get(row.kpi.key)
        if column in ("pillar", "section", "kpi"):
            return row.order
        if column == "status":
            return _STATUS_ORDER[a.status]
        if column == "target":
            return row.kpi.resolved_target()
        if column == "actual":
            return m.effective_value() if m else None
        if column == "as_of":
            return m.as_of.iso() if m and m.as_of else None
        if column == "achievement":
            return a.ratio
        if column == "last_year":
            return row.kpi.last_year_actual
        if column == "national_average":
            return bench.national_average if bench else None
        if column == "rank":
            return bench.national_rank if bench else None
        return self._display(row, column, a)


class DashboardFilter(QSortFilterProxyModel):
    """Filters by pillar, group and status; sorts by typed keys, blanks last."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.pillar: str | None = None
        self.group: str | None = None
        self.status: str | None = None
        self.setSortRole(SortRole)

    def set_filters(
        self, *, pillar: str | None = None, group: str | None = None, status: str | None = None
    ) -> None:
        self.beginFilterChange()
        self.pillar, self.group, self.status = pillar, group, status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def refilter(self) -> None:
        """After a figure changed: a status filter may now take or drop its row."""
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, parent: Index) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, parent)
        if self.pillar and model.data(index, PillarRole) != self.pillar:
            return False
        if self.group and model.data(index, GroupRole) != self.group:
            return False
        return not (self.status and model.data(index, StatusRole) != self.status)

    def lessThan(self, left: Index, right: Index) -> bool:
        a, b = left.data(SortRole), right.data(SortRole)
        if a is None or b is None:
            # Blanks sort after values whichever way the column is sorted.
            ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
            return (a is not None) if ascending else (a is None and b is not None)
        return a < b
