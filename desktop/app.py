"""The one place where the desktop app is wired together."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox

from desktop import __version__
from desktop.domain.errors import UserError
from desktop.error_log import log_hard_crashes
from desktop.paths import default_db_path, looks_like_network_path
from desktop.services import plans
from desktop.services.exchange import Expectation, Kind
from desktop.ui.controller import ReportController
from desktop.ui.crash_handler import CrashHandler
from desktop.ui.i18n import install_translators
from desktop.ui.import_dialog import ImportDialog, apply_choices, read_preview
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import APPLICATION, ORGANIZATION, Settings
from desktop.ui.start_dialog import StartDialog


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
    actor = controller.actor
    while not any(b != "00" for b, _y, _t in controller.read(plans.list_plans)):
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


def run(db: str | None = None, lang: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    settings = Settings()
    lang = lang or settings.language
    install_translators(app, lang)
    crashes = CrashHandler(lang)
    crashes.install()
    stop_fault_log = log_hard_crashes()  # a fault inside Qt still leaves a trace
    try:
        return _open_and_run(app, settings, crashes, db, lang)
    except Exception as exc:  # the start failed, or a window could not be built
        return crashes.say_fatal(exc)
    finally:
        crashes.uninstall()
        stop_fault_log()


def _open_and_run(
    app: QApplication, settings: Settings, crashes: CrashHandler, db: str | None, lang: str
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
    lock = QLockFile(str(path) + ".lock")
    lock.setStaleLockTime(0)
    if not lock.tryLock(200):
        QMessageBox.critical(
            None,
            "PlanDesk",
            app.translate("app", "This database is already open in another PlanDesk window."),
        )
        return 1
    try:
        database = plans.init_database(path)
    except UserError as exc:
        QMessageBox.critical(None, "PlanDesk", exc.message(lang))
        lock.unlock()
        return 1
    controller = ReportController(database, current_user(), lang)
    try:
        if not ensure_plans(controller):
            return 0
        settings.last_database = str(path)
        window = MainWindow(controller, settings)
        # After an unexpected error, what is being typed is stored before saying so.
        crashes.save_pending = window.form.flush
        window.show()
        return int(app.exec())
    finally:
        crashes.save_pending = None
        database.close()
        lock.unlock()
