"""Plan ▸ Reference figures…: type last year's actual and a national rank in the table,
see where each came from, undo; HQ's pack figures are read-only."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from desktop.domain.model import Benchmark, PeriodKind, Source
from desktop.domain.reference import Field
from desktop.services import plans
from desktop.ui.reference_table import ReferenceDialog, SourceRole
from tests.ui.helpers import commit_text

KPI = "1.II.2.k2"  # 郵送化率: last year's actual 98.4 as the plan came
BLANK = "1.II.2.k1"  # サービススタンダード: no reference figure yet


def _open(qtbot, window) -> ReferenceDialog:
    window.findChild(type(window.undo_action), "referenceFiguresAction").trigger()
    dialog = window.findChild(ReferenceDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def _type(qtbot, dialog: ReferenceDialog, field: Field, text: str, kpi: str = KPI) -> None:
    view = dialog.table.view
    index = dialog.table.index_of(kpi, field)
    view.setCurrentIndex(index)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)
    # The editor open now (an earlier one may linger until deleted).
    editors = [e for e in view.findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1
    editor = editors[0]
    editor.selectAll()
    if text.isascii():
        qtbot.keyClicks(editor, text)
    else:  # Japanese arrives as an input-method commit (keyClicks would abort)
        commit_text(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_type_last_years_actual_and_a_rank_then_undo(qtbot, window):
    dialog = _open(qtbot, window)
    model = dialog.table.model
    actual = dialog.table.index_of(BLANK, Field.LAST_YEAR_ACTUAL)
    rank = dialog.table.index_of(BLANK, Field.NATIONAL_RANK)
    assert model.data(actual) is None and model.data(rank) is None

    _type(qtbot, dialog, Field.LAST_YEAR_ACTUAL, "97.9", BLANK)
    qtbot.waitUntil(lambda: "97.9％" in (model.data(actual) or ""))
    assert "〔入力〕" in model.data(actual) and model.data(actual, SourceRole) is Source.TYPED
    assert window.controller.snapshot.kpi(BLANK).last_year_actual == Decimal("97.9")

    _type(qtbot, dialog, Field.NATIONAL_RANK, "全国１２位", BLANK)
    qtbot.waitUntil(lambda: model.data(rank) is not None)
    assert model.data(rank).startswith(("12位", "No. 12")) and "〔入力〕" in model.data(rank)

    # Undo, in this window: the rank goes, then last year's actual.
    dialog.table.view.setFocus()
    qtbot.keyClick(dialog.table.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: model.data(rank) is None)
    dialog.table.undo_action.trigger()
    qtbot.waitUntil(lambda: model.data(actual) is None)
    assert window.controller.snapshot.kpi(BLANK).last_year_actual is None
    dialog.table.redo_action.trigger()
    qtbot.waitUntil(lambda: "97.9％" in (model.data(actual) or ""))


def test_typing_over_the_plans_figure_shows_it_as_typed(qtbot, window):
    dialog = _open(qtbot, window)
    model = dialog.table.model
    actual = dialog.table.index_of(KPI, Field.LAST_YEAR_ACTUAL)
    assert "98.4％" in model.data(actual) and "〔計画〕" in model.data(actual)
    _type(qtbot, dialog, Field.LAST_YEAR_ACTUAL, "97.9")
    qtbot.waitUntil(lambda: "97.9％" in (model.data(actual) or ""))
    assert "〔入力〕" in model.data(actual)


def test_a_bad_figure_is_refused_with_a_message(qtbot, window):
    dialog = _open(qtbot, window)
    _type(qtbot, dialog, Field.NATIONAL_RANK, "48")
    qtbot.waitUntil(lambda: "47" in dialog.table.message.text())
    assert dialog.table.model.data(dialog.table.index_of(KPI, Field.NATIONAL_RANK)) is None


def test_hqs_pack_figures_are_read_only(qtbot, demo_db, settings):
    from desktop.ui.controller import ReportController
    from desktop.ui.main_window import MainWindow

    plan = plans.get_plan(demo_db, "13", 2024)
    report = plan.report(PeriodKind.MIDYEAR)
    assert report is not None
    packed = replace(report, benchmarks=(Benchmark(KPI, Decimal("97.0"), 5, 47),))
    plans.install_plan(demo_db, replace(plan, reports=(packed,)), actor="t", replace=True)
    settings.set_last_report("tester", "13/2024/midyear")
    window = MainWindow(ReportController(demo_db, "tester", "ja"), settings)
    qtbot.addWidget(window)
    window.show()
    dialog = _open(qtbot, window)
    model = dialog.table.model
    rank = dialog.table.index_of(KPI, Field.NATIONAL_RANK)
    assert "5" in model.data(rank) and "〔本部提供〕" in model.data(rank)
    assert not model.flags(rank) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(rank, "3")
    # The plan's own figures stay editable beside it.
    actual = dialog.table.index_of(KPI, Field.LAST_YEAR_ACTUAL)
    assert model.flags(actual) & Qt.ItemFlag.ItemIsEditable
