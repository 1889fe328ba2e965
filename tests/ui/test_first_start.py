"""First start on an empty database: never an empty dead window."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from desktop.app import ensure_plans
from desktop.services import plans
from desktop.ui.start_dialog import StartDialog


def _click_when_shown(object_name: str, branch: str | None = None) -> None:
    """Answer the modal dialog as a user would, once it is on screen."""

    def answer() -> None:
        dialog = next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, StartDialog) and w.isVisible()
        )
        if branch is not None:
            dialog.branch.setCurrentIndex(dialog.branch.findData(branch))
        dialog.findChild(QPushButton, object_name).click()

    QTimer.singleShot(50, answer)


def test_empty_database_offers_the_demo(qtbot, db):
    _click_when_shown("openDemo")
    assert ensure_plans(db, "tester", "ja")
    listed = {(b, y) for b, y, _t in plans.list_plans(db)}
    assert {("13", 2023), ("13", 2024), ("00", 2025)} <= listed


def test_empty_database_offers_a_plan_from_the_hq_template(qtbot, db):
    _click_when_shown("fromTemplate", branch="08")
    assert ensure_plans(db, "tester", "ja")
    plan = plans.get_plan(db, "08", 2025)
    assert "茨城支部" in plan.title
    assert plan.kpis and not plan.reports


def test_database_with_a_plan_skips_the_dialog(qtbot, demo_db):
    assert ensure_plans(demo_db, "tester", "ja")  # returns at once, no dialog
