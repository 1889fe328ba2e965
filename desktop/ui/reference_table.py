"""Plan ▸ Reference figures…: one table of every KPI of the open plan with the reference
figures a branch types itself (desktop/domain/reference.py, services/reference.py).

Columns: last year's and the year before's actuals (the plan's), this report's
national average and rank, last year's national average and rank. Each cell shows
the figure and where it came from — typed by the branch, carried over by the
rollover, HQ's benchmark pack, or as the plan came — by a tag and a background, so
that a typed figure is never taken for HQ's. HQ's figures are read-only (a pack
replaces typed figures and typing over the pack is refused); every other cell is
edited in place through ``ReportController.set_reference`` (undoable). The model
reads the controller's snapshot, which the change signal keeps current: no query in
``data()``, a changed figure repaints its row only.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.model import Kpi, Source
from desktop.domain.reference import AS_INSTALLED, Field
from desktop.services.changes import Changes, ReferenceChanged
from desktop.ui.controller import ReportController

Index = QModelIndex | QPersistentModelIndex

KPI_COLUMN = 0
FIELDS: tuple[Field, ...] = (
    Field.LAST_YEAR_ACTUAL,
    Field.PRIOR_YEAR_ACTUAL,
    Field.NATIONAL_AVERAGE,
    Field.NATIONAL_RANK,
    Field.LAST_YEAR_NATIONAL_AVERAGE,
    Field.LAST_YEAR_NATIONAL_RANK,
)
SourceRole = Qt.ItemDataRole.UserRole + 1  # the Source of a cell's figure (None: as installed)
KeyRole = Qt.ItemDataRole.UserRole + 2  # the KPI's key

# Where a figure came from, as a background (never alone: the cell's tag says it too).
_BACKGROUND = {
    Source.TYPED: "#fff6d5",
    Source.ROLLOVER: "#e3eefc",
    Source.PACK: "#e9e9e9",
}


@dataclass(frozen=True, slots=True)
class Cell:
    value: Decimal | int | None
    source: Source | None  # None: the plan came with it


class ReferenceModel(QAbstractTableModel):
    refused = Signal(str)  # why a figure typed here was not stored (the table says it)

    def __init__(self, controller: ReportController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._keys: list[str] = []
        self._rows: dict[str, int] = {}
        self.reset()
        controller.changed.connect(self._on_changed)
        controller.reportLoaded.connect(self.reset)

    # --- rows ------------------------------------------------------------------------------

    def reset(self) -> None:
        self.beginResetModel()
        snap = self.controller.snapshot
        self._keys = [k.key for k in snap.plan.kpis] if snap is not None else []
        self._rows = {key: i for i, key in enumerate(self._keys)}
        self.endResetModel()

    def _on_changed(self, changes: Changes) -> None:
        snap = self.controller.snapshot
        if snap is None:
            return
        if changes.replaces(snap.ref):
            self.reset()
            return
        for r in changes.of(ReferenceChanged):
            row = self._rows.get(r.kpi_key)
            if row is not None:
                self.dataChanged.emit(self.index(row, 1), self.index(row, len(FIELDS)))

    def row_of(self, kpi_key: str) -> int:
        return self._rows[kpi_key]

    # --- cells -----------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else 1 + len(FIELDS)

    def _kpi(self, row: int) -> Kpi:
        snap = self.controller.snapshot
        assert snap is not None
        return snap.kpi(self._keys[row])

    def cell(self, row: int, field: Field) -> Cell:
        """A figure as the open report holds it, and where it came from."""
        snap = self.controller.snapshot
        assert snap is not None
        kpi = self._kpi(row)
        if field.of_report:
            bench = snap.benchmarks.get(kpi.key)
            if bench is None:
                return Cell(None, None)
            return Cell(getattr(bench, field.value), bench.source)
        source = {
            Field.LAST_YEAR_ACTUAL: kpi.last_year_source,
            Field.PRIOR_YEAR_ACTUAL: kpi.prior_year_source,
        }.get(field, Source.TYPED)  # last year's national figures are only ever typed
        return Cell(getattr(kpi, field.value), source)

    def _tag(self, source: Source | None) -> str:
        lang = self.controller.lang
        return (AS_INSTALLED if source is None else source.text).get(lang)

    def _shown(self, kpi: Kpi, field: Field, value: Decimal | int) -> str:
        if field.is_rank:
            return self.tr("No. {n}").format(n=value)
        return f"{value}{kpi.unit}"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        kpi = self._kpi(index.row())
        if role == KeyRole:
            return kpi.key
        if index.column() == KPI_COLUMN:
            if role == Qt.ItemDataRole.DisplayRole:
                name = f"{kpi.label}{kpi.name}" if kpi.label else kpi.name
                return f"{name}（{kpi.unit}）" if kpi.unit else name
            if role == Qt.ItemDataRole.ToolTipRole:
                return kpi.key
            return None
        field = FIELDS[index.column() - 1]
        cell = self.cell(index.row(), field)
        if role == Qt.ItemDataRole.EditRole:
            return "" if cell.value is None else str(cell.value)
        if cell.value is None:
            if role == Qt.ItemDataRole.ToolTipRole and self._locked(index.row(), field):
                return self.tr("HQ's pack gives this report's national figures: read-only.")
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{self._shown(kpi, field, cell.value)}  〔{self._tag(cell.source)}〕"
        if role == SourceRole:
            return cell.source
        if role == Qt.ItemDataRole.BackgroundRole and cell.source in _BACKGROUND:
            return QBrush(QColor(_BACKGROUND[cell.source]))
        if role == Qt.ItemDataRole.ToolTipRole:
            if cell.source is Source.PACK:
                return self.tr(
                    "From HQ's benchmark pack: read-only (a pack replaces figures typed here)."
                )
            if cell.source is Source.ROLLOVER:
                return self.tr("Carried over from last year's plan; typing replaces it.")
            if cell.source is Source.TYPED:
                return self.tr("Typed by the branch; HQ's pack replaces it when it arrives.")
            return self.tr("As the plan came (HQ's template or a plan file).")
        return None

    def _locked(self, row: int, field: Field) -> bool:
        """HQ's pack filled this report's national figures: they are not typed over."""
        if not field.of_report:
            return False
        snap = self.controller.snapshot
        assert snap is not None
        bench = snap.benchmarks.get(self._keys[row])
        return bench is not None and bench.source is Source.PACK

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == KPI_COLUMN or self._locked(index.row(), FIELDS[index.column() - 1]):
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        field = FIELDS[index.column() - 1]
        raw = str(value) if value is not None else ""
        if raw == self.data(index, Qt.ItemDataRole.EditRole):
            return True
        with self.controller.refusals_to(self.refused.emit):  # said by the table, once
            return self.controller.set_reference(self._keys[index.row()], field, raw or None)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == KPI_COLUMN:
            return self.tr("KPI")
        headers = {
            Field.LAST_YEAR_ACTUAL: self.tr("Last year's actual"),
            Field.PRIOR_YEAR_ACTUAL: self.tr("Year before's actual"),
            Field.NATIONAL_AVERAGE: self.tr("National average (this report)"),
            Field.NATIONAL_RANK: self.tr("National rank (this report)"),
            Field.LAST_YEAR_NATIONAL_AVERAGE: self.tr("Last year's national average"),
            Field.LAST_YEAR_NATIONAL_RANK: self.tr("Last year's national rank"),
        }
        return headers[FIELDS[section - 1]]


class ReferenceTable(QWidget):
    """The table, a legend of the sources, and undo/redo for the edits typed here."""

    def __init__(
        self, controller: ReportController, parent: QWidget | None = None, *, undo_keys: bool = True
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.model = ReferenceModel(controller, self)
        self.view = QTableView()
        self.view.setObjectName("referenceTable")
        self.view.setModel(self.model)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(KPI_COLUMN, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 1 + len(FIELDS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.legend = QLabel(self._legend())
        self.legend.setObjectName("referenceLegend")
        self.legend.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("referenceMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#9b1c1c;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.legend)
        layout.addWidget(self.message)
        self.model.refused.connect(self.message.setText)
        controller.changed.connect(lambda _c: self.message.clear())

        # The main window's Edit ▸ Undo does not reach a window of its own: the same
        # undo stack, with the same keys, here (unless the window holding the table
        # has them: two actions on one key would make both dead).
        if not undo_keys:
            return
        stack = controller.undo_stack
        self.undo_action = stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = stack.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

    def _legend(self) -> str:
        lang = self.controller.lang

        def chip(source: Source) -> str:
            return (
                f"<span style='background:{_BACKGROUND[source]};padding:2px 6px'>"
                f"〔{source.text.get(lang)}〕</span>"
            )

        return self.tr(
            "{typed} typed here, replaced by HQ's pack when it arrives · {carried} carried "
            "over from last year's plan · {pack} HQ's benchmark pack, read-only · "
            "〔{plan}〕 as the plan came. Type a rank as 12 or 全国12位; leave a cell empty to "
            "clear it."
        ).format(
            typed=chip(Source.TYPED),
            carried=chip(Source.ROLLOVER),
            pack=chip(Source.PACK),
            plan=AS_INSTALLED.get(lang),
        )

    def index_of(self, kpi_key: str, field: Field) -> QModelIndex:
        return self.model.index(self.model.row_of(kpi_key), 1 + FIELDS.index(field))


class ReferenceDialog(QDialog):
    """Plan ▸ Reference figures…: the table in a window of its own."""

    def __init__(self, controller: ReportController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Reference figures"))
        self.resize(1180, 640)
        self.table = ReferenceTable(controller, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
