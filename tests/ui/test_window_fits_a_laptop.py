"""The main window fits a 1280-pixel-wide screen (a branch's laptop) on every tab:
no row of the dashboard or the review tab makes it wider. Measured as Qt lays it out
(the window's minimum size once every tab was shown: a tab widget is as wide as its
widest page)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from desktop.ui.controller import ReportController
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from tests.helpers.reports import REF, sign_off_all

SCREEN_WIDTH = 1280


def _window(qtbot, db, tmp_path: Path, width: int, height: int) -> MainWindow:
    """The main window of the branch head, in English (the longer words), at a size."""
    settings = Settings(QSettings(str(tmp_path / "head.ini"), QSettings.Format.IniFormat))
    settings.set_last_report("head", REF.key)
    window = MainWindow(ReportController(db, "head", "en"), settings)
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_every_tab_fits_a_1280_pixel_screen(qtbot, demo_db, tmp_path: Path):
    sign_off_all(demo_db, REF)  # the review tab then says who signed off, and the signature
    window = _window(qtbot, demo_db, tmp_path, SCREEN_WIDTH, 760)
    widths = {}
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        page = window.tabs.currentWidget()
        qtbot.waitUntil(page.isVisible)
        widths[window.tabs.tabText(index)] = window.minimumSizeHint().width()
    assert max(widths.values()) <= SCREEN_WIDTH, widths
    assert window.width() == SCREEN_WIDTH


def test_the_pillar_filter_shows_a_long_title_whole_in_its_tip(qtbot, demo_db, tmp_path: Path):
    """The pillar box is narrow (it showed the longest title whole, which made the
    dashboard's row of filters 1,400 pixels wide); the title chosen is in its tip."""
    window = _window(qtbot, demo_db, tmp_path, SCREEN_WIDTH, 760)
    window.tabs.setCurrentWidget(window.dashboard)
    box = window.dashboard.pillar_filter
    qtbot.waitUntil(lambda: box.count() > 1)
    longest = max(range(box.count()), key=lambda i: len(box.itemText(i)))
    box.setCurrentIndex(longest)
    assert box.toolTip() == box.itemText(longest)
    assert box.minimumSizeHint().width() < box.fontMetrics().horizontalAdvance(box.toolTip())


def test_on_a_768_pixel_high_screen_the_verdicts_per_pillar_keep_room_for_their_bars(
    qtbot, demo_db, tmp_path: Path
):
    """At 1366×768 less the taskbar the dashboard's splitter gave the chart of KPI
    verdicts per pillar a few pixels under its title and legend (no bars to see); it
    keeps room for them, the table above scrolling instead."""
    window = _window(qtbot, demo_db, tmp_path, 1366, 728)
    window.tabs.setCurrentWidget(window.dashboard)
    chart = window.dashboard.status_chart
    qtbot.waitUntil(chart.isVisible)
    assert window.height() <= 728
    assert chart.height() >= 200
