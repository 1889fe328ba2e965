"""A typed figure is shown as typed, everywhere, and judged as typed (issue 12, B14)."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.domain.model import PeriodKind
from desktop.services.editing import ReportRef
from desktop.services.workspace import load_report
from desktop.ui.dashboard_model import COL as DCOL
from desktop.ui.kpi_model import COL

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)
SERVICE = "1.II.2.k1"  # サービススタンダードの達成状況: 100％, printed without decimals


def _type_value(window, qtbot, text: str) -> None:
    assert window.show_section("1.II.2")
    grid = window.form.kpi_view
    grid.setFocus()
    grid.setCurrentIndex(grid.model().index(window.form.kpi_model.row_of(SERVICE), COL["value"]))
    qtbot.keyClick(grid, Qt.Key.Key_9)
    editor = QApplication.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: grid.state() != grid.State.EditingState, timeout=10_000)


def _cell(window, column: str, role=Qt.ItemDataRole.DisplayRole):
    model = window.form.kpi_model
    return model.index(model.row_of(SERVICE), COL[column]).data(role)


def _dashboard(window, column: str) -> str:
    model = window.dashboard.model
    return model.index(model.row_of(SERVICE), DCOL[column]).data()


def test_98_4_is_shown_as_98_4_and_judged_1_6_points_short(window, qtbot, demo_db):
    _type_value(window, qtbot, "98.4")
    assert load_report(demo_db, REF).measurements[SERVICE].value == Decimal("98.4")
    assert _cell(window, "value") == "98.4％"
    assert _cell(window, "status") == "✖ 未達成  -1.6ポイント"
    assert "実績 98.4％" in _cell(window, "status", Qt.ItemDataRole.ToolTipRole)
    assert _cell(window, "target", Qt.ItemDataRole.ToolTipRole) is None  # no rule to show
    assert _dashboard(window, "actual") == "98.4％"
    assert _dashboard(window, "status") == "✖ 未達成  -1.6ポイント"


def test_a_kpi_judged_at_its_printed_precision_says_so(request, qtbot, demo_db, tmp_path: Path):
    con = sqlite3.connect(tmp_path / "demo.sqlite3")
    with con:
        con.execute("UPDATE kpis SET judged_decimals = 0 WHERE key = ?", (SERVICE,))
    con.close()
    window = request.getfixturevalue("window")
    assert window.show_section("1.II.2")
    assert window.controller.set_measurements([(SERVICE, {"value": "99.6"})]) is None
    assert _cell(window, "value") == "99.6％"
    assert _cell(window, "status") == "✔ 達成  +0ポイント（小数点以下を四捨五入して判定）"
    assert _cell(window, "target", Qt.ItemDataRole.ToolTipRole) == "小数点以下を四捨五入して判定"
    assert "小数点以下を四捨五入して判定" in _cell(window, "status", Qt.ItemDataRole.ToolTipRole)
