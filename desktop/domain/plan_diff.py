"""What changed in a plan since it was approved: two Plan objects compared.

A plan's content is its tree (nodes, their printed labels and titles, order and
place, groups, 支部独自 and "branch may add" flags), its texts (plan text,
重要度／困難度 reasons, footnotes, the basic policy), its KPI definitions with
their targets of every kind, the reference figures beside them (前年度・前々年度
actuals and last year's national figures, with where they came from), and in
HQ's template the targets per branch and the rules for suggested marks. Reports
and monthly figures are not: :func:`plan_content` strips them, and the approval
snapshot is that. Every field of ``PlanNode`` and ``Kpi`` is compared unless named
in NODE_COMPARED_ELSEWHERE, KPI_COMPARED_ELSEWHERE or KPI_NOT_PLAN.

:func:`diff_plans` lists the changes node by node, in the order the new plan
prints them (nodes removed since come after, in the old plan's order): a node
added, removed, moved (to another parent, or among its siblings), renamed, its
plan text by character runs (review.text_diff), its other fields, and the KPIs
under it added, removed or with changed definitions and targets.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from dataclasses import fields as dataclass_fields
from enum import StrEnum

from desktop.domain.branch_targets import format_cell
from desktop.domain.branches import branch as find_branch
from desktop.domain.model import (
    BranchTarget,
    Direction,
    Group,
    Kpi,
    Plan,
    PlanNode,
    ReportAxis,
    Source,
    TargetKind,
)
from desktop.domain.plan_document import iter_nodes_depth_first
from desktop.domain.review import DiffRun, text_diff
from desktop.domain.text import Text


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


def plan_content(plan: Plan) -> Plan:
    """The plan as agreed: tree, texts, KPI definitions and targets, the reference figures
    beside them (前年度・前々年度 actuals, last year's national figures), HQ's targets per
    branch and rules for suggested marks — without reports, monthly figures or last
    year's pace profile (:data:`KPI_NOT_PLAN`)."""
    kpis = tuple(replace(k, last_year_profile=(), monthly_actuals=()) for k in plan.kpis)
    # replace(), not a field list: a plan-level field added later is kept by default.
    return replace(plan, kpis=kpis, reports=(), _index={})


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field, as approved and now (shown, in both languages)."""

    label: Text
    old: Text
    new: Text

    def runs(self) -> list[DiffRun]:
        """The change by character runs (Japanese values)."""
        return text_diff(self.old.ja, self.new.ja)


@dataclass(frozen=True, slots=True)
class KpiDiff:
    key: str
    name: str  # 「label name」 as now (as approved, when removed)
    change: Change
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True, slots=True)
class NodeDiff:
    key: str
    title: str  # display title now (as approved, when removed)
    change: Change
    renamed: tuple[str, str] | None = None  # display title (approved, now)
    moved: Text | None = None
    plan_text: tuple[DiffRun, ...] = ()  # empty: the same
    fields: tuple[FieldChange, ...] = ()
    kpis: tuple[KpiDiff, ...] = ()


@dataclass(frozen=True, slots=True)
class PlanDiff:
    fields: tuple[FieldChange, ...] = ()  # the plan's title and basic policy
    nodes: tuple[NodeDiff, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.fields or self.nodes)

    def node(self, key: str) -> NodeDiff | None:
        return next((n for n in self.nodes if n.key == key), None)


# --- showing values ---------------------------------------------------------------------------

_YES, _NO = Text("あり", "yes"), Text("なし", "no")
_NONE = Text("（なし）", "(none)")
_DIRECTION = {
    Direction.AT_LEAST: Text("以上", "at least"),
    Direction.AT_MOST: Text("以下", "at most"),
    Direction.EXACTLY: Text("ちょうど", "exactly"),
    Direction.QUALITATIVE: Text("定性（実施）", "qualitative (done)"),
}
_TARGET_KIND = {
    TargetKind.FIXED: Text("固定値", "fixed value"),
    TargetKind.PREV_YEAR: Text("対前年度", "relative to last year"),
    TargetKind.PREV_YEAR_END: Text("対前年度末", "relative to last year's year-end"),
    TargetKind.MULTI_YEAR: Text("複数年度目標", "multi-year goal"),
    TargetKind.MONTHLY: Text("毎月の目標", "monthly rule"),
    TargetKind.MANUAL: Text("文言による目標（手動判定）", "goal in words (judged by hand)"),
}


def _shown(value: object) -> Text:
    if value is None or value == "" or value == ():
        return _NONE
    if isinstance(value, bool):
        return _YES if value else _NO
    if isinstance(value, Direction):
        return _DIRECTION[value]
    if isinstance(value, TargetKind):
        return _TARGET_KIND[value]
    if isinstance(value, Source):
        return value.text
    if isinstance(value, Group):
        return Text(value.label("ja"), value.label("en"))
    if isinstance(value, tuple):
        return Text.same("\n".join(str(v) for v in value))
    return Text.same(str(value))


# Every field of a node and a KPI is compared, driven by the dataclasses' fields: a new
# field is compared (and tests/unit/test_plan_diff.py asks for its label) unless it is
# named below as compared another way or as not part of the plan.
NODE_COMPARED_ELSEWHERE = frozenset(
    {"key", "parent_key", "position", "label", "title", "plan_text"}  # identity, moved,
)  # renamed, the plan text by character runs
KPI_COMPARED_ELSEWHERE = frozenset({"key", "node_key"})  # identity, moved to another node
KPI_NOT_PLAN: dict[str, str] = {
    "monthly_actuals": "this year's figures month by month: reported, not planned",
    "last_year_profile": "last year's monthly curve: the pace's shape, not an agreed figure",
}
NODE_LABELS: dict[str, Text] = {
    "level": Text("階層", "level"),
    "group": Text("担当グループ", "group"),
    "importance": Text("重要度：高（理由）", "high importance (reason)"),
    "difficulty": Text("困難度：高（理由）", "high difficulty (reason)"),
    "footnotes": Text("注記（※）", "footnotes (※)"),
    "own": Text("支部独自", "branch's own"),
    "branch_may_add": Text("支部の追加", "branch may add"),
    "report_position": Text("報告書での順番", "place in the report"),
    "rated_with": Text("まとめて評価する項目", "rated together with"),
}
KPI_LABELS: dict[str, Text] = {
    "label": Text("番号", "label"),
    "name": Text("KPI名", "name"),
    "unit": Text("単位", "unit"),
    "decimals": Text("小数桁数", "decimals"),
    "direction": Text("方向", "direction"),
    "target_kind": Text("目標の種類", "target kind"),
    "target": Text("目標値", "target"),
    "cumulative": Text("累積", "cumulative"),
    "is_new": Text("新設", "new this year"),
    "definition_changed": Text("算出方法の変更", "definition changed"),
    "numerator_label": Text("分子", "numerator"),
    "denominator_label": Text("分母", "denominator"),
    "numerator_target": Text("分子の目標", "numerator target"),
    "denominator_target": Text("分母の目標", "denominator target"),
    "last_year_actual": Text("前年度実績", "last year's actual"),
    "reference": Text("参考", "reference"),
    "note": Text("備考", "note"),
    "judged_decimals": Text("判定の桁数", "judged at decimals"),
    "last_year_source": Text("前年度実績の出所", "last year's actual from"),
    "prior_year_actual": Text("前々年度実績", "the year before's actual"),
    "prior_year_source": Text("前々年度実績の出所", "the year before's actual from"),
    "last_year_national_average": Text("前年度の全国平均", "last year's national average"),
    "last_year_national_rank": Text("前年度の全国順位", "last year's national rank"),
    "target_by_branch": Text("支部設定", "set by the branch"),
    "reference_indicator": Text("参考指標", "reference indicator"),
    "baseline_year": Text("基準年度", "baseline year"),
    "baseline_value": Text("基準値", "baseline value"),
    "goal_year": Text("目標年度", "goal year"),
    "target_text": Text("目標（文言）", "goal in words"),
    "definition_note": Text("算出方法の変更の内容", "what changed in the method"),
    "own": Text("支部独自", "branch's own"),
}


def _compared(cls: type, elsewhere: Iterable[str], labels: dict[str, Text]) -> tuple:
    skip = set(elsewhere)
    return tuple(
        (f.name, labels.get(f.name, Text.same(f.name)))
        for f in dataclass_fields(cls)
        if f.name not in skip
    )


NODE_FIELDS: tuple[tuple[str, Text], ...] = _compared(
    PlanNode, NODE_COMPARED_ELSEWHERE, NODE_LABELS
)
KPI_FIELDS: tuple[tuple[str, Text], ...] = _compared(
    Kpi, KPI_COMPARED_ELSEWHERE | KPI_NOT_PLAN.keys(), KPI_LABELS
)


def _field_changes(
    old: object, new: object, fields: Iterable[tuple[str, Text]]
) -> tuple[FieldChange, ...]:
    out = []
    for name, label in fields:
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            out.append(FieldChange(label, _shown(a), _shown(b)))
    return tuple(out)


# --- the diff ------------------------------------------------------------------------------


def _kpi_name(k: Kpi) -> str:
    return f"{k.label}{k.name}" if k.label else k.name


def _parent_title(plan: Plan, key: str | None) -> str:
    return plan.node(key).display_title if key else plan.title


def _reordered(old: Plan, new: Plan) -> set[str]:
    """Nodes that changed place among siblings that stayed with them: the keys outside
    the longest common order of each parent's children (inserting or removing a
    sibling moves nobody)."""
    out: set[str] = set()
    old_keys = {n.key for n in old.nodes}
    parents = {n.parent_key for n in new.nodes}
    for parent in parents:
        if parent is not None and parent not in old_keys:
            continue
        now = [n.key for n in new.children(parent)]
        before = [n.key for n in old.children(parent)]
        common = set(now) & set(before)
        now = [k for k in now if k in common]
        before = [k for k in before if k in common]
        matcher = difflib.SequenceMatcher(None, before, now, autojunk=False)
        kept = {before[b.a + i] for b in matcher.get_matching_blocks() for i in range(b.size)}
        out |= common - kept
    return out


def _moved(old: Plan, new: Plan, a: PlanNode, b: PlanNode, reordered: set[str]) -> Text | None:
    if a.parent_key != b.parent_key:
        was, now = _parent_title(old, a.parent_key), _parent_title(new, b.parent_key)
        return Text(
            f"「{was}」の下から「{now}」の下へ移動", f"moved from under '{was}' to under '{now}'"
        )
    if b.key in reordered:
        return Text("同じ階層の中で順序を変更", "moved among its siblings")
    return None


def _kpi_diffs(old: Plan, new: Plan, node_key: str, *, gone: bool = False) -> list[KpiDiff]:
    before = {k.key: k for k in old.kpis}
    now = {k.key: k for k in new.kpis}
    out: list[KpiDiff] = []
    if gone:  # a removed node: its KPIs as approved, unless they live on elsewhere
        return [
            KpiDiff(k.key, _kpi_name(k), Change.REMOVED)
            for k in old.kpis_of(node_key)
            if k.key not in now
        ]
    for k in new.kpis_of(node_key):
        was = before.get(k.key)
        if was is None:
            out.append(KpiDiff(k.key, _kpi_name(k), Change.ADDED))
            continue
        fields = list(_field_changes(was, k, KPI_FIELDS))
        if was.node_key != k.node_key:
            fields.insert(
                0,
                FieldChange(
                    Text("項目", "section"),
                    Text.same(_parent_title(old, was.node_key)),
                    Text.same(_parent_title(new, k.node_key)),
                ),
            )
        if fields:
            out.append(KpiDiff(k.key, _kpi_name(k), Change.CHANGED, tuple(fields)))
    for k in old.kpis_of(node_key):
        if k.key not in now:
            out.append(KpiDiff(k.key, _kpi_name(k), Change.REMOVED))
    return out


def diff_plans(old: Plan, new: Plan) -> PlanDiff:
    """The content changes from ``old`` (as approved) to ``new`` (as it is now)."""
    old_nodes = {n.key: n for n in old.nodes}
    new_keys = {n.key for n in new.nodes}
    reordered = _reordered(old, new)
    nodes: list[NodeDiff] = []
    for b in iter_nodes_depth_first(new):
        a = old_nodes.get(b.key)
        if a is None:
            nodes.append(
                NodeDiff(
                    b.key,
                    b.display_title,
                    Change.ADDED,
                    plan_text=tuple(text_diff("", b.plan_text)),
                    kpis=tuple(_kpi_diffs(old, new, b.key)),
                )
            )
            continue
        renamed = (a.display_title, b.display_title) if a.display_title != b.display_title else None
        text = tuple(text_diff(a.plan_text, b.plan_text)) if a.plan_text != b.plan_text else ()
        fields = _field_changes(a, b, NODE_FIELDS)
        kpis = tuple(_kpi_diffs(old, new, b.key))
        moved = _moved(old, new, a, b, reordered)
        if renamed or text or fields or kpis or moved:
            nodes.append(
                NodeDiff(b.key, b.display_title, Change.CHANGED, renamed, moved, text, fields, kpis)
            )
    for a in iter_nodes_depth_first(old):
        if a.key not in new_keys:
            nodes.append(
                NodeDiff(
                    a.key,
                    a.display_title,
                    Change.REMOVED,
                    plan_text=tuple(text_diff(a.plan_text, "")),
                    kpis=tuple(_kpi_diffs(old, new, a.key, gone=True)),
                )
            )
    plan_fields = []
    if old.title != new.title:
        plan_fields.append(
            FieldChange(Text("計画名", "plan title"), _shown(old.title), _shown(new.title))
        )
    if old.basic_policy != new.basic_policy:
        plan_fields.append(
            FieldChange(
                Text("基本方針", "basic policy"),
                _shown(old.basic_policy),
                _shown(new.basic_policy),
            )
        )
    if old.mark_rules != new.mark_rules:
        plan_fields.append(
            FieldChange(
                Text("評価の目安（本部の規則）", "HQ's rules for suggested marks"),
                Text("承認時の規則", "as approved"),
                Text("変更あり", "changed"),
            )
        )
    if _layout(old) != _layout(new):
        plan_fields.append(
            FieldChange(Text("報告書の構成", "report layout"), _layout(old), _layout(new))
        )
    plan_fields += _branch_target_changes(old, new)
    return PlanDiff(tuple(plan_fields), tuple(nodes))


def _layout(plan: Plan) -> Text:
    if plan.report_axis is not ReportAxis.GROUP:
        return Text("計画の階層順", "by the plan tree")
    if plan.number_per_group:
        return Text("担当グループ別（グループごとに番号）", "by group, numbered per group")
    return Text("担当グループ別", "by group")


def _branch_target_changes(old: Plan, new: Plan) -> list[FieldChange]:
    """HQ's table of targets per branch, cell by cell (a cell left out is the KPI's own
    target: shown as the template's default)."""
    before, now = old.branch_targets.as_dict(), new.branch_targets.as_dict()
    kpis = {k.key: k for k in old.kpis} | {k.key: k for k in new.kpis}
    out = []
    for place in sorted(before.keys() | now.keys()):
        a, b = before.get(place), now.get(place)
        if a == b:
            continue
        code, key = place
        kpi, who = kpis[key], find_branch(code)
        out.append(
            FieldChange(
                Text(
                    f"支部別目標（{who.name_ja}・{_kpi_name(kpi)}）",
                    f"target per branch ({who.name_en}, {_kpi_name(kpi)})",
                ),
                _cell(a, kpi),
                _cell(b, kpi),
            )
        )
    return out


def _cell(target: BranchTarget | None, kpi: Kpi) -> Text:
    if target is None:
        return Text("（本部の目標どおり）", "(HQ's target)")
    return Text.same(format_cell(target, kpi))
