"""HQ's planning mode, from the keyboard: HQ's FY2025 template is first in the branch
picker (本部テンプレート); the planning window opens it with HQ's own controls; HQ adds
a section and a KPI, sets Osaka's target for it in the grid of targets per branch
(Ctrl+T), and the plan `plandesk plan new` makes for Osaka afterwards takes it. A
branch's plan shows none of HQ's controls."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from desktop.services import plans
from desktop.ui.branch_targets_grid import BranchTargetsWindow
from tests.helpers.planning_window import focused, go_to_node, open_planning_window, type_and_store

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
OSAKA = "27"


@pytest.fixture
def window(qtbot, demo_db, settings):
    from desktop.ui.controller import ReportController
    from desktop.ui.main_window import MainWindow

    settings.set_last_report("hq", "13/2024/midyear")
    w = MainWindow(ReportController(demo_db, "hq", "ja"), settings)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    return w


def _choose_branch(qtbot, window, key: int) -> None:
    """Alt+B, then Home (HQ's template, first) or End (the last branch)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isAncestorOf(focused()))
    qtbot.keyClick(focused(), Qt.Key.Key_B, ALT)
    assert focused() is window.branch_combo
    qtbot.keyClick(window.branch_combo, key)


def test_hq_writes_its_template_and_a_branch_target(qtbot, window, demo_db, capsys):
    from desktop.cli import main

    combo = window.branch_combo
    assert combo.itemData(0) == "00" and combo.itemText(0) == window.tr("HQ template")
    _choose_branch(qtbot, window, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: window.controller.snapshot.ref.branch == "00")
    assert window.planning and not window.period_combo.isEnabled()  # no reports of its own

    editor = open_planning_window(qtbot, window)
    assert editor.buttons["add_pillar"].isVisibleTo(editor)
    assert editor.actions["targets"].isEnabled()
    assert not editor.tabs.isTabVisible(editor.tabs.indexOf(editor.approval_tab))
    go_to_node(qtbot, editor, "2")
    assert editor.node_editor.may_add.isVisibleTo(editor)

    qtbot.keyClick(editor.tree, Qt.Key.Key_Insert)  # a section under the pillar
    qtbot.waitUntil(lambda: focused() is editor.node_editor.title)
    section = editor.selected()[1]
    assert not editor.presenter.node(section).own  # HQ's framework, not 支部独自
    type_and_store(qtbot, "地域との協働")
    qtbot.keyClick(focused(), Qt.Key.Key_K, CTRL)
    qtbot.waitUntil(lambda: focused() is editor.kpi_editor.name)
    kpi = editor.selected()[1]
    type_and_store(qtbot, "協働事業の実施件数")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    type_and_store(qtbot, "件")
    for _ in range(4):  # decimals, direction, kind of target, target
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    type_and_store(qtbot, "10")
    qtbot.keyClick(focused(), Qt.Key.Key_W, ALT)  # Ne&w this year (新設)
    qtbot.waitUntil(lambda: editor.presenter.kpi(kpi).is_new)
    template = plans.get_plan(demo_db, "00", 2025)
    new = next(k for k in template.kpis if k.key == kpi)
    assert (new.name, new.unit, new.target, new.own) == ("協働事業の実施件数", "件", Decimal("10"), False)  # fmt: skip

    # Ctrl+T: the grid of targets per branch, with the new KPI as a column.
    qtbot.keyClick(focused(), Qt.Key.Key_T, CTRL)
    grid = editor.targets_window
    assert isinstance(grid, BranchTargetsWindow)
    qtbot.waitExposed(grid)
    grid.activateWindow()
    qtbot.waitUntil(lambda: focused() is grid.view)
    column = [k.key for k in grid.model.kpis].index(kpi)
    row = [b.code for b in grid.model.branches].index(OSAKA)
    while grid.view.currentIndex().column() < column:
        qtbot.keyClick(grid.view, Qt.Key.Key_Right)
    while grid.view.currentIndex().row() < row:
        qtbot.keyClick(grid.view, Qt.Key.Key_Down)
    qtbot.keyClick(grid.view, "1")  # typing on a cell starts editing it
    qtbot.waitUntil(lambda: isinstance(grid.view.focusWidget(), QLineEdit))
    cell = grid.view.focusWidget()
    qtbot.keyClicks(cell, "5")
    qtbot.keyClick(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: grid.model.kind(row, column) == "set")
    assert grid.model.text(row, column) == "15件以上" and grid.message.text() == ""

    # Osaka's plan made afterwards takes the section, the KPI and Osaka's target.
    db = str(demo_db.path)
    assert main(["plan", "new", "--db", db, "--branch", OSAKA, "--year", "2025"]) == 0
    capsys.readouterr()
    osaka = plans.get_plan(demo_db, OSAKA, 2025)
    taken = next(k for k in osaka.kpis if k.key == kpi)
    assert (taken.target, taken.is_new, taken.own) == (Decimal("15"), True, False)
    assert osaka.node(section).title == "地域との協働"

    # In a branch's plan HQ's controls are neither shown nor on; the node shown stays,
    # now with HQ's fields read-only (bound anew for the other plan).
    editor.activateWindow()
    editor.tree.setFocus()
    qtbot.waitUntil(editor.tree.hasFocus)
    go_to_node(qtbot, editor, "1.I")
    assert not editor.node_editor.title.isReadOnly()
    _choose_branch(qtbot, window, Qt.Key.Key_End)  # Tokyo (Osaka's plan came from the CLI)
    qtbot.waitUntil(lambda: window.controller.snapshot.ref.branch == "13")
    assert window.period_combo.isEnabled()
    for name in ("add_pillar", "targets"):
        assert not editor.buttons[name].isVisibleTo(editor)
        assert not editor.actions[name].isEnabled()
    assert editor.tabs.isTabVisible(editor.tabs.indexOf(editor.approval_tab))
    assert editor.add_pillar() is None and editor.message.text()
    assert editor.selected() == ("node", "1.I")
    assert editor.node_editor.title.isReadOnly() and not editor.node_editor.may_add.isVisibleTo(
        editor
    )
