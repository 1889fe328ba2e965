"""A plan organised by responsible group, for the tests of issue 16 item 2: the
bundled Tokyo FY2024 plan with report_axis 'group', numbers per group and its own
printed order, unlike the tree's: 保健 first, and each group's items in reverse
tree order."""

from __future__ import annotations

from dataclasses import replace

from desktop.domain.model import Group, Plan, ReportAxis
from desktop.domain.report_order import group_rows
from desktop.services.plans import bundled_plan

FIRST_GROUP = Group.HEALTH


def by_groups(plan: Plan) -> Plan:
    """``plan`` organised by group, with report positions against the tree's order."""
    rows = group_rows(plan)
    ordered = sorted(
        rows,
        key=lambda n: (
            plan.effective_group(n.key) is not FIRST_GROUP,
            list(Group).index(plan.effective_group(n.key)) if plan.effective_group(n.key) else 9,
            -rows.index(n),
        ),
    )
    place = {n.key: (i + 1) * 10 for i, n in enumerate(ordered)}
    nodes = tuple(replace(n, report_position=place.get(n.key)) for n in plan.nodes)
    return replace(
        plan, nodes=nodes, report_axis=ReportAxis.GROUP, number_per_group=True, _index={}
    )


def tokyo_by_groups() -> Plan:
    return by_groups(bundled_plan("plans/tokyo_2024.json"))
