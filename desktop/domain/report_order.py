"""The order a plan's report is printed and shown in: headings and rows with their
printed numbers, by tree or by responsible group (Plan.report_axis).

By tree, the report is the plan tree: headings are the nodes above the items, rows
the nodes staff write on, numbered with their own labels. By group, each group is a
heading and its rows follow in the plan's own order (PlanNode.report_position,
independent of the tree); with Plan.number_per_group the printed number restarts
in each group and is computed from that order, never typed. Print sheets, the PDF,
the navigator and the dashboard take their order from here.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from desktop.domain.model import Group, Plan, PlanNode, ReportAxis, SectionEntry
from desktop.domain.text import Text

NO_GROUP = Text("担当グループ未設定", "No responsible group")


@dataclass(frozen=True, slots=True)
class ReportHeading:
    """A heading line: a plan node (by tree) or a responsible group (by group)."""

    text: str
    node: PlanNode | None = None  # by tree
    group: Group | None = None  # by group (None with node None: the rows without a group)

    @property
    def is_group(self) -> bool:
        return self.node is None


@dataclass(frozen=True, slots=True)
class ReportRow:
    """A row staff write on, with the number the report prints before its title."""

    node: PlanNode
    number: str
    group: Group | None

    @property
    def title(self) -> str:
        """The number and the title as the report prints them."""
        return f"{self.number}{self.node.title}"


ReportLine = ReportHeading | ReportRow


def group_heading_text(group: Group | None, lang: str = "ja") -> str:
    if group is None:
        return NO_GROUP.get(lang)
    return f"{group.value}グループ" if lang == "ja" else f"{group.label(lang)} group"


def report_order(
    plan: Plan, keys: Collection[str] | None = None, *, lang: str = "ja"
) -> list[ReportLine]:
    """The report's lines in printed order. ``keys``: only these nodes' rows (a work
    file's scope, a filter); by tree their headings come along."""
    if plan.report_axis is ReportAxis.GROUP:
        return _by_group(plan, keys, lang)
    return _by_tree(plan, keys)


def tree_order(plan: Plan) -> list[PlanNode]:
    """Every node, depth first in the tree's order."""
    out: list[PlanNode] = []

    def walk(parent: str | None) -> None:
        for node in plan.children(parent):
            out.append(node)
            walk(node.key)

    walk(None)
    return out


def within(plan: Plan, key: str, ancestor: str) -> bool:
    """Whether node ``key`` is ``ancestor`` or below it."""
    walk: str | None = key
    while walk is not None:
        if walk == ancestor:
            return True
        walk = plan.node(walk).parent_key
    return False


def reportable_nodes(plan: Plan) -> list[PlanNode]:
    """The nodes staff write on, in the report's order (either axis)."""
    return [line.node for line in report_order(plan) if isinstance(line, ReportRow)]


def _by_tree(plan: Plan, keys: Collection[str] | None) -> list[ReportLine]:
    nodes = tree_order(plan)
    rows = {n.key for n in nodes if plan.is_reportable(n.key) and (keys is None or n.key in keys)}
    shown = set(rows)
    for key in rows:  # the headings above what is shown
        up = plan.node(key).parent_key
        while up is not None and up not in shown:
            shown.add(up)
            up = plan.node(up).parent_key
    out: list[ReportLine] = []
    for node in nodes:
        if node.key not in shown:
            continue
        if plan.children(node.key):
            out.append(ReportHeading(node.display_title, node=node))
        if node.key in rows:
            out.append(ReportRow(node, node.label, plan.effective_group(node.key)))
    return out


def group_rows(plan: Plan) -> list[PlanNode]:
    """The rows of a report by group in the plan's own order: placed nodes by their
    report position, then the others in tree order."""
    nodes = tree_order(plan)
    tree_index = {n.key: i for i, n in enumerate(nodes)}
    rows = [n for n in nodes if plan.is_reportable(n.key)]

    def place(node: PlanNode) -> tuple[bool, int, int]:
        unplaced = node.report_position is None
        return (unplaced, node.report_position or 0, tree_index[node.key])

    return sorted(rows, key=place)


def _by_group(plan: Plan, keys: Collection[str] | None, lang: str) -> list[ReportLine]:
    by_group: dict[Group | None, list[PlanNode]] = {}
    for node in group_rows(plan):  # groups in the order of their first row
        by_group.setdefault(plan.effective_group(node.key), []).append(node)
    # The rows without a group close the report, after every group.
    if None in by_group:
        by_group[None] = by_group.pop(None)
    out: list[ReportLine] = []
    for group, nodes in by_group.items():
        lines: list[ReportLine] = []
        for number, node in enumerate(nodes, start=1):
            if keys is not None and node.key not in keys:
                continue
            printed = printed_number(number) if plan.number_per_group else node.label
            lines.append(ReportRow(node, printed, group))
        if lines:
            out.append(ReportHeading(group_heading_text(group, lang), group=group))
            out.extend(lines)
    return out


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def printed_number(n: int) -> str:
    """The computed number of the n-th row of a group: ① … ㊿, then （51）."""
    if 1 <= n <= 20:
        return _CIRCLED[n - 1]
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)  # ㉑ … ㉟
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)  # ㊱ … ㊿
    digits = str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return f"（{digits}）"


def groups_of(plan: Plan) -> list[Group]:
    """The groups that own a row of the plan, in the report's order (by tree: the
    groups' own order)."""
    present = {plan.effective_group(n.key) for n in tree_order(plan) if plan.is_reportable(n.key)}
    if plan.report_axis is ReportAxis.GROUP:
        seen: list[Group] = []
        for node in group_rows(plan):
            group = plan.effective_group(node.key)
            if group is not None and group not in seen:
                seen.append(group)
        return seen
    return [g for g in Group if g in present]


def keys_of_group(plan: Plan, group: Group | None) -> list[str]:
    """The rows one group owns (its effective group), in the report's order."""
    return [
        line.node.key
        for line in report_order(plan)
        if isinstance(line, ReportRow) and line.group == group
    ]


@dataclass(frozen=True, slots=True)
class GroupProgress:
    """How far one group is: rows with both 実施状況 and a mark, out of its rows."""

    group: Group | None
    entered: int
    total: int

    def text(self, lang: str = "ja") -> str:
        name = self.group.label(lang) if self.group else NO_GROUP.get(lang)
        return f"{name} {self.entered}/{self.total}"


def is_entered(entry: SectionEntry | None) -> bool:
    """A row counts as entered when it has its 実施状況 and a mark."""
    return entry is not None and bool(entry.status_text.strip()) and bool(entry.mark)


def progress_by_group(plan: Plan, entries: Mapping[str, SectionEntry]) -> list[GroupProgress]:
    """Completeness per group (e.g. 業務 8/10), in the report's order of groups; the
    rows without a group last."""
    totals: dict[Group | None, list[int]] = {}
    order = groups_of(plan)
    for line in report_order(plan):
        if isinstance(line, ReportRow):
            count = totals.setdefault(line.group, [0, 0])
            count[1] += 1
            count[0] += is_entered(entries.get(line.node.key))
    ranked = [g for g in order if g in totals] + [g for g in totals if g not in order]
    return [GroupProgress(g, *totals[g]) for g in ranked]
