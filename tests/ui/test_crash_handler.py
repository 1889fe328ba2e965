"""An exception nobody caught is logged to the error log in the data folder and
said in a dialog that tells what to do; the app keeps running.

pytest-qt normally takes every exception raised in a Qt callback and fails the
test with it. These tests raise on purpose, so they are marked
``qt_no_exception_capture`` (pytest-qt's documented switch): the app's own
crash handler is the one that receives them, as in the real app.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from desktop.domain.errors import UserError
from desktop.domain.model import PeriodKind, ReportRef
from desktop.error_log import log_path
from desktop.services.workspace import load_report
from desktop.store.database import backup_database
from desktop.ui.crash_handler import MAX_SAID, CrashHandler
from desktop.ui.i18n import install_translators
from desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_no_exception_capture


class Bug(Exception):
    pass


@pytest.fixture
def handler(qapp):
    crashes = CrashHandler("en")
    crashes.install()
    yield crashes
    crashes.uninstall()
    if crashes.dialog is not None:
        crashes.dialog.close()


def _raising_button(qtbot, message: str = "a bug in a slot") -> QPushButton:
    button = QPushButton("go")
    qtbot.addWidget(button)

    def broken() -> None:
        raise Bug(message)

    button.clicked.connect(broken)
    return button


def _log() -> str:
    return log_path().read_text(encoding="utf-8") if log_path().exists() else ""


def _keep_working(dialog: QMessageBox) -> None:
    next(b for b in dialog.buttons() if b.text() == "Keep working").click()


def test_an_exception_in_a_slot_is_logged_and_said_and_the_app_goes_on(handler, qtbot):
    button = _raising_button(qtbot)
    button.click()
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible())
    dialog = handler.dialog
    assert "Bug: a bug in a slot" in _log()  # type, message and traceback, for support
    assert "test_crash_handler.py" in _log()
    said = dialog.text() + dialog.informativeText()
    assert str(log_path()) in said
    assert "unexpected problem" in said and "keep working" in said
    assert "Traceback" not in said and "Bug" not in said  # no traceback reaches a person
    _keep_working(dialog)
    qtbot.waitUntil(lambda: handler.dialog is None)
    button.click()  # still running, and the next failure is said again
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible())
    assert _log().count("Bug: a bug in a slot") == 2


def test_close_plandesk_in_the_dialog_closes_the_windows(handler, qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    _raising_button(qtbot).click()
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible())
    next(b for b in handler.dialog.buttons() if b.text() == "Close PlanDesk").click()
    qtbot.waitUntil(lambda: not window.isVisible())


def test_an_exception_in_a_thread_is_said_on_the_gui_thread(handler, qtbot):
    def work() -> None:
        raise Bug("a bug in a worker thread")

    thread = threading.Thread(target=work, name="worker")
    thread.start()
    thread.join()
    assert "(thread worker)" in _log() and "a bug in a worker thread" in _log()
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible())
    assert handler.dialog.thread() is QApplication.instance().thread()


def test_a_user_error_nobody_showed_is_said_in_its_own_words(handler, qtbot):
    button = QPushButton()
    qtbot.addWidget(button)

    def refused() -> None:
        raise UserError("この操作はできません。", "This cannot be done.")

    button.clicked.connect(refused)
    button.click()
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible())
    assert handler.dialog.text() == "This cannot be done."
    assert str(log_path()) in handler.dialog.informativeText()


def test_a_failure_that_repeats_is_said_once_at_a_time_and_logged_a_few_times(handler, qtbot):
    button = _raising_button(qtbot, "on every repaint")
    for _ in range(MAX_SAID + 3):
        button.click()
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible())
    shown = [w for w in QApplication.topLevelWidgets() if w.objectName() == "crashDialog"]
    assert len([w for w in shown if w.isVisible()]) == 1
    assert _log().count("Bug: on every repaint") == MAX_SAID
    assert "further repeats are not logged" in _log()


def test_the_dialog_says_when_what_was_typed_could_not_be_saved(handler, qtbot):
    handler.save_pending = lambda: False  # the store refused the text being typed
    _raising_button(qtbot).click()
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible())
    assert "may not be saved" in handler.dialog.informativeText()


def _commit_text(widget, text: str) -> None:
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_what_is_being_typed_is_stored_before_the_dialog_says_it_is(
    handler, window, qtbot, demo_db
):
    handler.save_pending = window.form.flush  # as desktop/app.py wires it
    ref = ReportRef("13", 2024, PeriodKind.MIDYEAR)
    item = window.controller.snapshot.plan.children("1.II.4")[0].key  # has a status text
    assert window.show_section(item)
    field = window.form.status_text
    field.setFocus()
    _commit_text(field, "落ちる直前の入力")
    _raising_button(qtbot).click()
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible())
    assert "Your last edits are saved" in handler.dialog.informativeText()
    assert "落ちる直前の入力" in load_report(demo_db, ref).entries[item].status_text
    assert window.isVisible()


def test_a_failed_start_is_logged_and_said(handler, qtbot):
    seen: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if box is None:  # not shown yet: look again on the next turn of the loop
            QTimer.singleShot(0, read_and_close)
            return
        seen.append(box.text() + "\n" + box.informativeText())
        box.close()

    QTimer.singleShot(0, read_and_close)
    try:
        raise Bug("the window could not be built")
    except Bug as exc:
        code = handler.say_fatal(exc)
    assert code == 1
    assert "has to close" in seen[0] and str(log_path()) in seen[0]
    assert "the window could not be built" in _log()


def test_a_fatal_qt_error_leaves_its_message_and_a_traceback_in_the_log(tmp_path):
    """Qt aborts the process after a fatal message: only the log remains."""
    code = (
        "from PySide6.QtCore import qFatal\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from desktop.error_log import log_hard_crashes\n"
        "from desktop.ui.crash_handler import CrashHandler\n"
        "app = QApplication([])\n"
        "CrashHandler('en').install()\n"
        "log_hard_crashes()\n"
        "qFatal('the end of the world')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert done.returncode != 0
    log = _log()
    # PySide6 passes Python's own qFatal() on with a message of its own.
    assert "Qt fatal error: [A qFatal() call was made from Python code]" in log
    assert "Fatal Python error: Aborted" in log and "<string>" in log


# --- the app itself ----------------------------------------------------------------------------


@pytest.fixture
def app_settings(qapp, tmp_path: Path):
    """The app's QSettings in a temporary folder (the real entry point reads them)."""
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    qapp.setOrganizationName("PlanDesk")
    qapp.setApplicationName("PlanDesk")
    yield
    install_translators(qapp, "en")  # other modules expect no translator installed


def test_the_running_app_logs_and_says_an_unexpected_error(
    app_settings, _demo_template, tmp_path, qtbot
):
    """Started through the real entry point: a slot raises while the window is open."""
    from desktop.cli import main

    database = tmp_path / "app.sqlite3"
    backup_database(_demo_template, database)
    said: dict[str, object] = {}

    def broken() -> None:
        raise Bug("a bug while the window is open")

    def crash_dialog() -> QMessageBox | None:
        boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "crashDialog"]
        return next((b for b in boxes if b.isVisible()), None)

    def step() -> None:
        windows = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        if not windows:
            QTimer.singleShot(0, step)
            return
        window = windows[0]
        try:
            QTimer.singleShot(0, broken)
            qtbot.waitUntil(lambda: crash_dialog() is not None)
            box = crash_dialog()
            said["text"] = box.text() + "\n" + box.informativeText()
            box.defaultButton().click()  # keep working
            said["window open"] = window.isVisible()
        finally:
            # Closing the last window ends the app, as for a person; a quit() on top
            # would leave a second Quit event behind for the next test's event loops.
            window.close()
            window.deleteLater()

    QTimer.singleShot(0, step)
    assert main(["--db", str(database)]) == 0
    assert said["window open"] is True
    text = str(said["text"])
    assert str(log_path()) in text
    assert "保存" in text and "エラーログ" in text  # in the person's language (Japanese)
    assert "a bug while the window is open" in _log()
