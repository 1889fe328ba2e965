"""Undo and redo bring the place they change on screen and say what they did.

Issue 12, B15: a third Ctrl+Z silently reset a mark in a section nobody was
looking at. Each test edits in one section, moves to another, presses Ctrl+Z
on the window and expects the first section back in the form, the field (or
KPI cell) focused with its old value, and a status-bar sentence.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.domain.model import PeriodKind
from desktop.services.editing import ReportRef
from desktop.services.workspace import load_report
from desktop.ui.kpi_model import COL
from tests.ui.helpers import commit_text

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)
SECTION_A = "1.II.4.1"  # ①レセプト内容点検行動計画に基づく点検 (mark △)
SECTION_B = "1.I.1"  # ①支部評議会での保険料率に関する議論


def _ctrl(qtbot, window, key: Qt.Key) -> None:
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, key, Qt.KeyboardModifier.ControlModifier)


def _choose_mark(window, symbol: str) -> None:
    combo = window.form.mark
    index = combo.findData(symbol)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_undo_of_a_mark_in_another_section_goes_there(window, qtbot, demo_db):
    assert window.show_section(SECTION_A)
    title = window.controller.snapshot.plan.node(SECTION_A).display_title
    _choose_mark(window, "◎")
    assert load_report(demo_db, REF).entries[SECTION_A].mark == "◎"
    assert window.show_section(SECTION_B)
    window.form.status_text.setFocus()
    qtbot.waitUntil(lambda: window.form.status_text.hasFocus())

    _ctrl(qtbot, window, Qt.Key.Key_Z)

    assert load_report(demo_db, REF).entries[SECTION_A].mark == "△"
    assert window.navigator.current_key() == SECTION_A
    assert window.form.node.key == SECTION_A
    assert window.form.mark.currentData() == "△"
    assert window.form.mark.hasFocus()
    message = window.statusBar().currentMessage()
    assert message.startswith(window.controller.tr("Undone: {what}").split("{")[0])
    assert title in message

    # Redo goes there too, from wherever the person is now.
    assert window.show_section(SECTION_B)
    _ctrl(qtbot, window, Qt.Key.Key_Y)
    assert window.form.node.key == SECTION_A
    assert window.form.mark.currentData() == "◎"
    assert title in window.statusBar().currentMessage()


def test_undo_of_text_from_another_tab_shows_the_field(window, qtbot, demo_db):
    assert window.show_section(SECTION_A)
    field = window.form.status_text
    before = field.toPlainText()
    field.setFocus()
    field.moveCursor(field.textCursor().MoveOperation.End)
    commit_text(field, "追記")
    assert field.flush()
    assert window.show_section(SECTION_B)
    window.tabs.setCurrentIndex(1)  # the dashboard: the form is not even on screen
    # A search that hides the section does not stop undo from showing it.
    window.navigator.search.setText("存在しない語")

    window.undo_action.trigger()

    assert load_report(demo_db, REF).entries[SECTION_A].status_text == before
    assert window.tabs.currentIndex() == 0
    assert window.navigator.current_key() == SECTION_A
    assert window.form.status_text.toPlainText() == before
    assert window.form.status_text.hasFocus()


def test_undo_of_a_kpi_cell_selects_the_cell(window, qtbot, demo_db):
    snap = window.controller.snapshot
    kpi = next(k for k in snap.plan.kpis if "査定率" in k.name)
    assert window.show_section(kpi.node_key)
    model = window.form.kpi_model
    row = model.row_of(kpi.key)
    assert model.setData(model.index(row, COL["as_of"]), "令和6年9月")
    assert window.show_section(SECTION_B)

    _ctrl(qtbot, window, Qt.Key.Key_Z)

    assert load_report(demo_db, REF).measurements[kpi.key].as_of.iso() == "2024-05"
    grid = window.form.kpi_view
    assert window.form.node.key == kpi.node_key
    assert grid.hasFocus()
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (row, COL["as_of"])
    assert grid.currentIndex().data() == "令和6年5月"
    assert kpi.name in window.statusBar().currentMessage()


def test_undo_of_a_monthly_figure_selects_its_month(window, qtbot, demo_db):
    snap = window.controller.snapshot
    kpis = snap.plan.kpis_of("1.II.4")
    second = kpis[1]
    assert window.show_section("1.II.4")
    assert window.controller.set_monthly(second.key, 3, "9000") is None
    assert window.show_section(SECTION_B)

    _ctrl(qtbot, window, Qt.Key.Key_Z)

    assert load_report(demo_db, REF).monthly.get(second.key, {}).get(3) is None
    form = window.form
    assert form.chart_kpi() == second.key
    assert form.monthly_view.hasFocus()
    assert form.monthly_view.currentIndex().column() == 2


def test_undo_of_a_reference_figure_selects_the_column_that_shows_it(window, qtbot, demo_db):
    """A typed year-before's actual (Plan ▸ Reference figures…) has no grid column of its
    own: the undo shows its KPI's row in the last-year column (a KeyError before)."""
    kpi = "1.II.2.k1"
    node = window.controller.snapshot.kpi(kpi).node_key
    assert window.controller.set_reference(kpi, "prior_year_actual", "97.5")
    assert window.show_section(SECTION_B)
    _ctrl(qtbot, window, Qt.Key.Key_Z)
    qtbot.waitUntil(lambda: window.controller.snapshot.kpi(kpi).prior_year_actual is None)
    assert window.form.node.key == node
    assert window.form.kpi_view.currentIndex().column() == COL["last_year"]
