"""Text fields that store themselves.

A change is stored once the person pauses (default 700 ms, so always within
a second), when the field loses focus, and before the window closes. A
Japanese IME composition in progress is never stored: the pause timer waits
until the composition is committed. Ctrl+Z / Ctrl+Y are left to the
window's undo stack, which spans every field and the KPI grid.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QInputMethodEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

SAVE_DELAY_MS = 700  # the pause after which typing is stored: always within a second


def passes_undo_keys(event: QEvent, flush: Callable[[], object]) -> bool:
    """Ctrl+Z / Ctrl+Y belong to the window's undo actions, not to the field's own
    undo: True for such a shortcut (what is typed is stored first, the event left to
    the window)."""
    if (
        event.type() == QEvent.Type.ShortcutOverride
        and isinstance(event, QKeyEvent)
        and (
            event.matches(QKeySequence.StandardKey.Undo)
            or event.matches(QKeySequence.StandardKey.Redo)
        )
    ):
        flush()
        event.ignore()
        return True
    return False


class AutoSaveTextEdit(QPlainTextEdit):
    """A multi-line field whose text is handed to ``save`` after each pause."""

    pending = Signal(bool)  # True while an edit waits to be stored

    def __init__(self, parent: QWidget | None = None, delay_ms: int = SAVE_DELAY_MS) -> None:
        super().__init__(parent)
        self._save: Callable[[str], bool] | None = None
        self._stored = ""
        self._composing = False
        self._loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)
        self.setUndoRedoEnabled(False)  # the window's undo stack owns Ctrl+Z
        self.setTabChangesFocus(True)  # Tab moves on, as in every form
        self.textChanged.connect(self._on_text_changed)

    def bind(self, text: str, save: Callable[[str], bool] | None) -> None:
        """Show ``text`` (stored value) and send later edits to ``save``."""
        self.flush()
        self._save = save
        self.show_stored(text)
        self.setReadOnly(save is None)

    def show_stored(self, text: str) -> None:
        """Replace the shown text with a stored value (after undo, reload)."""
        self._stored = text
        if self.toPlainText() != text:
            self._loading = True
            cursor_pos = self.textCursor().position()
            self.setPlainText(text)
            cursor = self.textCursor()
            cursor.setPosition(min(cursor_pos, len(text)))
            self.setTextCursor(cursor)
            self._loading = False
        self._timer.stop()
        self.pending.emit(False)

    @property
    def is_dirty(self) -> bool:
        return self.toPlainText() != self._stored

    @property
    def save_delay_ms(self) -> int:
        """How long after the last keystroke the text is stored."""
        return self._timer.interval()

    @save_delay_ms.setter
    def save_delay_ms(self, delay_ms: int) -> None:
        self._timer.setInterval(delay_ms)

    @property
    def save_due(self) -> bool:
        """True while the pause runs: the shown text is stored when it ends."""
        return self._timer.isActive()

    def _on_text_changed(self) -> None:
        if self._loading or self._save is None:
            return
        self.pending.emit(self.is_dirty)
        self._timer.start()

    def flush(self) -> bool:
        """Store the shown text now if it differs; False if the store refused."""
        self._timer.stop()
        if self._composing or self._save is None or not self.is_dirty:
            return True
        text = self.toPlainText()
        ok = self._save(text)
        if ok:
            self._stored = text
        self.pending.emit(self.is_dirty)
        return ok

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        # Preedit text is the half-typed reading; only commits are content.
        self._composing = bool(event.preeditString())
        super().inputMethodEvent(event)
        if self._composing:
            self._timer.stop()
        elif self.is_dirty:
            self._timer.start()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if not self._composing:
            self.flush()

    def event(self, event: QEvent) -> bool:
        if passes_undo_keys(event, self.flush):
            return False
        return super().event(event)


class AutoSaveLineEdit(QLineEdit):
    """A one-line field stored after a pause (within a second), on Enter and when left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save: Callable[[str], bool] | None = None
        self._stored = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.textEdited.connect(lambda _t: self._timer.start())
        self.returnPressed.connect(self.flush)

    def bind(self, text: str, save: Callable[[str], bool] | None) -> None:
        self.flush()
        self._save = save
        self.show_stored(text)
        self.setReadOnly(save is None)

    def show_stored(self, text: str) -> None:
        self._stored = text
        if self.text() != text:
            self.setText(text)
        self._timer.stop()

    @property
    def is_dirty(self) -> bool:
        return self.text() != self._stored

    def flush(self) -> bool:
        self._timer.stop()
        if self._save is None or not self.is_dirty:
            return True
        text = self.text()
        ok = self._save(text)
        if ok:
            self._stored = text
        return ok

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.flush()

    def event(self, event: QEvent) -> bool:
        if passes_undo_keys(event, self.flush):
            return False
        return super().event(event)
