"""The one place where the desktop app is wired together."""

from __future__ import annotations

import getpass
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QEventLoop, QLockFile, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QWidget

from desktop import __version__
from desktop.domain.errors import UserError
from desktop.error_log import log_hard_crashes, log_note
from desktop.paths import (
    default_db_path,
    looks_like_network_path,
    resource_path,
    window_lock_path,
)
from desktop.services.first_view import first_reads
from desktop.ui.controller import ReportController
from desktop.ui.crash_handler import CrashHandler
from desktop.ui.i18n import install_translators, missing_translations
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import APPLICATION, ORGANIZATION, Settings

if TYPE_CHECKING:
    from desktop.services.workspace import Database


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (service account, container)
        return "unknown"


def ensure_plans(
    controller: ReportController, ask_file: Callable[[], str | None] | None = None
) -> bool:
    """Never an empty dead window: offer the demo, a plan from the template, or a
    workbook from another PC (asked again until the database has a branch plan).
    Each runs through the controller, like every write."""
    from desktop.services import plans
    from desktop.ui.start_dialog import StartDialog  # a first start only

    actor = controller.actor
    while not any(b != "00" for b, _y, _t in controller.plans()):
        dialog = StartDialog(controller.lang)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        if dialog.choice == "demo":
            controller.run(lambda db: plans.install_demo(db, actor=actor))
        elif dialog.choice == "workbook":
            import_first_workbook(controller, ask_file)
        else:
            controller.run(
                lambda db, code=dialog.branch_code: plans.create_from_template(
                    db, code, actor=actor
                )
            )
    return True


def import_first_workbook(
    controller: ReportController, ask_file: Callable[[], str | None] | None = None
) -> bool:
    """A work file or a template, previewed and merged into the empty database.
    An HQ template alone adds no branch plan: the start dialog then offers to
    create one from it."""
    from desktop.services.exchange import Expectation, Kind
    from desktop.ui.import_dialog import ImportDialog, apply_choices, read_preview

    if ask_file is None:
        path = QFileDialog.getOpenFileName(None, "PlanDesk", str(Path.home()), "Excel (*.xlsx)")[0]
    else:
        path = ask_file()
    if not path:
        return False
    expect = Expectation(kinds=tuple(Kind))
    preview = read_preview(None, controller, path, expect)
    if preview is None:
        return False
    dialog = ImportDialog(preview, controller.lang)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    return apply_choices(None, controller, dialog, expect) is not None


ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
QT_BUTTONS = "QPlatformTheme"  # Qt's context for standard buttons (a name, so lupdate skips it)


def app_icon() -> QIcon:
    """The application icon (desktop/resources/icons, drawn in plandesk.svg)."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(resource_path("icons", f"plandesk-{size}.png")))
    return icon


def run(db: str | None = None, lang: str | None = None, smoke_report: Path | None = None) -> int:
    """The desktop app. With ``smoke_report`` (a file path) it is the smoke test of an
    installed or frozen build: the real start on the database, the main window
    shown, and after its first paint the app quits and writes what it saw to that
    file (exit 0 only when the window painted and every translation loaded)."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    settings = Settings()
    lang = lang or settings.language
    translated = install_translators(app, lang)
    if not translated:
        # Qt falls back to English without a word: leave one for whoever supports this PC.
        log_note(
            "translations not found, texts stay in English: " + ", ".join(missing_translations())
        )
    crashes = CrashHandler(lang)
    crashes.install()
    stop_fault_log = log_hard_crashes()  # a fault inside Qt still leaves a trace
    try:
        return _open_and_run(app, settings, crashes, db, lang, smoke_report, translated)
    except Exception as exc:  # the start failed, or a window could not be built
        return crashes.say_fatal(exc)
    finally:
        crashes.uninstall()
        stop_fault_log()


def _open_and_run(
    app: QApplication,
    settings: Settings,
    crashes: CrashHandler,
    db: str | None,
    lang: str,
    smoke_report: Path | None,
    translated: bool,
) -> int:
    path = Path(db) if db else default_db_path()
    if looks_like_network_path(path):
        QMessageBox.warning(
            None,
            "PlanDesk",
            app.translate(
                "app",
                "The database is on a network drive. SQLite cannot lock files there safely: "
                "keep it on this PC and exchange files instead.",
            ),
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(window_lock_path(path)))
    lock.setStaleLockTime(0)
    if not lock.tryLock(200):
        QMessageBox.critical(
            None,
            "PlanDesk",
            app.translate("app", "This database is already open in another PlanDesk window."),
        )
        return 1
    try:
        controller = _controller(path, lang)
    except UserError as exc:
        QMessageBox.critical(None, "PlanDesk", exc.message(lang))
        lock.unlock()
        return 1
    try:
        if smoke_report is not None:
            if not any(b != "00" for b, _y, _t in controller.plans()):
                _write_smoke_report(smoke_report, {"error": "no branch plan in the database"})
                return 1  # never a start dialog waiting for a person
        elif not ensure_plans(controller):
            return 0
        settings.last_database = str(path)
        window = MainWindow(controller, settings)
        # After an unexpected error, what is being typed is stored before saying so.
        crashes.save_pending = window.form.flush
        window.show()
        if smoke_report is not None:
            return _smoke_test(app, window, smoke_report, lang, translated)
        from desktop.ui.auto_backup import AutoBackup  # once the window is up

        auto_backup = AutoBackup(controller, window)
        auto_backup.start()
        code = int(app.exec())
        problem = auto_backup.on_close()
        if problem is not None:
            QMessageBox.warning(None, "PlanDesk", problem)
        return code
    finally:
        crashes.save_pending = None
        controller.close()
        lock.unlock()


def _open_database(path: Path) -> Database:
    from desktop.services import plans  # SQLAlchemy and the store load here

    return plans.init_database(path)


def _controller(path: Path, lang: str) -> ReportController:
    """A file at the current schema: the window paints from the quick first reads and
    opens the database after its first paint (MainWindow). Any other (new, due for a
    migration, damaged): the database is opened, created or migrated first."""
    first = first_reads(path)
    if first is None:
        return ReportController(_open_database(path), current_user(), lang)
    return ReportController(
        None, current_user(), lang, first_reads=first, open_database=lambda: _open_database(path)
    )


class _FirstPaint(QObject):
    """Ends ``loop`` once anything in ``window`` has been painted."""

    def __init__(self, loop: QEventLoop, window: QWidget) -> None:
        super().__init__(loop)
        self.loop = loop
        self.window = window
        self.painted_at: float | None = None
        self.visible_then = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self.painted_at is None
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self.window
        ):
            self.painted_at = time.time()
            self.visible_then = self.window.isVisible()
            QTimer.singleShot(0, self.loop.quit)
        return False


def _smoke_test(
    app: QApplication, window: QWidget, report: Path, lang: str, translated: bool
) -> int:
    # A loop of its own, never QApplication.quit(): a quit left pending would end every
    # later event loop of the same QApplication at once (tests run this in-process).
    app.setQuitOnLastWindowClosed(False)
    loop = QEventLoop()
    watcher = _FirstPaint(loop, window)
    app.installEventFilter(watcher)
    guard = QTimer()  # never hang a build: no paint in 2 min fails
    guard.setSingleShot(True)
    guard.timeout.connect(loop.quit)
    guard.start(120_000)
    loop.exec()
    guard.stop()
    app.removeEventFilter(watcher)
    menus = [a.text() for a in window.menuBar().actions()] if hasattr(window, "menuBar") else []
    facts = {
        "painted_at": watcher.painted_at,
        "visible": watcher.visible_then,
        "title": window.windowTitle(),
        "menus": menus,
        "lang": lang,
        "translations_loaded": translated,
        "missing_translations": list(missing_translations()),
        # A standard button's text comes from Qt's own catalogue (qtbase_ja), not PlanDesk's.
        "qt_cancel": app.translate(QT_BUTTONS, "Cancel"),
        "icon_sizes": [s.width() for s in app.windowIcon().availableSizes()],
        "frozen": bool(getattr(sys, "frozen", False)),
    }
    _write_smoke_report(report, facts)
    window.close()
    app.setQuitOnLastWindowClosed(True)
    return 0 if watcher.painted_at is not None and translated and facts["visible"] else 1


def _write_smoke_report(path: Path, facts: dict) -> None:
    path.write_text(json.dumps(facts, ensure_ascii=False, indent=1), encoding="utf-8")
