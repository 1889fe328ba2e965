"""A rating scope on screen: every item of ①–④ shows the scope's one mark and
reason and says it is rated together; choosing a mark on ③ stores it once, on ①,
and the navigator shows it on all four. The planning window sets the scope
("Rated together with…") and takes it back."""

from __future__ import annotations

from dataclasses import replace

import pytest

from desktop.domain.model import PeriodKind
from desktop.services import plans
from desktop.ui.navigator import COL_MARK
from tests.helpers.planning_window import go_to_node, open_planning_window
from tests.ui.helpers import choose

HOLDER = "1.II.2.1"
MEMBERS = ("1.II.2.2", "1.II.2.3", "1.II.2.4")


@pytest.fixture
def scoped_window(qtbot, demo_db, settings):
    from desktop.ui.controller import ReportController
    from desktop.ui.main_window import MainWindow

    plan = plans.get_plan(demo_db, "13", 2024)
    report = plan.report(PeriodKind.MIDYEAR)
    entries = tuple(
        replace(e, mark=None, mark_reason=None) if e.node_key in MEMBERS else e
        for e in report.entries
    )
    nodes = tuple(replace(n, rated_with=HOLDER) if n.key in MEMBERS else n for n in plan.nodes)
    plan = replace(plan, nodes=nodes, reports=(replace(report, entries=entries),))
    plans.install_plan(demo_db, plan, actor="tester", replace=True)
    settings.set_last_report("tester", "13/2024/midyear")
    w = MainWindow(ReportController(demo_db, "tester", "ja"), settings)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    return w


def _stored(db, key):
    report = plans.get_plan(db, "13", 2024).report(PeriodKind.MIDYEAR)
    return next((e.mark for e in report.entries if e.node_key == key), None)


def test_every_item_of_the_scope_shows_and_edits_the_one_mark(qtbot, scoped_window, demo_db):
    window, form = scoped_window, scoped_window.form
    holder_mark = _stored(demo_db, HOLDER)
    assert window.show_section("1.II.2.3")
    assert form.rating_scope.isVisibleTo(form)
    assert "①〜④" in form.rating_scope.text()
    assert form.mark.currentData() == holder_mark  # ①'s mark, shown on ③
    choose(form.mark, "△")
    qtbot.waitUntil(lambda: _stored(demo_db, HOLDER) == "△")
    assert _stored(demo_db, "1.II.2.3") is None  # one stored value, on ①
    model = window.navigator.model

    def mark_shown(key: str) -> str:
        return model.index_of(key).siblingAtColumn(COL_MARK).data()

    qtbot.waitUntil(lambda: all(mark_shown(k) == "△" for k in (HOLDER, *MEMBERS)))
    assert window.show_section(HOLDER)
    assert form.mark.currentData() == "△" and form.rating_scope.isVisibleTo(form)
    assert window.show_section("1.II.3.1")  # an item rated on its own
    assert not form.rating_scope.isVisibleTo(form)


def test_the_planning_window_sets_and_undoes_a_scope(qtbot, scoped_window, demo_db):
    editor = open_planning_window(qtbot, scoped_window)
    go_to_node(qtbot, editor, "1.II.2.2")
    combo = editor.node_editor.rated_with
    assert combo.isVisibleTo(editor.node_editor) and combo.currentData() == HOLDER
    offered = {combo.itemData(i) for i in range(combo.count())}
    assert offered == {None, HOLDER}  # ③ and ④ are rated with ① themselves
    choose(combo, None)
    qtbot.waitUntil(lambda: plans.get_plan(demo_db, "13", 2024).node("1.II.2.2").rated_with is None)
    go_to_node(qtbot, editor, HOLDER)  # ① holds the scope's mark: it joins no other
    assert not editor.node_editor.rated_with.isEnabled()
    assert "①〜④" not in editor.node_editor.rated_with.toolTip()  # ② left: ①・③・④
    assert "①・③・④" in editor.node_editor.rated_with.toolTip()
    assert scoped_window.controller.undo_stack.canUndo()
    scoped_window.controller.undo_stack.undo()
    qtbot.waitUntil(
        lambda: plans.get_plan(demo_db, "13", 2024).node("1.II.2.2").rated_with == HOLDER
    )
