"""Groups as a report axis on screen (issue 16 item 2): the navigator by group with
completeness per group, the same group filters in navigator and dashboard, a
supervisor approving one group's sections, the layout set in the planning window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from desktop.domain.model import Group, ReportAxis
from desktop.domain.report_order import keys_of_group, progress_by_group
from desktop.domain.review import Role, SectionState
from desktop.services import plans, review
from desktop.ui.controller import ReportController
from desktop.ui.main_window import MainWindow
from desktop.ui.navigator import GroupRole, NodeKeyRole
from desktop.ui.settings import Settings
from tests.group_plan import FIRST_GROUP, by_groups
from tests.helpers.planning_window import go_to_node, open_planning_window
from tests.ui.helpers import choose


@pytest.fixture
def grouped(demo_db):
    """The demo's Tokyo FY2024 plan organised by group, with a 保健 supervisor."""
    plans.install_plan(
        demo_db, by_groups(plans.get_plan(demo_db, "13", 2024)), actor="it", replace=True
    )
    review.add_user(demo_db, login="admin", display_name="管理", role=Role.ADMIN, password="a")
    for login, name, role, group, password in (
        ("sato", "佐藤", Role.STAFF, None, None),
        ("hoken", "保健GL", Role.SUPERVISOR, Group.HEALTH, "hoken-pass"),
    ):
        review.add_user(demo_db, login=login, display_name=name, role=role, group=group,
                        password=password, admin_login="admin", admin_password="a")  # fmt: skip
    return demo_db


def _open(qtbot, db, tmp_path: Path, login: str) -> MainWindow:
    settings = Settings(QSettings(str(tmp_path / f"{login}.ini"), QSettings.Format.IniFormat))
    settings.set_last_report(login, "13/2024/midyear")
    w = MainWindow(ReportController(db, login, "ja"), settings)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    return w


def _top(nav) -> list[tuple[str, str]]:
    model = nav.model
    return [(model.index(r, 0).data(), model.index(r, 2).data()) for r in range(model.rowCount())]


def test_the_navigator_shows_the_report_by_group_with_completeness(qtbot, grouped, tmp_path):
    w = _open(qtbot, grouped, tmp_path, "sato")
    nav, plan = w.navigator, w.controller.snapshot.plan
    top = _top(nav)
    progress = progress_by_group(plan, w.controller.snapshot.entries)
    assert [t for t, _ in top] == [f"{p.group.value}グループ" for p in progress if p.group]
    assert [s for _, s in top] == [f"{p.entered}/{p.total}" for p in progress if p.group]
    health = nav.model.index(0, 0)
    assert health.data(GroupRole) == FIRST_GROUP.value
    children = [nav.model.index(r, 0, health) for r in range(nav.model.rowCount(health))]
    numbered = [c.data() for c in children if plan.is_reportable(c.data(NodeKeyRole))]
    assert numbered[0].startswith("①") and numbered[1].startswith("②")
    # A heading with KPIs of its own (no row in the report) is there to enter them.
    assert any(plan.kpis_of(c.data(NodeKeyRole)) for c in children)
    # Items in the report's order (not the tree's): Ctrl+PgDn walks them so.
    keys = nav.visible_keys()
    rows = [k for k in keys if plan.is_reportable(k) and plan.effective_group(k) is Group.HEALTH]
    assert rows == keys_of_group(plan, Group.HEALTH)

    # The group filters: the plan's groups, in the report's order, with completeness —
    # the same groups as the dashboard's filter.
    offered = [nav.filter.itemData(i) for i in range(nav.filter.count())]
    groups = [d.removeprefix("group:") for d in offered if d.startswith("group:")]
    assert groups[0] == FIRST_GROUP.value
    dashboard = w.dashboard
    w.tabs.setCurrentWidget(dashboard)
    in_dashboard = [
        dashboard.group_filter.itemData(i) for i in range(1, dashboard.group_filter.count())
    ]
    assert in_dashboard == [g for g in groups if g in in_dashboard]
    choose(nav.filter, f"group:{FIRST_GROUP.value}")
    shown = [k for k in nav.visible_keys() if plan.is_reportable(k)]
    assert shown == keys_of_group(plan, FIRST_GROUP)

    # Entering a section's status and mark counts for its group at once.
    key = next(
        k for k in keys_of_group(plan, Group.HEALTH) if not w.controller.snapshot.entry(k).mark
    )
    before = _top(nav)[0][1]
    w.controller.set_entry(key, "status_text", "実施した")
    w.controller.set_entry(key, "mark", "○")
    done, total = (int(n) for n in before.split("/"))
    assert _top(nav)[0][1] == f"{done + 1}/{total}"
    index = nav.filter.findData(f"group:{FIRST_GROUP.value}")
    assert nav.filter.itemText(index).endswith(f"({done + 1}/{total})")
    qtbot.waitUntil(lambda: f"保健 {done + 1}/{total}" in dashboard.group_progress.text())
    choose(dashboard.group_filter, FIRST_GROUP.value)
    assert dashboard.completeness.value() == done + 1
    assert dashboard.completeness.maximum() == total


def test_a_supervisor_approves_their_groups_sections_at_once(qtbot, grouped, tmp_path):
    plan = plans.get_plan(grouped, "13", 2024)
    health = keys_of_group(plan, Group.HEALTH)
    operations = keys_of_group(plan, Group.OPERATIONS)
    w = _open(qtbot, grouped, tmp_path, "hoken")
    ref = w.controller.snapshot.ref
    review.submit(grouped, ref, [*health, *operations], login="sato")
    w.controller.load(ref)
    screen = w.review
    w.tabs.setCurrentWidget(screen)
    assert not screen.approve_group_button.isEnabled()  # no group chosen
    choose(screen.group_filter, Group.HEALTH.value)
    assert screen.queue.count() == len(health)
    assert screen.approve_group_button.isEnabled()
    asked, changed = [], []
    screen.confirm = lambda question: asked.append(question) or True
    screen.ask_password = lambda who: "hoken-pass"
    w.controller.changed.connect(changed.append)
    qtbot.mouseClick(screen.approve_group_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and str(len(health)) in asked[0]
    assert len(changed) == 1  # one write, one envelope
    assert {r.node_key for r in changed[0].records} == set(health)
    states = review.section_states(grouped, ref)
    assert all(states[k] is SectionState.APPROVED for k in health)
    assert all(states[k] is SectionState.SUBMITTED for k in operations)
    assert screen.queue.count() == 0


def test_the_layout_and_places_are_set_in_the_planning_window(qtbot, window):
    editor = open_planning_window(qtbot, window)
    box = editor.report_layout
    assert box.axis.currentData() == ReportAxis.TREE.value and not box.per_group.isEnabled()
    choose(box.axis, ReportAxis.GROUP.value)
    qtbot.waitUntil(lambda: window.controller.snapshot.plan.report_axis is ReportAxis.GROUP)
    assert box.per_group.isEnabled()
    box.per_group.click()
    qtbot.waitUntil(lambda: window.controller.snapshot.plan.number_per_group)
    # The navigator follows: a report by group.
    assert window.navigator.model.index(0, 0).data(NodeKeyRole) is None
    assert window.navigator.model.index(0, 0).data().endswith("グループ")
    # An item's place in the report by group, typed (full-width digits too).
    go_to_node(qtbot, editor, "2.II.3")
    field = editor.node_editor.report_position
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "0")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.controller.snapshot.plan.node("2.II.3").report_position == 0)
    plan = window.controller.snapshot.plan
    group = plan.effective_group("2.II.3")
    assert keys_of_group(plan, group)[0] == "2.II.3"
    # Each one undo step: the place, the numbering, the axis.
    stack = window.controller.undo_stack
    assert stack.count() == 3, [stack.text(i) for i in range(stack.count())]
    for _ in range(3):
        window.controller.undo_stack.undo()
    qtbot.waitUntil(lambda: window.controller.snapshot.plan.report_axis is ReportAxis.TREE)
    plan = window.controller.snapshot.plan
    assert plan.node("2.II.3").report_position is None and not plan.number_per_group
    assert box.axis.currentData() == ReportAxis.TREE.value
    assert window.navigator.model.index(0, 0).data(NodeKeyRole) == "1"
