"""One KPI's monthly figures (月次実績) as a one-row grid: April … March.

The row shows what the KPI's chart plots, from the same series: the monthly
figures, and the report's own figure in its as-of month (the chart drew it
there while this row stayed empty). That cell is read-only here: the report's
figure is typed in the KPI grid. Typing another month stores it through the
controller (blank clears it); a refused value stays at its cell with the reason
as a tooltip until it is fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.domain.achievement import format_value
from desktop.domain.model import Direction
from desktop.domain.parsing import format_decimal, written_places
from desktop.domain.series import Point, axis_labels
from desktop.services.changes import Changes, MeasurementChanged, MonthlyChanged, same_plan
from desktop.ui.controller import ReportController

Index = QModelIndex | QPersistentModelIndex


class MonthlyModel(QAbstractTableModel):
    def __init__(self, controller: ReportController, parent: Any = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.kpi_key: str | None = None
        self.errors: dict[int, str] = {}
        self._figures: dict[int, Point] = {}  # fiscal month → the point the chart plots
        # How a write runs: the form that shows this routes its refusals to its own line.
        self.saying: Callable[[Callable[[], Any]], Any] = lambda run: run()
        controller.changed.connect(self._on_changed)

    def set_kpi(self, kpi_key: str | None) -> None:
        snap = self.controller.snapshot
        usable = (
            kpi_key is not None
            and snap is not None
            and snap.has_kpi(kpi_key)  # a structure edit (or its undo) may have removed it
            and snap.kpi(kpi_key).direction is not Direction.QUALITATIVE
        )
        key = kpi_key if usable else None
        if key is not None and self.kpi_key is not None:
            # The same one row of twelve months: new figures in it, no reset (a reset
            # made the stretched header lay out and repaint again after the switch).
            self.kpi_key = key
            self.errors.clear()
            self._read_figures()
            self.dataChanged.emit(self.index(0, 0), self.index(0, 11))
            return
        self.beginResetModel()
        self.kpi_key = key
        self.errors.clear()
        self._read_figures()
        self.endResetModel()

    def _read_figures(self) -> None:
        snap = self.controller.snapshot
        if snap is None or self.kpi_key is None:
            self._figures = {}
            return
        self._figures = snap.series(self.kpi_key, self.controller.lang).month_figures()

    def _on_changed(self, changes: Changes) -> None:
        snap = self.controller.snapshot
        if snap is None or self.kpi_key is None:
            return
        if changes.replaces(snap.ref):
            self.set_kpi(self.kpi_key)
            return
        touched = False
        for change in changes.records:
            if isinstance(change, MonthlyChanged) and change.kpi_key == self.kpi_key:
                if same_plan(change.report, snap.ref):
                    self.errors.pop(change.fiscal_index - 1, None)
                    touched = True
            elif isinstance(change, MeasurementChanged) and change.report == snap.ref:
                touched = touched or change.measurement.kpi_key == self.kpi_key
        if touched:
            # The report's figure moves with its as-of month: the whole row may change.
            self._read_figures()
            self.dataChanged.emit(self.index(0, 0), self.index(0, 11))

    def is_reported(self, column: int) -> bool:
        """True where the cell shows the report's own figure (typed in the KPI grid)."""
        point = self._figures.get(column + 1)
        return point is not None and point.source == "reported"

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.kpi_key is None else 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 12

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        snap = self.controller.snapshot
        if role != Qt.ItemDataRole.DisplayRole or snap is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return axis_labels(snap.plan.fiscal_year)[section]
        return self.tr("Monthly")

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.is_reported(index.column()):
            return flags
        return flags | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        snap = self.controller.snapshot
        if not index.isValid() or snap is None or self.kpi_key is None:
            return None
        point = self._figures.get(index.column() + 1)
        value = point.value if point else None
        reported = self.is_reported(index.column())
        error = self.errors.get(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if value is None else format_value(snap.kpi(self.kpi_key), value)
        if role == Qt.ItemDataRole.EditRole:
            if value is None:
                return ""
            return format_decimal(value, written_places(value))
        if role == Qt.ItemDataRole.ToolTipRole:
            if error:
                return error
            if reported:
                return self.tr(
                    "The report's figure for this month (change it in the KPI table above)."
                )
            return self.tr("Type this month's figure; blank removes it.")
        if role == Qt.ItemDataRole.BackgroundRole and error:
            return QBrush(QColor("#fde2e1"))
        if role == Qt.ItemDataRole.BackgroundRole and reported:
            return QBrush(QColor("#f4f5f7"))  # the grids' colour for cells not typed here
        if role == Qt.ItemDataRole.FontRole and reported:
            font = QFont()
            font.setBold(True)  # the chart rings this point too
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self.kpi_key is None:
            return False
        if self.is_reported(index.column()):
            return False
        key, month, raw = self.kpi_key, index.column() + 1, str(value or "")
        error = self.saying(lambda: self.controller.set_monthly(key, month, raw))
        if error is not None:
            self.errors[index.column()] = error.message(self.controller.lang)
            self.dataChanged.emit(index, index)
            return False
        return True
