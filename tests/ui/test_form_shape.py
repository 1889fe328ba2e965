"""Switching between sections whose forms differ in shape (report fields shown or
not, one KPI row or three) keeps the KPI chart's size and the form's width, so a
switch repaints the form instead of resizing the chart and re-wrapping every
field (issue 14 item 6: a switch within one frame)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication


class _Resizes(QObject):
    def __init__(self, watched: QObject) -> None:
        super().__init__()
        self.watched = watched
        self.count = 0

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.watched and event.type() == QEvent.Type.Resize:
            self.count += 1
        return False


def _settle(qtbot, window, key: str) -> None:
    assert window.show_section(key)
    for _ in range(20):
        QApplication.processEvents()
    assert window.form.node.key == key


def test_the_chart_keeps_its_size_across_sections_of_other_shapes(window, qtbot):
    plan = window.controller.snapshot.plan
    with_kpis = [n.key for n in plan.nodes if plan.kpis_of(n.key)]
    shapes = {(plan.is_reportable(k), len(plan.kpis_of(k))) for k in with_kpis}
    assert len(shapes) >= 4  # reported on or not, one to three KPI rows
    form = window.form
    _settle(qtbot, window, with_kpis[0])
    chart = form.kpi_chart
    size, viewport_width = chart.size(), form.viewport().width()
    resizes = _Resizes(chart)
    chart.installEventFilter(resizes)
    for key in with_kpis * 2:
        _settle(qtbot, window, key)
        assert (chart.size(), form.viewport().width()) == (size, viewport_width), key
    chart.removeEventFilter(resizes)
    assert resizes.count == 0
    # The chart, its month labels and the monthly row are whole on screen in a
    # section whose form fits the window.
    _settle(qtbot, window, "1.II.2")
    assert form.verticalScrollBar().maximum() == 0
    assert form.monthly_view.isVisible() and form.export_button.isVisible()
