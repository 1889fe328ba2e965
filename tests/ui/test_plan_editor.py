"""The planning window driven from the keyboard: a branch plan made from HQ's FY2025
template (the `plandesk plan new` service) gets its own section with a plan text and
a KPI with a target; the navigator shows it as 支部独自; undo takes it all back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop.services import plan_exchange, plans
from tests.helpers.planning_window import focused, go_to_node, open_planning_window
from tests.ui.helpers import commit_text, when_shown

CTRL = Qt.KeyboardModifier.ControlModifier
PILLAR = "2"


@pytest.fixture
def branch_window(qtbot, demo_db, settings):
    from desktop.ui.controller import ReportController
    from desktop.ui.main_window import MainWindow

    plan_exchange.new_plan(demo_db, "08", 2025, actor="planner")
    settings.set_last_report("planner", "08/2025/midyear")
    w = MainWindow(ReportController(demo_db, "planner", "ja"), settings)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    assert w.controller.snapshot.ref.branch == "08"
    return w


def test_a_branch_writes_its_own_section_and_kpi_with_the_keyboard(qtbot, branch_window, demo_db):
    before = plans.get_plan(demo_db, "08", 2025)
    editor = open_planning_window(qtbot, branch_window)
    go_to_node(qtbot, editor, PILLAR)

    qtbot.keyClick(editor.tree, Qt.Key.Key_Insert)  # a section under the pillar
    qtbot.waitUntil(lambda: focused() is editor.node_editor.title)
    section = editor.selected()[1]
    assert editor.presenter.node(section).own
    commit_text(editor.node_editor.title, "茨城独自の健康づくり")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)  # group
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)  # plan text
    assert focused() is editor.node_editor.plan_text
    commit_text(editor.node_editor.plan_text, "県と協働して健康づくりを進める。")
    qtbot.waitUntil(
        lambda: editor.presenter.node(section).plan_text == "県と協働して健康づくりを進める。"
    )

    qtbot.keyClick(focused(), Qt.Key.Key_K, CTRL)  # a KPI of the section
    qtbot.waitUntil(lambda: focused() is editor.kpi_editor.name)
    kpi = editor.selected()[1]
    commit_text(editor.kpi_editor.name, "健康づくり講座の開催回数")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)  # unit
    commit_text(focused(), "回")
    for _ in range(4):  # decimals, direction, kind of target, target
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is editor.kpi_editor.target
    qtbot.keyClicks(focused(), "12")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)

    stored = plans.get_plan(demo_db, "08", 2025)
    (k,) = stored.kpis_of(section)
    assert (k.key, k.name, k.unit, k.target, k.own) == (
        kpi, "健康づくり講座の開催回数", "回", Decimal("12"), True,
    )  # fmt: skip
    node = stored.node(section)
    assert (node.title, node.own, node.parent_key) == ("茨城独自の健康づくり", True, PILLAR)
    # The tree and the main window's navigator show it, tagged 支部独自.
    own = editor.tr("[own]")  # 【支部独自】 in Japanese (no translator in these tests)
    assert own in (editor.item_text(section) or "")
    navigator = branch_window.navigator
    row = navigator.model.index_of(section)
    assert row.data().startswith("茨城独自の健康づくり") and own in row.data()

    # Undo, from the planning window, takes everything back in turn.
    editor.activateWindow()
    editor.tree.setFocus()
    stack = branch_window.controller.undo_stack
    while stack.canUndo():
        count = stack.index()
        qtbot.keyClick(editor.tree, Qt.Key.Key_Z, CTRL)
        qtbot.waitUntil(lambda c=count: stack.index() == c - 1)
    assert plans.get_plan(demo_db, "08", 2025) == before
    assert not navigator.model.index_of(section).isValid()
    assert editor.item_text(section) is None


def test_remove_asks_first_and_undo_restores(qtbot, branch_window, demo_db):
    editor = open_planning_window(qtbot, branch_window)
    go_to_node(qtbot, editor, PILLAR)
    qtbot.keyClick(editor.tree, Qt.Key.Key_Insert)
    qtbot.waitUntil(lambda: focused() is editor.node_editor.title)
    section = editor.selected()[1]
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    commit_text(editor.node_editor.plan_text, "計画")
    editor.tree.setFocus()
    editor.select(section)
    before = plans.get_plan(demo_db, "08", 2025)

    when_shown(QMessageBox, lambda box: qtbot.keyClick(box, Qt.Key.Key_Y))
    qtbot.keyClick(editor.tree, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: editor.item_text(section) is None)
    editor.activateWindow()  # back from the question
    qtbot.waitUntil(editor.isActiveWindow)
    qtbot.keyClick(editor.tree, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: editor.item_text(section) is not None)
    assert plans.get_plan(demo_db, "08", 2025) == before

    # HQ's own sections are not the branch's to remove: said, nothing asked.
    go_to_node(qtbot, editor, "2.I")
    assert not editor.actions["remove"].isEnabled()
    assert not editor.remove() and editor.message.text()


def test_undo_of_a_removal_brings_back_what_was_entered_exactly(qtbot, demo_db):
    """Through the controller's one undo stack: remove a section holding a status
    text, a mark and a KPI figure; undo, redo, undo — the plan and its reports are as
    they were, and the undo history survived each structure change."""
    from desktop.domain.model import PeriodKind, ReportRef
    from desktop.services.plan_editing import KpiDraft
    from desktop.ui.controller import ReportController
    from desktop.ui.plan_presenter import PlanEditPresenter

    controller = ReportController(demo_db, "tester", "ja")
    controller.load(ReportRef("13", 2024, PeriodKind.MIDYEAR))
    presenter = PlanEditPresenter(controller)
    section = presenter.add_node(PILLAR, "独自の取組")
    kpi = presenter.add_kpi(section, KpiDraft(name="件数", unit="件", target="5"))
    assert section and kpi
    assert controller.set_entry(section, "status_text", "実施した")
    assert controller.set_entry(section, "mark", "○")
    assert controller.set_measurements([(kpi, {"value": "7"})]) is None
    before = plans.get_plan(demo_db, "13", 2024)
    depth = controller.undo_stack.count()

    assert presenter.remove("node", section)
    assert section not in {n.key for n in plans.get_plan(demo_db, "13", 2024).nodes}
    controller.undo_stack.undo()
    assert plans.get_plan(demo_db, "13", 2024) == before
    assert controller.snapshot.entry(section).status_text == "実施した"
    assert controller.snapshot.measurements[kpi].value == Decimal("7")
    controller.undo_stack.redo()
    assert section not in {n.key for n in plans.get_plan(demo_db, "13", 2024).nodes}
    controller.undo_stack.undo()
    assert plans.get_plan(demo_db, "13", 2024) == before
    assert controller.undo_stack.count() == depth + 1  # nothing before it was lost
