"""File ▸ Export PDF…: the open report's printed pages as a PDF.

The PDF is made by the export service without Qt (the command line makes the same
file); here the person only chooses where it goes. Writing it reads the database
and changes nothing in it, so it runs as a read, off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.domain.errors import UserError
from desktop.ui.controller import ReportController
from desktop.ui.settings import Settings

if TYPE_CHECKING:  # the export service (openpyxl, fpdf2) loads when first used, not at start
    from desktop.services.export import ExportResult


class ReportWindow(Protocol):
    """What the action needs of the main window (which builds it)."""

    controller: ReportController
    settings: Settings
    form: Any  # the section form: what was just typed is flushed first
    lang: str

    @property
    def actor(self) -> str: ...

    @property
    def planning(self) -> bool: ...

    def statusBar(self) -> Any: ...


class PdfExport(QObject):
    """The menu action and what it does; ``ask_path`` is replaced in tests."""

    def __init__(self, window: ReportWindow) -> None:
        super().__init__(window)  # type: ignore[arg-type]
        self.window = window
        self.action = QAction(self.tr("Export &PDF…"), window)
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.triggered.connect(self.run)
        self.ask_path: Callable[[str], str | None] = self._ask_path
        self.result_: ExportResult | None = None

    def _ask_path(self, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(
            self.window, self.tr("Export PDF"), suggested, self.tr("PDF (*.pdf)")
        )
        return path or None

    def suggested_path(self) -> Path:
        """The next free version in the exchange folder, named like the workbooks."""
        from desktop.services import export

        window = self.window
        snap = window.controller.snapshot
        assert snap is not None
        period = None if window.planning else snap.ref.period
        signed = period is not None and window.controller.signed_off() is not None
        folder = Path(window.settings.exchange_folder or Path.home())
        if not folder.is_dir():
            folder = Path.home()
        branch, year = snap.plan.branch, snap.plan.fiscal_year
        return export.pdf_path(folder, branch, year, period, signed_off=signed)

    def run(self) -> ExportResult | None:
        from desktop.services import export

        window = self.window
        snap = window.controller.snapshot
        if snap is None:
            return None
        window.form.flush()  # what was just typed belongs in the file
        chosen = self.ask_path(str(self.suggested_path()))
        if not chosen:
            return None
        target = Path(chosen)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        period = None if window.planning else snap.ref.period
        branch, year, actor = snap.plan.branch, snap.plan.fiscal_year, window.actor
        try:
            result = window.controller.read(
                lambda db: export.export_pdf(
                    db, branch=branch, fiscal_year=year, period=period, out=target, actor=actor
                ),
                progress=(window, self.tr("Writing the PDF…")),
            )
        except UserError as exc:
            QMessageBox.warning(window, self.tr("Export PDF"), exc.message(window.lang))
            return None
        self.result_ = result
        window.settings.exchange_folder = str(result.path.parent)
        window.statusBar().showMessage(self.tr("Written: {path}").format(path=result.path), 15000)
        return result
