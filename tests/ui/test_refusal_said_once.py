"""A refusal in a tab of the planning window is said once: by the tab that asked, not
also in the window's message line (nor in the main window's status bar). Every message
line used to listen to the controller's one ``failed`` signal, so each said it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from desktop.domain.plan_review import PlanState
from desktop.domain.reference import Field
from desktop.services import plan_exchange
from desktop.ui.plan_editor import PlanEditorWindow
from tests.helpers.plan_people import add_plan_people
from tests.helpers.planning_window import open_planning_window

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def editor(qtbot, demo_db, settings) -> PlanEditorWindow:
    from desktop.ui.controller import ReportController
    from desktop.ui.main_window import MainWindow

    add_plan_people(demo_db)
    plan_exchange.new_plan(demo_db, "27", 2025, actor="planner")
    settings.set_last_report("planner", "27/2025/midyear")
    window = MainWindow(ReportController(demo_db, "planner", "ja"), settings)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    assert window.controller.snapshot.ref.branch == "27"
    return open_planning_window(qtbot, window)


def _said(text: str) -> list[str]:
    """Every place on screen that says ``text``: labels and status bars (a window's
    children include the windows it owns: each label counted once)."""
    labels: dict[int, QLabel] = {}
    places = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        labels |= {id(label): label for label in top.findChildren(QLabel)}
        bar = getattr(top, "statusBar", None)
        if bar is not None and text in bar().currentMessage():
            places.append(f"{top.objectName()} status bar")
    for label in labels.values():
        if label.isVisible() and text in label.text():
            places.append(label.objectName() or type(label).__name__)
    return places


def _show_tab(qtbot, editor: PlanEditorWindow, tab) -> None:
    editor.tree.setFocus()
    while editor.tabs.currentWidget() is not tab:
        qtbot.keyClick(editor.tabs, Qt.Key.Key_Tab, CTRL)
    qtbot.waitUntil(lambda: tab.widget is not None and tab.widget.isVisible())


def test_a_refused_reference_figure_is_said_once(qtbot, editor):
    _show_tab(qtbot, editor, editor.reference_tab)
    table = editor.reference_tab.widget
    kpi = editor.controller.snapshot.plan.kpis[0].key
    table.view.setCurrentIndex(table.index_of(kpi, Field.NATIONAL_RANK))
    table.view.setFocus()
    qtbot.keyClick(table.view, Qt.Key.Key_F2)
    (field,) = [e for e in table.view.findChildren(QLineEdit) if e.isVisible()]
    qtbot.keyClicks(field, "abc")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.message.text() != "")
    assert _said(table.message.text()) == ["referenceMessage"]
    assert editor.message.text() == ""


def test_a_refused_plan_step_is_said_once(qtbot, editor):
    _show_tab(qtbot, editor, editor.approval_tab)
    status = editor.approval_tab.widget
    qtbot.keyClick(editor.tabs, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # &Submit plan
    qtbot.waitUntil(lambda: status.status.state is PlanState.SUBMITTED)
    editor.controller.set_actor("head")
    status.ask_password = lambda _who: "head-pass"
    status.ask_reason = lambda _title, _prompt: "   "  # a send-back needs a reason
    assert not status.send_back()
    reason = status.notice.text().removeprefix("✖").strip()
    assert "理由" in reason
    assert _said(reason) == ["planStatusNotice"]
    assert editor.message.text() == ""
