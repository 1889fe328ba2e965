"""Live indicators, dashboard and charts on the demo, through real widgets."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from desktop.domain.achievement import Status
from desktop.domain.model import PeriodKind
from desktop.services.editing import ReportRef
from desktop.services.workspace import load_report
from desktop.ui.dashboard_model import COL as DCOL
from desktop.ui.dashboard_model import StatusRole
from desktop.ui.kpi_model import COL
from tests.ui.helpers import choose

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)


def kpi_key(window, name_part: str) -> str:
    return next(k.key for k in window.controller.snapshot.plan.kpis if name_part in k.name)


def dashboard_row(window, key: str) -> dict[str, str]:
    model = window.dashboard.model
    row = model.row_of(key)
    return {name: model.index(row, col).data() for name, col in DCOL.items()}


def grid_status(window, key: str) -> str:
    form = window.form
    return form.kpi_model.index(form.kpi_model.row_of(key), COL["status"]).data()


def test_demo_statuses_in_the_dashboard(window):
    post = dashboard_row(window, kpi_key(window, "郵送化率"))
    assert post["actual"] == "98.2％" and post["target"] == "対前年度以上（98.4％）"
    assert post["status"] == "✖ 未達成  -0.2ポイント"
    assert post["as_of"] == "令和6年6月" and post["group"] == "業務"
    assert dashboard_row(window, kpi_key(window, "査定率"))["status"].startswith("✔ 達成")
    bid = dashboard_row(window, kpi_key(window, "一者応札"))
    assert bid["status"] == "✔ 達成  -15ポイント" and bid["target"] == "15％以下"
    # FY2024's report prints no check-up rates yet: no data, not a guess.
    assert dashboard_row(window, kpi_key(window, "生活習慣病予防健診実施率"))["status"].startswith(
        "－ 実績なし"
    )
    assert dashboard_row(window, kpi_key(window, "健康宣言事業所数"))["actual"] == "2,719事業所"


def test_checkup_rates_are_judged_by_pace(window):
    choose(window.year_combo, 2023)
    row = dashboard_row(window, kpi_key(window, "生活習慣病予防健診実施率"))
    assert row["status"] == "↘ 遅れ  想定 15.0％, 年度末見込 33.6％"
    assert row["achievement"] == "14.0%"  # 8.4 / 59.9
    nav = window.navigator.model
    state = nav.itemFromIndex(nav.index_of("2.1.i").siblingAtColumn(2))
    assert state.text().endswith("↘")  # behind pace, not "not met"
    assert "想定 15.0％" in state.toolTip()


def test_filters_and_sorting(window):
    dash = window.dashboard
    proxy = dash.proxy
    assert proxy.rowCount() == 17
    choose(dash.status_filter, Status.NOT_MET.value)
    statuses = {proxy.index(r, 0).data(StatusRole) for r in range(proxy.rowCount())}
    assert statuses == {"not_met"} and proxy.rowCount() == 4
    choose(dash.status_filter, None)  # All
    choose(dash.pillar_filter, "3")
    assert proxy.rowCount() == 1
    choose(dash.pillar_filter, None)
    choose(dash.group_filter, "保健")
    assert proxy.rowCount() == 7
    choose(dash.group_filter, None)
    # Sorting by actual: numbers in order, blanks last both ways.
    dash.table.sortByColumn(DCOL["actual"], Qt.SortOrder.AscendingOrder)
    shown = [proxy.index(r, DCOL["actual"]).data() for r in range(proxy.rowCount())]
    assert shown[0] == "0％" and shown[-1] == ""
    dash.table.sortByColumn(DCOL["actual"], Qt.SortOrder.DescendingOrder)
    shown = [proxy.index(r, DCOL["actual"]).data() for r in range(proxy.rowCount())]
    assert shown[0] == "14,097円" and shown[-1] == ""
    dash.table.sortByColumn(DCOL["status"], Qt.SortOrder.AscendingOrder)
    assert proxy.index(0, 0).data(StatusRole) == "not_met"


def test_double_click_opens_the_section(window, qtbot):
    window.tabs.setCurrentIndex(1)
    dash = window.dashboard
    qtbot.waitUntil(dash.table.isVisible)
    key = kpi_key(window, "査定率")
    assert dash.select_kpi(key)
    index = dash.table.currentIndex()
    dash.table.scrollTo(index)
    rect = dash.table.visualRect(index)
    # A real double-click starts with a press: the view only reports a double
    # click on the cell that was pressed.
    qtbot.mouseClick(dash.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dash.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.tabs.currentIndex() == 0
    node = next(k.node_key for k in window.controller.snapshot.plan.kpis if k.key == key)
    assert window.navigator.current_key() == node


def test_typing_a_value_turns_it_met_everywhere_at_once(window, qtbot, demo_db):
    key = kpi_key(window, "郵送化率")
    window.dashboard.select_kpi(key)
    node = next(k.node_key for k in window.controller.snapshot.plan.kpis if k.key == key)
    assert window.show_section(node)
    form = window.form
    grid = form.kpi_view
    row = form.kpi_model.row_of(key)
    grid.setFocus()
    grid.setCurrentIndex(grid.model().index(row, COL["value"]))
    assert form.chart_kpi() == key
    this_year = form.kpi_chart.tr("This year")
    assert form.kpi_chart.line_data()[this_year][1] == [98.2]

    qtbot.keyClick(grid, Qt.Key.Key_9)
    editor = QApplication.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "98.5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: grid.state() != grid.State.EditingState, timeout=10_000)

    assert load_report(demo_db, REF).measurements[key].value == Decimal("98.5")
    assert grid_status(window, key) == "✔ 達成  +0.1ポイント"
    assert dashboard_row(window, key)["status"] == "✔ 達成  +0.1ポイント"
    assert form.kpi_chart.line_data()[this_year][1] == [98.5]
    # The dashboard's charts catch up when it is shown (its table row already has).
    window.tabs.setCurrentIndex(1)
    assert window.dashboard.kpi_chart.line_data()[this_year][1] == [98.5]
    # The navigator's KPI column for the section no longer shows a miss.
    nav = window.navigator.model
    item = nav.itemFromIndex(nav.index_of(node).siblingAtColumn(2))
    assert item.text() == "✔"


def test_suggested_mark_and_disagreement_warning(window, qtbot):
    choose(window.year_combo, 2023)
    form = window.form
    assert window.show_section("1.4")  # 柔道整復 0.84％ against ≤ 0.82％: not met
    assert "△" in form.suggested.text()
    form.mark.setCurrentIndex(form.mark.findData("◎"))
    form.mark.activated.emit(form.mark.currentIndex())
    assert form.mark_warning.isVisibleTo(form)
    assert "高く" in form.mark_warning.text()
    form.mark.setCurrentIndex(form.mark.findData("△"))
    form.mark.activated.emit(form.mark.currentIndex())
    assert not form.mark_warning.isVisibleTo(form)
    form.mark.setCurrentIndex(form.mark.findData("×"))
    form.mark.activated.emit(form.mark.currentIndex())
    assert "理由" in form.mark_warning.text()
    # An item marked under its heading's KPIs says whose figures it shows.
    choose(window.year_combo, 2024)
    item = window.controller.snapshot.plan.children("1.II.2")[0].key
    assert window.show_section(item)
    assert "（２）サービス水準の向上" in form.suggested.text()


def test_completeness_and_mark_counts_follow_edits(window):
    dash = window.dashboard
    window.tabs.setCurrentIndex(1)
    before = dash.completeness.value()
    window.tabs.setCurrentIndex(0)
    assert dash.completeness.maximum() == 86 and str(before) in dash.completeness.format()
    snap = window.controller.snapshot
    empty = next(
        n.key
        for n in snap.plan.nodes
        if n.parent_key and snap.plan.is_reportable(n.key) and not snap.entry(n.key).mark
    )
    window.controller.set_entry(empty, "status_text", "実施した。")
    window.controller.set_entry(empty, "mark", "○")
    window.tabs.setCurrentIndex(1)
    assert dash.completeness.value() == before + 1
    # While the dashboard is on screen, counts follow each edit directly.
    window.controller.set_entry(empty, "mark", None)
    assert dash.completeness.value() == before
    assert dash.tr("Marks per pillar") in dash.marks.text()


def test_monthly_figures_feed_the_chart(window, qtbot, demo_db):
    key = kpi_key(window, "生活習慣病予防健診実施率")
    node = next(k.node_key for k in window.controller.snapshot.plan.kpis if k.key == key)
    assert window.show_section(node)
    form = window.form
    assert form.chart_kpi() == key
    view = form.monthly_view
    view.setFocus()
    view.setCurrentIndex(form.monthly_model.index(0, 1))  # R6.5
    qtbot.keyClick(view, Qt.Key.Key_1)
    editor = QApplication.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "10.2")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState, timeout=10_000)
    assert load_report(demo_db, REF).monthly[key] == {2: Decimal("10.2")}
    this_year, pace = form.kpi_chart.tr("This year"), form.kpi_chart.tr("Expected pace")
    xs, ys = form.kpi_chart.line_data()[this_year]
    assert (xs, ys) == ([2.0], [10.2])
    assert len(form.kpi_chart.line_data()[pace][0]) == 12
    window.undo_action.trigger()
    assert load_report(demo_db, REF).monthly[key] == {}
    assert this_year not in form.kpi_chart.line_data()


def test_a_chart_draws_and_exports_a_png(window, tmp_path):
    window.tabs.setCurrentIndex(1)
    dash = window.dashboard
    dash.select_kpi(kpi_key(window, "郵送化率"))
    QApplication.processEvents()
    folder = tmp_path / "charts"
    folder.mkdir()
    path = dash.kpi_chart.export_png(folder / "chart.png")
    image = QImage(str(path))
    assert not image.isNull() and image.width() > 200 and image.height() > 100
    # Not a blank canvas: the chart's lines put more than one colour on it.
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)
    }
    assert len(colours) > 5
    assert list(folder.iterdir()) == [path]  # no temporary file left behind
    years = dash.years_chart
    assert "郵送化率" in years.title.text()
    assert years.axis.shown_labels() == [(1, "令和5年度"), (2, "令和6年度")]


def test_hover_shows_exact_value_and_as_of(window):
    window.tabs.setCurrentIndex(1)
    dash = window.dashboard
    dash.select_kpi(kpi_key(window, "郵送化率"))
    QApplication.processEvents()
    chart = dash.kpi_chart
    vb = chart.plot.getPlotItem().getViewBox()
    from PySide6.QtCore import QPointF

    at = vb.mapViewToScene(QPointF(3, 98.2))
    assert chart.point_near(at).text == "98.2％  令和6年6月時点  報告値"
    chart.plot.scene().sigMouseMoved.emit(at)  # what the scene says when the mouse moves
    assert chart.hover_label.text() == "98.2％  令和6年6月時点  報告値"
