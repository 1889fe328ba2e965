"""Changes to a plan since its approval (desktop/domain/plan_diff.py): two Plan objects
compared, without a database."""

from __future__ import annotations

from dataclasses import fields, replace
from decimal import Decimal

from desktop.domain import plan_diff
from desktop.domain.calendar import YearMonth
from desktop.domain.model import (
    BranchTarget,
    BranchTargetKind,
    BranchTargets,
    Direction,
    Group,
    Kpi,
    Level,
    PeriodKind,
    Plan,
    PlanNode,
    Report,
    SectionEntry,
    Source,
    TargetKind,
)
from desktop.domain.plan_diff import Change, diff_plans, plan_content


def _plan() -> Plan:
    nodes = (
        PlanNode("1", None, Level.PILLAR, "１．", "基盤的保険者機能"),
        PlanNode("1.I", "1", Level.SECTION, "Ⅰ．", "健全な財政運営", position=0),
        PlanNode(
            "1.I.1",
            "1.I",
            Level.ITEM,
            "①",
            "保険料率",
            "料率を周知する",
            Group.PLANNING,
            position=0,
        ),
        PlanNode("1.I.2", "1.I", Level.ITEM, "②", "広報", "広報を行う", position=1),
        PlanNode("1.I.3", "1.I", Level.ITEM, "③", "相談", "相談に応じる", position=2),
        PlanNode("2", None, Level.PILLAR, "２．", "戦略的保険者機能", position=1),
    )
    kpis = (
        Kpi("1.I.1.k1", "1.I.1", "ⅰ）", "周知率", "％", 1, Direction.AT_LEAST,
            TargetKind.FIXED, Decimal("95.0"), last_year_actual=Decimal("93.2")),
    )  # fmt: skip
    return Plan("13", 2025, "東京支部 令和7年度 事業計画", ("基本方針",), nodes, kpis)


def test_the_same_plan_has_no_changes():
    assert not diff_plans(_plan(), _plan())


def test_plan_content_leaves_out_reports_and_monthly_figures():
    plan = replace(
        _plan(),
        reports=(
            Report(
                PeriodKind.MIDYEAR, YearMonth(2025, 9), entries=(SectionEntry("1.I.1", "実施"),)
            ),
        ),
        kpis=(replace(_plan().kpis[0], monthly_actuals=((1, Decimal("40")),)),),
    )
    content = plan_content(plan)
    assert content.reports == () and content.kpis[0].monthly_actuals == ()
    assert content.kpis[0].target == Decimal("95.0") and content.nodes == plan.nodes
    # The reference figures beside the targets are kept, and a change to them is shown.
    assert content.kpis[0].last_year_actual == Decimal("93.2")
    other = replace(plan, kpis=(replace(plan.kpis[0], last_year_actual=Decimal("90")),))
    (kpi,) = diff_plans(plan_content(plan), plan_content(other)).nodes[0].kpis
    assert [(f.label.ja, f.old.ja, f.new.ja) for f in kpi.fields] == [("前年度実績", "93.2", "90")]


def test_every_field_of_a_node_and_a_kpi_is_compared_or_named_as_not_plan_content():
    """A new field of PlanNode or Kpi is compared (with a label people read) unless it is
    named as compared another way, or as not part of the plan with the reason."""
    compared_nodes = {name for name, _label in plan_diff.NODE_FIELDS}
    compared_kpis = {name for name, _label in plan_diff.KPI_FIELDS}
    node_names = {f.name for f in fields(PlanNode)}
    kpi_names = {f.name for f in fields(Kpi)}
    assert compared_nodes == node_names - plan_diff.NODE_COMPARED_ELSEWHERE
    assert compared_kpis == (
        kpi_names - plan_diff.KPI_COMPARED_ELSEWHERE - plan_diff.KPI_NOT_PLAN.keys()
    )
    assert compared_nodes <= plan_diff.NODE_LABELS.keys()
    assert compared_kpis <= plan_diff.KPI_LABELS.keys()
    # And each compared field really shows up when it alone changes.
    old = _plan()
    kpi, node = old.kpis[0], old.node("1.I.1")
    for name in compared_kpis:
        changed = replace(kpi, **{name: _other_value(getattr(kpi, name), name)})
        diff = diff_plans(old, replace(old, kpis=(changed,)))
        assert diff.nodes and diff.nodes[0].kpis[0].fields, name
    for name in compared_nodes:
        changed = replace(node, **{name: _other_value(getattr(node, name), name)})
        nodes = tuple(changed if n.key == node.key else n for n in old.nodes)
        diff = diff_plans(old, replace(old, nodes=nodes, _index={}))
        assert diff.node("1.I.1") is not None and diff.node("1.I.1").fields, name


def _other_value(value: object, name: str) -> object:
    samples: dict[type, object] = {
        bool: not value,
        int: (value or 0) + 1 if isinstance(value, int) else 3,
        Decimal: (value or Decimal(0)) + 1 if isinstance(value, Decimal) else Decimal(7),
        str: f"{value or ''}改",
        tuple: (*value, "※ 追加") if isinstance(value, tuple) else ("※",),
    }
    by_name: dict[str, object] = {
        "direction": Direction.AT_MOST,
        "target_kind": TargetKind.MULTI_YEAR,
        "group": Group.HEALTH,
        "level": Level.SUBSECTION,
        "branch_may_add": False,
        "last_year_source": Source.TYPED,
        "prior_year_source": Source.PACK,
        "baseline_year": 2023,
        "goal_year": 2029,
        "judged_decimals": 0,
        "last_year_national_rank": 5,
        "decimals": 2,
    }
    if name in by_name:
        return by_name[name]
    if value is None:
        return {"numerator_target": Decimal(1), "denominator_target": Decimal(2),
                "prior_year_actual": Decimal("91.0"), "baseline_value": Decimal("50.0"),
                "last_year_national_average": Decimal("88.0")}.get(name, "文")  # fmt: skip
    return samples[type(value)]


def test_target_kinds_reference_figures_and_flags_are_shown_by_name():
    old = _plan()
    kpi = old.kpis[0]
    new_kpi = replace(
        kpi,
        target_kind=TargetKind.MULTI_YEAR,
        target=Decimal("99.0"),
        baseline_year=2023,
        baseline_value=Decimal("90.0"),
        goal_year=2029,
        reference_indicator=True,
        definition_note="分母を変更",
        prior_year_actual=Decimal("92.0"),
        prior_year_source=Source.TYPED,
        last_year_national_average=Decimal("91.5"),
        last_year_national_rank=12,
        own=True,
    )
    nodes = tuple(replace(n, own=True) if n.key == "1.I.1" else n for n in old.nodes)
    nodes = tuple(replace(n, branch_may_add=False) if n.key == "1.I" else n for n in nodes)
    diff = diff_plans(old, replace(old, kpis=(new_kpi,), nodes=nodes, _index={}))
    item = diff.node("1.I.1")
    assert item is not None and [f.label.ja for f in item.fields] == ["支部独自"]
    section = diff.node("1.I")
    assert section is not None
    assert [(f.label.ja, f.old.ja, f.new.ja) for f in section.fields] == [
        ("支部の追加", "（なし）", "なし")
    ]
    shown = {f.label.ja: (f.old.ja, f.new.ja) for f in item.kpis[0].fields}
    assert shown == {
        "目標の種類": ("固定値", "複数年度目標"),
        "目標値": ("95.0", "99.0"),
        "前々年度実績": ("（なし）", "92.0"),
        "前々年度実績の出所": ("（なし）", "入力"),
        "前年度の全国平均": ("（なし）", "91.5"),
        "前年度の全国順位": ("（なし）", "12"),
        "参考指標": ("なし", "あり"),
        "基準年度": ("（なし）", "2023"),
        "基準値": ("（なし）", "90.0"),
        "目標年度": ("（なし）", "2029"),
        "算出方法の変更の内容": ("（なし）", "分母を変更"),
        "支部独自": ("なし", "あり"),
    }
    text = replace(kpi, target_kind=TargetKind.MANUAL, target=None, target_text="前年度を上回る")
    (k,) = diff_plans(old, replace(old, kpis=(text,))).nodes[0].kpis
    assert {f.label.ja: f.new.ja for f in k.fields}["目標（文言）"] == "前年度を上回る"


def test_targets_per_branch_are_compared_cell_by_cell():
    hq = replace(_plan(), branch="00")
    key = hq.kpis[0].key
    cells = BranchTargets((("08", key, BranchTarget(BranchTargetKind.FIXED, Decimal("97.0"))),))
    after = replace(hq, branch_targets=cells)
    assert plan_content(after).branch_targets == cells
    diff = diff_plans(plan_content(hq), plan_content(after))
    (change,) = diff.fields
    assert "茨城支部" in change.label.ja and "周知率" in change.label.ja
    assert (change.old.en, change.new.ja) == ("(HQ's target)", "97.0％以上")


def test_added_removed_renamed_and_text_changes_are_listed_per_node():
    old = _plan()
    nodes = [n for n in old.nodes if n.key != "1.I.3"]  # removed
    nodes[2] = replace(nodes[2], title="保険料率の周知", plan_text="料率を広く周知する")
    nodes.append(
        PlanNode("2.I", "2", Level.SECTION, "Ⅰ．", "支部独自の取組", "独自事業", position=0)
    )
    new = replace(old, nodes=tuple(nodes), _index={})
    diff = diff_plans(old, new)
    assert [(n.key, n.change) for n in diff.nodes] == [
        ("1.I.1", Change.CHANGED),
        ("2.I", Change.ADDED),
        ("1.I.3", Change.REMOVED),
    ]
    item = diff.node("1.I.1")
    assert item is not None and item.renamed == ("①保険料率", "①保険料率の周知")
    assert [(r.op, r.text) for r in item.plan_text] == [
        ("same", "料率を"), ("added", "広く"), ("same", "周知する"),
    ]  # fmt: skip
    added = diff.node("2.I")
    assert added is not None and [(r.op, r.text) for r in added.plan_text] == [
        ("added", "独自事業")
    ]
    removed = diff.node("1.I.3")
    assert removed is not None and removed.plan_text[0].op == "removed"
    assert removed.title == "③相談"


def test_a_node_moved_to_another_parent_or_among_its_siblings():
    old = _plan()
    by_key = {n.key: n for n in old.nodes}
    # ③ goes first among its siblings; ② moves under pillar 2.
    nodes = {
        **by_key,
        "1.I.3": replace(by_key["1.I.3"], position=-1),
        "1.I.2": replace(by_key["1.I.2"], parent_key="2", position=5),
    }
    new = replace(old, nodes=tuple(nodes.values()), _index={})
    diff = diff_plans(old, new)
    moved = diff.node("1.I.2")
    assert moved is not None and moved.moved is not None
    assert "Ⅰ．健全な財政運営" in moved.moved.ja and "２．戦略的保険者機能" in moved.moved.ja
    reordered = diff.node("1.I.3")
    assert reordered is not None and reordered.moved is not None
    assert "siblings" in reordered.moved.en
    # ① kept its place relative to the siblings that stayed: not listed.
    assert diff.node("1.I.1") is None


def test_inserting_a_sibling_moves_nobody():
    old = _plan()
    nodes = [replace(n, position=n.position + 1) if n.parent_key == "1.I" else n for n in old.nodes]
    nodes.append(PlanNode("1.I.0", "1.I", Level.ITEM, "⓪", "新しい項目", position=0))
    diff = diff_plans(old, replace(old, nodes=tuple(nodes), _index={}))
    assert [(n.key, n.change) for n in diff.nodes] == [("1.I.0", Change.ADDED)]


def test_kpi_definitions_and_targets():
    old = _plan()
    kpi = old.kpis[0]
    changed = replace(kpi, target=Decimal("96.5"), direction=Direction.AT_MOST, is_new=True)
    extra = Kpi(
        "1.I.2.k1",
        "1.I.2",
        "",
        "広報回数",
        "回",
        0,
        Direction.AT_LEAST,
        TargetKind.FIXED,
        Decimal(4),
    )
    new = replace(old, kpis=(changed, extra))
    diff = diff_plans(old, new)
    first = diff.node("1.I.1")
    assert first is not None and first.change is Change.CHANGED
    (k,) = first.kpis
    shown = {f.label.en: (f.old.ja, f.new.ja) for f in k.fields}
    assert shown == {
        "target": ("95.0", "96.5"),
        "direction": ("以上", "以下"),
        "new this year": ("なし", "あり"),
    }
    second = diff.node("1.I.2")
    assert second is not None and [(x.key, x.change) for x in second.kpis] == [
        ("1.I.2.k1", Change.ADDED)
    ]
    # Removing the KPI again: listed as removed under its node.
    gone = diff_plans(new, old).node("1.I.2")
    assert gone is not None and gone.kpis[0].change is Change.REMOVED


def test_node_fields_and_the_plans_title():
    old = _plan()
    nodes = tuple(
        replace(n, group=Group.HEALTH, importance="重点事項", footnotes=("※ 速報値",))
        if n.key == "1.I.1" else n
        for n in old.nodes
    )  # fmt: skip
    new = replace(old, nodes=nodes, title="東京支部 事業計画（改訂）", _index={})
    diff = diff_plans(old, new)
    assert [f.label.en for f in diff.fields] == ["plan title"]
    node = diff.node("1.I.1")
    assert node is not None
    fields = {f.label.en: (f.old.en, f.new.en) for f in node.fields}
    assert fields == {
        "group": ("Planning and general affairs", "Health"),
        "high importance (reason)": ("(none)", "重点事項"),
        "footnotes (※)": ("(none)", "※ 速報値"),
    }


def test_the_plans_own_settings_are_kept_as_agreed_and_a_change_is_shown():
    """plan_content keeps every plan-level field but the reports, so a setting added to
    Plan later (here: the report layout) is part of what was approved."""
    from desktop.domain.model import ReportAxis

    plan = _plan()
    by_group = replace(plan, report_axis=ReportAxis.GROUP, number_per_group=True, _index={})
    assert plan_content(by_group).report_axis is ReportAxis.GROUP
    assert plan_content(by_group).number_per_group
    diff = diff_plans(plan_content(plan), plan_content(by_group))
    assert [(f.label.ja, f.old.ja, f.new.ja) for f in diff.fields] == [
        ("報告書の構成", "計画の階層順", "担当グループ別（グループごとに番号）")
    ]
