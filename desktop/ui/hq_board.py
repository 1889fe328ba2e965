"""Headquarters: the board of 47 branches for a folder of submissions.

Point it at the shared folder: the year and period default to the ones most
of its files are for (read from their manifests off the GUI thread; still
changeable). Every file is verified off the GUI thread, each branch shows as
received, not signed off, invalid (with the reason) or missing, a file for
another year or period says so, and only valid submissions go into the
national workbook and the benchmark pack. A file's reason is shown in full:
in its tooltip and in the details pane (selectable text).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
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
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.branches import HQ_CODE, branch
from desktop.domain.calendar import fiscal_year_label
from desktop.domain.errors import UserError
from desktop.domain.model import PeriodKind
from desktop.services import benchmarks, consolidation, signing_keys
from desktop.services.consolidation import (
    BranchStatus,
    Consolidation,
    FileStatus,
    FolderPeriods,
    SubmissionFile,
)
from desktop.services.key_registry import trusted_keys
from desktop.services.signing_keys import PublicKey, SigningKey, WrongPassphrase
from desktop.ui.passphrase_dialog import PassphraseDialog
from desktop.ui.tasks import Cancelled, run_with_progress, run_with_steps

# Colour and symbol per status: never colour alone (a printout, colour-blind readers).
TILE_STYLE = {
    BranchStatus.VALID: ("#d9f2dd", "#1d6b2c", "✔"),
    BranchStatus.UNSIGNED: ("#fff1c7", "#7a5200", "！"),
    BranchStatus.INVALID: ("#fbd5d5", "#9b1c1c", "✖"),
    BranchStatus.MISSING: ("#ececec", "#555555", "－"),
}
COLUMNS = 8
ATTENTION = {FileStatus.INVALID: 0, FileStatus.UNSIGNED: 1, FileStatus.SKIPPED: 2,
             FileStatus.OTHER_PERIOD: 3, FileStatus.SUPERSEDED: 4}  # fmt: skip
FILE_COLOUR = {
    FileStatus.INVALID: Qt.GlobalColor.darkRed,
    FileStatus.UNSIGNED: Qt.GlobalColor.darkRed,
    FileStatus.OTHER_PERIOD: Qt.GlobalColor.darkGray,
    FileStatus.SKIPPED: Qt.GlobalColor.darkGray,
}
SHORT_PERIOD = {PeriodKind.MIDYEAR: "上期", PeriodKind.ANNUAL: "年度"}


def current_fiscal_year(today: date | None = None) -> int:
    today = today or date.today()
    return today.year if today.month >= 4 else today.year - 1


def wrapped_tip(text: str) -> str:
    """A tooltip as rich text, so that Qt wraps a long reason instead of cutting it."""
    return f"<qt>{html.escape(text).replace(chr(10), '<br>')}</qt>" if text else ""


class HqBoard(QDialog):
    def __init__(
        self,
        actor: str,
        lang: str,
        folder: str = "",
        parent: QWidget | None = None,
        choose_folder: Callable[[str], str | None] | None = None,
        choose_save: Callable[[str], str | None] | None = None,
        keys: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.actor, self.lang = actor, lang
        # HQ's registry of branch public keys (signing_keys.keys_dir): the signatures are
        # checked against it.
        self.keys = keys
        self.result_: Consolidation | None = None
        self.periods: FolderPeriods | None = None  # what the folder's files are for
        self._detected_for: str | None = None  # the folder the year/period were detected for
        self._chosen_for: str | None = None  # ... or chosen by hand for
        self._setting = False  # the board sets year/period itself (not the person)
        self._shown: list[SubmissionFile] = []  # the files table's rows
        self._choose_folder = choose_folder or self._ask_folder
        # Where a file goes (the file dialog; a test answers it instead).
        self.choose_save = choose_save or self._ask_save
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
        self.year.valueChanged.connect(self._chosen_by_hand)
        self.period.currentIndexChanged.connect(self._chosen_by_hand)
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
        self.summary.setWordWrap(True)
        self.folder_note = QLabel()
        self.folder_note.setObjectName("hqFolderPeriods")
        self.folder_note.setWordWrap(True)
        self.folder_note.setStyleSheet("color: #444;")

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
        self.files.setColumnWidth(0, 360)
        self.files.setColumnWidth(1, 110)
        self.files.setColumnWidth(2, 170)
        self.files.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.files.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.files.currentCellChanged.connect(lambda row, *_: self._show_details(row))
        # The whole story of the selected file: its reason in full, as selectable text.
        self.details = QTextBrowser()
        self.details.setObjectName("hqDetails")
        self.details.setPlaceholderText(self.tr("Select a file to see its details."))
        self.details.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )

        self.national_button = QPushButton(self.tr("Write the national workbook…"))
        self.national_button.clicked.connect(self.write_national)
        self.pack_button = QPushButton(self.tr("Write the benchmark pack for branches…"))
        self.pack_button.clicked.connect(self.write_pack)
        for button in (self.national_button, self.pack_button):
            button.setEnabled(False)
        # What was written last, and whether HQ's key signed it.
        self.written = QLabel()
        self.written.setObjectName("hqWritten")
        self.written.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        actions = QHBoxLayout()
        actions.addWidget(self.national_button)
        actions.addWidget(self.pack_button)
        actions.addWidget(self.written, 1)
        actions.addWidget(close)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(tiles_holder)
        splitter.addWidget(self.files)
        splitter.addWidget(self.details)
        splitter.setSizes([390, 240, 140])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.folder_note)
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
            self.detect()

    def _chosen_by_hand(self) -> None:
        if not self._setting:
            self._chosen_for = self.folder.text().strip()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.folder.text().strip() and self._detected_for is None:
            # Once the board is on screen: its year and period, before anyone checks.
            QTimer.singleShot(0, self, self._detect_if_needed)

    def _detect_if_needed(self) -> None:
        folder = self.folder.text().strip()
        if folder and folder not in (self._detected_for, self._chosen_for):
            self.detect()

    def detect(self) -> FolderPeriods | None:
        """Set the year and period to the ones most of the folder's files are for
        (their manifests only, off the GUI thread); the person may still change them."""
        folder = self.folder.text().strip()
        if not folder:
            return None

        def work(report: Callable[[int, int], None]) -> FolderPeriods:
            return consolidation.folder_periods(folder, progress=report)

        try:
            periods = run_with_steps(self, self.tr("Reading what the files are for…"), work)
        except UserError as exc:
            self.folder_note.setText(exc.message(self.lang))
            return None
        self.periods = periods
        self._detected_for, self._chosen_for = folder, None
        common = periods.most_common
        if common is None:
            self.folder_note.setText(self.tr("No branch submission in this folder."))
            return periods
        year, period = common
        self._setting = True
        try:
            self.year.setValue(year)
            self.period.setCurrentIndex(self.period.findData(period))
        finally:
            self._setting = False
        self.folder_note.setText(
            self.tr("Submissions in this folder: {what}").format(what=periods.describe(self.lang))
        )
        return periods

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
        self._detect_if_needed()
        year, period = self.year.value(), PeriodKind(self.period.currentData())

        def work(report: Callable[..., None]) -> Consolidation:
            registry = trusted_keys(self.keys) if self.keys is not None else None
            return consolidation.consolidate_folder(
                folder,
                fiscal_year=year,
                period=period,
                progress=report,
                registry=registry,
                on_file=lambda number, total, path: report(number - 1, total, path.name),
            )

        try:
            self.result_ = run_with_steps(
                self, self.tr("Checking the submissions…"), work, cancel_text=self.tr("Cancel")
            )
        except Cancelled:
            self.summary.setText(self.tr("Checking the submissions was cancelled."))
            return
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
            reasons = [f"{f.path.name}（{f.status_label(self.lang)}）: {f.reason(self.lang)}"
                       for f in cell.files if f.reason(self.lang)]  # fmt: skip
            tile.setToolTip(wrapped_tip("\n\n".join(reasons) or cell.status.label(self.lang)))
        summary = self.tr(
            "{valid} valid · {unsigned} not signed off · {invalid} invalid · "
            "{missing} missing — only valid submissions are counted"
        ).format(
            valid=counts[BranchStatus.VALID],
            unsigned=counts[BranchStatus.UNSIGNED],
            invalid=counts[BranchStatus.INVALID],
            missing=counts[BranchStatus.MISSING],
        )
        others = len(board.other_period_files)
        if others:
            summary += " " + self.tr(
                "({n} file(s) for another year or period: not counted here)"
            ).format(n=others)
        self.summary.setText(summary)
        # What needs someone's attention first: refused files, then the rest by name.
        order = sorted(board.files, key=lambda f: (ATTENTION.get(f.status, 9), f.path.name))
        self._shown = order
        self.files.setRowCount(len(order))
        for row, f in enumerate(order):
            reason = f.reason(self.lang)
            cells = [
                f.path.name,
                consolidation.branch_label(f.branch, self.lang) if f.branch else "—",
                f.status_label(self.lang),
                reason,
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                # The reason in full wherever the pointer is on the row.
                item.setToolTip(wrapped_tip(reason if reason else text))
                colour = FILE_COLOUR.get(f.status)
                if colour is not None:
                    item.setForeground(colour)
                self.files.setItem(row, column, item)
        for column in (0, 1, 2):  # names and statuses whole; the reason takes the rest
            self.files.resizeColumnToContents(column)
        self.details.clear()
        if order:
            self.files.setCurrentCell(0, 0)
        counted = bool(result.results)
        self.national_button.setEnabled(counted)
        self.pack_button.setEnabled(counted)

    def _show_details(self, row: int) -> None:
        if not 0 <= row < len(self._shown):
            self.details.clear()
            return
        f = self._shown[row]
        lang = self.lang
        lines = [
            (self.tr("File"), f.path.name),
            (self.tr("Branch"), consolidation.branch_label(f.branch, lang) if f.branch else "—"),
            (self.tr("Status"), f.status_label(lang)),
        ]
        if f.reason(lang):
            lines.append((self.tr("Reason"), f.reason(lang)))
        m = f.manifest
        if m is not None:
            kind = m.kind.label_ja if lang == "ja" else m.kind.label_en
            what = (
                consolidation.period_label(m.fiscal_year, m.period, lang)
                if m.period is not None
                else fiscal_year_label(m.fiscal_year)
            )
            lines.append((self.tr("What it is"), f"{kind} · {what}"))
            created = m.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
            lines.append((self.tr("Written"), f"{created} · {m.created_by}"))
            if m.signed_off_at is not None:
                signer = m.signed_off_name or m.signed_off_by or ""
                when = m.signed_off_at.astimezone().strftime("%Y-%m-%d %H:%M")
                lines.append((self.tr("Signed off"), f"{signer} · {when}"))
        self.details.setHtml(
            "<table cellpadding='2'>"
            + "".join(
                f"<tr><td valign='top'><b>{html.escape(k)}</b></td>"
                f"<td>{html.escape(v).replace(chr(10), '<br>')}</td></tr>"
                for k, v in lines
            )
            + "</table>"
        )

    # --- writing ----------------------------------------------------------------------

    def _own_key(self) -> PublicKey | None:
        """This PC's current signing key, its public half only (nothing is unlocked)."""
        return signing_keys.own_public_key(self.keys) if self.keys is not None else None

    def _save(
        self, suggested: str, national: bool, work: Callable[[Path, SigningKey | None], Path]
    ) -> Path | None:
        """Write a file for the branches: signed with HQ's key when this PC holds it (its
        passphrase asked here, on the GUI thread; the key opened off it and handed to
        ``work``, never kept), else unsigned only once the person chose so, warned of
        what that means. A wrong passphrase or a cancel writes nothing."""
        try:
            own = self._own_key()
        except UserError as exc:  # a damaged key file: say so rather than skip signing
            QMessageBox.warning(self, self.windowTitle(), exc.message(self.lang))
            return None
        hq = own if own is not None and own.branch == HQ_CODE else None
        if hq is None and not self._confirm_unsigned(national, own):
            return None
        chosen = self.choose_save(str(Path(self.folder.text()) / suggested))
        if not chosen:
            return None
        key = self._unlock(national, hq) if hq is not None else None
        if hq is not None and key is None:
            return None
        try:
            path = run_with_progress(
                self, self.tr("Writing the workbook…"), lambda: work(Path(chosen), key)
            )
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), exc.message(self.lang))
            return None
        if key is not None:
            self.written.setText(
                self.tr("Wrote {name}, signed with HQ's key {fingerprint}.").format(
                    name=path.name, fingerprint=signing_keys.spoken(key.fingerprint)
                )
            )
        else:
            self.written.setText(self.tr("Wrote {name} unsigned.").format(name=path.name))
        return path

    def _confirm_unsigned(self, national: bool, own: PublicKey | None) -> bool:
        """Before anything is chosen or written: the file will be unsigned, what the
        branches and verify will make of it, how to sign instead; the person decides."""
        if own is None:
            why = self.tr(
                "This PC has no signing key for HQ, so the file will be written unsigned."
            )
            how = self.tr(
                "To sign it, make HQ's signing key on this PC once (plandesk keys create "
                "--branch 00), send its public key to the branches to import (plandesk keys "
                "export), and write the file again here."
            )
        else:
            why = self.tr(
                "This PC's signing key is branch {branch}'s, not HQ's, so the file will be "
                "written unsigned."
            ).format(branch=own.branch)
            how = self.tr("To sign it, write it on the PC that holds HQ's signing key (00).")
        if national:
            then = self.tr(
                "plandesk verify calls an unsigned national workbook invalid: nothing shows "
                "that HQ wrote it or that it is unchanged."
            )
        else:
            then = self.tr(
                "Branches that import an unsigned benchmark pack are warned that HQ's "
                "signature cannot be checked."
            )
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Write unsigned?"), why, parent=self)
        box.setObjectName("unsignedWarning")
        box.setInformativeText(f"{then}\n\n{how}")
        write = box.addButton(self.tr("Write unsigned"), QMessageBox.ButtonRole.AcceptRole)
        write.setObjectName("writeUnsigned")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)  # Enter does not write an unsigned file by mistake
        box.setEscapeButton(cancel)
        box.exec()
        chosen = box.clickedButton() is write
        box.deleteLater()
        return chosen

    def passphrase_dialog(self, national: bool, hq: PublicKey) -> PassphraseDialog:
        """HQ's passphrase, for the national workbook or the benchmark pack."""
        fingerprint = signing_keys.spoken(hq.fingerprint)
        if national:
            text = self.tr(
                "The national workbook is signed with HQ's signing key (fingerprint "
                "{fingerprint}): verify and the branches can then tell that HQ wrote it and "
                "that it is unchanged. Enter the passphrase of HQ's signing key."
            ).format(fingerprint=fingerprint)
        else:
            text = self.tr(
                "The benchmark pack is signed with HQ's signing key (fingerprint "
                "{fingerprint}): the branches check it when they import the pack. Enter the "
                "passphrase of HQ's signing key."
            ).format(fingerprint=fingerprint)
        return PassphraseDialog(False, self, title=self.tr("Sign with HQ's key"), text=text)

    def _unlock(self, national: bool, hq: PublicKey) -> SigningKey | None:
        """HQ's key opened with the passphrase asked now (None: cancelled, or refused and
        said once). scrypt takes a moment: it runs off the GUI thread."""
        dialog = self.passphrase_dialog(national, hq)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            passphrase = dialog.value()
        finally:
            dialog.passphrase.clear()
            dialog.deleteLater()
        folder = self.keys
        assert folder is not None  # hq came from it
        try:
            key = run_with_progress(
                self,
                self.tr("Opening HQ's signing key…"),
                lambda: signing_keys.unlock(folder, passphrase),
            )
        except WrongPassphrase:
            QMessageBox.warning(
                self,
                self.windowTitle(),
                self.tr("Wrong passphrase: HQ's signing key did not open. Nothing was written."),
            )
            return None
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), exc.message(self.lang))
            return None
        if key.branch != HQ_CODE or key.fingerprint != hq.fingerprint:  # replaced meanwhile
            QMessageBox.warning(
                self,
                self.windowTitle(),
                self.tr("This PC's signing key changed meanwhile. Nothing was written."),
            )
            return None
        return key

    def write_national(self) -> Path | None:
        result = self.result_
        if result is None:
            return None
        name = f"{result.fiscal_year}_全国集計_{SHORT_PERIOD[result.period]}.xlsx"
        return self._save(
            name,
            True,
            lambda path, key: consolidation.write_national(
                result, path, actor=self.actor, signing_key=key
            ),
        )

    def write_pack(self) -> Path | None:
        result = self.result_
        if result is None:
            return None
        name = f"{result.fiscal_year}_全国平均・順位_{SHORT_PERIOD[result.period]}.xlsx"
        return self._save(
            name,
            False,
            lambda path, key: benchmarks.write_pack(
                result, path, actor=self.actor, signing_key=key
            ),
        )
