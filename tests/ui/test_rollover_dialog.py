"""Rolling Tokyo FY2024 into FY2025 from the dialog, then confirming a new KPI."""

from __future__ import annotations

from desktop.services import plans, rollover
from desktop.ui.controller import ReportController
from desktop.ui.rollover_dialog import RolloverDialog


def test_create_then_confirm(qtbot, demo_db):
    dialog = RolloverDialog(ReportController(demo_db, "planner", "en"), "13")
    qtbot.addWidget(dialog)
    dialog.create()
    assert dialog.result_ is not None and dialog.result_.fiscal_year == 2025
    assert "14,097円" in dialog.report.toPlainText()
    assert plans.get_plan(demo_db, "13", 2025).title
    before = dialog.pending.rowCount()
    assert before == len(rollover.pending_confirmations(demo_db, "13", 2025)) > 0
    dialog.pending.cellWidget(0, 3).click()
    assert dialog.pending.rowCount() == before - 1
    assert not dialog.create_button.isEnabled()


def test_a_second_rollover_is_refused_with_a_message(qtbot, demo_db, monkeypatch):
    rollover.roll_over(demo_db, "13", actor="p")
    warnings: list[str] = []
    monkeypatch.setattr(
        "desktop.ui.rollover_dialog.QMessageBox.warning",
        lambda _parent, _title, text: warnings.append(text),
    )
    dialog = RolloverDialog(ReportController(demo_db, "planner", "en"), "13")
    qtbot.addWidget(dialog)
    dialog.create()
    assert dialog.result_ is None and warnings and "2025" in warnings[0]
