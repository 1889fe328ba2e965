"""Pasting from Excel through the real clipboard and Ctrl+V (issue 12, B17).

Excel puts the copied rectangle on the clipboard as tab-separated text with
\\r\\n after every row — including the last — and a tab for every empty cell
of the selection, trailing ones too.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from desktop.domain.model import PeriodKind
from desktop.services.editing import ReportRef
from desktop.services.workspace import load_report
from desktop.ui.kpi_model import COL
from desktop.ui.kpi_view import parse_clipboard

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)


def _grid_at(window, qtbot, name_part: str, column: str):
    snap = window.controller.snapshot
    kpi = next(k for k in snap.plan.kpis if name_part in k.name)
    assert window.show_section(kpi.node_key)
    grid = window.form.kpi_view
    model = window.form.kpi_model
    grid.setFocus()
    qtbot.waitUntil(grid.hasFocus)
    grid.setCurrentIndex(model.index(model.row_of(kpi.key), COL[column]))
    return grid, kpi.key


def _paste(qtbot, grid, text: str) -> None:
    QGuiApplication.clipboard().setText(text)
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == text)
    qtbot.keyClick(grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_excel_rows_with_trailing_empty_cells_paste(window, qtbot, demo_db):
    # （４）: 査定率 and 査定額; numerator/denominator are hidden, so from 実績 the
    # columns are 実績, 時点, 速報値, 未入力の理由, 判定 (read-only) …
    grid, key = _grid_at(window, qtbot, "査定率", "value")
    model = window.form.kpi_model
    other = model.kpis[model.row_of(key) + 1].key
    _paste(qtbot, grid, "0.1\t令和6年9月\t\t\t\t\r\n9500\tR6.9\t\t\t\t\r\n")
    stored = load_report(demo_db, REF).measurements
    assert (str(stored[key].value), stored[key].as_of.iso()) == ("0.1", "2024-09")
    assert (str(stored[other].value), stored[other].as_of.iso()) == ("9500", "2024-09")
    message = window.form.kpi_message
    assert "4" in message.text() and message.property("failed") is False
    assert "#b3261e" not in message.styleSheet()  # not the red of an error


def test_a_refused_paste_is_shown_as_an_error(window, qtbot, demo_db):
    grid, key = _grid_at(window, qtbot, "査定率", "value")
    before = load_report(demo_db, REF).measurements[key]
    _paste(qtbot, grid, "0.1\t令和6年9月\t\t\t達成\r\n")  # text on the read-only 判定
    assert load_report(demo_db, REF).measurements[key] == before
    message = window.form.kpi_message
    assert message.property("failed") is True and "#b3261e" in message.styleSheet()


def test_clipboard_text_from_excel_is_split_as_excel_means_it():
    assert parse_clipboard("1\t2\t\t\r\n3\t\t\t\r\n\t\t\t\r\n") == [["1", "2"], ["3"]]
    assert parse_clipboard('"a\nb"\t\tc\t\r\n') == [["a\nb", "", "c"]]
    assert parse_clipboard("\r\n") == []
