"""Keyboard-only work in the main window: Tab order, Alt+K, paging sections.

Issue 12, B18: an invisible Tab stop sat between the tree and the form, the KPI
grid was nine Tabs away, and the focus was lost after Ctrl+PageUp.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

CHECKUPS = "2.II.2"  # a section people report on, with three KPIs


def _tab_from(qtbot, widget, times: int) -> list:
    stops = []
    for _ in range(times):
        qtbot.keyClick(QApplication.focusWidget() or widget, Qt.Key.Key_Tab)
        stops.append(QApplication.focusWidget())
    return stops


def test_tab_from_the_tree_reaches_the_kpi_grid_through_visible_fields_only(window, qtbot):
    assert window.show_section(CHECKUPS)
    tree = window.navigator.tree
    tree.setFocus()
    qtbot.waitUntil(tree.hasFocus)
    stops = _tab_from(qtbot, tree, 6)
    form = window.form
    # Every stop is a field someone can see and use: not the form's scroll area.
    for widget in stops:
        assert widget is not form and widget.isVisible(), widget
    assert stops[0] is form.status_text
    # The mark's reason is a field of its own beside a mark set (issue 16 item 4).
    assert stops[1:3] == [form.mark, form.mark_reason], [w.objectName() for w in stops]
    assert form.kpi_view in stops[:5], [w.objectName() for w in stops]


def test_alt_k_goes_to_the_kpi_grid(window, qtbot):
    assert window.show_section(CHECKUPS)
    window.form.status_text.setFocus()
    qtbot.waitUntil(window.form.status_text.hasFocus)
    qtbot.keyClick(window.form.status_text, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    assert window.form.kpi_view.hasFocus()


def test_focus_stays_in_the_form_when_paging_sections(window, qtbot):
    assert window.show_section("1.II.4.1")
    form = window.form
    form.status_text.setFocus()
    qtbot.waitUntil(form.status_text.hasFocus)
    # Back to （４）, a heading with KPIs and no text fields: the focus goes to its grid.
    qtbot.keyClick(form.status_text, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.navigator.current_key() == "1.II.4"
    assert form.kpi_view.hasFocus()
    # On to ① again: the first field of the form.
    qtbot.keyClick(form.kpi_view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.navigator.current_key() == "1.II.4.1"
    assert form.status_text.hasFocus()
    # Between two sections that both have it, the same field keeps the focus.
    form.next_steps.setFocus()
    qtbot.waitUntil(form.next_steps.hasFocus)
    qtbot.keyClick(form.next_steps, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.navigator.current_key() == "1.II.4.2"
    assert form.next_steps.hasFocus()
