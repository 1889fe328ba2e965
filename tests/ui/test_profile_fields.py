"""The section form's fields follow the report's print profile (issue 16 item 1):
具体的な取り組み exists on screen where the profile prints it, and typed there it is
stored like every other text of the report."""

from __future__ import annotations

from dataclasses import replace

import pytest

from desktop.domain.print_profiles import ReportProfiles
from desktop.services import plans
from desktop.services.workspace import load_report
from tests.ui.helpers import REF, commit_text, receipt_item


def _window(qtbot, demo_db, settings, profiles: ReportProfiles | None):
    from desktop.ui.controller import ReportController
    from desktop.ui.main_window import MainWindow

    if profiles is not None:  # the demo plan as if HQ's template had chosen ``profiles``
        plan = plans.get_plan(demo_db, "13", 2024)
        plans.install_plan(demo_db, replace(plan, print_profiles=profiles), actor="t", replace=True)
    settings.set_last_report("tester", "13/2024/midyear")
    window = MainWindow(ReportController(demo_db, "tester", "ja"), settings)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.mark.parametrize(
    ("profiles", "actions", "status"),
    [
        (None, False, True),  # the default: progress4
        (ReportProfiles(midyear="plan_results2"), False, True),
        (ReportProfiles(midyear="annual6"), True, False),
    ],
    ids=["progress4", "plan_results2", "annual6"],
)
def test_the_form_shows_the_fields_of_the_reports_profile(
    qtbot, demo_db, settings, profiles, actions, status
):
    window = _window(qtbot, demo_db, settings, profiles)
    form = window.form
    # A section with nothing written yet: only the profile decides what shows.
    snap = window.controller.snapshot
    empty = next(
        n.key
        for n in snap.plan.nodes
        if snap.plan.is_reportable(n.key) and snap.entry(n.key).is_empty
    )
    assert window.show_section(empty)
    assert form.actions.isVisibleTo(form) is actions
    assert form.actions_label.isVisibleTo(form) is actions
    assert form.status_text.isVisibleTo(form) is status
    assert form.next_steps.isVisibleTo(form)
    if profiles is not None and profiles.midyear == "annual6":
        assert form.mark_reason.isVisibleTo(form)  # the profile prints the reason apart


def test_actions_typed_in_the_annual6_form_are_stored(qtbot, demo_db, settings):
    window = _window(qtbot, demo_db, settings, ReportProfiles(midyear="annual6"))
    item = receipt_item(window)
    assert window.show_section(item)
    form = window.form
    # What was written in 実施状況 stays on screen although annual6 has no column for it.
    assert form.status_text.isVisibleTo(form)
    form.actions.setFocus()
    commit_text(form.actions, "点検員の研修を3回実施した。")
    qtbot.waitUntil(lambda: not form.actions.save_due, timeout=10_000)
    stored = load_report(demo_db, REF).entries[item]
    assert stored.actions == "点検員の研修を3回実施した。"
    # Undone like any text of the report: the field shows it and has the focus.
    assert window.show_section(next(n.key for n in window.controller.snapshot.plan.nodes))
    window.undo_action.trigger()
    assert load_report(demo_db, REF).entries[item].actions == ""
    assert window.form.node.key == item
    assert window.form.actions.toPlainText() == ""
    assert window.form.actions.hasFocus()


def test_the_annual_profile_is_chosen_in_the_planning_window_and_undone(qtbot, window):
    from desktop.domain.model import PeriodKind, ReportRef
    from tests.helpers.planning_window import open_planning_window
    from tests.ui.helpers import choose

    editor = open_planning_window(qtbot, window)
    box = editor.report_layout
    names = [box.annual_profile.itemText(i) for i in range(box.annual_profile.count())]
    assert names[0] == "進捗状況表（事業計画・実施状況・評価・今後の実施予定等）"
    assert any("具体的な取り組み" in n for n in names)
    controller = window.controller
    choose(box.annual_profile, "annual6")
    qtbot.waitUntil(lambda: controller.snapshot.plan.print_profiles.annual == "annual6")
    assert controller.snapshot.plan.print_profiles.midyear == "progress4"
    assert box.midyear_profile.currentData() == "progress4"
    # One undo step: back to the default and the box follows; redone, annual6 again.
    assert controller.undo_stack.count() == 1
    controller.undo_stack.undo()
    qtbot.waitUntil(lambda: controller.snapshot.plan.print_profiles.annual == "progress4")
    assert box.annual_profile.currentData() == "progress4"
    controller.undo_stack.redo()
    qtbot.waitUntil(lambda: controller.snapshot.plan.print_profiles.annual == "annual6")
    assert box.annual_profile.currentData() == "annual6"
    # The annual report's form now has 具体的な取り組み (and no 実施状況 for an empty item).
    editor.close()
    form = window.form
    choose(window.period_combo, PeriodKind.ANNUAL.value)
    qtbot.waitUntil(lambda: controller.snapshot.ref == ReportRef("13", 2024, PeriodKind.ANNUAL))
    snap = controller.snapshot
    empty = next(
        n.key
        for n in snap.plan.nodes
        if snap.plan.is_reportable(n.key) and snap.entry(n.key).is_empty
    )
    assert window.show_section(empty)
    assert form.actions.isVisibleTo(form) and form.actions_label.isVisibleTo(form)
    assert not form.status_text.isVisibleTo(form)
    # The mid-year report keeps its layout.
    choose(window.period_combo, PeriodKind.MIDYEAR.value)
    qtbot.waitUntil(lambda: controller.snapshot.ref.period is PeriodKind.MIDYEAR)
    assert window.show_section(empty)
    assert not form.actions.isVisibleTo(form) and form.status_text.isVisibleTo(form)
