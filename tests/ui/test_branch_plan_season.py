"""The planning season of a branch other than Tokyo, from the keyboard, in one test
(issue 15 item 6): Osaka (27) starts its FY2025 plan from HQ's template in the start
dialog (HQ gave Osaka its own target for one KPI and left another to the branch), adds
its own section with a KPI and a reference indicator, sets its targets, types last
year's, the year before's and national figures in the reference tab, submits; the
branch head takes the PC (Switch user) and approves. ``plandesk show`` then judges
every KPI by Osaka's targets."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit

from desktop.domain.achievement import format_target
from desktop.domain.plan_review import PlanState
from desktop.domain.reference import Field
from desktop.services import branch_targets, plan_approval, plans
from desktop.ui.plan_editor import PlanEditorWindow
from desktop.ui.start_dialog import StartDialog
from desktop.ui.switch_user import SwitchUserDialog
from tests.helpers.plan_people import HEAD, add_plan_people
from tests.helpers.planning_window import (
    focused,
    go_to,
    go_to_node,
    open_planning_window,
    type_and_store,
)
from tests.ui.helpers import commit_text, when_shown

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
OSAKA = "27"
OWN_TARGET = "2.II.2.k2"  # 生活習慣病予防健診実施率: HQ's default 63.5, Osaka's own 66.0
LEFT_TO_BRANCH = "2.II.2.k4"  # 被扶養者の特定健診実施率: 支部設定, Osaka types 33.0


def _start_osakas_plan(qtbot, controller) -> None:
    """The first start on a database holding only HQ's template: the start dialog."""
    from desktop.app import ensure_plans

    def answer(dialog: StartDialog) -> None:
        dialog.activateWindow()
        qtbot.waitUntil(lambda: dialog.isAncestorOf(focused()))
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)  # from "Open the demo" to the branch
        assert focused() is dialog.branch
        for _ in range(dialog.branch.count()):
            if dialog.branch.currentData() == OSAKA:
                break
            qtbot.keyClick(dialog.branch, Qt.Key.Key_Down)
        qtbot.keyClick(dialog, Qt.Key.Key_H, ALT)  # Create the plan from the &HQ template

    when_shown(StartDialog, answer)
    assert ensure_plans(controller)


def _reference(qtbot, editor: PlanEditorWindow, kpi: str, figures: dict[Field, str]) -> None:
    table = editor.reference_tab.widget
    for field, text in figures.items():
        table.view.setCurrentIndex(table.index_of(kpi, field))
        table.view.setFocus()
        qtbot.keyClick(table.view, Qt.Key.Key_F2)
        (cell,) = [e for e in table.view.findChildren(QLineEdit) if e.isVisible()]
        assert cell is focused()
        type_and_store(qtbot, text)
        assert table.message.text() == ""


@pytest.fixture
def db(tmp_path):
    """A database holding HQ's FY2025 template only, where HQ gave Osaka its own target
    for one KPI and left another to the branch (支部設定)."""
    database = plans.init_database(tmp_path / "season.sqlite3")
    plans.install_plan(database, plans.bundled_plan(plans.HQ_TEMPLATE), actor="hq")
    add_plan_people(database)
    targets = {(OSAKA, OWN_TARGET): "66.0", (OSAKA, LEFT_TO_BRANCH): "支部設定"}
    branch_targets.set_branch_targets(database, 2025, targets, actor="hq")
    yield database
    database.close()


def test_osaka_writes_submits_and_gets_its_plan_approved(qtbot, db, settings, capsys):
    from desktop.cli import main
    from desktop.ui.controller import ReportController
    from desktop.ui.main_window import MainWindow

    controller = ReportController(db, "planner", "ja")
    _start_osakas_plan(qtbot, controller)
    window = MainWindow(controller, settings)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    assert controller.snapshot.ref.branch == OSAKA  # a branch's plan, not HQ's template
    assert controller.snapshot.kpi(OWN_TARGET).target == Decimal("66.0")
    assert controller.snapshot.kpi(LEFT_TO_BRANCH).target is None

    # Its own section under pillar (２), with a plan text.
    editor = open_planning_window(qtbot, window)
    go_to_node(qtbot, editor, "2")
    qtbot.keyClick(editor.tree, Qt.Key.Key_Insert)
    qtbot.waitUntil(lambda: focused() is editor.node_editor.title)
    section = editor.selected()[1]
    type_and_store(qtbot, "大阪独自の健康教室")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)  # group
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)  # plan text
    commit_text(editor.node_editor.plan_text, "府内の事業所で健康教室を開く。")

    # Its own KPI with a target, and a reference indicator.
    qtbot.keyClick(focused(), Qt.Key.Key_K, CTRL)
    qtbot.waitUntil(lambda: focused() is editor.kpi_editor.name)
    own = editor.selected()[1]
    type_and_store(qtbot, "健康教室の開催回数")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    type_and_store(qtbot, "回")
    for _ in range(4):  # decimals, direction, kind of target, target
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is editor.kpi_editor.target
    type_and_store(qtbot, "24")
    qtbot.keyClick(focused(), Qt.Key.Key_K, CTRL)
    qtbot.waitUntil(lambda: focused() is editor.kpi_editor.name)
    indicator = editor.selected()[1]
    type_and_store(qtbot, "健康教室の参加者数")
    qtbot.keyClick(focused(), Qt.Key.Key_J, ALT)  # Reference indicator, never &judged
    qtbot.waitUntil(lambda: editor.presenter.kpi(indicator).reference_indicator)

    # The target HQ left to the branch (支部設定).
    editor.tree.setFocus()
    go_to(qtbot, editor, "kpi", LEFT_TO_BRANCH)
    qtbot.keyClick(editor.tree, Qt.Key.Key_T, ALT)  # &Target
    assert focused() is editor.kpi_editor.target
    type_and_store(qtbot, "33.0")
    qtbot.waitUntil(lambda: editor.presenter.kpi(LEFT_TO_BRANCH).target == Decimal("33.0"))

    # Last year's and the year before's actuals, national average and rank.
    qtbot.keyClick(focused(), Qt.Key.Key_Tab, CTRL)  # the approval tab
    qtbot.keyClick(focused(), Qt.Key.Key_Tab, CTRL)  # the reference figures
    qtbot.waitUntil(lambda: editor.reference_tab.widget is not None)
    _reference(qtbot, editor, own, {Field.LAST_YEAR_ACTUAL: "20", Field.PRIOR_YEAR_ACTUAL: "18"})
    _reference(
        qtbot,
        editor,
        OWN_TARGET,
        {
            Field.LAST_YEAR_ACTUAL: "64.2",
            Field.PRIOR_YEAR_ACTUAL: "62.9",
            Field.NATIONAL_AVERAGE: "63.1",
            Field.NATIONAL_RANK: "全国１２位",
        },
    )
    qtbot.waitUntil(lambda: controller.snapshot.benchmarks[OWN_TARGET].national_rank == 12)
    snap = controller.snapshot
    assert snap.kpi(own).last_year_actual == Decimal("20")
    assert snap.kpi(OWN_TARGET).prior_year_actual == Decimal("62.9")

    # Submitted from the approval tab.
    qtbot.keyClick(focused(), Qt.Key.Key_Tab, CTRL | SHIFT)
    qtbot.waitUntil(lambda: editor.approval_tab.widget is not None)
    status = editor.approval_tab.widget
    assert editor.tabs.currentWidget() is editor.approval_tab
    qtbot.keyClick(editor.tabs, Qt.Key.Key_S, ALT)  # &Submit plan
    qtbot.waitUntil(lambda: status.status.state is PlanState.SUBMITTED)

    # The branch head takes the PC, as the app does it (Switch user), and approves.
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isAncestorOf(focused()))
    qtbot.keyClick(focused(), Qt.Key.Key_U, CTRL | SHIFT)
    switch = window.findChild(SwitchUserDialog)
    assert switch is not None
    qtbot.waitExposed(switch)
    qtbot.keyClick(switch.person, Qt.Key.Key_Home)
    for _ in range(switch.person.count()):
        if switch.person.currentData() == HEAD["login"]:
            break
        qtbot.keyClick(switch.person, Qt.Key.Key_Down)
    assert switch.person.currentData() == HEAD["login"]
    qtbot.keyClicks(switch.password, HEAD["password"])
    qtbot.keyClick(switch.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.actor == HEAD["login"])

    def password(box: QInputDialog) -> None:
        box.activateWindow()
        qtbot.waitUntil(lambda: box.isAncestorOf(focused()))
        qtbot.keyClicks(focused(), HEAD["password"])
        qtbot.keyClick(focused(), Qt.Key.Key_Return)

    editor.activateWindow()
    qtbot.waitUntil(lambda: editor.isAncestorOf(focused()))
    assert status.approve_button.isEnabled()
    when_shown(QInputDialog, password)
    qtbot.keyClick(editor.tabs, Qt.Key.Key_A, ALT)  # &Approve
    qtbot.waitUntil(lambda: status.status.state is PlanState.APPROVED)

    # The year's figures (the report, not the plan), then the command line's verdicts.
    for kpi, value in ((own, "26"), (indicator, "480"), (OWN_TARGET, "64.5"),
                       (LEFT_TO_BRANCH, "34.0")):  # fmt: skip
        assert controller.set_measurements([(kpi, {"value": value, "as_of": "2026-03"})]) is None
    path = str(db.path)
    assert main(["show", "--db", path, "--branch", OSAKA, "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("27 大阪支部  令和7年度 (2025)")

    # Every KPI row's target is Osaka's (its plan, as approved), none HQ's default.
    stored = plans.get_plan(db, OSAKA, 2025)
    assert stored.node(section).own and stored.node(section).title == "大阪独自の健康教室"
    table = out.split("判定\n", 1)[1].split("参考値", 1)[0]
    rows = [
        re.split(r"\s{2,}", line.strip())
        for line in table.splitlines()
        if line.strip() and not line.startswith(("■", "-"))
    ]
    shown = Counter(row[2] for row in rows)
    assert shown == Counter(format_target(k) for k in stored.kpis)
    assert "63.5％以上" not in out  # HQ's default for 生活習慣病予防健診実施率

    def verdict(name: str) -> str:
        (line,) = [ln for ln in out.splitlines() if name in ln]
        return line

    assert "66.0％以上" in verdict("生活習慣病予防健診実施率")
    assert "未達成 (-1.5ポイント)" in verdict("生活習慣病予防健診実施率")  # 達成 by HQ's 63.5
    assert "33.0％以上" in verdict("被扶養者の特定健診実施率")
    assert "達成 (+1.0ポイント)" in verdict("被扶養者の特定健診実施率")
    assert "24回以上" in verdict("健康教室の開催回数")
    assert "達成 (+2回)" in verdict("健康教室の開催回数")
    assert verdict("健康教室の参加者数").endswith("参考指標")  # shown, never judged
    assert plan_approval.plan_status(db, OSAKA, 2025).state is PlanState.APPROVED
