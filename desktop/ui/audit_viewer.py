"""The audit trail: who changed what and when, filtered, and exported to xlsx.

Shown in words (people's names, section titles and KPI names, actions, fields
and states as the app names them), read by the audit-trail service with one
query per kind of name; the codes and keys stay in the tooltips and in the
export's last columns.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import UserError
from desktop.services import audit_trail
from desktop.services.audit_labels import field_label
from desktop.services.audit_trail import AuditEntry, AuditFilter, ReadableEntry
from desktop.ui.controller import ReportController

FIELDS = (
    "",
    "actions",
    "status_text",
    "mark",
    "mark_reason",
    "next_steps",
    "value",
    "as_of",
    "state",
    "text",
)


class AuditViewer(QDialog):
    def __init__(
        self, controller: ReportController, report_key: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.report_key = report_key
        self.lang = lang = controller.lang
        self.setWindowTitle(self.tr("Audit trail"))
        self.resize(1200, 700)
        self.person = QComboBox()
        self.person.setObjectName("auditPerson")
        self.section = QLineEdit()
        self.section.setObjectName("auditSection")
        self.section.setPlaceholderText(self.tr("Section key, e.g. 1.II.2"))
        self.field = QComboBox()
        self.field.setObjectName("auditField")
        for name in FIELDS:
            self.field.addItem(
                field_label(name, lang) if name else self.tr("All fields"), name or None
            )
        self.use_dates = QCheckBox(self.tr("From"))
        self.since = QDateEdit(QDate.currentDate().addDays(-30))
        self.until = QDateEdit(QDate.currentDate())
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.this_report = QCheckBox(self.tr("This report only"))
        self.this_report.setChecked(report_key is not None)
        self.this_report.setEnabled(report_key is not None)
        filters = QHBoxLayout()
        for text, widget in (
            (self.tr("Person"), self.person),
            (self.tr("Section"), self.section),
            (self.tr("Field"), self.field),
        ):
            filters.addWidget(QLabel(text))
            filters.addWidget(widget)
        filters.addWidget(self.use_dates)
        filters.addWidget(self.since)
        filters.addWidget(QLabel("–"))
        filters.addWidget(self.until)
        filters.addWidget(self.this_report)
        self.table = QTableWidget(0, 8)
        self.table.setObjectName("auditTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("When"),
                self.tr("Person"),
                self.tr("Action"),
                self.tr("What"),
                self.tr("Section"),
                self.tr("Field"),
                self.tr("Before"),
                self.tr("After"),
            ]
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setColumnWidth(4, 320)  # section titles and KPI names
        self.table.setColumnWidth(6, 240)
        self.count = QLabel()
        self.export_button = QPushButton(self.tr("Export to Excel…"))
        self.export_button.setObjectName("auditExport")
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self.rows: list[AuditEntry] = []
        self.readable: list[ReadableEntry] = []
        self._fill_people()
        for signal in (
            self.person.activated,
            self.field.activated,
            self.section.editingFinished,
            self.use_dates.toggled,
            self.since.dateChanged,
            self.until.dateChanged,
            self.this_report.toggled,
        ):
            signal.connect(lambda *_a: self.refresh())
        self.export_button.clicked.connect(self._export)
        self.refresh()

    def _fill_people(self) -> None:
        self.person.clear()
        self.person.addItem(self.tr("Everyone"), None)
        everyone = self.controller.read(audit_trail.people)
        for login, name in sorted(everyone.items(), key=lambda p: p[1]):
            self.person.addItem(name, login)
            self.person.setItemData(self.person.count() - 1, login, Qt.ItemDataRole.ToolTipRole)

    def current_filter(self) -> AuditFilter:
        dated = self.use_dates.isChecked()
        return AuditFilter(
            person=self.person.currentData(),
            section=self.section.text().strip() or None,
            field=self.field.currentData(),
            since=self.since.date().toPython() if dated else None,
            until=self.until.date().toPython() if dated else None,
            report=self.report_key if self.this_report.isChecked() else None,
        )

    def refresh(self) -> None:
        chosen = self.current_filter()
        self.rows = self.controller.read(lambda db: audit_trail.entries(db, chosen))
        rows, lang = self.rows, self.lang
        self.readable = self.controller.read(
            lambda db: audit_trail.readable_entries(db, rows, lang)
        )
        self.table.setRowCount(len(self.readable))
        for r, e in enumerate(self.readable):
            raw = e.entry
            place = [e.report, e.where, e.item, raw.entity_key]
            values = (
                (e.when, ""),
                (e.person, raw.actor),
                (e.action, raw.action),
                (e.what, raw.entity),
                (e.item, "\n".join(dict.fromkeys(p for p in place if p))),
                (e.field, raw.field),
                (e.before, e.before),
                (e.after, e.after),
            )
            for c, (value, tip) in enumerate(values):
                item = QTableWidgetItem(value.replace("\n", " ⏎ "))
                item.setToolTip(tip)
                self.table.setItem(r, c, item)
        # The date and the short columns fit their content; the texts share the rest.
        for column in (0, 1, 2, 3, 5):
            self.table.resizeColumnToContents(column)
        self.count.setText(self.tr("{n} entries").format(n=len(self.rows)))

    def _export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export audit trail"),
            str(Path.home() / "plandesk-audit.xlsx"),
            self.tr("Excel workbook (*.xlsx)"),
        )
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        try:
            rows, lang = self.rows, self.lang
            self.controller.read(lambda db: audit_trail.export_xlsx(db, rows, path, lang))
        except UserError as exc:
            self.count.setText(exc.message(self.lang))
