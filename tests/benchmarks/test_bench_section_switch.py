"""How long switching sections takes on the demo data.

Run with: QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest tests/benchmarks --benchmark-enable
(the normal test run executes each benchmark once, as a smoke test).
"""

from __future__ import annotations

import itertools

from PySide6.QtWidgets import QApplication


def test_switch_section(benchmark, window):
    """Select the next section in the navigator and let Qt lay out and paint it."""
    keys = window.navigator.visible_keys()
    assert len(keys) > 20
    cycle = itertools.cycle(keys)

    def switch() -> None:
        window.show_section(next(cycle))
        QApplication.processEvents()  # layout and paint, as the user would see it

    benchmark(switch)


def test_switch_to_section_with_kpis(benchmark, window):
    snap = window.controller.snapshot
    with_kpis = [n.key for n in snap.plan.nodes if snap.plan.kpis_of(n.key)]
    assert with_kpis
    cycle = itertools.cycle(with_kpis)

    def switch() -> None:
        window.show_section(next(cycle))
        QApplication.processEvents()

    benchmark(switch)
