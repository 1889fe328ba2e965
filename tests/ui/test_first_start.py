"""First start on an empty database: never an empty dead window."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from desktop.app import ensure_plans
from desktop.services import plans
from desktop.ui.controller import ReportController
from desktop.ui.start_dialog import StartDialog
from tests.ui.helpers import when_shown


def _click_when_shown(object_name: str, branch: str | None = None) -> None:
    """Answer the start dialog as a user would, once it is on screen."""

    def answer(dialog: StartDialog) -> None:
        if branch is not None:
            dialog.branch.setCurrentIndex(dialog.branch.findData(branch))
        dialog.findChild(QPushButton, object_name).click()

    when_shown(StartDialog, answer)


def test_empty_database_offers_the_demo(qtbot, db):
    _click_when_shown("openDemo")
    assert ensure_plans(ReportController(db, "tester", "ja"))
    listed = {(b, y) for b, y, _t in plans.list_plans(db)}
    assert {("13", 2023), ("13", 2024), ("00", 2025)} <= listed


def test_empty_database_offers_a_plan_from_the_hq_template(qtbot, db):
    _click_when_shown("fromTemplate", branch="08")
    assert ensure_plans(ReportController(db, "tester", "ja"))
    plan = plans.get_plan(db, "08", 2025)
    assert "茨城支部" in plan.title
    assert plan.kpis and not plan.reports


def test_database_with_a_plan_skips_the_dialog(qtbot, demo_db):
    assert ensure_plans(ReportController(demo_db, "tester", "ja"))  # returns at once, no dialog


def test_empty_database_starts_from_a_work_file(qtbot, db, demo_db, tmp_path):
    """A group's PC starts from the work file the planning staff sent."""
    from desktop.domain.model import PeriodKind
    from desktop.services import exchange
    from desktop.ui.import_dialog import ImportDialog

    out = exchange.export_workbook(
        demo_db, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR,
        kind=exchange.Kind.WORK, out=tmp_path, actor="planner", sections=["2.II.3"],
    ).path  # fmt: skip
    _click_when_shown("fromWorkbook")

    seen: list[bool] = []

    def accept_preview(dialog: ImportDialog) -> None:
        """The preview opens after the start dialog has closed."""
        seen.append(dialog.preview.creates_plan)
        dialog.ok.click()

    when_shown(ImportDialog, accept_preview)
    assert ensure_plans(ReportController(db, "hoken", "ja"), ask_file=lambda: str(out))
    assert seen == [True]
    assert plans.get_plan(db, "13", 2024).report(PeriodKind.MIDYEAR).entries
