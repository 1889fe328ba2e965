"""Long work (export, import, consolidation) off the GUI thread, with a progress dialog.

The work function runs on a pool thread and must not touch widgets; its
result (or exception) comes back to the GUI thread through a queued signal.
The caller waits in a local event loop, so the window keeps painting and the
progress bar moves, and the code reads top to bottom like a plain call.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")
SHOW_AFTER_MS = 300  # quick work finishes before a dialog flickers up


class _Relay(QObject):
    done = Signal(object, object)  # result, exception
    step = Signal(int, int)  # done, total
    note = Signal(str)  # what the work is at (a file name)


class Cancelled(Exception):
    """The person cancelled the work (raised in the work's thread at its next step)."""


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.work = work
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.work()
        except BaseException as exc:  # handed to the GUI thread and re-raised there
            self._hand_over(None, exc)
        else:
            self._hand_over(result, None)

    def _hand_over(self, result: object, error: BaseException | None) -> None:
        with contextlib.suppress(RuntimeError):  # the receiver is gone (its window closed)
            self.relay.done.emit(result, error)


def run_with_progress(parent: QWidget | None, label: str, work: Callable[[], T]) -> T:
    """Run ``work`` on a pool thread while a busy progress dialog shows ``label``."""
    return run_with_steps(parent, label, lambda _report: work())


def run_with_steps(
    parent: QWidget | None,
    label: str,
    work: Callable[[Callable[..., None]], T],
    *,
    cancel_text: str | None = None,
) -> T:
    """Like run_with_progress, for work that can say how far it is: ``work`` gets a
    ``report(done, total, note="")`` function (callable from its thread) that moves
    the bar and shows ``note`` (what it is at: a file name) under ``label``.

    With ``cancel_text`` the dialog has a button of that name: once pressed, the
    work's next ``report`` raises ``Cancelled`` in its thread, and so does this
    call (work that must not stop half-way, such as a merge, passes none)."""
    relay = _Relay()
    loop = QEventLoop()
    outcome: dict[str, Any] = {}
    cancelled = threading.Event()

    def finished(result: object, error: object) -> None:
        outcome["result"], outcome["error"] = result, error
        loop.quit()

    relay.done.connect(finished, Qt.ConnectionType.QueuedConnection)
    dialog = QProgressDialog(label, cancel_text or "", 0, 0, parent)
    if cancel_text is None:
        dialog.setCancelButton(None)
    else:
        dialog.canceled.connect(cancelled.set)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoClose(False)
    dialog.setValue(0)

    def advance(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)

    def noted(note: str) -> None:
        dialog.setLabelText(f"{label}\n{note}")

    def report(done: int, total: int, note: str = "") -> None:
        if cancelled.is_set():
            raise Cancelled
        relay.step.emit(done, total)
        if note:
            relay.note.emit(note)

    relay.step.connect(advance, Qt.ConnectionType.QueuedConnection)
    relay.note.connect(noted, Qt.ConnectionType.QueuedConnection)
    QThreadPool.globalInstance().start(_Job(lambda: work(report), relay))
    # The result arrives queued, so only once the loop runs; the timer guards
    # against a lost signal (never wait forever).
    QTimer.singleShot(10 * 60 * 1000, loop.quit)
    loop.exec()
    dialog.close()
    dialog.deleteLater()
    error = outcome.get("error")
    if isinstance(error, BaseException):
        raise error
    if "result" not in outcome:
        raise TimeoutError("the background work did not finish")
    return outcome["result"]  # type: ignore[no-any-return]


def run_in_background(
    work: Callable[[], T],
    done: Callable[[T], None],
    failed: Callable[[BaseException], None],
    parent: QObject,
) -> None:
    """Run ``work`` on a pool thread without a dialog (work the person did not ask for,
    such as the daily backup); ``done(result)`` or ``failed(exception)`` is called on
    the GUI thread afterwards, unless ``parent`` is gone by then."""
    relay = _Relay(parent)

    def finished(result: object, error: object) -> None:
        relay.deleteLater()
        if isinstance(error, BaseException):
            failed(error)
        else:
            done(result)  # type: ignore[arg-type]

    relay.done.connect(finished, Qt.ConnectionType.QueuedConnection)
    QThreadPool.globalInstance().start(_Job(work, relay))
