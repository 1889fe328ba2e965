"""What becomes of an exception nobody caught: logged, said, and the app goes on.

PySide6 hands an exception raised in a slot, an event handler or a paint
override to ``sys.excepthook`` and carries on; Python threads hand theirs to
``threading.excepthook``. The default hooks print to a console the person does
not have (a windowed build has no stderr at all): the click would simply do
nothing. The CrashHandler takes both hooks. The details go to the error log in
the data folder (:mod:`desktop.error_log`); a dialog says what happened, whether
the last edits are saved, where the log is and what to do; and the window stays
open (the database is consistent: every write is one transaction).

The dialog is shown from the event loop, never from inside the hook: the hook
may run in a worker thread, or in the middle of a paint event. A bug that
fires on every repaint would otherwise bury the person in dialogs, so the same
failure (same type, same line) is said at most ``MAX_SAID`` times and logged at
most as often.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    Qt,
    QtMsgType,
    Signal,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.domain.errors import UserError
from desktop.error_log import STDERR, log_exception, log_note

MAX_SAID = 3  # dialogs (and log entries) for one and the same failure per session

Hook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def _signature(exc: BaseException) -> tuple[str, str, int]:
    """The failure's type and the line it was raised at: a repeat has the same."""
    frames = traceback.extract_tb(exc.__traceback__)
    last = frames[-1] if frames else None
    return (
        type(exc).__qualname__,
        last.filename if last else "",
        (last.lineno or 0) if last else 0,
    )


class CrashHandler(QObject):
    """Install once the QApplication exists; ``save_pending`` (the window's "store
    what is typed now") is set once there is a window to save from."""

    caught = Signal(object, object)  # the exception, the log's path (any thread → GUI)

    def __init__(self, lang: str = "ja", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.save_pending: Callable[[], bool] | None = None
        self.dialog: QMessageBox | None = None  # the one open now, if any
        self._lock = threading.Lock()
        self._count: dict[tuple[str, str, int], int] = {}
        self._previous: tuple[Hook, Callable[[threading.ExceptHookArgs], object]] | None = None
        self._previous_qt: object = None
        self._showing = False
        self._close_app: object = None  # the dialog's "Close PlanDesk" button
        self.caught.connect(self._say, Qt.ConnectionType.QueuedConnection)

    # --- the hooks ------------------------------------------------------------------------

    def install(self) -> None:
        if self._previous is not None:
            return
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_excepthook
        self._previous_qt = qInstallMessageHandler(self._qt_message)

    def uninstall(self) -> None:
        if self._previous is None:
            return
        sys.excepthook, threading.excepthook = self._previous
        self._previous = None
        qInstallMessageHandler(self._previous_qt)  # type: ignore[arg-type]
        self._previous_qt = None

    def _excepthook(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if isinstance(exc, KeyboardInterrupt):  # Ctrl+C in the terminal that started it
            QApplication.quit()
            return
        self.handle(exc.with_traceback(tb))

    def _thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or isinstance(args.exc_value, SystemExit):
            return
        self.handle(args.exc_value.with_traceback(args.exc_traceback))

    def _qt_message(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if kind == QtMsgType.QtFatalMsg:  # Qt aborts right after this: leave a trace
            where = f" ({context.file}:{context.line})" if context.file else ""
            log_note(f"Qt fatal error: {message}{where}")
        previous = self._previous_qt
        if callable(previous):
            previous(kind, context, message)
        elif sys.stderr is not None:
            sys.stderr.write(message + "\n")

    # --- logging and saying -----------------------------------------------------------------

    def handle(self, exc: BaseException) -> None:
        """Log ``exc`` and have the GUI thread say so. Safe from any thread; never raises."""
        try:
            signature = _signature(exc)
            with self._lock:
                seen = self._count[signature] = self._count.get(signature, 0) + 1
            if seen > MAX_SAID:
                if seen == MAX_SAID + 1:
                    kind, file, line = signature
                    log_note(f"{kind} again at {file}:{line}; further repeats are not logged")
                return
            where = "thread " + threading.current_thread().name
            log = log_exception(f"unhandled exception in the app ({where})", exc)
            self.caught.emit(exc, log)
        except Exception:  # the handler of last resort must not fail in turn
            log_exception("the crash handler failed")

    def _saved(self) -> bool | None:
        """Store what is still being typed. None: no window, nothing to save from."""
        if self.save_pending is None:
            return None
        try:
            return bool(self.save_pending())
        except Exception:
            log_exception("saving the pending edits after an unexpected error")
            return False

    def _say(self, exc: BaseException, log: Path) -> None:
        if self._showing:  # a second failure while the first is being said: logged only
            return
        self._showing = True
        try:
            self.dialog = self._dialog(exc, log, self._saved())
            self.dialog.finished.connect(self._closed)
            self.dialog.show()
        except Exception:
            self._showing = False
            log_exception("showing the unexpected-error dialog")

    def _closed(self, _result: int) -> None:
        self._showing = False
        dialog, self.dialog = self.dialog, None
        if dialog is not None and dialog.clickedButton() is self._close_app:
            QApplication.closeAllWindows()  # each window saves on closing

    def _dialog(self, exc: BaseException, log: Path, saved: bool | None) -> QMessageBox:
        # No parent: the window that was active may be a dialog about to close.
        box = QMessageBox(QMessageBox.Icon.Critical, self.tr("PlanDesk"), "")
        box.setObjectName("crashDialog")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.ApplicationModal)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if isinstance(exc, UserError):  # meant for the person, but nobody showed it
            box.setText(exc.message(self.lang))
        else:
            box.setText(
                self.tr(
                    "PlanDesk ran into an unexpected problem (an error in PlanDesk, "
                    "not something you did)."
                )
            )
        lines = []
        if saved is True:
            lines.append(
                self.tr("Your last edits are saved: PlanDesk stores every edit within a second.")
            )
        elif saved is False:
            lines.append(
                self.tr(
                    "What you typed last may not be saved: check the field you were typing "
                    "in before you go on."
                )
            )
        if log == STDERR:
            lines.append(self.tr("The details could not be written to the error log."))
        else:
            lines.append(self.tr("The details are in the error log:\n{path}").format(path=log))
        lines.append(
            self.tr(
                "You can keep working. If it happens again, close PlanDesk, start it again, "
                "and send the error log to your administrator."
            )
        )
        box.setInformativeText("\n\n".join(lines))
        keep = box.addButton(self.tr("Keep working"), QMessageBox.ButtonRole.AcceptRole)
        self._close_app = box.addButton(
            self.tr("Close PlanDesk"), QMessageBox.ButtonRole.DestructiveRole
        )
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        return box

    def say_fatal(self, exc: BaseException) -> int:
        """An exception that ended the app's start or its event loop: log it, say it
        (waiting for the person), and return the exit code."""
        log = log_exception("PlanDesk stopped", exc)
        box = QMessageBox(QMessageBox.Icon.Critical, self.tr("PlanDesk"), "")
        box.setObjectName("crashDialog")
        if isinstance(exc, UserError):
            box.setText(exc.message(self.lang))
        else:
            box.setText(self.tr("PlanDesk ran into an unexpected problem and has to close."))
        where = (
            self.tr("The details could not be written to the error log.")
            if log == STDERR
            else self.tr("The details are in the error log:\n{path}").format(path=log)
        )
        box.setInformativeText(
            where
            + "\n\n"
            + self.tr(
                "Start PlanDesk again. If it happens again, send the error log to your "
                "administrator."
            )
        )
        box.exec()
        return 1
