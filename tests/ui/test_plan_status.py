"""The plan's own approval through real widgets (Plan ▸ Plan approval…): the planner
submits (and undoes it), the branch head approves, the plan text is then locked, the
head reopens with a reason, and the change shows against the approved plan."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.domain.plan_review import PlanState
from desktop.ui.plan_status import PlanStatusDialog
from tests.helpers.plan_people import add_plan_people

SECTION = "2.II.3"


@pytest.fixture
def planner_window(qtbot, demo_db, settings):
    from desktop.ui.controller import ReportController
    from desktop.ui.main_window import MainWindow

    add_plan_people(demo_db)
    settings.set_last_report("planner", "13/2024/midyear")
    w = MainWindow(ReportController(demo_db, "planner", "ja"), settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _open(qtbot, window) -> PlanStatusDialog:
    action = window.findChild(type(window.undo_action), "planApprovalAction")
    action.trigger()
    dialog = window.findChild(PlanStatusDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_submit_undo_approve_reopen_and_see_the_change(qtbot, planner_window):
    window = planner_window
    widget = _open(qtbot, window).widget
    assert "作成中" in widget.state.text()
    assert widget.submit_button.isEnabled() and not widget.approve_button.isEnabled()

    qtbot.mouseClick(widget.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "承認待ち" in widget.state.text())
    assert not widget.submit_button.isEnabled()
    # The submitter takes it back with Edit ▸ Undo, and submits again with Redo.
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: widget.status.state is PlanState.DRAFT)
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: widget.status.state is PlanState.SUBMITTED)
    assert "企画 太郎" in widget.who.text()

    # The branch head takes the PC and approves, with the password.
    window.controller.set_actor("head")
    assert widget.approve_button.isEnabled() and widget.send_back_button.isEnabled()
    widget.ask_password = lambda who: "head-pass"
    qtbot.mouseClick(widget.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "承認済み" in widget.state.text())
    assert widget.reopen_button.isEnabled() and widget.diff_button.isEnabled()

    # Approved: the plan text is refused, with the reason.
    messages: list[str] = []
    window.controller.failed.connect(messages.append)
    old = window.controller.snapshot.plan.node(SECTION).plan_text
    assert not window.controller.set_plan_text(SECTION, old + "（追記）")
    assert messages and "承認済み" in messages[-1]

    # Reopened with a reason: the reason shows, the text goes in, the diff shows it.
    widget.ask_reason = lambda title, prompt: "目標の見直し"
    qtbot.mouseClick(widget.reopen_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: widget.status.state is PlanState.DRAFT)
    assert "目標の見直し" in widget.reason.text()
    assert window.controller.set_plan_text(SECTION, old + "（追記）")
    dialog = widget.show_changes()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    shown = dialog.view.toHtml()
    assert "（追記）" in shown and "#d4f4dd" in shown  # added, on green
    assert "2.II.3" in dialog.view.toPlainText()


def test_a_reason_is_required_to_send_back(qtbot, planner_window):
    window = planner_window
    widget = _open(qtbot, window).widget
    qtbot.mouseClick(widget.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: widget.status.state is PlanState.SUBMITTED)
    window.controller.set_actor("head")
    widget.ask_password = lambda who: "head-pass"
    widget.ask_reason = lambda title, prompt: "   "
    assert not widget.send_back()
    assert "理由" in widget.notice.text() and widget.status.state is PlanState.SUBMITTED
    widget.ask_reason = lambda title, prompt: "目標値を再検討"
    assert widget.send_back()
    qtbot.waitUntil(lambda: widget.status.state is PlanState.DRAFT)
    assert "目標値を再検討" in widget.reason.text()


def test_staff_of_another_group_cannot_submit(qtbot, demo_db, settings):
    from desktop.ui.controller import ReportController
    from desktop.ui.main_window import MainWindow

    add_plan_people(demo_db)
    settings.set_last_report("hoken", "13/2024/midyear")
    window = MainWindow(ReportController(demo_db, "hoken", "ja"), settings)
    qtbot.addWidget(window)
    window.show()
    widget = _open(qtbot, window).widget
    assert not widget.submit_button.isEnabled()
    assert "企画総務" not in widget.state.text()
