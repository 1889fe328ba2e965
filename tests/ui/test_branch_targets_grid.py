"""HQ's grid of targets per branch × KPI: opened from the Plan menu for HQ's
template (the open plan's year); typing, a block pasted from Excel (all or
nothing), undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit

from desktop.services import branch_targets
from desktop.store.models import AuditRow
from desktop.ui.branch_targets_grid import KIND_ROLE, BranchTargetsWindow

YEAR = 2025
OSAKA, HYOGO, NARA = "27", "28", "29"
RATE_A, RATE_B = (
    "2.II.2.k2",
    "2.II.2.k3",
)  # 生活習慣病予防健診実施率, 事業者健診データ取得率 (％, 以上)


@pytest.fixture
def hq_window(qtbot, demo_db, settings):
    from desktop.ui.controller import ReportController
    from desktop.ui.main_window import MainWindow

    settings.set_last_report("hq", "13/2024/midyear")
    w = MainWindow(ReportController(demo_db, "hq", "ja"), settings)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    return w


def _grid(hq_window, qtbot) -> BranchTargetsWindow:
    menu = hq_window.menuBar().findChild(type(hq_window.menuBar().actions()[0].menu()), "planMenu")
    menu.aboutToShow.emit()
    assert hq_window.targets_action.isEnabled()
    grid = hq_window.show_branch_targets()
    qtbot.addWidget(grid)
    qtbot.waitExposed(grid)
    grid.view.setFocus()
    qtbot.waitUntil(grid.view.hasFocus)
    return grid


def _at(grid: BranchTargetsWindow, branch: str, kpi_key: str):
    model = grid.model
    row = next(i for i, b in enumerate(model.branches) if b.code == branch)
    column = next(i for i, k in enumerate(model.kpis) if k.key == kpi_key)
    return model.index(row, column)


def _paste(qtbot, grid: BranchTargetsWindow, text: str) -> None:
    QGuiApplication.clipboard().setText(text)
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == text)
    qtbot.keyClick(grid.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def _stored(db) -> dict:
    return branch_targets.target_sheet(db, YEAR).plan.branch_targets.as_dict()


def test_the_grid_shows_47_branches_by_the_templates_kpis(hq_window, qtbot):
    grid = _grid(hq_window, qtbot)
    model = grid.model
    assert model.rowCount() == 47 and model.columnCount() == len(model.kpis) == 25
    assert model.headerData(12, Qt.Orientation.Vertical) == "東京支部"
    head = model.headerData(7, Qt.Orientation.Horizontal)
    assert head.startswith("２）生活習慣病予") and "（％）" in head  # shortened to fit
    whole = model.headerData(7, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "生活習慣病予防健診実施率" in whole
    # An untouched cell shows HQ's default, marked as such.
    index = _at(grid, OSAKA, RATE_A)
    assert index.data() == "63.5％以上" and index.data(Qt.ItemDataRole.EditRole) == ""
    assert index.data(KIND_ROLE) == "default"


def test_typing_a_target_stores_it(hq_window, qtbot, demo_db):
    grid = _grid(hq_window, qtbot)
    grid.view.setCurrentIndex(_at(grid, OSAKA, RATE_A))
    qtbot.keyClick(grid.view, "6")  # typing on a cell starts editing it
    qtbot.waitUntil(lambda: isinstance(grid.view.focusWidget(), QLineEdit))
    editor = grid.view.focusWidget()
    qtbot.keyClicks(editor, "6.2")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _at(grid, OSAKA, RATE_A).data(KIND_ROLE) == "set")
    assert _at(grid, OSAKA, RATE_A).data() == "66.2％以上"
    assert str(_stored(demo_db)[(OSAKA, RATE_A)].value) == "66.2"


def test_a_block_pasted_from_excel_is_one_edit_and_undone_as_one(hq_window, qtbot, demo_db):
    grid = _grid(hq_window, qtbot)
    grid.view.setCurrentIndex(_at(grid, OSAKA, RATE_A))
    with demo_db.read() as session:
        audit_before = session.query(AuditRow).count()
    # Three branches × two KPIs, as Excel puts them on the clipboard.
    _paste(qtbot, grid, "65.0\t対前年度以上\r\n６６．０％以上\t支部設定\r\n67\t12.5％\r\n")
    qtbot.waitUntil(lambda: _at(grid, NARA, RATE_B).data(KIND_ROLE) == "set")
    stored = _stored(demo_db)
    assert {k: (v.kind.value, v.value and str(v.value)) for k, v in stored.items()} == {
        (OSAKA, RATE_A): ("fixed", "65.0"),
        (OSAKA, RATE_B): ("prev_year", None),
        (HYOGO, RATE_A): ("fixed", "66.0"),
        (HYOGO, RATE_B): ("by_branch", None),
        (NARA, RATE_A): ("fixed", "67"),
        (NARA, RATE_B): ("fixed", "12.5"),
    }
    assert _at(grid, HYOGO, RATE_B).data(KIND_ROLE) == "by_branch"
    with demo_db.read() as session:
        assert session.query(AuditRow).count() == audit_before + 6  # one entry per cell
    assert grid.undo_stack.count() == 1

    qtbot.keyClick(grid.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _at(grid, NARA, RATE_B).data(KIND_ROLE) == "default")
    assert _stored(demo_db) == {}
    assert all(
        _at(grid, b, k).data(KIND_ROLE) == "default"
        for b in (OSAKA, HYOGO, NARA)
        for k in (RATE_A, RATE_B)
    )


def test_a_paste_with_a_bad_cell_changes_nothing_and_names_it(hq_window, qtbot, demo_db):
    grid = _grid(hq_window, qtbot)
    grid.view.setCurrentIndex(_at(grid, OSAKA, RATE_A))
    _paste(qtbot, grid, "65.0\t対前年度以上\r\n66.0\t15％以下\r\n")
    qtbot.waitUntil(lambda: bool(grid.message.text()))
    assert _stored(demo_db) == {}
    assert "兵庫支部" in grid.message.text() and "事業者健診データ取得率" in grid.message.text()
    assert "何も変更していません" in grid.message.text()
    assert _at(grid, OSAKA, RATE_A).data(KIND_ROLE) == "default"
    assert grid.undo_stack.count() == 0


def test_fill_down_and_copy_out(hq_window, qtbot, demo_db):
    grid = _grid(hq_window, qtbot)
    grid.view.setCurrentIndex(_at(grid, OSAKA, RATE_A))
    _paste(qtbot, grid, "70.0\r\n")
    qtbot.waitUntil(lambda: _at(grid, OSAKA, RATE_A).data(KIND_ROLE) == "set")
    grid.select_cells(_at(grid, OSAKA, RATE_A).row(), _at(grid, OSAKA, RATE_A).column(),
                 _at(grid, NARA, RATE_A).row(), _at(grid, NARA, RATE_A).column())  # fmt: skip
    qtbot.keyClick(grid.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _at(grid, NARA, RATE_A).data(KIND_ROLE) == "set")
    assert grid.copy() == "70.0％以上\r\n70.0％以上\r\n70.0％以上\r\n"
