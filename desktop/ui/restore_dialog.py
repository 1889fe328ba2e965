"""File ▸ Restore from backup…: the database's backups, what the chosen one holds, and
restoring it.

The list and the preview are read from the backup files (read-only; a backup is
never changed by looking at it). Restoring runs through the controller
(``ReportController.replace_all``): the service backs the current state up first,
then puts the backup's content in place; the window then reads everything again.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.backup_policy import Keep, size_label
from desktop.domain.branches import branch as find_branch
from desktop.domain.calendar import fiscal_year_label
from desktop.domain.errors import UserError
from desktop.services import backups
from desktop.services.backups import Backup, BackupContents, Restored
from desktop.ui.controller import ReportController

TAKEN, KIND, SIZE, KEPT = range(4)


class RestoreDialog(QDialog):
    restored = Signal(object)  # Restored

    def __init__(self, controller: ReportController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller, self.lang = controller, controller.lang
        self.result_: Restored | None = None
        # Asks the person to confirm (replaced in tests).
        self.confirm: Callable[[str], bool] = self._ask
        self.setWindowTitle(self.tr("Restore from backup"))
        self.resize(1000, 560)
        folder = backups.folder(controller.database_path)
        intro = QLabel(
            self.tr(
                "PlanDesk backs the database up every day it is open and when it closes, "
                "and keeps the newest backup of each of the last 7 days, 4 weeks and 12 "
                "months. Backups are kept in {folder}. Restoring a backup first backs up "
                "the current state, so a restore can be undone by restoring that copy."
            ).format(folder=folder)
        )
        intro.setWordWrap(True)
        intro.setObjectName("restoreIntro")
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("restoreList")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Taken"), self.tr("Kind"), self.tr("Size"), self.tr("Kept as")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(KEPT, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.preview = QTextBrowser()
        self.preview.setObjectName("restorePreview")
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(self.preview)
        split.setSizes([520, 480])
        self.restore_button = QPushButton(self.tr("&Restore this backup…"))
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self.backups: list[Backup] = []
        self.contents: BackupContents | None = None
        self.reload()

    def reload(self) -> None:
        self.backups = backups.list_backups(self.controller.database_path)
        self.table.setRowCount(len(self.backups))
        sep = "、" if self.lang == "ja" else ", "
        for row, b in enumerate(self.backups):
            cells = {
                TAKEN: b.taken.strftime("%Y-%m-%d %H:%M"),
                KIND: b.kind.label(self.lang),
                SIZE: size_label(b.size),
                KEPT: sep.join(k.label(self.lang) for k in Keep if k in b.kept_as),
            }
            for column, text in cells.items():
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if self.backups:
            self.table.selectRow(0)
        else:
            self.preview.setPlainText(self.tr("There are no backups yet."))

    def selected(self) -> Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def _show_selected(self) -> None:
        chosen = self.selected()
        self.contents = None
        if chosen is None:
            self.restore_button.setEnabled(False)
            return
        try:
            self.contents = backups.contents(chosen.path)
        except UserError as exc:
            self.preview.setPlainText(
                self.tr("This backup cannot be restored.") + "\n\n" + exc.message(self.lang)
            )
            self.restore_button.setEnabled(False)
            return
        self.preview.setHtml(self._describe(chosen, self.contents))
        self.restore_button.setEnabled(True)

    def _describe(self, chosen: Backup, held: BackupContents) -> str:
        e = html.escape
        title = self.tr("Backup of {taken}").format(taken=chosen.taken.strftime("%Y-%m-%d %H:%M"))
        plans_heading = self.tr("Plans")
        lines = [f"<h3>{e(title)}</h3>", f"<p><b>{e(plans_heading)}</b></p><ul>"]
        for p in held.plans:
            year = fiscal_year_label(p.fiscal_year) if self.lang == "ja" else f"FY{p.fiscal_year}"
            lines.append(
                f"<li>{e(find_branch(p.branch).label(self.lang))} {e(year)} {e(p.title)}</li>"
            )
        lines.append("</ul>")
        if held.last_edit_at is not None:
            when = held.last_edit_at.replace(tzinfo=held.last_edit_at.tzinfo or UTC).astimezone()
            last = self.tr("Last change: {when} by {who}").format(
                when=when.strftime("%Y-%m-%d %H:%M"), who=held.last_edit_by
            )
            lines.append(f"<p>{e(last)}</p>")
        counts = self.tr(
            "{entries} sections written, {figures} KPI and monthly figures, {audit} audit entries"
        ).format(entries=held.entries, figures=held.figures, audit=held.audit_entries)
        lines.append(f"<p>{e(counts)}</p>")
        lines.append(f"<p style='color:#666'>{e(chosen.path.name)}</p>")
        return "".join(lines)

    def _ask(self, text: str) -> bool:
        answer = QMessageBox.question(self, self.tr("Restore from backup"), text)
        return answer == QMessageBox.StandardButton.Yes

    def restore(self) -> Restored | None:
        chosen = self.selected()
        if chosen is None:
            return None
        question = self.tr(
            "Replace everything in this database with the backup of {taken}? The current "
            "state is backed up first."
        ).format(taken=chosen.taken.strftime("%Y-%m-%d %H:%M"))
        if not self.confirm(question):
            return None
        path = chosen.path
        try:
            result = self.controller.replace_all(
                lambda db: backups.restore(db, path),
                progress=(self, self.tr("Restoring the backup…")),
            )
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Restore from backup"), exc.message(self.lang))
            self.reload()
            return None
        self.result_ = result
        self.restored.emit(result)
        self.accept()
        return result
