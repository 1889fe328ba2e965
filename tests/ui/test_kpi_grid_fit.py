"""The KPI grid is fitted to a section's content once, and again after a write."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.ui.kpi_model import COL, KpiTableModel


def _sizes(grid) -> tuple[list[int], list[int]]:
    model = grid.model()
    return (
        [grid.columnWidth(c) for c in range(model.columnCount()) if not grid.isColumnHidden(c)],
        [grid.rowHeight(r) for r in range(model.rowCount())],
    )


def test_a_section_shown_again_is_not_measured_again(window, monkeypatch):
    snap = window.controller.snapshot
    first, second = [n.key for n in snap.plan.nodes if snap.plan.kpis_of(n.key)][:2]
    grid = window.form.kpi_view
    calls = {"n": 0}
    real = KpiTableModel.data

    def counting(self, index, role=Qt.ItemDataRole.DisplayRole):
        calls["n"] += 1
        return real(self, index, role)

    monkeypatch.setattr(KpiTableModel, "data", counting)
    assert window.show_section(first)
    measured, fitted = calls["n"], _sizes(grid)
    assert window.show_section(second)
    calls["n"] = 0
    assert window.show_section(first)
    assert _sizes(grid) == fitted
    assert calls["n"] < measured / 4  # the sizes were kept, not measured cell by cell


def test_a_write_fits_the_grid_anew(window):
    snap = window.controller.snapshot
    kpi = next(k for k in snap.plan.kpis if "査定率" in k.name)
    others = [n.key for n in snap.plan.nodes if snap.plan.kpis_of(n.key)]
    other = next(key for key in others if key != kpi.node_key)
    assert window.show_section(kpi.node_key)
    grid = window.form.kpi_view
    model = grid.model()
    row = model.row_of(kpi.key)
    assert model.setData(model.index(row, COL["reason"]), "下期集計")
    assert window.show_section(other)
    assert window.show_section(kpi.node_key)
    before = grid.columnWidth(COL["reason"])
    long_reason = "本部からの確定値の提供が遅れているため下期に集計予定"
    assert model.setData(model.index(row, COL["reason"]), long_reason)
    assert window.show_section(other)
    assert window.show_section(kpi.node_key)
    assert not grid.isColumnHidden(COL["reason"])
    assert grid.columnWidth(COL["reason"]) > before  # measured again for the new text
