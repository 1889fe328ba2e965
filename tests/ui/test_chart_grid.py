"""The charts' horizontal guide lines follow the value axis's labelled ticks."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication


def test_guide_lines_sit_on_the_labelled_ticks(qtbot, window):
    snap = window.controller.snapshot
    key = next(n.key for n in snap.plan.nodes if snap.plan.kpis_of(n.key))
    window.show_section(key)
    QApplication.processEvents()
    chart = window.form.kpi_chart
    view = chart.plot.getViewBox()
    (_x0, _x1), (y0, y1) = view.viewRange()
    major = chart.plot.getAxis("left").tickValues(y0, y1, view.height())[0][1]
    _xs, ys = chart.grid.getData()
    assert len(major) >= 2
    assert sorted(set(ys.tolist())) == sorted(major)
    assert not chart.plot.getAxis("left").grid  # pyqtgraph's own (slow) grid is off
