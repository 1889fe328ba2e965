"""The report's order (desktop/domain/report_order.py): by tree, the tree; by group,
a heading per group, the plan's own order, numbers restarting per group."""

from __future__ import annotations

from dataclasses import replace

from desktop.domain.model import Group, PlanNode, SectionEntry
from desktop.domain.report_order import (
    ReportHeading,
    ReportRow,
    groups_of,
    keys_of_group,
    printed_number,
    progress_by_group,
    report_order,
    reportable_nodes,
    tree_order,
)
from desktop.services.plans import bundled_plan
from tests.group_plan import FIRST_GROUP, tokyo_by_groups


def test_by_tree_the_report_is_the_tree_with_the_labels():
    plan = bundled_plan("plans/tokyo_2024.json")
    lines = report_order(plan)
    rows = [line for line in lines if isinstance(line, ReportRow)]
    tree_rows = [n for n in tree_order(plan) if plan.is_reportable(n.key)]
    assert [r.node for r in rows] == tree_rows
    assert all(r.number == r.node.label for r in rows)
    headings = [line.node.key for line in lines if isinstance(line, ReportHeading)]
    assert headings[0] == tree_order(plan)[0].key  # the first pillar heads the report


def test_by_group_a_heading_per_group_and_numbers_restart():
    plan = tokyo_by_groups()
    lines = report_order(plan)
    assert isinstance(lines[0], ReportHeading) and lines[0].group is FIRST_GROUP
    assert lines[0].text == "保健グループ"
    current: Group | None = None
    numbers: dict[Group | None, list[str]] = {}
    for line in lines:
        if isinstance(line, ReportHeading):
            assert line.is_group and line.group not in numbers  # each group once
            current = line.group
            numbers[current] = []
        else:
            assert line.group == current == plan.effective_group(line.node.key)
            numbers[current].append(line.number)
    assert len(numbers) >= 3
    for group_numbers in numbers.values():
        assert group_numbers[:3] == ["①", "②", "③"][: len(group_numbers)]
    assert [printed_number(n) for n in (20, 21, 35, 36, 50, 51)] == [
        "⑳",
        "㉑",
        "㉟",
        "㊱",
        "㊿",
        "（５１）",
    ]


def test_the_order_by_group_is_the_plans_own_not_the_trees():
    plan = tokyo_by_groups()
    health = keys_of_group(plan, Group.HEALTH)
    in_tree = [
        n.key
        for n in tree_order(plan)
        if plan.is_reportable(n.key) and plan.effective_group(n.key) is Group.HEALTH
    ]
    assert health == list(reversed(in_tree)) and len(health) > 2
    # Moving one item in the tree does not move it in the report; its position does.
    first, last = health[0], health[-1]
    moved = replace(plan.node(first), position=999)
    nodes = tuple(moved if n.key == first else n for n in plan.nodes)
    assert keys_of_group(replace(plan, nodes=nodes, _index={}), Group.HEALTH) == health
    placed = tuple(replace(n, report_position=0) if n.key == last else n for n in plan.nodes)
    assert keys_of_group(replace(plan, nodes=placed, _index={}), Group.HEALTH)[0] == last
    assert groups_of(plan)[0] is FIRST_GROUP


def test_without_numbering_per_group_an_item_prints_its_label():
    plan = replace(tokyo_by_groups(), number_per_group=False)
    rows = [line for line in report_order(plan) if isinstance(line, ReportRow)]
    assert all(r.number == r.node.label for r in rows)


def test_unplaced_items_follow_in_tree_order_and_rows_without_group_come_last():
    plan = tokyo_by_groups()
    lone = PlanNode("9", None, plan.nodes[0].level, "９．", "グループなし", "本文")
    plan = replace(plan, nodes=(*plan.nodes, lone), _index={})
    lines = report_order(plan)
    assert lines[-2] == ReportHeading("担当グループ未設定", group=None)
    assert isinstance(lines[-1], ReportRow) and lines[-1].node.key == "9"
    assert report_order(plan, lang="en")[-2].text == "No responsible group"


def test_a_scope_keeps_the_numbers_of_the_whole_report():
    plan = tokyo_by_groups()
    health = keys_of_group(plan, Group.HEALTH)
    full = {r.node.key: r.number for r in report_order(plan) if isinstance(r, ReportRow)}
    part = [r for r in report_order(plan, {health[1]}) if isinstance(r, ReportRow)]
    assert [(r.node.key, r.number) for r in part] == [(health[1], full[health[1]])]


def test_completeness_per_group_counts_rows_with_status_and_mark():
    plan = tokyo_by_groups()
    health = keys_of_group(plan, Group.HEALTH)
    entries = {
        health[0]: SectionEntry(health[0], status_text="実施", mark="○"),
        health[1]: SectionEntry(health[1], status_text="実施"),  # no mark: not entered
    }
    progress = {p.group: p for p in progress_by_group(plan, entries)}
    assert progress[Group.HEALTH].entered == 1
    assert progress[Group.HEALTH].total == len(health)
    assert progress[Group.HEALTH].text("ja") == f"保健 1/{len(health)}"
    assert progress[Group.HEALTH].text("en") == f"Health 1/{len(health)}"
    assert sum(p.total for p in progress.values()) == len(reportable_nodes(plan))
