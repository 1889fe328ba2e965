"""Headquarters: the board of 47 branches for a folder of submissions.

Point it at the shared folder, pick the year and period: every file is
verified off the GUI thread, each branch shows as received, not signed off,
invalid (with the reason) or missing, and only valid submissions go into the
national workbook and the benchmark pack.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.branches import branch
from desktop.domain.errors import UserError
from desktop.domain.model import PeriodKind
from desktop.services import benchmarks, consolidation
from desktop.services.consolidation import BranchStatus, Consolidation, FileStatus
from desktop.ui.tasks import run_with_progress, run_with_steps

# Colour and symbol per status: never colour alone (a printout, colour-blind readers).
TILE_STYLE = {
    BranchStatus.VALID: ("#d9f2dd", "#1d6b2c", "✔"),
    BranchStatus.UNSIGNED: ("#fff1c7", "#7a5200", "！"),
    BranchStatus.INVALID: ("#fbd5d5", "#9b1c1c", "✖"),
    BranchStatus.MISSING: ("#ececec", "#555555", "－"),
}
COLUMNS = 8
ATTENTION = {FileStatus.INVALID: 0, FileStatus.UNSIGNED: 1, FileStatus.SKIPPED: 2,
             FileStatus.SUPERSEDED: 3}  # fmt: skip
SHORT_PERIOD = {PeriodKind.MIDYEAR: "上期", PeriodKind.ANNUAL: "年度"}


def current_fiscal_year(today: date | None = None) -> int:
    today = today or date.today()
    return today.year if today.month >= 4 else today.year - 1


class HqBoard(QDialog):
    def __init__(
        self,
        actor: str,
        lang: str,
        folder: str = "",
        parent: QWidget | None = None,
        choose_folder: Callable[[str], str | None] | None = None,
        choose_save: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.actor, self.lang = actor, lang
        self.result_: Consolidation | None = None
        self._choose_folder = choose_folder or self._ask_folder
        self._choose_save = choose_save or self._ask_save
        self.setWindowTitle(self.tr("Headquarters: branch submissions"))
        self.resize(1280, 860)

        self.folder = QLineEdit(folder)
        self.folder.setObjectName("hqFolder")
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        self.year = QSpinBox()
        self.year.setRange(2019, 2100)
        self.year.setValue(current_fiscal_year())
        self.period = QComboBox()
        for period in PeriodKind:
            self.period.addItem(period.label_ja if lang == "ja" else period.label_en, period)
        self.scan_button = QPushButton(self.tr("Check the folder"))
        self.scan_button.setDefault(True)
        self.scan_button.clicked.connect(self.scan)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Folder:")))
        top.addWidget(self.folder, 1)
        top.addWidget(browse)
        top.addWidget(QLabel(self.tr("Fiscal year:")))
        top.addWidget(self.year)
        top.addWidget(self.period)
        top.addWidget(self.scan_button)

        self.summary = QLabel(self.tr("Choose the shared folder and check it."))
        self.summary.setObjectName("hqSummary")
        self.summary.setStyleSheet("font-weight: bold; font-size: 11pt;")

        tiles_holder = QWidget()
        grid = QGridLayout(tiles_holder)
        grid.setSpacing(4)
        self.tiles: dict[str, QLabel] = {}
        for i in range(1, 48):
            code = f"{i:02d}"
            tile = QLabel()
            tile.setObjectName(f"tile{code}")
            tile.setAlignment(Qt.AlignmentFlag.AlignCenter)
            tile.setMinimumSize(128, 52)
            tile.setWordWrap(True)
            self.tiles[code] = tile
            grid.addWidget(tile, (i - 1) // COLUMNS, (i - 1) % COLUMNS)
        self._paint_empty()

        self.files = QTableWidget(0, 4)
        self.files.setObjectName("hqFiles")
        self.files.setHorizontalHeaderLabels(
            [self.tr("File"), self.tr("Branch"), self.tr("Status"), self.tr("Reason")]
        )
        self.files.verticalHeader().setVisible(False)
        self.files.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.files.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.files.setColumnWidth(0, 380)
        self.files.setColumnWidth(1, 110)
        self.files.setColumnWidth(2, 110)

        self.national_button = QPushButton(self.tr("Write the national workbook…"))
        self.national_button.clicked.connect(self.write_national)
        self.pack_button = QPushButton(self.tr("Write the benchmark pack for branches…"))
        self.pack_button.clicked.connect(self.write_pack)
        for button in (self.national_button, self.pack_button):
            button.setEnabled(False)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        actions = QHBoxLayout()
        actions.addWidget(self.national_button)
        actions.addWidget(self.pack_button)
        actions.addStretch(1)
        actions.addWidget(close)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(tiles_holder)
        splitter.addWidget(self.files)
        splitter.setSizes([420, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addLayout(actions)

    # --- choosing ---------------------------------------------------------------------

    def _ask_folder(self, start: str) -> str | None:
        return QFileDialog.getExistingDirectory(self, self.tr("Shared folder"), start) or None

    def _ask_save(self, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save as"), suggested, self.tr("Excel workbook (*.xlsx)")
        )
        return path or None

    def _browse(self) -> None:
        chosen = self._choose_folder(self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    # --- the board --------------------------------------------------------------------

    def _paint_empty(self) -> None:
        for code, tile in self.tiles.items():
            name = branch(code).name_ja if self.lang == "ja" else branch(code).name_en
            tile.setText(f"{code} {name}")
            tile.setStyleSheet("background:#f7f7f7; color:#999; border:1px solid #ddd;")

    def scan(self) -> None:
        folder = self.folder.text().strip()
        if not folder:
            return
        year, period = self.year.value(), PeriodKind(self.period.currentData())

        def work(report: Callable[[int, int], None]) -> Consolidation:
            return consolidation.consolidate_folder(
                folder, fiscal_year=year, period=period, progress=report
            )

        try:
            self.result_ = run_with_steps(self, self.tr("Checking the submissions…"), work)
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), exc.message(self.lang))
            return
        self._show(self.result_)

    def _show(self, result: Consolidation) -> None:
        board = result.board
        counts = dict.fromkeys(BranchStatus, 0)
        for code, cell in board.branches.items():
            counts[cell.status] += 1
            background, colour, symbol = TILE_STYLE[cell.status]
            tile = self.tiles[code]
            tile.setText(f"{symbol} {code} {cell.name(self.lang)}\n{cell.status.label(self.lang)}")
            tile.setStyleSheet(
                f"background:{background}; color:{colour}; border:1px solid {colour};"
                "border-radius:4px; padding:2px;"
            )
            reasons = [f"{f.path.name}: {f.reason_ja if self.lang == 'ja' else f.reason_en}"
                       for f in cell.files if f.reason_ja]  # fmt: skip
            tile.setToolTip("\n".join(reasons) or cell.status.label(self.lang))
        self.summary.setText(
            self.tr(
                "{valid} valid · {unsigned} not signed off · {invalid} invalid · "
                "{missing} missing — only valid submissions are counted"
            ).format(
                valid=counts[BranchStatus.VALID],
                unsigned=counts[BranchStatus.UNSIGNED],
                invalid=counts[BranchStatus.INVALID],
                missing=counts[BranchStatus.MISSING],
            )
        )
        # What needs someone's attention first: refused files, then the rest by name.
        order = sorted(board.files, key=lambda f: (ATTENTION.get(f.status, 9), f.path.name))
        self.files.setRowCount(len(order))
        for row, f in enumerate(order):
            cells = [
                f.path.name,
                consolidation.branch_label(f.branch, self.lang) if f.branch else "—",
                f.status.label(self.lang),
                f.reason_ja if self.lang == "ja" else f.reason_en,
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if f.status in (FileStatus.INVALID, FileStatus.UNSIGNED):
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.files.setItem(row, column, item)
        counted = bool(result.results)
        self.national_button.setEnabled(counted)
        self.pack_button.setEnabled(counted)

    # --- writing ----------------------------------------------------------------------

    def _save(self, suggested: str, work: Callable[[Path], Path]) -> Path | None:
        chosen = self._choose_save(str(Path(self.folder.text()) / suggested))
        if not chosen:
            return None
        try:
            return run_with_progress(
                self, self.tr("Writing the workbook…"), lambda: work(Path(chosen))
            )
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), exc.message(self.lang))
            return None

    def write_national(self) -> Path | None:
        result = self.result_
        if result is None:
            return None
        name = f"{result.fiscal_year}_全国集計_{SHORT_PERIOD[result.period]}.xlsx"
        return self._save(
            name, lambda path: consolidation.write_national(result, path, actor=self.actor)
        )

    def write_pack(self) -> Path | None:
        result = self.result_
        if result is None:
            return None
        name = f"{result.fiscal_year}_全国平均・順位_{SHORT_PERIOD[result.period]}.xlsx"
        return self._save(name, lambda path: benchmarks.write_pack(result, path, actor=self.actor))
