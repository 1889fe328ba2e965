"""File ▸ Import workbook: what the file would change, and the person's choices.

Nothing is written until Import is pressed; every conflict shows both
versions (with the differences marked) and needs a choice first.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import UserError
from desktop.domain.merge import FieldMerge, Outcome
from desktop.domain.review import text_diff
from desktop.services import import_apply, import_preview
from desktop.services.exchange import Expectation, ImportPreview, ImportResult
from desktop.ui.controller import ReportController
from desktop.ui.review_screen import diff_html

CONFLICT_BG = QColor("#fff1d6")
BLOCKED_FG = QColor("#8a8a8a")
DIFF_LIMIT = 6_000  # characters of both versions together


class ImportDialog(QDialog):
    """Shows an ImportPreview; ``choices`` holds field → "ours" | "theirs"."""

    def __init__(self, preview: ImportPreview, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.lang = lang
        self.choices: dict[str, str] = {}
        self._radios: dict[str, tuple[QRadioButton, QRadioButton]] = {}
        self.setWindowTitle(self.tr("Import workbook"))
        self.resize(1100, 720)

        m = preview.data.manifest
        kind = m.kind.label_ja if lang == "ja" else m.kind.label_en
        header = QLabel(
            self.tr(
                "{file} — {kind}, branch {branch}, FY{year}, written by {who} on {when}"
            ).format(
                file=preview.path.name,
                kind=kind,
                branch=m.branch,
                year=m.fiscal_year,
                who=m.creator,
                when=m.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            )
        )
        header.setWordWrap(True)
        counts = QLabel(
            self.tr(
                "New: {new}   Changed: {changed}   Conflicts: {conflicts}   Left out: {blocked}"
            ).format(
                new=len(preview.new),
                changed=len(preview.changes),
                conflicts=len(preview.conflicts),
                blocked=len(preview.blocked),
            )
        )
        counts.setObjectName("importCounts")
        counts.setStyleSheet("font-weight: bold;")
        notes = []
        if preview.creates_plan:
            notes.append(self.tr("This plan is not in this database yet: it will be created."))
        if preview.nothing_to_do:
            notes.append(self.tr("Nothing to import: this database already has all of it."))
        notes += [line.get(self.lang) for line in preview.targets.lines()]
        if preview.blocked:
            notes.append(
                self.tr(
                    "Some changes are left out: the last column says why. Changes to a "
                    "section are offered again once it is reopened."
                )
            )
        # An HQ template without HQ's signature, or one this PC cannot check.
        notes += [warning.get(lang) for warning in preview.warnings]
        note = QLabel("\n".join(notes))
        note.setObjectName("importNotes")
        note.setWordWrap(True)

        self.rows: list[FieldMerge] = [
            *preview.conflicts,
            *preview.changes,
            *preview.new,
            *preview.blocked,
        ]
        self.table = QTableWidget(len(self.rows), 5)
        self.table.setObjectName("importTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Section / KPI"), self.tr("Field"), self.tr("Here"), self.tr("File"),
             self.tr("Keep")]
        )  # fmt: skip
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 260)
        self.table.setColumnWidth(1, 120)
        head.setSectionResizeMode(4, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(4, 190)
        for row, merge in enumerate(self.rows):
            self._fill(row, merge)
        self.table.itemSelectionChanged.connect(self._show_detail)

        self.detail = QTextBrowser()
        self.detail.setObjectName("importDetail")
        all_ours = QPushButton(self.tr("Keep all of mine"))
        all_ours.clicked.connect(lambda: self.choose_all("ours"))
        all_theirs = QPushButton(self.tr("Take all from the file"))
        all_theirs.clicked.connect(lambda: self.choose_all("theirs"))
        for button in (all_ours, all_theirs):
            button.setEnabled(bool(preview.conflicts))
        bulk = QHBoxLayout()
        bulk.addWidget(QLabel(self.tr("Conflicts:")))
        bulk.addWidget(all_ours)
        bulk.addWidget(all_theirs)
        bulk.addStretch(1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Import"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setSizes([480, 200])
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(counts)
        layout.addWidget(note)
        layout.addLayout(bulk)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)
        if self.rows:
            self.table.selectRow(0)
        self._update()

    def _fill(self, row: int, merge: FieldMerge) -> None:
        blocked = merge.field in self.preview.locked
        owner = self.preview.labels.get(merge.owner, merge.owner)
        cells = [owner, merge.label(self.lang), _flat(merge.ours), _flat(merge.theirs)]
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            if blocked:
                item.setForeground(QBrush(BLOCKED_FG))
            elif merge.outcome is Outcome.CONFLICT:
                item.setBackground(QBrush(CONFLICT_BG))
            self.table.setItem(row, column, item)
        if blocked:
            reason = self.preview.reason(merge.field)
            why = QTableWidgetItem(reason.label(self.lang) if reason else self.tr("left out"))
            why.setToolTip(why.text())
            self.table.setItem(row, 4, why)
        elif merge.outcome is Outcome.CONFLICT:
            holder = QWidget()
            line = QHBoxLayout(holder)
            line.setContentsMargins(4, 0, 4, 0)
            mine, theirs = QRadioButton(self.tr("mine")), QRadioButton(self.tr("file"))
            group = QButtonGroup(holder)
            for button, side in ((mine, "ours"), (theirs, "theirs")):
                group.addButton(button)
                line.addWidget(button)
                button.toggled.connect(lambda on, f=merge.field, s=side: on and self._choose(f, s))
            self._radios[merge.field] = (mine, theirs)
            self.table.setCellWidget(row, 4, holder)
        else:
            label = self.tr("new") if merge.outcome is Outcome.NEW else self.tr("file")
            self.table.setItem(row, 4, QTableWidgetItem(label))

    def _choose(self, field: str, side: str) -> None:
        self.choices[field] = side
        self._update()

    def choose(self, field: str, side: str) -> None:
        mine, theirs = self._radios[field]
        (mine if side == "ours" else theirs).setChecked(True)

    def choose_all(self, side: str) -> None:
        for field in self._radios:
            self.choose(field, side)

    def _update(self) -> None:
        open_conflicts = [c for c in self.preview.conflicts if c.field not in self.choices]
        can = not open_conflicts and not self.preview.nothing_to_do
        self.ok.setEnabled(can)
        if open_conflicts:
            self.ok.setToolTip(
                self.tr("Choose mine or file for {n} conflict(s) first.").format(
                    n=len(open_conflicts)
                )
            )
        else:
            self.ok.setToolTip("")

    def _show_detail(self) -> None:
        rows = {i.row() for i in self.table.selectedItems()}
        if not rows:
            return
        merge = self.rows[min(rows)]
        ours, theirs = merge.ours or "", merge.theirs or ""
        # The character diff is quadratic: on very long texts it would freeze the
        # window for seconds, so those show both versions without it.
        if len(ours) + len(theirs) <= DIFF_LIMIT:
            differences = diff_html(text_diff(ours, theirs))
        else:
            differences = html.escape(self.tr("Too long to compare character by character."))
        self.detail.setHtml(
            "<p><b>{here}</b><br>{ours}</p><p><b>{file}</b><br>{theirs}</p>"
            "<p><b>{changes}</b><br>{diff}</p>".format(
                here=self.tr("Here"),
                ours=_html(ours),
                file=self.tr("In the file"),
                theirs=_html(theirs),
                changes=self.tr("Differences"),
                diff=differences,
            )
        )


# --- the two steps around the dialog, shared by the File menu and the first start ---


def _title() -> str:
    return QCoreApplication.translate("ImportDialog", "Import workbook")


def read_preview(
    parent: QWidget | None, controller: ReportController, path: str, expect: Expectation
) -> ImportPreview | None:
    """What importing ``path`` would do, worked out off the GUI thread; a refused
    file is a message, not an exception."""
    try:
        return controller.read(
            lambda db: import_preview.preview_import(db, path, expect),
            progress=(parent, QCoreApplication.translate("ImportDialog", "Reading the workbook…")),
        )
    except UserError as exc:
        QMessageBox.warning(parent, _title(), exc.message(controller.lang))
        return None


def apply_choices(
    parent: QWidget | None, controller: ReportController, dialog: ImportDialog, expect: Expectation
) -> ImportResult | None:
    """Merge the previewed file with the person's choices, off the GUI thread, through
    the controller (the window updates from its change signal)."""
    preview, choices, actor = dialog.preview, dict(dialog.choices), controller.actor
    try:
        return controller.run(
            lambda db: import_apply.apply_import(
                db, preview, actor=actor, choices=choices, expect=expect
            ),
            progress=(parent, QCoreApplication.translate("ImportDialog", "Importing…")),
        )
    except UserError as exc:
        QMessageBox.warning(parent, _title(), exc.message(dialog.lang))
        return None


def _flat(value: str | None) -> str:
    return "" if value is None else value.replace("\n", " ⏎ ")


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>") or "—"
