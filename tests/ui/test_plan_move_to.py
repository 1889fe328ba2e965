"""The planning window's Move to… (Ctrl+Shift+M) driven from the keyboard: a branch's
own item goes under another section as one undoable step and stays selected; a move
the service refuses (HQ's framework) is said once, in the window's line, and changes
nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.services import plan_exchange, plans
from desktop.ui.plan_editor import KEY_ROLE
from desktop.ui.plan_move_dialog import MoveToDialog
from tests.helpers.planning_window import go_to_node, open_planning_window
from tests.ui.helpers import places_saying, when_shown

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def editor(qtbot, demo_db, settings):
    from desktop.ui.controller import ReportController
    from desktop.ui.main_window import MainWindow

    plan_exchange.new_plan(demo_db, "08", 2025, actor="planner")
    settings.set_last_report("planner", "08/2025/midyear")
    window = MainWindow(ReportController(demo_db, "planner", "ja"), settings)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    return open_planning_window(qtbot, window)


def _add_own_under(qtbot, editor, parent: str) -> str:
    """Insert on ``parent`` in the tree: a new own node under it, its key."""
    go_to_node(qtbot, editor, parent)
    qtbot.keyClick(editor.tree, Qt.Key.Key_Insert)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.node_editor.title)
    key = editor.selected()[1]
    editor.tree.setFocus()
    qtbot.waitUntil(editor.tree.hasFocus)
    return key


def _move_with_keys(qtbot, editor, to: str) -> None:
    """Ctrl+Shift+M, then the arrow keys to ``to`` in the dialog's tree, then Enter."""

    def answer(dialog: MoveToDialog) -> None:
        qtbot.keyClick(dialog.places, Qt.Key.Key_Home)
        for _ in range(200):
            if dialog.chosen() == to:
                break
            qtbot.keyClick(dialog.places, Qt.Key.Key_Down)
        assert dialog.chosen() == to
        qtbot.keyClick(dialog.places, Qt.Key.Key_Return)

    when_shown(MoveToDialog, answer)
    qtbot.keyClick(editor.tree, Qt.Key.Key_M, CTRL | SHIFT)


def test_an_own_item_moves_to_another_section_undo_and_redo(qtbot, editor, demo_db):
    item = _add_own_under(qtbot, editor, "2.II")
    before = plans.get_plan(demo_db, "08", 2025)
    assert before.node(item).parent_key == "2.II"
    last_of_2_iii = len(before.children("2.III"))

    _move_with_keys(qtbot, editor, "2.III")
    qtbot.waitUntil(lambda: plans.get_plan(demo_db, "08", 2025).node(item).parent_key == "2.III")
    moved = plans.get_plan(demo_db, "08", 2025)
    assert [n.key for n in moved.children("2.III")][last_of_2_iii] == item  # last there
    assert editor.selected() == ("node", item)
    assert editor.tree.currentItem().parent().data(0, KEY_ROLE) == "2.III"
    assert editor.message.text() == ""

    stack = editor.controller.undo_stack
    editor.activateWindow()
    qtbot.waitUntil(editor.tree.hasFocus)
    count = stack.index()
    qtbot.keyClick(editor.tree, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: stack.index() == count - 1)
    assert plans.get_plan(demo_db, "08", 2025) == before
    assert editor.select(item)
    assert editor.tree.currentItem().parent().data(0, KEY_ROLE) == "2.II"

    qtbot.keyClick(editor.tree, Qt.Key.Key_Y, CTRL)
    qtbot.waitUntil(lambda: stack.index() == count)
    assert plans.get_plan(demo_db, "08", 2025) == moved


def test_a_refused_move_says_why_once_and_changes_nothing(qtbot, editor, demo_db):
    # An own item under an own subsection: HQ's subsections take no branch items.
    own_subsection = _add_own_under(qtbot, editor, "2.II")
    item = _add_own_under(qtbot, editor, own_subsection)
    go_to_node(qtbot, editor, item)
    before = plans.get_plan(demo_db, "08", 2025)
    undo_count = editor.controller.undo_stack.count()

    _move_with_keys(qtbot, editor, "2.II.1")
    qtbot.waitUntil(lambda: editor.message.text() != "")
    said = editor.message.text()
    assert "①保健事業の一層の推進" in said
    assert places_saying(said) == ["planMessage"]
    assert plans.get_plan(demo_db, "08", 2025) == before
    assert editor.controller.undo_stack.count() == undo_count
    assert editor.selected() == ("node", item)

    # HQ's section is not the branch's to move: the action is off, and said, if run.
    go_to_node(qtbot, editor, "2.I")
    assert not editor.actions["move_to"].isEnabled()
    when_shown(MoveToDialog, lambda dialog: dialog.accept())
    assert not editor.move_to()
    said = editor.message.text()
    assert "本部" in said and places_saying(said) == ["planMessage"]
    assert plans.get_plan(demo_db, "08", 2025) == before
