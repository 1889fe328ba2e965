"""HQ's grid of targets per branch (支部別目標): 47 branches × the template's KPIs.

The model holds the template plan as read once (``TargetSheet``) and changes
only from the controller's change signal (``BranchTargetChanged`` records):
no query in ``data()``, a ``dataChanged`` per changed cell. Every edit — typing,
a paste from Excel, fill-down, clearing, undo and redo — is one call of
``branch_targets.set_branch_targets`` through ``ReportController.run``: one
transaction, validated as a whole (a bad cell changes nothing and is named),
one audit entry per changed cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView, QVBoxLayout, QWidget

from desktop.domain.branch_targets import default_text, format_cell
from desktop.domain.branches import Branch, prefecture_branches
from desktop.domain.errors import UserError
from desktop.domain.model import BranchTargetKind, BranchTargets, Kpi
from desktop.services import branch_targets
from desktop.services.branch_targets import Cell, TargetSheet
from desktop.services.changes import BranchTargetChanged, Changes
from desktop.ui.controller import ReportController

AnyIndex = QModelIndex | QPersistentModelIndex
KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # "default" | "set" | "by_branch"

# Default cells are grey text; a target set for the branch on light blue; 支部設定
# (left to the branch) on light amber.
_DEFAULT_FG = QColor("#8a8a8a")
_SET_BG = QColor("#e3efff")
_BY_BRANCH_BG = QColor("#fff1c9")


class BranchTargetsModel(QAbstractTableModel):
    def __init__(self, sheet: TargetSheet, lang: str = "ja", parent: QObject | None = None):
        super().__init__(parent)
        self.sheet = sheet
        self.lang = lang
        self.branches: list[Branch] = prefecture_branches()
        self.kpis: list[Kpi] = list(sheet.plan.kpis)
        self._row = {b.code: i for i, b in enumerate(self.branches)}
        self._column = {k.key: i for i, k in enumerate(self.kpis)}
        self._table: BranchTargets = sheet.plan.branch_targets

    # --- the table --------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.branches)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.kpis)

    def cell(self, index: AnyIndex) -> Cell:
        return self.branches[index.row()].code, self.kpis[index.column()].key

    def text(self, row: int, column: int) -> str:
        """A cell's own text ('' for the template's default)."""
        kpi = self.kpis[column]
        return format_cell(self._table.get(self.branches[row].code, kpi.key), kpi)

    def kind(self, row: int, column: int) -> str:
        target = self._table.get(self.branches[row].code, self.kpis[column].key)
        if target is None:
            return "default"
        return "by_branch" if target.kind is BranchTargetKind.BY_BRANCH else "set"

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column) or default_text(self.kpis[column])
        if role == Qt.ItemDataRole.EditRole:
            return self.text(row, column)
        kind = self.kind(row, column)
        if role == KIND_ROLE:
            return kind
        if role == Qt.ItemDataRole.ForegroundRole and kind == "default":
            return QBrush(_DEFAULT_FG)
        if role == Qt.ItemDataRole.BackgroundRole and kind != "default":
            return QBrush(_BY_BRANCH_BG if kind == "by_branch" else _SET_BG)
        if role == Qt.ItemDataRole.ToolTipRole:
            if kind == "default":
                return self.tr("HQ's default: {target}").format(
                    target=default_text(self.kpis[column]) or "—"
                )
            if kind == "by_branch":
                return self.tr("Left to the branch: it sets this target in its own plan")
            return self.tr("This branch's own target")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Vertical:
            unit = self.branches[section]
            return unit.name_ja if self.lang == "ja" else unit.name_en
        kpi = self.kpis[section]
        unit_text = f"（{kpi.unit}）" if kpi.unit else ""
        name = f"{kpi.label}{kpi.name}"
        if role == Qt.ItemDataRole.DisplayRole and len(name) > 9:
            name = name[:8] + "…"  # the whole name is the header's tooltip
        return f"{name}\n{unit_text}" if unit_text else name

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.writer is None:
            return False
        return self.writer({self.cell(index): str(value or "").strip() or None})

    writer: Callable[[dict[Cell, str | None]], bool] | None = None

    # --- what a write changed ---------------------------------------------------------------

    def on_changed(self, changes: Changes) -> None:
        for record in changes.of(BranchTargetChanged):
            if record.plan != self.sheet.ref:
                continue
            row, column = self._row.get(record.branch), self._column.get(record.kpi_key)
            if row is None or column is None:
                continue
            self._table = self._table.with_cells({(record.branch, record.kpi_key): record.target})
            index = self.index(row, column)
            self.dataChanged.emit(index, index)


class _TargetEdit(QUndoCommand):
    """A write already done when pushed; undo and redo write the old / new texts."""

    def __init__(self, text: str, write: Callable[[dict[Cell, str | None]], bool],
                 old: dict[Cell, str | None], new: dict[Cell, str | None]) -> None:  # fmt: skip
        super().__init__(text)
        self._write, self._old, self._new = write, old, new
        self._first = True

    def redo(self) -> None:
        if self._first:  # QUndoStack.push() calls redo(); the write is already stored
            self._first = False
            return
        self._write(self._new)

    def undo(self) -> None:
        self._write(self._old)


class _TargetView(QTableView):
    """The grid's keys: a table view eats Ctrl+V and its kin before a shortcut sees
    them (as kpi_view does, they are handled here)."""

    def __init__(
        self, keys: list[tuple[QKeySequence.StandardKey | QKeySequence, Callable[[], object]]]
    ):
        super().__init__()
        self._keys = keys

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state() != QAbstractItemView.State.EditingState:
            for keys, run in self._keys:
                if isinstance(keys, QKeySequence.StandardKey):
                    hit = event.matches(keys)
                else:
                    hit = QKeySequence(event.keyCombination()) == keys
                if hit:
                    run()
                    event.accept()
                    return
        super().keyPressEvent(event)


class BranchTargetsWindow(QWidget):
    """The grid in its own window, opened from the Plan menu with HQ's template open."""

    def __init__(self, controller: ReportController, fiscal_year: int,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("branchTargetsWindow")
        self.controller = controller
        self.fiscal_year = fiscal_year
        sheet = controller.read(lambda db: branch_targets.target_sheet(db, fiscal_year))
        self.model = BranchTargetsModel(sheet, controller.lang, self)
        self.model.writer = self._edit
        self.undo_stack = QUndoStack(self)
        controller.changed.connect(self.model.on_changed)

        self.setWindowTitle(self.tr("Targets per branch — FY{year}").format(year=fiscal_year))
        legend = QLabel(
            self.tr(
                "Grey: HQ's default (blank cell). Blue: the branch's own target. Amber: left "
                "to the branch (支部設定). Type 60.0, 60.0％以上, 対前年度以上, 対前年度末以上, 実施 "
                "or 支部設定; paste cells copied from Excel (Ctrl+V); Ctrl+D fills down; Delete "
                "puts HQ's default back."
            )
        )
        legend.setWordWrap(True)
        self.view = _TargetView(
            [
                (QKeySequence.StandardKey.Copy, self.copy),
                (QKeySequence.StandardKey.Paste, self.paste),
                (QKeySequence("Ctrl+D"), self.fill_down),
                (QKeySequence.StandardKey.Delete, self.clear),
                (QKeySequence(Qt.Key.Key_Backspace), self.clear),
                (QKeySequence.StandardKey.Undo, self.undo_stack.undo),
                (QKeySequence.StandardKey.Redo, self.undo_stack.redo),
                (QKeySequence("Ctrl+Y"), self.undo_stack.redo),
            ]
        )
        self.view.setObjectName("branchTargetsView")
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.horizontalHeader().setDefaultSectionSize(130)
        self.view.horizontalHeader().setMinimumHeight(44)
        self.view.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("branchTargetsMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        layout = QVBoxLayout(self)
        layout.addWidget(legend)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        self._add_actions()
        self.view.setCurrentIndex(self.model.index(0, 0))
        self.resize(1200, 760)

    def _add_actions(self) -> None:
        """The same commands in the grid's context menu (the keys are the view's)."""
        entries = [
            (self.tr("Copy (Ctrl+C)"), self.copy),
            (self.tr("Paste (Ctrl+V)"), self.paste),
            (self.tr("Fill down (Ctrl+D)"), self.fill_down),
            (self.tr("Back to HQ's default (Delete)"), self.clear),
        ]
        for text, slot in entries:
            action = QAction(text, self)
            action.triggered.connect(lambda _checked=False, run=slot: run())
            self.view.addAction(action)
        self.view.addAction(self.undo_stack.createUndoAction(self, self.tr("Undo")))
        self.view.addAction(self.undo_stack.createRedoAction(self, self.tr("Redo")))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    # --- writing ------------------------------------------------------------------------------

    def _write(self, texts: dict[Cell, str | None]) -> bool:
        """One write through the controller; a refusal is shown here, nothing changed."""
        actor, year = self.controller.actor, self.fiscal_year
        try:
            self.controller.run(
                lambda db: branch_targets.set_branch_targets(db, year, texts, actor=actor),
                undoable=True,
            )
        except UserError as exc:
            self.message.setText(exc.message(self.controller.lang))
            return False
        self.message.clear()
        return True

    def _edit(self, texts: dict[Cell, str | None], what: str = "") -> bool:
        """An edit: written, then recorded for undo with the cells' texts before it."""
        old = {c: self._own_text(c) or None for c in texts}
        new = {c: (t or None) for c, t in texts.items()}
        if old == new:
            return True
        if not self._write(new):
            return False
        label = what or self.tr("Edit {n} target(s)").format(n=len(texts))
        self.undo_stack.push(_TargetEdit(label, self._write, old, new))
        return True

    def _own_text(self, cell: Cell) -> str:
        branch, kpi_key = cell
        row = next(i for i, b in enumerate(self.model.branches) if b.code == branch)
        column = next(i for i, k in enumerate(self.model.kpis) if k.key == kpi_key)
        return self.model.text(row, column)

    # --- the grid's commands --------------------------------------------------------------

    def _selection(self) -> tuple[int, int, int, int] | None:
        """The selected rectangle: top, left, bottom, right (or the current cell)."""
        ranges = self.view.selectionModel().selection()
        if ranges.count():
            r = ranges.first()
            return r.top(), r.left(), r.bottom(), r.right()
        current = self.view.currentIndex()
        if not current.isValid():
            return None
        return current.row(), current.column(), current.row(), current.column()

    def copy(self) -> str:
        """The selected cells as tab-separated text (what Excel pastes), own texts only."""
        box = self._selection()
        if box is None:
            return ""
        top, left, bottom, right = box
        lines = [
            "\t".join(self.model.text(r, c) for c in range(left, right + 1))
            for r in range(top, bottom + 1)
        ]
        text = "\r\n".join(lines) + "\r\n"
        QGuiApplication.clipboard().setText(text)
        return text

    def paste(self, text: str | None = None) -> bool:
        """Cells copied from Excel (tab-separated rows) from the current cell on; one
        value pasted over a selection fills it. All of them, or none."""
        raw = QGuiApplication.clipboard().text() if text is None else text
        block = _tsv(raw)
        box = self._selection()
        if not block or box is None:
            return False
        top, left, bottom, right = box
        if len(block) == 1 and len(block[0]) == 1:
            value = block[0][0]
            block = [[value] * (right - left + 1) for _ in range(bottom - top + 1)]
        height, width = len(block), max(len(r) for r in block)
        if top + height > self.model.rowCount() or left + width > self.model.columnCount():
            self.message.setText(
                self.tr(
                    "The pasted block ({rows} × {columns}) does not fit in the table from "
                    "this cell. Nothing was changed."
                ).format(rows=height, columns=width)
            )
            return False
        texts: dict[Cell, str | None] = {}
        for i, values in enumerate(block):
            for j, value in enumerate(values):
                cell = self.model.cell(self.model.index(top + i, left + j))
                texts[cell] = value.strip() or None
        done = self._edit(texts, self.tr("Paste {n} target(s)").format(n=len(texts)))
        if done:
            self.select_cells(top, left, top + height - 1, left + width - 1)
        return done

    def fill_down(self) -> bool:
        """The top row of the selection copied into the rows below it."""
        box = self._selection()
        if box is None:
            return False
        top, left, bottom, right = box
        texts: dict[Cell, str | None] = {}
        for r in range(top + 1, bottom + 1):
            for c in range(left, right + 1):
                cell = self.model.cell(self.model.index(r, c))
                texts[cell] = self.model.text(top, c) or None
        if not texts:
            return False
        return self._edit(texts, self.tr("Fill down {n} target(s)").format(n=len(texts)))

    def clear(self) -> bool:
        """The selected cells back to HQ's default."""
        box = self._selection()
        if box is None:
            return False
        top, left, bottom, right = box
        texts: dict[Cell, str | None] = {
            self.model.cell(self.model.index(r, c)): None
            for r in range(top, bottom + 1)
            for c in range(left, right + 1)
        }
        return self._edit(texts, self.tr("Clear {n} target(s)").format(n=len(texts)))

    def select_cells(self, top: int, left: int, bottom: int, right: int) -> None:
        """Select a rectangle of cells (what a paste filled)."""
        selection = QItemSelection(self.model.index(top, left), self.model.index(bottom, right))
        self.view.selectionModel().select(
            selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )


def _tsv(text: str) -> list[list[str]]:
    """Tab-separated rows as Excel puts them on the clipboard (quoted cells may hold
    tabs or line breaks); the trailing line break ends the last row."""
    if not text:
        return []
    return list(csv.reader(io.StringIO(text.replace("\r\n", "\n")), delimiter="\t"))
