"""The KPI grid: Excel's keyboard habits on a QTableView.

Enter stores and moves down, Tab moves right, typing starts editing, and a
block copied from Excel (tab-separated, quoted where a cell has line
breaks) pastes into the editable cells all-or-nothing.
"""

from __future__ import annotations

import csv
import io

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QWidget,
)

from desktop.ui.kpi_model import COL, KpiTableModel
from desktop.ui.manual_verdict import ManualVerdictDialog


def parse_clipboard(text: str) -> list[list[str]]:
    """Rows of cells from Excel's clipboard text (TSV with quoting, CRLF after each row).

    Empty cells at the end of a row and empty rows at the end of the block are
    dropped: Excel copies the whole selected rectangle, and those blanks are not
    meant to land anywhere (on read-only columns they used to refuse the paste).
    """
    if not text:
        return []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    rows = []
    for row in csv.reader(io.StringIO(text), delimiter="\t", quotechar='"'):
        while row and not row[-1].strip():
            row.pop()
        rows.append(row)
    while rows and not rows[-1]:
        rows.pop()
    return rows


class KpiTableView(QTableView):
    message = Signal(str, bool)  # what happened (pasted, or why not), and whether it failed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setTabKeyNavigation(True)
        self.setWordWrap(True)
        self.setAlternatingRowColors(False)
        self.verticalHeader().setVisible(False)
        # The form makes the grid as tall as its rows: a vertical scroll bar is never
        # needed, and it flashed in and out on a switch (new rows in the old height),
        # relaying out the grid and its header twice.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(False)
        # Column widths and row heights fitted per section, for the report as it is
        # now (emptied by any write, a new report or language): a section shown
        # again is not measured again (~300 data() calls each time).
        self._fitted_for: object = None
        self._fitted: dict[tuple, tuple[list[int], list[int]]] = {}

    def kpi_model(self) -> KpiTableModel:
        model = self.model()
        assert isinstance(model, KpiTableModel)
        return model

    def fit_columns(self) -> None:
        """Fit the columns and rows to the shown KPIs.

        Each resized section would start a timer in QTableView that repaints its
        column after the section is painted (a second paint of the grid on every
        section switch): the headers stay quiet while sizing, and the grid's
        geometry and one repaint follow at once.
        """
        header = self.horizontalHeader()
        rows = self.verticalHeader()
        model = self.kpi_model()
        *report, shown = model.content()
        if report != self._fitted_for:
            self._fitted_for, self._fitted = report, {}
        hidden = tuple(self.isColumnHidden(c) for c in range(model.columnCount()))
        fitted = self._fitted.get((shown, hidden))
        header.blockSignals(True)
        rows.blockSignals(True)
        try:
            if fitted is None:
                self.resizeColumnsToContents()
                name = max(260, min(header.sectionSize(COL["name"]), 420))
                header.resizeSection(COL["name"], name)
                for key in ("value", "as_of", "reason"):
                    header.resizeSection(COL[key], max(header.sectionSize(COL[key]), 110))
                self.resizeRowsToContents()
                fitted = (
                    [header.sectionSize(c) for c in range(model.columnCount())],
                    [rows.sectionSize(r) for r in range(model.rowCount())],
                )
                self._fitted[(shown, hidden)] = fitted
            else:
                for column, width in enumerate(fitted[0]):
                    if not hidden[column]:  # a hidden one keeps the width it had shown
                        header.resizeSection(column, width)
                for row, height in enumerate(fitted[1]):
                    rows.resizeSection(row, height)
        finally:
            header.blockSignals(False)
            rows.blockSignals(False)
        self.updateGeometries()
        header.viewport().update()
        self.viewport().update()

    def edit(self, *args: object) -> bool:  # type: ignore[override]
        """The status cell of a goal in words opens the verdict dialog, not an editor."""
        if len(args) == 3:
            index, trigger, _event = args
            assert isinstance(index, QModelIndex | QPersistentModelIndex)
            if index.isValid() and index.column() == COL["status"]:
                opening = (
                    QAbstractItemView.EditTrigger.DoubleClicked,
                    QAbstractItemView.EditTrigger.EditKeyPressed,
                )
                if trigger in opening and self.kpi_model().is_editable(index.row(), COL["status"]):
                    self.open_verdict(index.row())
                return False
        return super().edit(*args)  # type: ignore[call-overload]

    def open_verdict(self, row: int) -> ManualVerdictDialog:
        """Ask for a person's verdict and reason on the goal in words of ``row``; stored
        (undoable) when the dialog is accepted."""
        model = self.kpi_model()
        kpi = model.kpis[row]
        snap = model.controller.snapshot
        measurement = snap.measurements.get(kpi.key) if snap else None
        dialog = ManualVerdictDialog(kpi, measurement, model.controller.lang, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def store() -> None:
            if model.row_of(kpi.key) == row:
                model.set_manual_verdict(row, dialog.chosen(), dialog.reason_text())

        dialog.accepted.connect(store)
        dialog.open()
        return dialog

    # Enter commits the editor and moves down, as in Excel.
    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        move_down = hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint if move_down else hint)
        if move_down:
            self._move(1, 0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            self.state() != QAbstractItemView.State.EditingState
        ):
            self._move(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1, 0)
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and (
            self.state() != QAbstractItemView.State.EditingState
        ):
            self._clear_selection()
            return
        super().keyPressEvent(event)

    def _move(self, rows: int, columns: int) -> None:
        current = self.currentIndex()
        if not current.isValid():
            return
        row = min(max(current.row() + rows, 0), self.model().rowCount() - 1)
        col = min(max(current.column() + columns, 0), self.model().columnCount() - 1)
        self.setCurrentIndex(self.model().index(row, col))

    def _editable_cells(self) -> list[QModelIndex]:
        model = self.kpi_model()
        return [
            i
            for i in self.selectedIndexes()
            if model.is_editable(i.row(), i.column()) and i.column() != COL["preliminary"]
        ]

    def _clear_selection(self) -> None:
        cells = self._editable_cells()
        if cells:
            self.kpi_model().submit_cells([(i.row(), i.column(), "") for i in cells])

    def copy(self) -> None:
        indexes = sorted(self.selectedIndexes(), key=lambda i: (i.row(), i.column()))
        if not indexes:
            return
        rows: dict[int, list[str]] = {}
        for i in indexes:
            rows.setdefault(i.row(), []).append(str(i.data() or ""))
        QGuiApplication.clipboard().setText("\n".join("\t".join(r) for r in rows.values()))

    def paste(self, text: str | None = None) -> bool:
        """Paste a block at the current cell; every cell is validated, all or nothing."""
        block = parse_clipboard(QGuiApplication.clipboard().text() if text is None else text)
        start = self.currentIndex()
        if not block or not start.isValid():
            return False
        model = self.kpi_model()
        # A block lands on the visible columns, as it would in Excel.
        columns = [
            c for c in range(start.column(), model.columnCount()) if not self.isColumnHidden(c)
        ]
        cells = []
        for r, values in enumerate(block):
            for c, value in enumerate(values):
                row = start.row() + r
                column = columns[c] if c < len(columns) else model.columnCount()
                inside = row < model.rowCount() and column < model.columnCount()
                if not value.strip() and not (inside and model.is_editable(row, column)):
                    continue  # a blank where nothing can be typed changes nothing
                if not inside:
                    self.message.emit(
                        self.tr("The pasted block is larger than the table: nothing was pasted."),
                        True,
                    )
                    return False
                if not model.is_editable(row, column):
                    header = model.headerData(column, Qt.Orientation.Horizontal)
                    self.message.emit(
                        self.tr(
                            "Column '{column}' cannot be typed into: nothing was pasted."
                        ).format(column=header),
                        True,
                    )
                    return False
                if column == COL["preliminary"]:
                    truthy = value.strip() not in ("", "0", "FALSE", "false", "いいえ")
                    cells.append((row, column, truthy))
                else:
                    cells.append((row, column, value))
        if not cells:
            return False
        ok = model.submit_cells(cells)
        if ok:
            self.message.emit(self.tr("Pasted {n} cell(s).").format(n=len(cells)), False)
        return ok
