"""A refusal in a tab of the planning window is said once: by the tab that asked, not
also in the window's message line (nor in the main window's status bar). Every message
line used to listen to the controller's one ``failed`` signal, so each said it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from desktop.domain.plan_review import PlanState
from desktop.domain.reference import Field
from desktop.services import plan_exchange
from desktop.ui.plan_editor import PlanEditorWindow
from tests.helpers.plan_people import add_plan_people
from tests.helpers.planning_window import open_planning_window
from tests.ui.helpers import places_saying as _said

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


# --- the main window's section form ---------------------------------------------------------
# The form's KPI line listened to the controller's ``failed`` as the status bar did: a
# refusal of a figure typed in the form was said in both, and a refusal of anything
# else (a menu's) in the form's line too.


def test_a_refused_kpi_figure_is_said_once_by_the_form(qtbot, window):
    from desktop.ui.kpi_model import COL

    form = window.form
    kpi = next(k for k in window.controller.snapshot.plan.kpis if "郵送化率" in k.name)
    assert window.show_section(kpi.node_key)
    cell = form.kpi_model.index(form.kpi_model.row_of(kpi.key), COL["value"])
    assert not form.kpi_model.setData(cell, "98.4.1")  # as the grid's editor commits it
    said = form.kpi_message.text()
    assert "98.4.1" in said
    assert _said(said) == ["kpiMessage"]


def test_a_refused_monthly_figure_is_said_once_by_the_form(qtbot, window):
    form = window.form
    snap = window.controller.snapshot
    kpi = next(k for k in snap.plan.kpis if "郵送化率" in k.name)
    assert window.show_section(kpi.node_key)
    form.kpi_view.setCurrentIndex(form.kpi_model.index(form.kpi_model.row_of(kpi.key), 0))
    qtbot.waitUntil(lambda: form.monthly_model.kpi_key == kpi.key)
    column = next(c for c in range(12) if not form.monthly_model.is_reported(c))
    assert not form.monthly_model.setData(form.monthly_model.index(0, column), "abc")
    said = form.kpi_message.text()
    assert said and _said(said) == ["kpiMessage"]


def test_a_refusal_the_form_did_not_ask_for_is_not_said_there(window):
    window.controller.refuse("本部の設定により拒否されました。")
    assert _said("本部の設定により拒否されました。") == ["mainWindow status bar"]
    assert window.form.kpi_message.text() == ""
