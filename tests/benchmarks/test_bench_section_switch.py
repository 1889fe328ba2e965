"""How long switching sections takes on the demo data.

Run with: QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest tests/benchmarks --benchmark-enable
(the normal test run executes each benchmark once, as a smoke test).

Each switch checks that it happened — the form shows the section asked for — so a
switch that silently did nothing cannot pass as a fast one. Each is timed until Qt
is idle: one processEvents() handles the events posted before it, and a layout
there posts the next (a resize, a repaint), so the switch runs the event loop
until a round delivers no layout, resize, paint or timer event — the new section
laid out and painted as the user sees it.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

_BUSY = {
    QEvent.Type.LayoutRequest,
    QEvent.Type.Resize,
    QEvent.Type.UpdateRequest,
    QEvent.Type.Paint,
    QEvent.Type.Timer,
}


class _Busy(QObject):
    """Counts the layout, resize, paint and timer events Qt delivers."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() in _BUSY:
            self.count += 1
        return False


def _switcher(window, keys: list[str]):
    cycle = itertools.cycle(keys)
    shown: list[str] = []
    busy = _Busy()
    QApplication.instance().installEventFilter(busy)
    window.destroyed.connect(lambda *_a: QApplication.instance().removeEventFilter(busy))

    def switch() -> None:
        key = next(cycle)
        assert window.show_section(key)
        for _round in range(20):  # until idle: laid out and painted, as the user sees it
            busy.count = 0
            QApplication.processEvents()
            if not busy.count:
                break
        else:
            raise AssertionError("the window never came to rest after a switch")
        assert window.form.node is not None and window.form.node.key == key
        shown.append(key)

    return switch, shown


def _on_screen(window, key: str) -> None:
    """The form on screen is the section's: its title and its KPI rows."""
    plan = window.controller.snapshot.plan
    form = window.form
    assert window.navigator.current_key() == key
    assert form.title.text() == plan.node(key).display_title
    assert [form.kpi_model.kpis[r].key for r in range(form.kpi_model.rowCount())] == [
        k.key for k in plan.kpis_of(key)
    ]


def test_switch_section(benchmark, window):
    """Select the next section in the navigator and let Qt lay out and paint it."""
    keys = window.navigator.visible_keys()
    assert len(keys) > 20
    switch, shown = _switcher(window, keys)
    benchmark(switch)
    assert shown and len(set(shown)) == min(len(shown), len(keys))  # a new one each time
    _on_screen(window, shown[-1])


def test_switch_to_section_with_kpis(benchmark, window):
    snap = window.controller.snapshot
    with_kpis = [n.key for n in snap.plan.nodes if snap.plan.kpis_of(n.key)]
    assert len(with_kpis) > 1
    switch, shown = _switcher(window, with_kpis)
    benchmark(switch)
    assert shown
    _on_screen(window, shown[-1])
    form = window.form
    assert form.kpi_view.isVisible() and form.kpi_chart.isVisible()
    # The chart was redrawn for the section shown last, not left from an earlier one.
    first = snap.plan.kpis_of(shown[-1])[0]
    assert first.name in form.kpi_chart.title.text()
    assert form.kpi_chart.line_data()


def test_switch_between_sections_of_one_shape(benchmark, window):
    """Sections laid out alike (reported on or not, as many KPIs): what paging through
    neighbouring sections costs when the form's layout keeps its shape."""
    snap = window.controller.snapshot
    plan = snap.plan
    shapes: dict[tuple[bool, int], list[str]] = {}
    for node in plan.nodes:
        if plan.kpis_of(node.key):
            shape = (plan.is_reportable(node.key), len(plan.kpis_of(node.key)))
            shapes.setdefault(shape, []).append(node.key)
    alike = max(shapes.values(), key=len)
    assert len(alike) > 1
    switch, shown = _switcher(window, alike)
    benchmark(switch)
    assert shown
    _on_screen(window, shown[-1])
    assert window.form.kpi_chart.isVisible() and window.form.kpi_chart.line_data()
