"""Rolling a branch's plan over keeps what the branch added itself (支部独自) where HQ's
new template still allows it — with its targets, last year's figure as 前年度 — and lists
what it leaves behind, with the reason, in the rollover's summary (issue 15)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from desktop.domain.model import Direction, PeriodKind, ReportRef, Source
from desktop.services import editing, plan_editing, plans, rollover
from desktop.services.changes import PlanRef
from desktop.services.check import check_database
from desktop.services.plan_editing import KpiDraft

TOKYO_2024 = PlanRef("13", 2024)
PARENT = "2.II"  # Ⅱ．… a section in both Tokyo's FY2024 plan and HQ's FY2025 template


def _own_section(db) -> tuple[str, str]:
    changes = plan_editing.add_node(db, TOKYO_2024, PARENT, title="独自の受診勧奨",
                                    label="（独）", actor="planner")  # fmt: skip
    node = next(r.key for r in changes.records if getattr(r, "kind", "") == "node")
    draft = KpiDraft(name="勧奨後の受診率", unit="％", decimals=1,
                     direction=Direction.AT_LEAST, target="35.0")  # fmt: skip
    changes = plan_editing.add_kpi(db, TOKYO_2024, node, draft, actor="planner")
    kpi = next(r.key for r in changes.records if getattr(r, "kind", "") == "kpi")
    ref = ReportRef("13", 2024, PeriodKind.MIDYEAR)
    editing.set_measurement(db, ref, kpi, value="31.2", actor="planner")
    return node, kpi


def test_own_section_and_kpi_carry_over_to_next_year(demo_db):
    node, kpi = _own_section(demo_db)
    result = rollover.roll_over(demo_db, "13", actor="planner")
    plan = plans.get_plan(demo_db, "13", 2025)
    carried = plan.node(node)
    assert carried.own and carried.parent_key == PARENT and carried.title == "独自の受診勧奨"
    (own,) = [k for k in plan.kpis if k.own]
    assert own.key == kpi and own.target == Decimal("35.0")
    assert (own.last_year_actual, own.last_year_source) == (Decimal("31.2"), Source.ROLLOVER)
    assert result.own_carried == ("（独）独自の受診勧奨", "勧奨後の受診率")
    text = rollover.format_result(result, "ja")
    assert "引き継いだ支部独自の項目・KPI: 2件" in text
    assert check_database(demo_db).ok


def test_own_parts_hq_no_longer_allows_are_listed_with_the_reason(demo_db):
    node, _kpi = _own_section(demo_db)
    template = plans.bundled_plan("templates/hq_2025.json")
    closed = tuple(replace(n, branch_may_add=False) if n.key == PARENT else n
                   for n in template.nodes)  # fmt: skip
    result = rollover.roll_over(demo_db, "13", actor="planner",
                                template=replace(template, nodes=closed, _index={}))  # fmt: skip
    plan = plans.get_plan(demo_db, "13", 2025)
    assert node not in {n.key for n in plan.nodes} and not [k for k in plan.kpis if k.own]
    (left,) = result.left_behind
    assert (left.kind, left.key, left.name) == ("node", node, "（独）独自の受診勧奨")
    for lang, words in (("ja", "追加できないため"), ("en", "does not let a branch add")):
        text = rollover.format_result(result, lang)
        assert "独自の受診勧奨" in text and words in text
