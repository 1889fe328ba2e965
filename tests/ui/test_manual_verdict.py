"""A goal in words (手動判定) judged by a person in the KPI grid: the verdict and its
required reason are entered through the status cell's dialog, stored as a report edit,
shown marked as a person's verdict (never like a computed one) and undone like any
edit. The other new kinds show their words in the grid too."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from desktop.domain.model import PeriodKind, ReportRef
from desktop.services import plans
from desktop.services.workspace import load_report
from desktop.ui.controller import ReportController
from desktop.ui.kpi_model import COL, ManualRole
from desktop.ui.main_window import MainWindow
from desktop.ui.manual_verdict import ManualVerdictDialog
from tests.helpers.target_plans import CHANGED, MANUAL, MONTHLY, MULTI_YEAR, REFERENCE, targets_plan
from tests.ui.helpers import choose, commit_text

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)


@pytest.fixture
def targets_window(qtbot, demo_db, settings):
    plan = targets_plan()
    report = plan.reports[0]
    figures = tuple(
        replace(m, manual_status=None, manual_reason=None) if m.kpi_key == MANUAL else m
        for m in report.measurements
    )
    plan = replace(plan, reports=(replace(report, measurements=figures),))
    plans.install_plan(demo_db, plan, actor="tester", replace=True)
    settings.set_last_report("tester", "13/2024/midyear")
    w = MainWindow(ReportController(demo_db, "tester", "ja"), settings)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    return w


def _grid(window, kpi_key: str):
    node = window.controller.snapshot.kpi(kpi_key).node_key
    assert window.show_section(node)
    model = window.form.kpi_model
    return window.form.kpi_view, model, model.row_of(kpi_key)


def _open_dialog(qtbot, grid, row) -> ManualVerdictDialog:
    index = grid.model().index(row, COL["status"])
    grid.scrollTo(index)
    centre = grid.visualRect(index).center()
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=centre)

    def shown() -> ManualVerdictDialog | None:
        found = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, ManualVerdictDialog) and w.isVisible()
        ]
        return found[0] if found else None

    qtbot.waitUntil(lambda: shown() is not None)
    dialog = shown()
    assert dialog is not None
    return dialog


def test_a_verdict_by_hand_with_its_reason_is_shown_distinctly_and_undone(
    targets_window, qtbot, demo_db
):
    window = targets_window
    grid, model, row = _grid(window, MANUAL)
    status = model.index(row, COL["status"])
    assert "実績なし" in model.data(status)  # no verdict yet: nothing computed instead
    assert not model.data(status, ManualRole)

    dialog = _open_dialog(qtbot, grid, row)
    choose(dialog.verdict, "met")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    ok.click()  # no reason yet: the dialog says so and stays
    assert dialog.isVisible()
    assert dialog.problem.text()  # "A verdict by hand needs a reason."
    assert load_report(demo_db, REF).measurements[MANUAL].manual_status is None
    dialog.reason.setFocus()
    commit_text(dialog.reason, "前年度の水準を2件上回った")
    ok.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())

    stored = load_report(demo_db, REF).measurements[MANUAL]
    assert (stored.manual_status, stored.manual_reason) == ("met", "前年度の水準を2件上回った")
    text = model.data(status)
    assert "達成" in text and "手動判定" in text
    assert model.data(status, ManualRole) is True
    assert model.data(status, Qt.ItemDataRole.FontRole).italic()
    tip = model.data(status, Qt.ItemDataRole.ToolTipRole)
    assert "手動判定" in tip and "前年度の水準を2件上回った" in tip
    # A computed verdict beside it looks the usual way.
    computed = model.index(model.row_of("2.II.2.k2"), COL["status"])
    assert not model.data(computed, ManualRole)
    assert model.data(computed, Qt.ItemDataRole.FontRole) is None

    window.controller.undo_stack.undo()
    qtbot.waitUntil(lambda: "手動判定" not in model.data(status))
    assert "実績なし" in model.data(status)
    assert load_report(demo_db, REF).measurements[MANUAL].manual_status is None
    window.controller.undo_stack.redo()
    qtbot.waitUntil(lambda: "手動判定" in model.data(status))
    assert load_report(demo_db, REF).measurements[MANUAL].manual_reason == (
        "前年度の水準を2件上回った"
    )


def test_a_computed_status_opens_no_verdict_dialog(targets_window, qtbot):
    grid, model, row = _grid(targets_window, MULTI_YEAR)
    assert not model.is_editable(row, COL["status"])
    index = model.index(row, COL["status"])
    centre = grid.visualRect(index).center()
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, ManualVerdictDialog)]


def test_the_new_kinds_show_their_words(targets_window, qtbot, demo_db):
    window = targets_window
    _grid_view, model, row = _grid(window, MULTI_YEAR)
    assert "令和11年度 62.0％以上" in model.data(model.index(row, COL["target"]))
    assert "1／6年" in model.data(model.index(row, COL["target"]), Qt.ItemDataRole.ToolTipRole)
    row = model.row_of(MONTHLY)
    assert model.data(model.index(row, COL["target"])) == "毎月 150％以上"
    assert "2／3か月達成" in model.data(model.index(row, COL["status"]))

    grid, model, row = _grid(window, CHANGED)
    old = model.index(row, COL["old_method"])
    assert not grid.isColumnHidden(COL["old_method"])
    assert model.data(old) == "99.1％"
    assert model.is_editable(row, COL["old_method"])
    assert model.setData(old, "９７．５")
    assert str(load_report(demo_db, REF).measurements[CHANGED].old_method_value) == "97.5"
    assert "旧算出方法 97.5％" in model.data(model.index(row, COL["status"]))

    grid, model, row = _grid(window, REFERENCE)
    status = model.index(row, COL["status"])
    assert "参考指標" in model.data(status)
    assert model.data(status, Qt.ItemDataRole.BackgroundRole).style() == Qt.BrushStyle.NoBrush
    assert "参考指標" in model.data(model.index(row, COL["name"]), Qt.ItemDataRole.ToolTipRole)
    assert grid.isColumnHidden(COL["old_method"])
