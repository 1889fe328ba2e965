"""Data entry through real widgets and key events, checked in the real database.

Japanese text is typed through QInputMethodEvent commits: qtbot.keyClicks
with non-ASCII characters aborts the process (a Qt assertion; tests/ui/helpers.py).
"""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from desktop.services.workspace import load_report
from desktop.store.database import open_database
from desktop.ui.controller import ReportController
from desktop.ui.kpi_model import COL
from desktop.ui.main_window import MainWindow
from tests.ui.helpers import REF, commit_text, preedit, receipt_item


def stored_entry(db, node_key: str):
    return load_report(db, REF).entries.get(node_key)


def stored_measurement(db, kpi_key: str):
    return load_report(db, REF).measurements.get(kpi_key)


def _kpi(window, name_part: str) -> str:
    snap = window.controller.snapshot
    return next(k.key for k in snap.plan.kpis if name_part in k.name)


def _go_to_kpi(window, qtbot, kpi_key: str):
    snap = window.controller.snapshot
    node = next(k.node_key for k in snap.plan.kpis if k.key == kpi_key)
    assert window.show_section(node)
    grid = window.form.kpi_view
    row = window.form.kpi_model.row_of(kpi_key)
    grid.setFocus()
    grid.setCurrentIndex(grid.model().index(row, COL["value"]))
    return grid


def test_find_receipt_section_with_keyboard(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.navigator.search.hasFocus()
    commit_text(window.navigator.search, "レセプト点検")
    qtbot.keyClick(window.navigator.search, Qt.Key.Key_Return)
    key = window.navigator.current_key()
    assert key is not None
    node = window.controller.snapshot.plan.node(key)
    assert "レセプト" in node.display_title or "レセプト" in node.plan_text


def test_status_text_is_saved_within_a_second(window, qtbot, demo_db):
    """Stored when the pause after typing ends, and that pause is under a second. The
    test waits for the pause to end, not for a wall-clock second: a loaded machine
    may run the timer late, the app still stores on it and on nothing else."""
    item = receipt_item(window)
    window.show_section(item)
    field = window.form.status_text
    assert 0 < field.save_delay_ms < 1000
    field.setFocus()
    field.moveCursor(field.textCursor().MoveOperation.End)
    commit_text(field, "追記：研修を実施した。")
    assert field.save_due
    assert "追記" not in stored_entry(demo_db, item).status_text
    qtbot.waitUntil(lambda: not field.save_due, timeout=10_000)
    assert "追記：研修を実施した。" in stored_entry(demo_db, item).status_text
    assert "保存済み" in window.save_label.text() or "Saved" in window.save_label.text()


def test_ime_composition_is_not_saved_until_committed(window, qtbot, demo_db):
    item = receipt_item(window)
    window.show_section(item)
    field = window.form.next_steps
    field.setFocus()
    field.moveCursor(field.textCursor().MoveOperation.End)
    before = stored_entry(demo_db, item).next_steps
    preedit(field, "けんしゅう")
    assert not field.save_due  # a composition starts no pause: nothing will be stored
    assert field.flush()  # and storing now (focus leaving, the window closing) skips it
    assert stored_entry(demo_db, item).next_steps == before
    commit_text(field, "研修")
    assert field.save_due
    qtbot.waitUntil(lambda: not field.save_due, timeout=10_000)
    assert stored_entry(demo_db, item).next_steps.endswith("研修")
    assert "けんしゅう" not in stored_entry(demo_db, item).next_steps


def test_mark_choice_is_stored(window, qtbot, demo_db):
    item = receipt_item(window)
    window.show_section(item)
    combo = window.form.mark
    combo.setFocus()
    index = combo.findData("◎")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    assert stored_entry(demo_db, item).mark == "◎"
    assert window.navigator.model.index_of(item).siblingAtColumn(1).data() == "◎"


def test_kpi_value_typed_full_width_with_as_of_then_undo_redo(window, qtbot, demo_db):
    key = _kpi(window, "査定率")
    grid = _go_to_kpi(window, qtbot, key)
    before = stored_measurement(demo_db, key)
    # Type ０．０９５％ into the actual cell: typing starts the editor.
    qtbot.keyClick(grid, Qt.Key.Key_0)
    editor = QApplication.focusWidget()
    editor.selectAll()
    commit_text(editor, "０．０９５％")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    m = stored_measurement(demo_db, key)
    assert str(m.value) == "0.095"
    # Tab moved right (opening the next editable cell); leave it and go to as-of.
    assert grid.currentIndex().column() > COL["value"]
    if grid.state() == grid.State.EditingState:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    grid.setFocus()
    grid.setCurrentIndex(grid.model().index(grid.currentIndex().row(), COL["as_of"]))
    qtbot.keyClick(grid, Qt.Key.Key_R)
    editor = QApplication.focusWidget()
    editor.selectAll()
    commit_text(editor, "令和6年9月")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits on Return through a queued call, as in real use.
    qtbot.waitUntil(lambda: grid.state() != grid.State.EditingState, timeout=10_000)
    m = stored_measurement(demo_db, key)
    assert m.as_of.iso() == "2024-09"
    # Enter moved down (like Excel).
    assert grid.currentIndex().column() == COL["as_of"]
    assert grid.currentIndex().row() == grid.model().row_of(key) + 1

    window.undo_action.trigger()
    assert stored_measurement(demo_db, key).as_of == before.as_of
    window.undo_action.trigger()
    assert stored_measurement(demo_db, key).value == before.value
    window.redo_action.trigger()
    assert str(stored_measurement(demo_db, key).value) == "0.095"
    window.redo_action.trigger()
    assert stored_measurement(demo_db, key).as_of.iso() == "2024-09"


def test_rejected_value_is_not_stored_and_the_reason_is_shown(window, qtbot, demo_db):
    key = _kpi(window, "郵送化率")
    grid = _go_to_kpi(window, qtbot, key)
    before = stored_measurement(demo_db, key)
    index = grid.currentIndex()
    assert not grid.model().setData(index, "98.4.1")
    assert stored_measurement(demo_db, key) == before
    message = grid.model().data(index, Qt.ItemDataRole.ToolTipRole)
    assert "98.4.1" in message
    assert "98.4.1" in window.form.kpi_message.text()


def test_undo_spans_text_fields_and_kpi_cells(window, qtbot, demo_db):
    item = receipt_item(window)
    window.show_section(item)
    field = window.form.status_text
    field.setFocus()
    original = stored_entry(demo_db, item).status_text
    commit_text(field, "X")
    field.flush()
    key = _kpi(window, "査定率")
    grid = _go_to_kpi(window, qtbot, key)
    grid.model().setData(grid.currentIndex(), "0.1")
    assert str(stored_measurement(demo_db, key).value) == "0.1"
    qtbot.keyClick(grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert str(stored_measurement(demo_db, key).value) == "0.091"
    qtbot.keyClick(grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_entry(demo_db, item).status_text == original
    qtbot.keyClick(grid, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert stored_entry(demo_db, item).status_text != original


def test_paste_block_from_excel_is_all_or_nothing(window, qtbot, demo_db):
    key = _kpi(window, "査定率")  # （４） has two KPIs: 査定率 and 査定額
    grid = _go_to_kpi(window, qtbot, key)
    model = grid.model()
    row = model.row_of(key)
    grid.setCurrentIndex(model.index(row, COL["value"]))
    other = model.kpis[row + 1].key
    # 2 rows × 3 columns, but numerator/denominator are not editable here:
    # paste a value / as-of block instead through the as-of column layout.
    grid.setCurrentIndex(model.index(row, COL["as_of"]))
    good = "令和6年8月\t\t下期集計\n2024/8\t1\t\n"
    assert grid.paste(good)
    assert stored_measurement(demo_db, key).as_of.iso() == "2024-08"
    assert stored_measurement(demo_db, key).unavailable_reason == "下期集計"
    assert stored_measurement(demo_db, other).preliminary is True
    # A bad cell anywhere in the block: nothing of it is stored.
    grid.setCurrentIndex(model.index(row, COL["value"]))
    bad = "0.2\t令和6年9月\n15,000円\t令和6年13月\n"  # value, as-of (parts hidden)
    before = (stored_measurement(demo_db, key), stored_measurement(demo_db, other))
    assert not grid.paste(bad)
    assert (stored_measurement(demo_db, key), stored_measurement(demo_db, other)) == before


def test_paste_3x2_block_of_values(window, qtbot, demo_db):
    """A 3×2 block copied from Excel (value, as-of) onto three KPIs."""
    snap = window.controller.snapshot
    node = next(n for n in snap.plan.nodes if len(snap.plan.kpis_of(n.key)) >= 3)
    window.show_section(node.key)
    grid = window.form.kpi_view
    model = grid.model()
    numeric = [i for i, k in enumerate(model.kpis) if k.direction.value != "qualitative"]
    assert len(numeric) >= 3
    # Columns value..as_of are not adjacent (numerator/denominator between), so
    # paste the values as a 3×1 block and the months as a 3×1 block... and one
    # real 3×2 block into as_of + preliminary.
    grid.setCurrentIndex(model.index(numeric[0], COL["as_of"]))
    block = "R6.7\t1\r\nR6.8\t0\r\nR6.9\t1\r\n"
    assert grid.paste(block)
    months = [stored_measurement(demo_db, model.kpis[i].key).as_of.iso() for i in numeric[:3]]
    assert months == ["2024-07", "2024-08", "2024-09"]
    prelim = [stored_measurement(demo_db, model.kpis[i].key).preliminary for i in numeric[:3]]
    assert prelim == [True, False, True]


def test_last_section_is_remembered_after_a_pause_not_on_every_switch(window, qtbot, settings):
    """Paging through sections writes the settings file once, when the person stops
    (it was written on every switch, a third of the switch's time)."""
    keys = window.navigator.visible_keys()
    report = window.controller.snapshot.ref.key
    for key in keys[3:6]:
        assert window.show_section(key)
    assert settings.last_section("tester", report) != keys[5]  # not yet: still paging
    qtbot.waitUntil(lambda: settings.last_section("tester", report) == keys[5])


def test_close_and_reopen_keeps_everything(qtbot, demo_db, settings):
    settings.set_last_report("tester", "13/2024/midyear")
    w = MainWindow(ReportController(demo_db, "tester", "ja"), settings)
    qtbot.addWidget(w)
    w.show()
    item = receipt_item(w)
    w.show_section(item)
    field = w.form.status_text
    field.setFocus()
    commit_text(field, "閉じる直前の入力")
    w.close()  # no pause: closing must store it
    path = demo_db.path
    demo_db.close()
    again = open_database(path)
    try:
        assert "閉じる直前の入力" in load_report(again, REF).entries[item].status_text
        w2 = MainWindow(ReportController(again, "tester", "ja"), settings)
        qtbot.addWidget(w2)
        assert w2.navigator.current_key() == item  # remembers the last section
        assert "閉じる直前の入力" in w2.form.status_text.toPlainText()
        w2.close()
    finally:
        again.close()


def test_next_and_previous_section_shortcuts(window, qtbot):
    first = window.navigator.current_key()
    qtbot.keyClick(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    second = window.navigator.current_key()
    assert second != first
    qtbot.keyClick(window, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.navigator.current_key() == first


def test_filters(window):
    nav = window.navigator
    everything = nav.visible_keys()
    nav.filter.setCurrentIndex(nav.filter.findData("group:レセプト"))
    receipt = nav.visible_keys()
    assert receipt and len(receipt) < len(everything)
    nav.filter.setCurrentIndex(nav.filter.findData("not_met"))
    not_met = nav.visible_keys(reportable_only=False)
    assert any(k.startswith("1.II.2") for k in not_met)  # 郵送化率 98.2 < 98.4


def test_audit_rows_name_the_user(window, demo_db):
    item = receipt_item(window)
    window.controller.set_entry(item, "next_steps", "監査テスト")
    con = sqlite3.connect(demo_db.path)
    try:
        actor = con.execute("SELECT actor FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]
    finally:
        con.close()
    assert actor == "tester"


def test_clipboard_copy_gives_tsv(window, qtbot):
    key = _kpi(window, "査定率")
    grid = _go_to_kpi(window, qtbot, key)
    grid.copy()
    assert "0.091" in QGuiApplication.clipboard().text()
