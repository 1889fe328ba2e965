"""Nothing is cut at 1600×1000 without a way to read it, and widths stay as the
person leaves them (issue 12, B20)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from desktop.ui.controller import ReportController
from desktop.ui.dashboard_model import COL
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings

SHORT = ("group", "target", "actual", "as_of", "status")  # fit their content, always


def _fits(view, index: QModelIndex, width: int) -> bool:
    text = index.data() or ""
    return QFontMetrics(view.font()).horizontalAdvance(text) + 8 <= width


def _at_1600(window) -> None:
    window.resize(1600, 1000)
    QApplication.processEvents()


def test_dashboard_columns_fit_or_carry_their_full_text(window):
    _at_1600(window)
    window.tabs.setCurrentWidget(window.dashboard)
    QApplication.processEvents()
    table = window.dashboard.table
    model = table.model()
    cut = []
    for row in range(model.rowCount()):
        for name, column in COL.items():
            index = model.index(row, column)
            text = index.data() or ""
            if not text or _fits(table, index, table.columnWidth(column)):
                continue
            assert name not in SHORT, f"{name}: '{text}' cut at {table.columnWidth(column)} px"
            assert text in (index.data(Qt.ItemDataRole.ToolTipRole) or ""), (name, text)
            cut.append(name)
    # The short columns are whole, and up to the status everything is on screen.
    status_right = table.columnViewportPosition(COL["status"]) + table.columnWidth(COL["status"])
    assert status_right <= table.viewport().width()
    assert set(cut) <= {"pillar", "section", "kpi"}


def test_tree_titles_fit_or_carry_their_full_text(window):
    _at_1600(window)
    tree = window.navigator.tree
    width = tree.columnWidth(0)
    for key in window.navigator.visible_keys(reportable_only=False):
        index = window.navigator.proxy.mapFromSource(window.navigator.model.index_of(key))
        rect = tree.visualRect(index)
        title = window.controller.snapshot.plan.node(key).display_title
        if QFontMetrics(tree.font()).horizontalAdvance(title) + 8 > width - rect.x():
            assert index.data(Qt.ItemDataRole.ToolTipRole) == title


def test_widths_and_splitters_come_back_after_a_restart(qtbot, demo_db, tmp_path: Path):
    path = str(tmp_path / "restart.ini")
    settings = Settings(QSettings(path, QSettings.Format.IniFormat))
    settings.set_last_report("tester", "13/2024/midyear")
    first = MainWindow(ReportController(demo_db, "tester", "ja"), settings)
    qtbot.addWidget(first)
    first.resize(1600, 1000)
    first.show()
    qtbot.waitExposed(first)
    first.tabs.setCurrentWidget(first.dashboard)
    QApplication.processEvents()
    dash = first.dashboard
    header = dash.table.horizontalHeader()
    header.resizeSection(COL["kpi"], 333)
    header.resizeSection(COL["target"], 222)
    dash.split.setSizes([1000, 560])
    dash.table_split.setSizes([600, 300])
    first.splitter.setSizes([500, 1100])
    QApplication.processEvents()
    kept = (
        [header.sectionSize(c) for c in range(header.count())],
        dash.split.sizes(),
        dash.table_split.sizes(),
        first.splitter.sizes(),
    )
    first_size = first.size()
    first.close()

    again = Settings(QSettings(path, QSettings.Format.IniFormat))  # a new start
    second = MainWindow(ReportController(demo_db, "tester", "ja"), again)
    qtbot.addWidget(second)
    second.resize(first_size)  # the offscreen screen is smaller than the saved geometry
    second.show()
    qtbot.waitExposed(second)
    second.tabs.setCurrentWidget(second.dashboard)
    QApplication.processEvents()
    dash2 = second.dashboard
    header2 = dash2.table.horizontalHeader()
    assert [header2.sectionSize(c) for c in range(header2.count())] == kept[0]
    assert dash2.split.sizes() == kept[1]
    assert dash2.table_split.sizes() == kept[2]
    assert second.splitter.sizes() == kept[3]
