"""The planning window's further tabs: the plan's approval (承認) and the reference
figures (参考値), the same widgets Plan ▸ Plan approval… and Plan ▸ Reference
figures… show in windows of their own.

Each tab is an empty page until it is first shown: the widget (and the reads it
makes) is built then, so opening the planning window stays as quick as before.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.ui.controller import ReportController


class LazyTab(QWidget):
    """A tab page that builds its widget the first time it is shown."""

    def __init__(self, build: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build = build
        self.widget: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def ensure_built(self) -> QWidget:
        if self.widget is None:
            self.widget = self._build()
            self._layout.addWidget(self.widget)
            # Built while the page is being shown: Qt has shown its children already.
            self.widget.setVisible(self.isVisible())
        return self.widget

    def showEvent(self, event: QShowEvent) -> None:
        self.ensure_built()
        super().showEvent(event)


def approval_widget(controller: ReportController) -> QWidget:
    from desktop.ui.plan_status import PlanStatusWidget

    return PlanStatusWidget(controller)


def reference_widget(controller: ReportController) -> QWidget:
    from desktop.ui.reference_table import ReferenceTable

    # The planning window has undo / redo on the same keys for all of it.
    return ReferenceTable(controller, undo_keys=False)
