"""Changes to a plan since its approval (desktop/domain/plan_diff.py): two Plan objects
compared, without a database."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from desktop.domain.calendar import YearMonth
from desktop.domain.model import (
    Direction,
    Group,
    Kpi,
    Level,
    PeriodKind,
    Plan,
    PlanNode,
    Report,
    SectionEntry,
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


def test_plan_content_leaves_out_reports_and_reference_figures():
    plan = replace(
        _plan(),
        reports=(
            Report(
                PeriodKind.MIDYEAR, YearMonth(2025, 9), entries=(SectionEntry("1.I.1", "実施"),)
            ),
        ),
    )
    content = plan_content(plan)
    assert content.reports == () and content.kpis[0].last_year_actual is None
    assert content.kpis[0].target == Decimal("95.0") and content.nodes == plan.nodes
    # Reference figures are not plan content: a typed last year's actual is no change.
    other = replace(plan, kpis=(replace(plan.kpis[0], last_year_actual=Decimal("90")),))
    assert not diff_plans(plan_content(plan), plan_content(other))


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
