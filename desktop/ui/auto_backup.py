"""The app's own backups: one a day while it is open, and one when it closes.

The daily one is taken off the GUI thread (it reads a snapshot through SQLite's
online backup API and runs PlanDesk's check on the copy: a few tenths of a second
for a year's work, more for a large database), so typing goes on meanwhile; the
copy never touches the window's connection or its writes. Whether it is due is
asked once a minute after the start and then every hour: a day is a calendar day,
so a window left open overnight takes the next day's. A failure is said in the
status bar (until another message replaces it) and logged; the older backups stay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMainWindow

from desktop.domain.backup_policy import BackupKind
from desktop.domain.errors import UserError
from desktop.error_log import log_exception
from desktop.ui.controller import ReportController
from desktop.ui.tasks import run_in_background

if TYPE_CHECKING:
    from desktop.services.backups import Backup

FIRST_CHECK_MS = 60 * 1000  # not part of the start
CHECK_MS = 60 * 60 * 1000


class AutoBackup(QObject):
    taken = Signal(object)  # Backup
    failed = Signal(str)  # what went wrong, for the person at the PC

    def __init__(self, controller: ReportController, window: QMainWindow) -> None:
        # The application's, not the window's: the backup on closing comes after the
        # window (and the controller it owns) may be gone.
        super().__init__(QCoreApplication.instance())
        self.database = controller.database_path
        self.lang = controller.lang
        self.running = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.check)
        # A Qt slot of the status bar: disconnected by Qt when the window goes.
        self.failed.connect(window.statusBar().showMessage)

    def start(self, first_ms: int = FIRST_CHECK_MS) -> None:
        self.timer.start(first_ms)

    def check(self) -> bool:
        """Take today's backup in the background if it is due (True when started)."""
        from desktop.services import backups  # the store loads after the first paint

        self.timer.start(CHECK_MS)
        path = self.database
        if self.running or not backups.backup_due(path):
            return False
        self.running = True
        run_in_background(
            lambda: backups.take_backup(path, BackupKind.DAILY), self._done, self._failed, self
        )
        return True

    def _done(self, made: Backup) -> None:
        self.running = False
        self.taken.emit(made)

    def _failed(self, error: BaseException) -> None:
        self.running = False
        self.failed.emit(self._message(error))

    def _message(self, error: BaseException) -> str:
        if isinstance(error, UserError):
            return error.message(self.lang)
        log = log_exception("automatic backup", error)
        return self.tr("The automatic backup failed. Details: {log}").format(log=log)

    def on_close(self) -> str | None:
        """The backup taken when the app closes (after a daily one still running has
        finished); what went wrong, or None."""
        from desktop.services import backups

        self.timer.stop()
        QThreadPool.globalInstance().waitForDone()
        try:
            backups.take_backup(self.database, BackupKind.ON_CLOSE)
        except Exception as exc:  # said to the person; the older backups stay
            return self._message(exc)
        return None
