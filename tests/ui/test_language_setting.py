"""The language chosen under 設定 holds after a restart; --lang (or PLANDESK_LANG)
overrides it for one start.

The command line used to pass Japanese to the app whenever nothing was asked
for, so 設定 ▸ English never took effect. The app is started here through the
real entry point (``desktop.cli.main`` without a command), with its settings
in a temporary folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from desktop.store.database import backup_database
from desktop.ui.i18n import install_translators
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings


@pytest.fixture
def saved_english(qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Settings ▸ English saved in a previous session; no language asked for today."""
    monkeypatch.delenv("PLANDESK_LANG", raising=False)
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    qapp.setOrganizationName("PlanDesk")
    qapp.setApplicationName("PlanDesk")
    settings = Settings()
    settings.language = "en"
    settings.sync()
    locale = QLocale()
    yield
    install_translators(qapp, "en")  # other modules expect no translator installed
    QLocale.setDefault(locale)


def _start(argv: list[str]) -> tuple[int, list[str]]:
    """Run the app through the CLI entry point; once its main window is up, read the
    menu titles and close it (queued on the app's own event loop, no fixed wait)."""
    from desktop.cli import main

    seen: list[str] = []

    def look() -> None:
        shown = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        dialog = QApplication.activeModalWidget()
        if dialog is not None:  # a message box instead of the window: fail, do not hang
            seen.append(f"dialog: {dialog.windowTitle()}")
            dialog.close()
            QApplication.instance().quit()
            return
        if not shown:
            QTimer.singleShot(0, look)
            return
        seen.extend(a.text() for a in shown[0].menuBar().actions())
        # Closing the last window ends the app's loop (quitOnLastWindowClosed); a
        # quit() besides would leave Qt's own quit event pending, which then ends
        # every later event loop of the test process at once.
        shown[0].close()
        shown[0].deleteLater()

    QTimer.singleShot(0, look)
    return main(argv), seen


@pytest.fixture
def database(_demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "app.sqlite3"
    backup_database(_demo_template, path)
    return path


def test_the_saved_language_is_used_when_none_is_asked_for(saved_english, database):
    code, menus = _start(["--db", str(database)])
    assert code == 0
    assert "&File" in menus and "&Settings" in menus


def test_lang_on_the_command_line_overrides_it_for_one_start(saved_english, database):
    code, menus = _start(["--db", str(database), "--lang", "ja"])
    assert code == 0
    assert "ファイル(&F)" in menus and "設定(&S)" in menus
    assert Settings().language == "en"  # the saved choice stays


def test_plandesk_lang_overrides_it_too(saved_english, database, monkeypatch):
    monkeypatch.setenv("PLANDESK_LANG", "ja")
    code, menus = _start(["--db", str(database)])
    assert code == 0 and "ファイル(&F)" in menus
