"""From a committed KPI value to the updated status, dashboard row and chart.

Run with: QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest tests/benchmarks --benchmark-enable
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.services.changes import Changes, MeasurementChanged
from desktop.services.editing import ReportRef
from desktop.ui.kpi_model import COL


def _post_rate(window) -> tuple[str, object]:
    snap = window.controller.snapshot
    key = next(k.key for k in snap.plan.kpis if "郵送化率" in k.name)
    node = next(k.node_key for k in snap.plan.kpis if k.key == key)
    assert window.show_section(node)
    window.dashboard.select_kpi(key)
    form = window.form
    index = form.kpi_model.index(form.kpi_model.row_of(key), COL["value"])
    form.kpi_view.setCurrentIndex(index)
    return key, index


def _check(window, key: str, value: str) -> None:
    status = window.form.kpi_model.index(window.form.kpi_model.row_of(key), COL["status"]).data()
    assert status.startswith("✔" if value == "98.5" else "✖"), status
    ys = window.form.kpi_chart.line_data()[window.form.kpi_chart.tr("This year")][1]
    assert ys == [float(value)]


def test_commit_to_status_and_chart(benchmark, window):
    """The whole path after Enter: parse, store durably (one IMMEDIATE transaction
    with its audit entry, fsync), fold into the snapshot, update the grid, the
    dashboard row, both charts and the navigator, and paint."""
    key, index = _post_rate(window)
    values = itertools.cycle(["98.5", "98.2"])
    last = {}

    def commit() -> None:
        last["v"] = next(values)
        assert window.form.kpi_model.setData(index, last["v"], Qt.ItemDataRole.EditRole)
        QApplication.processEvents()

    benchmark(commit)
    _check(window, key, last["v"])


def test_change_signal_to_status_and_chart(benchmark, window):
    """The view side alone: from the stored change record to every view updated
    and painted (what the single signal path costs, without the disk)."""
    key, _index = _post_rate(window)
    snap = window.controller.snapshot
    stored = snap.measurements[key]
    from dataclasses import replace
    from decimal import Decimal

    ref = ReportRef("13", 2024, snap.ref.period)
    records = itertools.cycle(
        [
            MeasurementChanged(ref, replace(stored, value=Decimal("98.5"))),
            MeasurementChanged(ref, replace(stored, value=Decimal("98.2"))),
        ]
    )
    last = {}

    def announce() -> None:
        change = next(records)
        last["v"] = str(change.measurement.value)
        window.controller.apply(Changes(records=(change,)))
        QApplication.processEvents()

    benchmark(announce)
    _check(window, key, last["v"])
