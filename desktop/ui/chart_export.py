"""The 'Save as PNG…' button under a chart. Apart from the charts, so that a form can
have its button before its chart exists (a chart and pyqtgraph load when first shown)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

from desktop.domain.errors import UserError


class Exportable(Protocol):
    def export_png(self, path: str | Path) -> Path: ...


def export_button(
    chart: Callable[[], Exportable], parent: QWidget, suggest: Callable[[], str]
) -> QPushButton:
    """A 'Save as PNG…' button for the chart ``chart()`` gives when clicked."""
    translate = QCoreApplication.translate
    button = QPushButton(translate("ChartExport", "Save as PNG…"))
    button.setObjectName("exportPng")

    def export() -> None:
        path, _ = QFileDialog.getSaveFileName(
            parent,
            translate("ChartExport", "Save chart"),
            suggest(),
            translate("ChartExport", "PNG image (*.png)"),
        )
        if not path:
            return
        if not path.lower().endswith(".png"):
            path += ".png"
        try:
            chart().export_png(path)
        except UserError as exc:
            parent.window().statusBar().showMessage(exc.message(), 8000)  # type: ignore[attr-defined]

    button.clicked.connect(export)
    return button
