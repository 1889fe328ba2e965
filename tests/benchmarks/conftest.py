"""The demo window the UI benchmarks measure."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings


@pytest.fixture
def window(qtbot, demo_db, tmp_path):
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    settings.set_last_report("bench", "13/2024/midyear")
    w = MainWindow(demo_db, "bench", settings, "ja")
    qtbot.addWidget(w)
    w.resize(1440, 900)
    w.show()
    qtbot.waitExposed(w)
    return w
