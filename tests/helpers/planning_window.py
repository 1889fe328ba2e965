"""Driving the planning window (Plan ▸ Edit plan…) with the keyboard, as the
planning-window tests do."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.ui.main_window import MainWindow
from desktop.ui.plan_editor import PlanEditorWindow
from tests.ui.helpers import commit_text

CTRL = Qt.KeyboardModifier.ControlModifier


def open_planning_window(qtbot, window: MainWindow) -> PlanEditorWindow:
    """Ctrl+Shift+P, then the tree has the focus."""
    # A shortcut reaches the window once it is active with a widget holding the focus.
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isAncestorOf(QApplication.focusWidget()))
    qtbot.keyClick(window, Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)
    editor = window.plan_editor
    assert editor is not None
    qtbot.waitExposed(editor)
    editor.activateWindow()
    editor.tree.setFocus()
    qtbot.waitUntil(editor.tree.hasFocus)
    return editor


def go_to_node(qtbot, editor: PlanEditorWindow, key: str) -> None:
    """Walk the tree with the arrow keys to the node ``key``."""
    go_to(qtbot, editor, "node", key)


def go_to(qtbot, editor: PlanEditorWindow, kind: str, key: str) -> None:
    """Walk the tree with the arrow keys to the node or KPI ``key``."""
    qtbot.keyClick(editor.tree, Qt.Key.Key_Home)
    for _ in range(500):
        if editor.selected() == (kind, key):
            return
        qtbot.keyClick(editor.tree, Qt.Key.Key_Down)
    raise AssertionError(f"{kind} {key} not reached")


def focused():
    return QApplication.focusWidget()


def type_and_store(qtbot, text: str) -> None:
    """Type into the field with the focus and store it (Enter); Japanese text is
    committed as an input method does (keyClicks cannot type it)."""
    field = focused()
    field.selectAll()
    if text.isascii():
        qtbot.keyClicks(field, text)
    else:
        commit_text(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)
