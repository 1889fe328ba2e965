"""The yardstick for PlanDesk's start: a bare PySide6 + pyqtgraph window of the main
window's shape (menu bar, a tree, a tab widget, a form, a pyqtgraph PlotWidget),
started the way the app is and reporting its first paint the same way
(``PLANDESK_SMOKE_TEST=<file>``: ``{"painted_at": ..., "visible": ...}``).

    QT_QPA_PLATFORM=offscreen PLANDESK_SMOKE_TEST=out.json python tests/benchmarks/bare_window.py

Used by tests/benchmarks/test_bench_start.py; any further arguments are ignored
(the app's ``--db PATH`` is passed to both).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)


def build() -> QMainWindow:
    window = QMainWindow()
    window.setWindowTitle("Bare")
    for title in ("&File", "&Edit", "&Go", "&Users", "&Settings"):
        menu = window.menuBar().addMenu(title)
        for n in range(4):
            menu.addAction(f"Action {n}")
    tree = QTreeWidget()
    tree.setHeaderLabels(["Section", "Status"])
    for p in range(6):
        pillar = QTreeWidgetItem(tree, [f"Pillar {p}", ""])
        for s in range(20):
            QTreeWidgetItem(pillar, [f"Section {p}.{s}", "○"])
    tree.expandAll()
    form = QWidget()
    rows = QFormLayout()
    for label in ("Title", "Goal", "Owner"):
        rows.addRow(label, QLineEdit())
    rows.addRow("Plan", QTextEdit())
    rows.addRow("Progress", QTextEdit())
    plot = pg.PlotWidget()
    plot.plot(list(range(12)), [float(v) for v in range(12)], pen="b", symbol="o")
    plot.plot(list(range(12)), [11.0 - v for v in range(12)], pen="r")
    column = QVBoxLayout(form)
    column.addLayout(rows)
    column.addWidget(plot)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(tree)
    splitter.addWidget(form)
    tabs = QTabWidget()
    tabs.addTab(splitter, "Sections")
    tabs.addTab(QWidget(), "Dashboard")
    tabs.addTab(QWidget(), "Review")
    window.setCentralWidget(tabs)
    window.statusBar().showMessage("Ready")
    window.resize(1400, 880)
    return window


class _FirstPaint(QObject):
    def __init__(self, window: QMainWindow, report: Path) -> None:
        super().__init__()
        self.window = window
        self.report = report
        self.done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            not self.done
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self.window
        ):
            self.done = True
            facts = {"painted_at": time.time(), "visible": self.window.isVisible()}
            self.report.write_text(json.dumps(facts), encoding="utf-8")
            QTimer.singleShot(0, QApplication.instance().quit)
        return False


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = build()
    watcher = _FirstPaint(window, Path(os.environ["PLANDESK_SMOKE_TEST"]))
    app.installEventFilter(watcher)
    window.show()
    guard = QTimer()  # never hang a benchmark: no paint in 2 min fails
    guard.setSingleShot(True)
    guard.timeout.connect(app.quit)
    guard.start(120_000)
    app.exec()
    return 0 if watcher.done else 1


if __name__ == "__main__":
    raise SystemExit(main())
