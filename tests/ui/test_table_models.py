"""Every table model of the window, tested without a window (as Vorta tests its
archive table model): a controller on the demo database, the model, and what it
answers through the Qt model API — no view, no widget.

Each model reads only the controller's snapshot, announces just the rows a change
record names (one dataChanged per row, never a reset for an edit), and hands what
is typed to the controller, keeping a refusal at its cell.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from PySide6.QtCore import QModelIndex, Qt

from desktop.domain.model import PeriodKind, ReportRef
from desktop.services.changes import Changes, EntryChanged, MeasurementChanged
from desktop.ui.controller import EditPlace, ReportController
from desktop.ui.dashboard_model import (
    COL as DASH_COL,
)
from desktop.ui.dashboard_model import (
    DashboardFilter,
    DashboardModel,
    KpiKeyRole,
    SortRole,
    StatusRole,
)
from desktop.ui.kpi_model import COL, ErrorRole, KpiTableModel
from desktop.ui.monthly_model import MonthlyModel
from desktop.ui.navigator import NavigatorModel, NodeKeyRole, ProgressRole

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)
SECTION = "2.II.3"
KPI = "2.II.3.k1"  # 被保険者の特定保健指導実施率, ％, one decimal, with a numerator
RATE = "1.II.1.k1"


class Rows:
    """The rows a model announced (dataChanged) and whether it was reset."""

    def __init__(self, model) -> None:
        self.rows: list[tuple[int, int]] = []
        self.resets = 0
        model.dataChanged.connect(lambda a, b, _roles=(): self.rows.append((a.row(), b.row())))
        model.modelReset.connect(self._reset)

    def _reset(self) -> None:
        self.resets += 1


@pytest.fixture
def controller(qapp, demo_db) -> ReportController:
    c = ReportController(demo_db, "tester", "ja")
    c.load(REF)
    return c


# --- the KPI grid -------------------------------------------------------------------------


@pytest.fixture
def kpi_model(controller) -> KpiTableModel:
    model = KpiTableModel(controller)
    model.set_kpis(controller.snapshot.plan.kpis_of(SECTION))
    return model


def test_kpi_model_shows_the_sections_kpis_from_the_snapshot(kpi_model):
    assert kpi_model.rowCount() == 2 and kpi_model.columnCount() == len(COL)
    name = kpi_model.index(0, COL["name"])
    assert "被保険者の特定保健指導実施率" in name.data()
    assert kpi_model.index(0, COL["reason"]).data() == "未確定"
    assert kpi_model.index(0, COL["value"]).data() == ""
    assert kpi_model.index(0, COL["status"]).data(Qt.ItemDataRole.ToolTipRole)
    assert kpi_model.headerData(COL["value"], Qt.Orientation.Horizontal) == "Actual"
    assert kpi_model.flags(kpi_model.index(0, COL["value"])) & Qt.ItemFlag.ItemIsEditable
    assert not kpi_model.flags(name) & Qt.ItemFlag.ItemIsEditable


def test_kpi_model_stores_what_is_typed_and_announces_only_its_row(controller, kpi_model):
    rows = Rows(kpi_model)
    assert kpi_model.setData(kpi_model.index(0, COL["value"]), "１２．５％")
    assert controller.snapshot.measurements[KPI].value == Decimal("12.5")
    assert kpi_model.index(0, COL["value"]).data() == "12.5％"
    assert rows.rows == [(0, 0)] and rows.resets == 0


def test_kpi_model_keeps_a_refusal_at_its_cell(controller, kpi_model):
    index = kpi_model.index(0, COL["value"])
    assert not kpi_model.setData(index, "abc")
    assert index.data(ErrorRole) and index.data(Qt.ItemDataRole.ToolTipRole) == index.data(
        ErrorRole
    )
    assert controller.snapshot.measurements[KPI].value is None  # nothing stored
    assert kpi_model.setData(index, "10")
    assert index.data(ErrorRole) is None


def test_kpi_model_read_only_offers_no_editing(kpi_model):
    kpi_model.read_only = True
    assert not kpi_model.flags(kpi_model.index(0, COL["value"])) & Qt.ItemFlag.ItemIsEditable
    assert not kpi_model.setData(kpi_model.index(0, COL["value"]), "10")


def test_kpi_model_ignores_other_reports_figures(controller, kpi_model):
    rows = Rows(kpi_model)
    stored = controller.snapshot.measurements[KPI]
    annual = ReportRef("13", 2024, PeriodKind.ANNUAL)
    controller.apply(Changes(records=(MeasurementChanged(annual, stored),)))
    assert rows.rows == []


# --- the dashboard's table ---------------------------------------------------------------------


@pytest.fixture
def dashboard_model(controller) -> DashboardModel:
    model = DashboardModel(controller)
    model.reload()
    return model


def test_dashboard_model_has_a_row_per_kpi_with_typed_sort_keys(controller, dashboard_model):
    plan = controller.snapshot.plan
    assert dashboard_model.rowCount() == len(plan.kpis)
    assert dashboard_model.columnCount() == len(DASH_COL)
    row = dashboard_model.row_of(KPI)
    assert dashboard_model.index(row, 0).data(KpiKeyRole) == KPI
    assert dashboard_model.index(row, DASH_COL["pillar"]).data(SortRole) == row
    assert dashboard_model.index(row, DASH_COL["actual"]).data(SortRole) is None
    assert dashboard_model.index(row, 0).data(StatusRole) == "no_data"


def test_dashboard_model_announces_one_row_per_figure_and_reloads_a_replaced_report(
    controller, dashboard_model
):
    rows = Rows(dashboard_model)
    stored = controller.snapshot.measurements[KPI]
    controller.apply(
        Changes(records=(MeasurementChanged(REF, replace(stored, value=Decimal("60.0"))),))
    )
    row = dashboard_model.row_of(KPI)
    assert rows.rows == [(row, row)] and rows.resets == 0
    assert dashboard_model.index(row, DASH_COL["actual"]).data() == "60.0％"
    controller.apply(Changes(reports=frozenset({REF})))  # e.g. national figures imported
    assert rows.resets == 1 and dashboard_model.rowCount() == len(controller.snapshot.plan.kpis)


def test_dashboard_filter_sorts_blanks_last_and_filters_by_status(qapp, dashboard_model):
    proxy = DashboardFilter()
    proxy.setSourceModel(dashboard_model)
    proxy.sort(DASH_COL["actual"], Qt.SortOrder.DescendingOrder)
    values = [proxy.index(r, DASH_COL["actual"]).data(SortRole) for r in range(proxy.rowCount())]
    numbers = [v for v in values if v is not None]
    assert numbers == sorted(numbers, reverse=True)
    assert values[: len(numbers)] == numbers  # blanks after the values
    proxy.set_filters(status="no_data")
    assert 0 < proxy.rowCount() < dashboard_model.rowCount()


# --- the monthly figures -------------------------------------------------------------------------


def test_monthly_model_stores_a_month_and_refuses_nonsense(controller):
    model = MonthlyModel(controller)
    model.set_kpi(KPI)
    assert model.rowCount() == 1 and model.columnCount() == 12
    assert model.headerData(0, Qt.Orientation.Horizontal)  # April's label
    rows = Rows(model)
    may = model.index(0, 1)
    assert model.setData(may, "3.5")
    assert controller.snapshot.monthly[KPI][2] == Decimal("3.5")
    assert may.data() == "3.5％" and rows.rows == [(0, 0)]
    assert not model.setData(may, "not a number")
    assert may.data(Qt.ItemDataRole.ToolTipRole)  # the reason, at the cell
    assert controller.snapshot.monthly[KPI][2] == Decimal("3.5")


def test_monthly_model_without_a_kpi_has_no_row(controller):
    model = MonthlyModel(controller)
    model.set_kpi(None)
    assert model.kpi_key is None and model.rowCount() == 0


# --- the navigator ------------------------------------------------------------------------------


def _row(model: NavigatorModel, key: str) -> list[object]:
    index = model.index_of(key)
    return [index.siblingAtColumn(c).data() for c in range(3)]


def test_navigator_model_builds_the_tree_and_follows_entry_records(controller):
    model = NavigatorModel()
    model.load(controller.snapshot)
    top = [model.index(r, 0, QModelIndex()).data(NodeKeyRole) for r in range(model.rowCount())]
    assert top == [n.key for n in controller.snapshot.plan.children(None)]
    assert model.index_of(SECTION).data(ProgressRole) == "empty"
    changed: list[int] = []
    model.itemChanged.connect(lambda item: changed.append(item.row()))
    entry = replace(controller.snapshot.entry(SECTION), status_text="実施", mark="○")
    controller.snapshot.entries[SECTION] = entry
    model.on_changed(Changes(records=(EntryChanged(REF, entry, "mark"),)))
    assert _row(model, SECTION)[1] == "○"
    assert model.index_of(SECTION).data(ProgressRole) == "complete"
    assert changed and set(changed) == {model.index_of(SECTION).row()}


def test_kpi_model_tips_name_each_reference_figure_with_its_source(controller):
    """Issue 15 item 3: typed through the controller, shown with where it came from."""
    from desktop.services import reference

    controller.run(
        lambda db: reference.set_reference_figure(
            db, REF, KPI, "national_average", "10.5", actor=controller.actor
        )
    )
    controller.run(
        lambda db: reference.set_reference_figure(
            db, REF, KPI, "prior_year_actual", "9.75", actor=controller.actor
        )
    )
    model = KpiTableModel(controller)  # the section form builds it from the snapshot
    model.set_kpis(controller.snapshot.plan.kpis_of(SECTION))
    tip = Qt.ItemDataRole.ToolTipRole
    assert model.index(0, COL["national_average"]).data() == "10.5％"
    assert model.index(0, COL["national_average"]).data(tip) == "全国平均 10.5％（入力）"
    assert "前々年度実績 9.75％（入力）" in model.index(0, COL["last_year"]).data(tip)
    assert model.index(0, COL["national_rank"]).data(tip) is None


def test_a_reference_figure_typed_through_the_controller_keeps_undo_and_repaints_its_row(
    controller,
):
    """Issue 15 item 3 follow-up: typing a reference figure folds it into the open
    report like a KPI figure: the earlier edit stays undoable, the grid's tooltip shows
    the new figure from a targeted dataChanged (no model reset), and the figure itself
    can be undone."""
    model = KpiTableModel(controller)
    model.set_kpis(controller.snapshot.plan.kpis_of(SECTION))
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    repainted: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, *_: repainted.append((a.row(), b.row())))
    snapshot = controller.snapshot
    assert controller.set_entry(SECTION, "status_text", "実施した")
    assert controller.undo_stack.count() == 1

    tip = Qt.ItemDataRole.ToolTipRole
    assert controller.set_reference(KPI, "prior_year_actual", "9.75")
    assert controller.set_reference(KPI, "national_average", "10.5")
    assert controller.snapshot is snapshot  # folded in, not read again
    assert controller.undo_stack.count() == 3
    assert controller.undo_stack.command(0).text() == controller.describe(
        EditPlace(SECTION, "status_text")
    )
    assert "前々年度実績 9.75％（入力）" in model.index(0, COL["last_year"]).data(tip)
    assert model.index(0, COL["national_average"]).data(tip) == "全国平均 10.5％（入力）"
    assert not resets and (0, 0) in repainted

    controller.undo_stack.undo()  # the national average typed last
    assert model.index(0, COL["national_average"]).data(tip) is None
    controller.undo_stack.undo()
    assert "前々年度実績" not in (model.index(0, COL["last_year"]).data(tip) or "")
    controller.undo_stack.undo()  # the entry typed before the figures
    assert controller.snapshot.entry(SECTION).status_text == ""
